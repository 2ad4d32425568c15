/**
 * Prints drizzle definitions of tables as the migrations create them, read from a migrated in-memory database: a
 * start for a new table's entry in its module's `tables.ts` (then name its JSON columns' types by hand). The
 * test `test/tables.test.ts` keeps every definition in step with the schema.
 *
 *   node --import tsx scripts/print-tables.ts <table> [<table>…]
 */
import { openDatabase } from '../src/platform/db/index.ts'
import { migrate } from '../src/platform/db/migrate.ts'
import { schemaColumns, type SchemaColumn } from '../test/helpers/schema.ts'

const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())

function builder(column: SchemaColumn): string {
  const name = `'${column.name}'`
  const base = (() => {
    switch (column.type) {
      case 'uuid':
        return `uuid(${name})`
      case 'text':
        return `text(${name})`
      case 'integer':
        return `integer(${name})`
      case 'smallint':
        return `smallint(${name})`
      case 'bigint':
        return `bigint(${name}, { mode: 'number' })`
      case 'boolean':
        return `boolean(${name})`
      case 'date':
        return `date(${name})`
      case 'timestamp with time zone':
        return `timestamp(${name}, { withTimezone: true, mode: 'date' })`
      case 'jsonb':
        return `jsonb(${name})`
      case 'numeric':
        return `numeric(${name})`
      case 'double precision':
        return `doublePrecision(${name})`
      case 'bytea':
        return `customType<{ data: Buffer }>({ dataType: () => 'bytea' })(${name})`
      case 'ARRAY':
        return `${column.elementType === 'uuid' ? 'uuid' : column.elementType === 'integer' ? 'integer' : 'text'}(${name}).array()`
      default:
        return `text(${name}) /* ${column.type} */`
    }
  })()
  const key = column.primaryKey ? '.primaryKey()' : column.notNull ? '.notNull()' : ''
  const generated = column.identity ? '.generatedAlwaysAsIdentity()' : ''
  const defaulted =
    column.identity || column.defaultSql === null
      ? ''
      : column.defaultSql === 'gen_random_uuid()'
        ? '.defaultRandom()'
        : column.defaultSql === 'now()'
          ? '.defaultNow()'
          : `.default(sql\`${column.defaultSql}\`)`
  return `${base}${key}${generated}${defaulted}`
}

const tables = process.argv.slice(2)
if (tables.length === 0) {
  console.error('usage: node --import tsx scripts/print-tables.ts <table> [<table>…]')
  process.exit(2)
}
const database = await openDatabase({ databaseUrl: null })
await migrate(database)
const columns = await schemaColumns(database.db)
for (const table of tables) {
  const own = columns.filter((c) => c.table === table)
  if (own.length === 0) {
    console.error(`no table ${table} in the migrated schema`)
    process.exitCode = 1
    continue
  }
  console.log(`export const ${camel(table)} = pgTable('${table}', {`)
  for (const column of own) console.log(`  ${camel(column.name)}: ${builder(column)},`)
  console.log('})\n')
}
await database.close()
