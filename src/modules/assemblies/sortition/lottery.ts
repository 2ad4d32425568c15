import { createHash } from 'node:crypto'
import type { Distribution } from './leximin.ts'
import type { Types } from './instance.ts'
import { Program, type Terms } from './lp.ts'

/**
 * A transparent lottery (Flanigan, Kehne, Procaccia, NeurIPS 2021): the LEXIMIN distribution rounded to m panels
 * listed in public, one of which is drawn uniformly with a random number anyone can check.
 *
 * Rounding: each panel P of the distribution appears n_P times, n_P being ⌊m·p_P⌋ or ⌈m·p_P⌉ with Σ n_P = m, chosen
 * by an integer program that minimises the largest change of any type's selection probability. A type's m-panel
 * appearances are then shared among its members in turn (the first member of the type in the first panel that
 * holds one, and so on), so that members of one type differ by at most one appearance. The largest change of any
 * volunteer's probability is measured on the final list and reported.
 */

export interface Lottery {
  /** the m panels, each a sorted list of volunteers (indices into the pool) */
  panels: number[][]
  /** the largest |probability in the lottery − LEXIMIN probability| over volunteers */
  maxDeviation: number
  /** SHA-256 of the list, published before the draw */
  digest: string
}

export async function roundToLottery(distribution: Distribution, types: Types, m = 1000): Promise<Lottery> {
  const { panels, weights, typeProbabilities } = distribution
  const size = types.members.map((members) => members.length)
  const floors = weights.map((w) => Math.floor(w * m + 1e-9))
  const extra = m - floors.reduce((a, b) => a + b, 0)
  let counts = floors
  if (extra > 0) {
    const program = new Program('mip').minimize([['delta', 1]])
    program.constraint('total', weights.map((_, p) => [`b${p}`, 1]), '=', extra)
    typeProbabilities.forEach((target, t) => {
      // (Σ_P (floor_P + b_P) x_{P,t}) / (m c_t) within target ± delta
      const base = panels.reduce((sum, panel, p) => sum + floors[p]! * panel[t]!, 0) / (m * size[t]!)
      const terms: Terms = panels.flatMap((panel, p) => (panel[t]! > 0 ? [[`b${p}`, panel[t]! / (m * size[t]!)] as [string, number]] : []))
      program.constraint(`hi${t}`, [...terms, ['delta', -1]], '<=', target - base)
      program.constraint(`lo${t}`, [...terms, ['delta', 1]], '>=', target - base)
    })
    weights.forEach((w, p) => program.bound(`b${p}`, 0, w * m - floors[p]! > 1e-9 ? 1 : 0).integer(`b${p}`))
    const solution = await program.solve()
    counts = floors.map((f, p) => f + Math.round(solution.value(`b${p}`)))
  }
  // expand type-panels into panels of volunteers, each type's members taking their turns
  const turn = types.members.map(() => 0)
  const list: number[][] = []
  panels.forEach((panel, p) => {
    for (let copy = 0; copy < counts[p]!; copy++) {
      const people: number[] = []
      panel.forEach((x, t) => {
        for (let j = 0; j < x; j++) people.push(types.members[t]![turn[t]!++ % size[t]!]!)
      })
      list.push(people.sort((a, b) => a - b))
    }
  })
  const appearances = types.typeOf.map(() => 0)
  for (const panel of list) for (const person of panel) appearances[person]!++
  const maxDeviation = Math.max(...types.typeOf.map((t, person) => Math.abs(appearances[person]! / m - typeProbabilities[t]!)))
  return { panels: list, maxDeviation, digest: lotteryDigest(list) }
}

export function lotteryDigest(panels: number[][]): string {
  return createHash('sha256').update(JSON.stringify(panels)).digest('hex')
}

/**
 * The drawn panel's number (0 … m−1): SHA-256 of the published list's digest and the public randomness (a revealed
 * secret whose hash was published beforehand, or numbers of an announced public draw), read as a number modulo m.
 * Anyone with the list and the randomness gets the same number.
 */
export function drawIndex(listDigest: string, randomness: string, m: number): number {
  const hash = createHash('sha256').update(`${listDigest}\n${randomness}`).digest('hex')
  return Number(BigInt(`0x${hash}`) % BigInt(m))
}

/** The commitment published before the draw for a secret revealed after it. */
export function commitmentOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}
