import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import pg from 'pg'
import { openDatabase, type Database, type Engine } from '../../src/platform/db/index.ts'
import { listMigrations, migrate } from '../../src/platform/db/migrate.ts'
import { loadRegistry } from '../../src/modules/territories/index.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'thc-test')

/** The engines the suite runs on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const engines: Engine[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite']
export const POSTGRES_SKIPPED =
  'PostgreSQL tests skipped: TEST_DATABASE_URL is not set (scripts/pg-cluster.sh start prints one)'

/** Changes when the schema or the registry loader changes: the seeded base is rebuilt then. */
function baseVersion(): string {
  const hash = createHash('sha256')
  for (const migration of listMigrations()) hash.update(migration.name).update(migration.sql)
  hash.update(readFileSync(join(ROOT, 'src', 'modules', 'territories', 'registry.ts')))
  const require = createRequire(import.meta.url)
  hash.update(readFileSync(require.resolve('@etalab/decoupage-administratif/package.json')))
  return hash.digest('hex').slice(0, 16)
}

async function seedBase(database: Database): Promise<void> {
  await migrate(database)
  await loadRegistry(database.db)
}

/**
 * A dump of a migrated embedded database with the whole territory registry, built once and kept in
 * node_modules/.cache (a first PGlite start with the registry takes ~10 s; loading the dump < 1 s).
 */
async function pgliteBaseDump(): Promise<Blob> {
  const file = join(CACHE_DIR, `pglite-base-${baseVersion()}.tar.gz`)
  if (!existsSync(file)) {
    const database = await openDatabase({ databaseUrl: null })
    await seedBase(database)
    const dump = await database.dumpEmbedded!()
    await database.close()
    mkdirSync(CACHE_DIR, { recursive: true })
    const partial = `${file}.${process.pid}.tmp`
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()))
    renameSync(partial, file)
  }
  return new Blob([readFileSync(file)])
}

function withDatabase(url: string, name: string): string {
  const next = new URL(url)
  next.pathname = `/${name}`
  return next.toString()
}

/** A PostgreSQL template database with the schema and registry, created once per base version. */
async function postgresTemplate(adminUrl: string): Promise<string> {
  const template = `thc_test_base_${baseVersion()}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  try {
    await admin.query('select pg_advisory_lock(7294311002)')
    const exists = await admin.query('select 1 from pg_database where datname = $1', [template])
    if (exists.rowCount === 0) {
      const building = `${template}_building`
      await admin.query(`drop database if exists ${building}`)
      await admin.query(`create database ${building}`)
      const database = await openDatabase({ databaseUrl: withDatabase(adminUrl, building), poolSize: 2 })
      await seedBase(database)
      await database.close()
      await admin.query(`alter database ${building} rename to ${template}`)
    }
    await admin.query('select pg_advisory_unlock(7294311002)')
  } finally {
    await admin.end()
  }
  return template
}

/**
 * A fresh database with the schema and the full territory registry, dropped (PostgreSQL) when closed.
 * With `dataDir`, the embedded database lives in that folder (as the platform's own does).
 */
export async function createTestDatabase(
  engine: Engine,
  options: { dataDir?: string } = {},
): Promise<Database & { url?: string }> {
  if (engine === 'pglite') return openDatabase({ databaseUrl: null, loadDump: await pgliteBaseDump(), ...options })
  const adminUrl = process.env.TEST_DATABASE_URL
  if (!adminUrl) throw new Error(POSTGRES_SKIPPED)
  const template = await postgresTemplate(adminUrl)
  const name = `thc_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`create database ${name} template ${template}`)
  await admin.end()
  const url = withDatabase(adminUrl, name)
  const database = await openDatabase({ databaseUrl: url, poolSize: 4 })
  return {
    ...database,
    url,
    close: async () => {
      await database.close()
      const cleanup = new pg.Client({ connectionString: adminUrl })
      await cleanup.connect()
      await cleanup.query(`drop database if exists ${name} with (force)`)
      await cleanup.end()
    },
  }
}
