import { existsSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { unaccent } from '@electric-sql/pglite/contrib/unaccent'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { sql, type SQL } from 'drizzle-orm'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { lockFolder, type FolderLock } from './folder-lock.ts'

/** The query builder shared by both engines; a transaction is also a Db. */
export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>>

export type Engine = 'pglite' | 'postgres'

/**
 * The PostgreSQL error code (SQLSTATE) of a failed query, or undefined: drizzle wraps the driver's error
 * ("Failed query: …") and keeps it as `cause`.
 */
export function pgErrorCode(error: unknown): string | undefined {
  for (
    let e: unknown = error, depth = 0;
    e && typeof e === 'object' && depth < 4;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code
  }
  return undefined
}

/** The database's own message of a failed query (drizzle's wrapper names only the query). */
export function pgErrorMessage(error: unknown): string {
  const cause = (error as { cause?: unknown })?.cause
  return cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error)
}

/** Runs a raw SQL query and returns its rows (both engines' drivers return `{ rows }`). */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] }
  return result.rows
}

/** A text[] value for a raw query (a JS array in a template becomes a list, not an array). */
export function textArray(values: readonly string[]): SQL {
  if (values.length === 0) return sql`'{}'::text[]`
  return sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`
}

export interface Database {
  engine: Engine
  db: Db
  /** Runs a SQL script of several statements, without parameters, in one transaction (migrations). */
  runScript(sql: string): Promise<void>
  /** Runs `work` while holding a database-wide lock (migrations from several processes at once). */
  withExclusiveLock<T>(work: () => Promise<T>): Promise<T>
  /**
   * Calls `onChange` with the table written after each committed write to a table public pages read, whoever made
   * it (this process, another one, a command line), and with null whenever the watch was interrupted (a lost
   * connection: anything may have changed meanwhile). `watching()` is false while no notice can arrive.
   */
  watchDataChanges(onChange: DataChangeListener): Promise<DataChangeWatch>
  /** Cheap round trip for readiness checks. */
  ping(): Promise<void>
  /** A compressed copy of the embedded database (tests clone a seeded base from it). */
  dumpEmbedded?(): Promise<Blob>
  close(): Promise<void>
}

/** `table` is the table written, or null when any may have changed. */
export type DataChangeListener = (table: string | null) => void

export interface DataChangeWatch {
  watching(): boolean
  /** Resolves once the notice of every write committed before the call has arrived. */
  sync(): Promise<void>
  stop(): Promise<void>
}

/** The channel the data-change triggers notify on (migration 0040). */
const DATA_CHANGE_CHANNEL = 'thc_data_changed'
/** The listening connection's name in pg_stat_activity. */
export const DATA_CHANGE_LISTENER = 'thc-data-changes'

export interface OpenDatabaseOptions {
  /** postgres:// URL; null for the embedded database. */
  databaseUrl: string | null
  /** Folder of the embedded database (`DATA_DIR/pglite`); omit for an in-memory one. */
  dataDir?: string
  /** Start the embedded database from this dump instead of the folder's content (tests). */
  loadDump?: Blob
  poolSize?: number
}

const MIGRATION_LOCK_KEY = 7_294_311_001

/** Left in a data folder by a restore until it is whole (platform/backup.ts). */
export const RESTORE_MARKER = 'restore-incomplete'

export class RestoreIncompleteError extends Error {
  constructor(readonly dir: string) {
    super(`A restore into ${dir} did not finish: run \`npm run cli -- restore <backup>\` again with DATA_DIR=${dir}.`)
  }
}

const EXTENSIONS = { pg_trgm, unaccent }

/**
 * Creates the embedded database's folder if it does not exist yet, so that it appears whole or not at all: the
 * cluster is created (or loaded from a dump) beside it and renamed into place once closed. A kill during the first
 * creation leaves only the partial folder, removed at the next start; the real folder is never half-made.
 */
export async function createEmbeddedFolder(folder: string, loadDump?: Blob): Promise<boolean> {
  if (existsSync(folder)) return false
  const partial = `${folder}.partial`
  rmSync(partial, { recursive: true, force: true })
  const client = await PGlite.create({
    dataDir: partial,
    ...(loadDump ? { loadDataDir: loadDump } : {}),
    extensions: EXTENSIONS,
  })
  await client.close()
  renameSync(partial, folder)
  return true
}

async function openEmbedded(options: OpenDatabaseOptions): Promise<Database> {
  let lock: FolderLock | null = null
  if (options.dataDir) {
    if (existsSync(join(options.dataDir, RESTORE_MARKER))) throw new RestoreIncompleteError(options.dataDir)
    lock = lockFolder(options.dataDir)
  }
  let client: PGlite
  try {
    if (options.dataDir) {
      const folder = join(options.dataDir, 'pglite')
      await createEmbeddedFolder(folder, options.loadDump)
      client = await PGlite.create({ dataDir: folder, extensions: EXTENSIONS })
    } else {
      client = await PGlite.create({
        ...(options.loadDump ? { loadDataDir: options.loadDump } : {}),
        extensions: EXTENSIONS,
      })
    }
  } catch (error) {
    lock?.release()
    throw error
  }
  return {
    engine: 'pglite',
    db: drizzlePglite(client) as unknown as Db,
    runScript: async (sql) => {
      await client.transaction(async (tx) => {
        await tx.exec(sql)
      })
    },
    // PGlite is one connection in one process (the folder lock keeps others out): nothing to share.
    withExclusiveLock: (work) => work(),
    // a notice arrives before the query that committed the write returns: no window in which a page is stale
    watchDataChanges: async (onChange) => {
      const unlisten = await client.listen(DATA_CHANGE_CHANNEL, (payload) => onChange(payload || null))
      let watching = true
      return {
        watching: () => watching,
        sync: async () => {},
        stop: async () => {
          watching = false
          await unlisten().catch(() => {})
        },
      }
    },
    ping: async () => {
      await client.query('select 1')
    },
    // between two transactions (PGlite runs one at a time), so the dump holds only committed work
    dumpEmbedded: () => client._runExclusiveTransaction(() => client.dumpDataDir('gzip')),
    close: async () => {
      try {
        await client.close()
      } finally {
        lock?.release()
      }
    },
  }
}

