/** Progress updates: what the staff report on a published plan, into its hash-chained history. */
import { and, eq, sql } from 'drizzle-orm'
import { recordActivity } from '../../platform/activity.ts'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { assertCan, authorizedIn } from '../../platform/auth/policy.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, forbidden } from '../../platform/errors.ts'
import { appendHistory } from './history.ts'
import { networkChanged } from './network-cache.ts'
import { todayInParis, type Status } from './progress.ts'
import { commitments, evidenceFiles, historyEntries, milestones } from './tables.ts'
import { findCommitment, findPlan, type EvidenceFile, type UpdateInput } from './service.ts'

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
