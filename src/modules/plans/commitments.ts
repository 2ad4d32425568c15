/** A plan's commitments and milestones: adding, revising, deleting from a draft. */
import { and, eq, sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { assertCan, authorizedIn } from '../../platform/auth/policy.ts'
import { queryRows, referencesTo, type Db } from '../../platform/db/index.ts'
import { AppError, forbidden, notFound } from '../../platform/errors.ts'
import type { MessageKey, Translate } from '../../platform/i18n/index.ts'
import { appendHistory } from './history.ts'
import { networkChanged } from './network-cache.ts'
import { commitments, milestones, type CommitmentRow, type MilestoneRow } from './tables.ts'
import { explainMiss, findCommitment, findPlan, locked, type CommitmentInput, type MilestoneInput } from './service.ts'

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
