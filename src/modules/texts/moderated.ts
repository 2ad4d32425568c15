import { sql } from 'drizzle-orm'
import { moderatedTable } from '../../platform/moderation.ts'

/** Amendments to co-constructed texts, as the moderation module reads and hides them. */
export const moderatedAmendments = moderatedTable({
  type: 'amendment',
  table: sql`text_amendments`,
  text: sql`left(x.justification, 200)`,
  path: sql`'/textes/' || x.text_id || '#amendment-' || x.id`,
})
