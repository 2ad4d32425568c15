import { sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { authorizedIn, can } from '../../platform/auth/policy.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { conflict, forbidden, invalid } from '../../platform/errors.ts'
import { addCommitment, findPlan, isCommitmentOfTerritory } from '../plans/index.ts'
import { assertManager, findAssembly, type AssemblyRow } from './service.ts'
import { ANSWERS, type ProposalRow, findProposal } from './proposals.ts'

import { check, length } from './deliberation.ts'
/** The organisers publish the assembly's final report. */
export async function publishReport(
  db: Db,
  options: { actor: CurrentUser; assemblyId: string; report: string },
): Promise<void> {
  const { actor, assemblyId, report } = options
  const assembly = await findAssembly(db, assemblyId)
  check(length(report, 1, 200000) ? {} : { report: 'assembly.error.report' })
  await db.transaction(async (tx) => {
    await assertManager(tx, actor, assemblyId)
    await tx.execute(
      sql`update assemblies set report = ${report.trim()}, report_published_at = coalesce(report_published_at, now()), updated_at = now() where id = ${assemblyId}`,
    )
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assembly.territoryId,
      action: 'assembly.report_published',
      subjectType: 'assembly',
      subjectId: assemblyId,
      before: { report: assembly.report },
      after: { report },
    })
  })
}

// ——— hand-over: the decision-maker's answers ———

/** The territory's elected officials (the executive) answer; for the State, the network's team records the answer. */
export function canAnswer(user: CurrentUser | null, assembly: Pick<AssemblyRow, 'territoryId'>): boolean {
  if (!user) return false
  return assembly.territoryId ? can(user, 'assembly.answer', assembly.territoryId) : user.isPlatformAdmin
}

export interface AnswerInput {
  answer: string
  text: string
  /** an action plan of the territory, draft or published (then as a public revision), in which the accepted proposal becomes a commitment */
  planId: string | null
  /** or an existing commitment of the territory that carries it */
  commitmentId: string | null
}

/**
 * The decision-maker's public answer to an adopted proposal. Accepted (as is or modified), it becomes a commitment
 * of an action plan of the territory — a draft, or the running published plan as a visible revision — or is linked
 * to an existing commitment: the dashboard then shows its progress, and the commitment's page names the proposal.
 */
export async function answerProposal(
  db: Db,
  options: { actor: CurrentUser; proposalId: string; input: AnswerInput },
): Promise<string> {
  const { actor, proposalId, input } = options
  const proposal = await findProposal(db, proposalId)
  const assembly = await findAssembly(db, proposal.assemblyId)
  if (!canAnswer(actor, assembly)) throw forbidden('Réservé aux élus du territoire.')
  if (proposal.status !== 'adopted')
    throw conflict('NOT_ADOPTED', 'Seules les propositions adoptées par le panel reçoivent une réponse.')
  const errors: Record<string, string> = {}
  if (!(ANSWERS as readonly string[]).includes(input.answer)) errors.answer = 'assembly.error.answer'
  if (!length(input.text, 10, 20000)) errors.text = 'assembly.error.answerText'
  const accepted = input.answer === 'accepted' || input.answer === 'modified'
  if (!accepted && (input.planId || input.commitmentId)) errors.planId = 'assembly.error.notAccepted'
  if (input.planId && input.commitmentId) errors.planId = 'assembly.error.planOrCommitment'
  // once a commitment carries the proposal, the answer stays an acceptance and the link stays
  if (proposal.commitmentId && (input.planId || input.commitmentId)) errors.planId = 'assembly.error.alreadyCommitment'
  if (proposal.commitmentId && !accepted) errors.answer = 'assembly.error.keepAccepted'
  check(errors)
  await db.transaction(async (tx) => {
    const answerRule = assembly.territoryId
      ? authorizedIn(actor, 'assembly.answer', sql`${assembly.territoryId}::uuid`)
      : sql`exists (select 1 from users u where u.id = ${actor.id} and u.is_platform_admin and u.deleted_at is null)`
    if ((await queryRows(tx, sql`select 1 where ${answerRule}`)).length === 0) throw forbidden()
    let commitmentId: string | null = null
    if (input.planId) {
      const plan = await findPlan(tx, input.planId).catch(() => null)
      if (
        !plan ||
        plan.territoryId !== assembly.territoryId ||
        (plan.status !== 'draft' && plan.status !== 'published')
      )
        throw invalid({ planId: 'assembly.error.plan' })
      const origin = `Proposition n° ${proposal.number} de l’assemblée citoyenne « ${assembly.title} » (/propositions-assemblee/${proposalId})`
      const created = await addCommitment(tx, {
        actor,
        planId: plan.id,
        origin,
        input: {
          title: proposal.title.slice(0, 300),
          problem: proposal.objective ?? '',
          description: proposal.body,
          contribution: `${origin}. Réponse : ${input.text.trim()}`,
          ogpValues: ['civic_participation'],
          expectedImpacts: '',
          leadActor: '',
          supportingActors: '',
          themes: proposal.theme ? [proposal.theme] : [],
          startDate: null,
          endDate: null,
          budgetEur: null,
          deliberationUrl: null,
        },
      })
      commitmentId = created.id
    } else if (input.commitmentId) {
      if (!assembly.territoryId || !(await isCommitmentOfTerritory(tx, input.commitmentId, assembly.territoryId)))
        throw invalid({ commitmentId: 'assembly.error.commitment' })
      commitmentId = input.commitmentId
    }
    const done = await queryRows(
      tx,
      sql`update assembly_proposals set answer = ${input.answer}, answer_text = ${input.text.trim()}, answered_at = now(), commitment_id = coalesce(${commitmentId}::uuid, commitment_id), updated_at = now()
          where id = ${proposalId} and status = 'adopted' returning id`,
    )
    if (done.length === 0)
      throw conflict('NOT_ADOPTED', 'Seules les propositions adoptées par le panel reçoivent une réponse.')
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assembly.territoryId,
      action: 'assembly.proposal_answered',
      subjectType: 'assembly_proposal',
      subjectId: proposalId,
      before: { answer: proposal.answer, text: proposal.answerText },
      after: { ...input, commitmentId },
    })
  })
  return proposal.assemblyId
}

/** Counts of the proposals' fates, for the assembly page. */
export function fates(proposals: ProposalRow[]) {
  const count = (f: (p: ProposalRow) => boolean) => proposals.filter(f).length
  return {
    total: proposals.length,
    adopted: count((p) => p.status === 'adopted'),
    rejectedByPanel: count((p) => p.status === 'rejected'),
    inProgress: count((p) => p.status === 'drafted' || p.status === 'amending' || p.status === 'voting'),
    awaitingAnswer: count((p) => p.status === 'adopted' && p.answer === null),
    accepted: count((p) => p.answer === 'accepted'),
    modified: count((p) => p.answer === 'modified'),
    rejected: count((p) => p.answer === 'rejected'),
    referred: count((p) => p.answer === 'referred'),
    commitments: count((p) => p.commitmentId !== null),
  }
}
