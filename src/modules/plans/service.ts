import { and, eq, inArray, sql } from 'drizzle-orm'
import { recordActivity } from '../../platform/activity.ts'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { assertCan, authorizedIn, can, type TerritoryAction } from '../../platform/auth/policy.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, forbidden, notFound } from '../../platform/errors.ts'
import { networkChanged } from './network-cache.ts'
import type { HeldStatus, Status } from './progress.ts'
import { actionPlans, commitments, type CommitmentRow, type PlanRow } from './tables.ts'

export type PlanStatus = 'draft' | 'submitted' | 'validated' | 'published' | 'closed'

export interface PlanInput {
  title: string
  periodStart: string
  periodEnd: string
  cocreationSummary: string
}

export interface CommitmentInput {
  title: string
  problem: string
  description: string
  contribution: string
  ogpValues: string[]
  expectedImpacts: string
  leadActor: string
  supportingActors: string
  themes: string[]
  startDate: string | null
  endDate: string | null
  budgetEur: string | null
  deliberationUrl: string | null
}

export interface MilestoneInput {
  title: string
  deliverable: string
  startDate: string | null
  dueDate: string
  responsible: string
  weight: string | null
}

export interface EvidenceFile {
  sha256: string
  filename: string
  contentType: string
  sizeBytes: number
}

export interface UpdateInput {
  milestoneId: string | null
  /** the chosen milestone's new status (a commitment's own status follows its milestones) */
  status: Status | null
  /** a status set by hand on the commitment (paused, blocked, abandoned), or 'calcule' to let milestones say it again */
  held?: HeldStatus | 'calcule' | null
  /** why, shown publicly: required with a held status */
  heldReason?: string
  progress: number | null
  narrative: string
  evidence: string[]
  nextSteps: string
  correctsId: string | null
}

export const conflict = (current: unknown) =>
  new AppError('EDIT_CONFLICT', {
    status: 409,
    userMessage:
      'Quelqu’un a enregistré une autre version entre-temps : comparez-la à la vôtre avant de réenregistrer.',
    details: current,
  })
export const locked = (status: string) =>
  new AppError('PLAN_LOCKED', {
    status: 409,
    userMessage:
      status === 'closed'
        ? 'Ce plan est clos : il ne peut plus changer.'
        : 'Ce plan attend sa validation : renvoyez-le en brouillon pour le modifier.',
  })

export async function findPlan(db: Db, planId: string): Promise<PlanRow> {
  if (!/^[0-9a-f-]{36}$/i.test(planId)) throw notFound()
  const [plan] = await db.select().from(actionPlans).where(eq(actionPlans.id, planId))
  if (!plan) throw notFound()
  return plan
}

export async function findCommitment(db: Db, commitmentId: string): Promise<CommitmentRow> {
  if (!/^[0-9a-f-]{36}$/i.test(commitmentId)) throw notFound()
  const [row] = await db.select().from(commitments).where(eq(commitments.id, commitmentId))
  if (!row) throw notFound()
  return row
}

/**
 * After a guarded write matched no row, says why: the row is gone (404), the person may not (403), the
 * plan's state forbids it (409), or someone saved first (409 with the saved version).
 */
export function explainMiss(
  actor: CurrentUser,
  action: TerritoryAction,
  territoryId: string,
  planStatus: string,
  allowed: readonly string[],
  current: unknown,
): never {
  if (!can(actor, action, territoryId)) throw forbidden()
  if (!allowed.includes(planStatus)) throw locked(planStatus)
  throw conflict(current)
}

/** Starts a draft action plan for a territory. */
export async function createPlan(
  db: Db,
  options: { actor: CurrentUser; territoryId: string; input: PlanInput },
): Promise<PlanRow> {
  const { actor, territoryId, input } = options
  assertCan(actor, 'plan.edit', territoryId)
  return db.transaction(async (tx) => {
    if (
      (await queryRows(tx, sql`select 1 where ${authorizedIn(actor, 'plan.edit', sql`${territoryId}::uuid`)}`))
        .length === 0
    )
      throw forbidden()
    const [plan] = await tx
      .insert(actionPlans)
      .values({ ...input, territoryId, createdBy: actor.id })
      .returning()
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId,
      action: 'plan.created',
      subjectType: 'action_plan',
      subjectId: plan!.id,
      after: input,
    })
    return plan!
  })
}

