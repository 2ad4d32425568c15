import { and, eq, sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { assertCan, authorizedIn } from '../../platform/auth/policy.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, forbidden } from '../../platform/errors.ts'
import type { ImportMessage } from '../../platform/import/text.ts'
import type { ImportedCommitment, ImportedMilestone, ImportedPlan, ReadPlans } from './import-formats.ts'
import { networkChanged } from './network-cache.ts'
import { actionPlans, commitments, milestones, type CommitmentRow, type MilestoneRow, type PlanRow } from './tables.ts'

/**
 * What an import of action plans does, computed from what the database holds — the same computation for the
 * preview, `--dry-run` and the import itself, which runs it again inside its transaction and writes. A row is
 * matched by its source identifier (else, within its plan, by its exact title): matched and different, it is
 * updated in a draft plan; a plan that left the draft is never changed by an import (its history is public).
 */

export type ImportTarget = { planId: string } | { territoryId: string }

export type ChangeAction = 'create' | 'update' | 'unchanged' | 'locked'

export interface PlannedChange {
  level: 'plan' | 'commitment' | 'milestone'
  action: ChangeAction
  title: string
  line?: number
  /** the fields an update changes */
  fields?: string[]
}

export interface ImportOutcome {
  changes: PlannedChange[]
  counts: Record<`${PlannedChange['level']}.${ChangeAction}`, number>
  warnings: ImportMessage[]
  /** the plans written to (or that would be) */
  planIds: string[]
}

const COMMITMENT_FIELDS = [
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
const MILESTONE_FIELDS = ['title', 'deliverable', 'startDate', 'dueDate', 'responsible', 'weight'] as const

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
const budget = (value: string | null) => (value === null ? null : Number(value).toFixed(2))

function changedCommitmentFields(row: CommitmentRow, imported: ImportedCommitment): string[] {
  const fields: string[] = COMMITMENT_FIELDS.filter((field) =>
    field === 'budgetEur'
      ? budget(row.budgetEur) !== budget(imported.input.budgetEur)
      : !same(row[field], imported.input[field]),
  )
  if ((row.sourceUrl ?? null) !== imported.sourceUrl && imported.sourceUrl) fields.push('sourceUrl')
  if (!row.sourceKey && imported.sourceKey) fields.push('sourceKey')
  return fields
}

function changedMilestoneFields(row: MilestoneRow, imported: ImportedMilestone): string[] {
  const fields: string[] = MILESTONE_FIELDS.filter((field) =>
    field === 'weight'
      ? budget(row.weight) !== budget(imported.input.weight)
      : !same(row[field], imported.input[field]),
  )
  if (row.status !== imported.status) fields.push('status')
  if (row.progress !== imported.progress) fields.push('progress')
  if (!row.sourceKey && imported.sourceKey) fields.push('sourceKey')
  return fields
}

/** A row matched by its source identifier, else by its exact title among those without one. */
function matchOf<Row extends { sourceKey: string | null; title: string }>(
  rows: Row[],
  imported: { sourceKey: string | null; input: { title: string } },
): Row | undefined {
  return (
    (imported.sourceKey ? rows.find((r) => r.sourceKey === imported.sourceKey) : undefined) ??
    rows.find((r) => (r.sourceKey === null || r.sourceKey === imported.sourceKey) && r.title === imported.input.title)
  )
}

interface Options {
  /** null: the platform itself (the command line) */
  actor: CurrentUser | null
  target: ImportTarget
  read: ReadPlans
  /** the source plans to import (their source keys); all when absent. Into one plan, exactly one. */
  chosen?: string[]
  write: boolean
}

/**
 * Computes (and with `write`, makes) an import. Into an existing plan (`planId`, a draft): the chosen source plan's
 * commitments. Into a territory: one plan per chosen source plan, created or updated by its source identifier.
 * Throws 403, 404, 409 (the target plan is not a draft), 422 (nothing chosen, or several for one plan).
 */
export async function runPlanImport(db: Db, options: Options): Promise<ImportOutcome> {
  const { actor, read } = options
  if (read.errors.length > 0)
    throw new AppError('IMPORT_INVALID', { status: 422, userMessage: 'Le fichier a des erreurs : rien n’est importé.' })
  const sources = options.chosen
    ? read.plans.filter((p) => p.sourceKey === null || options.chosen!.includes(p.sourceKey))
    : read.plans
  if (sources.length === 0)
    throw new AppError('NOTHING_CHOSEN', {
      status: 422,
      userMessage: 'Choisissez au moins un plan à importer.',
      localized: (t) => t('plans.import.nothingChosen'),
    })
  const target = 'planId' in options.target ? await findTargetPlan(db, options.target.planId) : null
  const territoryId = target ? target.territoryId : (options.target as { territoryId: string }).territoryId
  if (actor) assertCan(actor, 'plan.edit', territoryId)
  if (target && target.status !== 'draft')
    throw new AppError('PLAN_LOCKED', {
      status: 409,
      userMessage: 'Seul un plan en brouillon reçoit un import.',
      localized: (t) => t('plans.import.locked'),
    })
  if (target && sources.length > 1)
    throw new AppError('CHOOSE_ONE', {
      status: 422,
      userMessage: 'Ce fichier contient plusieurs plans : choisissez celui à importer dans ce plan.',
      localized: (t) => t('plans.import.chooseOne', { count: sources.length }),
    })
  const run = async (tx: Db): Promise<ImportOutcome> => {
    if (
      actor &&
      options.write &&
      (await queryRows(tx, sql`select 1 where ${authorizedIn(actor, 'plan.edit', sql`${territoryId}::uuid`)}`))
        .length === 0
    )
      throw forbidden()
    const outcome: ImportOutcome = {
      changes: [],
      counts: {} as ImportOutcome['counts'],
      warnings: [...read.warnings],
      planIds: [],
    }
    const note = (change: PlannedChange) => {
      outcome.changes.push(change)
      const key = `${change.level}.${change.action}` as const
      outcome.counts[key] = (outcome.counts[key] ?? 0) + 1
    }
    for (const source of sources) {
      let plan: PlanRow | null = target
      if (!plan) {
        const [existing] = source.sourceKey
          ? await tx
              .select()
              .from(actionPlans)
              .where(and(eq(actionPlans.territoryId, territoryId), eq(actionPlans.sourceKey, source.sourceKey)))
          : []
        if (existing && existing.status !== 'draft') {
          note({ level: 'plan', action: 'locked', title: existing.title })
          continue
        }
        if (existing) {
          plan = existing
          note({ level: 'plan', action: 'unchanged', title: existing.title })
        } else {
          note({ level: 'plan', action: 'create', title: source.title })
          plan = options.write ? await createImportedPlan(tx, actor, territoryId, source) : null
        }
      }
      if (plan) outcome.planIds.push(plan.id)
      await importCommitments(tx, { plan, source, write: options.write, note, territoryId })
    }
    if (options.write) {
      for (const planId of outcome.planIds) {
        await recordAudit(tx, {
          actorId: actor?.id ?? null,
          territoryId,
          action: 'plan.imported',
          subjectType: 'action_plan',
          subjectId: planId,
          after: { format: read.format, counts: outcome.counts },
        })
      }
      networkChanged()
    }
    return outcome
  }
  return options.write ? db.transaction(run) : run(db)
}

async function findTargetPlan(db: Db, planId: string): Promise<PlanRow> {
  if (!/^[0-9a-f-]{36}$/i.test(planId))
    throw new AppError('NOT_FOUND', { status: 404, userMessage: 'Page introuvable.' })
  const [plan] = await db.select().from(actionPlans).where(eq(actionPlans.id, planId))
  if (!plan) throw new AppError('NOT_FOUND', { status: 404, userMessage: 'Page introuvable.' })
  return plan
}

async function createImportedPlan(
  tx: Db,
  actor: CurrentUser | null,
  territoryId: string,
  source: ImportedPlan,
): Promise<PlanRow> {
  const today = new Date().toISOString().slice(0, 10)
  const periodStart = source.periodStart ?? today
  const [plan] = await tx
    .insert(actionPlans)
    .values({
      territoryId,
      title: source.title.slice(0, 300) || 'Plan d’action importé',
      periodStart,
      periodEnd: source.periodEnd && source.periodEnd >= periodStart ? source.periodEnd : periodStart,
      createdBy: actor?.id ?? null,
      sourceKey: source.sourceKey,
    })
    .returning()
  return plan!
}

async function importCommitments(
  tx: Db,
  context: {
    plan: PlanRow | null
    source: ImportedPlan
    write: boolean
    note: (change: PlannedChange) => void
    territoryId: string
  },
): Promise<void> {
  const { plan, source, write, note } = context
  const rows = plan ? await tx.select().from(commitments).where(eq(commitments.planId, plan.id)) : []
  let position = rows.reduce((max, r) => Math.max(max, r.position), 0)
  for (const imported of source.commitments) {
    const row = matchOf(rows, imported)
    let commitmentId: string | null = row?.id ?? null
    if (!row) {
      note({ level: 'commitment', action: 'create', title: imported.input.title, line: imported.line })
      if (write && plan) {
        position += 1
        const [created] = await tx
          .insert(commitments)
          .values({
            ...imported.input,
            planId: plan.id,
            territoryId: plan.territoryId,
            position,
            sourceKey: imported.sourceKey,
            sourceUrl: imported.sourceUrl,
          })
          .returning({ id: commitments.id })
        commitmentId = created!.id
      }
    } else {
      const fields = changedCommitmentFields(row, imported)
      note({
        level: 'commitment',
        action: fields.length > 0 ? 'update' : 'unchanged',
        title: imported.input.title,
        line: imported.line,
        ...(fields.length > 0 ? { fields } : {}),
      })
      if (write && fields.length > 0) {
        await tx
          .update(commitments)
          .set({
            ...imported.input,
            sourceKey: row.sourceKey ?? imported.sourceKey,
            sourceUrl: imported.sourceUrl ?? row.sourceUrl,
            version: sql`${commitments.version} + 1`,
            updatedAt: new Date(),
          })
          .where(eq(commitments.id, row.id))
      }
    }
    await importMilestones(tx, { commitmentId, territoryId: context.territoryId, imported, write, note })
  }
}

async function importMilestones(
  tx: Db,
  context: {
    commitmentId: string | null
    territoryId: string
    imported: ImportedCommitment
    write: boolean
    note: (change: PlannedChange) => void
  },
): Promise<void> {
  const { commitmentId, imported, write, note } = context
  if (imported.milestones.length === 0) return
  const rows = commitmentId ? await tx.select().from(milestones).where(eq(milestones.commitmentId, commitmentId)) : []
  let position = rows.reduce((max, r) => Math.max(max, r.position), 0)
  for (const milestone of imported.milestones) {
    const row = matchOf(rows, milestone)
    const state = {
      status: milestone.status,
      progress: milestone.status === 'termine' ? 100 : milestone.progress,
      completedOn: milestone.status === 'termine' ? milestone.input.dueDate : null,
    }
    if (!row) {
      note({ level: 'milestone', action: 'create', title: milestone.input.title, line: milestone.line })
      if (write && commitmentId) {
        position += 1
        await tx.insert(milestones).values({
          ...milestone.input,
          ...state,
          commitmentId,
          territoryId: context.territoryId,
          position,
          sourceKey: milestone.sourceKey,
        })
      }
      continue
    }
    const fields = changedMilestoneFields(row, milestone)
    note({
      level: 'milestone',
      action: fields.length > 0 ? 'update' : 'unchanged',
      title: milestone.input.title,
      line: milestone.line,
      ...(fields.length > 0 ? { fields } : {}),
    })
    if (write && fields.length > 0) {
      await tx
        .update(milestones)
        .set({
          ...milestone.input,
          ...state,
          sourceKey: row.sourceKey ?? milestone.sourceKey,
          version: sql`${milestones.version} + 1`,
          updatedAt: new Date(),
        })
        .where(eq(milestones.id, row.id))
    }
  }
}
