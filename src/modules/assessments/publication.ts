/** A finished report: sent to the territory for its reply, published, corrected by errata. */
import { and, eq, sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import { can } from '../../platform/auth/policy.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { findPlan } from '../plans/index.ts'
import { assessmentErrata, assessments } from './tables.ts'
import { enqueueJob, type JobHandler } from '../../platform/jobs.ts'
import { queueNotice, type Notice } from '../../platform/notices.ts'
import { reviewerOf, assertReviewer } from './reviewers.ts'
import { findAssessment } from './queries.ts'

// ---------------------------------------------------------------------------------------------------
// Reviewers

import { onDraft } from './service.ts'
/** A report sent before it is complete: the commitments not rated yet, and whether the co-creation is. */
export class IncompleteAssessment extends AppError {
  constructor(
    readonly unrated: string[],
    readonly cocreationMissing: boolean,
  ) {
    super('INCOMPLETE', {
      status: 409,
      userMessage: [
        unrated.length > 0 ? `Engagements pas encore évalués : ${unrated.join(' ; ')}.` : '',
        cocreationMissing ? 'La co-création du plan n’est pas encore appréciée.' : '',
      ]
        .filter(Boolean)
        .join(' '),
    })
  }
}

/** The reviewer sends a complete draft to the territory, which has a fixed period to reply. */
export async function sendForReply(
  db: Db,
  options: { actor: CurrentUser; assessmentId: string; replyDays: number; today: string },
): Promise<void> {
  const { actor, assessmentId, replyDays, today } = options
  await onDraft(db, actor, assessmentId, async (tx, assessment) => {
    const missing = await queryRows<{ title: string }>(
      tx,
      sql`select c.title from public_commitments c
          left join commitment_assessments ca on ca.commitment_id = c.id and ca.assessment_id = ${assessmentId}
          where c.plan_id = ${assessment.planId}
            and (ca.commitment_id is null or ${assessment.moment === 'inception' ? sql`ca.verifiable is null` : sql`ca.completion is null`})
          order by c.position, c.title`,
    )
    const cocreationMissing = assessment.moment === 'inception' && !assessment.cocreationLevel
    if (missing.length > 0 || cocreationMissing)
      throw new IncompleteAssessment(
        missing.map((m) => m.title),
        cocreationMissing,
      )
    const due = new Date(`${today}T12:00:00Z`)
    due.setUTCDate(due.getUTCDate() + replyDays)
    await tx
      .update(assessments)
      .set({ status: 'right_of_reply', sentAt: new Date(), replyDue: due.toISOString().slice(0, 10) })
      .where(eq(assessments.id, assessmentId))
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assessment.territoryId,
      action: 'assessment.sent_for_reply',
      subjectType: 'assessment',
      subjectId: assessmentId,
      after: { replyDue: due.toISOString().slice(0, 10) },
    })
    const replyDue = due.toISOString().slice(0, 10)
    const plan = await findPlan(tx, assessment.planId)
    await noticeTerritory(tx, assessment.territoryId, {
      subject: 'notice.assessment.sent.subject',
      body: 'notice.assessment.sent.body',
      params: { plan: plan.title },
      days: { due: replyDue },
      path: `/plans/${assessment.planId}/evaluation`,
    })
    // three days before the end of the period (at 9:00 in Paris, roughly), unless the territory has replied by then
    const remindOn = new Date(`${replyDue}T08:00:00Z`)
    remindOn.setUTCDate(remindOn.getUTCDate() - 3)
    await enqueueJob(tx, {
      kind: REPLY_REMINDER_JOB,
      payload: { assessmentId },
      runAt: remindOn,
      uniqueKey: `assessment-reply-reminder:${assessmentId}`,
    })
  })
}

/** Mail to the territory's editors and elected officials (those who may reply). */
async function noticeTerritory(tx: Db, territoryId: string, notice: Omit<Notice, 'userId'>): Promise<void> {
  const people = await queryRows<{ user_id: string }>(
    tx,
    sql`select distinct user_id from territory_roles where territory_id = ${territoryId} and role in ('editor', 'elected')`,
  )
  for (const p of people) await queueNotice(tx, { ...notice, userId: p.user_id })
}

export const REPLY_REMINDER_JOB = 'assessment.reply-reminder'

/** The reminder three days before the end of the right of reply: sent only if the report still waits for a reply. */
export function assessmentJobHandlers(deps: { db: Db }): Record<string, JobHandler> {
  return {
    [REPLY_REMINDER_JOB]: async (payload) => {
      const [waiting] = await queryRows<{ territoryId: string; planId: string; title: string; due: string }>(
        deps.db,
        sql`select a.territory_id as "territoryId", a.plan_id as "planId", p.title, a.reply_due::text as due from assessments a join public_action_plans p on p.id = a.plan_id
            where a.id = ${String(payload.assessmentId)} and a.status = 'right_of_reply' and a.territory_reply is null`,
      )
      if (!waiting) return
      await deps.db.transaction((tx) =>
        noticeTerritory(tx, waiting.territoryId, {
          subject: 'notice.assessment.dueSoon.subject',
          body: 'notice.assessment.dueSoon.body',
          params: { plan: waiting.title },
          days: { due: waiting.due },
          path: `/plans/${waiting.planId}/evaluation`,
        }),
      )
    },
  }
}

