import type { Instance } from './sortition/instance.ts'
import { sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, conflict } from '../../platform/errors.ts'
import type { Locale } from '../../platform/i18n/index.ts'
import { enqueueJob, type JobHandler } from '../../platform/jobs.ts'
import { queueNotice } from '../../platform/notices.ts'
import { assertManager, findAssembly } from './service.ts'
import { listVolunteers, type VolunteerRow } from './volunteers.ts'
import { listQuotas } from './quotas.ts'
import { Infeasible, TimeLimitReached } from './sortition/leximin.ts'
import { commitmentOf, drawIndex, lotteryDigest } from './sortition/lottery.ts'
import { computeLotteryInWorker } from './sortition/prepare.ts'
import { relaxation, type QuotaChange } from './sortition/relaxation.ts'
import { accountOf } from './members.ts'

import type { AssemblyRow, QuotaRow } from './service.ts'
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

/** The pool as a sortition instance (people in volunteer-number order), with households when the rule applies. */
export function instanceOf(assembly: AssemblyRow, quotas: QuotaRow[], volunteers: VolunteerRow[]): Instance {
  const categories = [...new Set(quotas.map((q) => q.category))]
  const instance: Instance = {
    panelSize: assembly.panelSize,
    categories,
    quotas: quotas.map(({ category, feature, min, max }) => ({ category, feature, min, max })),
    people: volunteers.map((v) => v.features),
  }
  if (assembly.onePerHousehold) {
    const byAddress = new Map<string, number[]>()
    volunteers.forEach((v, i) => {
      if (v.householdKey) byAddress.set(v.householdKey, [...(byAddress.get(v.householdKey) ?? []), i])
    })
    instance.households = [...byAddress.values()].filter((list) => list.length > 1)
  }
  return instance
}
