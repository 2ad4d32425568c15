/**
 * The référentiel at scale: N generated fiches (BENCH_FICHES, default 100,000) on each engine, then
 * requests per second, p50 and p99 of typical searches (words, facets, both) and of a fiche page.
 * Run by `npm run bench`; `npm run bench:referentiel` runs it alone and rewrites only its section of
 * BENCHMARKS.md.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { sql } from 'drizzle-orm'
import { openDatabase, queryRows, type Database } from '../src/platform/db/index.ts'
import { migrate } from '../src/platform/db/migrate.ts'
import { loadRegistry } from '../src/modules/territories/index.ts'
import { fiches } from '../src/modules/referentiel/tables.ts'
import { vocabularyKeys } from '../src/modules/referentiel/vocabularies.ts'
import { load, READY, start, stop } from './lib.ts'

const ROOT = join(import.meta.dirname, '..')
const COUNT = Number(process.env.BENCH_FICHES ?? 100_000)
const fmt = new Intl.NumberFormat('en-GB')

function random(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

const WORDS = (
  'budget participatif concertation citoyens habitants jeunes école quartier conseil atelier débat consultation plateforme numérique ' +
  'jury tirage sort délibération assemblée élus agents transition écologique mobilité logement santé culture sport eau énergie ' +
  'alimentation solidarité transparence évaluation co-construction propositions projet commune département région association ' +
  'réunion publique questionnaire carte enquête marche exploratoire forum ouvert conférence citoyenne charte règlement priorités ' +
  'retours décision suivi engagement plan action territoire accessibilité inclusion égalité participation habitants volontaires'
).split(' ')

/** Writes `count` published fiches (and their first version) in bulk, the same every run. */
export async function generateFiches(database: Database, count: number): Promise<number> {
  const started = performance.now()
  const db = database.db
  const rand = random(7)
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!
  const some = <T>(list: readonly T[], max: number) => [
    ...new Set(Array.from({ length: 1 + Math.floor(rand() * max) }, () => pick(list))),
  ]
  // French-looking filler words (a few thousand), with the field's words mixed in at a given rate: a real
  // référentiel has a wide vocabulary, and its subject words appear in some fiches, not in all
  const syllables = [
    'ta',
    'ri',
    'mon',
    'lé',
    'pa',
    'sou',
    'vel',
    'gra',
    'che',
    'nor',
    'bi',
    'fla',
    'ques',
    'dé',
    'pré',
    'con',
    'tion',
    'ment',
    'ais',
    'eur',
  ]
  const filler = Array.from(
    { length: 4000 },
    (_, i) => syllables[i % 20]! + syllables[Math.floor(i / 20) % 20]! + syllables[Math.floor(i / 400) % 20]!,
  )
  const text = (n: number, rate: number) =>
    Array.from({ length: n }, () => (rand() < rate ? pick(WORDS) : pick(filler))).join(' ')
  const places = await queryRows<{ id: string; d: string[] | null; r: string[] | null }>(
    db,
    sql`with recursive c as (select id from territories where kind = 'commune' order by population desc nulls last limit 2000),
        up(start, id) as (select id, id from c union select up.start, p.parent_id from territory_parents p join up on p.territory_id = up.id)
        select up.start as id, array_agg(distinct t.code) filter (where t.kind = 'departement') as d, array_agg(distinct t.code) filter (where t.kind = 'region') as r
        from up join territories t on t.id = up.id group by up.start`,
  )
  const themes = vocabularyKeys('themes')
  const methodTypes = vocabularyKeys('methodTypes')
  const iap2 = vocabularyKeys('iap2')
  const results = vocabularyKeys('result')
  const institutions = Array.from({ length: 300 }, (_, i) => `Institution ${i + 1}`)
  const when = new Date(Date.UTC(2026, 0, 1))
  for (let offset = 0; offset < count; offset += 500) {
    const batch = Array.from({ length: Math.min(500, count - offset) }, (_, k) => {
      const i = offset + k
      const r = rand()
      const kind = r < 0.4 ? 'method' : r < 0.85 ? 'experience' : 'actor'
      const place = kind === 'method' ? null : pick(places)
      const title = `${text(4, 0.5)} ${i}`
      const summary = text(25, 0.15)
      const body = text(150, 0.04)
      const content = {
        title,
        summary,
        body,
        themes: some(themes, 3),
        methodTypes: kind === 'actor' ? [] : some(methodTypes, 2),
        iap2: kind === 'actor' ? null : pick(iap2),
        result: kind === 'experience' ? pick(results) : null,
        licence: 'etalab-2.0',
      }
      return {
        kind,
        slug: `fiche-${i}`,
        publishedVersion: 1,
        firstPublishedAt: when,
        publishedAt: when,
        title,
        summary,
        body,
        content,
        themes: content.themes,
        methodTypes: content.methodTypes,
        iap2: content.iap2,
        result: content.result,
        institution: kind === 'experience' ? pick(institutions) : null,
        institutionKind: kind === 'experience' ? 'territory' : null,
        territoryId: place?.id ?? null,
        departmentCodes: place?.d ?? [],
        regionCodes: place?.r ?? [],
        licence: 'etalab-2.0',
        searchExtra: '',
      }
    })
    await db.insert(fiches).values(batch)
  }
  await db.execute(
    sql`insert into referentiel_versions (fiche_id, number, status, content, published_at) select id, 1, 'published', content, published_at from referentiel_fiches`,
  )
  await db.execute(sql`analyze referentiel_fiches`)
  return Math.round((performance.now() - started) / 1000)
}

