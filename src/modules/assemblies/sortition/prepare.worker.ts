import { parentPort, workerData } from 'node:worker_threads'
import { computeLottery, failureOf, type LotteryOptions } from './prepare.ts'
import type { Instance } from './instance.ts'

// the thread computeLotteryInWorker starts: one computation, one message
const { instance, options } = workerData as { instance: Instance; options: LotteryOptions }
try {
  parentPort!.postMessage({ ok: true, value: await computeLottery(instance, options) })
} catch (error) {
  parentPort!.postMessage({ ok: false, failure: failureOf(error) })
}
