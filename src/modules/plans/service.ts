import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { recordActivity } from '../../platform/activity.ts'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { assertCan, authorizedIn, can, type TerritoryAction } from '../../platform/auth/policy.ts'
import { queryRows, referencesTo, type Db } from '../../platform/db/index.ts'
import { AppError, forbidden, notFound } from '../../platform/errors.ts'
import type { MessageKey, Translate } from '../../platform/i18n/index.ts'
import { appendHistory } from './history.ts'
import { networkChanged } from './network-cache.ts'
import {
  commitmentProgress,
  derivedCommitmentStatus,
  isHeldStatus,
  milestoneProgress,
  planProgress,
  shownStatus,
  todayInParis,
  type HeldStatus,
  type Status,
} from './progress.ts'
import {
  actionPlans,
  commitments,
  evidenceFiles,
  historyEntries,
  milestones,
  type CommitmentRow,
  type MilestoneRow,
  type PlanRow,
} from './tables.ts'

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

const conflict = (current: unknown) =>
  new AppError('EDIT_CONFLICT', {
    status: 409,
    userMessage:
      'Quelqu’un a enregistré une autre version entre-temps : comparez-la à la vôtre avant de réenregistrer.',
    details: current,
  })
const locked = (status: string) =>
  new AppError('PLAN_LOCKED', {
    status: 409,
    userMessage:
      status === 'closed'
        ? 'Ce plan est clos : il ne peut plus changer.'
        : 'Ce plan attend sa validation : renvoyez-le en brouillon pour le modifier.',
  })

async function findPlan(db: Db, planId: string): Promise<PlanRow> {
  if (!/^[0-9a-f-]{36}$/i.test(planId)) throw notFound()
  const [plan] = await db.select().from(actionPlans).where(eq(actionPlans.id, planId))
  if (!plan) throw notFound()
  return plan
}

async function findCommitment(db: Db, commitmentId: string): Promise<CommitmentRow> {
  if (!/^[0-9a-f-]{36}$/i.test(commitmentId)) throw notFound()
  const [row] = await db.select().from(commitments).where(eq(commitments.id, commitmentId))
  if (!row) throw notFound()
  return row
}

/**
 * After a guarded write matched no row, says why: the row is gone (404), the person may not (403), the
 * plan's state forbids it (409), or someone saved first (409 with the saved version).
 */
function explainMiss(
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

async function nextPosition(
  tx: Db,
  table: typeof commitments | typeof milestones,
  where: ReturnType<typeof eq>,
): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`coalesce(max(${table.position}), 0)::int` })
    .from(table)
    .where(where)
  return (row?.n ?? 0) + 1
}

/**
 * Adds a commitment to a draft plan, or to a published one as a public revision of the plan (OGP lets a plan
 * be revised while it runs): the history says what was added and, when given, where it came from (`origin`,
 * e.g. the citizens' assembly proposal it carries). Throws 403, 404, 409.
 */
export async function addCommitment(
  db: Db,
  options: { actor: CurrentUser; planId: string; input: CommitmentInput; origin?: string },
): Promise<CommitmentRow> {
  const { actor, planId, input } = options
  const plan = await findPlan(db, planId)
  assertCan(actor, 'plan.edit', plan.territoryId)
  if (plan.status !== 'draft' && plan.status !== 'published') throw locked(plan.status)
  return db.transaction(async (tx) => {
    // the plan's state and the person's right, again under lock: a plan sent for validation meanwhile takes nothing
    const [now] = await queryRows<{ status: string; allowed: boolean }>(
      tx,
      sql`select status, ${authorizedIn(actor, 'plan.edit', sql`territory_id`)} as allowed from action_plans where id = ${planId} for update`,
    )
    if (!now?.allowed) throw forbidden()
    if (now.status !== 'draft' && now.status !== 'published') throw locked(now.status)
    const position = await nextPosition(tx, commitments, eq(commitments.planId, planId))
    const [row] = await tx
      .insert(commitments)
      .values({ ...input, planId, territoryId: plan.territoryId, position })
      .returning()
    if (plan.status === 'published') {
      await appendHistory(tx, {
        territoryId: plan.territoryId,
        kind: 'revision',
        planId,
        commitmentId: row!.id,
        milestoneId: null,
        correctsId: null,
        authorId: actor.id,
        content: {
          changes: [
            {
              field: 'commitment',
              before: null,
              after: { title: input.title, ...(options.origin ? { origin: options.origin } : {}) },
            },
          ],
        },
      })
      networkChanged()
    }
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: plan.territoryId,
      action: 'commitment.created',
      subjectType: 'commitment',
      subjectId: row!.id,
      after: { ...input, ...(options.origin ? { origin: options.origin } : {}) },
    })
    return row!
  })
}

