import { sql } from 'drizzle-orm'
import { queryRows, textArray } from '../../platform/db/index.ts'
import type { AttachedSource, Resource, ResourceSource } from '../../platform/resources.ts'

/** Consultations, once published. */
export const consultationResources: ResourceSource = {
  type: 'consultation',
  find: (db, ids) =>
    queryRows<Resource>(
      db,
      sql`select 'consultation' as type, id, territory_id as "territoryId", title, '/consultations/' || id as path
          from consultations where id = any(${textArray(ids)}::uuid[]) and status <> 'draft'`,
    ),
}

/** What citizens brought to a commitment: the contributions retained by a published consultation. */
export const retainedContributions: AttachedSource = {
  type: 'contribution',
  to: 'commitment',
  list: (db, commitmentId) =>
    queryRows<Resource>(
      db,
      sql`select 'contribution' as type, k.id, k.territory_id as "territoryId", k.title,
            '/consultations/' || k.consultation_id || '#contribution-' || k.id as path
          from contributions k join consultations c on c.id = k.consultation_id
          where k.commitment_id = ${commitmentId} and k.decision = 'retained' and c.status <> 'draft'
          order by k.created_at limit 100`,
    ),
}
