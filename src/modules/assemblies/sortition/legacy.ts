import type { Instance } from './instance.ts'

/**
 * LEGACY: the greedy draw long used by sortition organisers, for comparison. Step by step, it takes the quota whose
 * unmet minimum is largest relative to the volunteers still available with that feature, draws one of those
 * volunteers uniformly, then removes everyone whose selection would break a maximum (and the person's housemates); a
 * dead end restarts the draw.
 * Its selection probabilities have no closed form: they are estimated by running it many times.
 */

/** A seeded generator (mulberry32), so that a simulation can be repeated. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** dead ends before a run counts as a failure */
const ATTEMPTS = 100

/**
 * The greedy draw, set up once for many runs (a panel of volunteers' indices, or null after ATTEMPTS dead ends):
 * each quota keeps the list of its volunteers still available (removal by swapping with the last), so a draw costs
 * about one pass over the pool.
 */
function legacySampler(instance: Instance): (random: () => number) => number[] | null {
  const { quotas, people, panelSize } = instance
  const n = people.length
  const featuresOf = people.map((person) => quotas.flatMap((q, i) => (person[q.category] === q.feature ? [i] : [])))
  const membersOf = quotas.map((_, q) => featuresOf.flatMap((features, i) => (features.includes(q) ? [i] : [])))
  const housemates = people.map(() => [] as number[])
  for (const household of instance.households ?? [])
    for (const i of household) housemates[i] = household.filter((j) => j !== i)
  const positionTemplate = membersOf.map((members) => {
    const position = new Int32Array(n).fill(-1)
    members.forEach((i, at) => {
      position[i] = at
    })
    return position
  })
  return (random) => {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const available = new Uint8Array(n).fill(1)
      const pool = membersOf.map((members) => Int32Array.from(members))
      const left = membersOf.map((members) => members.length)
      const position = positionTemplate.map((template) => template.slice())
      const remove = (i: number) => {
        if (!available[i]) return
        available[i] = 0
        for (const q of featuresOf[i]!) {
          const at = position[q]![i]!
          const last = pool[q]![--left[q]!]!
          pool[q]![at] = last
          position[q]![last] = at
        }
      }
      const chosen = quotas.map(() => 0)
      const panel: number[] = []
      let dead = false
      while (panel.length < panelSize) {
        let best = -1
        let bestRatio = -1
        quotas.forEach((q, i) => {
          if (left[i] === 0) return
          const ratio = (q.min - chosen[i]!) / left[i]!
          if (ratio > bestRatio || (ratio === bestRatio && random() < 0.5)) {
            best = i
            bestRatio = ratio
          }
        })
        if (best < 0) {
          dead = true
          break
        }
        const person = pool[best]![Math.floor(random() * left[best]!)]!
        panel.push(person)
        remove(person)
        for (const other of housemates[person]!) remove(other)
        for (const q of featuresOf[person]!) {
          chosen[q]!++
          if (chosen[q] === quotas[q]!.max) while (left[q]! > 0) remove(pool[q]![0]!)
        }
        if (quotas.some((q, i) => q.min - chosen[i]! > 0 && left[i] === 0)) {
          dead = true
          break
        }
      }
      if (!dead && quotas.every((q, i) => chosen[i]! >= q.min && chosen[i]! <= q.max)) return panel
    }
    return null
  }
}

/**
 * Each volunteer's selection probability under LEGACY, estimated from `runs` draws, with the minimum's 99 % upper
 * confidence bound (the sample minimum is often 0 on large pools, which says little).
 */
export function legacyProbabilities(
  instance: Instance,
  runs: number,
  seed = 1,
): { probabilities: number[]; runs: number; failures: number; minimumUpperBound: number } {
  const random = seededRandom(seed)
  const draw = legacySampler(instance)
  const counts = instance.people.map(() => 0)
  let failures = 0
  for (let r = 0; r < runs; r++) {
    const panel = draw(random)
    if (!panel) failures++
    else for (const i of panel) counts[i]!++
  }
  const succeeded = Math.max(1, runs - failures)
  const fewest = Math.min(...counts)
  return {
    probabilities: counts.map((c) => c / succeeded),
    runs,
    failures,
    minimumUpperBound: runs - failures > 0 ? upperConfidenceBound(fewest, runs - failures) : 0,
  }
}

/** ln C(n, k) + k ln p + (n − k) ln(1 − p): the log-probability of exactly k successes in n draws. */
function logBinomial(n: number, k: number, p: number, logFactorials: number[]): number {
  if (p <= 0) return k === 0 ? 0 : Number.NEGATIVE_INFINITY
  if (p >= 1) return k === n ? 0 : Number.NEGATIVE_INFINITY
  return logFactorials[n]! - logFactorials[k]! - logFactorials[n - k]! + k * Math.log(p) + (n - k) * Math.log(1 - p)
}

/**
 * The one-sided upper confidence bound on a probability seen `successes` times in `trials` independent draws (the
 * exact Clopper–Pearson bound): the largest p under which seeing so few would still have a chance of at least
 * 1 − confidence. With no success in 10,000 draws, 99 %: 0.00046 — where the sample says 0.
 */
export function upperConfidenceBound(successes: number, trials: number, confidence = 0.99): number {
  if (trials <= 0) return 1
  if (successes >= trials) return 1
  const logFactorials = [0]
  for (let i = 1; i <= trials; i++) logFactorials.push(logFactorials[i - 1]! + Math.log(i))
  const cdf = (p: number) => {
    let total = 0
    for (let k = 0; k <= successes; k++) total += Math.exp(logBinomial(trials, k, p, logFactorials))
    return total
  }
  let low = successes / trials
  let high = 1
  for (let i = 0; i < 60; i++) {
    const middle = (low + high) / 2
    if (cdf(middle) > 1 - confidence) low = middle
    else high = middle
  }
  return high
}
