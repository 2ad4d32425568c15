import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { buildApp } from '../app.ts'
import { createLogger } from '../bootstrap.ts'
import { seedDemo } from '../demo/seed.ts'
import { postUpdate } from '../modules/plans/index.ts'
import { loadCurrentUser } from './auth/current-user.ts'
import { loadConfig } from './config.ts'
import { openDatabase, queryRows } from './db/index.ts'
import { folderFileStore } from './storage.ts'
import { createTestDatabase } from '../../test/helpers/database.ts'
import { publicExportUrls } from '../../test/helpers/exports.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `thc-${name}-`))
const cli = (args: string[], env: Record<string, string>) => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    timeout: 120_000,
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** A data folder with the demo and an evidence file cited by a public progress update (its session secret generated). */
async function installation(): Promise<string> {
  const dir = tmp('backup-src')
  loadConfig({ DATA_DIR: dir }) // generates the session secret, as a first start does
  const database = await createTestDatabase('pglite', { dataDir: dir })
  try {
    await seedDemo(database.db)
    const sha256 = await folderFileStore(join(dir, 'files')).put(Buffer.from('%PDF-1.4 compte rendu de démonstration'))
    const [agent] = await queryRows<{ id: string; sv: number }>(
      database.db,
      sql`select id, session_version as sv from users where email = 'agent@demo.thc.example'`,
    )
    const [commitment] = await queryRows<{ id: string }>(
      database.db,
      sql`select c.id from commitments c join action_plans p on p.id = c.plan_id where p.status = 'published' order by c.position limit 1`,
    )
    await postUpdate(database.db, {
      actor: (await loadCurrentUser(database.db, agent!.id, agent!.sv))!,
      commitmentId: commitment!.id,
      input: {
        milestoneId: null,
        status: null,
        progress: null,
        narrative: 'Compte rendu joint.',
        evidence: [],
        nextSteps: '',
        correctsId: null,
      },
      files: [{ sha256, filename: 'compte-rendu.pdf', contentType: 'application/pdf', sizeBytes: 38 }],
    })
  } finally {
    await database.close()
  }
  return dir
}

/** Every public export of the installation in `dir`, fetched anonymously: URL → status and body. */
async function exportsOf(dir: string): Promise<Map<string, string>> {
  const config = loadConfig({
    DATA_DIR: dir,
    DEMO_DATA: 'false',
    JOB_POLL_SECONDS: '0',
    LOG_LEVEL: 'silent',
    BASE_URL: 'http://localhost:3000',
  })
  const database = await openDatabase({ databaseUrl: null, dataDir: dir })
  const app = await buildApp({ config, database, logger: createLogger(config) })
  try {
    const bodies = new Map<string, string>()
    for (const url of await publicExportUrls(app, database.db)) {
      const response = await app.inject({ url })
      // a calendar's DTSTAMP is the time it was generated (RFC 5545), not data
      bodies.set(url, `${response.statusCode} ${response.body.replace(/^DTSTAMP:\d{8}T\d{6}Z\r$/gm, 'DTSTAMP:…')}`)
    }
    return bodies
  } finally {
    await app.close()
  }
}

