/**
 * Participation at scale: one open consultation of N contributions (BENCH_CONTRIBUTIONS, default 100,000)
 * and 10 × N supports (1,000,000) on each engine; requests per second, p50 and p99 of its pages; then a burst
 * of concurrent supports (people signed in for real, each clicking twice at once) checked for errors and
 * exact counts. Run by `npm run bench`; `npm run bench:participation` runs it alone and rewrites only its
 * section of BENCHMARKS.md.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { sql } from 'drizzle-orm'
import { seedDemo } from '../src/demo/seed.ts'
import { hashPassword } from '../src/platform/auth/passwords.ts'
import { openDatabase, queryRows, type Database } from '../src/platform/db/index.ts'
import { migrate } from '../src/platform/db/migrate.ts'
import { todayInParis } from '../src/platform/paris-time.ts'
import { loadRegistry } from '../src/modules/territories/index.ts'
import { load, READY, start, stop } from './lib.ts'

const ROOT = join(import.meta.dirname, '..')
const COUNT = Number(process.env.BENCH_CONTRIBUTIONS ?? 100_000)
const PEOPLE = Math.max(50, COUNT / 5) // 20,000 people, each supporting 50 contributions
const BURST_PEOPLE = 200
const BURST_TARGETS = 5
const PASSWORD = 'bench-password-participation'
const fmt = new Intl.NumberFormat('en-GB')

/**
 * Writes the consultation, its authors and supporters, contributions and exactly PEOPLE × 50 distinct supports:
 * the first 10 supports of each person go to the 1,000 "popular" contributions, the other 40 spread over the rest.
 */