const REVISED_FIELDS = [
  'title',
  'problem',
  'description',
  'contribution',
  'ogpValues',
  'expectedImpacts',
  'leadActor',
  'supportingActors',
  'themes',
  'startDate',
  'endDate',
  'budgetEur',
  'deliberationUrl',
] as const

/**
 * Edits a commitment. In a draft plan the text simply changes; in a published plan every change becomes
 * a public revision in the history (before and after), so no published text is silently rewritten.
 * `version` is the one the form was opened on. Throws 403, 404, 409 (with the saved version on conflict).
 */
export async function updateCommitment(
  db: Db,
  options: { actor: CurrentUser; commitmentId: string; version: number; input: CommitmentInput },
): Promise<CommitmentRow> {
  const { actor, commitmentId, version, input } = options
  const before = await findCommitment(db, commitmentId)
  assertCan(actor, 'plan.edit', before.territoryId)
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(commitments)
      .set({ ...input, version: sql`${commitments.version} + 1`, updatedAt: new Date() })
      .where(
        and(
          eq(commitments.id, commitmentId),
          eq(commitments.version, version),
          sql`exists (select 1 from action_plans p where p.id = ${commitments.planId} and p.status in ('draft', 'published'))`,
          authorizedIn(actor, 'plan.edit', commitments.territoryId),
        ),
      )
      .returning()
    const plan = await findPlan(tx, before.planId)
    if (!row) {
      const current = await findCommitment(tx, commitmentId)
      explainMiss(actor, 'plan.edit', current.territoryId, plan.status, ['draft', 'published'], current)
    }
    const changed = REVISED_FIELDS.filter((field) => JSON.stringify(before[field]) !== JSON.stringify(row[field]))
    if (plan.status === 'published' && changed.length > 0) {
      await appendHistory(tx, {
        territoryId: row.territoryId,
        kind: 'revision',
        planId: row.planId,
        commitmentId,
        milestoneId: null,
        correctsId: null,
        authorId: actor.id,
        content: { changes: changed.map((field) => ({ field, before: before[field], after: row[field] })) },
      })
    }
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: row.territoryId,
      action: 'commitment.updated',
      subjectType: 'commitment',
      subjectId: commitmentId,
      before: Object.fromEntries(changed.map((f) => [f, before[f]])),
      after: Object.fromEntries(changed.map((f) => [f, row[f]])),
    })
    networkChanged()
    return row
  })
}

/** Adds a milestone to a commitment of a draft or published plan (published: recorded as a revision). */
export async function addMilestone(
  db: Db,
  options: { actor: CurrentUser; commitmentId: string; input: MilestoneInput },
): Promise<MilestoneRow> {
  const { actor, commitmentId, input } = options
  const commitment = await findCommitment(db, commitmentId)
  assertCan(actor, 'plan.edit', commitment.territoryId)
  const plan = await findPlan(db, commitment.planId)
  if (plan.status !== 'draft' && plan.status !== 'published') throw locked(plan.status)
  return db.transaction(async (tx) => {
    const position = await nextPosition(tx, milestones, eq(milestones.commitmentId, commitmentId))
    const [row] = await tx
      .insert(milestones)
      .values({ ...input, commitmentId, territoryId: commitment.territoryId, position })
      .returning()
    if (plan.status === 'published') {
      await appendHistory(tx, {
        territoryId: commitment.territoryId,
        kind: 'revision',
        planId: plan.id,
        commitmentId,
        milestoneId: row!.id,
        correctsId: null,
        authorId: actor.id,
        content: {
          changes: [
            {
              field: 'milestone',
              before: null,
              after: { title: input.title, dueDate: input.dueDate, deliverable: input.deliverable },
            },
          ],
        },
      })
    }
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: commitment.territoryId,
      action: 'milestone.created',
      subjectType: 'milestone',
      subjectId: row!.id,
      after: input,
    })
    networkChanged()
    return row!
  })
}