describe('backup and restore of the embedded database', () => {
  test('backup → restore into a new folder: every public export is identical, evidence files and the session secret included', async (t) => {
    const source = await installation()
    const target = join(tmp('backup-dst'), 'data')
    const file = join(tmp('backup-file'), 'thc.tar')
    t.after(() =>
      [source, target].forEach((d) => {
        rmSync(d, { recursive: true, force: true })
      }),
    )
    const backup = cli(['backup', file], { DATA_DIR: source })
    assert.equal(backup.code, 0, backup.stderr)
    assert.match(backup.stdout, /Backup written to .*thc\.tar .*1 uploaded file, the session secret/)
    assert.equal(statSync(file).mode & 0o777, 0o600, 'the backup is readable by its owner only')
    const again = cli(['backup', file], { DATA_DIR: source })
    assert.equal(again.code, 1)
    assert.match(again.stderr, /already exists/)

    const restore = cli(['restore', file], { DATA_DIR: target })
    assert.equal(restore.code, 0, restore.stderr)
    assert.equal(
      readFileSync(join(target, 'session-secret'), 'utf8'),
      readFileSync(join(source, 'session-secret'), 'utf8'),
    )
    const [before, after] = [await exportsOf(source), await exportsOf(target)]
    assert.ok(before.size > 40, `many exports compared (${before.size})`)
    assert.ok(
      [...before.keys()].some((url) => url.startsWith('/fichiers/') && before.get(url)!.startsWith('200 %PDF')),
      'the evidence file is among them',
    )
    for (const [url, body] of before) assert.equal(after.get(url), body, url)
  })

  test('a backup taken while the server runs, through its control socket, restores whole', async (t) => {
    const source = await installation()
    const target = tmp('backup-live')
    const file = join(tmp('backup-file'), 'live.tar')
    t.after(() =>
      [source, target].forEach((d) => {
        rmSync(d, { recursive: true, force: true })
      }),
    )
    const server = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'server.ts')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DATA_DIR: source,
        PORT: '0',
        DEMO_DATA: 'false',
        JOB_POLL_SECONDS: '0',
      },
    })
    try {
      await new Promise<void>((resolve, reject) => {
        let output = ''
        server.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString()
          if (/platform ready/.test(output)) resolve()
        })
        server.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)))
      })
      const backup = cli(['backup', file], { DATA_DIR: source })
      assert.equal(backup.code, 0, backup.stderr)
      assert.equal(statSync(join(source, 'control.sock')).mode & 0o777, 0o600, 'only the owner may ask the server')
    } finally {
      server.kill('SIGTERM')
      await new Promise((resolve) => server.once('exit', resolve))
    }
    assert.equal(cli(['restore', file], { DATA_DIR: target }).code, 0)
    const [before, after] = [await exportsOf(source), await exportsOf(target)]
    for (const [url, body] of before) assert.equal(after.get(url), body, url)
  })

  test('restore refuses a folder in use, a damaged or truncated file, and writes nothing then', async (t) => {
    const source = await installation()
    const file = join(tmp('backup-file'), 'thc.tar')
    t.after(() => rmSync(source, { recursive: true, force: true }))
    assert.equal(cli(['backup', file], { DATA_DIR: source }).code, 0)

    const occupied = cli(['restore', file], { DATA_DIR: source })
    assert.equal(occupied.code, 1)
    assert.match(occupied.stderr, /is not empty .*restore into a new folder/)

    const bytes = readFileSync(file)
    const damaged = Buffer.from(bytes)
    let header = bytes.indexOf(Buffer.from('pglite.tar.gz'))
    while (header % 512 !== 0) header = bytes.indexOf(Buffer.from('pglite.tar.gz'), header + 1) // its tar header, not the manifest's mention
    const at = header + 512 + 1000 // inside the database part
    damaged[at] = damaged[at]! ^ 0xff
    writeFileSync(`${file}.damaged`, damaged)
    writeFileSync(`${file}.truncated`, bytes.subarray(0, Math.floor(bytes.length / 2)))
    writeFileSync(`${file}.other`, 'name,email\nnot,a backup\n')
    for (const [suffix, message] of [
      ['.damaged', /damaged: pglite\.tar\.gz does not match its checksum/],
      ['.truncated', /not a readable backup|incomplete/],
      ['.other', /not a readable backup|not a platform backup/],
    ] as const) {
      const target = tmp('backup-bad')
      const result = cli(['restore', `${file}${suffix}`], { DATA_DIR: target })
      assert.equal(result.code, 1, `${suffix}: ${result.stderr}`)
      assert.match(result.stderr, message)
      assert.deepEqual(
        readdirSync(target).filter((name) => name !== 'session-secret'),
        [],
        `${suffix}: nothing written`,
      )
      rmSync(target, { recursive: true, force: true })
    }
    assert.equal(existsSync(`${file}.partial`), false)
  })

  test('with DATABASE_URL, backup and restore say how to use pg_dump and pg_restore', () => {
    const env = {
      DATA_DIR: tmp('backup-pg'),
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      SESSION_SECRET: 'x'.repeat(40),
    }
    for (const command of ['backup', 'restore']) {
      const result = cli([command, 'x.tar'], env)
      assert.equal(result.code, 1)
      assert.match(result.stderr, /pg_dump -Fc .*pg_restore/)
    }
  })
})
