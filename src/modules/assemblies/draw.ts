import { createHash } from 'node:crypto'
import { sql, type SQL } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, conflict, notFound } from '../../platform/errors.ts'
import { normalizeEmail } from '../../platform/http/rules.ts'
import type { Locale } from '../../platform/i18n/index.ts'
import { enqueueJob, type JobHandler } from '../../platform/jobs.ts'
import { queueNotice } from '../../platform/notices.ts'
import {
  assertManager,
  findAssembly,
  instanceOf,
  listQuotas,
  listVolunteers,
  type AssemblyRow,
  type QuotaRow,
  type VolunteerRow,
} from './service.ts'
import { Infeasible, TimeLimitReached } from './sortition/leximin.ts'
import { commitmentOf, drawIndex, lotteryDigest } from './sortition/lottery.ts'
import { computeLotteryInWorker } from './sortition/prepare.ts'
import { relaxation, type QuotaChange } from './sortition/relaxation.ts'

/** Anonymised profile of selection probabilities: what the transparency page shows. */
export interface ProbabilityProfile {
  /** probabilities sorted from the smallest */
  sorted: number[]
  min: number
  max: number
  geometricMean: number
  gini: number
}

export function profileOf(probabilities: number[]): ProbabilityProfile {
  const sorted = [...probabilities].sort((a, b) => a - b)
  const n = sorted.length
  const total = sorted.reduce((a, b) => a + b, 0)
  const geometricMean = sorted[0]! <= 0 ? 0 : Math.exp(sorted.reduce((sum, p) => sum + Math.log(p), 0) / n)
  // Gini from the sorted values: (2 Σ i·p_(i)) / (n Σ p) − (n + 1) / n, i from 1
  const gini =
    total === 0 ? 0 : Math.max(0, (2 * sorted.reduce((sum, p, i) => sum + (i + 1) * p, 0)) / (n * total) - (n + 1) / n)
  return { sorted, min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0, geometricMean, gini }
}

export interface DrawRow {
  assemblyId: string
  poolSize: number
  leximin: {
    numbers: number[]
    probabilities: number[]
    profile: ProbabilityProfile
    seconds: number
    ilps: number
    panelsInSupport: number
    method?: string
  }
  legacy: { probabilities: number[]; profile: ProbabilityProfile; runs: number; failures: number }
  lottery: number[][]
  lotteryDigest: string
  panelCount: number
  maxDeviation: number
  preparedAt: Date
  randomnessKind: 'secret_hash' | 'public_source' | null
  randomnessCommitment: string | null
  committedAt: Date | null
  randomness: string | null
  revealedAt: Date | null
  drawnIndex: number | null
}

export async function findDraw(db: Db, assemblyId: string): Promise<DrawRow | null> {
  const [row] = await queryRows<DrawRow>(
    db,
    sql`select assembly_id as "assemblyId", pool_size as "poolSize", leximin, legacy, lottery, lottery_digest as "lotteryDigest", panel_count as "panelCount",
          max_deviation as "maxDeviation", prepared_at as "preparedAt", randomness_kind as "randomnessKind", randomness_commitment as "randomnessCommitment",
          committed_at as "committedAt", randomness, revealed_at as "revealedAt", drawn_index as "drawnIndex"
        from assembly_draws where assembly_id = ${assemblyId}`,
  )
  return row ?? null
}

/** The quota changes that would make a panel possible (empty when the quotas are feasible). */
export async function feasibility(
  db: Db,
  assemblyId: string,
): Promise<{ changes: QuotaChange[]; poolSize: number; quotas: QuotaRow[] }> {
  const assembly = await findAssembly(db, assemblyId)
  const [quotas, volunteers] = await Promise.all([listQuotas(db, assemblyId), listVolunteers(db, assemblyId)])
  if (quotas.length === 0) return { changes: [], poolSize: volunteers.length, quotas }
  if (volunteers.length < assembly.panelSize)
    throw conflict(
      'POOL_TOO_SMALL',
      `Le vivier compte ${volunteers.length} volontaires pour un panel de ${assembly.panelSize}.`,
    )
  return { changes: await relaxation(instanceOf(assembly, quotas, volunteers)), poolSize: volunteers.length, quotas }
}

