import { sql, type SQL } from 'drizzle-orm'
import { setActivitySourcesHidden } from '../../platform/activity.ts'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { authorizedIn, can } from '../../platform/auth/policy.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, conflict, forbidden, notFound } from '../../platform/errors.ts'
import type { ModeratedItem, ModeratedSource } from '../../platform/moderation.ts'
import { queueNotice } from '../../platform/notices.ts'
import type { ResourceRegistry } from '../../platform/resources.ts'

/** The source of a type of content, or 404 for a type nobody moderates. */
function sourceOf(resources: ResourceRegistry, type: string): ModeratedSource {
  const source = resources.moderated(type)
  if (!source) throw notFound()
  return source
}

async function itemOf(db: Db, resources: ResourceRegistry, type: string, id: string): Promise<ModeratedItem> {
  const item = await sourceOf(resources, type).find(db, id)
  if (!item) throw notFound()
  return item
}

/** The public page where a reported content is shown, anchored on it. */
export async function pageOfContent(db: Db, resources: ResourceRegistry, type: string, id: string): Promise<string> {
  return (await itemOf(db, resources, type, id)).path
}

const reasonRequired = () =>
  new AppError('INVALID', {
    status: 422,
    userMessage: 'Donnez la raison.',
    fields: { reason: 'moderation.error.reason' },
  })
const checkReason = (reason: string) => {
  if (reason.trim() === '' || reason.length > 1000) throw reasonRequired()
}
const moderates = (actor: CurrentUser) => (territory: SQL) => authorizedIn(actor, 'content.moderate', territory)

/**
 * Anyone signed in reports a content, once. When `threshold` distinct people have reported it, it is hidden
 * until a moderator reviews it. Returns whether it is hidden now.
 */
export async function reportContent(
  db: Db,
  {
    resources,
    actor,
    ...report
  }: { resources: ResourceRegistry; actor: CurrentUser; type: string; id: string; reason: string; threshold: number },
): Promise<boolean> {
  const { type, id, reason, threshold } = report
  checkReason(reason)
  const source = sourceOf(resources, type)
  const target = await itemOf(db, resources, type, id)
  return db.transaction(async (tx) => {
    const added = await queryRows(
      tx,
      sql`insert into content_reports (subject_type, subject_id, territory_id, reporter_id, reason)
          values (${type}, ${id}, ${target.territoryId}, ${actor.id}, ${reason.trim()})
          on conflict do nothing returning reporter_id`,
    )
    if (added.length === 0) return target.hiddenAt !== null
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: target.territoryId,
      action: 'content.reported',
      subjectType: type,
      subjectId: id,
      after: { reason: reason.trim() },
    })
    const [{ reports } = { reports: 0 }] = await queryRows<{ reports: number }>(
      tx,
      sql`select count(*)::int as reports from content_reports where subject_type = ${type} and subject_id = ${id}`,
    )
    if (target.hiddenAt !== null || reports < threshold) return target.hiddenAt !== null
    const hidden = await source.setHidden(
      tx,
      id,
      { reason: `Masqué après ${threshold} signalements, en attente d’examen par la modération.`, by: null },
      () => sql`true`,
    )
    if (hidden) {
      await setActivitySourcesHidden(tx, [`${type}:${id}`], true)
      await recordAudit(tx, {
        actorId: null,
        territoryId: target.territoryId,
        action: 'content.hidden_by_reports',
        subjectType: type,
        subjectId: id,
        after: { threshold },
      })
    }
    return true
  })
}

/** A moderator of the territory hides a content with a public reason; its author is told why. */
export async function hideContent(
  db: Db,
  {
    resources,
    actor,
    ...hiding
  }: { resources: ResourceRegistry; actor: CurrentUser; type: string; id: string; reason: string },
): Promise<void> {
  const { type, id, reason } = hiding
  const source = sourceOf(resources, type)
  const target = await itemOf(db, resources, type, id)
  if (!can(actor, 'content.moderate', target.territoryId)) throw forbidden('Vous ne modérez pas ce territoire.')
  checkReason(reason)
  await db.transaction(async (tx) => {
    if (!(await source.setHidden(tx, id, { reason: reason.trim(), by: actor.id }, moderates(actor)))) throw forbidden()
    await setActivitySourcesHidden(tx, [`${type}:${id}`], true)
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: target.territoryId,
      action: 'content.hidden',
      subjectType: type,
      subjectId: id,
      after: { reason: reason.trim() },
    })
    if (target.authorId && target.authorId !== actor.id) {
      await queueNotice(tx, {
        userId: target.authorId,
        subject: 'notice.moderation.hidden.subject',
        body: 'notice.moderation.hidden.body',
        params: { title: target.text.slice(0, 80), reason: reason.trim() },
        path: target.path,
      })
    }
  })
}