const QUERIES = [
  ['search page: words ("budget participatif")', '/referentiel?q=budget+participatif'],
  ['search page: words + kind + theme', '/referentiel?q=concertation&kind=experience&theme=environment'],
  ['search page: facets only (theme + result)', '/referentiel?theme=education&result=success'],
  ['search API: words + region (JSON)', '/api/v1/referentiel/fiches?q=jeunes&region=53'],
  ['fiche page (with related fiches)', '/referentiel/fiches/fiche-4242'],
] as const

export async function benchReferentiel(options: { serverUrl: string | undefined }): Promise<string> {
  if (COUNT <= 0) return '## Référentiel at scale\n\nNot measured in this run (BENCH_FICHES=0).\n'
  const lines: string[] = []
  let seconds = 0
  const run = async (engine: string, env: Record<string, string>, prepare: () => Promise<Database>) => {
    const database = await prepare()
    await migrate(database)
    await loadRegistry(database.db)
    seconds = await generateFiches(database, COUNT)
    console.log(`${engine}: ${COUNT} fiches generated in ${seconds} s`)
    await database.close()
    const server = await start('src/server.ts', { ...env, DEMO_DATA: 'false' }, READY)
    await load(server.port, QUERIES[0][1]) // warm-up
    for (const [label, path] of QUERIES) {
      const r = await load(server.port, path)
      console.log(`${engine} ${label}: ${r.rps} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`)
      lines.push(`| ${label} | ${engine} | ${fmt.format(r.rps)} | ${r.p50} | ${r.p99} |`)
    }
    await stop(server)
  }
  const dir = mkdtempSync(join(tmpdir(), 'thc-bench-ref-'))
  await run('PGlite', { DATA_DIR: dir }, () => openDatabase({ databaseUrl: null, dataDir: dir }))
  rmSync(dir, { recursive: true, force: true })
  if (options.serverUrl) {
    const admin = new pg.Client({ connectionString: options.serverUrl })
    await admin.connect()
    await admin.query('drop database if exists thc_bench_ref with (force)')
    await admin.query('create database thc_bench_ref')
    await admin.end()
    const url = new URL(options.serverUrl)
    url.pathname = '/thc_bench_ref'
    const pgDir = mkdtempSync(join(tmpdir(), 'thc-bench-pg-'))
    await run('PostgreSQL', { DATABASE_URL: url.toString(), DATA_DIR: pgDir }, () =>
      openDatabase({ databaseUrl: url.toString() }),
    )
    rmSync(pgDir, { recursive: true, force: true })
  }
  return `<!-- referentiel:start -->
## Référentiel at scale

Dataset (bench/referentiel.ts, the same every run): ${fmt.format(COUNT)} published fiches (40 % methods, 45 % experiences,
15 % actors) of generated text (a 4-word title, a 25-word summary, a 150-word body drawn from 4,000 filler words with the
field's ~110 words mixed in at 50 %, 15 % and 4 %: "budget participatif" matches about 3 % of the fiches), random themes, method types,
IAP2 levels and results, experiences and actors placed in the 2,000 most populated communes; generated in ${seconds} s
on the last engine. Each search runs two queries: the ranked page (relevance on title, summary and labels) and the
facet counts (kind, theme, method type, IAP2 level, result, region, département, institution) over every match,
whose kinds give the total. For scale: Participedia, the largest base of its kind, holds a few thousand entries.

| request | database | req/s | p50 (ms) | p99 (ms) |
|---|---|---|---|---|
${lines.join('\n')}
${options.serverUrl ? '' : '\nPostgreSQL not measured in this run: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a server.\n'}
Reading: 10 connections at once on 2 cores shared with the load generator, so the p50 is mostly waiting
in line; on PGlite every query blocks the one process. A words search costs in proportion to its matches
(ranking and facets read every matching row: 4,600 for "budget participatif"); facet filters use their own
indexes combined with the text index.
<!-- referentiel:end -->
`
}

// `npm run bench:referentiel`: this section alone, written into the existing BENCHMARKS.md
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const section = await benchReferentiel({ serverUrl: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL })
  const path = join(ROOT, 'BENCHMARKS.md')
  const current = readFileSync(path, 'utf8')
  const marked = /<!-- referentiel:start -->[\s\S]*<!-- referentiel:end -->\n?/
  const date = `\n_Référentiel section last measured on ${new Date().toISOString().slice(0, 10)} by \`npm run bench:referentiel\`._\n`
  writeFileSync(
    path,
    marked.test(current)
      ? current.replace(marked, section.replace('<!-- referentiel:end -->', `${date}<!-- referentiel:end -->`))
      : `${current}\n${section}`,
  )
  console.log('BENCHMARKS.md: référentiel section written')
  process.exit(0)
}
