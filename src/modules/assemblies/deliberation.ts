import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import type { Sealer } from '../../platform/auth/sealing.ts'
import { authorizedIn, can } from '../../platform/auth/policy.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors.ts'
import { isIsoDate } from '../../platform/http/rules.ts'
import { todayInParis } from '../../platform/paris-time.ts'
import { addCommitment, findPlan, isCommitmentOfTerritory } from '../plans/index.ts'
import { assertManager, findAssembly, isQuorum, type AssemblyRow, type Majority } from './service.ts'

const check = (errors: Record<string, string>) => {
  if (Object.keys(errors).length > 0) throw invalid(errors)
}
const length = (value: string, min: number, max: number) => value.trim().length >= min && value.length <= max

/** The active panel member this account sits as, or null. */
export async function memberOf(db: Db, userId: string | undefined, assemblyId: string): Promise<{ id: string } | null> {
  if (!userId) return null
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`select id from assembly_members where assembly_id = ${assemblyId} and user_id = ${userId} and status = 'active'`,
  )
  return row ?? null
}

/** How many people sit on the panel now (active members). */
export async function activePanelSize(db: Db, assemblyId: string): Promise<number> {
  const [row] = await queryRows<{ count: number }>(
    db,
    sql`select count(*)::int as count from assembly_members where assembly_id = ${assemblyId} and status = 'active'`,
  )
  return row!.count
}

const activeMemberSql = (userId: string, assemblyId: unknown) =>
  sql`(select m.id from assembly_members m where m.assembly_id = ${assemblyId} and m.user_id = ${userId} and m.status = 'active')`

// ——— sessions, hearings, working groups (organisers) ———

export async function addSession(
  db: Db,
  options: {
    actor: CurrentUser
    assemblyId: string
    input: { title: string; startsOn: string; endsOn: string; place: string; programme: string }
  },
): Promise<void> {
  const { actor, assemblyId, input } = options
  const assembly = await findAssembly(db, assemblyId)
  const errors: Record<string, string> = {}
  if (!length(input.title, 3, 200)) errors.title = 'assembly.error.title'
  if (!isIsoDate(input.startsOn)) errors.startsOn = 'assembly.error.date'
  if (!isIsoDate(input.endsOn) || input.endsOn < input.startsOn) errors.endsOn = 'assembly.error.endDate'
  if (input.place.length > 300) errors.place = 'assembly.error.place'
  if (input.programme.length > 20000) errors.programme = 'assembly.error.programme'
  check(errors)
  await db.transaction(async (tx) => {
    await assertManager(tx, actor, assemblyId)
    const [row] = await queryRows<{ id: string }>(
      tx,
      sql`insert into assembly_sessions (assembly_id, territory_id, title, starts_on, ends_on, place, programme)
          values (${assemblyId}, ${assembly.territoryId}, ${input.title.trim()}, ${input.startsOn}, ${input.endsOn}, ${input.place.trim()}, ${input.programme.trim()}) returning id`,
    )
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assembly.territoryId,
      action: 'assembly.session_added',
      subjectType: 'assembly',
      subjectId: assemblyId,
      after: { sessionId: row!.id, ...input },
    })
  })
}

export async function listSessions(db: Db, assemblyId: string) {
  return queryRows<{ id: string; title: string; startsOn: string; endsOn: string; place: string; programme: string }>(
    db,
    sql`select id, title, starts_on::text as "startsOn", ends_on::text as "endsOn", place, programme from assembly_sessions where assembly_id = ${assemblyId} order by starts_on, title`,
  )
}

export interface HearingInput {
  sessionId: string | null
  expert: string
  affiliation: string
  topic: string
  viewpoint: string
  documents: string
}

