import { sql, type SQL } from 'drizzle-orm'
import { queryRows, textArray, type Db } from '../../platform/db/index.ts'
import type { FicheKind } from './fields.ts'

export interface SearchFilters {
  q?: string | undefined
  kind?: FicheKind | undefined
  theme?: string | undefined
  methodType?: string | undefined
  iap2?: string | undefined
  result?: string | undefined
  region?: string | undefined
  department?: string | undefined
  territoryId?: string | undefined
  institution?: string | undefined
  featured?: boolean | undefined
}

export interface FicheHit {
  id: string
  kind: FicheKind
  slug: string
  title: string
  summary: string | null
  subtype: string | null
  themes: string[]
  iap2: string | null
  result: string | null
  institution: string | null
  licence: string | null
  publishedAt: Date
  rank: number | null
}

export type FacetName = 'kind' | 'theme' | 'methodType' | 'iap2' | 'result' | 'region' | 'department' | 'institution'
export type Facets = Record<FacetName, { value: string; count: number }[]>

/** The websearch query in the French accent-free configuration; null when the text has no searchable word. */
function tsQuery(q: string | undefined): SQL | null {
  const text = q?.trim()
  if (!text) return null
  return sql`websearch_to_tsquery('fr_unaccent', ${text.slice(0, 200)})`
}

function conditions(filters: SearchFilters): SQL {
  const parts: SQL[] = [sql`f.published_version is not null`]
  const query = tsQuery(filters.q)
  if (query) parts.push(sql`f.search @@ ${query}`)
  if (filters.kind) parts.push(sql`f.kind = ${filters.kind}`)
  if (filters.theme) parts.push(sql`f.themes @> array[${filters.theme}]::text[]`)
  if (filters.methodType) parts.push(sql`f.method_types @> array[${filters.methodType}]::text[]`)
  if (filters.iap2) parts.push(sql`f.iap2 = ${filters.iap2}`)
  if (filters.result) parts.push(sql`f.result = ${filters.result}`)
  if (filters.region) parts.push(sql`f.region_codes @> array[${filters.region}]::text[]`)
  if (filters.department) parts.push(sql`f.department_codes @> array[${filters.department}]::text[]`)
  if (filters.territoryId) parts.push(sql`f.territory_id = ${filters.territoryId}`)
  if (filters.institution) parts.push(sql`f.institution = ${filters.institution}`)
  if (filters.featured) parts.push(sql`f.featured`)
  return sql.join(parts, sql` and `)
}

const HIT_COLUMNS = sql`f.id, f.kind, f.slug, f.title, f.summary, f.subtype, f.themes, f.iap2, f.result, f.institution, f.licence, f.published_at as "publishedAt"`

/**
 * One page of published fiches matching the filters, most relevant first (newest first without words),
 * and the facet counts of all matches (their kinds add up to the total). Relevance is ts_rank_cd on the
 * title (A), summary (B) and labels (C); a fiche whose body alone matches comes after them.
 */
export async function searchFiches(
  db: Db,
  filters: SearchFilters,
  page: { offset: number; limit: number },
): Promise<{ total: number; hits: FicheHit[]; facets: Facets }> {
  const query = tsQuery(filters.q)
  const where = conditions(filters)
  const rank = query ? sql`ts_rank_cd(f.search_head, ${query}, 1)` : sql`null::real`
  const order = query ? sql`rank desc, f.published_at desc, f.id` : sql`f.featured desc, f.published_at desc, f.id`
  const [hits, facets] = await Promise.all([
    queryRows<FicheHit>(
      db,
      sql`select ${HIT_COLUMNS}, ${rank} as rank from referentiel_fiches f where ${where} order by ${order} limit ${page.limit} offset ${page.offset}`,
    ),
    facetCounts(db, filters),
  ])
  const total = facets.kind.reduce((sum, k) => sum + k.count, 0)
  return { total, hits: hits.map((h) => ({ ...h, publishedAt: new Date(h.publishedAt) })), facets }
}

