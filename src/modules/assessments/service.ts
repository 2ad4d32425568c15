import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import { can } from '../../platform/auth/policy.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { findPlan, type PlanRow } from '../plans/index.ts'
import { COMPLETION, DIOG, DIOG_PER_VALUE, OGP_VALUES, POTENTIAL_IMPACT, type Moment } from './scales.ts'
import {
  assessmentErrata,
  assessments,
  commitmentAssessments,
  planReviewers,
  type AssessmentRow,
  type Relevance,
} from './tables.ts'
import { enqueueJob, type JobHandler } from '../../platform/jobs.ts'
import { queueNotice, type Notice } from '../../platform/notices.ts'

// ---------------------------------------------------------------------------------------------------
// Reviewers

/** The person's active appointment on this plan, if any. */
export async function findAppointment(db: Db, planId: string, userId: string) {
  const [row] = await db
    .select()
    .from(planReviewers)
    .where(and(eq(planReviewers.planId, planId), eq(planReviewers.userId, userId), isNull(planReviewers.revokedAt)))
  return row
}

export async function listReviewers(db: Db, planId: string) {
  return queryRows<{
    userId: string
    displayName: string | null
    email: string | null
    appointedAt: string
    conflictsDeclaredAt: string | null
    hasConflict: boolean | null
    conflictsStatement: string
  }>(
    db,
    sql`select r.user_id as "userId", case when u.deleted_at is null then u.display_name end as "displayName", u.email, r.appointed_at as "appointedAt",
          r.conflicts_declared_at as "conflictsDeclaredAt", r.has_conflict as "hasConflict", r.conflicts_statement as "conflictsStatement"
        from plan_reviewers r join users u on u.id = r.user_id where r.plan_id = ${planId} and r.revoked_at is null order by r.appointed_at`,
  )
}

/**
 * The network's team appoints a reviewer for a plan. Never someone who edits or represents the
 * territory reviewed: that is refused with the reason.
 */
export async function appointReviewer(
  db: Db,
  options: { actor: CurrentUser; planId: string; email: string },
): Promise<void> {
  const { actor, planId, email } = options
  if (!actor.isPlatformAdmin) throw forbidden()
  const plan = await findPlan(db, planId)
  const [person] = await queryRows<{ id: string }>(
    db,
    sql`select id from users where email = ${email.trim().toLowerCase()} and deleted_at is null`,
  )
  if (!person)
    throw unprocessable('USER_NOT_FOUND', 'Aucun compte actif à cette adresse.', { email: 'admin.error.userNotFound' })
  await db.transaction(async (tx) => {
    const [role] = await queryRows<{ role: string }>(
      tx,
      sql`select role from territory_roles where territory_id = ${plan.territoryId} and user_id = ${person.id} and role in ('editor', 'elected') for update`,
    )
    if (role) {
      throw unprocessable(
        'REVIEWER_NOT_INDEPENDENT',
        `Cette personne est ${role.role === 'elected' ? 'élue' : 'chargée du plan'} dans le territoire évalué : elle ne peut pas en être l’évaluatrice indépendante.`,
        { email: 'assess.error.notIndependent' },
      )
    }
    const rows = await queryRows<{ user_id: string }>(
      tx,
      sql`insert into plan_reviewers (plan_id, territory_id, user_id, appointed_by) values (${plan.id}, ${plan.territoryId}, ${person.id}, ${actor.id})
          on conflict (plan_id, user_id) do update set revoked_at = null, appointed_by = excluded.appointed_by, appointed_at = now(),
            conflicts_declared_at = null, has_conflict = null, conflicts_statement = ''
          where plan_reviewers.revoked_at is not null
          returning user_id`,
    )
    if (rows.length === 0) throw conflict('ALREADY_APPOINTED', 'Cette personne évalue déjà ce plan.')
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: plan.territoryId,
      action: 'reviewer.appointed',
      subjectType: 'action_plan',
      subjectId: plan.id,
      after: { userId: person.id },
    })
    await queueNotice(tx, {
      userId: person.id,
      subject: 'notice.reviewer.appointed.subject',
      body: 'notice.reviewer.appointed.body',
      params: { plan: plan.title },
      path: `/plans/${plan.id}/evaluation`,
    })
  })
}

