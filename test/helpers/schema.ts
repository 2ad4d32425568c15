import { sql } from 'drizzle-orm'
import { queryRows, type Db } from '../../src/platform/db/index.ts'

/** A column as the migrated schema has it. */
export interface SchemaColumn {
  table: string
  name: string
  /** information_schema's data_type ('uuid', 'text', 'timestamp with time zone', 'ARRAY'…) */
  type: string
  /** for an array, the type of its elements */
  elementType: string | null
  notNull: boolean
  /** the column's default, as SQL, or null */
  defaultSql: string | null
  identity: boolean
  /** the column is the table's primary key on its own */
  primaryKey: boolean
  /** computed by the database from other columns (a search vector): never written */
  generated: boolean
}

/** Every column of every table of the public schema, in table and column order. */
export function schemaColumns(db: Db): Promise<SchemaColumn[]> {
  return queryRows<SchemaColumn>(
    db,
    sql`select c.table_name as "table", c.column_name as name, c.data_type as type,
          case when c.data_type = 'ARRAY' then ltrim(c.udt_name, '_') end as "elementType",
          c.is_nullable = 'NO' as "notNull", c.column_default as "defaultSql", c.is_identity = 'YES' as identity,
          c.is_generated = 'ALWAYS' as generated,
          exists (select 1 from information_schema.table_constraints k
              join information_schema.key_column_usage u on u.constraint_name = k.constraint_name and u.table_schema = k.table_schema
            where k.table_schema = 'public' and k.table_name = c.table_name and k.constraint_type = 'PRIMARY KEY'
              and u.column_name = c.column_name
              and (select count(*) from information_schema.key_column_usage v
                   where v.constraint_name = k.constraint_name and v.table_schema = k.table_schema) = 1) as "primaryKey"
        from information_schema.columns c join information_schema.tables t
          on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
        where c.table_schema = 'public' order by c.table_name, c.ordinal_position`,
  )
}
