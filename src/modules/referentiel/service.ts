import { and, eq, inArray, sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { pgErrorCode, queryRows, textArray, type Db } from '../../platform/db/index.ts'
import { AppError, conflict, forbidden, notFound } from '../../platform/errors.ts'
import { translator, type Locale } from '../../platform/i18n/index.ts'
import { pickPublicCommitment } from '../plans/index.ts'
import { pickTerritory } from '../territories/index.ts'
import { fieldsOf, type FicheKind } from './fields.ts'
import { checkContent, problemText, type FicheContent, type FieldProblem } from './content.ts'
import { fiches, versions, type FicheRow, type VersionRow } from './tables.ts'
import { CONTRIBUTOR_LICENCES } from './vocabularies.ts'
import { findVersion } from './queries.ts'
import { type VersionStatus, OPEN_STATUSES } from './policy.ts'
import { freeSlug } from './slugs.ts'

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

function uniqueViolation(error: unknown): never {
  if (pgErrorCode(error) === '23505')
    throw conflict(
      'OPEN_VERSION_EXISTS',
      'Une proposition de modification de cette fiche est déjà en cours : attendez sa relecture.',
    )
  throw error
}

/** A signed-in contributor starts a new fiche: it exists as a draft, visible to its author and moderators. */
export async function createFiche(
  db: Db,
  { actor, kind, input }: { actor: CurrentUser; kind: FicheKind; input: Record<string, unknown> },
) {
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
