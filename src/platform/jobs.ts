import { sql } from 'drizzle-orm'
import type { FastifyBaseLogger } from 'fastify'
import { queryRows, type Db } from './db/index.ts'

/**
 * A small job queue in the database (table `jobs`), the same on PGlite and PostgreSQL. Writers enqueue inside
 * their own transaction, so a job exists exactly when the change that asked for it is committed.
 */

export interface JobInput {
  kind: string
  payload?: Record<string, unknown>
  runAt?: Date
  /** a job with a key is enqueued once, however many times it is asked for */
  uniqueKey?: string
}

export type JobHandler = (payload: Record<string, unknown>) => Promise<void>

const MAX_ATTEMPTS = 5
const LOCK_MINUTES = 10

export async function enqueueJob(db: Db, job: JobInput): Promise<void> {
  await db.execute(
    sql`insert into jobs (kind, payload, run_at, unique_key) values (${job.kind}, ${JSON.stringify(job.payload ?? {})}::jsonb, ${(job.runAt ?? new Date()).toISOString()}, ${job.uniqueKey ?? null})
        on conflict (unique_key) do nothing`,
  )
}

/**
 * Runs the jobs that are due, one at a time, until none is left (or `limit` ran). A job is claimed for a while
 * (another worker skips it), then marked done; a failure is retried later, with a growing delay, up to
 * MAX_ATTEMPTS times. Returns how many jobs ran, failed ones included.
 */
export async function runDueJobs(
  db: Db,
  handlers: Record<string, JobHandler>,
  log?: FastifyBaseLogger,
  limit = 1000,
): Promise<number> {
  let ran = 0
  while (ran < limit) {
    const [job] = await queryRows<{ id: number; kind: string; payload: Record<string, unknown>; attempts: number }>(
      db,
      sql`update jobs set attempts = attempts + 1, locked_until = now() + make_interval(mins => ${LOCK_MINUTES})
          where id = (select id from jobs where done_at is null and failed_at is null and run_at <= now() and (locked_until is null or locked_until < now())
                      order by run_at, id limit 1 for update skip locked)
          returning id, kind, payload, attempts`,
    )
    if (!job) break
    ran++
    const handler = handlers[job.kind]
    try {
      if (!handler) throw new Error(`no handler for jobs of kind ${job.kind}`)
      await handler(job.payload)
      await db.execute(
        sql`update jobs set done_at = now(), locked_until = null, last_error = null where id = ${job.id}`,
      )
    } catch (error) {
      // the stored message is for the operator; like the log, it never holds a failed query's parameters
      const message = error instanceof Error ? error.message.split('\nparams:')[0]! : 'not an Error'
      log?.error({ job: job.id, kind: job.kind, attempts: job.attempts, err: error }, 'job failed')
      await db.execute(
        job.attempts >= MAX_ATTEMPTS
          ? sql`update jobs set failed_at = now(), locked_until = null, last_error = ${message.slice(0, 2000)} where id = ${job.id}`
          : sql`update jobs set locked_until = null, last_error = ${message.slice(0, 2000)}, run_at = now() + make_interval(mins => ${2 ** job.attempts}) where id = ${job.id}`,
      )
    }
  }
  return ran
}

export interface JobWorker {
  /** One pass: the periodic tasks, then every due job. */
  tick(): Promise<void>
  /**
   * Runs the due jobs soon, without waiting for the next pass (a mail someone waits for was queued). Nothing when
   * the worker is off (JOB_POLL_SECONDS=0: a scheduler runs `jobs:run`; tests call tick()).
   */
  wake(): void
  /** Stops the timer and waits for a pass under way. */
  stop(): Promise<void>
}

/**
 * Runs `tick` every `intervalMs` in this process (the embedded default and small installations); a pass never
 * overlaps the previous one. `npm run cli -- jobs:run` does one pass from a scheduler instead.
 */
export function startJobWorker(options: {
  db: Db
  log: FastifyBaseLogger
  intervalMs: number
  handlers: Record<string, JobHandler>
  periodic: (() => Promise<unknown>)[]
}): JobWorker {
  let running: Promise<void> | null = null
  const tick = async () => {
    if (running) return running
    running = (async () => {
      for (const task of options.periodic) {
        try {
          await task()
        } catch (error) {
          options.log.error({ err: error }, 'periodic task failed')
        }
      }
      await runDueJobs(options.db, options.handlers, options.log)
    })().finally(() => {
      running = null
    })
    return running
  }
  const pass = () => void tick().catch((error: unknown) => options.log.error({ err: error }, 'job worker pass failed'))
  const timer = options.intervalMs > 0 ? setInterval(pass, options.intervalMs) : null
  timer?.unref()
  let woken = false
  return {
    tick,
    wake: () => {
      if (!timer || woken) return
      woken = true
      setImmediate(() => {
        woken = false
        // a pass under way may have claimed its jobs before this one was queued: run another after it
        void (running ?? Promise.resolve()).catch(() => undefined).then(pass)
      })
    },
    stop: async () => {
      if (timer) clearInterval(timer)
      await running?.catch(() => undefined)
    },
  }
}
