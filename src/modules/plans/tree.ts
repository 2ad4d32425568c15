/** What the plans' pages and API read: a plan with its commitments, milestones and progress; lists; evidence. */
import { and, asc, eq, getTableName, inArray, sql } from 'drizzle-orm'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { can } from '../../platform/auth/policy.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import type { ReadCache } from '../../platform/db/read-cache.ts'
import { notFound } from '../../platform/errors.ts'
import {
  commitmentProgress,
  derivedCommitmentStatus,
  isHeldStatus,
  milestoneProgress,
  planProgress,
  shownStatus,
  todayInParis,
  type Status,
} from './progress.ts'
import {
  actionPlans,
  commitments,
  historyEntries,
  milestones,
  type CommitmentRow,
  type MilestoneRow,
  type PlanRow,
} from './tables.ts'
import { findPlan } from './service.ts'

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
export async function getVisiblePlan(
  db: Db,
  options: { planId: string; actor: CurrentUser | null; reads?: ReadCache },
): Promise<PlanRow> {
  const { planId, reads } = options
  // the plan's row is kept until a plan is written; who may see it is decided for each reader
  const plan = reads
    ? await reads.read(`plans:plan ${planId}`, () => findPlan(db, planId), { tables: [getTableName(actionPlans)] })
    : await findPlan(db, planId)
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
