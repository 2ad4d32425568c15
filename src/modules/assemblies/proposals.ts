import { sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { conflict, forbidden, notFound } from '../../platform/errors.ts'
import { todayInParis } from '../../platform/paris-time.ts'
import { assertManager } from './service.ts'

import { check, length, activeMemberSql } from './deliberation.ts'
export type ProposalStatus = 'drafted' | 'amending' | 'voting' | 'adopted' | 'rejected'

export type Answer = 'accepted' | 'modified' | 'rejected' | 'referred'

export const ANSWERS: readonly Answer[] = ['accepted', 'modified', 'rejected', 'referred']

export interface ProposalRow {
  id: string
  assemblyId: string
  territoryId: string | null
  groupId: string | null
  groupName: string | null
  number: number
  title: string
  body: string
  theme: string | null
  objective: string | null
  status: ProposalStatus
  version: number
  votesFor: number | null
  votesAgainst: number | null
  votesAbstain: number | null
  quorumPercent: number | null
  panelSizeAtClose: number | null
  quorumMet: boolean | null
  answer: Answer | null
  answerText: string | null
  answeredAt: Date | null
  commitmentId: string | null
  commitmentTitle: string | null
  commitmentStatus: string | null
  planId: string | null
}

// the commitment's status as its dashboard shows it today (the SQL function follows its milestones)
const proposalColumns =
  () => sql`p.id, p.assembly_id as "assemblyId", p.territory_id as "territoryId", p.group_id as "groupId", g.name as "groupName", p.number, p.title, p.body, p.theme, p.objective, p.status, p.version,
  p.votes_for as "votesFor", p.votes_against as "votesAgainst", p.votes_abstain as "votesAbstain",
  p.quorum_percent as "quorumPercent", p.panel_size_at_close as "panelSizeAtClose", p.quorum_met as "quorumMet", p.answer, p.answer_text as "answerText",
  p.answered_at as "answeredAt", p.commitment_id as "commitmentId", c.title as "commitmentTitle", case when c.id is null then null else commitment_status(c.id, ${todayInParis()}::date) end as "commitmentStatus", c.plan_id as "planId"`

const PROPOSAL_FROM = sql`assembly_proposals p left join assembly_groups g on g.id = p.group_id left join public_commitments c on c.id = p.commitment_id`

export async function listProposals(db: Db, assemblyId: string): Promise<ProposalRow[]> {
  return queryRows<ProposalRow>(
    db,
    sql`select ${proposalColumns()} from ${PROPOSAL_FROM} where p.assembly_id = ${assemblyId} order by p.number`,
  )
}

export async function findProposal(db: Db, id: string): Promise<ProposalRow> {
  const [row] = await queryRows<ProposalRow>(
    db,
    sql`select ${proposalColumns()} from ${PROPOSAL_FROM} where p.id = ${id}`,
  )
  if (!row) throw notFound()
  return row
}

const validateProposal = (input: { title: string; body: string }) =>
  check({
    ...(length(input.title, 3, 300) ? {} : { title: 'assembly.error.title' }),
    ...(length(input.body, 1, 50000) ? {} : { body: 'assembly.error.body' }),
  })

/** A member of a working group drafts a proposal for the group. */
export async function draftProposal(
  db: Db,
  options: { actor: CurrentUser; groupId: string; input: { title: string; body: string } },
): Promise<string> {
  const { actor, groupId, input } = options
  const [group] = await queryRows<{ assemblyId: string; territoryId: string | null }>(
    db,
    sql`select assembly_id as "assemblyId", territory_id as "territoryId" from assembly_groups where id = ${groupId}`,
  )
  if (!group) throw notFound()
  validateProposal(input)
  return db.transaction(async (tx) => {
    const [row] = await queryRows<{ id: string }>(
      tx,
      sql`insert into assembly_proposals (assembly_id, territory_id, group_id, number, title, body, created_by)
          select ${group.assemblyId}, ${group.territoryId}, ${groupId},
            (select coalesce(max(number), 0) + 1 from assembly_proposals where assembly_id = ${group.assemblyId}), ${input.title.trim()}, ${input.body.trim()}, ${actor.id}
          where exists (select 1 from assembly_group_members gm where gm.group_id = ${groupId} and gm.member_id = ${activeMemberSql(actor.id, group.assemblyId)})
          returning id`,
    )
    if (!row) throw forbidden('Réservé aux membres de ce groupe de travail.')
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: group.territoryId,
      action: 'assembly.proposal_drafted',
      subjectType: 'assembly_proposal',
      subjectId: row.id,
      after: input,
    })
    return row.id
  })
}

