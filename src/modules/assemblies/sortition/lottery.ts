import { createHash } from 'node:crypto'
import type { Distribution } from './leximin.ts'
import type { Types } from './instance.ts'
import { Program, type Terms } from './lp.ts'

/**
 * A transparent lottery (Flanigan, Kehne, Procaccia, NeurIPS 2021): the LEXIMIN distribution rounded to m panels
 * listed in public, one of which is drawn uniformly with a random number anyone can check.
 *
 * Rounding: each panel P of the distribution appears n_P times, n_P being ⌊m·p_P⌋ or ⌈m·p_P⌉ with Σ n_P = m, chosen
 * by an integer program that minimises the largest change of any type's selection probability, given
 * `ROUNDING_SECONDS` (on supports of a few hundred panels it finds good solutions fast but cannot prove them the
 * best), and never worse than a swap search from the largest remainders, which also answers when the program finds
 * nothing in time. A type's m-panel appearances are then shared among its members in turn (the first member of the
 * type in the first panel that holds one, and so on), so that members of one type differ by at most one
 * appearance. The largest change of any volunteer's probability is measured on the final list and reported.
 */

export interface Lottery {
  /** the m panels, each a sorted list of volunteers (indices into the pool) */
  panels: number[][]
  /** the largest |probability in the lottery − LEXIMIN probability| over volunteers */
  maxDeviation: number
  /** SHA-256 of the list, published before the draw */
  digest: string
}

/** time given to the integer program of the rounding */
const ROUNDING_SECONDS = 5

export async function roundToLottery(distribution: Distribution, types: Types, m = 1000): Promise<Lottery> {
  const { panels, weights, typeProbabilities } = distribution
  const size = types.members.map((members) => members.length)
  const floors = weights.map((w) => Math.floor(w * m + 1e-9))
  const extra = m - floors.reduce((a, b) => a + b, 0)
  let counts = floors
  if (extra > 0) {
    const roundedUp = swapRounding(distribution, size, m, floors, extra)
    const deviation = typeDeviation(
      distribution,
      size,
      m,
      floors.map((f, p) => f + (roundedUp[p] ? 1 : 0)),
    )
    const program = new Program('mip').minimize([['delta', 1]])
    program.constraint(
      'total',
      weights.map((_, p) => [`b${p}`, 1]),
      '=',
      extra,
    )
    typeProbabilities.forEach((target, t) => {
      // (Σ_P (floor_P + b_P) x_{P,t}) / (m c_t) within target ± delta
      const base = panels.reduce((sum, panel, p) => sum + floors[p]! * panel[t]!, 0) / (m * size[t]!)
      const terms: Terms = panels.flatMap((panel, p) =>
        panel[t]! > 0 ? [[`b${p}`, panel[t]! / (m * size[t]!)] as [string, number]] : [],
      )
      program.constraint(`hi${t}`, [...terms, ['delta', -1]], '<=', target - base)
      program.constraint(`lo${t}`, [...terms, ['delta', 1]], '>=', target - base)
    })
    weights.forEach((w, p) => {
      program.bound(`b${p}`, 0, w * m - floors[p]! > 1e-9 ? 1 : 0).integer(`b${p}`)
    })
    const solution = await program.solve({ timeLimitSeconds: ROUNDING_SECONDS })
    counts =
      solution && solution.objective < deviation - 1e-12
        ? floors.map((f, p) => f + Math.round(solution.value(`b${p}`)))
        : floors.map((f, p) => f + (roundedUp[p] ? 1 : 0))
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
  const maxDeviation = Math.max(
    ...types.typeOf.map((t, person) => Math.abs(appearances[person]! / m - typeProbabilities[t]!)),
  )
  return { panels: list, maxDeviation, digest: lotteryDigest(list) }
}

/** the largest |lottery probability − target| over types, with `counts` copies of each panel */
function typeDeviation(
  { panels, typeProbabilities }: Distribution,
  size: number[],
  m: number,
  counts: number[],
): number {
  return Math.max(
    ...typeProbabilities.map((target, t) =>
      Math.abs(panels.reduce((sum, panel, p) => sum + counts[p]! * panel[t]!, 0) / (m * size[t]!) - target),
    ),
  )
}

/**
 * Which panels get their ⌈m·p⌉: the `extra` largest remainders, then swaps (one panel rounded down instead of up,
 * another up instead of down) that involve the worst type and lower the largest deviation, while one does.
 */
function swapRounding(
  { panels, weights, typeProbabilities }: Distribution,
  size: number[],
  m: number,
  floors: number[],
  extra: number,
): boolean[] {
  const P = panels.length
  const T = size.length
  const remainder = weights.map((w, p) => w * m - floors[p]!)
  const up = new Array<boolean>(P).fill(false)
  for (const p of [...Array(P).keys()].sort((a, b) => remainder[b]! - remainder[a]!).slice(0, extra)) up[p] = true
  const members = panels.map((panel) => panel.flatMap((x, t) => (x > 0 ? [t] : [])))
  const unit = (p: number, t: number) => panels[p]![t]! / (m * size[t]!)
  const deviation = typeProbabilities.map(
    (target, t) =>
      panels.reduce((sum, panel, p) => sum + (floors[p]! + (up[p] ? 1 : 0)) * panel[t]!, 0) / (m * size[t]!) - target,
  )
  for (let moves = 0; moves < 10 * P; moves++) {
    const magnitude = deviation.map(Math.abs)
    const byMagnitude = [...Array(T).keys()].sort((a, b) => magnitude[b]! - magnitude[a]!)
    const worst = byMagnitude[0]!
    let best: { down: number; raise: number; value: number } | null = null
    for (let down = 0; down < P; down++) {
      if (!up[down]) continue
      for (let raise = 0; raise < P; raise++) {
        if (up[raise] || remainder[raise]! <= 1e-9) continue
        // only swaps that move the worst type towards its target
        const change = panels[raise]![worst]! - panels[down]![worst]!
        if (change === 0 || deviation[worst]! > 0 === change > 0) continue
        const changed = new Map<number, number>()
        for (const t of members[down]!) changed.set(t, deviation[t]! - unit(down, t))
        for (const t of members[raise]!) changed.set(t, (changed.get(t) ?? deviation[t]!) + unit(raise, t))
        let value = 0
        for (const v of changed.values()) value = Math.max(value, Math.abs(v))
        const untouched = byMagnitude.find((t) => !changed.has(t))
        if (untouched !== undefined) value = Math.max(value, magnitude[untouched]!)
        if (value < magnitude[worst]! - 1e-12 && (!best || value < best.value)) best = { down, raise, value }
      }
    }
    if (!best) break
    up[best.down] = false
    up[best.raise] = true
    for (const t of members[best.down]!) deviation[t]! -= unit(best.down, t)
    for (const t of members[best.raise]!) deviation[t]! += unit(best.raise, t)
  }
  return up
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