/** How many matching fiches carry each value of each facet (within the current filters). */
export async function facetCounts(db: Db, filters: SearchFilters): Promise<Facets> {
  const rows = await queryRows<{ facet: FacetName; value: string; count: number }>(
    db,
    sql`with hits as materialized (
          select f.kind, f.themes, f.method_types, f.iap2, f.result, f.region_codes, f.department_codes, f.institution
          from referentiel_fiches f where ${conditions(filters)})
        select 'kind' as facet, kind as value, count(*)::int as count from hits group by kind
        union all select 'theme', v, count(*)::int from hits, unnest(themes) v group by v
        union all select 'methodType', v, count(*)::int from hits, unnest(method_types) v group by v
        union all select 'iap2', iap2, count(*)::int from hits where iap2 is not null group by iap2
        union all select 'result', result, count(*)::int from hits where result is not null group by result
        union all select 'region', v, count(*)::int from hits, unnest(region_codes) v group by v
        union all (select 'department', v, count(*)::int from hits, unnest(department_codes) v group by v order by 3 desc limit 30)
        union all (select 'institution', institution, count(*)::int from hits where institution is not null group by institution order by 3 desc limit 30)`,
  )
  const facets: Facets = {
    kind: [],
    theme: [],
    methodType: [],
    iap2: [],
    result: [],
    region: [],
    department: [],
    institution: [],
  }
  for (const row of rows) facets[row.facet].push({ value: row.value, count: Number(row.count) })
  for (const list of Object.values(facets))
    list.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value, 'fr'))
  return facets
}

/**
 * Fiches related to one: those it links to or that link to it first, then, among the 300 most recent
 * fiches sharing a theme or a method type with it (a bounded scan, whatever the size of the base), those
 * sharing the most.
 */
export async function relatedFiches(
  db: Db,
  fiche: { id: string; themes: string[]; methodTypes: string[] },
  limit = 6,
): Promise<(FicheHit & { linked: boolean })[]> {
  const themes = textArray(fiche.themes)
  const methodTypes = textArray(fiche.methodTypes)
  const rows = await queryRows<FicheHit & { linked: boolean }>(
    db,
    sql`with linked as (
          select to_id as id from referentiel_links where from_id = ${fiche.id}
          union select from_id from referentiel_links where to_id = ${fiche.id}),
        candidates as (
          select c.id from referentiel_fiches c
          where c.published_version is not null and c.id <> ${fiche.id} and (c.themes && ${themes} or c.method_types && ${methodTypes})
          order by c.published_at desc, c.id limit 300),
        pool as (select id from linked union select id from candidates)
        select ${HIT_COLUMNS}, null::real as rank, (f.id in (select id from linked)) as linked
        from pool join referentiel_fiches f on f.id = pool.id
        where f.published_version is not null and f.id <> ${fiche.id}
        order by (f.id in (select id from linked)) desc,
          cardinality(array(select unnest(f.themes) intersect select unnest(${themes})))
          + cardinality(array(select unnest(f.method_types) intersect select unnest(${methodTypes}))) desc,
          f.published_at desc
        limit ${limit}`,
  )
  return rows.map((h) => ({ ...h, publishedAt: new Date(h.publishedAt) }))
}

/**
 * The same practice described by another source (the catalogue's "Budget participatif" and a fiche written here,
 * Participedia's and the catalogue's "Decidim"): published fiches of the same kind whose title is the same once
 * case, accents and punctuation are set aside, from a different source.
 */
export async function sameElsewhere(
  db: Db,
  fiche: { id: string; kind: string; title: string; sourceName: string | null },
): Promise<{ slug: string; title: string; sourceName: string | null }[]> {
  return queryRows(
    db,
    sql`select slug, title, content ->> 'sourceName' as "sourceName" from referentiel_fiches
        where kind = ${fiche.kind} and id <> ${fiche.id} and published_version is not null
          and btrim(regexp_replace(lower(unaccent(title)), '[^a-z0-9]+', ' ', 'g')) = btrim(regexp_replace(lower(unaccent(${fiche.title}::text)), '[^a-z0-9]+', ' ', 'g'))
          and coalesce(content ->> 'sourceName', '') <> ${fiche.sourceName ?? ''}
        order by title, slug limit 10`,
  )
}

/** The fiches this one links to, by relation, and those that link to it. */
export async function ficheLinks(db: Db, ficheId: string) {
  return queryRows<{ direction: 'out' | 'in'; relation: string; slug: string; title: string; kind: FicheKind }>(
    db,
    sql`select 'out' as direction, l.relation, f.slug, f.title, f.kind from referentiel_links l join referentiel_fiches f on f.id = l.to_id
          where l.from_id = ${ficheId} and f.published_version is not null
        union all
        select 'in', l.relation, f.slug, f.title, f.kind from referentiel_links l join referentiel_fiches f on f.id = l.from_id
          where l.to_id = ${ficheId} and f.published_version is not null
        order by 1, 2, 4`,
  )
}

