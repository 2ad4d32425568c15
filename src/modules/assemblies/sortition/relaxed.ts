import { Infeasible, OPTIONS, restartFrom, type Basis, type Counter, type Highs } from './lp.ts'
import { addBetterPanels, addRows, ones, range, type PanelRow, type PanelSearch, type SwapSearch } from './panels.ts'

/**
 * The fast route to LEXIMIN: the leximin of the linear relaxation, then a lottery of real panels that gives exactly
 * those probabilities.
 *
 * The relaxation lets a panel hold fractions of volunteers (x_t real between 0 and the type's size, the same
 * quota and household rows). Every lottery of real panels is a point of it, so its leximin is at least as good as
 * the true one, and it takes one linear program a stage instead of a column generation. When that point is also
 * a lottery of real panels, it is the true LEXIMIN; `decompose` looks for such a lottery, and the caller falls back
 * to column generation when it finds none.
 *
 * `decompose` walks down the faces of the relaxation (Carathéodory's construction): from the point still to be
 * written, a panel on the smallest face holding it (every row and bound tight at the point is tight for the panel)
 * gets the largest weight λ that keeps the rest, (r − λ·panel)/(1 − λ), inside the relaxation; the rest then lies
 * on a smaller face (one more row or bound is tight), so the walk ends after at most (types + 1) panels. The panel
 * chosen is the one with the largest Σ p_t x_t (the types still owed the most go first), which keeps the rest
 * away from the corners where no real panel fits. It is found by the face's linear program, then an integer
 * program over the columns whose reduced cost is below a margin δ: any panel that changes one of the other columns
 * is worth at most LP − δ (reduced-cost fixing), so a panel of the small program worth at least LP − δ is the best;
 * otherwise δ grows. The walk stops when a face holds no real panel: the walk went past the panels' hull (it
 * happens near the end), and `fitTarget` finishes the lottery; or the relaxation's point is no lottery of panels,
 * which `fitTarget` proves, and the caller's column generation starts from the walk's panels.
 */

/** A dual weight above this proves a type is held at the stage's value. */
const POSITIVE_DUAL = 1e-9

/**
 * The leximin of the relaxation: each type's probability. Throws Infeasible when even fractional panels cannot
 * meet the quotas.
 */
export function relaxedLeximin(highs: Highs, rows: PanelRow[], size: number[], counter: Counter): number[] {
  const T = size.length
  const model = highs.createModel()
  try {
    // presolve off: each stage starts from the last basis
    model.options.set({ ...OPTIONS, presolve: 'off' })
    model.addVars(new Float64Array(T + 1), Float64Array.from([...size, highs.infinity])) // x_t, then z
    addRows(model, rows)
    const first = rows.length
    for (let t = 0; t < T; t++) model.addRow(0, highs.infinity, { indices: [t, T], values: [1, -size[t]!] })
    model.changeColCost(T, 1)
    model.changeObjectiveSense(highs.constants.objectiveSense.maximize)
    const fixed = new Map<number, number>()
    while (fixed.size < T) {
      counter.lps++
      counter.limit(model)
      const status = model.run().modelStatus
      counter.check(status)
      if (status === highs.constants.modelStatus.infeasible) throw new Infeasible()
      if (status !== highs.constants.modelStatus.optimal) throw new Error(`the relaxation ended with status ${status}`)
      const z = Math.min(1, Math.max(0, model.getObjectiveValue()))
      const dual = model.getSolution().rowDual
      const unfixed = [...Array(T).keys()].filter((t) => !fixed.has(t))
      let held = unfixed.filter((t) => Math.abs(dual[first + t]!) > POSITIVE_DUAL)
      // a degenerate optimum can spread the proof thinly: the type with the largest dual weight is held
      if (held.length === 0)
        held = [unfixed.reduce((a, b) => (Math.abs(dual[first + b]!) > Math.abs(dual[first + a]!) ? b : a))]
      for (const t of held) {
        fixed.set(t, z)
        model.changeCoefficient(first + t, T, 0)
        model.changeRowBounds(first + t, size[t]! * z, highs.infinity)
      }
    }
    return size.map((_, t) => fixed.get(t)!)
  } finally {
    model.dispose()
  }
}

/** A point still to be written closer than this to a bound or row limit is on it. */
const TIGHT = 1e-11
/** The walk ends when the weight left is below this (each probability then within it of the target). */
const DONE = 1e-10
/** first margin of the reduced-cost fixing, multiplied by 8 until the small program's panel is proven best */
const FIRST_MARGIN = 1e-3
/** the small integer programs skip HiGHS's costlier primal heuristics and restarts: on 30–150 columns they cost more than they save */
const SMALL_PROGRAM_OPTIONS = {
  ...OPTIONS,
  mip_heuristic_run_rins: false,
  mip_heuristic_run_rens: false,
  mip_heuristic_run_feasibility_jump: false,
  mip_allow_restart: false,
}

