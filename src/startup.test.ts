import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { createLogger, openPreparedDatabase } from './bootstrap.ts'
import { DEMO_STEPS, seedDemo } from './demo/seed.ts'
import { loadConfig } from './platform/config.ts'
import { openDatabase, queryRows, type Db } from './platform/db/index.ts'
import { createTestDatabase } from '../test/helpers/database.ts'

const ROOT = join(import.meta.dirname, '..')
const SECRET = 'startup-test-secret-startup-test-secret-0123'

/** Rows in every table of the schema: what a complete demo holds, compared whole. */
async function census(db: Db): Promise<Record<string, number>> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  )
  const result: Record<string, number> = {}
  for (const { name } of tables) {
    const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(name)}`)
    result[name] = row!.n
  }
  return result
}

let reference: Promise<Record<string, number>> | null = null
/** The census of a demo loaded in one go, on a fresh registry. */
function referenceCensus(): Promise<Record<string, number>> {
  reference ??= (async () => {
    const database = await createTestDatabase('pglite')
    try {
      await seedDemo(database.db)
      return await census(database.db)
    } finally {
      await database.close()
    }
  })()
  return reference
}

class StoppedHere extends Error {}

const steps = ['migrations', 'registry', ...DEMO_STEPS.map((s) => s.name)]

describe('a first start stopped at any point is finished by the next one', () => {
  test('stopped after each step and inside each demo step (rolled back), the next starts complete the demo, nothing twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'thc-startup-'))
    const config = loadConfig({ DATA_DIR: dir, SESSION_SECRET: SECRET, LOG_LEVEL: 'silent' })
    const log = createLogger(config)
    // every stop point, in order: after each committed step, and inside each demo step before its commit
    const stops: { step: string; inside: boolean }[] = steps.flatMap((step) =>
      DEMO_STEPS.some((s) => s.name === step)
        ? [
            { step, inside: true },
            { step, inside: false },
          ]
        : [{ step, inside: false }],
    )
    try {
      for (const stop of stops) {
        await assert.rejects(
          openPreparedDatabase(config, log, {
            beforeCommit: (name) => {
              if (stop.inside && name === stop.step) throw new StoppedHere(name)
            },
            afterStep: (name) => {
              if (!stop.inside && name === stop.step) throw new StoppedHere(name)
            },
          }),
          StoppedHere,
          `the start stops ${stop.inside ? 'inside' : 'after'} ${stop.step}`,
        )
      }
      const database = await openPreparedDatabase(config, log)
      try {
        assert.deepEqual(await census(database.db), await referenceCensus(), 'the same rows as a demo loaded in one go')
        const [drawn] = await queryRows<{ n: number }>(
          database.db,
          sql`select count(*)::int as n from assemblies where phase = 'drawn'`,
        )
        assert.equal(drawn!.n, 1)
      } finally {
        await database.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('a real kill -9 of the server during its first start, at several points, leaves a folder the next start completes', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'thc-kill-'))
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATA_DIR: dir,
      PORT: '0',
      SESSION_SECRET: SECRET,
      JOB_POLL_SECONDS: '0',
    }
    t.after(() => rmSync(dir, { recursive: true, force: true }))
    const start = () =>
      spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'server.ts')], {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    /** Starts the server and kills it (SIGKILL) once its output matches, or after `delayMs` without a pattern. */
    const killWhen = (pattern: RegExp | null, delayMs = 0) =>
      new Promise<string>((resolve, reject) => {
        const child: ChildProcess = start()
        let output = ''
        const kill = () => setTimeout(() => child.kill('SIGKILL'), delayMs)
        if (!pattern) kill()
        const timer = setTimeout(() => {
          child.kill('SIGKILL')
          reject(new Error(`no ${pattern} in: ${output}`))
        }, 120_000)
        const read = (chunk: Buffer) => {
          output += chunk.toString()
          if (pattern?.test(output)) {
            pattern = null
            kill()
          }
        }
        child.stdout!.on('data', read)
        child.stderr!.on('data', read)
        child.on('exit', (_code, signal) => {
          clearTimeout(timer)
          if (signal === 'SIGKILL') resolve(output)
          else reject(new Error(`the server ended by itself before the kill (${signal}): ${output}`))
        })
      })
    await killWhen(null, 1500) // inside the embedded database's first creation
    assert.ok(
      !existsSync(join(dir, 'pglite')) || readdirSync(join(dir, 'pglite')).includes('PG_VERSION'),
      'no half-made database folder',
    )
    await killWhen(/migrations applied/)
    await killWhen(/territory registry loaded/)
    await killWhen(/demonstration action plan added/)
    await killWhen(/demonstration participation added/, 300)
    const output = await killWhen(/platform ready/)
    assert.match(output, /platform ready/, 'the last start finishes')
    assert.ok(!existsSync(join(dir, 'pglite.partial')), 'the partial folder of the first creation is gone')
    const database = await openDatabase({ databaseUrl: null, dataDir: dir })
    try {
      assert.deepEqual(await census(database.db), await referenceCensus())
    } finally {
      await database.close()
    }
  })
})
