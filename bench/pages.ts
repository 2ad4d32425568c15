/**
 * `npm run bench:pages`: the public pages a spike of visitors reads (issue 17's targets), anonymous and signed in,
 * on the demo data, on PGlite and on PostgreSQL (when BENCH_DATABASE_URL or TEST_DATABASE_URL is set), beside a
 * bare Fastify "hello" route measured in the same run. Each line says whether its target is met. Writes its
 * section of BENCHMARKS.md.
 */
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import pg from 'pg'
import { CONNECTIONS, DURATION, load, READY, start, stop } from './lib.ts'

const ROOT = join(import.meta.dirname, '..')
const fmt = new Intl.NumberFormat('en-GB')

/** Issue 17's targets: a share of the hello route's requests per second, and a p99 latency. */
const TARGETS = {
  anonymous: { ratio: 0.3, p99: 20 },
  signedIn: { ratio: 0.05, p99: 50 },
  search: { p99: 20 },
  spike: { connections: 1000, healthzMs: 100 },
}

/** Misspelt names of towns, villages and groupings, as people type them: the search of each runs for real. */
const VARIED_TYPOS = [
  'mulhuse',
  'bordaux',
  'montpelier',
  'strasbour',
  'grenobel',
  'marseile',
  'toulouze',
  'lile',
  'nante',
  'reims',
  'besancon',
  'clermont ferant',
  'perpignant',
  'st etiene',
  'aix en provance',
  'villeurbane',
  'boulogne bilancour',
  'quimpre',
  'carcasone',
  'chateauroux',
  'la rochele',
  'saint malo',
  'metropole de lyon',
  'angoulem',
  'brive la gaillard',
  'plougastel daoulass',
  'sainte genevieve des boi',
  'vitry sur seinne',
  'pays basque',
  'ajacio',
]

const SPIKE_SECONDS = Number(process.env.BENCH_SPIKE_SECONDS ?? 30)

interface Spike {
  engine: string
  rps: number
  p99: number
  errors: number
  timeouts: number
  non2xx: number
  healthzWorstMs: number
  probes: number
  met: boolean
}

/**
 * Target 5: 1,000 connections on one dashboard at once, while /healthz is asked every 100 ms by a process of its
 * own; the worst /healthz answer time is the figure.
 */
async function spike(engine: string, port: number, path: string): Promise<Spike> {
  const probe = fork(join(import.meta.dirname, 'healthz-probe.ts'), [String(port)], { execArgv: ['--import', 'tsx'] })
  await once(probe, 'message') // ready: its first request is answered
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    connections: TARGETS.spike.connections,
    duration: SPIKE_SECONDS,
    timeout: 10,
  })
  probe.send('stop')
  const [{ worst, probes }] = (await once(probe, 'message')) as [{ worst: number; probes: number }]
  const measure = {
    engine,
    rps: Math.round(result.requests.average),
    p99: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    healthzWorstMs: Math.round(worst),
    probes,
  }
  console.log(`${engine} spike on ${path}:`, measure)
  return {
    ...measure,
    met: measure.errors === 0 && measure.timeouts === 0 && measure.non2xx === 0 && worst <= TARGETS.spike.healthzMs,
  }
}

interface Measure {
  label: string
  engine: string
  who: 'anonymous' | 'signed in'
  rps: number
  p99: number
  ratio: number
  met: boolean
}

async function firstLink(base: string, page: string, pattern: RegExp): Promise<string> {
  const html = await (await fetch(`${base}${page}`)).text()
  const found = pattern.exec(html)?.[1]
  if (!found) throw new Error(`no link matching ${pattern} on ${page}`)
  return found
}

/** The demo's pages, found by following its own links (ids differ from one database to the next). */
async function demoPages(base: string): Promise<[string, string][]> {
  const territory = '/territoires/autre/pays-demo'
  const dashboard = (await fetch(`${base}${territory}/tableau-de-bord`, { redirect: 'manual' })).headers.get('location')
  if (!dashboard) throw new Error('the demo territory has no dashboard')
  const commitment = await firstLink(base, dashboard, /href="(\/engagements\/[0-9a-f-]{36})"/)
  const fiche = await firstLink(base, '/referentiel?q=atelier', /href="(\/referentiel\/fiches\/[a-z0-9-]+)"/)
  const consultation = await firstLink(base, '/participer', /href="(\/consultations\/[0-9a-f-]{36})"/)
  const assembly = await firstLink(base, '/assemblees', /href="(\/assemblees\/[0-9a-f-]{36})"/)
  return [
    ['home page', '/'],
    ['territory page', territory],
    ['dashboard (current plan)', dashboard],
    ['commitment page', commitment],
    ['network overview', '/reseau'],
    ['référentiel search ("atelier")', '/referentiel?q=atelier'],
    ['référentiel fiche', fiche],
    ['consultation page', consultation],
    ['assembly transparency', `${assembly}/transparence`],
  ]
}

