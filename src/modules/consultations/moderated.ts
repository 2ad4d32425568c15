import { sql } from 'drizzle-orm'
import { moderatedTable } from '../../platform/moderation.ts'

/** Contributions and their comments, as the moderation module reads and hides them. */
export const moderatedParticipation = [
  moderatedTable({
    type: 'contribution',
    table: sql`contributions`,
    text: sql`x.title`,
    path: sql`'/consultations/' || x.consultation_id || '#contribution-' || x.id`,
  }),
  moderatedTable({
    type: 'comment',
    table: sql`contribution_comments`,
    text: sql`left(x.body, 200)`,
    path: sql`'/consultations/' || k.consultation_id || '#commentaire-' || x.id`,
    joins: sql`join contributions k on k.id = x.contribution_id`,
  }),
]