/** Edits a draft plan; `version` is the one the form was opened on. Throws 403, 404, 409. */
export async function updatePlan(
  db: Db,
  options: { actor: CurrentUser; planId: string; version: number; input: PlanInput },
): Promise<PlanRow> {
  const { actor, planId, version, input } = options
  const before = await findPlan(db, planId)
  assertCan(actor, 'plan.edit', before.territoryId)
  return db.transaction(async (tx) => {
    const [plan] = await tx
      .update(actionPlans)
      .set({ ...input, version: sql`${actionPlans.version} + 1`, updatedAt: new Date() })
      .where(
        and(
          eq(actionPlans.id, planId),
          eq(actionPlans.version, version),
          eq(actionPlans.status, 'draft'),
          authorizedIn(actor, 'plan.edit', actionPlans.territoryId),
        ),
      )
      .returning()
    if (!plan) {
      const current = await findPlan(tx, planId)
      explainMiss(actor, 'plan.edit', current.territoryId, current.status, ['draft'], current)
    }
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: plan.territoryId,
      action: 'plan.updated',
      subjectType: 'action_plan',
      subjectId: planId,
      before: {
        title: before.title,
        periodStart: before.periodStart,
        periodEnd: before.periodEnd,
        cocreationSummary: before.cocreationSummary,
      },
      after: input,
    })
    return plan
  })
}

const TRANSITIONS: Record<
  string,
  {
    from: PlanStatus[]
    to: PlanStatus
    action: TerritoryAction
    stamp?: 'submittedAt' | 'validatedAt' | 'publishedAt' | 'closedAt'
  }
> = {
  submit: { from: ['draft'], to: 'submitted', action: 'plan.edit', stamp: 'submittedAt' },
  return: { from: ['submitted', 'validated'], to: 'draft', action: 'plan.validate' },
  validate: { from: ['submitted'], to: 'validated', action: 'plan.validate', stamp: 'validatedAt' },
  publish: { from: ['validated'], to: 'published', action: 'plan.edit', stamp: 'publishedAt' },
  close: { from: ['published'], to: 'closed', action: 'plan.edit', stamp: 'closedAt' },
}
export type PlanTransition = keyof typeof TRANSITIONS
export const PLAN_TRANSITIONS = Object.keys(TRANSITIONS) as PlanTransition[]

/**
 * Moves a plan along its life: draft → submitted → validated (by an elected official) → published →
 * closed; an elected official may send a submitted or validated plan back to draft. Throws 403, 404, 409.
 */
export async function transitionPlan(
  db: Db,
  options: { actor: CurrentUser; planId: string; transition: PlanTransition },
): Promise<PlanRow> {
  const { actor, planId, transition } = options
  const rule = TRANSITIONS[transition]
  if (!rule) throw notFound()
  const before = await findPlan(db, planId)
  assertCan(actor, rule.action, before.territoryId)
  if (transition === 'publish' || transition === 'submit') {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(commitments)
      .where(eq(commitments.planId, planId))
    if (!row || row.n === 0) {
      throw new AppError('PLAN_EMPTY', {
        status: 409,
        userMessage: 'Un plan sans engagement ne peut pas être soumis ni publié.',
      })
    }
  }
  return db.transaction(async (tx) => {
    const [plan] = await tx
      .update(actionPlans)
      .set({
        status: rule.to,
        version: sql`${actionPlans.version} + 1`,
        updatedAt: new Date(),
        ...(rule.stamp ? { [rule.stamp]: new Date() } : {}),
        ...(transition === 'validate' ? { validatedBy: actor.id } : {}),
      })
      .where(
        and(
          eq(actionPlans.id, planId),
          inArray(actionPlans.status, rule.from),
          authorizedIn(actor, rule.action, actionPlans.territoryId),
        ),
      )
      .returning()
    if (!plan) {
      const current = await findPlan(tx, planId)
      if (!can(actor, rule.action, current.territoryId)) throw forbidden()
      throw new AppError('PLAN_WRONG_STATE', {
        status: 409,
        userMessage: `Ce plan est à l’état « ${current.status} » : cette étape n’est pas possible.`,
      })
    }
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: plan.territoryId,
      action: `plan.${transition}`,
      subjectType: 'action_plan',
      subjectId: planId,
      before: { status: before.status },
      after: { status: plan.status },
    })
    if (transition === 'publish')
      await recordActivity(tx, {
        territoryId: plan.territoryId,
        territoryWide: true,
        subjects: {},
        kind: 'plan.published',
        title: plan.title,
        path: `/plans/${plan.id}`,
        actorId: actor.id,
      })
    networkChanged()
    return plan
  })
}
