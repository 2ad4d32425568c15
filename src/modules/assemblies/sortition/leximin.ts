import { typesOf, type Instance, type Types } from './instance.ts'
import { seededRandom } from './legacy.ts'
import {
  Counter,
  highsSolver,
  Infeasible,
  OPTIONS,
  OutOfTime,
  restartFrom,
  type Basis,
  type Highs,
  type HighsModel,
} from './lp.ts'
import { addBetterPanels, panelRows, PanelSearch, SwapSearch } from './panels.ts'
import { decompose, fitTarget, relaxedLeximin } from './relaxed.ts'

/**
 * LEXIMIN selection (Flanigan, Gölz, Gupta, Hennig, Procaccia, Nature 2021), written from the paper: among all
 * probability distributions over the panels that meet the quotas, the one that maximises the smallest selection
 * probability of any volunteer, then the second smallest, and so on.
 *
 * First the fast route (`relaxed.ts`): the leximin of the linear relaxation, exact when it is a lottery of real
 * panels, which a walk over the relaxation's faces finds. When the walk finds none, column generation, seeded
 * with the walk's panels:
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
  /** the relaxation's leximin written as a lottery of panels, or column generation when it was not one */
  method: 'relaxation' | 'column generation'
  /** integer programs solved */
  ilps: number
  lps: number
  seconds: number
}

const EPS = 1e-9
/** a new panel must beat the dual value by this much to be worth adding */
const IMPROVEMENT = 1e-8
/** at most this many random panels seed the master */
const SEED_PANELS = 300

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
  private basis: Basis | null = null
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
    restartFrom(this.model, this.basis, 1 + this.columns)
    this.counter.limit(this.model)
    const status = this.model.run().modelStatus
    this.counter.check(status)
    this.basis = this.model.getBasis()
    if (status !== this.highs.constants.modelStatus.optimal)
      throw new Error(`the restricted master ended with status ${status}`)
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

/** The computation went past its time limit: where it stood. */
export class TimeLimitReached extends Error {
  constructor(
    readonly seconds: number,
    readonly fixedTypes: number,
    readonly types: number,
    readonly panels: number,
    readonly ilps: number,
  ) {
    super(
      `LEXIMIN stopped after ${Math.round(seconds)} s: ${fixedTypes} of ${types} types fixed, ${panels} panels, ${ilps} integer programs`,
    )
  }
}

/**
 * Throws Infeasible when no panel meets the quotas (see `relaxation` for what to relax), TimeLimitReached past
 * `timeLimitSeconds`. `onlyColumnGeneration` skips the fast route (to compare the two).
 */
export async function leximin(
  instance: Instance,
  options: { timeLimitSeconds?: number; onlyColumnGeneration?: boolean } = {},
): Promise<LeximinResult> {
  const began = performance.now()
  const highs = await highsSolver()
  const types = typesOf(instance)
  const size = types.members.map((m) => m.length)
  const counter = new Counter()
  if (options.timeLimitSeconds !== undefined) counter.deadline = began + options.timeLimitSeconds * 1000
  const rows = panelRows(instance, types)
  const outOfTime = (fixedTypes: number, panels: number) =>
    new TimeLimitReached((performance.now() - began) / 1000, fixedTypes, size.length, panels, counter.ilps)
  // the exact panel search and the swap search serve both routes' column generations
  const search = new PanelSearch(highs, rows, size, counter)
  const swaps = new SwapSearch(instance, types)
  try {
    let seeds: number[][] = []
    if (!options.onlyColumnGeneration) {
      try {
        const target = relaxedLeximin(highs, rows, size, counter)
        const walk = decompose(highs, rows, size, target, counter)
        if (walk.complete) return result(types, walk, 'relaxation', counter, began)
        const fitted =
          walk.panels.length > 0 ? fitTarget(highs, size, target, walk.panels, counter, search, swaps) : null
        if (fitted) return result(types, fitted, 'relaxation', counter, began)
        seeds = walk.panels
      } catch (error) {
        if (error instanceof OutOfTime) throw outOfTime(0, 0)
        throw error
      }
    }
    return result(
      types,
      columnGeneration(highs, size, counter, search, swaps, seeds, outOfTime),
      'column generation',
      counter,
      began,
    )
  } finally {
    search.dispose()
  }
}

function result(
  types: Types,
  lottery: { panels: number[][]; weights: number[] },
  method: LeximinResult['method'],
  counter: Counter,
  began: number,
): LeximinResult {
  const size = types.members.map((m) => m.length)
  const raw = lottery.weights.map((w) => Math.max(0, w))
  const total = raw.reduce((a, b) => a + b, 0)
  const used = lottery.panels.map((panel, p) => ({ panel, weight: raw[p]! / total })).filter((e) => e.weight > 1e-12)
  const typeProbabilities = types.members.map((_, t) =>
    used.reduce((sum, e) => sum + (e.weight * e.panel[t]!) / size[t]!, 0),
  )
  return {
    types,
    panels: used.map((e) => e.panel),
    weights: used.map((e) => e.weight),
    typeProbabilities,
    probabilities: types.typeOf.map((t) => typeProbabilities[t]!),
    method,
    ilps: counter.ilps,
    lps: counter.lps,
    seconds: (performance.now() - began) / 1000,
  }
}

/** The stages of column generation described at the top; `seeds` are panels to start the master with. */
function columnGeneration(
  highs: Highs,
  size: number[],
  counter: Counter,
  search: PanelSearch,
  swaps: SwapSearch,
  seeds: number[][],
  outOfTime: (fixedTypes: number, panels: number) => TimeLimitReached,
): { panels: number[][]; weights: number[] } {
  const T = size.length
  const master = new RestrictedMaster(highs, size, counter)
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
  const fixed = new Map<number, number>()
  const fix = (t: number, probability: number) => {
    fixed.set(t, probability)
    master.fix(t, probability)
  }
  try {
    for (const panel of seeds) add(panel)
    // first panels: cover the types, as many new ones a panel as possible; types that no panel can hold get 0
    const covered = new Array<boolean>(T).fill(false)
    for (const panel of panels)
      panel.forEach((x, t) => {
        covered[t] ||= x > 0
      })
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
    const random = seededRandom(T)
    const cover = [...panels]
    for (let i = 0; i < Math.min(SEED_PANELS, T > 50 ? 2 * T : 0) - seeds.length; i++)
      add(
        swaps.improve(
          cover[i % cover.length]!,
          size.map(() => random()),
        ),
      )

    while (fixed.size < T) {
      const unfixed = [...Array(T).keys()].filter((t) => !fixed.has(t))
      let round = master.solve()
      for (;;) {
        const weights = round.y.map((w, t) => w / size[t]!)
        if (!addBetterPanels(panels, weights, round.yhat + IMPROVEMENT, swaps, search, add)) break
        round = master.solve()
      }
      // every unfixed type with a positive dual weight has probability exactly the stage's value in every optimum
      const positive = unfixed.filter((t) => round.y[t]! > EPS)
      for (const t of positive.length > 0 ? positive : [unfixed.reduce((a, b) => (round.y[b]! > round.y[a]! ? b : a))])
        fix(t, Math.min(1, Math.max(0, round.value)))
    }
    return { panels, weights: master.distribution() }
  } catch (error) {
    if (error instanceof OutOfTime) throw outOfTime(fixed.size, panels.length)
    throw error
  } finally {
    master.dispose()
  }
}

export { Infeasible }
