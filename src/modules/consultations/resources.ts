import { type SQL, sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.ts'
import type { AttachedSource, Resource, ResourceSource } from '../../platform/resources.ts'

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

/** What citizens brought to a commitment: the contributions retained by a published consultation, its groups. */
export const commitmentParticipation: AttachedSource[] = [
  {
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
  },
  {
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
  },
]