/** LEGACY runs for the estimate: 10,000, fewer on large pools where each greedy draw costs more (about 3 s at sf_e's size). */
export function legacyRuns(poolSize: number, panelSize: number): number {
  return Math.max(2000, Math.min(10000, Math.floor(1e9 / (poolSize * panelSize))))
}

/**
 * Prepares the draw on the closed pool: LEXIMIN probabilities, the LEGACY estimate for comparison, and the lottery
 * of `panelCount` panels (volunteer numbers) with its digest, all published before any randomness is committed.
 */
export async function prepareDraw(
  db: Db,
  options: { actor: CurrentUser; assemblyId: string; panelCount?: number; timeLimitSeconds?: number },
): Promise<void> {
  const { actor, assemblyId } = options
  const panelCount = options.panelCount ?? 1000
  if (!Number.isInteger(panelCount) || panelCount < 10 || panelCount > 100000)
    throw new AppError('INVALID', {
      status: 422,
      userMessage: 'Le nombre de panels de la loterie est un entier entre 10 et 100 000.',
    })
  const assembly = await findAssembly(db, assemblyId)
  await assertManager(db, actor, assemblyId)
  if (assembly.phase !== 'closed')
    throw conflict('PHASE', 'Fermez d’abord les inscriptions : le tirage se prépare sur un vivier figé.')
  if (await findDraw(db, assemblyId)) throw conflict('DRAW_PREPARED', 'Le tirage est déjà préparé.')
  const [quotas, volunteers] = await Promise.all([listQuotas(db, assemblyId), listVolunteers(db, assemblyId)])
  if (volunteers.length < assembly.panelSize)
    throw conflict(
      'POOL_TOO_SMALL',
      `Le vivier compte ${volunteers.length} volontaires pour un panel de ${assembly.panelSize}.`,
    )
  const instance = instanceOf(assembly, quotas, volunteers)
  let prepared
  try {
    prepared = await computeLotteryInWorker(instance, {
      panelCount,
      legacyRuns: legacyRuns(volunteers.length, assembly.panelSize),
      timeLimitSeconds: options.timeLimitSeconds ?? 300,
    })
  } catch (error) {
    if (error instanceof Infeasible)
      throw conflict(
        'INFEASIBLE',
        'Aucun panel ne respecte ces quotas : la page de faisabilité indique lesquels assouplir, et de combien.',
      )
    if (error instanceof TimeLimitReached)
      throw conflict('TIME_LIMIT', `Le calcul a dépassé le temps imparti (${error.message}).`)
    throw error
  }
  const { leximin: result, legacy, lottery: rounded } = prepared
  const numbers = volunteers.map((v) => v.number)
  const lottery = rounded.panels.map((panel) => panel.map((i) => numbers[i]!))
  const digest = lotteryDigest(lottery)
  await db.transaction(async (tx) => {
    await assertManager(tx, actor, assemblyId)
    const inserted = await queryRows(
      tx,
      sql`insert into assembly_draws (assembly_id, territory_id, pool_size, leximin, legacy, lottery, lottery_digest, panel_count, max_deviation)
          select ${assemblyId}, ${assembly.territoryId}, ${volunteers.length},
            ${JSON.stringify({ numbers, probabilities: result.probabilities, profile: profileOf(result.probabilities), seconds: result.seconds, ilps: result.ilps, panelsInSupport: result.panelsInSupport, method: result.method })}::jsonb,
            ${JSON.stringify({ probabilities: legacy.probabilities, profile: profileOf(legacy.probabilities), runs: legacy.runs, failures: legacy.failures })}::jsonb,
            ${JSON.stringify(lottery)}::jsonb, ${digest}, ${panelCount}, ${rounded.maxDeviation}
          where exists (select 1 from assemblies where id = ${assemblyId} and phase = 'closed')
          on conflict (assembly_id) do nothing returning assembly_id`,
    )
    if (inserted.length === 0) throw conflict('DRAW_PREPARED', 'Le tirage est déjà préparé, ou le vivier a changé.')
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assembly.territoryId,
      action: 'assembly.draw_prepared',
      subjectType: 'assembly',
      subjectId: assemblyId,
      after: {
        poolSize: volunteers.length,
        panelCount,
        digest,
        minimum: Math.min(...result.probabilities),
        maxDeviation: rounded.maxDeviation,
      },
    })
  })
}