export async function addHearing(
  db: Db,
  options: { actor: CurrentUser; assemblyId: string; input: HearingInput },
): Promise<void> {
  const { actor, assemblyId, input } = options
  const assembly = await findAssembly(db, assemblyId)
  const errors: Record<string, string> = {}
  if (!length(input.expert, 2, 200)) errors.expert = 'assembly.error.expert'
  if (!length(input.topic, 3, 300)) errors.topic = 'assembly.error.topic'
  if (input.affiliation.length > 300) errors.affiliation = 'assembly.error.affiliation'
  if (input.viewpoint.length > 2000) errors.viewpoint = 'assembly.error.viewpoint'
  if (input.documents.length > 5000) errors.documents = 'assembly.error.documents'
  if (
    input.sessionId &&
    (
      await queryRows(
        db,
        sql`select 1 from assembly_sessions where id = ${input.sessionId} and assembly_id = ${assemblyId}`,
      )
    ).length === 0
  )
    errors.sessionId = 'assembly.error.session'
  check(errors)
  await db.transaction(async (tx) => {
    await assertManager(tx, actor, assemblyId)
    await tx.execute(sql`insert into assembly_hearings (assembly_id, territory_id, session_id, expert, affiliation, topic, viewpoint, documents)
      values (${assemblyId}, ${assembly.territoryId}, ${input.sessionId}, ${input.expert.trim()}, ${input.affiliation.trim()}, ${input.topic.trim()}, ${input.viewpoint.trim()}, ${input.documents.trim()})`)
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assembly.territoryId,
      action: 'assembly.hearing_added',
      subjectType: 'assembly',
      subjectId: assemblyId,
      after: input,
    })
  })
}

export async function listHearings(db: Db, assemblyId: string) {
  return queryRows<{
    id: string
    sessionId: string | null
    sessionTitle: string | null
    expert: string
    affiliation: string
    topic: string
    viewpoint: string
    documents: string
  }>(
    db,
    sql`select h.id, h.session_id as "sessionId", s.title as "sessionTitle", h.expert, h.affiliation, h.topic, h.viewpoint, h.documents
        from assembly_hearings h left join assembly_sessions s on s.id = h.session_id where h.assembly_id = ${assemblyId} order by s.starts_on nulls last, h.created_at`,
  )
}

export interface GroupInput {
  name: string
  mandate: string
  memberNumbers: number[]
}

function validateGroup(input: GroupInput): void {
  const errors: Record<string, string> = {}
  if (!length(input.name, 2, 200)) errors.name = 'assembly.error.groupName'
  if (input.mandate.length > 5000) errors.mandate = 'assembly.error.mandate'
  check(errors)
}

/** The active members named by their volunteer numbers; an unknown number is a field error. */
async function membersByNumber(
  tx: Db,
  assemblyId: string,
  numbers: number[],
): Promise<{ id: string; number: number }[]> {
  const members = await queryRows<{ id: string; number: number }>(
    tx,
    sql`select m.id, v.number from assembly_members m join assembly_volunteers v on v.id = m.volunteer_id where m.assembly_id = ${assemblyId} and m.status = 'active'`,
  )
  if (numbers.some((n) => !members.some((m) => m.number === n)))
    throw invalid({ memberNumbers: 'assembly.error.memberNumbers' })
  return members.filter((m) => numbers.includes(m.number))
}

/** A working group, with the panel members (by volunteer number) who sit in it. */
export async function addGroup(
  db: Db,
  options: { actor: CurrentUser; assemblyId: string; input: GroupInput },
): Promise<void> {
  const { actor, assemblyId, input } = options
  const assembly = await findAssembly(db, assemblyId)
  validateGroup(input)
  await db.transaction(async (tx) => {
    await assertManager(tx, actor, assemblyId)
    const members = await membersByNumber(tx, assemblyId, input.memberNumbers)
    const [group] = await queryRows<{ id: string }>(
      tx,
      sql`insert into assembly_groups (assembly_id, territory_id, name, mandate) values (${assemblyId}, ${assembly.territoryId}, ${input.name.trim()}, ${input.mandate.trim()})
          on conflict (assembly_id, name) do nothing returning id`,
    )
    if (!group) throw invalid({ name: 'assembly.error.groupTaken' })
    for (const m of members)
      await tx.execute(
        sql`insert into assembly_group_members (group_id, member_id, territory_id) values (${group.id}, ${m.id}, ${assembly.territoryId})`,
      )
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assembly.territoryId,
      action: 'assembly.group_added',
      subjectType: 'assembly',
      subjectId: assemblyId,
      after: input,
    })
  })
}

