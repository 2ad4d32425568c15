import { sql } from 'drizzle-orm'
import { recordActivity } from '../../platform/activity.ts'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { authorizedIn, can } from '../../platform/auth/policy.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.ts'
import { queueNotice } from '../../platform/notices.ts'

export interface QuestionRow {
  id: string
  territoryId: string
  authorId: string | null
  addresseeId: string | null
  title: string
  body: string
  status: 'pending' | 'published' | 'rejected' | 'answered'
  rejectionReason: string | null
  publishedAt: string | null
  answer: string | null
  answeredAt: string | null
  supportCount: number
  createdAt: string
  authorName: string | null
  addresseeName: string | null
  answeredByName: string | null
}

const COLUMNS = sql`q.id, q.territory_id as "territoryId", q.author_id as "authorId", q.addressee_id as "addresseeId", q.title, q.body, q.status,
  q.rejection_reason as "rejectionReason", q.published_at as "publishedAt", q.answer, q.answered_at as "answeredAt", q.support_count as "supportCount",
  q.created_at as "createdAt", case when a.deleted_at is null then a.display_name end as "authorName", d.display_name as "addresseeName",
  r.display_name as "answeredByName"`
const FROM = sql`official_questions q left join users a on a.id = q.author_id left join users d on d.id = q.addressee_id left join users r on r.id = q.answered_by`

/** The territory's elected officials, whom citizens may question by name. */
export async function electedOfficials(db: Db, territoryId: string) {
  return queryRows<{ id: string; name: string }>(
    db,
    sql`select u.id, u.display_name as name from territory_roles r join users u on u.id = r.user_id
        where r.territory_id = ${territoryId} and r.role = 'elected' and u.deleted_at is null order by u.display_name`,
  )
}

export interface AskQuestion {
  actor: CurrentUser
  territoryId: string
  input: { addresseeId: string | null; title: string; body: string }
}

export async function askQuestion(db: Db, options: AskQuestion): Promise<string> {
  const { actor, territoryId, input } = options
  const errors: Record<string, string> = {}
  if (input.title.trim().length < 3 || input.title.length > 200) errors.title = 'consult.error.title'
  if (input.body.trim().length < 1 || input.body.length > 5000) errors.body = 'question.error.body'
  if (input.addresseeId && !(await electedOfficials(db, territoryId)).some((o) => o.id === input.addresseeId))
    errors.addresseeId = 'question.error.addressee'
  if (Object.keys(errors).length > 0) throw invalid(errors)
  return db.transaction(async (tx) => {
    const [row] = await queryRows<{ id: string }>(
      tx,
      sql`insert into official_questions (territory_id, author_id, addressee_id, title, body) values (${territoryId}, ${actor.id}, ${input.addresseeId}, ${input.title.trim()}, ${input.body.trim()}) returning id`,
    )
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId,
      action: 'question.asked',
      subjectType: 'official_question',
      subjectId: row!.id,
      after: input,
    })
    return row!.id
  })
}

export async function findQuestion(db: Db, id: string): Promise<QuestionRow> {
  const [row] = await queryRows<QuestionRow>(db, sql`select ${COLUMNS} from ${FROM} where q.id = ${id}`)
  if (!row) throw notFound()
  return row
}

/** Published questions for everyone; pending and rejected ones for their author and the territory's moderators. */
export function canSeeQuestion(user: CurrentUser | null, q: QuestionRow): boolean {
  if (q.status === 'published' || q.status === 'answered') return true
  return !!user && (user.id === q.authorId || can(user, 'question.moderate', q.territoryId))
}

export async function listQuestions(
  db: Db,
  territoryId: string,
  user: CurrentUser | null,
): Promise<{ public: QuestionRow[]; pending: QuestionRow[]; mine: QuestionRow[] }> {
  const all = await queryRows<QuestionRow>(
    db,
    sql`select ${COLUMNS} from ${FROM} where q.territory_id = ${territoryId} order by coalesce(q.published_at, q.created_at) desc limit 500`,
  )
  const moderator = can(user, 'question.moderate', territoryId)
  return {
    public: all.filter((q) => q.status === 'published' || q.status === 'answered'),
    pending: moderator ? all.filter((q) => q.status === 'pending') : [],
    mine: user ? all.filter((q) => q.authorId === user.id && (q.status === 'pending' || q.status === 'rejected')) : [],
  }
}

