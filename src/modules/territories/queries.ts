import { and, asc, count, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm'
import { territoryRoles, users } from '../../platform/auth/tables.ts'
import { queryRows, textArray, type Db } from '../../platform/db/index.ts'
import type { TerritoryKind } from './normalize.ts'
import { territories, territoryParents, territoryProfiles, type TerritoryRow } from './tables.ts'

export interface TerritorySummary {
  id: string
  kind: TerritoryKind
  code: string
  name: string
  epciNature: string | null
  zone: string | null
  population: number | null
  /** codes of the départements the territory lies in (for "Saint-Denis (93)") */
  departements: string[]
  retired: boolean
}

const summaryColumns = {
  id: territories.id,
  kind: territories.kind,
  code: territories.code,
  name: territories.name,
  epciNature: territories.epciNature,
  zone: territories.zone,
  population: territories.population,
  retiredAt: territories.retiredAt,
  departements: sql<string[]>`coalesce((select array_agg(p.code order by p.code) from territory_parents tp
      join territories p on p.id = tp.parent_id and p.kind = 'departement'
      where tp.territory_id = territories.id), '{}')`,
}

export type SummaryRow = { [K in keyof typeof summaryColumns]: unknown } & {
  id: string
  kind: string
  code: string
  name: string
  epciNature: string | null
  zone: string | null
  population: number | null
  retiredAt: Date | null
  departements: string[]
}

export function toSummary(row: SummaryRow): TerritorySummary {
  return {
    id: row.id,
    kind: row.kind as TerritoryKind,
    code: row.code,
    name: row.name,
    epciNature: row.epciNature,
    zone: row.zone,
    population: row.population,
    departements: row.departements,
    retired: row.retiredAt !== null,
  }
}

export interface SearchTerritoriesOptions {
  /** normalised name (normalizeName) */
  nameQuery: string
  /** raw text when it looks like a code */
  codeQuery: string | null
  kind: TerritoryKind | null
  limit: number
  offset: number
}

/**
 * Territories whose code matches, or whose name starts with, contains a word like, or resembles the
 * query (pg_trgm, served by the GIN index on name_search). Exact and prefix matches first, then the
 * closest names, then the most populated: "Saint-Denis" brings the large one first.
 */
export async function searchTerritories(
  db: Db,
  options: SearchTerritoriesOptions,
): Promise<{ total: number; items: TerritorySummary[] }> {
  const q = options.nameQuery
  // One index scan per way of matching, united: with OR between them the planner falls back to a
  // sequential scan that computes trigram similarity for all 36,000 names (~200 ms on PGlite).
  const exactWays = [sql`select id from territories where name_search like ${`%${q}%`}`]
  if (options.codeQuery)
    exactWays.push(sql`select id from territories where code like ${`${options.codeQuery.toUpperCase()}%`}`)
  const fuzzyWays = [
    sql`select id from territories where ${q} <% name_search`,
    sql`select id from territories where name_search % ${q}`,
  ]

  const rank = sql`case
      when ${territories.code} = ${(options.codeQuery ?? '').toUpperCase()} then 0
      when ${territories.nameSearch} = ${q} then 1
      when ${territories.nameSearch} like ${`${q}%`} then 2
      when ${territories.nameSearch} like ${`% ${q}%`} then 3
      else 4 end`
  const run = async (ways: SQL[]) => {
    const where = and(
      sql`${territories.id} in (${sql.join(ways, sql` union `)})`,
      options.kind ? eq(territories.kind, options.kind) : undefined,
    )
    // ids first (ranking needs every match), then the summaries of the one page shown
    const page = await db
      .select({ id: territories.id, total: sql<number>`(count(*) over ())::int` })
      .from(territories)
      .where(where)
      .orderBy(
        rank,
        // closeness only matters among the fuzzy matches, and costs: computed for those alone
        desc(sql`case when ${territories.nameSearch} like ${`%${q}%`} then 0
          else similarity(${q}, ${territories.nameSearch}) + strict_word_similarity(${q}, ${territories.nameSearch}) end`),
        sql`${territories.retiredAt} is not null`,
        desc(sql`coalesce(${territories.population}, 0)`),
        asc(territories.name),
      )
      .limit(options.limit)
      .offset(options.offset)
    let total = page[0]?.total ?? 0
    if (page.length === 0 && options.offset > 0) {
      const [row] = await db.select({ total: count() }).from(territories).where(where)
      total = row?.total ?? 0
    }
    return { total, ids: page.map((r) => r.id) }
  }
  // Near-misses (typos) are looked for only when the text as typed fills less than a page: they are
  // what a person needs then, and costly to find when a common word ("saint") matches thousands.
  let result = await run(exactWays)
  if (result.total < options.limit) result = await run([...exactWays, ...fuzzyWays])
  const byId = new Map((await findTerritoriesByIds(db, result.ids)).map((t) => [t.id, t]))
  return { total: result.total, items: result.ids.flatMap((id) => byId.get(id) ?? []) }
}

/** One territory by kind and code, or undefined. */
export async function findTerritory(db: Db, kind: TerritoryKind, code: string): Promise<TerritoryRow | undefined> {
  const [row] = await db
    .select()
    .from(territories)
    .where(and(eq(territories.kind, kind), eq(territories.code, code)))
  return row
}

/** Territories by id (any order). */
export async function findTerritoriesByIds(db: Db, ids: string[]): Promise<TerritorySummary[]> {
  if (ids.length === 0) return []
  const rows = await db.select(summaryColumns).from(territories).where(inArray(territories.id, ids))
  return rows.map((r) => toSummary(r as SummaryRow))
}

const KIND_ORDER = sql`array_position(array['epci','ept','departement','region','autre','commune']::text[], ${territories.kind})`

/** The territories this one belongs to, nearest first (EPCI, EPT, département, région, other). */
export async function listParents(db: Db, territoryId: string): Promise<TerritorySummary[]> {
  const rows = await db
    .select(summaryColumns)
    .from(territoryParents)
    .innerJoin(territories, eq(territories.id, territoryParents.parentId))
    .where(eq(territoryParents.territoryId, territoryId))
    .orderBy(KIND_ORDER, asc(territories.name))
  const direct = rows.map((r) => toSummary(r as SummaryRow))
  // a commune links to its département directly; its région comes through the département
  const regionsKnown = new Set(direct.filter((t) => t.kind === 'region').map((t) => t.id))
  const departementIds = direct.filter((t) => t.kind === 'departement').map((t) => t.id)
  if (departementIds.length === 0) return direct
  const regions = await db
    .selectDistinct(summaryColumns)
    .from(territoryParents)
    .innerJoin(territories, eq(territories.id, territoryParents.parentId))
    .where(and(inArray(territoryParents.territoryId, departementIds), eq(territories.kind, 'region')))
  return [...direct, ...regions.map((r) => toSummary(r as SummaryRow)).filter((t) => !regionsKnown.has(t.id))]
}

/** Direct members of a territory of one kind, most populated first, and how many there are. */
export async function listChildren(
  db: Db,
  { territoryId, kind, limit }: { territoryId: string; kind: TerritoryKind; limit: number },
): Promise<{ total: number; items: TerritorySummary[] }> {
  const where = and(
    eq(territoryParents.parentId, territoryId),
    eq(territories.kind, kind),
    isNull(territories.retiredAt),
  )
  const [totalRow] = await db
    .select({ total: count() })
    .from(territoryParents)
    .innerJoin(territories, eq(territories.id, territoryParents.territoryId))
    .where(where)
  const rows = await db
    .select(summaryColumns)
    .from(territoryParents)
    .innerJoin(territories, eq(territories.id, territoryParents.territoryId))
    .where(where)
    .orderBy(desc(sql`coalesce(${territories.population}, 0)`), asc(territories.name))
    .limit(limit)
  return { total: totalRow?.total ?? 0, items: rows.map((r) => toSummary(r as SummaryRow)) }
}

export async function findProfile(db: Db, territoryId: string) {
  const [row] = await db.select().from(territoryProfiles).where(eq(territoryProfiles.territoryId, territoryId))
  return row
}

/** The people holding the elected-official role in a territory, as shown publicly. */
export async function listElectedOfficials(db: Db, territoryId: string): Promise<{ displayName: string }[]> {
  return db
    .select({ displayName: sql<string>`${users.displayName}` })
    .from(territoryRoles)
    .innerJoin(users, eq(users.id, territoryRoles.userId))
    .where(
      and(eq(territoryRoles.territoryId, territoryId), eq(territoryRoles.role, 'elected'), isNull(users.deletedAt)),
    )
    .orderBy(asc(users.displayName))
}

export async function countTerritories(db: Db): Promise<number> {
  const [row] = await db.select({ total: count() }).from(territories).where(isNull(territories.retiredAt))
  return row?.total ?? 0
}

export async function listOtherTerritories(db: Db): Promise<TerritorySummary[]> {
  const rows = await db
    .select(summaryColumns)
    .from(territories)
    .where(eq(territories.kind, 'autre'))
    .orderBy(asc(territories.name))
  return rows.map((r) => toSummary(r as SummaryRow))
}

/** A territory and every territory it lies within (its EPCI, département, région…), as the public sees them. */
export async function territoryAndAncestors(db: Db, territoryId: string) {
  return queryRows<{ kind: string; code: string; name: string }>(
    db,
    sql`with recursive up(id) as (
          select ${territoryId}::uuid union select p.parent_id from territory_parents p join up on p.territory_id = up.id)
        select t.kind, t.code, t.name from public_territories t join up on up.id = t.id`,
  )
}

/** The names of these régions and départements, keyed `kind/code`. */
export async function regionAndDepartmentNames(
  db: Db,
  codes: { regions: string[]; departments: string[] },
): Promise<Map<string, string>> {
  if (codes.regions.length === 0 && codes.departments.length === 0) return new Map()
  const rows = await queryRows<{ ref: string; name: string }>(
    db,
    sql`select kind || '/' || code as ref, name from public_territories
        where (kind = 'region' and code = any(${textArray(codes.regions)}))
           or (kind = 'departement' and code = any(${textArray(codes.departments)}))`,
  )
  return new Map(rows.map((r) => [r.ref, r.name]))
}
