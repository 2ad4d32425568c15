/** The plan's independent reviewers: appointed, revoked, their declared conflicts of interest. */
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts'
import { findPlan } from '../plans/index.ts'
import { planReviewers } from './tables.ts'
import { queueNotice } from '../../platform/notices.ts'

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
export function reviewerOf(user: CurrentUser, planIdSql: SQL): SQL {
  return sql`exists (select 1 from plan_reviewers r where r.plan_id = ${planIdSql} and r.user_id = ${user.id} and r.revoked_at is null and r.conflicts_declared_at is not null)`
}

export async function assertReviewer(db: Db, actor: CurrentUser, planId: string) {
  const appointment = await findAppointment(db, planId, actor.id)
  if (!appointment) throw forbidden('Vous n’évaluez pas ce plan.')
  if (!appointment.conflictsDeclaredAt)
    throw new AppError('CONFLICTS_NOT_DECLARED', { status: 409, userMessage: 'Déclarez d’abord vos liens d’intérêts.' })
}

// ---------------------------------------------------------------------------------------------------
// Reports