export async function revokeReviewer(
  db: Db,
  options: { actor: CurrentUser; planId: string; userId: string },
): Promise<void> {
  const { actor, planId, userId } = options
  if (!actor.isPlatformAdmin) throw forbidden()
  const plan = await findPlan(db, planId)
  await db.transaction(async (tx) => {
    const done = await tx
      .update(planReviewers)
      .set({ revokedAt: new Date() })
      .where(and(eq(planReviewers.planId, planId), eq(planReviewers.userId, userId), isNull(planReviewers.revokedAt)))
      .returning({ userId: planReviewers.userId })
    if (done.length === 0) throw notFound()
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: plan.territoryId,
      action: 'reviewer.revoked',
      subjectType: 'action_plan',
      subjectId: plan.id,
      before: { userId },
    })
  })
}

/** A reviewer declares their conflicts of interest (published with the report). */
export async function declareConflicts(
  db: Db,
  options: { actor: CurrentUser; planId: string; input: { hasConflict: boolean; statement: string } },
): Promise<void> {
  const { actor, planId, input } = options
  if (input.hasConflict && input.statement.trim() === '')
    throw unprocessable('STATEMENT_REQUIRED', 'Décrivez le lien d’intérêts.', { statement: 'assess.error.statement' })
  const plan = await findPlan(db, planId)
  await db.transaction(async (tx) => {
    const done = await tx
      .update(planReviewers)
      .set({
        hasConflict: input.hasConflict,
        conflictsStatement: input.statement.trim(),
        conflictsDeclaredAt: new Date(),
      })
      .where(and(eq(planReviewers.planId, planId), eq(planReviewers.userId, actor.id), isNull(planReviewers.revokedAt)))
      .returning({ userId: planReviewers.userId })
    if (done.length === 0) throw forbidden('Vous n’évaluez pas ce plan.')
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: plan.territoryId,
      action: 'reviewer.conflicts_declared',
      subjectType: 'action_plan',
      subjectId: plan.id,
      after: input,
    })
  })
}

/** SQL: this person is an active reviewer of the assessment's plan, with conflicts declared. */
function reviewerOf(user: CurrentUser, planIdSql: SQL): SQL {
  return sql`exists (select 1 from plan_reviewers r where r.plan_id = ${planIdSql} and r.user_id = ${user.id} and r.revoked_at is null and r.conflicts_declared_at is not null)`
}

async function assertReviewer(db: Db, actor: CurrentUser, planId: string) {
  const appointment = await findAppointment(db, planId, actor.id)
  if (!appointment) throw forbidden('Vous n’évaluez pas ce plan.')
  if (!appointment.conflictsDeclaredAt)
    throw new AppError('CONFLICTS_NOT_DECLARED', { status: 409, userMessage: 'Déclarez d’abord vos liens d’intérêts.' })
}

// ---------------------------------------------------------------------------------------------------
// Reports

export async function findAssessment(db: Db, id: string): Promise<AssessmentRow & { plan: PlanRow }> {
  const [row] = await db.select().from(assessments).where(eq(assessments.id, id))
  if (!row) throw notFound()
  return { ...row, plan: await findPlan(db, row.planId) }
}

export async function assessmentsOfPlan(db: Db, planId: string) {
  return db.select().from(assessments).where(eq(assessments.planId, planId)).orderBy(asc(assessments.moment))
}

export async function commitmentRatings(db: Db, assessmentId: string) {
  return db.select().from(commitmentAssessments).where(eq(commitmentAssessments.assessmentId, assessmentId))
}

export async function errataOf(db: Db, assessmentId: string) {
  return db
    .select()
    .from(assessmentErrata)
    .where(eq(assessmentErrata.assessmentId, assessmentId))
    .orderBy(asc(assessmentErrata.createdAt))
}

/** Who may read a report that is not published yet: its reviewers, the network's team, and (once sent) the territory. */
export async function canReadUnpublished(
  db: Db,
  user: CurrentUser | null,
  assessment: AssessmentRow,
): Promise<boolean> {
  if (!user) return false
  if (user.isPlatformAdmin) return true
  if (await findAppointment(db, assessment.planId, user.id)) return true
  return (
    assessment.status === 'right_of_reply' &&
    (can(user, 'plan.edit', assessment.territoryId) || can(user, 'plan.validate', assessment.territoryId))
  )
}

