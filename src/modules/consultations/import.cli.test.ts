import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { openDatabase, queryRows } from '../../platform/db/index.ts'
import { createTestDatabase } from '../../../test/helpers/database.ts'

// consultations:import and assemblies:import-proposals, as an operator runs them on a server
const ROOT = join(import.meta.dirname, '..', '..', '..')
let dir = ''
let consultationId = ''
let assemblyId = ''
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
const count = async (table: 'contributions' | 'assembly_proposals') => {
  const database = await openDatabase({ databaseUrl: null, dataDir: dir })
  try {
    return (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from ${sql.raw(table)}`))[0]!.n
  } finally {
    await database.close()
  }
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'thc-participation-cli-'))
  const database = await createTestDatabase('pglite', { dataDir: dir })
  const [territory] = await queryRows<{ id: string }>(
    database.db,
    sql`select id from territories where kind = 'commune' and code = '35238'`,
  )
  const [consultation] = await queryRows<{ id: string }>(
    database.db,
    sql`insert into consultations (territory_id, title, question, opens_on, closes_on, status) values (${territory!.id}, 'Budget participatif 2024', 'Quels projets ?', '2024-01-01', '2024-02-01', 'published') returning id`,
  )
  const [assembly] = await queryRows<{ id: string }>(
    database.db,
    sql`insert into assemblies (territory_id, title, purpose, panel_size) values (${territory!.id}, 'Convention de Rennes', 'Le climat.', 20) returning id`,
  )
  consultationId = consultation!.id
  assemblyId = assembly!.id
  await database.close()
})
after(() => rmSync(dir, { recursive: true, force: true }))

test('consultations:import --dry-run writes nothing; the import then; a bad file exits 1 with its lines', async () => {
  const file = join(dir, 'proposals.csv')
  writeFileSync(
    file,
    'id;title/fr;body/fr;supports;author/name;category/name/fr\n1;Plus de bancs;<p>Sur la place.</p>;12;Ana;Espace public\n2;Un jardin partagé;<p>Rue Haute.</p>;4;Bo;Nature\n',
  )
  const dry = cli(['consultations:import', '--consultation', consultationId, '--dry-run', file])
  assert.equal(dry.code, 0, dry.stderr)
  assert.match(dry.stdout, /create \(line 2\): Plus de bancs/)
  assert.match(dry.stdout, /Dry run, nothing written: 2 created, 0 updated, 0 unchanged \(decidim-proposals\)\./)
  assert.equal(await count('contributions'), 0)
  const real = cli(['consultations:import', '--consultation', consultationId, file])
  assert.equal(real.code, 0, real.stderr)
  assert.equal(await count('contributions'), 2)
  assert.match(
    cli(['consultations:import', '--consultation', consultationId, file]).stdout,
    /0 created, 0 updated, 2 unchanged/,
  )
  writeFileSync(file, 'id;title/fr;body/fr\n3;"Jamais fermé;x\n')
  const bad = cli(['consultations:import', '--consultation', consultationId, file])
  assert.equal(bad.code, 1)
  assert.match(
    bad.stderr,
    /nothing imported, 1 problem:\n {2}proposals\.csv, line 2: a field opened with a quote is never closed/,
  )
  assert.equal(
    cli(['consultations:import', '--consultation', '00000000-0000-0000-0000-000000000000', join(dir, 'proposals.csv')])
      .code,
    1,
  )
})

test('assemblies:import-proposals --dry-run, then the import, in English messages', async () => {
  const file = join(dir, 'ccc.csv')
  writeFileSync(
    file,
    'Identifiant;Thème;Proposition;Texte\nSD-1;Se déplacer;Des pistes cyclables continues;Relier les communes.\nSN-1;Se nourrir;Des cantines locales;Circuits courts.\n',
  )
  const dry = cli(['assemblies:import-proposals', '--assembly', assemblyId, '--dry-run', file])
  assert.equal(dry.code, 0, dry.stderr)
  assert.match(dry.stdout, /Dry run, nothing written: 2 created, 0 updated, 0 unchanged\./)
  assert.equal(await count('assembly_proposals'), 0)
  assert.equal(cli(['assemblies:import-proposals', '--assembly', assemblyId, '--status', 'drafted', file]).code, 0)
  assert.equal(await count('assembly_proposals'), 2)
  const wrong = cli(['assemblies:import-proposals', '--assembly', assemblyId, '--status', 'maybe', file])
  assert.equal(wrong.code, 1)
  assert.match(wrong.stderr, /--status must be adopted or drafted/)
})

test('a file beyond the importers’ 50 MB is refused before it is read, exit 1, with its size', () => {
  const file = join(dir, 'huge.csv')
  writeFileSync(file, 'id;title/fr;body/fr\n')
  truncateSync(file, 51 * 1024 * 1024)
  const refused = cli(['consultations:import', '--consultation', consultationId, file])
  assert.equal(refused.code, 1)
  assert.match(refused.stderr, /huge\.csv is 51\.0 MB: the importers take 50 MB at most/)
})
