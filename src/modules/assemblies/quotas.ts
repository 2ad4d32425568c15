/** The panel's quotas: shares of the population by criterion, checked against the panel's size. */
import { sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, conflict } from '../../platform/errors.ts'

import { type QuotaRow, assertManager, findAssembly } from './service.ts'
export async function listQuotas(db: Db, assemblyId: string): Promise<QuotaRow[]> {
  const rows = await queryRows<{
    category: string
    feature: string
    populationShare: string | null
    min: number
    max: number
  }>(
    db,
    sql`select category, feature, population_share as "populationShare", min, max from assembly_quotas where assembly_id = ${assemblyId} order by position`,
  )
  return rows.map((r) => ({ ...r, populationShare: r.populationShare === null ? null : Number(r.populationShare) }))
}

/**
 * Quotas from population shares: each feature's expected number of panel members (share × panel size), rounded
 * down and up, widened by `margin` people on each side.
 */
export function quotasFromShares(
  rows: { category: string; feature: string; populationShare: number }[],
  panelSize: number,
  margin: number,
): QuotaRow[] {
  return rows.map((r) => {
    const expected = (r.populationShare / 100) * panelSize
    return {
      ...r,
      min: Math.max(0, Math.floor(expected + 1e-9) - margin),
      max: Math.min(panelSize, Math.ceil(expected - 1e-9) + margin),
    }
  })
}

/** Problems of a set of quotas, as one readable sentence each (empty when it can be saved). */
export function quotaProblems(quotas: QuotaRow[], panelSize: number): string[] {
  const problems: string[] = []
  const seen = new Set<string>()
  for (const q of quotas) {
    const key = `${q.category}\u0000${q.feature}`
    if (seen.has(key)) problems.push(`${q.category} / ${q.feature} : présent deux fois.`)
    seen.add(key)
    if (!(Number.isInteger(q.min) && Number.isInteger(q.max) && q.min >= 0 && q.max >= q.min))
      problems.push(
        `${q.category} / ${q.feature} : le minimum et le maximum doivent être des entiers, minimum ≤ maximum.`,
      )
    if (q.populationShare !== null && !(q.populationShare >= 0 && q.populationShare <= 100))
      problems.push(`${q.category} / ${q.feature} : la part de population est un pourcentage entre 0 et 100.`)
  }
  for (const category of new Set(quotas.map((q) => q.category))) {
    const list = quotas.filter((q) => q.category === category)
    const mins = list.reduce((sum, q) => sum + q.min, 0)
    const maxs = list.reduce((sum, q) => sum + q.max, 0)
    if (mins > panelSize)
      problems.push(`${category} : la somme des minimums (${mins}) dépasse la taille du panel (${panelSize}).`)
    if (maxs < panelSize)
      problems.push(`${category} : la somme des maximums (${maxs}) n’atteint pas la taille du panel (${panelSize}).`)
  }
  return problems
}

export class QuotaProblems extends AppError {
  constructor(readonly problems: string[]) {
    super('INVALID_QUOTAS', { status: 422, userMessage: problems.join(' ') })
  }
}

/** Replaces the quotas, before the draw is prepared and while no volunteer has registered with other categories. */
export async function saveQuotas(
  db: Db,
  options: { actor: CurrentUser; assemblyId: string; quotas: QuotaRow[] },
): Promise<void> {
  const { actor, assemblyId, quotas } = options
  const assembly = await findAssembly(db, assemblyId)
  const problems =
    quotas.length === 0 ? ['Au moins une catégorie avec ses modalités.'] : quotaProblems(quotas, assembly.panelSize)
  if (problems.length > 0) throw new QuotaProblems(problems)
  await db.transaction(async (tx) => {
    await assertManager(tx, actor, assemblyId)
    if ((await queryRows(tx, sql`select 1 from assembly_draws where assembly_id = ${assemblyId}`)).length > 0)
      throw conflict('DRAW_PREPARED', 'Le tirage est préparé : les quotas ne changent plus.')
    const before = await listQuotas(tx, assemblyId)
    // volunteers already registered must keep a feature in every category
    const categories = [...new Set(quotas.map((q) => q.category))]
    const orphans = await queryRows<{ number: number }>(
      tx,
      sql`select v.number from assembly_volunteers v where v.assembly_id = ${assemblyId} and v.withdrawn_at is null and not (${sql.join(
        categories.map(
          (c) =>
            sql`(v.features ->> ${c}) in (${sql.join(
              quotas.filter((q) => q.category === c).map((q) => sql`${q.feature}`),
              sql`, `,
            )})`,
        ),
        sql` and `,
      )}) limit 5`,
    )
    if (orphans.length > 0)
      throw new QuotaProblems([
        `Des volontaires inscrits (n° ${orphans.map((o) => o.number).join(', ')}) n’ont pas de modalité dans ces catégories : gardez leurs modalités.`,
      ])
    await tx.execute(sql`delete from assembly_quotas where assembly_id = ${assemblyId}`)
    for (const [position, q] of quotas.entries()) {
      await tx.execute(sql`insert into assembly_quotas (assembly_id, territory_id, position, category, feature, population_share, min, max)
        values (${assemblyId}, ${assembly.territoryId}, ${position}, ${q.category}, ${q.feature}, ${q.populationShare}, ${q.min}, ${q.max})`)
    }
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assembly.territoryId,
      action: 'assembly.quotas_saved',
      subjectType: 'assembly',
      subjectId: assemblyId,
      before,
      after: quotas,
    })
  })
}

// ——— volunteers ———
