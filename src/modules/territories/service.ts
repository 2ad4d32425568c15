import { sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { assertCan, authorizedIn } from '../../platform/auth/policy.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, forbidden, notFound } from '../../platform/errors.ts'
import { canonicalCode, looksLikeCode, normalizeName, parseTerritoryRef, type TerritoryKind } from './normalize.ts'
import { keptNameIndex } from './name-index.ts'
import * as queries from './queries.ts'
import { territories, territoryParents } from './tables.ts'

export const SEARCH_PAGE_SIZE = 20

export interface SearchInput {
  q: string
  kind?: TerritoryKind | null
  page?: number
}

/** Searches territories by name (accent-insensitive, typo-tolerant) or code; fewer than 2 characters finds nothing. */
export async function searchTerritories(db: Db, input: SearchInput) {
  const text = input.q.trim().slice(0, 100)
  const nameQuery = normalizeName(text)
  const page = Math.max(1, input.page ?? 1)
  if (nameQuery.length < 2)
    return { query: text, total: 0, page, pageSize: SEARCH_PAGE_SIZE, items: [] as queries.TerritorySummary[] }
  const options: queries.SearchTerritoriesOptions = {
    nameQuery,
    codeQuery: looksLikeCode(text) ? text.trim() : null,
    kind: input.kind ?? null,
    limit: SEARCH_PAGE_SIZE,
    offset: (page - 1) * SEARCH_PAGE_SIZE,
  }
  const index = await keptNameIndex(db)
  const result = index ? index.search(options) : await queries.searchTerritories(db, options)
  return { query: text, page, pageSize: SEARCH_PAGE_SIZE, ...result }
}

/** What a territory's page shows: the territory, its parents, its members, its profile and elected officials. Throws 404. */
export async function getTerritoryPage(db: Db, kind: TerritoryKind, rawCode: string) {
  const territory = await queries.findTerritory(db, kind, canonicalCode(kind, rawCode))
  if (!territory) throw notFound()
  const childKind: TerritoryKind | null =
    kind === 'region'
      ? 'departement'
      : kind === 'departement'
        ? 'epci'
        : kind === 'epci' || kind === 'ept' || kind === 'autre'
          ? 'commune'
          : null
  const [parents, children, profile, electedOfficials, memberships] = await Promise.all([
    queries.listParents(db, territory.id),
    childKind
      ? queries.listChildren(db, { territoryId: territory.id, kind: childKind, limit: 300 })
      : Promise.resolve({ total: 0, items: [] }),
    queries.findProfile(db, territory.id),
    queries.listElectedOfficials(db, territory.id),
    // the membership module's public view: network or programme, since when, the convention
    queryRows<{
      status: 'member' | 'in_programme'
      since: string | null
      conventionStart: string | null
      conventionEnd: string | null
      conventionUrl: string | null
    }>(
      db,
      sql`select status, decided_at::date::text as since, convention_start::text as "conventionStart", convention_end::text as "conventionEnd", convention_document_url as "conventionUrl"
          from public_memberships where territory_id = ${territory.id}`,
    ),
  ])
  return { territory, parents, childKind, children, profile, electedOfficials, membership: memberships[0] ?? null }
}

export interface ProfileInput {
  presentation: string
  website: string | null
  publicContactEmail: string | null
}

/**
 * Saves a territory's public presentation. Allowed to its editors and elected officials and to platform
 * administrators, checked before the work and again in the write itself. Throws 403 / 404.
 */
export async function updateTerritoryProfile(
  db: Db,
  options: { actor: CurrentUser; territoryId: string; input: ProfileInput },
) {
  const { actor, territoryId, input } = options
  assertCan(actor, 'territory.editProfile', territoryId)
  await db.transaction(async (tx) => {
    const before = await queries.findProfile(tx, territoryId)
    // insert … select … where <authorised>: nothing is written unless the role still holds in this territory
    const written = await queryRows<{ territory_id: string }>(
      tx,
      sql`
      insert into territory_profiles (territory_id, presentation, website, public_contact_email, updated_by, updated_at)
      select ${territoryId}, ${input.presentation}, ${input.website}, ${input.publicContactEmail}, ${actor.id}, now()
      where ${authorizedIn(actor, 'territory.editProfile', sql`${territoryId}::uuid`)}
      on conflict (territory_id) do update set presentation = excluded.presentation, website = excluded.website,
        public_contact_email = excluded.public_contact_email, updated_by = excluded.updated_by, updated_at = now()
      returning territory_id`,
    )
    if (written.length === 0) throw forbidden()
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId,
      action: 'territory.profile_updated',
      subjectType: 'territory',
      subjectId: territoryId,
      before: before
        ? { presentation: before.presentation, website: before.website, publicContactEmail: before.publicContactEmail }
        : null,
      after: input,
    })
  })
}

