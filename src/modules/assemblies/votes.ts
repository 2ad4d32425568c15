/** Votes on proposals and amendments: secret ballots sealed at cast, counted at the close. */
import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import type { Sealer } from '../../platform/auth/sealing.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors.ts'
import { assertManager, findAssembly, isQuorum, type Majority } from './service.ts'

import { activeMemberSql } from './deliberation.ts'
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
