import { sql } from 'drizzle-orm'
import { setActivitySourcesHidden } from '../../platform/activity.ts'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { authorizedIn, can } from '../../platform/auth/policy.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, conflict, forbidden, notFound } from '../../platform/errors.ts'
import { queueNotice } from '../../platform/notices.ts'

export const SUBJECT_TYPES = ['contribution', 'comment', 'amendment'] as const
export type SubjectType = (typeof SUBJECT_TYPES)[number]
const TABLE = {
  contribution: sql`contributions`,
  comment: sql`contribution_comments`,
  amendment: sql`text_amendments`,
} as const

export function isSubjectType(value: unknown): value is SubjectType {
  return (SUBJECT_TYPES as readonly unknown[]).includes(value)
}

/** The public page where a reported content is shown, anchored on it. */
export async function pageOfSubject(db: Db, type: SubjectType, id: string): Promise<string> {
  const [row] = await queryRows<{ path: string }>(
    db,
    type === 'contribution'
      ? sql`select '/consultations/' || consultation_id || '#contribution-' || id as path from contributions where id = ${id}`
      : type === 'comment'
        ? sql`select '/consultations/' || k.consultation_id || '#commentaire-' || m.id as path from contribution_comments m join contributions k on k.id = m.contribution_id where m.id = ${id}`
        : sql`select '/textes/' || text_id || '#amendment-' || id as path from text_amendments where id = ${id}`,
  )
  if (!row) throw notFound()
  return row.path
}

/** A few words that let the author recognise their content in a mail. */
async function excerptOf(db: Db, type: SubjectType, id: string): Promise<string> {
  const [row] = await queryRows<{ excerpt: string }>(
    db,
    type === 'contribution'
      ? sql`select title as excerpt from contributions where id = ${id}`
      : type === 'comment'
        ? sql`select left(body, 80) as excerpt from contribution_comments where id = ${id}`
        : sql`select left(proposed_body, 80) as excerpt from text_amendments where id = ${id}`,
  )
  return row?.excerpt ?? ''
}

async function subject(db: Db, type: SubjectType, id: string) {
  const [row] = await queryRows<{ id: string; territoryId: string; authorId: string | null; hiddenAt: string | null }>(
    db,
    sql`select id, territory_id as "territoryId", author_id as "authorId", hidden_at as "hiddenAt" from ${TABLE[type]} where id = ${id}`,
  )
  if (!row) throw notFound()
  return row
}

const reasonRequired = () =>
  new AppError('INVALID', {
    status: 422,
    userMessage: 'Donnez la raison.',
    fields: { reason: 'moderation.error.reason' },
  })

/**
 * Anyone signed in reports a content, once. When `threshold` distinct people have reported it, it is hidden
 * until a moderator reviews it. Returns whether it is hidden now.
 */