/** An appointed reviewer opens the report of one moment (once the plan is public). */
export async function openAssessment(
  db: Db,
  options: { actor: CurrentUser; planId: string; moment: Moment },
): Promise<AssessmentRow> {
  const { actor, planId, moment } = options
  await assertReviewer(db, actor, planId)
  const plan = await findPlan(db, planId)
  if (plan.status !== 'published' && plan.status !== 'closed')
    throw conflict('PLAN_NOT_PUBLIC', 'Le plan doit être publié pour être évalué.')
  const [existing] = await db
    .select()
    .from(assessments)
    .where(and(eq(assessments.planId, planId), eq(assessments.moment, moment)))
  if (existing) return existing
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(assessments)
      .values({ planId, territoryId: plan.territoryId, moment, createdBy: actor.id })
      .onConflictDoNothing()
      .returning()
    if (!row) {
      const [raced] = await tx
        .select()
        .from(assessments)
        .where(and(eq(assessments.planId, planId), eq(assessments.moment, moment)))
      return raced!
    }
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: plan.territoryId,
      action: 'assessment.opened',
      subjectType: 'assessment',
      subjectId: row.id,
      after: { moment },
    })
    return row
  })
}

/** Runs a reviewer's change on a draft report; the rule is checked again in the write. */
async function onDraft<T>(
  db: Db,
  actor: CurrentUser,
  assessmentId: string,
  work: (tx: Db, assessment: AssessmentRow) => Promise<T>,
): Promise<T> {
  const assessment = await findAssessment(db, assessmentId)
  await assertReviewer(db, actor, assessment.planId)
  if (assessment.status !== 'draft')
    throw conflict('NOT_DRAFT', 'Ce rapport n’est plus un brouillon : il a été envoyé au territoire ou publié.')
  return db.transaction(async (tx) => {
    const touched = await tx
      .update(assessments)
      .set({ updatedAt: new Date() })
      .where(
        and(
          eq(assessments.id, assessmentId),
          eq(assessments.status, 'draft'),
          reviewerOf(actor, sql`${assessments.planId}`),
        ),
      )
      .returning({ id: assessments.id })
    if (touched.length === 0)
      throw conflict('NOT_DRAFT', 'Ce rapport n’est plus un brouillon, ou vous ne l’évaluez plus.')
    return work(tx, assessment)
  })
}

export interface OverviewInput {
  cocreationLevel: string | null
  cocreationJustification: string
  summary: string
}

/** Co-creation (inception) and the report's general findings. */
export async function saveOverview(
  db: Db,
  options: { actor: CurrentUser; assessmentId: string; input: OverviewInput },
): Promise<void> {
  const { actor, assessmentId, input } = options
  await onDraft(db, actor, assessmentId, async (tx, assessment) => {
    if (assessment.moment === 'inception') {
      if (!input.cocreationLevel)
        throw unprocessable(
          'COCREATION_REQUIRED',
          'Dites si la société civile a été associée à l’élaboration du plan.',
          { cocreationLevel: 'assess.error.required' },
        )
      if (input.cocreationJustification.trim() === '')
        throw unprocessable('JUSTIFICATION_REQUIRED', 'Justifiez cette appréciation.', {
          cocreationJustification: 'assess.error.justification',
        })
    }
    await tx
      .update(assessments)
      .set({
        cocreationLevel: assessment.moment === 'inception' ? input.cocreationLevel : null,
        cocreationJustification: input.cocreationJustification.trim(),
        summary: input.summary.trim(),
      })
      .where(eq(assessments.id, assessmentId))
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assessment.territoryId,
      action: 'assessment.overview_saved',
      subjectType: 'assessment',
      subjectId: assessmentId,
      after: input,
    })
  })
}

export interface CommitmentRatingInput {
  verifiable: boolean | null
  verifiableJustification: string
  relevance: Relevance
  potentialImpact: string | null
  impactJustification: string
  completion: string | null
  completionJustification: string
  diogOverall: string | null
  diogValues: Record<string, string>
  diogJustification: string
  earlyResults: string
  lessons: string
  recommendations: string
  evidenceLinks: string[]
}

