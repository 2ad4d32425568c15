import { sql } from 'drizzle-orm'
import { queryRows, textArray } from '../../platform/db/index.ts'
import type { Resource, ResourceSource } from '../../platform/resources.ts'

/** Co-constructed texts, once published. */
export const textResources: ResourceSource = {
  type: 'text',
  find: (db, ids) =>
    queryRows<Resource>(
      db,
      sql`select 'text' as type, id, territory_id as "territoryId", title, '/textes/' || id as path
          from cocreated_texts where id = any(${textArray(ids)}::uuid[]) and status <> 'draft'`,
    ),
}