/** A moderator restores a hidden content; the reports it had are settled (a new report counts afresh). */
export async function restoreContent(
  db: Db,
  { resources, actor, ...content }: { resources: ResourceRegistry; actor: CurrentUser; type: string; id: string },
): Promise<void> {
  const { type, id } = content
  const source = sourceOf(resources, type)
  const target = await itemOf(db, resources, type, id)
  if (!can(actor, 'content.moderate', target.territoryId)) throw forbidden('Vous ne modérez pas ce territoire.')
  if (!target.hiddenAt) throw conflict('NOT_HIDDEN', 'Ce contenu n’est pas masqué.')
  await db.transaction(async (tx) => {
    if (!(await source.setHidden(tx, id, null, moderates(actor)))) throw forbidden()
    await setActivitySourcesHidden(tx, [`${type}:${id}`], false)
    await tx.execute(sql`delete from content_reports where subject_type = ${type} and subject_id = ${id}`)
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: target.territoryId,
      action: 'content.restored',
      subjectType: type,
      subjectId: id,
    })
  })
}

/** Hides, in one action, every content of every moderated type an account wrote in the territory. */
export async function hideAccountContent(
  db: Db,
  {
    resources,
    actor,
    ...hiding
  }: { resources: ResourceRegistry; actor: CurrentUser; territoryId: string; userId: string; reason: string },
): Promise<number> {
  const { territoryId, userId, reason } = hiding
  if (!can(actor, 'content.moderate', territoryId)) throw forbidden('Vous ne modérez pas ce territoire.')
  checkReason(reason)
  return db.transaction(async (tx) => {
    const counts: Record<string, number> = {}
    let total = 0
    for (const type of resources.moderatedTypes()) {
      const ids = await sourceOf(resources, type).hideByAuthor(
        tx,
        territoryId,
        userId,
        { reason: reason.trim(), by: actor.id },
        moderates(actor),
      )
      await setActivitySourcesHidden(
        tx,
        ids.map((id) => `${type}:${id}`),
        true,
      )
      counts[`${type}s`] = ids.length
      total += ids.length
    }
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId,
      action: 'content.account_hidden',
      subjectType: 'user',
      subjectId: userId,
      after: { reason: reason.trim(), ...counts },
    })
    return total
  })
}

export type ReviewItem = ModeratedItem & { reports: number; reasons: string[] }

/** What the territory's moderators review: reported or hidden content, most reported first, and the log. */
export async function moderationOverview(db: Db, resources: ResourceRegistry, territoryId: string) {
  const reported = await queryRows<{ type: string; id: string; reports: number; reasons: string[] }>(
    db,
    // the reasons people gave, newest first (20 at most), beside each item
    sql`select subject_type as type, subject_id as id, count(*)::int as reports,
          (array_agg(reason order by created_at desc))[1:20] as reasons
        from content_reports where territory_id = ${territoryId} group by subject_type, subject_id`,
  )
  const byKey = new Map(reported.map((r) => [`${r.type}:${r.id}`, r]))
  const lists = await Promise.all(
    resources.moderatedTypes().map((type) =>
      sourceOf(resources, type).forReview(
        db,
        territoryId,
        reported.filter((r) => r.type === type).map((r) => r.id),
      ),
    ),
  )
  const items: ReviewItem[] = lists
    .flat()
    .map((item) => {
      const report = byKey.get(`${item.type}:${item.id}`)
      return { ...item, reports: report?.reports ?? 0, reasons: report?.reasons ?? [] }
    })
    .sort((a, b) => b.reports - a.reports)
    .slice(0, 200)
  const log = await queryRows<{
    action: string
    subjectType: string
    subjectId: string
    at: string
    actorName: string | null
    after: unknown
  }>(
    db,
    sql`select e.action, e.subject_type as "subjectType", e.subject_id as "subjectId", e.at, u.display_name as "actorName", e.after
        from audit_events e left join users u on u.id = e.actor_id
        where e.territory_id = ${territoryId} and e.action like 'content.%' order by e.at desc limit 100`,
  )
  return { items, log }
}

export type ModerationOverview = Awaited<ReturnType<typeof moderationOverview>>
