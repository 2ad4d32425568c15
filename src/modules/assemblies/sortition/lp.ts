import { createRequire } from 'node:module'

/**
 * Linear and integer programs solved by HiGHS (WebAssembly), written in the CPLEX LP text format. One small
 * builder for every program of the sortition algorithms.
 */

interface HighsColumn {
  Primal: number
  Dual?: number
}
interface HighsRow {
  Name: string
  Primal: number
  Dual?: number
}
interface HighsResult {
  Status: string
  ObjectiveValue: number
  Columns: Record<string, HighsColumn>
  Rows: HighsRow[]
}
/** The part of the persistent model API the column generation uses. */
export interface HighsModel {
  options: { set(options: Record<string, unknown>): void }
  addVars(lower: number[] | Float64Array, upper: number[] | Float64Array): void
  addRow(lower: number, upper: number, entries: { indices: number[]; values: number[] }): void
  changeColsCost(selection: { kind: 'range'; from: number; to: number }, costs: number[] | Float64Array): void
  changeColCost(index: number, cost: number): void
  changeColsIntegrality(selection: { kind: 'range'; from: number; to: number }, types: number[]): void
  changeCoefficient(row: number, col: number, value: number): void
  changeRowBounds(row: number, lower: number, upper: number): void
  changeColBounds(col: number, lower: number, upper: number): void
  changeColsBounds(
    selection: { kind: 'range'; from: number; to: number },
    lower: number[] | Float64Array,
    upper: number[] | Float64Array,
  ): void
  addCol(cost: number, lower: number, upper: number, entries: { indices: number[]; values: number[] }): void
  changeObjectiveSense(sense: number): void
  run(): { modelStatus: number }
  zeroAllClocks(): void
  getBasis(): { colStatus: Int32Array; rowStatus: Int32Array }
  setBasis(basis: { colStatus: Int32Array; rowStatus: Int32Array }): void
  getSolution(): { colValue: Float64Array; colDual: Float64Array; rowDual: Float64Array }
  getObjectiveValue(): number
  dispose(): void
}
export interface Highs {
  solve(problem: string, options?: Record<string, unknown>): HighsResult
  createModel(): HighsModel
  infinity: number
  constants: {
    objectiveSense: { maximize: number; minimize: number }
    modelStatus: { optimal: number; infeasible: number; timeLimit: number }
  }
}

// the package is CommonJS with a default export: under NodeNext typing, take it through require
const loadHighs = createRequire(import.meta.url)('highs') as () => Promise<Highs>
let solver: Promise<Highs> | null = null

export function highsSolver(): Promise<Highs> {
  solver ??= loadHighs()
  return solver
}

/** Solver tolerances: tight, so that probabilities are exact to well under 1e-6. */
export const OPTIONS = {
  output_flag: false,
  primal_feasibility_tolerance: 1e-10,
  dual_feasibility_tolerance: 1e-10,
  mip_rel_gap: 0,
  mip_abs_gap: 1e-12,
  mip_feasibility_tolerance: 1e-9,
}

export type Basis = { colStatus: Int32Array; rowStatus: Int32Array }

/**
 * Restarts a model from the basis of its last run, columns added since nonbasic at their lower bound: HiGHS drops
 * the basis when columns are added, and a column generation's master would otherwise start from scratch each round.
 */
export function restartFrom(model: HighsModel, basis: Basis | null, columns: number): void {
  if (!basis) return
  const colStatus = new Int32Array(columns)
  colStatus.set(basis.colStatus.subarray(0, Math.min(basis.colStatus.length, columns)))
  model.setBasis({ colStatus, rowStatus: basis.rowStatus })
}

/** HiGHS's model status when a run stops at its time limit */
const TIME_LIMIT = 13

/** Counts the programs solved and gives each run the time left before the caller's deadline. */
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
  /** throws OutOfTime when a run stopped at its time limit */
  check(status: number): void {
    if (status === TIME_LIMIT) throw new OutOfTime()
  }
}

/** The caller's time limit was reached. */
export class OutOfTime extends Error {}

export type Sense = '<=' | '>=' | '='
export type Terms = [name: string, coefficient: number][]

const number = (value: number) =>
  Object.is(value, -0) ? '0' : Number.isInteger(value) ? String(value) : value.toPrecision(17)

function expression(terms: Terms): string {
  const parts = terms
    .filter(([, c]) => c !== 0)
    .map(([name, c], i) => `${c < 0 ? '-' : i === 0 ? '' : '+'} ${number(Math.abs(c))} ${name}`)
  return parts.length > 0 ? parts.join(' ') : '0 __zero'
}

export class Program {
  private readonly rows: string[] = []
  private readonly bounds: string[] = []
  private readonly integers: string[] = []
  private objective = ''
  private sense: 'Maximize' | 'Minimize' = 'Maximize'
  constructor(private readonly kind: 'lp' | 'mip' = 'lp') {}

  maximize(terms: Terms): this {
    this.sense = 'Maximize'
    this.objective = expression(terms)
    return this
  }

  minimize(terms: Terms): this {
    this.sense = 'Minimize'
    this.objective = expression(terms)
    return this
  }

  constraint(name: string, terms: Terms, sense: Sense, rhs: number): this {
    this.rows.push(` ${name}: ${expression(terms)} ${sense} ${number(rhs)}`)
    return this
  }

  /** Bounds of a variable; `null` for unbounded on that side. Variables are ≥ 0 unless told. */
  bound(name: string, lower: number | null, upper: number | null): this {
    if (lower === null && upper === null) this.bounds.push(` ${name} free`)
    else
      this.bounds.push(
        ` ${lower === null ? '-inf' : number(lower)} <= ${name} <= ${upper === null ? '+inf' : number(upper)}`,
      )
    return this
  }

  integer(name: string): this {
    this.integers.push(name)
    return this
  }

  text(): string {
    return [
      this.sense,
      ` obj: ${this.objective}`,
      'Subject To',
      ...this.rows,
      'Bounds',
      ' __zero = 0',
      ...this.bounds,
      ...(this.integers.length > 0 ? ['General', ` ${this.integers.join(' ')}`] : []),
      'End',
    ].join('\n')
  }

  /**
   * Solves; throws unless optimal (`infeasible` is reported as such, for the caller to explain). With a time limit,
   * a run that reaches it returns its best solution, or null when it has none.
   */
  async solve(): Promise<Solution>
  async solve(options: { timeLimitSeconds: number }): Promise<Solution | null>
  async solve(options?: { timeLimitSeconds: number }): Promise<Solution | null> {
    const highs = await highsSolver()
    const result = highs.solve(this.text(), options ? { ...OPTIONS, time_limit: options.timeLimitSeconds } : OPTIONS)
    if (result.Status === 'Infeasible') throw new Infeasible()
    if (options && result.Status === 'Time limit reached' && !Number.isFinite(result.ObjectiveValue)) return null
    if (result.Status !== 'Optimal' && !(options && result.Status === 'Time limit reached'))
      throw new Error(`the ${this.kind === 'mip' ? 'integer' : 'linear'} program ended with status ${result.Status}`)
    const rows = new Map(result.Rows.map((r) => [r.Name, r]))
    return {
      objective: result.ObjectiveValue,
      value: (name) => result.Columns[name]?.Primal ?? 0,
      dual: (row) => rows.get(row)?.Dual ?? 0,
    }
  }
}

export interface Solution {
  objective: number
  value(name: string): number
  dual(row: string): number
}

export class Infeasible extends Error {
  constructor() {
    super('infeasible')
  }
}