export async function reportContent(
  db: Db,
  actor: CurrentUser,
  type: SubjectType,
  id: string,
  reason: string,
  threshold: number,
): Promise<boolean> {
  if (reason.trim() === '' || reason.length > 1000) throw reasonRequired()
  const target = await subject(db, type, id)
  return db.transaction(async (tx) => {
    const added = await queryRows(
      tx,
      sql`insert into content_reports (subject_type, subject_id, territory_id, reporter_id, reason) values (${type}, ${id}, ${target.territoryId}, ${actor.id}, ${reason.trim()})
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
    const hidden = await queryRows(
      tx,
      sql`update ${TABLE[type]} set hidden_at = now(), hidden_reason = ${`Masqué après ${threshold} signalements, en attente d’examen par la modération.`}, hidden_by = null
          where id = ${id} and hidden_at is null
            and (select count(*) from content_reports r where r.subject_type = ${type} and r.subject_id = ${id}) >= ${threshold}
          returning id`,
    )
    if (hidden.length > 0) await setActivitySourcesHidden(tx, [`${type}:${id}`], true)
    if (hidden.length > 0)
      await recordAudit(tx, {
        actorId: null,
        territoryId: target.territoryId,
        action: 'content.hidden_by_reports',
        subjectType: type,
        subjectId: id,
        after: { threshold },
      })
    return hidden.length > 0 || target.hiddenAt !== null
  })
}

/** A moderator of the territory hides a content with a public reason. */
export async function hideContent(
  db: Db,
  actor: CurrentUser,
  type: SubjectType,
  id: string,
  reason: string,
): Promise<void> {
  const target = await subject(db, type, id)
  if (!can(actor, 'content.moderate', target.territoryId)) throw forbidden('Vous ne modérez pas ce territoire.')
  if (reason.trim() === '' || reason.length > 1000) throw reasonRequired()
  await db.transaction(async (tx) => {
    const done = await queryRows(
      tx,
      sql`update ${TABLE[type]} set hidden_at = now(), hidden_reason = ${reason.trim()}, hidden_by = ${actor.id}
          where id = ${id} and ${authorizedIn(actor, 'content.moderate', sql`territory_id`)} returning id`,
    )
    if (done.length === 0) throw forbidden()
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
        params: { title: await excerptOf(tx, type, id), reason: reason.trim() },
        path: await pageOfSubject(tx, type, id),
      })
    }
  })
}

/** A moderator restores a hidden content; the reports it had are settled (a new report counts afresh). */
export async function restoreContent(db: Db, actor: CurrentUser, type: SubjectType, id: string): Promise<void> {
  const target = await subject(db, type, id)
  if (!can(actor, 'content.moderate', target.territoryId)) throw forbidden('Vous ne modérez pas ce territoire.')
  if (!target.hiddenAt) throw conflict('NOT_HIDDEN', 'Ce contenu n’est pas masqué.')
  await db.transaction(async (tx) => {
    const done = await queryRows(
      tx,
      sql`update ${TABLE[type]} set hidden_at = null, hidden_reason = null, hidden_by = null
          where id = ${id} and ${authorizedIn(actor, 'content.moderate', sql`territory_id`)} returning id`,
    )
    if (done.length === 0) throw forbidden()
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

/** Hides, in one action, every contribution, comment and amendment an account wrote in the territory. */
export async function hideAccountContent(
  db: Db,
  actor: CurrentUser,
  territoryId: string,
  userId: string,
  reason: string,
): Promise<number> {
  if (!can(actor, 'content.moderate', territoryId)) throw forbidden('Vous ne modérez pas ce territoire.')
  if (reason.trim() === '' || reason.length > 1000) throw reasonRequired()
  return db.transaction(async (tx) => {
    const guard = authorizedIn(actor, 'content.moderate', sql`${territoryId}::uuid`)
    const a = await queryRows<{ id: string }>(
      tx,
      sql`update contributions set hidden_at = now(), hidden_reason = ${reason.trim()}, hidden_by = ${actor.id} where territory_id = ${territoryId} and author_id = ${userId} and hidden_at is null and ${guard} returning id`,
    )
    const b = await queryRows<{ id: string }>(
      tx,
      sql`update contribution_comments set hidden_at = now(), hidden_reason = ${reason.trim()}, hidden_by = ${actor.id} where territory_id = ${territoryId} and author_id = ${userId} and hidden_at is null and ${guard} returning id`,
    )
    const c = await queryRows<{ id: string }>(
      tx,
      sql`update text_amendments set hidden_at = now(), hidden_reason = ${reason.trim()}, hidden_by = ${actor.id} where territory_id = ${territoryId} and author_id = ${userId} and hidden_at is null and ${guard} returning id`,
    )
    await setActivitySourcesHidden(
      tx,
      [
        ...a.map((r) => `contribution:${r.id}`),
        ...b.map((r) => `comment:${r.id}`),
        ...c.map((r) => `amendment:${r.id}`),
      ],
      true,
    )
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId,
      action: 'content.account_hidden',
      subjectType: 'user',
      subjectId: userId,
      after: { reason: reason.trim(), contributions: a.length, comments: b.length, amendments: c.length },
    })
    return a.length + b.length + c.length
  })
}

/** What the territory's moderators review: reported or hidden content, and the log of decisions. */
export async function moderationOverview(db: Db, territoryId: string) {
  const [items, log] = await Promise.all([
    queryRows<{
      type: SubjectType
      id: string
      text: string
      authorId: string | null
      authorName: string | null
      reports: number
      hiddenAt: string | null
      hiddenReason: string | null
      path: string
      reasons: string[] | null
    }>(
      db,
      // the reasons people gave, newest first, beside each item
      sql`select q.*, (select array_agg(r.reason order by r.created_at desc) from (select reason, created_at from content_reports r where r.subject_type = q.type and r.subject_id = q.id order by created_at desc limit 20) r) as reasons from (
          select 'contribution' as type, c.id, c.title as text, c.author_id as "authorId", u.display_name as "authorName",
            (select count(*)::int from content_reports r where r.subject_type = 'contribution' and r.subject_id = c.id) as reports,
            c.hidden_at as "hiddenAt", c.hidden_reason as "hiddenReason", '/consultations/' || c.consultation_id || '#contribution-' || c.id as path
          from contributions c left join users u on u.id = c.author_id
          where c.territory_id = ${territoryId} and (c.hidden_at is not null or exists (select 1 from content_reports r where r.subject_type = 'contribution' and r.subject_id = c.id))
          union all
          select 'comment', m.id, left(m.body, 200), m.author_id, u.display_name,
            (select count(*)::int from content_reports r where r.subject_type = 'comment' and r.subject_id = m.id),
            m.hidden_at, m.hidden_reason, '/consultations/' || k.consultation_id || '#commentaire-' || m.id
          from contribution_comments m join contributions k on k.id = m.contribution_id left join users u on u.id = m.author_id
          where m.territory_id = ${territoryId} and (m.hidden_at is not null or exists (select 1 from content_reports r where r.subject_type = 'comment' and r.subject_id = m.id))
          union all
          select 'amendment', a.id, left(a.justification, 200), a.author_id, u.display_name,
            (select count(*)::int from content_reports r where r.subject_type = 'amendment' and r.subject_id = a.id),
            a.hidden_at, a.hidden_reason, '/textes/' || a.text_id || '#amendment-' || a.id
          from text_amendments a left join users u on u.id = a.author_id
          where a.territory_id = ${territoryId} and (a.hidden_at is not null or exists (select 1 from content_reports r where r.subject_type = 'amendment' and r.subject_id = a.id))
          order by 6 desc limit 200) q`,
    ),
    queryRows<{
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
    ),
  ])
  return { items, log }
}

export type ModerationOverview = Awaited<ReturnType<typeof moderationOverview>>
