import { type SQL, sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.ts'
import type { Resource, ResourceSource } from '../../platform/resources.ts'

const idList = (ids: string[]) =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  )

/** One type of this module's things, read from a table with its public condition. */
const source = (type: string, table: SQL, prefix: string, isPublic: SQL): ResourceSource => ({
  type,
  find: (db, ids) =>
    queryRows<Resource>(
      db,
      sql`select ${type} as type, id, territory_id as "territoryId", title, ${prefix} || id as path
          from ${table} where id in (${idList(ids)}) and ${isPublic}`,
    ),
})

/** Consultations (once published), Groupes Action Projet and co-constructed texts (once published). */
export const participationResources: ResourceSource[] = [
  source('consultation', sql`consultations`, '/consultations/', sql`status <> 'draft'`),
  source('group', sql`action_groups`, '/groupes/', sql`true`),
  source('text', sql`cocreated_texts`, '/textes/', sql`status <> 'draft'`),
]
