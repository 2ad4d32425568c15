/**
 * Imports at the sizes the field produces: OGP's commitment sheet with 500 commitments (5 action plans, full
 * texts of 2,000 characters, every policy-area flag column) and a Participedia methods export of 5,000 rows, each
 * read and written into a fresh embedded database in a process of its own, so that its peak memory is the
 * import's. Run by `npm run bench`; `npm run bench:imports` runs it alone and rewrites only its section.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const ROOT = join(import.meta.dirname, '..')
const fmt = new Intl.NumberFormat('en-GB')
const cell = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value)

const POLICY_AREAS = [
  'Access to Information',
  'Civic Participation',
  'Public Accountability',
  'Open Data',
  'Fiscal Openness',
  'Anti-Corruption',
  'E-Government',
  'Public Participation',
  'Open Contracting',
  'Legislation & Regulation',
  'Health',
  'Education',
  'Environment and Climate',
  'Gender',
  'Justice',
]

/** An OGP sheet of `plans` × `perPlan` commitments, in the sheet's column names and date forms. */
export function ogpSheet(plans: number, perPlan: number): string {
  const header = [
    'Commitment Unique Identifier',
    'Country/Locality',
    'Action Plan Number',
    'Year Of Submission',
    'Action Plan End Year',
    'Commitment Title',
    'Full Text',
    'Start Date',
    'End Date',
    'Lead Institution',
    'Supporting Institution(s)',
    ...POLICY_AREAS,
    'Action Plan ID',
  ]
  const text =
    'Publier les données, associer les habitants, rendre compte chaque trimestre des résultats obtenus. '.repeat(20)
  const lines = [header.join(',')]
  for (let p = 1; p <= plans; p++) {
    for (let c = 1; c <= perPlan; c++) {
      const flags = POLICY_AREAS.map((_, i) => ((c + i) % 3 === 0 ? '1' : '0'))
      lines.push(
        [
          `BX${String(p * 1000 + c).padStart(5, '0')}`,
          'Benchland',
          String(p),
          String(2010 + p * 2),
          String(2012 + p * 2),
          `Engagement ${c} du plan ${p} : ouvrir « les données »`,
          text,
          `${(c % 12) + 1}/1/${2010 + p * 2}`,
          c % 5 === 0 ? `Quarter 4 ${2012 + p * 2}` : `12/31/${2012 + p * 2}`,
          'Ministère de la Transformation',
          'Etalab; Associations',
          ...flags,
          `AP_BX${String(p).padStart(2, '0')}`,
        ]
          .map(cell)
          .join(','),
      )
    }
  }
  return `${lines.join('\r\n')}\r\n`
}

/** A Participedia methods export of `rows` rows, in its column order. */
export function participediaMethods(rows: number): string {
  const header =
    'id,type,title,url,description,featured,post_date,updated_date,creator_id,creator_name,creator_profile_url,last_updated_by_id,last_updated_by_name,last_updated_by_profile_url,original_language,facilitators,facetoface_online_or_both,participants_interactions_1,decision_methods_1,method_types_1,number_of_participants_1,open_limited,recruitment_method,scope_of_influence_1,purpose_method_1,body'
  const lines = [header]
  const body =
    'Une méthode où des habitants tirés au sort délibèrent, avec des "experts" entendus, puis votent des recommandations.\n'.repeat(
      15,
    )
  for (let i = 1; i <= rows; i++)
    lines.push(
      [
        String(100000 + i),
        'method',
        `Méthode délibérative n° ${i}`,
        `https://participedia.net/method/${100000 + i}`,
        'Des habitants délibèrent et recommandent.',
        '0',
        '2017-01-01',
        '2021-03-04',
        '',
        '',
        '',
        '',
        '',
        '',
        'fr',
        'yes',
        'face_to_face',
        'discussion',
        'voting',
        'deliberative',
        'large',
        'open',
        'random',
        'national',
        'make',
        body,
      ]
        .map(cell)
        .join(','),
    )
  return `${lines.join('\r\n')}\r\n`
}