/** Checks one commitment's ratings for a moment; returns the problems by field (message keys). */
export function checkRatings(moment: Moment, input: CommitmentRatingInput): Record<string, string> {
  const errors: Record<string, string> = {}
  const needs = (value: string, field: string) => {
    if (value.trim() === '') errors[field] = 'assess.error.justification'
  }
  if (moment === 'inception') {
    if (input.verifiable === null) errors.verifiable = 'assess.error.required'
    else needs(input.verifiableJustification, 'verifiableJustification')
    if (input.verifiable) {
      for (const value of OGP_VALUES) {
        const rating = input.relevance[value]
        if (!rating) errors[`relevance_${value}`] = 'assess.error.required'
        else needs(rating.justification, `relevance_${value}_justification`)
      }
      if (!input.potentialImpact || !(POTENTIAL_IMPACT as readonly string[]).includes(input.potentialImpact))
        errors.potentialImpact = 'assess.error.required'
      else needs(input.impactJustification, 'impactJustification')
    }
  } else {
    if (!input.completion || !(COMPLETION as readonly string[]).includes(input.completion))
      errors.completion = 'assess.error.required'
    else needs(input.completionJustification, 'completionJustification')
    if (!input.diogOverall || !(DIOG as readonly string[]).includes(input.diogOverall))
      errors.diogOverall = 'assess.error.required'
    else needs(input.diogJustification, 'diogJustification')
    for (const value of OGP_VALUES) {
      if (!(DIOG_PER_VALUE as readonly string[]).includes(input.diogValues[value] ?? ''))
        errors[`diog_${value}`] = 'assess.error.required'
    }
    if (input.evidenceLinks.some((link) => !/^https?:\/\/\S+$/.test(link))) errors.evidenceLinks = 'form.invalidUrl'
  }
  return errors
}

/** A reviewer rates one commitment. A commitment that is not verifiable is not assessed further. */
export async function rateCommitment(
  db: Db,
  options: { actor: CurrentUser; assessmentId: string; commitmentId: string; input: CommitmentRatingInput },
): Promise<void> {
  const { actor, assessmentId, commitmentId, input } = options
  await onDraft(db, actor, assessmentId, async (tx, assessment) => {
    const [commitment] = await queryRows<{ id: string }>(
      tx,
      sql`select id from public_commitments where id = ${commitmentId} and plan_id = ${assessment.planId}`,
    )
    if (!commitment) throw notFound()
    const errors = checkRatings(assessment.moment as Moment, input)
    if (Object.keys(errors).length > 0)
      throw new AppError('INVALID_RATINGS', {
        status: 422,
        userMessage: 'Des appréciations manquent ou ne sont pas justifiées.',
        fields: errors,
      })
    const inception = assessment.moment === 'inception'
    const assessed = inception && input.verifiable === true
    const values = {
      assessmentId,
      commitmentId,
      territoryId: assessment.territoryId,
      verifiable: inception ? input.verifiable : null,
      verifiableJustification: inception ? input.verifiableJustification.trim() : '',
      relevance: assessed ? input.relevance : {},
      potentialImpact: assessed ? input.potentialImpact : null,
      impactJustification: assessed ? input.impactJustification.trim() : '',
      completion: inception ? null : input.completion,
      completionJustification: inception ? '' : input.completionJustification.trim(),
      diogOverall: inception ? null : input.diogOverall,
      diogValues: inception ? {} : input.diogValues,
      diogJustification: inception ? '' : input.diogJustification.trim(),
      earlyResults: inception ? '' : input.earlyResults.trim(),
      lessons: inception ? '' : input.lessons.trim(),
      recommendations: input.recommendations.trim(),
      evidenceLinks: inception ? [] : input.evidenceLinks,
      updatedAt: new Date(),
    }
    await tx
      .insert(commitmentAssessments)
      .values(values)
      .onConflictDoUpdate({
        target: [commitmentAssessments.assessmentId, commitmentAssessments.commitmentId],
        set: { ...values },
      })
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assessment.territoryId,
      action: 'assessment.commitment_rated',
      subjectType: 'assessment',
      subjectId: assessmentId,
      after: values,
    })
  })
}

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

