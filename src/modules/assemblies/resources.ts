import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.ts'
import type { AttachedSource, Resource } from '../../platform/resources.ts'

/** The proposals of public assemblies that a commitment carries out, with their number and assembly. */
export const proposalsOfCommitment: AttachedSource = {
  type: 'assembly-proposal',
  to: 'commitment',
  list: (db, commitmentId) =>
    queryRows<Resource>(
      db,
      sql`select 'assembly-proposal' as type, p.id, p.territory_id as "territoryId", p.title,
            '/propositions-assemblee/' || p.id as path, json_build_object('number', p.number, 'assembly', a.title) as facts
          from assembly_proposals p join assemblies a on a.id = p.assembly_id
          where p.commitment_id = ${commitmentId} and a.phase <> 'draft' order by a.created_at, p.number limit 100`,
    ),
}
