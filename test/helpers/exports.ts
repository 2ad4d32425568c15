import { LICENCE_URLS } from '../../src/modules/referentiel/vocabularies.ts'
import type { FastifyInstance } from 'fastify'
import { sql } from 'drizzle-orm'
import { queryRows, type Db } from '../../src/platform/db/index.ts'

/** Values for each kind of route parameter, read from the database: every plan, text, consultation, fiche… */
export async function parameterValues(db: Db): Promise<Record<string, string[]>> {
  const ids = async (query: ReturnType<typeof sql>) =>
    (await queryRows<{ v: string }>(db, query)).map((r) => String(r.v))
  return {
    'kind/code': await ids(
      sql`select distinct t.kind || '/' || t.code as v from territories t where t.kind = 'autre' or exists (select 1 from action_plans p where p.territory_id = t.id) order by 1`,
    ),
    plan: await ids(sql`select id as v from action_plans order by id`),
    commitment: await ids(sql`select id as v from commitments order by id`),
    text: await ids(sql`select id as v from cocreated_texts order by id`),
    consultation: await ids(sql`select id as v from consultations order by id`),
    assembly: await ids(sql`select id as v from assemblies order by id`),
    event: await ids(sql`select id as v from events order by id`),
    fiche: await ids(sql`select slug as v from referentiel_fiches order by slug`),
    file: await ids(sql`select id as v from evidence_files order by id`),
  }
}

/** Which kind of value a route's `:id` (or other parameter) takes, from the words before it. */
function parameterKind(url: string, name: string): string | null {
  if (name === 'kind' || name === 'code') return 'kind/code'
  if (name === 'slug') return 'fiche'
  const before = url.slice(0, url.indexOf(`:${name}`))
  const table: [RegExp, string][] = [
    [/(plans|plan-action)\/$/, 'plan'],
    [/(commitments|engagements)\/$/, 'commitment'],
    [/(texts|textes)\/$/, 'text'],
    [/consultations\/$/, 'consultation'],
    [/(assemblies|assemblees)\/$/, 'assembly'],
    [/(events|evenements)\/$/, 'event'],
    [/fichiers\/$/, 'file'],
  ]
  return table.find(([pattern]) => pattern.test(before))?.[1] ?? null
}

/** Every URL of a route filled with the given values; none when one of its parameters has no known values. */
export function expandRoute(url: string, values: Record<string, string[]>): string[] {
  const names = [...url.matchAll(/:([a-zA-Z]+)/g)].map((m) => m[1]!)
  if (names.length === 0) return [url]
  if (names.length === 2 && names[0] === 'kind' && names[1] === 'code')
    return (values['kind/code'] ?? []).map((ref) => url.replace(':kind/:code', ref))
  if (names.length !== 1) return []
  const kind = parameterKind(url, names[0]!)
  return kind ? (values[kind] ?? []).map((value) => url.replace(`:${names[0]}`, encodeURIComponent(value))) : []
}

/**
 * Every public export of the platform, as an anonymous reuser fetches it: the open API, CSV and JSON files, the
 * référentiel's data files, calendars and the evidence files, each with every value its parameters take.
 */
export async function publicExportUrls(app: FastifyInstance, db: Db): Promise<string[]> {
  const values = await parameterValues(db)
  const exportLike = (url: string) =>
    url.startsWith('/api/v1/') ||
    /\.(csv|json|ics)$/.test(url) ||
    url.includes('/donnees') ||
    url.endsWith('/jsonld') ||
    url.startsWith('/fichiers/')
  const urls = app.routeList
    .filter((r) => r.method === 'GET' && exportLike(r.url) && !r.url.endsWith('/history/verify'))
    .flatMap((r) => {
      const files = ['method', 'experience', 'actor'].flatMap((k) => [`${k}.csv`, `${k}.json`])
      if (r.url === '/referentiel/donnees/:file') return files.map((f) => `/referentiel/donnees/${f}`)
      if (r.url === '/referentiel/donnees/:licence/:file')
        return Object.keys(LICENCE_URLS).flatMap((licence) => files.map((f) => `/referentiel/donnees/${licence}/${f}`))
      if (r.url === '/api/v1/schemas/referentiel-:kind.json')
        return ['method', 'experience', 'actor'].map((k) => `/api/v1/schemas/referentiel-${k}.json`)
      return expandRoute(r.url, values)
    })
  return [...new Set(urls)]
}