/** The group's members edit their proposal while it is a draft. */
export async function editProposal(
  db: Db,
  options: { actor: CurrentUser; proposalId: string; input: { title: string; body: string } },
): Promise<void> {
  const { actor, proposalId, input } = options
  const proposal = await findProposal(db, proposalId)
  validateProposal(input)
  await db.transaction(async (tx) => {
    const done = await queryRows(
      tx,
      sql`update assembly_proposals p set title = ${input.title.trim()}, body = ${input.body.trim()}, updated_at = now()
          where p.id = ${proposalId} and p.status = 'drafted'
            and exists (select 1 from assembly_group_members gm where gm.group_id = p.group_id and gm.member_id = ${activeMemberSql(actor.id, proposal.assemblyId)})
          returning p.id`,
    )
    if (done.length === 0) throw forbidden('Réservé aux membres du groupe, tant que la proposition est un brouillon.')
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: proposal.territoryId,
      action: 'assembly.proposal_edited',
      subjectType: 'assembly_proposal',
      subjectId: proposalId,
      before: { title: proposal.title, body: proposal.body },
      after: input,
    })
  })
}

/** The organisers open a proposal to amendments (drafted → amending). */
export async function openAmendments(db: Db, actor: CurrentUser, proposalId: string): Promise<void> {
  const proposal = await findProposal(db, proposalId)
  await db.transaction(async (tx) => {
    await assertManager(tx, actor, proposal.assemblyId)
    const done = await queryRows(
      tx,
      sql`update assembly_proposals set status = 'amending', updated_at = now() where id = ${proposalId} and status = 'drafted' returning id`,
    )
    if (done.length === 0) throw conflict('PHASE', 'Seul un brouillon s’ouvre aux amendements.')
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: proposal.territoryId,
      action: 'assembly.proposal_amending',
      subjectType: 'assembly_proposal',
      subjectId: proposalId,
    })
  })
}

export interface AmendmentRow {
  id: string
  proposalId: string
  authorNumber: number | null
  body: string
  reason: string
  basedOn: number
  status: 'proposed' | 'voting' | 'adopted' | 'rejected'
  votesFor: number | null
  votesAgainst: number | null
  votesAbstain: number | null
  quorumPercent: number | null
  panelSizeAtClose: number | null
  quorumMet: boolean | null
}

export async function listAmendments(db: Db, proposalId: string): Promise<AmendmentRow[]> {
  return queryRows<AmendmentRow>(
    db,
    sql`select a.id, a.proposal_id as "proposalId", v.number as "authorNumber", a.body, a.reason, a.based_on as "basedOn", a.status,
          a.votes_for as "votesFor", a.votes_against as "votesAgainst", a.votes_abstain as "votesAbstain",
          a.quorum_percent as "quorumPercent", a.panel_size_at_close as "panelSizeAtClose", a.quorum_met as "quorumMet"
        from assembly_amendments a left join assembly_members m on m.id = a.author_member_id left join assembly_volunteers v on v.id = m.volunteer_id
        where a.proposal_id = ${proposalId} order by a.created_at`,
  )
}

/** Any active panel member proposes a new wording of a proposal open to amendments. */
export async function proposeAmendment(
  db: Db,
  options: { actor: CurrentUser; proposalId: string; input: { body: string; reason: string } },
): Promise<void> {
  const { actor, proposalId, input } = options
  const proposal = await findProposal(db, proposalId)
  check({
    ...(length(input.body, 1, 50000) ? {} : { body: 'assembly.error.body' }),
    ...(input.reason.length <= 5000 ? {} : { reason: 'assembly.error.reason' }),
  })
  await db.transaction(async (tx) => {
    const rows = await queryRows<{ id: string }>(
      tx,
      sql`insert into assembly_amendments (proposal_id, assembly_id, territory_id, author_member_id, body, reason, based_on)
          select p.id, p.assembly_id, p.territory_id, ${activeMemberSql(actor.id, proposal.assemblyId)}, ${input.body.trim()}, ${input.reason.trim()}, p.version
          from assembly_proposals p where p.id = ${proposalId} and p.status = 'amending' and ${activeMemberSql(actor.id, proposal.assemblyId)} is not null
          returning id`,
    )
    if (rows.length === 0) {
      if (proposal.status !== 'amending')
        throw conflict('PHASE', 'Cette proposition n’est pas ouverte aux amendements.')
      throw forbidden('Réservé aux membres du panel.')
    }
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: proposal.territoryId,
      action: 'assembly.amendment_proposed',
      subjectType: 'assembly_proposal',
      subjectId: proposalId,
      after: { amendmentId: rows[0]!.id },
    })
  })
}

/** The proposal a vote is about: the proposal itself, or the one an amendment changes. */
export async function proposalOfVoteSubject(db: Db, subjectId: string): Promise<string> {
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`select id from assembly_proposals where id = ${subjectId}
        union all select proposal_id from assembly_amendments where id = ${subjectId}`,
  )
  if (!row) throw notFound()
  return row.id
}
