import { typesOf, type Instance, type Types } from './instance.ts'
import { seededRandom } from './legacy.ts'
import { highsSolver, Infeasible, OPTIONS, type Highs, type HighsModel } from './lp.ts'

/**
 * LEXIMIN selection (Flanigan, Gölz, Gupta, Hennig, Procaccia, Nature 2021), written from the paper: among all
 * probability distributions over the panels that meet the quotas, the one that maximises the smallest selection
 * probability of any volunteer, then the second smallest, and so on.
 *
 * It works on types (volunteers with identical features): a panel is a number of members of each type, and a
 * volunteer's probability is their type's expected number of members over the type's size. Each stage solves, by
 * column generation, the dual of "maximise z such that every unfixed type has probability ≥ z and every fixed type
 * keeps its probability": the restricted dual over the panels known so far gives dual weights y; an integer
 * program finds the panel with the largest weight Σ y_t x_t / c_t; while it beats the dual's value, it joins the
 * known panels. When none does, the stage's optimum z* is reached, and every type with a positive weight has
 * probability exactly z* in every optimal distribution (complementary slackness): it is fixed. A final linear
 * program finds the distribution over the known panels.
 */

export interface Distribution {
  /** panels as a number of members of each type */
  panels: number[][]
  /** probability of each panel */
  weights: number[]
  /** each type's selection probability */
  typeProbabilities: number[]
}

export interface LeximinResult extends Distribution {
  types: Types
  /** each volunteer's probability, in the pool's order */
  probabilities: number[]
  /** integer programs solved (pricing, and the search for first panels) */
  ilps: number
  lps: number
  seconds: number
}

const EPS = 1e-9
/** a new panel must beat the dual value by this much to be worth adding */
const IMPROVEMENT = 1e-8
/** known panels improved by swaps each round, for several new columns a round */
const SWAP_STARTS = 40
/** at most this many random panels seed the master */
const SEED_PANELS = 300
const range = (count: number) => ({ kind: 'range' as const, from: 0, to: count - 1 })

export class Counter {
  ilps = 0
  lps = 0
  /** performance.now() past which solvers stop (HiGHS's own time limit), or Infinity */
  deadline = Infinity
  /** gives the solver the time left as its limit; throws OutOfTime when none is */
  limit(model: HighsModel): void {
    if (this.deadline === Infinity) return
    const left = (this.deadline - performance.now()) / 1000
    if (left <= 0) throw new OutOfTime()
    // HiGHS compares its limit with the model's clock, which runs across solves: restart it
    model.zeroAllClocks()
    model.options.set({ time_limit: left })
  }
}

class OutOfTime extends Error {}

/** The integer program of panels meeting the quotas, kept between searches (only its objective changes). */
class PanelSearch {
  private readonly model: HighsModel
  constructor(
    private readonly highs: Highs,
    instance: Instance,
    types: Types,
    private readonly counter: Counter,
  ) {
    const T = types.members.length
    this.model = highs.createModel()
    this.model.options.set(OPTIONS)
    this.model.addVars(new Float64Array(T), Float64Array.from(types.members, (m) => m.length))
    this.model.changeColsIntegrality(range(T), Array(T).fill(1))
    const all = [...Array(T).keys()]
    this.model.addRow(instance.panelSize, instance.panelSize, { indices: all, values: all.map(() => 1) })
    instance.quotas.forEach((q, i) => this.model.addRow(q.min, q.max, { indices: types.quotaTypes[i]!, values: types.quotaTypes[i]!.map(() => 1) }))
    for (const household of types.householdTypes) this.model.addRow(0, 1, { indices: household, values: household.map(() => 1) })
    this.model.changeObjectiveSense(highs.constants.objectiveSense.maximize)
  }

  /** The panel (members of each type) with the largest Σ weight_t x_t. */
  best(weights: number[]): { panel: number[]; value: number } {
    this.counter.ilps++
    this.model.changeColsCost(range(weights.length), weights)
    this.counter.limit(this.model)
    const status = this.model.run().modelStatus
    if (status === this.highs.constants.modelStatus.timeLimit) throw new OutOfTime()
    if (status === this.highs.constants.modelStatus.infeasible) throw new Infeasible()
    if (status !== this.highs.constants.modelStatus.optimal) throw new Error(`the panel search ended with status ${status}`)
    const panel = Array.from(this.model.getSolution().colValue, (x) => Math.round(x))
    return { panel, value: panel.reduce((sum, x, t) => sum + x * weights[t]!, 0) }
  }

  dispose() {
    this.model.dispose()
  }
}

