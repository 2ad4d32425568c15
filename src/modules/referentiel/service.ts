import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { users } from '../../platform/auth/tables.ts'
import { pgErrorCode, queryRows, textArray, type Db } from '../../platform/db/index.ts'
import { AppError, conflict, forbidden, notFound } from '../../platform/errors.ts'
import { translator, type Locale } from '../../platform/i18n/index.ts'
import { pickPublicCommitment } from '../plans/index.ts'
import { findTerritoryByRef, pickTerritory, territoryAndAncestors } from '../territories/index.ts'
import {
  changedFields,
  checkContent,
  displayValue,
  fieldsOf,
  isEmpty,
  problemText,
  type FicheContent,
  type FicheKind,
  type FieldProblem,
  type FieldValue,
} from './fields.ts'
import { fiches, links, versions, type FicheRow, type VersionRow } from './tables.ts'
import { CONTRIBUTOR_LICENCES } from './vocabularies.ts'

export type VersionStatus = 'draft' | 'submitted' | 'changes_requested' | 'published' | 'rejected'
export type Decision = 'publish' | 'request_changes' | 'reject'
export const OPEN_STATUSES: readonly VersionStatus[] = ['draft', 'submitted', 'changes_requested']

// ---------------------------------------------------------------------------------------------------
// Who may moderate what

/** Moderators of the whole référentiel: platform administrators and holders of the network role. */
export function isNetworkModerator(user: CurrentUser | null): boolean {
  return !!user && (user.isPlatformAdmin || user.platformRoles.includes('referentiel_moderator'))
}

/** May this person review a fiche about this territory? Territory moderators review their territory's fiches. */
export function canModerate(user: CurrentUser | null, territoryId: string | null): boolean {
  if (!user) return false
  if (isNetworkModerator(user)) return true
  return territoryId !== null && user.roles.some((r) => r.role === 'moderator' && r.territoryId === territoryId)
}

/** True when this person moderates anything at all (to show the queue). */
export function moderatesAnything(user: CurrentUser | null): boolean {
  return isNetworkModerator(user) || !!user?.roles.some((r) => r.role === 'moderator')
}

/** The same rule in SQL, checked by the query that writes: it holds at the moment of the write. */
function moderationAllowed(user: CurrentUser, territoryIdSql: SQL): SQL {
  return sql`(exists (select 1 from users u where u.id = ${user.id} and u.deleted_at is null
      and (u.is_platform_admin or exists (select 1 from platform_roles p where p.user_id = u.id and p.role = 'referentiel_moderator')))
    or exists (select 1 from territory_roles r where r.user_id = ${user.id} and r.role = 'moderator' and r.territory_id = ${territoryIdSql}))`
}

// ---------------------------------------------------------------------------------------------------
// Content checks that need the database

export class ContentProblems extends AppError {
  constructor(readonly problems: FieldProblem[]) {
    super('INVALID_FICHE', {
      status: 422,
      userMessage: problems.map((p) => `${p.field}: ${problemText(p, 'fr')}`).join('; '),
    })
  }
}

/** Published fiches named by slug or exact title, of one kind. */
async function findFichesByName(
  db: Db,
  kind: FicheKind,
  names: string[],
): Promise<Map<string, { id: string; slug: string; title: string }>> {
  if (names.length === 0) return new Map()
  const lower = names.map((n) => n.toLowerCase())
  const rows = await db
    .select({ id: fiches.id, slug: fiches.slug, title: fiches.title })
    .from(fiches)
    .where(
      and(
        eq(fiches.kind, kind),
        sql`${fiches.publishedVersion} is not null`,
        sql`(${fiches.slug} = any(${textArray(lower)}) or lower(${fiches.title}) = any(${textArray(lower)}))`,
      ),
    )
  const found = new Map<string, { id: string; slug: string; title: string }>()
  for (const row of rows) {
    found.set(row.slug, { ...row, title: row.title! })
    found.set(row.title!.toLowerCase(), { ...row, title: row.title! })
  }
  return found
}

/** One published fiche of a kind by slug or exact title (case-insensitive). */
export async function findFicheByName(
  db: Db,
  kind: FicheKind,
  name: string,
): Promise<{ id: string; slug: string; title: string } | undefined> {
  return (await findFichesByName(db, kind, [name])).get(name.toLowerCase())
}

/**
 * Checks values from a form or an import and resolves what they name: the territory, linked fiches
 * (titles or slugs → ids), the commitment. `baseLicence` is the licence of the version edited: content
 * imported under its own licence keeps it.
 */