/** One import in this process (the child side): prints its figures as JSON. */
async function runOne(kind: 'ogp' | 'participedia', file: string, dataDir: string) {
  const { openDatabase } = await import('../src/platform/db/index.ts')
  const { migrate } = await import('../src/platform/db/migrate.ts')
  const { loadRegistry, findTerritoryByRef } = await import('../src/modules/territories/index.ts')
  const database = await openDatabase({ databaseUrl: null, dataDir })
  await migrate(database)
  if (kind === 'ogp') await loadRegistry(database.db)
  const before = process.memoryUsage().rss
  const started = performance.now()
  const bytes = readFileSync(file)
  let written = 0
  if (kind === 'ogp') {
    const { readPlansFile, runPlanImport } = await import('../src/modules/plans/index.ts')
    const read = readPlansFile(bytes, 'ogp', 'sheet.csv')
    if (read.errors.length > 0) throw new Error(JSON.stringify(read.errors.slice(0, 3)))
    const territory = await findTerritoryByRef(database.db, 'commune/35238')
    const outcome = await runPlanImport(database.db, {
      actor: null,
      target: { territoryId: territory!.id },
      read,
      write: true,
    })
    written = outcome.counts['commitment.create'] ?? 0
  } else {
    const { readParticipediaCsv, importRecords } = await import('../src/modules/referentiel/index.ts')
    const read = readParticipediaCsv(bytes, 'methods.csv')
    if (read.problems.length > 0) throw new Error(JSON.stringify(read.problems.slice(0, 3)))
    const result = await importRecords(database.db, {
      actorId: null,
      source: 'participedia',
      records: read.records,
      problems: read.problems,
    })
    written = read.records.length
    void result
  }
  const seconds = (performance.now() - started) / 1000
  await database.close()
  process.stdout.write(
    JSON.stringify({ seconds, written, beforeMiB: before / 2 ** 20, peakMiB: process.resourceUsage().maxRSS / 1024 }),
  )
}

export async function benchImports(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'thc-bench-imports-'))
  const rows: string[] = []
  try {
    for (const [kind, label, content] of [
      ['ogp', 'OGP commitment sheet: 500 commitments in 5 plans', ogpSheet(5, 100)],
      ['participedia', 'Participedia methods export: 5,000 rows', participediaMethods(5000)],
    ] as const) {
      const file = join(dir, `${kind}.csv`)
      writeFileSync(file, content)
      const dataDir = mkdtempSync(join(dir, `${kind}-data-`))
      const child = spawnSync(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'bench', 'imports.ts'), '--one', kind, file, dataDir],
        { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20, env: { ...process.env, LOG_LEVEL: 'error' } },
      )
      if (child.status !== 0) throw new Error(`import bench ${kind} failed: ${child.stderr.slice(-2000)}`)
      const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as {
        seconds: number
        written: number
        beforeMiB: number
        peakMiB: number
      }
      const size = statSync(file).size / 2 ** 20
      rows.push(
        `| ${label} | ${size.toFixed(1)} MiB | ${fmt.format(result.written)} | ${result.seconds.toFixed(1)} s | ${fmt.format(Math.round(result.written / result.seconds))} | ${Math.round(result.beforeMiB)} → ${Math.round(result.peakMiB)} MiB |`,
      )
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return `<!-- imports:start -->
## Imports

Each file read (encoding, CSV, every row checked with the forms' rules) and written in one transaction into a
fresh embedded database (PGlite), in a process of its own. Files are read whole (the limit is 50 MB a file): the
peak memory is the process's, the database included.

| file | size | rows written | time | rows/s | process RSS (before → peak) |
|---|---|---|---|---|---|
${rows.join('\n')}
<!-- imports:end -->
`
}

if (process.argv[2] === '--one') {
  await runOne(process.argv[3] as 'ogp' | 'participedia', process.argv[4]!, process.argv[5]!)
  process.exit(0)
} else if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const section = await benchImports()
  const path = join(ROOT, 'BENCHMARKS.md')
  const current = readFileSync(path, 'utf8')
  const marked = /<!-- imports:start -->[\s\S]*<!-- imports:end -->\n?/
  const date = `\n_Imports section last measured on ${new Date().toISOString().slice(0, 10)} by \`npm run bench:imports\` on the machine of the header._\n`
  const dated = section.replace('<!-- imports:end -->', `${date}<!-- imports:end -->`)
  writeFileSync(path, marked.test(current) ? current.replace(marked, dated) : `${current}\n${dated}`)
  console.log('BENCHMARKS.md: imports section written')
  process.exit(0)
}