/**
 * The organisers rename a working group, rewrite its mandate or change who sits in it. Proposals the group drafted
 * stay its own; a member who leaves keeps the amendments and votes they made as a panel member.
 */
export async function updateGroup(
  db: Db,
  options: { actor: CurrentUser; assemblyId: string; groupId: string; input: GroupInput },
): Promise<void> {
  const { actor, assemblyId, groupId, input } = options
  const assembly = await findAssembly(db, assemblyId)
  validateGroup(input)
  await db.transaction(async (tx) => {
    await assertManager(tx, actor, assemblyId)
    const [before] = await queryRows<{ name: string; mandate: string; memberNumbers: number[] }>(
      tx,
      sql`select g.name, g.mandate, coalesce((select array_agg(v.number order by v.number) from assembly_group_members gm join assembly_members m on m.id = gm.member_id
            join assembly_volunteers v on v.id = m.volunteer_id where gm.group_id = g.id), '{}') as "memberNumbers"
          from assembly_groups g where g.id = ${groupId} and g.assembly_id = ${assemblyId} for update`,
    )
    if (!before) throw notFound()
    const members = await membersByNumber(tx, assemblyId, input.memberNumbers)
    const taken = await queryRows(
      tx,
      sql`select 1 from assembly_groups where assembly_id = ${assemblyId} and name = ${input.name.trim()} and id <> ${groupId}`,
    )
    if (taken.length > 0) throw invalid({ name: 'assembly.error.groupTaken' })
    await tx.execute(
      sql`update assembly_groups set name = ${input.name.trim()}, mandate = ${input.mandate.trim()} where id = ${groupId}`,
    )
    const keep = members.map((m) => sql`${m.id}::uuid`)
    await tx.execute(
      sql`delete from assembly_group_members where group_id = ${groupId} ${keep.length > 0 ? sql`and member_id not in (${sql.join(keep, sql`, `)})` : sql``}`,
    )
    for (const m of members)
      await tx.execute(
        sql`insert into assembly_group_members (group_id, member_id, territory_id) values (${groupId}, ${m.id}, ${assembly.territoryId}) on conflict do nothing`,
      )
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assembly.territoryId,
      action: 'assembly.group_updated',
      subjectType: 'assembly',
      subjectId: assemblyId,
      before: { groupId, ...before },
      after: { groupId, ...input },
    })
  })
}

export interface GroupRow {
  id: string
  name: string
  mandate: string
  /** active members */
  size: number
  /** volunteer numbers of its active members, in order */
  memberNumbers: number[]
}

export async function listGroups(db: Db, assemblyId: string): Promise<GroupRow[]> {
  return queryRows<GroupRow>(
    db,
    sql`select g.id, g.name, g.mandate,
          (select count(*)::int from assembly_group_members gm join assembly_members m on m.id = gm.member_id where gm.group_id = g.id and m.status = 'active') as size,
          coalesce((select array_agg(v.number order by v.number) from assembly_group_members gm join assembly_members m on m.id = gm.member_id
            join assembly_volunteers v on v.id = m.volunteer_id where gm.group_id = g.id and m.status = 'active'), '{}') as "memberNumbers"
        from assembly_groups g where g.assembly_id = ${assemblyId} order by g.name`,
  )
}

