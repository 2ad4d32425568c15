import { sql } from 'drizzle-orm'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { fieldsOf, type FicheKind } from './fields.ts'
import { linkedIds, type FicheContent } from './content.ts'
import { ficheNames } from './queries.ts'
import { LICENCE_URLS, VOCABULARIES } from './vocabularies.ts'

export interface ExportRow {
  id: string
  slug: string
  kind: FicheKind
  title: string
  publishedVersion: number
  firstPublishedAt: string
  publishedAt: string
  featured: boolean
  licence: string | null
  content: FicheContent
  /** linked fiches' slugs by id, filled in page by page */
  names: Map<string, { slug: string }>
}

/**
 * Published fiches of a kind under one licence, after the given one (keyset on id), with the slugs of the fiches
 * they link to. Each dataset holds one licence: what the platform's contributors wrote (Licence Ouverte, ODbL) is
 * never mixed with third-party content under its own terms (Participedia's CC BY-NC-SA, the catalogue's MIT).
 */
export async function exportPage(
  db: Db,
  { kind, licence, after, limit = 500 }: { kind: FicheKind; licence: string; after: ExportRow | null; limit?: number },
): Promise<ExportRow[]> {
  const rows = await queryRows<Omit<ExportRow, 'names'>>(
    db,
    sql`select id, slug, kind, title, published_version as "publishedVersion", first_published_at as "firstPublishedAt", published_at as "publishedAt", featured, licence, content
        from referentiel_fiches where kind = ${kind} and published_version is not null and coalesce(licence, ${OWN_LICENCE}) = ${licence}
        ${after ? sql`and id > ${after.id}` : sql``}
        order by id limit ${limit}`,
  )
  const names = await ficheNames(
    db,
    rows.flatMap((r) => linkedIds(kind, r.content)),
  )
  return rows.map((r) => ({ ...r, names }))
}

/** A fiche as open data: every field of its kind, links as slugs, lists as arrays. */
export function exportRecord(row: ExportRow, baseUrl: string): Record<string, unknown> {
  const record: Record<string, unknown> = {
    slug: row.slug,
    url: `${baseUrl}/referentiel/fiches/${row.slug}`,
    kind: row.kind,
    version: row.publishedVersion,
    first_published_at: new Date(row.firstPublishedAt).toISOString(),
    published_at: new Date(row.publishedAt).toISOString(),
    featured: row.featured,
  }
  for (const field of fieldsOf(row.kind)) {
    const value =
      row.content[field.name] ??
      (field.type === 'fiches' || field.type === 'choices' || field.type === 'lines' || field.type === 'urls'
        ? []
        : null)
    record[field.name] =
      field.type === 'fiches' && Array.isArray(value) ? value.map((id) => row.names.get(id)?.slug ?? id) : value
  }
  record.licence_url = row.licence ? (LICENCE_URLS[row.licence] ?? null) : null
  return record
}

export const LEADING_COLUMNS = [
  ['slug', 'string', 'identifiant stable de la fiche dans son adresse'],
  ['url', 'string', 'adresse de la fiche'],
  ['kind', 'string', 'nature : method (outil ou méthode), experience (expérience ou projet), actor (acteur)'],
  ['version', 'integer', 'numéro de la version publiée'],
  ['first_published_at', 'datetime', 'première publication'],
  ['published_at', 'datetime', 'publication de cette version'],
  ['featured', 'boolean', 'pratique mise en avant par la modération'],
] as const

/** The Table Schema of a kind's CSV export, written from the fields' own description. */
export function exportSchema(kind: FicheKind) {
  const fields = fieldsOf(kind).map((f) => {
    const list = f.type === 'choices' || f.type === 'lines' || f.type === 'urls' || f.type === 'fiches'
    const type = f.type === 'integer' ? 'integer' : f.type === 'date' ? 'date' : 'string'
    const description = [
      f.label[0],
      list ? 'plusieurs valeurs séparées par « | »' : '',
      f.vocabulary ? `clés du vocabulaire « ${f.vocabulary} » (/api/v1/referentiel/vocabularies)` : '',
      f.type === 'fiches' ? 'adresses (slugs) des fiches liées' : '',
      f.type === 'territory' ? 'territoire, nature/code' : '',
    ]
      .filter(Boolean)
      .join(' ; ')
    return {
      name: f.name,
      type,
      description,
      ...(f.vocabulary && !list ? { constraints: { enum: Object.keys(VOCABULARIES[f.vocabulary]) } } : {}),
    }
  })
  return {
    $schema: 'https://specs.frictionlessdata.io/schemas/table-schema.json',
    title: `Référentiel : ${kind === 'method' ? 'outils et méthodes' : kind === 'experience' ? 'expériences et projets' : 'acteurs'}`,
    description:
      'Fiches publiées du référentiel des pratiques participatives. Chaque fichier ne tient qu’une licence, déclarée par son en-tête Link rel="license" et dans /referentiel/donnees/datapackage.json ; la colonne licence la répète.',
    licenses: [
      {
        name: 'per-dataset',
        title: 'La licence du fichier décrit (une par fichier)',
        path: '/referentiel/donnees/datapackage.json',
      },
    ],
    fields: [
      ...LEADING_COLUMNS.map(([name, type, description]) => ({ name, type, description })),
      ...fields,
      { name: 'licence_url', type: 'string', description: 'adresse du texte de la licence' },
    ],
  }
}

/** the licence of the platform's own data, and of the dataset at the historical addresses (/referentiel/donnees/method.csv) */
export const OWN_LICENCE = 'etalab-2.0'

/** The published datasets: one per licence and kind that holds fiches, with its count. */
export async function referentielDatasets(db: Db): Promise<{ licence: string; kind: FicheKind; count: number }[]> {
  const rows = await queryRows<{ licence: string; kind: FicheKind; count: number }>(
    db,
    sql`select coalesce(licence, ${OWN_LICENCE}) as licence, kind, count(*)::int as count from referentiel_fiches where published_version is not null group by 1, 2 order by 1, 2`,
  )
  return rows.filter((r) => r.licence in LICENCE_URLS)
}

export const datasetPath = (licence: string, kind: string, format: 'csv' | 'json') =>
  `/referentiel/donnees/${licence}/${kind}.${format}`