/**
 * The organisers commit, after the lottery is published and before the draw, to the randomness: the SHA-256 of a
 * secret they will reveal (best held by a third party, such as a bailiff), or a public source announced in advance
 * (e.g. the numbers of a named public lottery draw on a given date). Once only.
 */
export async function commitRandomness(
  db: Db,
  options: { actor: CurrentUser; assemblyId: string; input: { kind: string; commitment: string } },
): Promise<void> {
  const { actor, assemblyId, input } = options
  const assembly = await findAssembly(db, assemblyId)
  const commitment = input.commitment.trim()
  if (input.kind !== 'secret_hash' && input.kind !== 'public_source')
    throw new AppError('INVALID', {
      status: 422,
      userMessage: 'Choisissez la forme de l’engagement.',
      fields: { kind: 'assembly.error.kind' },
    })
  if (input.kind === 'secret_hash' && !/^[0-9a-f]{64}$/i.test(commitment))
    throw new AppError('INVALID', {
      status: 422,
      userMessage: 'Une empreinte SHA-256 : 64 caractères hexadécimaux.',
      fields: { commitment: 'assembly.error.hash' },
    })
  if (input.kind === 'public_source' && (commitment.length < 20 || commitment.length > 2000))
    throw new AppError('INVALID', {
      status: 422,
      userMessage: 'Décrivez la source publique (quel tirage, quelle date, quels nombres).',
      fields: { commitment: 'assembly.error.source' },
    })
  await db.transaction(async (tx) => {
    await assertManager(tx, actor, assemblyId)
    const done = await queryRows(
      tx,
      sql`update assembly_draws set randomness_kind = ${input.kind}, randomness_commitment = ${input.kind === 'secret_hash' ? commitment.toLowerCase() : commitment}, committed_at = now()
          where assembly_id = ${assemblyId} and committed_at is null returning assembly_id`,
    )
    if (done.length === 0) throw conflict('COMMITTED', 'Le tirage n’est pas préparé, ou l’engagement est déjà publié.')
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assembly.territoryId,
      action: 'assembly.randomness_committed',
      subjectType: 'assembly',
      subjectId: assemblyId,
      after: { kind: input.kind, commitment },
    })
  })
}

/**
 * Reveals the randomness (the secret, checked against its published hash, or the announced source's result), draws
 * the lottery's panel number SHA-256(digest, randomness) mod m, and seats its volunteers, each linked to the account
 * they vote with when there is one (`accountOf`).
 */
