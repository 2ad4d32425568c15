import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { openDatabase, queryRows, type Database } from '../../platform/db/index.ts'
import { headDigest, postUpdate, publishHistoryHeads, verifyHistory } from './index.ts'
import { describeEachEngine } from '../../../test/helpers/app.ts'
import { createTestDatabase } from '../../../test/helpers/database.ts'
import { buildPlan } from '../../../test/helpers/factories.ts'
import { buildApp } from '../../app.ts'
import { createLogger } from '../../bootstrap.ts'
import { loadConfig } from '../../platform/config.ts'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const SECRET = 'tamper-test-secret-tamper-test-secret-0123'

/** Tampering behind the platform's back: a truncated chain with its head adjusted shows against the published heads. */
describeEachEngine('tamper evidence of the history', (engine) => {
  let database: Database & { url?: string }
  let dir = ''
  let env: Record<string, string> = {}
  let territoryId = ''
  let territoryRef = ''
  let built: Awaited<ReturnType<typeof buildPlan>>
  const cli = (args: string[]) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SESSION_SECRET: SECRET, ...env },
    })
    return { code: result.status, stdout: result.stdout, stderr: result.stderr }
  }
  /** Runs `work` with the database open in this process (the embedded one is closed again for the command line). */
  const withDb = async <T>(work: (db: Database) => Promise<T>): Promise<T> => {
    const open = engine === 'pglite' ? await openDatabase({ databaseUrl: null, dataDir: dir }) : database
    try {
      return await work(open)
    } finally {
      if (engine === 'pglite') await open.close()
    }
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'thc-tamper-'))
    database = await createTestDatabase(engine, engine === 'pglite' ? { dataDir: dir } : {})
    built = await buildPlan(database)
    territoryId = built.territory.id
    territoryRef = `autre/${built.territory.code}`
    // the chain starts with the first progress update
    await postUpdate(database.db, {
      actor: built.editor.actor,
      commitmentId: built.commitments[0]!.id,
      input: {
        milestoneId: null,
        status: null,
        progress: null,
        narrative: 'Le travail a commencé.',
        evidence: [],
        nextSteps: '',
        correctsId: null,
      },
    })
    if (engine === 'pglite') await database.close()
    env = engine === 'pglite' ? { DATA_DIR: dir } : { DATABASE_URL: database.url!, DATA_DIR: dir }
  })
  after(async () => {
    if (engine === 'postgres') await database.close()
    rmSync(dir, { recursive: true, force: true })
  })

  test('heads are published at most hourly into a public, append-only, chained feed with RFC 8785 digests', async () => {
    const feed = await withDb(async (db) => {
      assert.equal(await publishHistoryHeads(db.db), 1)
      assert.equal(await publishHistoryHeads(db.db), 0, 'nothing new: nothing published')
      const config = loadConfig({
        DATA_DIR: mkdtempSync(join(tmpdir(), 'thc-tamper-app-')),
        SESSION_SECRET: SECRET,
        LOG_LEVEL: 'silent',
        DEMO_DATA: 'false',
        JOB_POLL_SECONDS: '0',
      })
      const app = await buildApp({ config, database: { ...db, close: async () => {} }, logger: createLogger(config) })
      try {
        const json = await app.inject({ url: `/api/v1/history/heads?territoire=${territoryRef}` })
        assert.equal(json.statusCode, 200)
        const page = await app.inject({ url: `${built.territory.path}/historique/empreintes` })
        assert.equal(page.statusCode, 200)
        assert.match(page.body, /Empreintes publiées de l’historique/)
        return json.json() as {
          heads: {
            territory: string
            sequence: number
            hash: string
            publishedAt: string
            previous: string | null
            digest: string
          }[]
        }
      } finally {
        await app.close()
      }
    })
    assert.equal(feed.heads.length, 1)
    const [head] = feed.heads
    assert.equal(head!.territory, territoryRef)
    assert.equal(head!.previous, null)
    assert.equal(head!.digest, headDigest(head!))
    await withDb(async (db) => {
      await assert.rejects(db.runScript(`delete from history_head_publications`), /append-only/)
      await assert.rejects(db.runScript(`update history_head_publications set hash = repeat('0', 64)`), /append-only/)
    })
  })

  test('truncations are caught: a missing head, a head adjusted under a published one, and against a head someone kept', async () => {
    const kept = join(dir, 'empreinte.json')
    await withDb(async (db) => {
      // the chain grows; an hour later its new head is published, and someone keeps it
      await postUpdate(db.db, {
        actor: built.editor.actor,
        commitmentId: built.commitments[0]!.id,
        input: {
          milestoneId: null,
          status: null,
          progress: null,
          narrative: 'Une entrée que quelqu’un voudra effacer.',
          evidence: [],
          nextSteps: '',
          correctsId: null,
        },
      })
      assert.equal(await publishHistoryHeads(db.db, new Date(Date.now() + 2 * 3600_000)), 1)
      const [latest] = await queryRows<{
        seq: number
        hash: string
        publishedAt: Date | string
        previous: string
        digest: string
      }>(
        db.db,
        sql`select seq, hash, published_at as "publishedAt", previous, digest from history_head_publications where territory_id = ${territoryId} order by seq desc limit 1`,
      )
      const head = {
        territory: territoryRef,
        sequence: latest!.seq,
        hash: latest!.hash,
        publishedAt: new Date(latest!.publishedAt).toISOString(),
        previous: latest!.previous,
      }
      writeFileSync(kept, JSON.stringify({ ...head, digest: latest!.digest }))
      assert.equal(headDigest(head), latest!.digest)
    })
    assert.equal(cli(['history:verify', territoryRef, '--against', kept]).code, 0)

    // 1. the newest entry and its head row deleted: a missing head is no longer accepted
    await withDb((db) =>
      db.runScript(`alter table history_entries disable trigger history_entries_no_update;
        delete from history_entries where territory_id = '${territoryId}' and seq = (select max(seq) from history_entries where territory_id = '${territoryId}');
        alter table history_entries enable trigger history_entries_no_update;
        delete from history_heads where territory_id = '${territoryId}';`),
    )
    const missing = cli(['history:verify', territoryRef])
    assert.equal(missing.code, 1)
    assert.match(missing.stderr, /BROKEN .*head-missing/)

    // 2. the head row put back at the previous entry: the published head is no longer in the chain
    await withDb((db) =>
      db.runScript(`insert into history_heads (territory_id, last_seq, last_hash)
        select territory_id, seq, hash from history_entries where territory_id = '${territoryId}' order by seq desc limit 1;`),
    )
    const adjusted = cli(['history:verify', territoryRef])
    assert.equal(adjusted.code, 1)
    assert.match(adjusted.stderr, /BROKEN at entry \d+ \(published-head-missing\)/)
    const api = await withDb(async (db) => verifyHistory(db.db, territoryId))
    assert.equal(api.ok, false)

    // 3. the feed's last publication deleted too: only a head kept outside the platform shows the truncation
    await withDb((db) =>
      db.runScript(`alter table history_head_publications disable trigger history_head_publications_no_update;
        delete from history_head_publications where territory_id = '${territoryId}' and seq = (select max(seq) from history_head_publications where territory_id = '${territoryId}');
        alter table history_head_publications enable trigger history_head_publications_no_update;`),
    )
    assert.equal(cli(['history:verify', territoryRef]).code, 0, 'the platform’s own data now looks consistent')
    const against = cli(['history:verify', territoryRef, '--against', kept])
    assert.equal(against.code, 1)
    assert.match(against.stderr, /no longer holds the head kept in .*empreinte\.json/)

    // a kept file that was altered, or names another territory, is refused as such
    writeFileSync(
      join(dir, 'altered.json'),
      JSON.stringify({ ...JSON.parse((await import('node:fs')).readFileSync(kept, 'utf8')), sequence: 1 }),
    )
    assert.match(
      cli(['history:verify', territoryRef, '--against', join(dir, 'altered.json')]).stderr,
      /digest does not match its content/,
    )
    assert.match(
      cli(['history:verify', 'commune/35238', '--against', kept]).stderr,
      new RegExp(`is a head of ${territoryRef}`),
    )
  })
})