async function openServer(url: string, options: OpenDatabaseOptions): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 })
  pool.on('error', () => {
    // an idle client lost its connection: the pool replaces it; queries report their own errors
  })
  const probe = await pool.connect() // fail fast with the server's own message
  probe.release()
  return {
    engine: 'postgres',
    db: drizzlePg(pool) as unknown as Db,
    runScript: async (sql) => {
      const client = await pool.connect()
      try {
        await client.query('begin')
        await client.query(sql)
        await client.query('commit')
      } catch (error) {
        await client.query('rollback').catch(() => {})
        throw error
      } finally {
        client.release()
      }
    },
    withExclusiveLock: async (work) => {
      const client = await pool.connect()
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
        try {
          return await work()
        } finally {
          await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
        }
      } finally {
        client.release()
      }
    },
    ping: async () => {
      await pool.query('select 1')
    },
    watchDataChanges: (onChange) => watchServerChanges(url, onChange),
    close: () => pool.end(),
  }
}

/**
 * Listens on its own connection (LISTEN needs one held open, outside the pool). A lost connection counts as a
 * change and stops the watch until a new connection listens again, tried every second.
 */
async function watchServerChanges(url: string, onChange: DataChangeListener): Promise<DataChangeWatch> {
  let client: pg.Client | null = null
  let stopped = false
  let retry: NodeJS.Timeout | null = null
  const connect = async () => {
    const next = new pg.Client({ connectionString: url, application_name: DATA_CHANGE_LISTENER })
    next.on('notification', (notice) => onChange(notice.payload || null))
    next.on('error', () => lost(next))
    next.on('end', () => lost(next))
    await next.connect()
    await next.query(`listen ${DATA_CHANGE_CHANNEL}`)
    if (stopped) await next.end()
    else client = next
    onChange(null) // writes made while nobody listened
  }
  const lost = (which: pg.Client) => {
    if (client !== which) return
    client = null
    onChange(null)
    if (!stopped) schedule()
  }
  const schedule = () => {
    retry = setTimeout(() => {
      connect().catch(() => !stopped && schedule())
    }, 1000)
    retry.unref()
  }
  await connect()
  // The server hands pending notices to an idle session before it answers the next query on it: a round trip
  // begun after a write committed brings its notice. Callers share round trips: one under way may have begun
  // before a caller arrived, so that caller waits for the next one.
  let inFlight: Promise<void> | null = null
  let next: Promise<void> | null = null
  const sync = (): Promise<void> => {
    if (!inFlight) {
      const open = client
      inFlight = (open ? open.query('select 1').then(() => {}) : Promise.resolve())
        .catch(() => {})
        .finally(() => {
          inFlight = null
        })
      return inFlight
    }
    next ??= inFlight.then(() => {
      next = null
      return sync()
    })
    return next
  }
  return {
    watching: () => client !== null,
    sync,
    stop: async () => {
      stopped = true
      if (retry) clearTimeout(retry)
      const open = client
      client = null
      await open?.end().catch(() => {})
    },
  }
}

/** Opens the embedded PGlite database (with its folder lock) or a PostgreSQL pool. Closing twice is harmless. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const database = options.databaseUrl ? await openServer(options.databaseUrl, options) : await openEmbedded(options)
  let closing: Promise<void> | null = null
  return { ...database, close: () => (closing ??= database.close()) }
}

export { FolderLockedError } from './folder-lock.ts'

/**
 * The rows of other tables that point to a row by a foreign key, counted by table: what stops its deletion. Read
 * from the catalog, so that the owner of a row needs to know no other module's tables. `except` leaves out tables
 * the caller deletes from first.
 */
export async function referencesTo(
  db: Db,
  table: string,
  id: string,
  except: readonly string[] = [],
): Promise<{ table: string; count: number }[]> {
  const links = await queryRows<{ table: string; column: string }>(
    db,
    sql`select c.conrelid::regclass::text as "table", a.attname as "column"
        from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
        where c.contype = 'f' and c.confrelid = ${table}::regclass and array_length(c.conkey, 1) = 1
        order by 1, 2`,
  )
  const found: { table: string; count: number }[] = []
  for (const link of links) {
    if (except.includes(link.table)) continue
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from ${sql.identifier(link.table)} where ${sql.identifier(link.column)} = ${id}`,
    )
    if (row!.n > 0) found.push({ table: link.table, count: row!.n })
  }
  return found
}