// ---------------------------------------------------------------------------------------------------
// Inventory of participatory practices (FR0110)

export interface InventoryFilters {
  institutionKind?: string | undefined
  year?: number | undefined
}

export interface InventoryReport {
  total: number
  byResult: { value: string; count: number }[]
  byInstitution: {
    institution: string
    institutionKind: string | null
    total: number
    success: number
    mixed: number
    failure: number
    tooEarly: number
  }[]
  byMethod: { slug: string; title: string; count: number }[]
  byTheme: { value: string; count: number }[]
  pitfalls: { value: string; count: number }[]
  inspiring: {
    slug: string
    title: string
    institution: string | null
    summary: string | null
    lessons: string | null
    featured: boolean
  }[]
  failures: { slug: string; title: string; institution: string | null; result: string; whatFailed: string }[]
}

function inventoryWhere(filters: InventoryFilters): SQL {
  const parts: SQL[] = [sql`f.kind = 'experience'`, sql`f.published_version is not null`]
  if (filters.institutionKind) parts.push(sql`f.institution_kind = ${filters.institutionKind}`)
  if (filters.year) parts.push(sql`coalesce(f.content->>'startDate', '') like ${`${filters.year}-%`}`)
  return sql.join(parts, sql` and `)
}

/** The report of the State's inventory: experiences declared by institutions, counted and read for lessons. */
export async function inventoryReport(db: Db, filters: InventoryFilters): Promise<InventoryReport> {
  const where = inventoryWhere(filters)
  const [byResult, byInstitution, byMethod, byTheme, pitfalls, inspiring, failures] = await Promise.all([
    queryRows<{ value: string; count: number }>(
      db,
      sql`select result as value, count(*)::int as count from referentiel_fiches f where ${where} group by result order by 2 desc`,
    ),
    queryRows<InventoryReport['byInstitution'][number]>(
      db,
      sql`select f.institution, min(f.institution_kind) as "institutionKind", count(*)::int as total,
            (count(*) filter (where result = 'success'))::int as success, (count(*) filter (where result = 'mixed'))::int as mixed,
            (count(*) filter (where result = 'failure'))::int as failure, (count(*) filter (where result = 'too_early'))::int as "tooEarly"
          from referentiel_fiches f where ${where} and f.institution is not null group by f.institution order by 3 desc, 1 limit 200`,
    ),
    queryRows<{ slug: string; title: string; count: number }>(
      db,
      sql`select m.slug, m.title, count(*)::int as count from referentiel_fiches f
            join referentiel_links l on l.from_id = f.id and l.relation = 'uses'
            join referentiel_fiches m on m.id = l.to_id and m.published_version is not null
          where ${where} group by m.slug, m.title order by 3 desc, 2 limit 30`,
    ),
    queryRows<{ value: string; count: number }>(
      db,
      sql`select v as value, count(*)::int as count from referentiel_fiches f, unnest(f.themes) v where ${where} group by v order by 2 desc, 1`,
    ),
    queryRows<{ value: string; count: number }>(
      db,
      sql`select v as value, count(*)::int as count from referentiel_fiches f, jsonb_array_elements_text(coalesce(f.content->'pitfalls', '[]'::jsonb)) v
          where ${where} group by v order by 2 desc, 1`,
    ),
    queryRows<InventoryReport['inspiring'][number]>(
      db,
      sql`select f.slug, f.title, f.institution, f.summary, f.content->>'lessons' as lessons, f.featured from referentiel_fiches f
          where ${where} and (f.featured or f.result = 'success')
          order by f.featured desc, (f.result = 'success') desc, length(coalesce(f.content->>'lessons', '')) desc, f.published_at desc limit 10`,
    ),
    queryRows<InventoryReport['failures'][number]>(
      db,
      sql`select f.slug, f.title, f.institution, f.result, f.content->>'whatFailed' as "whatFailed" from referentiel_fiches f
          where ${where} and f.result in ('failure', 'mixed') and coalesce(f.content->>'whatFailed', '') <> ''
          order by (f.result = 'failure') desc, f.published_at desc limit 10`,
    ),
  ])
  const num = <T extends { count: number }>(rows: T[]) => rows.map((r) => ({ ...r, count: Number(r.count) }))
  return {
    total: byResult.reduce((sum, r) => sum + Number(r.count), 0),
    byResult: num(byResult.filter((r) => r.value !== null)),
    byInstitution,
    byMethod: num(byMethod),
    byTheme: num(byTheme),
    pitfalls: num(pitfalls),
    inspiring,
    failures,
  }
}
