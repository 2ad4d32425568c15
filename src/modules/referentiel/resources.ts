import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.ts'
import type { AttachedSource, Resource } from '../../platform/resources.ts'

/** The published fiches that tell how a commitment was carried out (a fiche names its commitment). */
export const practicesOfCommitment: AttachedSource = {
  type: 'fiche',
  to: 'commitment',
  list: (db, commitmentId) =>
    queryRows<Resource>(
      db,
      sql`select 'fiche' as type, id, territory_id as "territoryId", title, '/referentiel/fiches/' || slug as path
          from referentiel_fiches where commitment_id = ${commitmentId} and published_version is not null
          order by published_at desc limit 50`,
    ),
}
