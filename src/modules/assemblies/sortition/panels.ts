import type { Instance, Types } from './instance.ts'
import { Infeasible, OPTIONS, type Counter, type Highs, type HighsModel } from './lp.ts'

/** The programs whose solutions are panels: the rows they share, the exact search and the swap search. */

export const range = (count: number) => ({ kind: 'range' as const, from: 0, to: count - 1 })
export const ones = (list: number[]) => list.map(() => 1)

/** One row of the panel programs: min ≤ Σ_{t ∈ types} x_t ≤ max. */
export interface PanelRow {
  types: number[]
  min: number
  max: number
}

/** The panel size, the quotas and the households (at most one member), as rows over types. */
export function panelRows(instance: Instance, types: Types): PanelRow[] {
  const all = types.members.map((_, t) => t)
  return [
    { types: all, min: instance.panelSize, max: instance.panelSize },
    ...instance.quotas.map((q, i) => ({ types: types.quotaTypes[i]!, min: q.min, max: q.max })),
    ...types.householdTypes.map((household) => ({ types: household, min: 0, max: 1 })),
  ]
}

export function addRows(model: HighsModel, rows: PanelRow[]) {
  for (const row of rows) model.addRow(row.min, row.max, { indices: row.types, values: ones(row.types) })
}

/** The integer program of panels meeting the quotas, kept between searches (only its objective changes). */
export class PanelSearch {
  private readonly model: HighsModel
  constructor(
    private readonly highs: Highs,
    rows: PanelRow[],
    size: number[],
    private readonly counter: Counter,
  ) {
    const T = size.length
    this.model = highs.createModel()
    this.model.options.set(OPTIONS)
    this.model.addVars(new Float64Array(T), Float64Array.from(size))
    this.model.changeColsIntegrality(range(T), Array(T).fill(1))
    addRows(this.model, rows)
    this.model.changeObjectiveSense(highs.constants.objectiveSense.maximize)
  }

  /** The panel (members of each type) with the largest Σ weight_t x_t. */
  best(weights: number[]): { panel: number[]; value: number } {
    this.counter.ilps++
    this.model.changeColsCost(range(weights.length), weights)
    this.counter.limit(this.model)
    const status = this.model.run().modelStatus
    this.counter.check(status)
    if (status === this.highs.constants.modelStatus.infeasible) throw new Infeasible()
    if (status !== this.highs.constants.modelStatus.optimal)
      throw new Error(`the panel search ended with status ${status}`)
    const panel = Array.from(this.model.getSolution().colValue, (x) => Math.round(x))
    return { panel, value: panel.reduce((sum, x, t) => sum + x * weights[t]!, 0) }
  }

  dispose() {
    this.model.dispose()
  }
}

/**
 * A fast search for columns before the exact one: from a known panel, swap one member for one of another type while
 * a swap raises the panel's weight and keeps every quota. Any panel whose weight beats the dual's value is a valid
 * new column; the integer program is asked only when this finds none, and proves the stage over.
 */
export class SwapSearch {
  /** for each type, the quota (index) of its feature in each category */
  private readonly quotasOf: number[][]
  /** for each type, the household it belongs to (index), or -1 */
  private readonly householdOf: number[]
  constructor(
    private readonly instance: Instance,
    private readonly types: Types,
  ) {
    this.quotasOf = types.members.map(() => [])
    types.quotaTypes.forEach((list, q) => {
      list.forEach((t) => {
        this.quotasOf[t]!.push(q)
      })
    })
    this.householdOf = types.members.map(() => -1)
    types.householdTypes.forEach((list, h) => {
      list.forEach((t) => {
        this.householdOf[t] = h
      })
    })
  }

  improve(start: number[], weights: number[]): number[] {
    const panel = [...start]
    const size = this.types.members.map((m) => m.length)
    const counts = this.instance.quotas.map((_, q) => this.types.quotaTypes[q]!.reduce((sum, t) => sum + panel[t]!, 0))
    const byWeight = [...weights.keys()].sort((a, b) => weights[b]! - weights[a]!)
    const seated = this.types.householdTypes.map((list) => list.reduce((sum, t) => sum + panel[t]!, 0))
    const fits = (out: number, into: number) => {
      const household = this.householdOf[into]!
      if (household >= 0 && household !== this.householdOf[out] && seated[household]! >= 1) return false
      for (const q of this.quotasOf[out]!)
        if (!this.quotasOf[into]!.includes(q) && counts[q]! - 1 < this.instance.quotas[q]!.min) return false
      for (const q of this.quotasOf[into]!)
        if (!this.quotasOf[out]!.includes(q) && counts[q]! + 1 > this.instance.quotas[q]!.max) return false
      return true
    }
    for (let moves = 0; moves < 10_000; moves++) {
      let swapped = false
      const members = [...panel.keys()].filter((t) => panel[t]! > 0).sort((a, b) => weights[a]! - weights[b]!)
      for (const out of members) {
        for (const into of byWeight) {
          if (weights[into]! <= weights[out]! + 1e-15) break
          if (into === out || panel[into]! >= size[into]! || !fits(out, into)) continue
          panel[out]!--
          panel[into]!++
          for (const q of this.quotasOf[out]!) counts[q]!--
          for (const q of this.quotasOf[into]!) counts[q]!++
          if (this.householdOf[out]! >= 0) seated[this.householdOf[out]!]!--
          if (this.householdOf[into]! >= 0) seated[this.householdOf[into]!]!++
          swapped = true
          break
        }
        if (swapped) break
      }
      if (!swapped) break
    }
    return panel
  }
}

/** known panels improved by swaps each round, for several new columns a round */
const SWAP_STARTS = 40

const worth = (panel: number[], weights: number[]) => panel.reduce((sum, x, t) => sum + x * weights[t]!, 0)

/**
 * New columns for a column generation: panels worth more than `threshold` under `weights`, first by swaps from the
 * known panels heaviest under the weights, then, when swaps find none, by the integer program, which proves there
 * is none. `add` returns false for a panel already known. Returns whether a panel was added.
 */
export function addBetterPanels(
  known: number[][],
  weights: number[],
  threshold: number,
  swaps: SwapSearch,
  search: PanelSearch,
  add: (panel: number[]) => boolean,
): boolean {
  const starts = known
    .map((panel) => ({ panel, value: worth(panel, weights) }))
    .sort((a, b) => b.value - a.value)
    .slice(0, SWAP_STARTS)
  let added = false
  for (const start of starts) {
    const improved = swaps.improve(start.panel, weights)
    if (worth(improved, weights) > threshold && add(improved)) added = true
  }
  if (added) return true
  const candidate = search.best(weights)
  return candidate.value > threshold && add(candidate.panel)
}
