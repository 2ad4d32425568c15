import { sql } from 'drizzle-orm'
import { queryRows, textArray } from '../../platform/db/index.ts'
import type { AttachedSource, Resource, ResourceSource } from '../../platform/resources.ts'

/** Groupes Action Projet: public from their creation. */
export const groupResources: ResourceSource = {
  type: 'group',
  find: (db, ids) =>
    queryRows<Resource>(
      db,
      sql`select 'group' as type, id, territory_id as "territoryId", title, '/groupes/' || id as path
          from action_groups where id = any(${textArray(ids)}::uuid[])`,
    ),
}

/** The groups working on a commitment, with their member count. */
export const groupsOfCommitment: AttachedSource = {
  type: 'group',
  to: 'commitment',
  list: (db, commitmentId) =>
    queryRows<Resource>(
      db,
      sql`select 'group' as type, g.id, g.territory_id as "territoryId", g.title, '/groupes/' || g.id as path,
              json_build_object('members', (select count(*)::int from action_group_members m
                where m.group_id = g.id and m.left_at is null)) as facts
            from action_groups g where g.commitment_id = ${commitmentId} order by g.created_at`,
    ),
}