/**
 * The restricted master over the known panels, kept between rounds (a new panel is a new column, and the simplex
 * starts from the last basis): maximise z such that Σ_P p_P x_{P,t}/c_t ≥ z for each unfixed type t, ≥ f_t for each
 * fixed one, Σ_P p_P = 1, p ≥ 0. Its row duals are the dual weights y (≥ 0, summing to 1 over unfixed types) and
 * ŷ = z* + Σ_fixed f_t y_t, the value a new panel's weight Σ_t y_t x_t/c_t must beat.
 */
class RestrictedMaster {
  private readonly model: HighsModel
  private readonly fixed = new Map<number, number>()
  private columns = 0
  private basis: { colStatus: Int32Array; rowStatus: Int32Array } | null = null
  constructor(
    private readonly highs: Highs,
    private readonly size: number[],
    private readonly counter: Counter,
  ) {
    const T = size.length
    this.model = highs.createModel()
    // no presolve: each solve starts from the last basis, which a presolved model would throw away; primal simplex,
    // as new columns keep the basis primal feasible (about 35 % more columns a minute than the dual simplex on 1,600 types)
    this.model.options.set({ ...OPTIONS, presolve: 'off', solver: 'simplex', simplex_strategy: 4 })
    this.model.changeObjectiveSense(highs.constants.objectiveSense.maximize)
    this.model.addVars([0], [1]) // z
    this.model.changeColCost(0, 1)
    for (let t = 0; t < T; t++) this.model.addRow(0, highs.infinity, { indices: [0], values: [-1] })
    this.model.addRow(1, 1, { indices: [], values: [] })
  }

  addPanel(panel: number[]) {
    const indices: number[] = []
    const values: number[] = []
    panel.forEach((x, t) => {
      if (x > 0) {
        indices.push(t)
        values.push(x / this.size[t]!)
      }
    })
    indices.push(this.size.length)
    values.push(1)
    this.model.addCol(0, 0, this.highs.infinity, { indices, values })
    this.columns++
  }

  fix(t: number, probability: number) {
    this.fixed.set(t, probability)
    this.model.changeCoefficient(t, 0, 0)
    this.model.changeRowBounds(t, probability, this.highs.infinity)
  }

  solve(): { y: number[]; yhat: number; value: number; weights: number[] } {
    this.counter.lps++
    // start from the last basis, the new panels nonbasic at zero (HiGHS does not keep it across added columns)
    if (this.basis) {
      const colStatus = new Int32Array(1 + this.columns)
      colStatus.set(this.basis.colStatus.subarray(0, Math.min(this.basis.colStatus.length, colStatus.length)))
      this.model.setBasis({ colStatus, rowStatus: this.basis.rowStatus })
    }
    this.counter.limit(this.model)
    const status = this.model.run().modelStatus
    if (status === this.highs.constants.modelStatus.timeLimit) throw new OutOfTime()
    this.basis = this.model.getBasis()
    if (status !== this.highs.constants.modelStatus.optimal) throw new Error(`the restricted master ended with status ${status}`)
    const solution = this.model.getSolution()
    const T = this.size.length
    const y = Array.from(solution.rowDual.subarray(0, T), (d) => Math.abs(d))
    const value = this.model.getObjectiveValue()
    let yhat = value
    for (const [t, f] of this.fixed) yhat += f * y[t]!
    return { y, yhat, value, weights: Array.from(solution.colValue.subarray(1, 1 + this.columns)) }
  }