/** A moderator of the territory publishes a question, or rejects it with a reason shown to its author. */
export interface ModerateQuestion {
  actor: CurrentUser
  questionId: string
  decision: 'publish' | 'reject'
  /** why it is refused (required then), shown to its author */
  reason: string
}

export async function moderateQuestion(db: Db, options: ModerateQuestion): Promise<void> {
  const { actor, questionId: id, decision, reason } = options
  const q = await findQuestion(db, id)
  if (!can(actor, 'question.moderate', q.territoryId)) throw forbidden('Vous ne modérez pas ce territoire.')
  if (decision === 'reject' && reason.trim() === '') throw invalid({ reason: 'question.error.reason' })
  await db.transaction(async (tx) => {
    const done = await queryRows<{ id: string }>(
      tx,
      sql`update official_questions set status = ${decision === 'publish' ? 'published' : 'rejected'}, moderated_by = ${actor.id}, moderated_at = now(),
            published_at = ${decision === 'publish' ? sql`now()` : sql`null`}, rejection_reason = ${decision === 'reject' ? reason.trim() : null}
          where id = ${id} and status = 'pending' and ${authorizedIn(actor, 'question.moderate', sql`territory_id`)}
          returning id`,
    )
    if (done.length === 0) throw conflict('NOT_PENDING', 'Cette question a déjà été modérée.')
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: q.territoryId,
      action: `question.${decision === 'publish' ? 'published' : 'rejected'}`,
      subjectType: 'official_question',
      subjectId: id,
      after: { reason: reason.trim() || null },
    })
    if (decision === 'publish')
      await recordActivity(tx, {
        territoryId: q.territoryId,
        territoryWide: true,
        subjects: {},
        kind: 'question.published',
        title: q.title,
        path: `/questions/${id}`,
        actorId: actor.id,
      })
    if (q.authorId) {
      await queueNotice(
        tx,
        decision === 'publish'
          ? {
              userId: q.authorId,
              subject: 'notice.question.published.subject',
              body: 'notice.question.published.body',
              params: { title: q.title },
              path: `/questions/${id}`,
            }
          : {
              userId: q.authorId,
              subject: 'notice.question.rejected.subject',
              body: 'notice.question.rejected.body',
              params: { title: q.title, reason: reason.trim() },
              path: `/questions/${id}`,
            },
      )
    }
  })
}

/** Supports a published, unanswered question once per person (the primary key sees to it), or withdraws it. */
export async function supportQuestion(
  db: Db,
  options: { actor: CurrentUser; questionId: string; supported: boolean },
): Promise<void> {
  const { actor, questionId: id, supported } = options
  const q = await findQuestion(db, id)
  if (q.status !== 'published') throw conflict('NOT_OPEN', 'On soutient une question publiée qui attend sa réponse.')
  await db.transaction(async (tx) => {
    const changed = supported
      ? await queryRows(
          tx,
          sql`insert into question_supports (question_id, user_id, territory_id) values (${id}, ${actor.id}, ${q.territoryId}) on conflict do nothing returning user_id`,
        )
      : await queryRows(
          tx,
          sql`delete from question_supports where question_id = ${id} and user_id = ${actor.id} returning user_id`,
        )
    if (changed.length > 0) {
      await tx.execute(
        sql`update official_questions set support_count = support_count + ${supported ? 1 : -1} where id = ${id}`,
      )
      await recordAudit(tx, {
        actorId: actor.id,
        territoryId: q.territoryId,
        action: supported ? 'question.supported' : 'question.unsupported',
        subjectType: 'official_question',
        subjectId: id,
      })
    }
  })
}

/**
 * Who answers: the named addressee, or for a question to the executive any elected official of the
 * territory — an elected role itself, which the network's team does not stand in for.
 */
export function canAnswerQuestion(
  user: CurrentUser | null,
  q: Pick<QuestionRow, 'addresseeId' | 'territoryId'>,
): boolean {
  if (!user) return false
  const elected = user.roles.some((r) => r.territoryId === q.territoryId && r.role === 'elected')
  return elected && (!q.addresseeId || q.addresseeId === user.id)
}