/** The territory (its staff or elected officials) replies, once, within the period. */
export async function replyToAssessment(
  db: Db,
  options: { actor: CurrentUser; assessmentId: string; text: string; today: string },
): Promise<void> {
  const { actor, assessmentId, text, today } = options
  const assessment = await findAssessment(db, assessmentId)
  if (!can(actor, 'plan.edit', assessment.territoryId))
    throw forbidden('Seuls les agents et élus du territoire répondent à son évaluation.')
  if (assessment.status !== 'right_of_reply')
    throw conflict('NOT_IN_REPLY', 'Ce rapport n’attend pas de réponse du territoire.')
  if (assessment.territoryReply !== null) throw conflict('ALREADY_REPLIED', 'Le territoire a déjà répondu.')
  if (assessment.replyDue && today > assessment.replyDue)
    throw conflict('REPLY_LATE', `Le délai de réponse a pris fin le ${assessment.replyDue}.`)
  if (text.trim() === '') throw unprocessable('REPLY_REQUIRED', 'La réponse est vide.', { reply: 'assess.error.reply' })
  await db.transaction(async (tx) => {
    const done = await tx
      .update(assessments)
      .set({ territoryReply: text.trim(), replyBy: actor.id, repliedAt: new Date(), updatedAt: new Date() })
      .where(
        and(
          eq(assessments.id, assessmentId),
          eq(assessments.status, 'right_of_reply'),
          sql`${assessments.territoryReply} is null`,
          sql`(exists (select 1 from users u where u.id = ${actor.id} and u.is_platform_admin and u.deleted_at is null)
            or exists (select 1 from territory_roles r where r.territory_id = ${assessments.territoryId} and r.user_id = ${actor.id} and r.role in ('editor', 'elected')))`,
        ),
      )
      .returning({ id: assessments.id })
    if (done.length === 0) throw conflict('ALREADY_REPLIED', 'Le territoire a déjà répondu.')
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assessment.territoryId,
      action: 'assessment.replied',
      subjectType: 'assessment',
      subjectId: assessmentId,
    })
  })
}

/** The reviewer publishes: once the territory replied, or once its period is over. Final from then on. */
export async function publishAssessment(
  db: Db,
  options: { actor: CurrentUser; assessmentId: string; today: string },
): Promise<void> {
  const { actor, assessmentId, today } = options
  const assessment = await findAssessment(db, assessmentId)
  await assertReviewer(db, actor, assessment.planId)
  if (assessment.status !== 'right_of_reply')
    throw conflict('NOT_IN_REPLY', 'Un rapport se publie après la période de réponse du territoire.')
  if (assessment.territoryReply === null && assessment.replyDue && today <= assessment.replyDue) {
    throw conflict(
      'REPLY_PERIOD_RUNNING',
      `Le territoire peut répondre jusqu’au ${assessment.replyDue} : publiez après cette date, ou après sa réponse.`,
    )
  }
  await db.transaction(async (tx) => {
    const done = await tx
      .update(assessments)
      .set({ status: 'published', publishedAt: new Date(), publishedBy: actor.id, updatedAt: new Date() })
      .where(
        and(
          eq(assessments.id, assessmentId),
          eq(assessments.status, 'right_of_reply'),
          reviewerOf(actor, sql`${assessments.planId}`),
        ),
      )
      .returning({ id: assessments.id })
    if (done.length === 0) throw conflict('NOT_IN_REPLY', 'Ce rapport vient de changer.')
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assessment.territoryId,
      action: 'assessment.published',
      subjectType: 'assessment',
      subjectId: assessmentId,
    })
  })
}

/** A dated, visible erratum on a published report (its reviewers or the network's team). */
export async function addErratum(
  db: Db,
  options: { actor: CurrentUser; assessmentId: string; input: { text: string; commitmentId: string | null } },
): Promise<void> {
  const { actor, assessmentId, input } = options
  const assessment = await findAssessment(db, assessmentId)
  if (!actor.isPlatformAdmin) await assertReviewer(db, actor, assessment.planId)
  if (assessment.status !== 'published')
    throw conflict('NOT_PUBLISHED', 'Un brouillon se corrige directement ; l’erratum est pour un rapport publié.')
  if (input.text.trim() === '' || input.text.length > 5000)
    throw unprocessable('ERRATUM_REQUIRED', 'Écrivez l’erratum (5 000 caractères au plus).', {
      text: 'assess.error.erratum',
    })
  if (input.commitmentId) {
    const [ok] = await queryRows<{ id: string }>(
      db,
      sql`select id from public_commitments where id = ${input.commitmentId} and plan_id = ${assessment.planId}`,
    )
    if (!ok) throw notFound()
  }
  await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(assessmentErrata)
      .values({
        assessmentId,
        territoryId: assessment.territoryId,
        commitmentId: input.commitmentId,
        text: input.text.trim(),
        authorId: actor.id,
      })
      .returning()
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assessment.territoryId,
      action: 'assessment.erratum',
      subjectType: 'assessment',
      subjectId: assessmentId,
      after: { erratumId: row!.id, text: row!.text },
    })
  })
}

// ---------------------------------------------------------------------------------------------------
// Network-wide figures