  /**
   * Once every type is fixed: the distribution over the known panels that gives each type its probability with the
   * largest margin (z again in every row, free to go slightly below 0 to absorb rounding).
   */
  distribution(): number[] {
    for (let t = 0; t < this.size.length; t++) this.model.changeCoefficient(t, 0, -1)
    this.model.changeColBounds(0, -1, 1)
    return this.solve().weights
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
class SwapSearch {
  /** for each type, the quota (index) of its feature in each category */
  private readonly quotasOf: number[][]
  /** for each type, the household it belongs to (index), or -1 */
  private readonly householdOf: number[]
  constructor(
    private readonly instance: Instance,
    private readonly types: Types,
  ) {
    this.quotasOf = types.members.map(() => [])
    types.quotaTypes.forEach((list, q) => list.forEach((t) => this.quotasOf[t]!.push(q)))
    this.householdOf = types.members.map(() => -1)
    types.householdTypes.forEach((list, h) => list.forEach((t) => (this.householdOf[t] = h)))
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
      for (const q of this.quotasOf[out]!) if (!this.quotasOf[into]!.includes(q) && counts[q]! - 1 < this.instance.quotas[q]!.min) return false
      for (const q of this.quotasOf[into]!) if (!this.quotasOf[out]!.includes(q) && counts[q]! + 1 > this.instance.quotas[q]!.max) return false
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

/** The computation went past its time limit: where it stood. */
export class TimeLimitReached extends Error {
  constructor(
    readonly seconds: number,
    readonly fixedTypes: number,
    readonly types: number,
    readonly panels: number,
    readonly ilps: number,
  ) {
    super(`LEXIMIN stopped after ${Math.round(seconds)} s: ${fixedTypes} of ${types} types fixed, ${panels} panels, ${ilps} integer programs`)
  }
}

/**
 * Throws Infeasible when no panel meets the quotas (see `relaxation` for what to relax), TimeLimitReached past
 * `timeLimitSeconds`.
 */
export async function leximin(instance: Instance, options: { timeLimitSeconds?: number } = {}): Promise<LeximinResult> {
  const began = performance.now()
  const highs = await highsSolver()
  const types = typesOf(instance)
  const T = types.members.length
  const size = types.members.map((m) => m.length)
  const counter = new Counter()
  if (options.timeLimitSeconds !== undefined) counter.deadline = began + options.timeLimitSeconds * 1000
  const search = new PanelSearch(highs, instance, types, counter)
  const master = new RestrictedMaster(highs, size, counter)
  const swaps = new SwapSearch(instance, types)
  const panels: number[][] = []
  const known = new Set<string>()
  const add = (panel: number[]) => {
    const key = panel.join(',')
    if (known.has(key)) return false
    known.add(key)
    panels.push(panel)
    master.addPanel(panel)
    return true
  }
  let raw: number[] = []
  const fixed = new Map<number, number>()
  const fix = (t: number, probability: number) => {
    fixed.set(t, probability)
    master.fix(t, probability)
  }
  try {
    // first panels: cover the types, as many new ones a panel as possible; types that no panel can hold get 0
    const covered = new Array<boolean>(T).fill(false)
    for (;;) {
      const { panel, value } = search.best(size.map((c, t) => (covered[t] ? 0 : 1 / c)))
      if (panels.length > 0 && value <= EPS) break
      add(panel)
      panel.forEach((x, t) => {
        if (x > 0) covered[t] = true
      })
      if (value <= EPS) break
    }
    covered.forEach((c, t) => {
      if (!c) fix(t, 0)
    })
    // with many types, seed the master with diverse panels (swaps under random weights from the covering panels):
    // the column generation then starts near the first stage's optimum instead of adding panels one by one
    const seeds = Math.min(SEED_PANELS, T > 50 ? 2 * T : 0)
    const random = seededRandom(T)
    const cover = [...panels]
    for (let i = 0; i < seeds; i++) add(swaps.improve(cover[i % cover.length]!, size.map(() => random())))

    while (fixed.size < T) {
      const unfixed = [...Array(T).keys()].filter((t) => !fixed.has(t))
      let round = master.solve()
      for (;;) {
        const weights = round.y.map((w, t) => w / size[t]!)
        const worth = (panel: number[]) => panel.reduce((sum, x, t) => sum + x * weights[t]!, 0) > round.yhat + IMPROVEMENT
        // the known panels closest to the dual's value, improved by swaps
        const starts = panels
          .map((panel) => ({ panel, value: panel.reduce((sum, x, t) => sum + x * weights[t]!, 0) }))
          .sort((a, b) => b.value - a.value)
          .slice(0, SWAP_STARTS)
        let added = false
        for (const start of starts) {
          const improved = swaps.improve(start.panel, weights)
          if (worth(improved) && add(improved)) added = true
        }
        if (!added) {
          const candidate = search.best(weights)
          if (candidate.value <= round.yhat + IMPROVEMENT || !add(candidate.panel)) break
        }
        round = master.solve()
      }
      // every unfixed type with a positive dual weight has probability exactly the stage's value in every optimum
      const positive = unfixed.filter((t) => round.y[t]! > EPS)
      for (const t of positive.length > 0 ? positive : [unfixed.reduce((a, b) => (round.y[b]! > round.y[a]! ? b : a))]) fix(t, Math.min(1, Math.max(0, round.value)))
    }
    raw = master.distribution().map((w) => Math.max(0, w))
  } catch (error) {
    if (error instanceof OutOfTime) throw new TimeLimitReached((performance.now() - began) / 1000, fixed.size, T, panels.length, counter.ilps)
    throw error
  } finally {
    search.dispose()
    master.dispose()
  }
  const total = raw.reduce((a, b) => a + b, 0)
  const weights = raw.map((w) => w / total)
  const used = panels.map((panel, p) => ({ panel, weight: weights[p]! })).filter((e) => e.weight > 1e-12)
  const typeProbabilities = types.members.map((_, t) => used.reduce((sum, e) => sum + (e.weight * e.panel[t]!) / size[t]!, 0))
  return {
    types,
    panels: used.map((e) => e.panel),
    weights: used.map((e) => e.weight),
    typeProbabilities,
    probabilities: types.typeOf.map((t) => typeProbabilities[t]!),
    ilps: counter.ilps,
    lps: counter.lps,
    seconds: (performance.now() - began) / 1000,
  }
}

export { Infeasible }
