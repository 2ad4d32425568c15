/** The drawn panel: its members, a dropped member's replacement drawn from the same lottery, accounts linked. */
import { createHash } from 'node:crypto'
import { sql, type SQL } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, conflict, notFound } from '../../platform/errors.ts'
import { normalizeEmail } from '../../platform/http/rules.ts'
import { queueNotice } from '../../platform/notices.ts'
import { assertManager, findAssembly, type AssemblyRow, type QuotaRow } from './service.ts'
import { listVolunteers, type VolunteerRow } from './volunteers.ts'
import { listQuotas } from './quotas.ts'

/** SQL: the account a seated volunteer votes with — the one with their e-mail, confirmed (an unconfirmed account
 * could have been opened by someone else with that address), and not already another member's. */
export const accountOf = (email: SQL, assemblyId: string) =>
  sql`(select u.id from users u where u.email = ${email} and u.deleted_at is null and u.email_confirmed_at is not null
    and not exists (select 1 from assembly_members m where m.assembly_id = ${assemblyId} and m.user_id = u.id) limit 1)`

export interface MemberRow {
  id: string
  number: number
  fullName: string
  email: string | null
  features: Record<string, string>
  userId: string | null
  accountName: string | null
  status: 'active' | 'dropped'
  replacementNumber: number | null
  replacesNumber: number | null
  dropReason: string | null
}

/** Panel members with their private contact: for the organisers only (the caller checks). */
export async function listMembers(db: Db, assemblyId: string): Promise<MemberRow[]> {
  return queryRows<MemberRow>(
    db,
    sql`select m.id, v.number, v.full_name as "fullName", v.email, v.features, m.user_id as "userId", u.display_name as "accountName", m.status,
          m.replacement_number as "replacementNumber", rv.number as "replacesNumber", m.drop_reason as "dropReason"
        from assembly_members m join assembly_volunteers v on v.id = m.volunteer_id left join users u on u.id = m.user_id
        left join assembly_members r on r.id = m.replaces left join assembly_volunteers rv on rv.id = r.volunteer_id
        where m.assembly_id = ${assemblyId} order by m.replacement_number nulls first, v.number`,
  )
}

/** Public replacements: who (by number) replaced whom, among which candidates, by which computation. */
export async function listReplacements(db: Db, assemblyId: string) {
  return queryRows<{ replacementNumber: number; number: number; replacesNumber: number; candidates: number[] }>(
    db,
    sql`select m.replacement_number as "replacementNumber", v.number, rv.number as "replacesNumber",
          m.replacement_candidates as candidates
        from assembly_members m join assembly_volunteers v on v.id = m.volunteer_id
        join assembly_members r on r.id = m.replaces join assembly_volunteers rv on rv.id = r.volunteer_id
        where m.assembly_id = ${assemblyId} and m.replacement_number is not null order by m.replacement_number`,
  )
}

/** The organisers record that a member left the panel (with a reason kept private). */
export async function dropMember(
  db: Db,
  options: { actor: CurrentUser; memberId: string; reason: string },
): Promise<string> {
  const { actor, memberId, reason } = options
  const [member] = await queryRows<{ assemblyId: string; territoryId: string | null }>(
    db,
    sql`select assembly_id as "assemblyId", territory_id as "territoryId" from assembly_members where id = ${memberId}`,
  )
  if (!member) throw notFound()
  await db.transaction(async (tx) => {
    await assertManager(tx, actor, member.assemblyId)
    const done = await queryRows(
      tx,
      sql`update assembly_members set status = 'dropped', dropped_at = now(), drop_reason = ${reason.trim().slice(0, 500) || null} where id = ${memberId} and status = 'active' returning id`,
    )
    if (done.length === 0) throw conflict('DROPPED', 'Ce membre a déjà quitté le panel.')
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: member.territoryId,
      action: 'assembly.member_dropped',
      subjectType: 'assembly',
      subjectId: member.assemblyId,
      after: { memberId },
    })
  })
  return member.assemblyId
}