/** A session cookie of the demo's citizen, signed in through the real form. */
async function signIn(base: string): Promise<string> {
  const form = await fetch(`${base}/connexion`)
  const cookie = (form.headers.getSetCookie()[0] ?? '').split(';')[0]!
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? ''
  const answer = await fetch(`${base}/connexion`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      _csrf: token,
      email: 'habitante@demo.thc.example',
      password: 'demo-habitante-thc',
      next: '/',
    }).toString(),
  })
  const session = answer.headers
    .getSetCookie()
    .map((set) => set.split(';')[0]!)
    .find((pair) => pair.startsWith('thc_session='))
  if (answer.status !== 303 || !session) throw new Error(`sign-in failed with ${answer.status}`)
  const home = await (await fetch(`${base}/`, { headers: { cookie: session } })).text()
  if (!home.includes('/deconnexion')) throw new Error('the session cookie does not sign the citizen in')
  return session
}

async function measureServer(
  engine: string,
  port: number,
  hello: number,
): Promise<{ measures: Measure[]; spike: Spike }> {
  const base = `http://127.0.0.1:${port}`
  const pages = await demoPages(base)
  const cookie = await signIn(base)
  const measures: Measure[] = []
  for (const [label, path] of pages) {
    await load(port, path, { seconds: 2 }) // warm-up: JIT, the caches of the application
    const anonymous = await load(port, path)
    const ratio = anonymous.rps / hello
    measures.push({
      label,
      engine,
      who: 'anonymous',
      ...anonymous,
      ratio,
      met: ratio >= TARGETS.anonymous.ratio && anonymous.p99 <= TARGETS.anonymous.p99,
    })
    const signed = await load(port, path, { headers: { cookie } })
    const signedRatio = signed.rps / hello
    measures.push({
      label,
      engine,
      who: 'signed in',
      ...signed,
      ratio: signedRatio,
      met: signedRatio >= TARGETS.signedIn.ratio && signed.p99 <= TARGETS.signedIn.p99,
    })
    console.log(
      `${engine} ${label}: anonymous ${anonymous.rps} req/s p99 ${anonymous.p99} ms; signed in ${signed.rps} req/s p99 ${signed.p99} ms`,
    )
  }
  // anonymous: the same search again is served from memory; signed in: the search itself runs each time
  const searches: [string, string[]][] = [
    ['typo "mulhuse"', ['mulhuse']],
    ['typo "bordaux"', ['bordaux']],
    [`${VARIED_TYPOS.length} different typos in turn`, VARIED_TYPOS],
  ]
  for (const [what, typos] of searches) {
    for (const who of ['anonymous', 'signed in'] as const) {
      const [first, ...then] = typos.map((typo) => `/api/v1/territories?q=${encodeURIComponent(typo)}`)
      const r = await load(port, first!, { ...(who === 'signed in' ? { headers: { cookie } } : {}), then })
      measures.push({
        label: `territory search API (${what})`,
        engine,
        who,
        ...r,
        ratio: r.rps / hello,
        met: r.p99 <= TARGETS.search.p99,
      })
      console.log(`${engine} search (${what}) ${who}: ${r.rps} req/s p99 ${r.p99} ms`)
    }
  }
  const dashboard = pages.find(([label]) => label.startsWith('dashboard'))![1]
  return { measures, spike: await spike(engine, port, dashboard) }
}