/**
 * Removes a commitment (with its milestones) or a milestone from a draft plan. Once a plan has left the
 * draft, nothing is removed: a commitment or milestone is abandoned instead, in the public history.
 * Throws 403, 404, 409.
 */
export async function deleteFromDraft(
  db: Db,
  options: { actor: CurrentUser; commitmentId?: string; milestoneId?: string },
): Promise<{ planId: string; commitmentId: string }> {
  const { actor } = options
  const milestone = options.milestoneId ? await findMilestone(db, options.milestoneId) : null
  const commitment = await findCommitment(db, milestone?.commitmentId ?? options.commitmentId ?? '')
  assertCan(actor, 'plan.edit', commitment.territoryId)
  const plan = await findPlan(db, commitment.planId)
  if (plan.status !== 'draft') throw locked(plan.status)
  return db.transaction(async (tx) => {
    const draftAndAllowed = and(
      sql`exists (select 1 from action_plans p where p.id = ${plan.id} and p.status = 'draft')`,
      authorizedIn(actor, 'plan.edit', sql`${commitment.territoryId}::uuid`),
    )
    if (milestone) {
      const removed = await tx
        .delete(milestones)
        .where(and(eq(milestones.id, milestone.id), draftAndAllowed))
        .returning({ id: milestones.id })
      if (removed.length === 0) throw forbidden()
      await recordAudit(tx, {
        actorId: actor.id,
        territoryId: commitment.territoryId,
        action: 'milestone.deleted',
        subjectType: 'milestone',
        subjectId: milestone.id,
        before: { title: milestone.title, dueDate: milestone.dueDate },
      })
    } else {
      // what other parts of the platform hang on this commitment (a group, a consultation…) stops the deletion
      const links = await referencesTo(tx, 'commitments', commitment.id, ['milestones'])
      if (links.length > 0) {
        throw new AppError('COMMITMENT_IN_USE', {
          status: 409,
          userMessage: `Cet engagement ne peut pas être supprimé : ${links.map((l) => `${l.count} × ${l.table}`).join(', ')} y sont rattachés.`,
          details: links,
          localized: (t) =>
            t('plans.error.inUse', { what: links.map((l) => referenceLabel(t, l.table, l.count)).join(', ') }),
        })
      }
      await tx.delete(milestones).where(and(eq(milestones.commitmentId, commitment.id), draftAndAllowed))
      const removed = await tx
        .delete(commitments)
        .where(and(eq(commitments.id, commitment.id), draftAndAllowed))
        .returning({ id: commitments.id })
      if (removed.length === 0) throw forbidden()
      await recordAudit(tx, {
        actorId: actor.id,
        territoryId: commitment.territoryId,
        action: 'commitment.deleted',
        subjectType: 'commitment',
        subjectId: commitment.id,
        before: { title: commitment.title },
      })
    }
    return { planId: plan.id, commitmentId: commitment.id }
  })
}

const REFERENCE_LABELS: Record<string, MessageKey> = {
  action_groups: 'plans.inUse.groups',
  consultations: 'plans.inUse.consultations',
  contributions: 'plans.inUse.contributions',
  cocreated_texts: 'plans.inUse.texts',
  referentiel_fiches: 'plans.inUse.fiches',
  assembly_proposals: 'plans.inUse.proposals',
}

/** So many rows of a table, as the reader says it ("2 consultations"); another table is named as such. */
function referenceLabel(t: Translate, table: string, count: number): string {
  const key = REFERENCE_LABELS[table]
  return key ? t(key, { count }) : `${count} × ${table}`
}

const MILESTONE_FIELDS = ['title', 'deliverable', 'startDate', 'dueDate', 'responsible', 'weight'] as const

/** Finds a milestone; throws 404. */
export async function findMilestone(db: Db, milestoneId: string): Promise<MilestoneRow> {
  if (!/^[0-9a-f-]{36}$/i.test(milestoneId)) throw notFound()
  const [row] = await db.select().from(milestones).where(eq(milestones.id, milestoneId))
  if (!row) throw notFound()
  return row
}