export interface OtherTerritoryInput {
  name: string
  code: string
  population: number | null
  parentRefs: string[]
}

/** Creates a territory outside the official geography (a Pays, say). Platform administrators only. */
export async function createOtherTerritory(db: Db, options: { actor: CurrentUser | null; input: OtherTerritoryInput }) {
  const { actor, input } = options
  if (actor && !actor.isPlatformAdmin) throw forbidden()
  const code = canonicalCode('autre', input.code)
  return db.transaction(async (tx) => {
    const parentIds: string[] = []
    for (const ref of input.parentRefs) {
      const parsed = parseTerritoryRef(ref)
      const parent = parsed ? await queries.findTerritory(tx, parsed.kind, parsed.code) : undefined
      if (!parent) {
        throw new AppError('TERRITORY_NOT_FOUND', { status: 422, userMessage: ref, fields: { parents: ref } })
      }
      parentIds.push(parent.id)
    }
    if (await queries.findTerritory(tx, 'autre', code)) {
      throw new AppError('TERRITORY_CODE_TAKEN', { status: 409, userMessage: code, fields: { code } })
    }
    const [created] = await tx
      .insert(territories)
      .values({
        kind: 'autre',
        code,
        name: input.name,
        nameSearch: normalizeName(input.name),
        population: input.population,
        source: 'manual',
      })
      .returning()
    if (!created) throw new Error('insert returned no row')
    if (parentIds.length > 0) {
      await tx
        .insert(territoryParents)
        .values([...new Set(parentIds)].map((parentId) => ({ territoryId: created.id, parentId })))
    }
    forgetTerritoryCounts()
    await recordAudit(tx, {
      actorId: actor?.id ?? null,
      territoryId: created.id,
      action: 'territory.created',
      subjectType: 'territory',
      subjectId: created.id,
      after: { kind: 'autre', code, name: input.name, population: input.population, parents: input.parentRefs },
    })
    return created
  })
}

/** Finds a territory from a `kind/code` reference; undefined when unknown. */
export async function findTerritoryByRef(db: Db, ref: string) {
  const parsed = parseTerritoryRef(ref)
  return parsed ? queries.findTerritory(db, parsed.kind, parsed.code) : undefined
}

/** Public name of a territory by id, for other modules. */
export async function getTerritorySummaries(db: Db, ids: string[]) {
  return queries.findTerritoriesByIds(db, ids)
}

export { listOtherTerritories } from './queries.ts'

const COUNT_TTL_MS = 60_000
const counts = new WeakMap<Db, { value: number; at: number; generation: number }>()
let registryGeneration = 0

/** Drops the cached territory counts (after the registry or a territory changes in this process). */
export function forgetTerritoryCounts(): void {
  registryGeneration += 1
}

/**
 * How many current territories the registry holds. Counting 36,000 rows costs milliseconds on the
 * embedded database, on every home page: the figure is kept a minute, and dropped when this process
 * changes the registry.
 */
export async function countTerritories(db: Db): Promise<number> {
  const cached = counts.get(db)
  if (cached && cached.generation === registryGeneration && Date.now() - cached.at < COUNT_TTL_MS) return cached.value
  const value = await queries.countTerritories(db)
  counts.set(db, { value, at: Date.now(), generation: registryGeneration })
  return value
}