export interface Aggregates {
  plansAssessed: number
  inception: {
    commitments: number
    verifiable: number
    transformative: number
    moderateOrMore: number
    relevant: Record<string, number>
  }
  endOfTerm: {
    commitments: number
    complete: number
    substantialOrComplete: number
    openedGovernment: number
    outstanding: number
  }
}

/** Shares across every published report (OGP's headline figures). */
export async function aggregates(db: Db): Promise<Aggregates> {
  const [inception] = await queryRows<Record<string, number>>(
    db,
    sql`select count(*)::int as commitments,
          (count(*) filter (where ca.verifiable))::int as verifiable,
          (count(*) filter (where ca.potential_impact = 'transformative'))::int as transformative,
          (count(*) filter (where ca.potential_impact in ('moderate', 'transformative')))::int as "moderateOrMore",
          (count(*) filter (where (ca.relevance->'access_to_information'->>'relevant')::boolean))::int as access_to_information,
          (count(*) filter (where (ca.relevance->'civic_participation'->>'relevant')::boolean))::int as civic_participation,
          (count(*) filter (where (ca.relevance->'public_accountability'->>'relevant')::boolean))::int as public_accountability,
          (count(*) filter (where (ca.relevance->'technology_innovation'->>'relevant')::boolean))::int as technology_innovation
        from commitment_assessments ca join assessments a on a.id = ca.assessment_id
          join public_action_plans p on p.id = a.plan_id
        where a.status = 'published' and a.moment = 'inception'`,
  )
  const [end] = await queryRows<Record<string, number>>(
    db,
    sql`select count(*)::int as commitments,
          (count(*) filter (where ca.completion = 'complete'))::int as complete,
          (count(*) filter (where ca.completion in ('substantial', 'complete')))::int as "substantialOrComplete",
          (count(*) filter (where ca.diog_overall in ('major', 'outstanding')))::int as "openedGovernment",
          (count(*) filter (where ca.diog_overall = 'outstanding'))::int as outstanding
        from commitment_assessments ca join assessments a on a.id = ca.assessment_id
          join public_action_plans p on p.id = a.plan_id
        where a.status = 'published' and a.moment = 'end_of_term'`,
  )
  const [plans] = await queryRows<{ n: number }>(
    db,
    sql`select count(distinct a.plan_id)::int as n from assessments a join public_action_plans p on p.id = a.plan_id where a.status = 'published'`,
  )
  const i = inception!
  return {
    plansAssessed: plans!.n,
    inception: {
      commitments: i.commitments!,
      verifiable: i.verifiable!,
      transformative: i.transformative!,
      moderateOrMore: i.moderateOrMore!,
      relevant: Object.fromEntries(OGP_VALUES.map((v) => [v, i[v]!])),
    },
    endOfTerm: {
      commitments: end!.commitments!,
      complete: end!.complete!,
      substantialOrComplete: end!.substantialOrComplete!,
      openedGovernment: end!.openedGovernment!,
      outstanding: end!.outstanding!,
    },
  }
}

/** A page of every published rating, for the open-data CSV, in (assessment, commitment) order after `after`. */
export async function publishedRatingsPage(db: Db, after: { assessment_id: string; commitment_id: string } | null) {
  return queryRows<
    Record<string, unknown> & {
      assessment_id: string
      commitment_id: string
      relevance: Record<string, { relevant: boolean }>
      diog_values: Record<string, string>
    }
  >(
    db,
    sql`select ca.assessment_id, ca.commitment_id, t.kind || '/' || t.code as territoire, p.id as plan_id, p.title as plan, a.moment, a.source,
        a.published_at as publie_le, c.id as engagement_id, c.title as engagement, ca.verifiable, ca.relevance, ca.potential_impact as impact_potentiel,
        ca.completion as realisation, ca.diog_overall as ouverture_globale, ca.diog_values
      from commitment_assessments ca join assessments a on a.id = ca.assessment_id join public_action_plans p on p.id = a.plan_id
      join public_commitments c on c.id = ca.commitment_id join public_territories t on t.id = a.territory_id
      where a.status = 'published' ${after ? sql`and (ca.assessment_id, ca.commitment_id) > (${after.assessment_id}::uuid, ${after.commitment_id}::uuid)` : sql``}
      order by ca.assessment_id, ca.commitment_id limit 1000`,
  )
}