export async function revealAndDraw(
  db: Db,
  options: { actor: CurrentUser; assemblyId: string; rawRandomness: string },
): Promise<number> {
  const { actor, assemblyId, rawRandomness } = options
  const assembly = await findAssembly(db, assemblyId)
  const randomness = rawRandomness.trim()
  if (randomness === '' || randomness.length > 2000)
    throw new AppError('INVALID', {
      status: 422,
      userMessage: 'Saisissez la valeur aléatoire.',
      fields: { randomness: 'assembly.error.randomness' },
    })
  return db.transaction(async (tx) => {
    await assertManager(tx, actor, assemblyId)
    const [draw] = await queryRows<{
      kind: string | null
      commitment: string | null
      digest: string
      count: number
      lottery: number[][]
      revealed: Date | null
    }>(
      tx,
      sql`select randomness_kind as kind, randomness_commitment as commitment, lottery_digest as digest, panel_count as count, lottery, revealed_at as revealed
          from assembly_draws where assembly_id = ${assemblyId} for update`,
    )
    if (!draw || draw.kind === null)
      throw conflict('NOT_COMMITTED', 'Publiez d’abord l’engagement sur la valeur aléatoire.')
    if (draw.revealed) throw conflict('DRAWN', 'Le tirage a déjà eu lieu.')
    if (draw.kind === 'secret_hash' && commitmentOf(randomness) !== draw.commitment) {
      throw new AppError('INVALID', {
        status: 422,
        userMessage: 'Cette valeur ne correspond pas à l’empreinte publiée.',
        fields: { randomness: 'assembly.error.mismatch' },
      })
    }
    const index = drawIndex(draw.digest, randomness, draw.count)
    const panel = draw.lottery[index]!
    await tx.execute(
      sql`update assembly_draws set randomness = ${randomness}, revealed_at = now(), drawn_index = ${index} where assembly_id = ${assemblyId}`,
    )
    await tx.execute(sql`update assemblies set phase = 'drawn', updated_at = now() where id = ${assemblyId}`)
    await tx.execute(sql`insert into assembly_members (assembly_id, territory_id, volunteer_id, user_id)
      select v.assembly_id, v.territory_id, v.id, ${accountOf(sql`v.email`, assemblyId)}
      from assembly_volunteers v where v.assembly_id = ${assemblyId} and v.number in (${sql.join(
        panel.map((n) => sql`${n}`),
        sql`, `,
      )})`)
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assembly.territoryId,
      action: 'assembly.drawn',
      subjectType: 'assembly',
      subjectId: assemblyId,
      after: { index, panel, randomness },
    })
    await enqueueJob(tx, {
      kind: DRAW_NOTICES_JOB,
      payload: { assemblyId },
      uniqueKey: `${DRAW_NOTICES_JOB}:${assemblyId}`,
    })
    return index
  })
}

/** After the draw, each confirmed volunteer with an e-mail learns whether they were drawn or stay in reserve. */
export const DRAW_NOTICES_JOB = 'assembly.draw-notices'

/** Queues the draw's mails, one per volunteer; safe to run again (each mail's key is the volunteer's number). */
async function queueDrawNotices(db: Db, assemblyId: string): Promise<void> {
  const assembly = await findAssembly(db, assemblyId)
  const volunteers = await queryRows<{ number: number; email: string; locale: Locale; seated: boolean }>(
    db,
    sql`select v.number, v.email, v.locale, exists (select 1 from assembly_members m where m.volunteer_id = v.id and m.replacement_number is null) as seated
        from assembly_volunteers v
        where v.assembly_id = ${assemblyId} and v.withdrawn_at is null and v.confirmed_at is not null and v.email is not null order by v.number`,
  )
  for (const v of volunteers) {
    const kind = v.seated ? 'drawn' : 'reserve'
    await queueNotice(
      db,
      {
        email: v.email,
        locale: v.locale,
        subject: `notice.volunteer.${kind}.subject`,
        body: `notice.volunteer.${kind}.body`,
        params: { title: assembly.title, number: v.number },
        path: `/assemblees/${assemblyId}/transparence`,
      },
      `assembly-draw:${assemblyId}:${v.number}`,
    )
  }
}

export function drawJobHandlers(deps: { db: Db }): Record<string, JobHandler> {
  return { [DRAW_NOTICES_JOB]: (payload) => queueDrawNotices(deps.db, String(payload.assemblyId)) }
}

/** SQL: the account a seated volunteer votes with — the one with their e-mail, confirmed (an unconfirmed account
 * could have been opened by someone else with that address), and not already another member's. */
const accountOf = (email: SQL, assemblyId: string) =>
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

export type { AssemblyRow }
