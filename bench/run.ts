/**
 * `npm run bench`: start-up time of the embedded platform (first start with migrations, registry and
 * demo data; then a warm restart), and requests per second with p99 latency of the home page and a
 * territory page on PGlite and on PostgreSQL (when BENCH_DATABASE_URL or TEST_DATABASE_URL is set),
 * beside a bare Fastify "hello" route measured in the same run. Writes BENCHMARKS.md.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { sql } from 'drizzle-orm'
import { openDatabase, queryRows, type Database } from '../src/platform/db/index.ts'
import { migrate } from '../src/platform/db/migrate.ts'
import { loadRegistry } from '../src/modules/territories/index.ts'
import { generateNationalDataset, type NationalCounts } from './national.ts'
import { CONNECTIONS, DURATION, load, peakMiB, READY, rssMiB, start, stop } from './lib.ts'
import { benchParticipation } from './participation.ts'
import { benchReferentiel } from './referentiel.ts'
import { benchSortition } from './sortition.ts'
import { benchImports } from './imports.ts'
import { benchPages } from './pages.ts'

const ROOT = join(import.meta.dirname, '..')

const rows: string[] = []
const fmt = new Intl.NumberFormat('en-GB')

// 1. start-up
const dataDir = mkdtempSync(join(tmpdir(), 'thc-bench-'))
const cold = await start('src/server.ts', { DATA_DIR: dataDir, DEMO_DATA: 'true' }, READY)
const coldRss = rssMiB(cold.child.pid!)
await stop(cold)
const warm = await start('src/server.ts', { DATA_DIR: dataDir, DEMO_DATA: 'true' }, READY)
const warmRss = rssMiB(warm.child.pid!)
console.log(`cold start ${Math.round(cold.ms)} ms, warm start ${Math.round(warm.ms)} ms`)

// 2. throughput, each server alone on the machine while it is measured
const hello = await start('bench/hello-server.ts', {}, /listening \d+/)
const helloResult = await load(hello.port, '/')
await stop(hello)
console.log(`hello: ${helloResult.rps} req/s`)

const measure = async (engine: string, port: number) => {
  await load(port, '/') // warm-up: caches, JIT
  for (const [label, path] of [
    ['home page', '/'],
    ['territory page', '/territoires/commune/35238'],
    ['search page ("saint")', '/territoires?q=saint'],
    ['search API (typo "bordaux")', '/api/v1/territories?q=bordaux'],
  ] as const) {
    const r = await load(port, path)
    console.log(`${engine} ${label}: ${r.rps} req/s, p99 ${r.p99} ms`)
    rows.push(`| ${label} | ${engine} | ${fmt.format(r.rps)} | ${r.p99} | ${(r.rps / helloResult.rps).toFixed(3)} |`)
  }
}
await measure('PGlite', warm.port)
await stop(warm)
rmSync(dataDir, { recursive: true, force: true })

const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL
let postgresNote = ''
if (serverUrl) {
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query('drop database if exists thc_bench with (force)')
  await admin.query('create database thc_bench')
  await admin.end()
  const url = new URL(serverUrl)
  url.pathname = '/thc_bench'
  const pgDataDir = mkdtempSync(join(tmpdir(), 'thc-bench-pg-'))
  const server = await start(
    'src/server.ts',
    { DATABASE_URL: url.toString(), DATA_DIR: pgDataDir, DEMO_DATA: 'true' },
    READY,
  )
  await measure('PostgreSQL', server.port)
  await stop(server)
  rmSync(pgDataDir, { recursive: true, force: true })
} else {
  postgresNote = '\nPostgreSQL not measured in this run: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a server.\n'
  console.log(postgresNote.trim())
}

// 3. national scale: 1,000 territories in the programme, their plans, milestones and 20 updates per commitment
const NATIONAL = Number(process.env.BENCH_TERRITORIES ?? 1000)
const nationalRows: string[] = []
const exportRows: string[] = []
let nationalCounts = null as NationalCounts | null

async function nationalRun(engine: string, env: Record<string, string>, prepare: () => Promise<Database>) {
  const database = await prepare()
  await migrate(database)
  await loadRegistry(database.db)
  nationalCounts = await generateNationalDataset(database, { territories: NATIONAL })
  console.log(`${engine}: national dataset`, nationalCounts)
  const [plan] = await queryRows<{ id: string }>(
    database.db,
    sql`select p.id from action_plans p join territories t on t.id = p.territory_id order by t.population desc nulls last limit 1`,
  )
  await database.close()
  const env2 = { ...env, DEMO_DATA: 'false' }
  let server = await start('src/server.ts', env2, READY)
  await load(server.port, `/plans/${plan!.id}`) // warm-up
  for (const [label, path] of [
    ['territory dashboard (largest plan)', `/plans/${plan!.id}`],
    [`network overview page (${NATIONAL} territories, 100 a page)`, '/reseau'],
    ['network overview JSON', '/api/v1/network'],
  ] as const) {
    const r = await load(server.port, path)
    console.log(`${engine} ${label}: ${r.rps} req/s, p99 ${r.p99} ms`)
    nationalRows.push(
      `| ${label} | ${engine} | ${fmt.format(r.rps)} | ${r.p99} | ${(r.rps / helloResult.rps).toFixed(4)} |`,
    )
  }
  await stop(server)
  // the export on a fresh process, so that its peak memory is the export's own
  server = await start('src/server.ts', env2, READY)
  const before = peakMiB(server.child.pid!)
  const began = performance.now()
  const response = await fetch(`http://127.0.0.1:${server.port}/api/v1/history.csv`)
  let bytes = 0
  let lines = 0
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length
    for (const byte of chunk) if (byte === 10) lines += 1
  }
  const seconds = (performance.now() - began) / 1000
  const after = peakMiB(server.child.pid!)
  await stop(server)
  const rows = lines - 1
  console.log(
    `${engine} history.csv: ${rows} rows, ${Math.round(bytes / 2 ** 20)} MiB in ${seconds.toFixed(1)} s, peak RSS ${before} → ${after} MiB`,
  )
  exportRows.push(
    `| ${engine} | ${fmt.format(rows)} | ${fmt.format(Math.round(bytes / 2 ** 20))} MiB | ${seconds.toFixed(1)} s | ${fmt.format(Math.round(rows / seconds))} | ${before} → ${after} MiB |`,
  )
}

if (NATIONAL > 0) {
  const nationalDir = mkdtempSync(join(tmpdir(), 'thc-bench-national-'))
  await nationalRun('PGlite', { DATA_DIR: nationalDir }, () =>
    openDatabase({ databaseUrl: null, dataDir: nationalDir }),
  )
  rmSync(nationalDir, { recursive: true, force: true })
  if (serverUrl) {
    const admin = new pg.Client({ connectionString: serverUrl })
    await admin.connect()
    await admin.query('drop database if exists thc_bench_national with (force)')
    await admin.query('create database thc_bench_national')
    await admin.end()
    const url = new URL(serverUrl)
    url.pathname = '/thc_bench_national'
    const pgDir = mkdtempSync(join(tmpdir(), 'thc-bench-pg-'))
    await nationalRun('PostgreSQL', { DATABASE_URL: url.toString(), DATA_DIR: pgDir }, () =>
      openDatabase({ databaseUrl: url.toString() }),
    )
    rmSync(pgDir, { recursive: true, force: true })
  }
}

const referentielSection = await benchReferentiel({ serverUrl })
const participationSection = await benchParticipation({ serverUrl })
const sortitionSection = await benchSortition()
const importsSection = await benchImports()
const pagesSection = await benchPages({ serverUrl })

const cpu = cpus()[0]?.model ?? 'unknown CPU'
const report = `# Benchmarks

Written by \`npm run bench\` (bench/run.ts). Figures of one run on one machine: compare runs on the same
machine only. Not part of the test suite.

- Date: ${new Date().toISOString().slice(0, 10)}
- Machine: ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB memory, ${process.platform}
- Node.js ${process.versions.node}; load by autocannon in the same machine, ${CONNECTIONS} connections, ${DURATION} s a measure

## Start-up of the embedded platform (PGlite)

| start | time to ready | resident memory after start |
|---|---|---|
| first start: creates the database, applies migrations, loads the registry (${fmt.format(36_000)}+ territories) and demo data | ${fmt.format(Math.round(cold.ms))} ms | ${coldRss} MiB |
| warm restart on the same folder | ${fmt.format(Math.round(warm.ms))} ms | ${warmRss} MiB |

## Throughput

Bare Fastify "hello" route in the same run: **${fmt.format(helloResult.rps)} req/s** (p99 ${helloResult.p99} ms).
The ratio column is the page's requests per second over the hello route's.

| page | database | req/s | p99 latency (ms) | ratio to hello |
|---|---|---|---|---|
${rows.join('\n')}
${postgresNote}
## National scale (action plans)

${
  nationalCounts
    ? `Dataset (bench/national.ts, the same every run): the full registry; ${fmt.format(nationalCounts.territories)} territories in the programme (the most populated communes), ${fmt.format(nationalCounts.commitments)} commitments, ${fmt.format(nationalCounts.milestones)} milestones, ${fmt.format(nationalCounts.updates)} hash-chained progress updates (20 per commitment); generated in ${nationalCounts.seconds} s on the last engine.

| page | database | req/s | p99 latency (ms) | ratio to hello |
|---|---|---|---|---|
${nationalRows.join('\n')}

CSV export of every update (\`/api/v1/history.csv\`, streamed by pages of 1,000 rows), on a freshly started server:

| database | rows | size | time | rows/s | server peak RSS (start → after export) |
|---|---|---|---|---|---|
${exportRows.join('\n')}
`
    : 'Not measured in this run (BENCH_TERRITORIES=0).'
}

Reading: PGlite runs PostgreSQL inside the Node.js process, so every query blocks the event loop and a
single process serves one query at a time; PostgreSQL queries run in the server's own processes. The home
page runs no query once the registry count is cached (a minute), so its figure is the cost of the
kernel (session, locale, security headers, logging) and of rendering; the territory page runs five to
six queries (territory, parents and their régions, members, presentation, elected officials); a search
two or three (matches ranked, the page's summaries, and near-misses when the text as typed finds less
than a page). At national scale the network overview aggregates every public plan: it is computed
once and shared for a minute, so its p99 includes that first computation (seconds on PGlite); the
dashboard verifies the territory's history chain when it has grown, else reuses the last verification.
Anonymous pages are kept in memory between writes (the measures above read the same page again and again,
so after the first request they measure the kernel); \`cache-control: public, max-age=60\` also lets a
reverse proxy keep them. The section "Public pages under a spike" measures signed-in readers too.

${referentielSection}
${participationSection}
${sortitionSection}
${importsSection}
${pagesSection}`
writeFileSync(join(ROOT, 'BENCHMARKS.md'), report)
console.log('BENCHMARKS.md written')
process.exit(0)