export async function resolveContent(
  db: Db,
  kind: FicheKind,
  input: Record<string, unknown>,
  options: { baseLicence?: string | null; importing?: boolean; locale?: Locale } = {},
): Promise<FicheContent> {
  const { content, problems } = checkContent(kind, input)
  const add = (field: string, message: readonly [string, string], params?: Record<string, string | number>) =>
    problems.push({ field, message, ...(params ? { params } : {}) })
  for (const field of fieldsOf(kind)) {
    const value = content[field.name]
    if (
      field.type === 'fiches' &&
      Array.isArray(value) &&
      value.length > 0 &&
      !problems.some((p) => p.field === field.name)
    ) {
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
      const byId = value.filter((v) => uuid.test(v))
      const byName = value.filter((v) => !uuid.test(v))
      const found = await findFichesByName(db, field.target!, byName)
      const known = byId.length
        ? new Set(
            (
              await db
                .select({ id: fiches.id })
                .from(fiches)
                .where(and(inArray(fiches.id, byId), eq(fiches.kind, field.target!)))
            ).map((r) => r.id),
          )
        : new Set<string>()
      const missing = [...byName.filter((n) => !found.has(n.toLowerCase())), ...byId.filter((id) => !known.has(id))]
      if (missing.length)
        add(field.name, ['fiche publiée introuvable : {value}', 'no published fiche named: {value}'], {
          value: missing.join(', '),
        })
      content[field.name] = [...new Set(value.map((v) => (uuid.test(v) ? v : (found.get(v.toLowerCase())?.id ?? v))))]
    }
    if (field.type === 'territory' && typeof value === 'string' && !problems.some((p) => p.field === field.name)) {
      const picked = await pickTerritory(db, translator(options.locale ?? 'fr'), value)
      if ('found' in picked) content[field.name] = `${picked.found.kind}/${picked.found.code}`
      else if ('choices' in picked)
        problems.push({
          field: field.name,
          message: [
            'plusieurs territoires correspondent : cochez le bon',
            'several territories match: tick the right one',
          ],
          choices: picked.choices,
        })
      else add(field.name, ['territoire inconnu : {value}', 'unknown territory: {value}'], { value })
    }
    if (field.type === 'commitment' && typeof value === 'string' && !problems.some((p) => p.field === field.name)) {
      const picked = await pickPublicCommitment(db, value)
      if ('found' in picked) content[field.name] = picked.found.id
      else if ('choices' in picked)
        problems.push({
          field: field.name,
          message: [
            'plusieurs engagements correspondent : cochez le bon',
            'several commitments match: tick the right one',
          ],
          choices: picked.choices,
        })
      else
        add(
          field.name,
          ['aucun engagement publié ne correspond à « {value} »', 'no published commitment matches “{value}”'],
          { value },
        )
    }
  }
  const licence = content.licence
  if (!options.importing && typeof licence === 'string') {
    const allowed =
      options.baseLicence && !(CONTRIBUTOR_LICENCES as readonly string[]).includes(options.baseLicence)
        ? [options.baseLicence]
        : [...CONTRIBUTOR_LICENCES]
    if (!allowed.includes(licence))
      add('licence', ['licence non permise ici : {value}', 'licence not allowed here: {value}'], {
        value: allowed.join(', '),
      })
  }
  if (problems.length > 0) throw new ContentProblems(problems)
  return content
}

// ---------------------------------------------------------------------------------------------------
// Slugs

export function slugify(title: string): string {
  const slug = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '')
  return slug || 'fiche'
}