/**
 * Edits a milestone's definition (not its progress: that is what updates are for). In a published plan
 * each change becomes a public revision, so a moved due date is visible. Throws 403, 404, 409.
 */
export async function updateMilestone(
  db: Db,
  options: { actor: CurrentUser; milestoneId: string; version: number; input: MilestoneInput },
): Promise<MilestoneRow> {
  const { actor, milestoneId, version, input } = options
  const before = await findMilestone(db, milestoneId)
  assertCan(actor, 'plan.edit', before.territoryId)
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(milestones)
      .set({ ...input, version: sql`${milestones.version} + 1`, updatedAt: new Date() })
      .where(
        and(
          eq(milestones.id, milestoneId),
          eq(milestones.version, version),
          sql`exists (select 1 from commitments c join action_plans p on p.id = c.plan_id where c.id = ${milestones.commitmentId} and p.status in ('draft', 'published'))`,
          authorizedIn(actor, 'plan.edit', milestones.territoryId),
        ),
      )
      .returning()
    const commitment = await findCommitment(tx, before.commitmentId)
    const plan = await findPlan(tx, commitment.planId)
    if (!row) {
      const current = await findMilestone(tx, milestoneId)
      explainMiss(actor, 'plan.edit', current.territoryId, plan.status, ['draft', 'published'], current)
    }
    const changed = MILESTONE_FIELDS.filter((field) => String(before[field] ?? '') !== String(row[field] ?? ''))
    if (plan.status === 'published' && changed.length > 0) {
      await appendHistory(tx, {
        territoryId: row.territoryId,
        kind: 'revision',
        planId: plan.id,
        commitmentId: commitment.id,
        milestoneId,
        correctsId: null,
        authorId: actor.id,
        content: {
          changes: changed.map((field) => ({ field: `milestone.${field}`, before: before[field], after: row[field] })),
        },
      })
    }
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: row.territoryId,
      action: 'milestone.updated',
      subjectType: 'milestone',
      subjectId: milestoneId,
      before: Object.fromEntries(changed.map((f) => [f, before[f]])),
      after: Object.fromEntries(changed.map((f) => [f, row[f]])),
    })
    networkChanged()
    return row
  })
}

/**
 * Posts a progress update (or a correction of an earlier one) on a commitment or one of its milestones,
 * in a published plan: the milestone's or commitment's status and progress change, and the entry joins
 * the territory's hash-chained history. Throws 403, 404, 409, 422.
 */
