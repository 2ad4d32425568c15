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
  for (const household of instance.households ?? []) for (const i of household) housemates[i] = household.filter((j) => j !== i)
  const positionTemplate = membersOf.map((members) => {
    const position = new Int32Array(n).fill(-1)
    members.forEach((i, at) => (position[i] = at))
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

/** Each volunteer's selection probability under LEGACY, estimated from `runs` draws. */
export function legacyProbabilities(instance: Instance, runs: number, seed = 1): { probabilities: number[]; runs: number; failures: number } {
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
  return { probabilities: counts.map((c) => c / succeeded), runs, failures }
}