async function freeSlug(db: Db, title: string): Promise<string> {
  const base = slugify(title)
  const taken = new Set(
    (
      await queryRows<{ slug: string }>(
        db,
        sql`select slug from referentiel_fiches where slug = ${base} or slug like ${`${base}-%`}`,
      )
    ).map((r) => r.slug),
  )
  if (!taken.has(base)) return base
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`
}

// ---------------------------------------------------------------------------------------------------
// Reading

export async function findFicheBySlug(db: Db, slug: string): Promise<FicheRow | undefined> {
  const [row] = await db.select().from(fiches).where(eq(fiches.slug, slug))
  return row
}

export async function findVersion(db: Db, id: string): Promise<(VersionRow & { fiche: FicheRow }) | undefined> {
  const [row] = await db
    .select({ version: versions, fiche: fiches })
    .from(versions)
    .innerJoin(fiches, eq(fiches.id, versions.ficheId))
    .where(eq(versions.id, id))
  return row ? { ...row.version, fiche: row.fiche } : undefined
}

export async function listVersions(
  db: Db,
  ficheId: string,
): Promise<(VersionRow & { authorName: string | null; reviewerName: string | null })[]> {
  const rows = await db.select().from(versions).where(eq(versions.ficheId, ficheId)).orderBy(desc(versions.number))
  const names = await displayNames(
    db,
    rows.flatMap((r) => [r.authorId, r.reviewerId]),
  )
  return rows.map((r) => ({
    ...r,
    authorName: r.authorId ? (names.get(r.authorId) ?? null) : null,
    reviewerName: r.reviewerId ? (names.get(r.reviewerId) ?? null) : null,
  }))
}

/** Public names of accounts (null for a deleted account). */
export async function displayNames(db: Db, ids: (string | null)[]): Promise<Map<string, string | null>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))]
  if (wanted.length === 0) return new Map()
  const rows = await db
    .select({ id: users.id, name: users.displayName, deletedAt: users.deletedAt })
    .from(users)
    .where(inArray(users.id, wanted))
  return new Map(rows.map((r) => [r.id, r.deletedAt ? null : r.name]))
}

/** May this person see this version? Published versions are public; others, their author and its moderators. */
export function canSeeVersion(user: CurrentUser | null, version: VersionRow, territoryId: string | null): boolean {
  if (version.status === 'published') return true
  if (!user) return false
  return version.authorId === user.id || canModerate(user, territoryId)
}

/** The territory a version is about (its moderators may review it), from its content. */
export async function versionTerritoryId(db: Db, content: FicheContent): Promise<string | null> {
  return typeof content.territory === 'string' ? ((await findTerritoryByRef(db, content.territory))?.id ?? null) : null
}

/** Titles and slugs of fiches by id (for links and diffs). */
export async function ficheNames(
  db: Db,
  ids: string[],
): Promise<Map<string, { slug: string; title: string; kind: string }>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .select({ id: fiches.id, slug: fiches.slug, title: fiches.title, kind: fiches.kind })
    .from(fiches)
    .where(inArray(fiches.id, [...new Set(ids)]))
  return new Map(rows.map((r) => [r.id, { slug: r.slug, title: r.title ?? r.slug, kind: r.kind }]))
}

/**
 * Adds to a fiche's names those of the territory (`territory:<kind/code>`) and public commitment
 * (`commitment:<id>`) its contents point to, so that pages name them instead of showing the raw reference.
 */
export async function addPlaceNames(
  db: Db,
  names: Map<string, { slug: string; title: string; kind: string }>,
  contents: FicheContent[],
): Promise<void> {
  for (const content of contents) {
    if (typeof content.territory === 'string' && !names.has(`territory:${content.territory}`)) {
      const territory = await findTerritoryByRef(db, content.territory)
      if (territory)
        names.set(`territory:${content.territory}`, {
          slug: content.territory,
          title: territory.name,
          kind: 'territory',
        })
    }
    if (
      typeof content.commitment === 'string' &&
      /^[0-9a-f-]{36}$/i.test(content.commitment) &&
      !names.has(`commitment:${content.commitment}`)
    ) {
      const [row] = await queryRows<{ title: string }>(
        db,
        sql`select title from public_commitments where id = ${content.commitment}`,
      )
      if (row)
        names.set(`commitment:${content.commitment}`, {
          slug: content.commitment,
          title: row.title,
          kind: 'commitment',
        })
    }
  }
}

/** Content with linked fiches named (titles) instead of ids, for forms. */
export async function contentForForm(db: Db, kind: FicheKind, content: FicheContent): Promise<Record<string, string>> {
  const ids = fieldsOf(kind).flatMap((f) =>
    f.type === 'fiches' && Array.isArray(content[f.name]) ? (content[f.name] as string[]) : [],
  )
  const names = await ficheNames(db, ids)
  const values: Record<string, string> = {}
  for (const field of fieldsOf(kind)) {
    const value = content[field.name]
    if (isEmpty(value)) continue
    if (field.type === 'fiches')
      values[field.name] = (value as string[]).map((id) => names.get(id)?.slug ?? id).join('\n')
    else if (field.type === 'territory' && typeof value === 'string') {
      const territory = await findTerritoryByRef(db, value)
      values[field.name] = territory ? `${territory.name} (${value})` : value
    } else if (field.type === 'commitment' && typeof value === 'string') {
      const picked = await pickPublicCommitment(db, value)
      values[field.name] = 'found' in picked ? `${picked.found.title} — ${picked.found.territoryName}` : value
    } else if (field.type === 'choices') values[field.name] = (value as string[]).join(',')
    else values[field.name] = Array.isArray(value) ? value.join('\n') : String(value)
  }
  return values
}

export async function myVersions(db: Db, userId: string) {
  return db
    .select({
      id: versions.id,
      number: versions.number,
      status: versions.status,
      updatedAt: versions.updatedAt,
      reviewNote: versions.reviewNote,
      slug: fiches.slug,
      kind: fiches.kind,
      title: sql<string>`${versions.content}->>'title'`,
    })
    .from(versions)
    .innerJoin(fiches, eq(fiches.id, versions.ficheId))
    .where(eq(versions.authorId, userId))
    .orderBy(desc(versions.updatedAt))
    .limit(200)
}

/** Versions waiting for review that this person may review, oldest first. */
export async function moderationQueue(db: Db, user: CurrentUser) {
  const territoryId = sql`(select t.id from public_territories t where t.kind = split_part(v.content->>'territory', '/', 1) and t.code = split_part(v.content->>'territory', '/', 2))`
  return queryRows<{
    id: string
    number: number
    slug: string
    kind: string
    title: string
    submittedAt: string
    authorName: string | null
  }>(
    db,
    sql`select v.id, v.number, f.slug, f.kind, v.content->>'title' as title, v.submitted_at as "submittedAt", a.display_name as "authorName"
        from referentiel_versions v join referentiel_fiches f on f.id = v.fiche_id left join users a on a.id = v.author_id
        where v.status = 'submitted' and ${moderationAllowed(user, territoryId)}
        order by v.submitted_at limit 500`,
  )
}

// ---------------------------------------------------------------------------------------------------
// Writing: contributors

function uniqueViolation(error: unknown): never {
  if (pgErrorCode(error) === '23505')
    throw conflict(
      'OPEN_VERSION_EXISTS',
      'Une proposition de modification de cette fiche est déjà en cours : attendez sa relecture.',
    )
  throw error
}

/** A signed-in contributor starts a new fiche: it exists as a draft, visible to its author and moderators. */
export async function createFiche(db: Db, actor: CurrentUser, kind: FicheKind, input: Record<string, unknown>) {
  const content = await resolveContent(db, kind, input, { locale: actor.locale })
  return db.transaction(async (tx) => {
    const slug = await freeSlug(tx, String(content.title))
    const [fiche] = await tx.insert(fiches).values({ kind, slug, createdBy: actor.id }).returning()
    const [version] = await tx
      .insert(versions)
      .values({ ficheId: fiche!.id, number: 1, status: 'draft', content, authorId: actor.id })
      .returning()
    await recordAudit(tx, {
      actorId: actor.id,
      action: 'fiche.drafted',
      subjectType: 'referentiel_version',
      subjectId: version!.id,
      after: { slug, kind },
    })
    return { fiche: fiche!, version: version! }
  })
}

/** Opens a proposal to change a published fiche (or returns this person's open one). */
export async function startRevision(db: Db, actor: CurrentUser, fiche: FicheRow): Promise<VersionRow> {
  const [open] = await db
    .select()
    .from(versions)
    .where(and(eq(versions.ficheId, fiche.id), inArray(versions.status, [...OPEN_STATUSES])))
  if (open) {
    if (open.authorId === actor.id) return open
    throw conflict(
      'OPEN_VERSION_EXISTS',
      'Une proposition de modification de cette fiche est déjà en cours : attendez sa relecture.',
    )
  }
  if (fiche.publishedVersion === null || !fiche.content) throw notFound()
  return db
    .transaction(async (tx) => {
      const [{ next }] = (await queryRows<{ next: number }>(
        tx,
        sql`select coalesce(max(number), 0) + 1 as next from referentiel_versions where fiche_id = ${fiche.id}`,
      )) as [{ next: number }]
      const [version] = await tx
        .insert(versions)
        .values({
          ficheId: fiche.id,
          number: Number(next),
          status: 'draft',
          content: fiche.content!,
          authorId: actor.id,
          baseNumber: fiche.publishedVersion,
        })
        .returning()
      await recordAudit(tx, {
        actorId: actor.id,
        action: 'fiche.revision_started',
        subjectType: 'referentiel_version',
        subjectId: version!.id,
        after: { slug: fiche.slug },
      })
      return version!
    })
    .catch(uniqueViolation)
}

async function baseLicenceOf(db: Db, version: VersionRow): Promise<string | null> {
  if (version.baseNumber === null) return null
  const [base] = await db
    .select({ content: versions.content })
    .from(versions)
    .where(and(eq(versions.ficheId, version.ficheId), eq(versions.number, version.baseNumber)))
  return typeof base?.content.licence === 'string' ? base.content.licence : null
}

/** The author saves a draft (and may submit it for review). Only drafts and versions sent back can change. */
export async function saveDraft(
  db: Db,
  options: { actor: CurrentUser; versionId: string; input: Record<string, unknown>; submit: boolean },
): Promise<VersionRow> {
  const { actor, versionId, input, submit } = options
  const version = await findVersion(db, versionId)
  if (!version) throw notFound()
  if (version.authorId !== actor.id) throw forbidden('Seul l’auteur de cette proposition peut la modifier.')
  if (version.status !== 'draft' && version.status !== 'changes_requested')
    throw conflict('VERSION_NOT_EDITABLE', 'Cette version n’est plus modifiable : elle a été soumise ou relue.')
  const content = await resolveContent(db, version.fiche.kind as FicheKind, input, {
    baseLicence: await baseLicenceOf(db, version),
    locale: actor.locale,
  })
  return db.transaction(async (tx) => {
    const now = new Date()
    const [updated] = await tx
      .update(versions)
      .set({ content, updatedAt: now, ...(submit ? { status: 'submitted', submittedAt: now } : {}) })
      .where(
        and(
          eq(versions.id, versionId),
          eq(versions.authorId, actor.id),
          inArray(versions.status, ['draft', 'changes_requested']),
        ),
      )
      .returning()
    if (!updated)
      throw conflict('VERSION_NOT_EDITABLE', 'Cette version n’est plus modifiable : elle a été soumise ou relue.')
    await recordAudit(tx, {
      actorId: actor.id,
      action: submit ? 'fiche.submitted' : 'fiche.draft_saved',
      subjectType: 'referentiel_version',
      subjectId: versionId,
      before: { status: version.status },
      after: { status: updated.status },
    })
    return updated
  })
}

/** The author submits a draft as it stands. */
export async function submitVersion(db: Db, actor: CurrentUser, versionId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const now = new Date()
    const [updated] = await tx
      .update(versions)
      .set({ status: 'submitted', submittedAt: now, updatedAt: now })
      .where(
        and(
          eq(versions.id, versionId),
          eq(versions.authorId, actor.id),
          inArray(versions.status, ['draft', 'changes_requested']),
        ),
      )
      .returning()
    if (!updated) throw conflict('VERSION_NOT_EDITABLE', 'Seul l’auteur d’un brouillon peut le soumettre.')
    await recordAudit(tx, {
      actorId: actor.id,
      action: 'fiche.submitted',
      subjectType: 'referentiel_version',
      subjectId: versionId,
      after: { status: 'submitted' },
    })
  })
}

/** The author drops a proposal that was never published; a fiche that was never published goes with it. */
export async function discardVersion(
  db: Db,
  actor: CurrentUser,
  versionId: string,
): Promise<{ ficheRemoved: boolean; slug: string }> {
  const version = await findVersion(db, versionId)
  if (!version) throw notFound()
  if (version.authorId !== actor.id || !OPEN_STATUSES.includes(version.status as VersionStatus))
    throw forbidden('Seul l’auteur d’une proposition en cours peut l’abandonner.')
  return db.transaction(async (tx) => {
    const removed = await tx
      .delete(versions)
      .where(
        and(eq(versions.id, versionId), eq(versions.authorId, actor.id), inArray(versions.status, [...OPEN_STATUSES])),
      )
      .returning({ id: versions.id })
    if (removed.length === 0) throw conflict('VERSION_NOT_EDITABLE', 'Cette proposition vient d’être relue.')
    const orphan = version.fiche.publishedVersion === null
    if (orphan) {
      const others = await tx
        .select({ id: versions.id })
        .from(versions)
        .where(eq(versions.ficheId, version.ficheId))
        .limit(1)
      if (others.length === 0) await tx.delete(fiches).where(eq(fiches.id, version.ficheId))
    }
    await recordAudit(tx, {
      actorId: actor.id,
      action: 'fiche.proposal_discarded',
      subjectType: 'referentiel_version',
      subjectId: versionId,
      before: { slug: version.fiche.slug, status: version.status },
    })
    return { ficheRemoved: orphan, slug: version.fiche.slug }
  })
}

// ---------------------------------------------------------------------------------------------------
// Writing: moderators

/**
 * A moderator decides on a submitted version: publish it, ask for changes, or reject it (a reason is
 * required for both). The permission is checked in the update itself.
 */
export async function decide(
  db: Db,
  options: { actor: CurrentUser; versionId: string; decision: Decision; note: string },
): Promise<VersionRow> {
  const { actor, versionId, decision, note } = options
  const version = await findVersion(db, versionId)
  if (!version) throw notFound()
  const territoryId = await versionTerritoryId(db, version.content)
  if (!canModerate(actor, territoryId)) throw forbidden('Vous ne modérez pas cette fiche.')
  if (version.status !== 'submitted') throw conflict('NOT_SUBMITTED', 'Cette version n’attend pas de relecture.')
  if (decision !== 'publish' && note.trim() === '')
    throw new AppError('REASON_REQUIRED', {
      status: 422,
      userMessage: 'Donnez la raison à l’auteur.',
      fields: { note: 'referentiel.error.reason' },
    })
  const status: VersionStatus =
    decision === 'publish' ? 'published' : decision === 'reject' ? 'rejected' : 'changes_requested'
  return db.transaction(async (tx) => {
    const now = new Date()
    const territorySql = territoryId ? sql`${territoryId}::uuid` : sql`null::uuid`
    const [updated] = await tx
      .update(versions)
      .set({
        status,
        reviewerId: actor.id,
        reviewedAt: now,
        reviewNote: note.trim() || null,
        updatedAt: now,
        ...(status === 'published' ? { publishedAt: now } : {}),
      })
      .where(and(eq(versions.id, versionId), eq(versions.status, 'submitted'), moderationAllowed(actor, territorySql)))
      .returning()
    if (!updated) throw conflict('NOT_SUBMITTED', 'Cette version vient d’être relue, ou vous ne la modérez plus.')
    if (status === 'published') await materialize(tx, version.fiche, updated)
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId,
      action: `fiche.${status}`,
      subjectType: 'referentiel_version',
      subjectId: versionId,
      before: { status: 'submitted' },
      after: { status, note: note.trim() || null, slug: version.fiche.slug },
    })
    return updated
  })
}

/** A moderator puts a published fiche forward (or stops): the inventory shows featured practices first. */
export async function setFeatured(
  db: Db,
  options: { actor: CurrentUser; fiche: FicheRow; featured: boolean },
): Promise<void> {
  const { actor, fiche, featured } = options
  const territoryId = fiche.territoryId
  if (!canModerate(actor, territoryId)) throw forbidden('Vous ne modérez pas cette fiche.')
  await db.transaction(async (tx) => {
    const territorySql = territoryId ? sql`${territoryId}::uuid` : sql`null::uuid`
    const done = await tx
      .update(fiches)
      .set({ featured })
      .where(
        and(
          eq(fiches.id, fiche.id),
          sql`${fiches.publishedVersion} is not null`,
          moderationAllowed(actor, territorySql),
        ),
      )
      .returning({ id: fiches.id })
    if (done.length === 0) throw forbidden('Vous ne modérez pas cette fiche.')
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId,
      action: featured ? 'fiche.featured' : 'fiche.unfeatured',
      subjectType: 'referentiel_fiche',
      subjectId: fiche.id,
    })
  })
}

// ---------------------------------------------------------------------------------------------------
// Publication: the fiche's columns take the published content

async function territoryFacets(
  db: Db,
  territoryRef: unknown,
): Promise<{ territoryId: string | null; name: string; departments: string[]; regions: string[] }> {
  if (typeof territoryRef !== 'string') return { territoryId: null, name: '', departments: [], regions: [] }
  const territory = await findTerritoryByRef(db, territoryRef)
  if (!territory) return { territoryId: null, name: '', departments: [], regions: [] }
  const rows = await territoryAndAncestors(db, territory.id)
  return {
    territoryId: territory.id,
    name: rows.map((r) => r.name).join(' '),
    departments: rows.filter((r) => r.kind === 'departement').map((r) => r.code),
    regions: rows.filter((r) => r.kind === 'region').map((r) => r.code),
  }
}

/** What search finds beside title, summary and body: vocabulary labels (both languages) and the other texts. */
function searchExtra(kind: FicheKind, content: FicheContent, territoryNames: string): string {
  const parts: string[] = [territoryNames]
  for (const field of fieldsOf(kind)) {
    if (
      ['title', 'summary', 'body', 'licence', 'language', 'sourceUrl', 'website', 'commitment', 'territory'].includes(
        field.name,
      ) ||
      field.type === 'fiches'
    )
      continue
    const value = content[field.name]
    if (isEmpty(value)) continue
    parts.push(displayValue(field, value, 'fr'))
    if (field.vocabulary) parts.push(displayValue(field, value, 'en'))
  }
  return parts.join('\n').slice(0, 200_000)
}

const str = (v: unknown) => (typeof v === 'string' ? v : null)
const list = (v: unknown) => (Array.isArray(v) ? (v as string[]) : [])

/** Copies a version's content into the fiche's published columns and rebuilds its links. */
export async function materialize(tx: Db, fiche: FicheRow, version: VersionRow): Promise<void> {
  const kind = fiche.kind as FicheKind
  const content = version.content
  const place = await territoryFacets(tx, content.territory)
  const now = version.publishedAt ?? new Date()
  await tx
    .update(fiches)
    .set({
      publishedVersion: version.number,
      publishedAt: now,
      firstPublishedAt: fiche.firstPublishedAt ?? now,
      title: String(content.title),
      summary: str(content.summary),
      body: str(content.body),
      content,
      subtype: kind === 'method' ? str(content.subtype) : kind === 'actor' ? str(content.actorKind) : null,
      themes: list(content.themes),
      methodTypes: list(content.methodTypes),
      iap2: str(content.iap2),
      result: str(content.result),
      institution: str(content.institution),
      institutionKind: str(content.institutionKind),
      territoryId: place.territoryId,
      departmentCodes: place.departments,
      regionCodes: place.regions,
      commitmentId: str(content.commitment),
      licence: str(content.licence),
      searchExtra: searchExtra(kind, content, place.name),
    })
    .where(eq(fiches.id, fiche.id))
  await tx.delete(links).where(eq(links.fromId, fiche.id))
  const wanted = (['uses', 'involves', 'offers'] as const).flatMap((relation) =>
    list(content[relation])
      .filter((id) => id !== fiche.id)
      .map((toId) => ({ fromId: fiche.id, toId, relation })),
  )
  if (wanted.length > 0) await tx.insert(links).values(wanted).onConflictDoNothing()
}

/** Two values of a field are the same when equal, an absent value, an empty text and an empty list being one. */
const sameValue = (a: FieldValue | undefined, b: FieldValue | undefined) =>
  JSON.stringify(isEmpty(a) ? null : a) === JSON.stringify(isEmpty(b) ? null : b)

/**
 * Publishes an imported fiche's content at once (imports are published by the network's team). A fiche already
 * imported is merged field by field with what the source said last time: a field the source changed is taken
 * unless it was edited here too — then the local edit stays and the field is listed for a moderator
 * (`referentiel_import_conflicts`); a field only edited here stays. Returns what happened and the conflicts opened.
 */
export async function publishDirectly(
  tx: Db,
  input: {
    actorId: string | null
    kind: FicheKind
    content: FicheContent
    sourceKey: string
    existing: FicheRow | undefined
  },
): Promise<{ outcome: 'created' | 'updated' | 'unchanged'; conflicts: number }> {
  let fiche = input.existing
  let content = input.content
  let conflicts = 0
  if (fiche?.content) {
    const base = fiche.sourceContent ?? fiche.content
    const local = fiche.content
    const merged: FicheContent = { ...local }
    for (const field of fieldsOf(input.kind)) {
      const [b, l, n] = [base[field.name], local[field.name], input.content[field.name]]
      if (sameValue(n, b) || sameValue(l, n)) continue // the source did not change it, or both agree
      if (sameValue(l, b)) {
        merged[field.name] = n ?? null // changed at the source only
        continue
      }
      // changed at the source and here: the local edit stays, a moderator decides
      const open = await queryRows(
        tx,
        sql`select 1 from referentiel_import_conflicts where fiche_id = ${fiche.id} and field = ${field.name} and resolved_at is null and source_value = ${JSON.stringify(n ?? null)}::jsonb`,
      )
      if (open.length === 0) {
        await tx.execute(
          sql`insert into referentiel_import_conflicts (fiche_id, field, source_value, local_value) values (${fiche.id}, ${field.name}, ${JSON.stringify(n ?? null)}::jsonb, ${JSON.stringify(l ?? null)}::jsonb)`,
        )
        conflicts++
      }
    }
    await tx.update(fiches).set({ sourceContent: input.content }).where(eq(fiches.id, fiche.id))
    if (changedFields(input.kind, local, merged).length === 0) return { outcome: 'unchanged', conflicts }
    content = merged
  }
  if (!fiche) {
    const slug = await freeSlug(tx, String(input.content.title))
    ;[fiche] = await tx
      .insert(fiches)
      .values({
        kind: input.kind,
        slug,
        sourceKey: input.sourceKey,
        createdBy: input.actorId,
        sourceContent: input.content,
      })
      .returning()
  }
  await publishVersion(tx, fiche!, content, input.actorId, 'import')
  return { outcome: input.existing ? 'updated' : 'created', conflicts }
}

/** A new published version of a fiche, written by the network (an import, a conflict decided), and its columns. */
async function publishVersion(
  tx: Db,
  fiche: FicheRow,
  content: FicheContent,
  actorId: string | null,
  note: string,
): Promise<void> {
  const now = new Date()
  const [{ next }] = (await queryRows<{ next: number }>(
    tx,
    sql`select coalesce(max(number), 0) + 1 as next from referentiel_versions where fiche_id = ${fiche.id}`,
  )) as [{ next: number }]
  const [version] = await tx
    .insert(versions)
    .values({
      ficheId: fiche.id,
      number: Number(next),
      status: 'published',
      content,
      authorId: actorId,
      reviewerId: actorId,
      reviewedAt: now,
      submittedAt: now,
      publishedAt: now,
      baseNumber: fiche.publishedVersion,
      reviewNote: note,
    })
    .returning()
  await materialize(tx, fiche, version!)
}

// ---------------------------------------------------------------------------------------------------
// Import conflicts: a field changed at the source after it was edited here

export interface ImportConflict {
  id: string
  ficheId: string
  slug: string
  title: string
  kind: FicheKind
  field: string
  sourceValue: unknown
  localValue: unknown
  createdAt: Date
}

/** The conflicts waiting for a decision, oldest first. */
export async function openImportConflicts(db: Db, limit = 200): Promise<ImportConflict[]> {
  const rows = await queryRows<ImportConflict>(
    db,
    sql`select c.id, c.fiche_id as "ficheId", f.slug, f.title, f.kind, c.field, c.source_value as "sourceValue", c.local_value as "localValue", c.created_at as "createdAt"
        from referentiel_import_conflicts c join referentiel_fiches f on f.id = c.fiche_id
        where c.resolved_at is null order by c.created_at, c.id limit ${limit}`,
  )
  return rows.map((c) => ({ ...c, createdAt: new Date(c.createdAt) }))
}

/**
 * A network moderator decides a conflict: take the source's value (a new published version with it, the other
 * fields as published) or keep the published one. Either way it is closed, once, with an audit trace.
 */
export async function resolveImportConflict(
  db: Db,
  options: { actor: CurrentUser; conflictId: string; choice: 'source' | 'local' },
): Promise<{ slug: string }> {
  const { actor, conflictId, choice } = options
  if (!canModerate(actor, null)) throw forbidden('Seuls les modérateurs du réseau tranchent les conflits d’import.')
  return db.transaction(async (tx) => {
    const [open] = await queryRows<{ ficheId: string; field: string; sourceValue: unknown }>(
      tx,
      sql`select fiche_id as "ficheId", field, source_value as "sourceValue" from referentiel_import_conflicts where id = ${conflictId} and resolved_at is null for update`,
    )
    if (!open) throw conflict('CONFLICT_RESOLVED', 'Ce conflit a déjà été tranché.')
    const [fiche] = await tx.select().from(fiches).where(eq(fiches.id, open.ficheId)).for('update')
    if (!fiche) throw notFound()
    if (choice === 'source' && fiche.content) {
      const content: FicheContent = {
        ...fiche.content,
        [open.field]: (open.sourceValue ?? null) as FicheContent[string],
      }
      if (changedFields(fiche.kind as FicheKind, fiche.content, content).length > 0)
        await publishVersion(tx, fiche, content, actor.id, 'import')
    }
    await tx.execute(
      sql`update referentiel_import_conflicts set resolved_at = now(), resolved_by = ${actor.id}, resolution = ${choice} where id = ${conflictId}`,
    )
    await recordAudit(tx, {
      actorId: actor.id,
      action: 'referentiel.conflict_resolved',
      subjectType: 'referentiel_fiche',
      subjectId: fiche.id,
      after: { field: open.field, choice },
    })
    return { slug: fiche.slug }
  })
}
