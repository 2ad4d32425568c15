/** Moderators' decisions and publication: the fiche's columns take the published content. */
import { and, eq, sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, conflict, forbidden, notFound } from '../../platform/errors.ts'
import { findTerritoryByRef, territoryAndAncestors } from '../territories/index.ts'
import { fieldsOf, type FicheKind } from './fields.ts'
import { changedFields, displayValue, isEmpty, type FicheContent, type FieldValue } from './content.ts'
import { fiches, links, versions, type FicheRow, type VersionRow } from './tables.ts'
import { findVersion, versionTerritoryId } from './queries.ts'

import { freeSlug } from './slugs.ts'
import { type VersionStatus, type Decision, canModerate, moderationAllowed } from './policy.ts'
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
  await publishVersion(tx, { fiche: fiche!, content, actorId: input.actorId, note: 'import' })
  return { outcome: input.existing ? 'updated' : 'created', conflicts }
}

/** A new published version of a fiche, written by the network (an import, a conflict decided), and its columns. */
export async function publishVersion(
  tx: Db,
  { fiche, content, actorId, note }: { fiche: FicheRow; content: FicheContent; actorId: string | null; note: string },
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