/** The official answers in public (checked again in the update). */
export async function answerQuestion(
  db: Db,
  options: { actor: CurrentUser; questionId: string; answer: string },
): Promise<void> {
  const { actor, questionId: id, answer } = options
  const q = await findQuestion(db, id)
  if (!canAnswerQuestion(actor, q))
    throw forbidden(
      q.addresseeId
        ? 'Seul l’élu interrogé répond à cette question.'
        : 'Seuls les élus du territoire répondent au nom de l’exécutif.',
    )
  if (q.status !== 'published') throw conflict('NOT_OPEN', 'Cette question n’attend pas de réponse.')
  if (answer.trim() === '' || answer.length > 10000) throw invalid({ answer: 'question.error.answer' })
  await db.transaction(async (tx) => {
    const done = await queryRows<{ id: string }>(
      tx,
      sql`update official_questions set status = 'answered', answer = ${answer.trim()}, answered_by = ${actor.id}, answered_at = now()
          where id = ${id} and status = 'published' and (addressee_id is null or addressee_id = ${actor.id})
            and exists (select 1 from territory_roles r where r.territory_id = official_questions.territory_id and r.user_id = ${actor.id} and r.role = 'elected')
          returning id`,
    )
    if (done.length === 0) throw conflict('NOT_OPEN', 'Cette question vient de recevoir sa réponse.')
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: q.territoryId,
      action: 'question.answered',
      subjectType: 'official_question',
      subjectId: id,
      after: { answer: answer.trim() },
    })
    await recordActivity(tx, {
      territoryId: q.territoryId,
      territoryWide: true,
      subjects: {},
      kind: 'question.answered',
      title: q.title,
      path: `/questions/${id}`,
      actorId: actor.id,
    })
    if (q.authorId)
      await queueNotice(tx, {
        userId: q.authorId,
        subject: 'notice.question.answered.subject',
        body: 'notice.question.answered.body',
        params: { title: q.title, answer: answer.trim() },
        path: `/questions/${id}`,
      })
  })
}

export async function supportsOf(db: Db, userId: string, territoryId: string): Promise<Set<string>> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select question_id as id from question_supports where user_id = ${userId} and territory_id = ${territoryId}`,
  )
  return new Set(rows.map((r) => r.id))
}

export interface OfficialStats {
  addresseeId: string | null
  name: string | null
  answered: number
  waiting: number
  /** median days from publication to answer */
  medianDays: number | null
}

/** Per official (and for the executive): questions answered, waiting, and the median time to answer. */
export async function questionStats(db: Db, territoryId: string): Promise<OfficialStats[]> {
  const rows = await queryRows<OfficialStats>(
    db,
    sql`select q.addressee_id as "addresseeId", d.display_name as name,
          (count(*) filter (where q.status = 'answered'))::int as answered,
          (count(*) filter (where q.status = 'published'))::int as waiting,
          percentile_cont(0.5) within group (order by extract(epoch from (q.answered_at - q.published_at)) / 86400)
            filter (where q.status = 'answered') as "medianDays"
        from official_questions q left join users d on d.id = q.addressee_id
        where q.territory_id = ${territoryId} and q.status in ('published', 'answered')
        group by q.addressee_id, d.display_name order by d.display_name nulls first`,
  )
  return rows.map((r) => ({ ...r, medianDays: r.medianDays === null ? null : Number(r.medianDays) }))
}

/** A territory's published and answered questions, newest first, with the official each is addressed to. */
export async function publishedQuestions(db: Db, territoryId: string) {
  return queryRows<{
    id: string
    title: string
    body: string
    addressee: string | null
    status: 'published' | 'answered'
    supports: number
    publishedAt: string
    answer: string | null
    answeredAt: string | null
  }>(
    db,
    sql`select q.id, q.title, q.body, d.display_name as addressee, q.status, q.support_count as supports,
          q.published_at as "publishedAt", q.answer, q.answered_at as "answeredAt"
        from official_questions q left join users d on d.id = q.addressee_id
        where q.territory_id = ${territoryId} and q.status in ('published', 'answered') order by q.published_at desc`,
  )
}