/** Groups this account sits in (as an active member). */
export async function groupsOfUser(db: Db, assemblyId: string, userId: string | undefined): Promise<string[]> {
  if (!userId) return []
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select gm.group_id as id from assembly_group_members gm join assembly_members m on m.id = gm.member_id
        where m.assembly_id = ${assemblyId} and m.user_id = ${userId} and m.status = 'active'`,
  )
  return rows.map((r) => r.id)
}

// ——— proposals, amendments, secret votes ———

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

type Subject = {
  kind: 'proposal' | 'amendment'
  id: string
  assemblyId: string
  territoryId: string | null
  proposalId: string
  status: string
}

async function subjectOf(db: Db, id: string): Promise<Subject> {
  const [proposal] = await queryRows<{ assemblyId: string; territoryId: string | null; status: string }>(
    db,
    sql`select assembly_id as "assemblyId", territory_id as "territoryId", status from assembly_proposals where id = ${id}`,
  )
  if (proposal) return { kind: 'proposal', id, proposalId: id, ...proposal }
  const [amendment] = await queryRows<{
    assemblyId: string
    territoryId: string | null
    status: string
    proposalId: string
  }>(
    db,
    sql`select assembly_id as "assemblyId", territory_id as "territoryId", status, proposal_id as "proposalId" from assembly_amendments where id = ${id}`,
  )
  if (amendment) return { kind: 'amendment', id, ...amendment }
  throw notFound()
}

/**
 * The organisers open the vote on an amendment (proposed → voting) or on a proposal (amending → voting, once every
 * amendment is decided).
 */
export async function openVote(
  db: Db,
  options: { actor: CurrentUser; subjectId: string; quorumPercent?: number },
): Promise<string> {
  const { actor, subjectId, quorumPercent } = options
  const subject = await subjectOf(db, subjectId)
  if (quorumPercent !== undefined && !isQuorum(quorumPercent)) throw invalid({ quorumPercent: 'assembly.error.quorum' })
  const quorum = quorumPercent ?? (await findAssembly(db, subject.assemblyId)).quorumPercent
  await db.transaction(async (tx) => {
    await assertManager(tx, actor, subject.assemblyId)
    if (subject.kind === 'proposal') {
      const pending = await queryRows(
        tx,
        sql`select 1 from assembly_amendments where proposal_id = ${subjectId} and status in ('proposed', 'voting')`,
      )
      if (pending.length > 0)
        throw conflict('AMENDMENTS_PENDING', 'Des amendements attendent leur vote : votez-les avant la proposition.')
      const done = await queryRows(
        tx,
        sql`update assembly_proposals set status = 'voting', quorum_percent = ${quorum}, updated_at = now() where id = ${subjectId} and status = 'amending' returning id`,
      )
      if (done.length === 0) throw conflict('PHASE', 'Le vote s’ouvre sur une proposition passée par les amendements.')
    } else {
      const done = await queryRows(
        tx,
        sql`update assembly_amendments a set status = 'voting', quorum_percent = ${quorum} where a.id = ${subjectId} and a.status = 'proposed'
            and exists (select 1 from assembly_proposals p where p.id = a.proposal_id and p.status = 'amending') returning a.id`,
      )
      if (done.length === 0) throw conflict('PHASE', 'Cet amendement n’attend pas de vote.')
    }
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: subject.territoryId,
      action: 'assembly.vote_opened',
      subjectType: `assembly_${subject.kind}`,
      subjectId,
      after: { quorumPercent: quorum },
    })
  })
  return subject.proposalId
}

const CHOICES = ['for', 'against', 'abstain'] as const
type Choice = (typeof CHOICES)[number]

/** A choice as 16 bytes (its index, then random padding): every sealed ballot has the same length, whatever the choice. */
function ballotOf(choice: Choice): Buffer {
  const bytes = randomBytes(16)
  bytes[0] = CHOICES.indexOf(choice)
  return bytes
}

/**
 * A panel member votes, secretly. One transaction records that they voted (no one votes twice) and stores their
 * ballot sealed (platform/auth/sealing.ts): the database can tell who voted, never how, since the sealed ballot's
 * key is not in it and the counts are made only when the vote closes. The audit trace says who voted on what,
 * never the choice. A vote is final.
 */
export async function castVote(
  db: Db,
  options: { ballots: Sealer; actor: CurrentUser; subjectId: string; choice: string },
): Promise<string> {
  const { ballots, actor, subjectId, choice } = options
  if (!(CHOICES as readonly string[]).includes(choice))
    throw new AppError('INVALID', {
      status: 422,
      userMessage: 'Choisissez pour, contre ou abstention.',
      fields: { choice: 'assembly.error.choice' },
    })
  const subject = await subjectOf(db, subjectId)
  if (subject.status !== 'voting') throw conflict('NOT_VOTING', 'Le vote n’est pas ouvert.')
  await db.transaction(async (tx) => {
    const table = subject.kind === 'proposal' ? sql`assembly_proposals` : sql`assembly_amendments`
    // the subject row is locked: the vote cannot land after its close
    const [open] = await queryRows<{ status: string; territoryId: string | null }>(
      tx,
      sql`select status, territory_id as "territoryId" from ${table} where id = ${subjectId} for update`,
    )
    if (open!.status !== 'voting') throw conflict('NOT_VOTING', 'Le vote n’est pas ouvert.')
    const [member] = await queryRows<{ id: string | null }>(
      tx,
      sql`select ${activeMemberSql(actor.id, subject.assemblyId)} as id`,
    )
    if (!member?.id) throw forbidden('Seuls les membres du panel votent.')
    const voted = await queryRows(
      tx,
      sql`insert into assembly_ballot_voters (subject_id, member_id, territory_id) values (${subjectId}, ${member.id}, ${open!.territoryId}) on conflict do nothing returning member_id`,
    )
    if (voted.length === 0) throw conflict('ALREADY_VOTED', 'Vous avez déjà voté.')
    const sealed = ballots.seal(ballotOf(choice as Choice), subjectId)
    await tx.execute(
      sql`insert into assembly_sealed_ballots (subject_id, territory_id, sealed) values (${subjectId}, ${open!.territoryId}, decode(${sealed.toString('hex')}, 'hex'))`,
    )
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: open!.territoryId,
      action: 'assembly.vote_cast',
      subjectType: `assembly_${subject.kind}`,
      subjectId,
    })
  })
  return subject.proposalId
}

/** Opens and counts a subject's sealed ballots (inside the close's transaction), with the counts left by an earlier version. */
async function countBallots(tx: Db, ballots: Sealer, subjectId: string): Promise<Record<Choice, number>> {
  const counts: Record<Choice, number> = { for: 0, against: 0, abstain: 0 }
  const legacy = await queryRows<{ choice: Choice; count: number }>(
    tx,
    sql`select choice, count from assembly_ballot_counts where subject_id = ${subjectId}`,
  )
  for (const row of legacy) counts[row.choice] += row.count
  const rows = await queryRows<{ sealed: string }>(
    tx,
    sql`select encode(sealed, 'hex') as sealed from assembly_sealed_ballots where subject_id = ${subjectId}`,
  )
  for (const row of rows) {
    const ballot = ballots.open(Buffer.from(row.sealed, 'hex'), subjectId)
    const choice = ballot ? CHOICES[ballot[0]!] : undefined
    if (!choice)
      throw conflict(
        'BALLOT_UNREADABLE',
        'Un bulletin ne peut pas être ouvert (le secret du serveur a changé pendant le vote ?) : le vote reste ouvert.',
      )
    counts[choice] += 1
  }
  await tx.execute(sql`delete from assembly_sealed_ballots where subject_id = ${subjectId}`)
  await tx.execute(sql`delete from assembly_ballot_counts where subject_id = ${subjectId}`)
  return counts
}

export async function hasVoted(db: Db, userId: string | undefined, subjectIds: string[]): Promise<Set<string>> {
  if (!userId || subjectIds.length === 0) return new Set()
  const rows = await queryRows<{ subjectId: string }>(
    db,
    sql`select b.subject_id as "subjectId" from assembly_ballot_voters b join assembly_members m on m.id = b.member_id
        where m.user_id = ${userId} and b.subject_id in (${sql.join(
          subjectIds.map((id) => sql`${id}`),
          sql`, `,
        )})`,
  )
  return new Set(rows.map((r) => r.subjectId))
}

/** Adopted under the assembly's majority rule? Abstentions count as votes cast only for the absolute majority's quorum. */
export function adopted(
  majority: Majority,
  counts: { for: number; against: number; abstain: number },
  activeMembers: number,
): boolean {
  if (majority === 'two_thirds') return counts.for > 0 && 3 * counts.for >= 2 * (counts.for + counts.against)
  if (majority === 'absolute') return 2 * counts.for > activeMembers
  return counts.for > counts.against
}

/** Did enough of the active panel take part (for, against or abstain)? A quorum of 0 % is always met. */
export function quorumMet(
  quorumPercent: number,
  counts: { for: number; against: number; abstain: number },
  activeMembers: number,
): boolean {
  return 100 * (counts.for + counts.against + counts.abstain) >= quorumPercent * activeMembers
}

/** The fewest voters that meet a quorum in a panel of this size. */
export const votersNeeded = (quorumPercent: number, activeMembers: number) =>
  Math.ceil((quorumPercent * activeMembers) / 100)

/**
 * The organisers close a vote: the sealed ballots are opened, counted and deleted, the counts published, then the
 * quorum the vote opened with and the majority rule decide. An adopted amendment becomes the proposal's wording.
 */
export async function closeVote(
  db: Db,
  options: { ballots: Sealer; actor: CurrentUser; subjectId: string },
): Promise<string> {
  const { ballots, actor, subjectId } = options
  const subject = await subjectOf(db, subjectId)
  const assembly = await findAssembly(db, subject.assemblyId)
  await db.transaction(async (tx) => {
    await assertManager(tx, actor, subject.assemblyId)
    const table = subject.kind === 'proposal' ? sql`assembly_proposals` : sql`assembly_amendments`
    const [open] = await queryRows<{ status: string; quorumPercent: number | null }>(
      tx,
      sql`select status, quorum_percent as "quorumPercent" from ${table} where id = ${subjectId} for update`,
    )
    if (open!.status !== 'voting') throw conflict('NOT_VOTING', 'Le vote n’est pas ouvert.')
    const counts = await countBallots(tx, ballots, subjectId)
    const [{ active }] = (await queryRows<{ active: number }>(
      tx,
      sql`select count(*)::int as active from assembly_members where assembly_id = ${subject.assemblyId} and status = 'active'`,
    )) as [{ active: number }]
    // a vote opened before quorums existed has none
    const quorum = open!.quorumPercent ?? 0
    const met = quorumMet(quorum, counts, active)
    const result = met && adopted(assembly.majority, counts, active) ? 'adopted' : 'rejected'
    await tx.execute(sql`update ${table} set status = ${result}, votes_for = ${counts.for}, votes_against = ${counts.against}, votes_abstain = ${counts.abstain},
      quorum_percent = ${quorum}, panel_size_at_close = ${active}, quorum_met = ${met} where id = ${subjectId}`)
    if (subject.kind === 'amendment' && result === 'adopted') {
      await tx.execute(
        sql`update assembly_proposals p set body = a.body, version = p.version + 1, updated_at = now() from assembly_amendments a where a.id = ${subjectId} and p.id = a.proposal_id`,
      )
    }
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assembly.territoryId,
      action: 'assembly.vote_closed',
      subjectType: `assembly_${subject.kind}`,
      subjectId,
      after: {
        ...counts,
        result,
        majority: assembly.majority,
        activeMembers: active,
        quorumPercent: quorum,
        quorumMet: met,
      },
    })
  })
  return subject.proposalId
}

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