export async function postUpdate(
  db: Db,
  options: { actor: CurrentUser; commitmentId: string; input: UpdateInput; files?: EvidenceFile[] },
) {
  const { actor, commitmentId, input } = options
  const commitment = await findCommitment(db, commitmentId)
  assertCan(actor, 'plan.report', commitment.territoryId)
  const plan = await findPlan(db, commitment.planId)
  if (plan.status !== 'published') {
    throw new AppError('PLAN_NOT_PUBLISHED', { status: 409, userMessage: 'On ne rend compte que d’un plan publié.' })
  }
  if (input.status && !input.milestoneId) {
    throw new AppError('STATUS_NEEDS_MILESTONE', {
      status: 422,
      userMessage:
        'L’état d’un engagement suit ses jalons : choisissez un jalon, ou fixez à la main une pause, un blocage ou un abandon.',
      fields: { status: 'plans.error.statusNeedsMilestone' },
    })
  }
  const heldReason = input.heldReason?.trim() ?? ''
  if (input.held && input.held !== 'calcule' && heldReason === '') {
    throw new AppError('HELD_NEEDS_REASON', {
      status: 422,
      userMessage: 'Dites publiquement pourquoi l’engagement est en pause, bloqué ou abandonné.',
      fields: { heldReason: 'plans.error.heldReason' },
    })
  }
  if (input.held === 'calcule' && !commitment.heldStatus) {
    throw new AppError('NOT_HELD', {
      status: 422,
      userMessage: 'Cet engagement suit déjà ses jalons.',
      fields: { held: 'plans.error.notHeld' },
    })
  }
  return db.transaction(async (tx) => {
    if (input.milestoneId) {
      const [milestone] = await tx
        .select()
        .from(milestones)
        .where(and(eq(milestones.id, input.milestoneId), eq(milestones.commitmentId, commitmentId)))
      if (!milestone)
        throw new AppError('MILESTONE_NOT_FOUND', {
          status: 422,
          userMessage: 'Ce jalon n’appartient pas à cet engagement.',
          fields: { milestoneId: 'plans.error.milestone' },
        })
      const status = input.status ?? (milestone.status as Status)
      await tx
        .update(milestones)
        .set({
          status,
          progress: status === 'termine' ? 100 : (input.progress ?? milestone.progress),
          completedOn: status === 'termine' ? (milestone.completedOn ?? todayInParis()) : null,
          version: sql`${milestones.version} + 1`,
          updatedAt: new Date(),
        })
        .where(and(eq(milestones.id, milestone.id), eq(milestones.territoryId, commitment.territoryId)))
    }
    if (input.held) {
      const hold =
        input.held === 'calcule'
          ? { heldStatus: null, heldReason: null, heldAt: null }
          : { heldStatus: input.held, heldReason, heldAt: new Date() }
      await tx
        .update(commitments)
        .set({ ...hold, updatedAt: new Date() })
        .where(and(eq(commitments.id, commitmentId), eq(commitments.territoryId, commitment.territoryId)))
    }
    if (input.correctsId) {
      const [corrected] = await tx
        .select({ id: historyEntries.id })
        .from(historyEntries)
        .where(and(eq(historyEntries.id, input.correctsId), eq(historyEntries.commitmentId, commitmentId)))
      if (!corrected)
        throw new AppError('ENTRY_NOT_FOUND', {
          status: 422,
          userMessage: 'L’entrée à corriger n’appartient pas à cet engagement.',
          fields: { correctsId: 'plans.error.corrects' },
        })
    }
    if (
      (
        await queryRows(
          tx,
          sql`select 1 where ${authorizedIn(actor, 'plan.report', sql`${commitment.territoryId}::uuid`)}`,
        )
      ).length === 0
    )
      throw forbidden()
    const files = []
    for (const file of options.files ?? []) {
      const [row] = await tx
        .insert(evidenceFiles)
        .values({ ...file, territoryId: commitment.territoryId, uploadedBy: actor.id })
        .returning({ id: evidenceFiles.id })
      files.push({
        id: row!.id,
        sha256: file.sha256,
        filename: file.filename,
        contentType: file.contentType,
        sizeBytes: file.sizeBytes,
      })
    }
    const entry = await appendHistory(tx, {
      territoryId: commitment.territoryId,
      kind: input.correctsId ? 'correction' : 'update',
      planId: plan.id,
      commitmentId,
      milestoneId: input.milestoneId,
      correctsId: input.correctsId,
      authorId: actor.id,
      // the files' digests are in the hashed content: the chain vouches for the evidence itself
      content: {
        status: input.status,
        ...(input.held ? { held: input.held, ...(input.held === 'calcule' ? {} : { heldReason }) } : {}),
        progress: input.progress,
        narrative: input.narrative,
        evidence: input.evidence,
        nextSteps: input.nextSteps,
        ...(files.length > 0 ? { files } : {}),
      },
    })
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: commitment.territoryId,
      action: entry.kind === 'correction' ? 'history.corrected' : 'history.updated',
      subjectType: 'history_entry',
      subjectId: entry.id,
      after: { seq: entry.seq },
    })
    await recordActivity(tx, {
      territoryId: commitment.territoryId,
      territoryWide: true,
      subjects: { commitment: commitmentId },
      kind: entry.kind === 'correction' ? 'commitment.corrected' : 'commitment.progress',
      title: commitment.title,
      path: `/engagements/${commitmentId}`,
      actorId: actor.id,
    })
    networkChanged()
    return entry
  })
}

export interface MilestoneView extends MilestoneRow {
  shownStatus: Status
  effectiveProgress: number
}
export interface CommitmentView extends CommitmentRow {
  milestones: MilestoneView[]
  progress: number | null
  /** as shown today: set by hand (heldStatus) or derived from the milestones */
  status: Status
}