async function generate(database: Database): Promise<{ consultationId: string; seconds: number; supports: number }> {
  const began = performance.now()
  const db = database.db
  await seedDemo(db)
  const [territory] = await queryRows<{ id: string }>(
    db,
    sql`select id from territories where kind = 'autre' and code = 'pays-demo'`,
  )
  const today = todayInParis()
  const [consultation] = await queryRows<{ id: string }>(
    db,
    sql`insert into consultations (territory_id, title, question, opens_on, closes_on, status)
        values (${territory!.id}, 'Consultation de banc d’essai', 'Quelles priorités pour le territoire ?', ${today}::date - 30, ${today}::date + 30, 'published') returning id`,
  )
  const passwordHash = await hashPassword(PASSWORD)
  await db.execute(
    sql`insert into users (email, display_name, password_hash, email_confirmed_at)
        select 'bench-' || n || '@example.org', 'Personne ' || n, ${passwordHash}, now() from generate_series(1, ${PEOPLE}) n`,
  )
  await db.execute(
    sql`create temporary table bench_people as select row_number() over (order by email) as n, id from users where email like 'bench-%'`,
  )
  await db.execute(
    sql`insert into contributions (consultation_id, territory_id, author_id, kind, title, body, created_at)
        select ${consultation!.id}, ${territory!.id}, p.id, (array['idea', 'opinion', 'critique'])[1 + g.i % 3],
          'Proposition n° ' || g.i, 'Texte de la proposition n° ' || g.i || ' : ' || repeat('des rues plus calmes, des places ombragées, ', 1 + g.i % 4),
          now() - make_interval(secs => g.i)
        from generate_series(1, ${COUNT}) as g(i) join bench_people p on p.n = 1 + g.i % ${PEOPLE}`,
  )
  await db.execute(
    sql`create temporary table bench_contributions as select row_number() over (order by created_at desc) - 1 as i, id from contributions where consultation_id = ${consultation!.id}`,
  )
  const popular = Math.min(1000, COUNT / 10)
  const spread = COUNT - popular
  await db.execute(
    sql`insert into contribution_supports (contribution_id, user_id, territory_id)
        select c.id, p.id, ${territory!.id}
        from bench_people p cross join generate_series(0, 49) k
        join bench_contributions c on c.i = case when k < 10 then (p.n + k * ${popular / 10}) % ${popular}
                                             else ${popular} + (p.n * 37 + (k - 10) * ${Math.floor(spread / 40)}) % ${spread} end`,
  )
  await db.execute(
    sql`update contributions c set support_count = s.n from (select contribution_id, count(*)::int as n from contribution_supports group by contribution_id) s
        where s.contribution_id = c.id`,
  )
  await db.execute(sql`update consultations set contribution_count = ${COUNT} where id = ${consultation!.id}`)
  // as autovacuum would have done on a server by then (PGlite has none): statistics and the visibility map
  await db.execute(sql`vacuum analyze contributions`)
  await db.execute(sql`vacuum analyze contribution_supports`)
  const [supports] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from contribution_supports`)
  return {
    consultationId: consultation!.id,
    seconds: Math.round((performance.now() - began) / 1000),
    supports: supports!.n,
  }
}

/** Connections to the server under test: enough for every click of the burst to be in flight at once. */
const agent = new http.Agent({ keepAlive: true, maxSockets: BURST_PEOPLE * BURST_TARGETS * 2 })

/** A person's browser: cookies kept between requests, the CSRF token read from the last form. */
class Browser {
  private cookies = new Map<string, string>()
  constructor(private readonly port: number) {}
  request(
    path: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<{ status: number; body: string }> {
    const body = init.form ? new URLSearchParams(init.form).toString() : undefined
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          path,
          method: init.method ?? 'GET',
          agent,
          headers: {
            cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
            ...(body
              ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) }
              : {}),
          },
        },
        (res) => {
          for (const line of res.headers['set-cookie'] ?? []) {
            const [pair] = line.split(';')
            const [name, ...value] = pair!.split('=')
            this.cookies.set(name!.trim(), value.join('='))
          }
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => (text += chunk))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
        },
      )
      req.on('error', reject)
      req.end(body)
    })
  }
  async csrf(path: string): Promise<string> {
    const page = await this.request(path)
    return /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? ''
  }
}

interface BurstPlan {
  targets: { id: string; n: number }[]
  people: string[]
}

/** Picks the burst's targets (the most supported contributions) and people who have not supported them yet. */
async function planBurst(database: Database, consultationId: string): Promise<BurstPlan> {
  const targets = await queryRows<{ id: string; n: number }>(
    database.db,
    sql`select id, support_count as n from contributions where consultation_id = ${consultationId} order by support_count desc, id limit ${BURST_TARGETS}`,
  )
  const ids = sql.join(
    targets.map((t) => sql`${t.id}`),
    sql`, `,
  )
  const people = await queryRows<{ email: string }>(
    database.db,
    sql`select email from users u where email like 'bench-%' and not exists (select 1 from contribution_supports s where s.user_id = u.id and s.contribution_id in (${ids})) order by email limit ${BURST_PEOPLE}`,
  )
  return { targets, people: people.map((p) => p.email) }
}

/** Signs the people in through the real form, then fires every click at once. */
async function fireBurst(port: number, plan: BurstPlan) {
  const browsers: { browser: Browser; token: string }[] = []
  // signing in is not what is measured: ten at a time
  for (let i = 0; i < plan.people.length; i += 10) {
    browsers.push(
      ...(await Promise.all(
        plan.people.slice(i, i + 10).map(async (email) => {
          const browser = new Browser(port)
          const token = await browser.csrf('/connexion')
          const signedIn = await browser.request('/connexion', {
            method: 'POST',
            form: { email, password: PASSWORD, next: '/compte', _csrf: token },
          })
          if (signedIn.status !== 303) throw new Error(`sign-in of ${email} failed: ${signedIn.status}`)
          return { browser, token: await browser.csrf('/compte') }
        }),
      )),
    )
  }
  const began = performance.now()
  const statuses = await Promise.all(
    browsers.flatMap(({ browser, token }) =>
      plan.targets.flatMap((t) =>
        [0, 1].map(() =>
          browser
            .request(`/contributions/${t.id}/soutien`, { method: 'POST', form: { supported: 'true', _csrf: token } })
            .then((r) => r.status),
        ),
      ),
    ),
  )
  return {
    requests: statuses.length,
    errors: statuses.filter((s) => s !== 303).length,
    seconds: (performance.now() - began) / 1000,
  }
}

/** Each count equals its rows of supports and grew by exactly one a person. */
async function countsExact(database: Database, plan: BurstPlan): Promise<boolean> {
  const after = await queryRows<{ id: string; n: number; rows: number }>(
    database.db,
    sql`select c.id, c.support_count as n, (select count(*)::int from contribution_supports s where s.contribution_id = c.id) as rows
        from contributions c where c.id in (${sql.join(
          plan.targets.map((t) => sql`${t.id}`),
          sql`, `,
        )})`,
  )
  return (
    after.length === plan.targets.length &&
    after.every((a) => a.n === a.rows && a.n === plan.targets.find((t) => t.id === a.id)!.n + plan.people.length)
  )
}

export async function benchParticipation(options: { serverUrl: string | undefined }): Promise<string> {
  if (COUNT <= 0) return '## Participation at scale\n\nNot measured in this run (BENCH_CONTRIBUTIONS=0).\n'
  const lines: string[] = []
  const bursts: string[] = []
  let generated = { seconds: 0, supports: 0 }
  const run = async (engine: string, env: Record<string, string>, prepare: () => Promise<Database>) => {
    const database = await prepare()
    await migrate(database)
    await loadRegistry(database.db)
    const { consultationId, seconds, supports } = await generate(database)
    generated = { seconds, supports }
    console.log(`${engine}: ${COUNT} contributions, ${supports} supports generated in ${seconds} s`)
    const plan = await planBurst(database, consultationId)
    await database.close()
    const server = await start(
      'src/server.ts',
      { ...env, DEMO_DATA: 'false', SIGNIN_RATE_LIMIT: '100000', JOB_POLL_SECONDS: '0' },
      READY,
    )
    const page = `/consultations/${consultationId}`
    await load(server.port, page) // warm-up
    for (const [label, path] of [
      ['consultation page, most supported first (50 contributions with their comments)', page],
      ['consultation page, most recent, page 1,000', `${page}?tri=recentes&page=1000`],
      ['consultation JSON API (500 contributions a page)', `/api/v1/consultations/${consultationId}`],
    ] as const) {
      const r = await load(server.port, path)
      console.log(`${engine} ${label}: ${r.rps} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`)
      lines.push(`| ${label} | ${engine} | ${fmt.format(r.rps)} | ${r.p50} | ${r.p99} |`)
    }
    const fired = await fireBurst(server.port, plan)
    await stop(server)
    // counted once the server has stopped (on PGlite it owns the folder while it runs)
    const reader = await prepare()
    const exact = await countsExact(reader, plan)
    await reader.close()
    console.log(`${engine} burst:`, { ...fired, exact })
    bursts.push(
      `| ${engine} | ${plan.people.length} × ${BURST_TARGETS} × 2 = ${fmt.format(fired.requests)} | ${fired.seconds.toFixed(1)} s | ${fmt.format(Math.round(fired.requests / fired.seconds))} | ${fired.errors} | ${exact ? 'yes' : '**no**'} |`,
    )
  }
  const dir = mkdtempSync(join(tmpdir(), 'thc-bench-part-'))
  await run('PGlite', { DATA_DIR: dir }, () => openDatabase({ databaseUrl: null, dataDir: dir }))
  rmSync(dir, { recursive: true, force: true })
  if (options.serverUrl) {
    const admin = new pg.Client({ connectionString: options.serverUrl })
    await admin.connect()
    await admin.query('drop database if exists thc_bench_part with (force)')
    await admin.query('create database thc_bench_part')
    await admin.end()
    const url = new URL(options.serverUrl)
    url.pathname = '/thc_bench_part'
    const pgDir = mkdtempSync(join(tmpdir(), 'thc-bench-pg-'))
    await run('PostgreSQL', { DATABASE_URL: url.toString(), DATA_DIR: pgDir }, () =>
      openDatabase({ databaseUrl: url.toString() }),
    )
    rmSync(pgDir, { recursive: true, force: true })
  }
  return `<!-- participation:start -->
## Participation at scale

Dataset (bench/participation.ts, the same every run): one open consultation of ${fmt.format(COUNT)} contributions by
${fmt.format(PEOPLE)} people, and ${fmt.format(generated.supports)} supports (50 a person: 10 among the 1,000 most popular
contributions, 40 spread over the others); generated in ${generated.seconds} s on the last engine.

| request | database | req/s | p50 (ms) | p99 (ms) |
|---|---|---|---|---|
${lines.join('\n')}

Burst of supports: ${BURST_PEOPLE} people signed in through the real form each click "support" twice at once on each
of the ${BURST_TARGETS} most supported contributions, every request in flight together. "Exact" means each count shown
equals its rows of supports and grew by exactly one per person.

| database | requests | time | requests/s | errors | exact counts |
|---|---|---|---|---|---|
${bursts.join('\n')}
${options.serverUrl ? '' : '\nPostgreSQL not measured in this run: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a server.\n'}
Reading: the page takes the ids of its 50 contributions from the index on (consultation, supports) or
(consultation, date), then reads those rows, their comments and the person's supports; the total is kept on the
consultation. A deep page (offset 49,950 in the "most recent" order) walks that many index entries: that is its cost. A support is one insert that the primary key refuses the
second time, and one counter update in the same transaction, so a duplicate click costs a refused insert.
<!-- participation:end -->
`
}

// `npm run bench:participation`: this section alone, written into the existing BENCHMARKS.md
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const section = await benchParticipation({
    serverUrl: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL,
  })
  const path = join(ROOT, 'BENCHMARKS.md')
  const current = readFileSync(path, 'utf8')
  const marked = /<!-- participation:start -->[\s\S]*<!-- participation:end -->\n?/
  const date = `\n_Participation section last measured on ${new Date().toISOString().slice(0, 10)} by \`npm run bench:participation\`._\n`
  writeFileSync(
    path,
    marked.test(current)
      ? current.replace(marked, section.replace('<!-- participation:end -->', `${date}<!-- participation:end -->`))
      : `${current}\n${section}`,
  )
  console.log('BENCHMARKS.md: participation section written')
  process.exit(0)
}
