import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { queryRows, type Database } from './index.ts'

export const MIGRATIONS_DIR = join(import.meta.dirname, '..', '..', '..', 'migrations')

/** The migration files, in the order they apply (their names start with a timestamp). */
export function listMigrations(dir = MIGRATIONS_DIR): { name: string; sql: string }[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(dir, name), 'utf8') }))
}

/**
 * Applies the migrations not applied yet, each in its own transaction with its bookkeeping row, under a
 * database-wide lock so that several processes starting at once apply each migration exactly once.
 * Returns the names it applied.
 */
export async function migrate(database: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  return database.withExclusiveLock(async () => {
    await database.runScript(
      'create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())',
    )
    const rows = await queryRows<{ name: string }>(database.db, sql`select name from schema_migrations`)
    const done = new Set(rows.map((row) => row.name))
    const applied: string[] = []
    for (const migration of listMigrations(dir)) {
      if (done.has(migration.name)) continue
      const record = `insert into schema_migrations (name) values ('${migration.name.replaceAll("'", "''")}');`
      await database.runScript(`${migration.sql}\n;\n${record}`)
      applied.push(migration.name)
    }
    // every table public pages read notifies its writes (a table a later migration adds included)
    await database.runScript(`do $$ begin
      if exists (select 1 from pg_proc where proname = 'thc_attach_data_change_triggers') then
        perform thc_attach_data_change_triggers();
      end if;
    end $$`)
    return applied
  })
}
