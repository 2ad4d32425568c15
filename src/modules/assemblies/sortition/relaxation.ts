import { typesOf, type Instance } from './instance.ts'
import { Program, type Terms } from './lp.ts'

export interface QuotaChange {
  category: string
  feature: string
  /** the quota as set */
  min: number
  max: number
  /** the nearest quota that makes a panel possible */
  newMin: number
  newMax: number
}

/**
 * When no panel meets the quotas (and the households' limit, which is never relaxed): the smallest total change of quota bounds (in people) that makes one possible,
 * by an integer program over types. Returns the quotas to change; an empty list means the quotas are feasible.
 */
export async function relaxation(instance: Instance): Promise<QuotaChange[]> {
  const types = typesOf(instance)
  const program = new Program('mip')
  const objective: Terms = []
  program.constraint(
    'size',
    types.members.map((_, t) => [`x${t}`, 1]),
    '=',
    instance.panelSize,
  )
  instance.quotas.forEach((q, i) => {
    const terms: Terms = types.quotaTypes[i]!.map((t) => [`x${t}`, 1])
    program.constraint(`qmin${i}`, [...terms, [`down${i}`, 1]], '>=', q.min)
    program.constraint(`qmax${i}`, [...terms, [`up${i}`, -1]], '<=', q.max)
    program.bound(`down${i}`, 0, q.min).integer(`down${i}`).bound(`up${i}`, 0, instance.panelSize).integer(`up${i}`)
    objective.push([`down${i}`, 1], [`up${i}`, 1])
  })
  types.householdTypes.forEach((household, h) => {
    program.constraint(
      `household${h}`,
      household.map((t) => [`x${t}`, 1]),
      '<=',
      1,
    )
  })
  types.members.forEach((m, t) => {
    program.bound(`x${t}`, 0, m.length).integer(`x${t}`)
  })
  const solution = await program.minimize(objective).solve()
  return instance.quotas.flatMap((q, i) => {
    const down = Math.round(solution.value(`down${i}`))
    const up = Math.round(solution.value(`up${i}`))
    return down > 0 || up > 0
      ? [{ category: q.category, feature: q.feature, min: q.min, max: q.max, newMin: q.min - down, newMax: q.max + up }]
      : []
  })
}
