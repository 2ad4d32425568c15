import { Worker } from 'node:worker_threads'
import type { Instance } from './instance.ts'
import { legacyProbabilities } from './legacy.ts'
import { Infeasible, leximin, TimeLimitReached, type LeximinResult } from './leximin.ts'
import { roundToLottery } from './lottery.ts'

/** What a draw publishes before any randomness: LEXIMIN, the LEGACY estimate beside it, and the lottery. */
export interface PreparedLottery {
  leximin: {
    probabilities: number[]
    seconds: number
    ilps: number
    panelsInSupport: number
    method: LeximinResult['method']
  }
  legacy: { probabilities: number[]; runs: number; failures: number }
  /** the m panels as lists of volunteers (indices into the pool) and the largest change of a probability */
  lottery: { panels: number[][]; maxDeviation: number }
}

export interface LotteryOptions {
  panelCount: number
  legacyRuns: number
  timeLimitSeconds: number
}

/** Computes the draw's lottery in this thread. Throws Infeasible or TimeLimitReached as `leximin` does. */
export async function computeLottery(instance: Instance, options: LotteryOptions): Promise<PreparedLottery> {
  const result = await leximin(instance, { timeLimitSeconds: options.timeLimitSeconds })
  const legacy = legacyProbabilities(instance, options.legacyRuns, 1)
  const rounded = await roundToLottery(result, result.types, options.panelCount)
  return {
    leximin: {
      probabilities: result.probabilities,
      seconds: result.seconds,
      ilps: result.ilps,
      panelsInSupport: result.panels.length,
      method: result.method,
    },
    legacy,
    lottery: { panels: rounded.panels, maxDeviation: rounded.maxDeviation },
  }
}

/** How the worker reports a failure (errors lose their class across threads). */
export type WorkerFailure =
  | { kind: 'infeasible' }
  | { kind: 'time'; seconds: number; fixedTypes: number; types: number; panels: number; ilps: number }
  | { kind: 'error'; message: string }

export function failureOf(error: unknown): WorkerFailure {
  if (error instanceof Infeasible) return { kind: 'infeasible' }
  if (error instanceof TimeLimitReached)
    return {
      kind: 'time',
      seconds: error.seconds,
      fixedTypes: error.fixedTypes,
      types: error.types,
      panels: error.panels,
      ilps: error.ilps,
    }
  return { kind: 'error', message: error instanceof Error ? error.message : String(error) }
}

function errorOf(failure: WorkerFailure): Error {
  if (failure.kind === 'infeasible') return new Infeasible()
  if (failure.kind === 'time')
    return new TimeLimitReached(failure.seconds, failure.fixedTypes, failure.types, failure.panels, failure.ilps)
  return new Error(`the draw's computation failed: ${failure.message}`)
}

/** past the solvers' own limit, this long for LEGACY and the rounding before the worker is stopped */
const GRACE_SECONDS = 120
let queue: Promise<unknown> = Promise.resolve()

/**
 * Computes the lottery in a worker thread, one computation at a time: HiGHS's solves are synchronous and last
 * seconds on large pools, and the server keeps answering everyone else meanwhile.
 */
export function computeLotteryInWorker(instance: Instance, options: LotteryOptions): Promise<PreparedLottery> {
  const run = () =>
    new Promise<PreparedLottery>((resolve, reject) => {
      const worker = new Worker(new URL('./prepare.worker.ts', import.meta.url), { workerData: { instance, options } })
      let settled = false
      const settle = (outcome: () => void) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        outcome()
        void worker.terminate()
      }
      const timer = setTimeout(
        () => settle(() => reject(new Error('the draw’s computation did not answer in time'))),
        (options.timeLimitSeconds + GRACE_SECONDS) * 1000,
      )
      worker.on('message', (message: { ok: true; value: PreparedLottery } | { ok: false; failure: WorkerFailure }) =>
        settle(() => (message.ok ? resolve(message.value) : reject(errorOf(message.failure)))),
      )
      worker.on('error', (error) => settle(() => reject(error)))
      worker.on('exit', (code) => settle(() => reject(new Error(`the draw’s computation stopped (exit code ${code})`))))
    })
  const next = queue.then(run, run)
  queue = next.catch(() => undefined)
  return next
}