/** The replacement's index among its candidates: SHA-256 of the draw's randomness, the replacement's number and the candidates' numbers. */
export function replacementIndex(randomness: string, replacementNumber: number, candidates: number[]): number {
  const hash = createHash('sha256')
    .update(`${randomness}\nreplacement ${replacementNumber}\n${candidates.join(',')}`)
    .digest('hex')
  return Number(BigInt(`0x${hash}`) % BigInt(candidates.length))
}

/**
 * Candidates to replace a member who left: volunteers of the pool not drawn, whose arrival keeps every quota (and
 * the household rule). Those with the leaver's very features come first: with them the panel's composition is
 * exactly the drawn one; only when none is left are the others considered.
 */
export function replacementCandidates(
  assembly: AssemblyRow,
  quotas: QuotaRow[],
  volunteers: VolunteerRow[],
  active: VolunteerRow[],
  leaver: VolunteerRow,
  used: Set<string>,
): number[] {
  const seatedHouseholds = new Set(active.map((v) => v.householdKey).filter((k) => k))
  const counts = new Map(
    quotas.map((q) => [
      `${q.category}\u0000${q.feature}`,
      active.filter((v) => v.features[q.category] === q.feature).length,
    ]),
  )
  const keeps = (v: VolunteerRow) =>
    quotas.every((q) => {
      const n = counts.get(`${q.category}\u0000${q.feature}`)! + (v.features[q.category] === q.feature ? 1 : 0)
      return n >= q.min && n <= q.max
    })
  const pool = volunteers.filter(
    (v) =>
      !used.has(v.id) &&
      !(assembly.onePerHousehold && v.householdKey && seatedHouseholds.has(v.householdKey)) &&
      keeps(v),
  )
  const same = pool.filter(
    (v) => JSON.stringify(Object.entries(v.features).sort()) === JSON.stringify(Object.entries(leaver.features).sort()),
  )
  return (same.length > 0 ? same : pool).map((v) => v.number)
}

/** Draws a replacement for a member who left, verifiably (see `replacementIndex`), and seats them. */
export async function drawReplacement(db: Db, actor: CurrentUser, droppedMemberId: string): Promise<number> {
  const [member] = await queryRows<{ assemblyId: string }>(
    db,
    sql`select assembly_id as "assemblyId" from assembly_members where id = ${droppedMemberId}`,
  )
  if (!member) throw notFound()
  const assembly = await findAssembly(db, member.assemblyId)
  return db.transaction(async (tx) => {
    await assertManager(tx, actor, assembly.id)
    // the draw row is locked: replacements are numbered one after the other
    const [draw] = await queryRows<{ randomness: string | null }>(
      tx,
      sql`select randomness from assembly_draws where assembly_id = ${assembly.id} for update`,
    )
    if (!draw?.randomness) throw conflict('NOT_DRAWN', 'Le panel n’est pas encore tiré.')
    const members = await queryRows<{
      id: string
      volunteerId: string
      status: string
      replaces: string | null
      replacementNumber: number | null
    }>(
      tx,
      sql`select id, volunteer_id as "volunteerId", status, replaces, replacement_number as "replacementNumber" from assembly_members where assembly_id = ${assembly.id}`,
    )
    const dropped = members.find((m) => m.id === droppedMemberId)!
    if (dropped.status !== 'dropped')
      throw conflict('ACTIVE', 'Ce membre siège toujours : enregistrez d’abord son départ.')
    if (members.some((m) => m.replaces === droppedMemberId)) throw conflict('REPLACED', 'Ce membre est déjà remplacé.')
    const [quotas, everyone] = await Promise.all([
      listQuotas(tx, assembly.id),
      listVolunteers(tx, assembly.id, { withdrawn: true }),
    ])
    const used = new Set(members.map((m) => m.volunteerId))
    const active = new Set(members.filter((m) => m.status === 'active').map((m) => m.volunteerId))
    const leaver = everyone.find((v) => v.id === dropped.volunteerId)!
    const pool = everyone.filter((v) => v.withdrawnAt === null)
    const candidates = replacementCandidates(
      assembly,
      quotas,
      pool,
      pool.filter((v) => active.has(v.id)),
      leaver,
      used,
    )
    if (candidates.length === 0)
      throw conflict('NO_CANDIDATE', 'Aucun volontaire restant ne garde le panel dans ses quotas.')
    const next = Math.max(0, ...members.map((m) => m.replacementNumber ?? 0)) + 1
    const number = candidates[replacementIndex(draw.randomness, next, candidates)]!
    const chosen = pool.find((v) => v.number === number)!
    await tx.execute(sql`insert into assembly_members (assembly_id, territory_id, volunteer_id, replacement_number, replaces, replacement_candidates, user_id)
      values (${assembly.id}, ${assembly.territoryId}, ${chosen.id}, ${next}, ${droppedMemberId}, ${`{${candidates.join(',')}}`}::integer[], ${accountOf(sql`${chosen.email}`, assembly.id)})`)
    if (chosen.email) {
      await queueNotice(tx, {
        email: chosen.email,
        locale: chosen.locale,
        subject: 'notice.volunteer.replacement.subject',
        body: 'notice.volunteer.replacement.body',
        params: { title: assembly.title, number },
        path: `/assemblees/${assembly.id}/transparence`,
      })
    }
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assembly.territoryId,
      action: 'assembly.replacement_drawn',
      subjectType: 'assembly',
      subjectId: assembly.id,
      after: { replacementNumber: next, number, replaces: leaver.number, candidates },
    })
    return number
  })
}

