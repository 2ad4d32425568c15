import type { Instance } from './instance.ts'

/**
 * LEGACY: the greedy draw long used by sortition organisers, for comparison. Step by step, it takes the quota whose
 * unmet minimum is largest relative to the volunteers still available with that feature, draws one of those
 * volunteers uniformly, then removes everyone whose selection would break a maximum (and the person's housemates); a dead end restarts the draw.
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

/** One panel by the greedy algorithm (indices of volunteers), or null after `attempts` dead ends. */
export function legacyPanel(instance: Instance, random: () => number, attempts = 100): number[] | null {
  const features = instance.people.map((person) => instance.quotas.flatMap((q, i) => (person[q.category] === q.feature ? [i] : [])))
  const housemates = new Map<number, number[]>()
  for (const household of instance.households ?? []) for (const i of household) housemates.set(i, household)
  for (let attempt = 0; attempt < attempts; attempt++) {
    const available = new Set(instance.people.keys())
    const chosen = instance.quotas.map(() => 0)
    const panel: number[] = []
    let dead = false
    while (panel.length < instance.panelSize) {
      const left = instance.quotas.map(() => 0)
      for (const i of available) for (const q of features[i]!) left[q]!++
      let best = -1
      let bestRatio = -1
      instance.quotas.forEach((q, i) => {
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
      const candidates = [...available].filter((i) => features[i]!.includes(best))
      const person = candidates[Math.floor(random() * candidates.length)]!
      panel.push(person)
      available.delete(person)
      for (const other of housemates.get(person) ?? []) available.delete(other)
      for (const q of features[person]!) {
        chosen[q]!++
        if (chosen[q] === instance.quotas[q]!.max) for (const i of [...available]) if (features[i]!.includes(q)) available.delete(i)
      }
      if (instance.quotas.some((q, i) => q.min - chosen[i]! > 0 && ![...available].some((p) => features[p]!.includes(i)))) {
        dead = true
        break
      }
    }
    if (!dead && instance.quotas.every((q, i) => chosen[i]! >= q.min && chosen[i]! <= q.max)) return panel
  }
  return null
}

/** Each volunteer's selection probability under LEGACY, estimated from `runs` draws. */
export function legacyProbabilities(instance: Instance, runs: number, seed = 1): { probabilities: number[]; runs: number; failures: number } {
  const random = seededRandom(seed)
  const counts = instance.people.map(() => 0)
  let failures = 0
  for (let r = 0; r < runs; r++) {
    const panel = legacyPanel(instance, random)
    if (!panel) failures++
    else for (const i of panel) counts[i]!++
  }
  const succeeded = Math.max(1, runs - failures)
  return { probabilities: counts.map((c) => c / succeeded), runs, failures }
}