export interface Decomposition {
  panels: number[][]
  weights: number[]
  /** false when the walk met a face without a real panel: the panels found so far, for the caller to reuse */
  complete: boolean
}

/** Writes the type probabilities `target` as a lottery of panels (see above). */
export function decompose(
  highs: Highs,
  rows: PanelRow[],
  size: number[],
  target: number[],
  counter: Counter,
): Decomposition {
  const T = size.length
  const faceProgram = highs.createModel()
  try {
    faceProgram.options.set({ ...OPTIONS, presolve: 'off' })
    faceProgram.addVars(new Float64Array(T), Float64Array.from(size))
    addRows(faceProgram, rows)
    faceProgram.changeObjectiveSense(highs.constants.objectiveSense.maximize)

    /** the best panel of the face (bounds lower/upper, row limits rowMin/rowMax) under `weights`, or null if none */
    const bestOnFace = (
      lower: number[],
      upper: number[],
      rowMin: number[],
      rowMax: number[],
      weights: number[],
    ): number[] | null => {
      faceProgram.changeColsBounds(range(T), lower, upper)
      rows.forEach((_, i) => {
        faceProgram.changeRowBounds(i, rowMin[i]!, rowMax[i]!)
      })
      faceProgram.changeColsCost(range(T), weights)
      counter.lps++
      counter.limit(faceProgram)
      const status = faceProgram.run().modelStatus
      counter.check(status)
      if (status !== highs.constants.modelStatus.optimal) return null
      const bound = faceProgram.getObjectiveValue()
      const { colValue, colDual } = faceProgram.getSolution()
      if (colValue.every((x) => Math.abs(x - Math.round(x)) < 1e-9))
        return Array.from(colValue, (x) => Math.round(x) || 0)
      const atBound = (t: number) =>
        Math.abs(colValue[t]! - lower[t]!) < 1e-9 || Math.abs(colValue[t]! - upper[t]!) < 1e-9
      const movable = [...Array(T).keys()].filter((t) => lower[t] !== upper[t])
      for (let margin = FIRST_MARGIN; ; margin *= 8) {
        const kept = (t: number) => atBound(t) && Math.abs(colDual[t]!) >= margin
        const free = movable.filter((t) => !kept(t))
        const panel = Array.from({ length: T }, (_, t) =>
          lower[t] === upper[t] ? lower[t]! : kept(t) ? Math.round(colValue[t]!) || 0 : 0,
        )
        const everything = free.length === movable.length
        const solved = smallProgram(free, panel, rowMin, rowMax, weights)
        if (solved) {
          free.forEach((t, j) => {
            panel[t] = solved[j]!
          })
          const value = panel.reduce((sum, x, t) => sum + x * weights[t]!, 0)
          if (everything || bound - value <= margin - 1e-12) return panel
        } else if (everything) return null
      }
    }

    /** the integer program over the free columns, the others held at `panel`'s values; null when infeasible */
    const smallProgram = (
      free: number[],
      panel: number[],
      rowMin: number[],
      rowMax: number[],
      weights: number[],
    ): number[] | null => {
      const position = new Map(free.map((t, j) => [t, j]))
      const model = highs.createModel()
      try {
        model.options.set(SMALL_PROGRAM_OPTIONS)
        if (free.length > 0) {
          model.addVars(
            Float64Array.from(free, () => 0),
            Float64Array.from(free, (t) => size[t]!),
          )
          model.changeColsIntegrality(range(free.length), Array(free.length).fill(1))
          model.changeColsCost(
            range(free.length),
            free.map((t) => weights[t]!),
          )
        }
        model.changeObjectiveSense(highs.constants.objectiveSense.maximize)
        let fixedOutOfRange = false
        rows.forEach((row, i) => {
          const held = row.types.reduce((sum, t) => sum + (position.has(t) ? 0 : panel[t]!), 0)
          const indices = row.types.flatMap((t) => (position.has(t) ? [position.get(t)!] : []))
          if (indices.length === 0) {
            if (held < rowMin[i]! || held > rowMax[i]!) fixedOutOfRange = true
            return
          }
          model.addRow(rowMin[i]! - held, rowMax[i]! - held, { indices, values: ones(indices) })
        })
        if (fixedOutOfRange) return null
        if (free.length === 0) return []
        counter.ilps++
        counter.limit(model)
        const status = model.run().modelStatus
        counter.check(status)
        if (status !== highs.constants.modelStatus.optimal) return null
        return Array.from(model.getSolution().colValue, (x) => Math.round(x) || 0)
      } finally {
        model.dispose()
      }
    }

    // r: each type's expected number of members still to be written, W: the weight still to give
    const rest = target.map((p, t) => p * size[t]!)
    let left = 1
    const panels: number[][] = []
    const weights: number[] = []
    while (left > DONE) {
      const lower = rest.map((r, t) => (r >= size[t]! * left - TIGHT ? size[t]! : 0))
      const upper = rest.map((r, t) => (r <= TIGHT ? 0 : size[t]!))
      if (lower.some((l, t) => l > upper[t]!)) break
      const rowMin: number[] = []
      const rowMax: number[] = []
      const count = rows.map((row) => row.types.reduce((sum, t) => sum + rest[t]!, 0))
      rows.forEach((row, i) => {
        rowMin[i] = count[i]! >= row.max * left - TIGHT ? row.max : row.min
        rowMax[i] = count[i]! <= row.min * left + TIGHT ? row.min : row.max
      })
      if (rowMin.some((m, i) => m > rowMax[i]!)) break
      const panel = bestOnFace(
        lower,
        upper,
        rowMin,
        rowMax,
        rest.map((r, t) => r / size[t]! / left),
      )
      if (!panel) break
      let lambda = left
      const limit = (room: number, speed: number) => {
        if (speed > 0) lambda = Math.min(lambda, Math.max(0, room) / speed)
      }
      for (let t = 0; t < T; t++) {
        limit(rest[t]!, panel[t]!)
        limit(size[t]! * left - rest[t]!, size[t]! - panel[t]!)
      }
      rows.forEach((row, i) => {
        const members = row.types.reduce((sum, t) => sum + panel[t]!, 0)
        limit(count[i]! - row.min * left, members - row.min)
        limit(row.max * left - count[i]!, row.max - members)
      })
      if (!(lambda > 0)) break
      panels.push(panel)
      weights.push(lambda)
      for (let t = 0; t < T; t++) rest[t] = Math.max(0, rest[t]! - lambda * panel[t]!)
      left -= lambda
    }
    return { panels, weights, complete: left <= DONE }
  } finally {
    faceProgram.dispose()
  }
}

