import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { openDatabase, queryRows } from '../../platform/db/index.ts'
import { createTestDatabase } from '../../../test/helpers/database.ts'

const ROOT = join(import.meta.dirname, '..', '..', '..')
let dir = ''
const cli = (args: string[]) => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATA_DIR: dir,
      SESSION_SECRET: 'cli-import-secret-cli-import-secret-0123',
    },
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}
const query = async <T>(text: ReturnType<typeof sql>) => {
  const database = await openDatabase({ databaseUrl: null, dataDir: dir })
  try {
    return await queryRows<T>(database.db, text)
  } finally {
    await database.close()
  }
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'thc-import-cli-'))
  const database = await createTestDatabase('pglite', { dataDir: dir })
  await database.close()
})
after(() => rmSync(dir, { recursive: true, force: true }))

const SHEET = [
  'Commitment Unique Identifier,Country/Locality,Action Plan Number,Year Of Submission,Action Plan End Year,Commitment Title,Full Text,Start Date,End Date,Lead Institution,Supporting Institution(s),Open Data,Report Publication Year (Progress Report),Verifiable,Potential Impact,Completion (End Of Term),Action Plan ID',
  'TT0001,Testland,1,2020,2022,Open budgets,Publish the budget.,1/1/2020,12/31/2022,Finance,,1,2021,Yes,Moderate,Substantial,AP_TT01',
  'TT0002,Testland,1,2020,2022,Open contracts,Publish contracts.,1/1/2020,12/31/2022,Procurement,,0,NR,NR,NR,NR,AP_TT01',
  'TT0003,Testland,2,2023,2025,Open courts,Publish rulings.,1/1/2023,12/31/2025,Justice,,1,NR,NR,NR,NR,AP_TT02',
].join('\n')

test('plans:import --dry-run says what would change and writes nothing; the import then, and again without change', () => {
  const file = join(dir, 'ogp.csv')
  writeFileSync(file, SHEET)
  const dry = cli([
    'plans:import',
    '--territory',
    'commune/35238',
    '--format',
    'ogp',
    '--action-plan',
    'AP_TT01',
    '--dry-run',
    file,
  ])
  assert.equal(dry.code, 0, dry.stderr)
  assert.match(dry.stdout, /create plan: Plan d’action OGP — Testland n° 1/)
  assert.match(dry.stdout, /Dry run, nothing written: plan create 1, commitment create 2\./)
  const real = cli([
    'plans:import',
    '--territory',
    'commune/35238',
    '--format',
    'ogp',
    '--action-plan',
    'AP_TT01',
    file,
  ])
  assert.equal(real.code, 0, real.stderr)
  assert.match(real.stdout, /Imported: plan create 1, commitment create 2\./)
  const again = cli([
    'plans:import',
    '--territory',
    'commune/35238',
    '--format',
    'ogp',
    '--action-plan',
    'AP_TT01',
    '--dry-run',
    file,
  ])
  assert.match(again.stdout, /plan unchanged 1, commitment unchanged 2/)
})

test('plans:import refuses a bad file with every problem, exit 1, nothing written', async () => {
  const file = join(dir, 'bad.csv')
  writeFileSync(file, 'titre,debut\n,2026-13-01\n"jamais fermé,2026-01-01\n')
  const before = (await query<{ n: number }>(sql`select count(*)::int as n from commitments`))[0]!.n
  const bad = cli(['plans:import', '--territory', 'commune/35238', '--format', 'modele', file])
  assert.equal(bad.code, 1)
  assert.match(
    bad.stderr,
    /nothing imported, 1 problem:\n {2}bad\.csv, line 3: a field opened with a quote is never closed/,
  )
  writeFileSync(file, 'titre,debut\n,2026-13-01\n')
  const refused = cli(['plans:import', '--territory', 'commune/35238', '--format', 'modele', file])
  assert.match(refused.stderr, /Line 2, Commitment title: “” — /)
  assert.match(refused.stderr, /Line 2, Start: “2026-13-01” — Enter a real date, for example 31\/01\/2027\./)
  assert.equal((await query<{ n: number }>(sql`select count(*)::int as n from commitments`))[0]!.n, before)
  assert.equal(cli(['plans:import', '--territory', 'commune/00000', '--format', 'ogp', file]).code, 1)
})

test('assessments:import --dry-run, then the import, on the published plan holding the commitments', async () => {
  const file = join(dir, 'ogp.csv')
  const dry = cli(['assessments:import', '--dry-run', file])
  assert.equal(dry.code, 0, dry.stderr)
  assert.match(dry.stdout, /not-public: Plan d’action OGP — Testland n° 1/)
  const database = await openDatabase({ databaseUrl: null, dataDir: dir })
  await database.db.execute(
    sql`update action_plans set status = 'published', published_at = now() where source_key = 'ogp-plan:AP_TT01'`,
  )
  await database.close()
  const real = cli(['assessments:import', file])
  assert.equal(real.code, 0, real.stderr)
  assert.match(real.stdout, /create: Plan d’action OGP — Testland n° 1 \(Rennes\): 1 inception, 1 end-of-term rating/)
  assert.match(real.stdout, /1 rated row of commitments not on the platform|0 rated rows/)
  const [rated] = await query<{ n: number }>(sql`select count(*)::int as n from commitment_assessments`)
  assert.equal(rated!.n, 2)
})