/** A plan with its commitments and milestones, statuses as shown today and progress rolled up. */
export async function loadPlanTree(db: Db, plan: PlanRow, today = todayInParis()) {
  const commitmentRows = await db
    .select()
    .from(commitments)
    .where(eq(commitments.planId, plan.id))
    .orderBy(asc(commitments.position))
  const milestoneRows = commitmentRows.length
    ? await db
        .select()
        .from(milestones)
        .where(
          inArray(
            milestones.commitmentId,
            commitmentRows.map((c) => c.id),
          ),
        )
        .orderBy(asc(milestones.dueDate), asc(milestones.position))
    : []
  const list: CommitmentView[] = commitmentRows.map((c) => {
    const own = milestoneRows
      .filter((m) => m.commitmentId === c.id)
      .map((m) => ({
        ...m,
        shownStatus: shownStatus({ status: m.status as Status, dueDate: m.dueDate }, today),
        effectiveProgress: milestoneProgress({ status: m.status as Status, progress: m.progress }),
      }))
    const progress = commitmentProgress(
      own.map((m) => ({
        status: m.status as Status,
        dueDate: m.dueDate,
        progress: m.progress,
        weight: m.weight === null ? null : Number(m.weight),
      })),
    )
    const status = derivedCommitmentStatus(
      isHeldStatus(c.heldStatus) ? c.heldStatus : null,
      own.map((m) => ({ status: m.status as Status, dueDate: m.dueDate, progress: m.progress })),
      today,
    )
    return { ...c, milestones: own, progress, status }
  })
  return { plan, commitments: list, progress: planProgress(list.map((c) => c.progress)), today }
}

/** The plans of a territory the person may see: published and closed ones for everyone, all for its staff. */
export async function listPlans(
  db: Db,
  options: { territoryId: string; actor: CurrentUser | null },
): Promise<PlanRow[]> {
  const staff =
    can(options.actor, 'plan.edit', options.territoryId) || can(options.actor, 'plan.validate', options.territoryId)
  return db
    .select()
    .from(actionPlans)
    .where(
      and(
        eq(actionPlans.territoryId, options.territoryId),
        staff ? undefined : inArray(actionPlans.status, ['published', 'closed']),
      ),
    )
    .orderBy(sql`${actionPlans.periodStart} desc`)
}

/** One plan, if the person may see it (unpublished plans are for the territory's staff). Throws 404. */
export async function getVisiblePlan(db: Db, options: { planId: string; actor: CurrentUser | null }): Promise<PlanRow> {
  const plan = await findPlan(db, options.planId)
  const visible =
    plan.status === 'published' ||
    plan.status === 'closed' ||
    can(options.actor, 'plan.edit', plan.territoryId) ||
    can(options.actor, 'plan.validate', plan.territoryId)
  if (!visible) throw notFound()
  return plan
}

/** The history of a commitment, oldest first. */
export async function listCommitmentHistory(db: Db, commitmentId: string) {
  return db
    .select()
    .from(historyEntries)
    .where(eq(historyEntries.commitmentId, commitmentId))
    .orderBy(asc(historyEntries.seq))
}

/**
 * An evidence file that a public history entry cites, with its digest (the bytes are in the file store);
 * undefined otherwise, so that nothing uploaded but unpublished can be fetched.
 */
export async function findPublicEvidence(db: Db, fileId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(fileId)) return undefined
  const [row] = await queryRows<{ sha256: string; filename: string; content_type: string; size_bytes: number }>(
    db,
    sql`select f.sha256, f.filename, f.content_type, f.size_bytes from evidence_files f
      where f.id = ${fileId} and exists (
        select 1 from history_entries h join action_plans p on p.id = h.plan_id and p.status in ('published', 'closed')
        where h.territory_id = f.territory_id and h.content -> 'files' @> ${JSON.stringify([{ id: fileId }])}::jsonb)`,
  )
  return row
}

/** A territory's plan with this exact title, if any. */
export async function findPlanByTitle(db: Db, territoryId: string, title: string): Promise<PlanRow | undefined> {
  const [plan] = await db
    .select()
    .from(actionPlans)
    .where(and(eq(actionPlans.territoryId, territoryId), eq(actionPlans.title, title)))
  return plan
}

export { findCommitment, findPlan }