/** the fit is exact when the expected numbers of members are all within this of the target's, summed */
const FITTED = 1e-10

/**
 * When the walk stops short (it can leave the panels' hull near its end, on faces without real panels): the
 * lottery over the known panels closest to the target, with new panels while one narrows the gap — column
 * generation on a fixed target, started from the walk's panels, so usually a few rounds. The master minimises the
 * total gap Σ_t |Σ_P μ_P x_{P,t} − c_t p_t| over lotteries μ; with row duals y_t and y_0 (for Σ μ = 1), a panel
 * narrows it when Σ_t y_t x_t + y_0 > 0. Null when none does and a gap remains: the target is no lottery of panels.
 */
export function fitTarget(
  highs: Highs,
  size: number[],
  target: number[],
  known: number[][],
  counter: Counter,
  search: PanelSearch,
  swaps: SwapSearch,
): Decomposition | null {
  const T = size.length
  const model = highs.createModel()
  try {
    model.options.set({ ...OPTIONS, presolve: 'off' })
    // the gaps: s⁺_t and s⁻_t, each costing 1
    model.addVars(new Float64Array(2 * T), new Float64Array(2 * T).fill(highs.infinity))
    model.changeColsCost(range(2 * T), new Float64Array(2 * T).fill(1))
    for (let t = 0; t < T; t++)
      model.addRow(target[t]! * size[t]!, target[t]! * size[t]!, { indices: [t, T + t], values: [1, -1] })
    model.addRow(1, 1, { indices: [], values: [] })
    const panels: number[][] = []
    const seen = new Set<string>()
    const add = (panel: number[]) => {
      const key = panel.join(',')
      if (seen.has(key)) return false
      seen.add(key)
      panels.push(panel)
      const indices = panel.flatMap((x, t) => (x > 0 ? [t] : []))
      model.addCol(0, 0, highs.infinity, { indices: [...indices, T], values: [...indices.map((t) => panel[t]!), 1] })
      return true
    }
    for (const panel of known) add(panel)
    let basis: Basis | null = null
    for (;;) {
      restartFrom(model, basis, 2 * T + panels.length)
      counter.lps++
      counter.limit(model)
      const status = model.run().modelStatus
      counter.check(status)
      if (status !== highs.constants.modelStatus.optimal)
        throw new Error(`the fit of the target ended with status ${status}`)
      basis = model.getBasis()
      const { colValue, rowDual } = model.getSolution()
      if (model.getObjectiveValue() <= FITTED)
        return { panels, weights: Array.from(colValue.subarray(2 * T)), complete: true }
      const weights = Array.from(rowDual.subarray(0, T))
      if (!addBetterPanels(panels, weights, -rowDual[T]! + FITTED, swaps, search, add)) return null
    }
  } finally {
    model.dispose()
  }
}