export async function benchPages(options: { serverUrl?: string }): Promise<string> {
  const helloServer = await start('bench/hello-server.ts', {}, /listening \d+/)
  const hello = await load(helloServer.port, '/')
  await stop(helloServer)
  console.log(`hello: ${hello.rps} req/s`)

  const measures: Measure[] = []
  const spikes: Spike[] = []
  const dataDir = mkdtempSync(join(tmpdir(), 'thc-bench-pages-'))
  const embedded = await start('src/server.ts', { DATA_DIR: dataDir, DEMO_DATA: 'true' }, READY)
  const onPglite = await measureServer('PGlite', embedded.port, hello.rps)
  measures.push(...onPglite.measures)
  spikes.push(onPglite.spike)
  await stop(embedded)
  rmSync(dataDir, { recursive: true, force: true })

  if (options.serverUrl) {
    const admin = new pg.Client({ connectionString: options.serverUrl })
    await admin.connect()
    await admin.query('drop database if exists thc_bench_pages with (force)')
    await admin.query('create database thc_bench_pages')
    await admin.end()
    const url = new URL(options.serverUrl)
    url.pathname = '/thc_bench_pages'
    const pgDir = mkdtempSync(join(tmpdir(), 'thc-bench-pages-pg-'))
    const server = await start(
      'src/server.ts',
      { DATABASE_URL: url.toString(), DATA_DIR: pgDir, DEMO_DATA: 'true' },
      READY,
    )
    const onPostgres = await measureServer('PostgreSQL', server.port, hello.rps)
    measures.push(...onPostgres.measures)
    spikes.push(onPostgres.spike)
    await stop(server)
    rmSync(pgDir, { recursive: true, force: true })
  }

  const met = measures.filter((m) => m.met).length + spikes.filter((m) => m.met).length
  const spikeLines = spikes.map(
    (m) =>
      `| ${m.engine} | ${fmt.format(m.rps)} | ${fmt.format(m.p99)} | ${m.errors} | ${m.timeouts} | ${m.non2xx} | ${m.healthzWorstMs} (${m.probes} probes) | ${m.met ? 'met' : 'not met'} |`,
  )
  const lines = measures.map(
    (m) =>
      `| ${m.label} | ${m.engine} | ${m.who} | ${fmt.format(m.rps)} | ${m.p99} | ${m.ratio.toFixed(3)} | ${m.met ? 'met' : 'not met'} |`,
  )
  return `<!-- pages:start -->
## Public pages under a spike (issue 17's targets)

Demo data; bare Fastify "hello" route in the same run: **${fmt.format(hello.rps)} req/s**. ${CONNECTIONS} connections,
${DURATION} s a measure. Targets: anonymous ≥ ${TARGETS.anonymous.ratio * 100} % of hello and p99 ≤ ${TARGETS.anonymous.p99} ms;
signed in ≥ ${TARGETS.signedIn.ratio * 100} % and p99 ≤ ${TARGETS.signedIn.p99} ms; territory search with a typo p99 ≤ ${TARGETS.search.p99} ms.
**${met} of ${measures.length + spikes.length} met.**

| page | database | reader | req/s | p99 (ms) | ratio to hello | target |
|---|---|---|---|---|---|---|
${lines.join('\n')}

A spike: ${TARGETS.spike.connections} connections on the dashboard for ${SPIKE_SECONDS} s, anonymous, while \`/healthz\` is asked
every 100 ms. Target: 0 errors, 0 timeouts (10 s), \`/healthz\` within ${TARGETS.spike.healthzMs} ms throughout.

| database | req/s | p99 (ms) | errors | timeouts | non-2xx | worst /healthz (ms) | target |
|---|---|---|---|---|---|---|---|
${spikeLines.join('\n')}
${options.serverUrl ? '' : '\nPostgreSQL not measured in this run: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a server.\n'}
Reading: an anonymous page is rendered once and then served from memory until the next committed write
(src/platform/http/page-cache.ts), so its figure is the kernel's cost (routing, security headers, request
log) and not the page's. A signed-in person's page is rendered for each request: the session and account are
read each time, their roles and the page's shared data (dashboard, commitment, territory, fiche, assembly
transparency) come from the reads kept between writes (src/platform/db/read-cache.ts), what is theirs (follow
box, forms with their CSRF token) is read each time; the other pages run their queries. On two cores the load
generator takes one of them. A signed-in search runs the search each time.

_Section last measured on ${new Date().toISOString().slice(0, 10)} by \`npm run bench:pages\`._
<!-- pages:end -->
`
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const section = await benchPages({ serverUrl: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL })
  const path = join(ROOT, 'BENCHMARKS.md')
  const current = readFileSync(path, 'utf8')
  const marked = /<!-- pages:start -->[\s\S]*<!-- pages:end -->\n?/
  writeFileSync(path, marked.test(current) ? current.replace(marked, section) : `${current}\n${section}`)
  console.log('BENCHMARKS.md: pages section written')
  process.exit(0)
}
