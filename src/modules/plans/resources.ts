import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.ts'
import type { Resource, ResourceSource } from '../../platform/resources.ts'

/** Commitments, as other modules name them: those of a published or closed plan only. */
export const commitmentResources: ResourceSource = {
  type: 'commitment',
  find: (db, ids) =>
    queryRows<Resource>(
      db,
      sql`select 'commitment' as type, id, territory_id as "territoryId", title, '/engagements/' || id as path
          from public_commitments where id in (${sql.join(
            ids.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`,
    ),
}