/** Links a panel member to the account they vote with (an account with that e-mail must exist). */
export async function linkMemberAccount(
  db: Db,
  options: { actor: CurrentUser; memberId: string; email: string },
): Promise<string> {
  const { actor, memberId, email } = options
  const [member] = await queryRows<{ assemblyId: string; territoryId: string | null }>(
    db,
    sql`select assembly_id as "assemblyId", territory_id as "territoryId" from assembly_members where id = ${memberId}`,
  )
  if (!member) throw notFound()
  await db.transaction(async (tx) => {
    await assertManager(tx, actor, member.assemblyId)
    const [user] = await queryRows<{ id: string }>(
      tx,
      sql`select id from users where email = ${normalizeEmail(email)} and deleted_at is null and email_confirmed_at is not null`,
    )
    if (!user)
      throw new AppError('INVALID', {
        status: 422,
        userMessage:
          'Aucun compte confirmé n’a cette adresse e-mail : la personne crée d’abord son compte et confirme son adresse.',
        fields: { email: 'assembly.error.noAccount' },
      })
    const taken = await queryRows(
      tx,
      sql`select 1 from assembly_members where assembly_id = ${member.assemblyId} and user_id = ${user.id} and id <> ${memberId}`,
    )
    if (taken.length > 0) throw conflict('TAKEN', 'Ce compte est déjà celui d’un autre membre du panel.')
    await tx.execute(sql`update assembly_members set user_id = ${user.id} where id = ${memberId}`)
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: member.territoryId,
      action: 'assembly.member_linked',
      subjectType: 'assembly',
      subjectId: member.assemblyId,
      after: { memberId },
    })
  })
  return member.assemblyId
}

/** Per category and feature: the quota, the pool's count, and the seated panel's count (public). */
export async function composition(db: Db, assemblyId: string) {
  return queryRows<{
    category: string
    feature: string
    min: number
    max: number
    populationShare: string | null
    pool: number
    panel: number
  }>(
    db,
    sql`select q.category, q.feature, q.min, q.max, q.population_share as "populationShare",
          (select count(*)::int from assembly_volunteers v where v.assembly_id = q.assembly_id and v.withdrawn_at is null and v.features ->> q.category = q.feature) as pool,
          (select count(*)::int from assembly_members m join assembly_volunteers v on v.id = m.volunteer_id
            where m.assembly_id = q.assembly_id and m.status = 'active' and v.features ->> q.category = q.feature) as panel
        from assembly_quotas q where q.assembly_id = ${assemblyId} order by q.position`,
  )
}
