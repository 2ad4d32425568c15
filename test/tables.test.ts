import assert from 'node:assert/strict'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { is } from 'drizzle-orm'
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core'
import { buildTestApp, describeEachEngine, type TestApp } from './helpers/app.ts'
import { schemaColumns, type SchemaColumn } from './helpers/schema.ts'

const src = join(import.meta.dirname, '..', 'src')

function tableFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return tableFiles(path)
    return name === 'tables.ts' ? [path] : []
  })
}

/** The SQL type drizzle writes for a column, in information_schema's words. */
const schemaTypeOf = (sqlType: string): string =>
  sqlType.endsWith('[]')
    ? 'ARRAY'
    : sqlType.startsWith('timestamp')
      ? 'timestamp with time zone'
      : sqlType.startsWith('numeric')
        ? 'numeric'
        : sqlType

describeEachEngine('drizzle definitions', (engine) => {
  let ctx: TestApp
  let columns: SchemaColumn[]
  before(async () => {
    ctx = await buildTestApp(engine)
    columns = await schemaColumns(ctx.database.db)
  })
  after(() => ctx.close())

  test('every table the migrations create has a definition in its owner’s tables.ts, column for column', async () => {
    const defined = new Map<string, ReturnType<typeof getTableConfig>>()
    for (const file of tableFiles(src))
      for (const value of Object.values(await import(file)))
        if (is(value, PgTable)) defined.set(getTableConfig(value).name, getTableConfig(value))
    const tables = [...new Set(columns.map((c) => c.table))].filter((t) => t !== 'schema_migrations')
    assert.ok(tables.length > 60, 'the schema is read')
    assert.deepEqual(
      tables.filter((t) => !defined.has(t)),
      [],
      'tables without a definition: print one with scripts/print-tables.ts',
    )
    const drift: string[] = []
    for (const [table, config] of defined) {
      const actual = columns.filter((c) => c.table === table)
      if (actual.length === 0) drift.push(`${table}: defined, but no such table`)
      for (const column of config.columns) {
        const real = actual.find((c) => c.name === column.name)
        if (!real) drift.push(`${table}.${column.name}: defined, but not in the schema`)
        else {
          if (real.notNull !== column.notNull)
            drift.push(`${table}.${column.name}: not null ${real.notNull} in the schema`)
          if (schemaTypeOf(column.getSQLType()) !== real.type)
            drift.push(`${table}.${column.name}: ${column.getSQLType()} defined, ${real.type} in the schema`)
        }
      }
      // generated columns (search vectors) stay out: drizzle must never select or write them whole
      for (const real of actual)
        if (!real.generated && !config.columns.some((c) => c.name === real.name))
          drift.push(`${table}.${real.name}: not defined`)
    }
    assert.deepEqual(drift, [], 'definitions that differ from the migrations')
  })
})
