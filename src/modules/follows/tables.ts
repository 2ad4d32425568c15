/** What people follow. */
import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
export const follows = pgTable('follows', {
  userId: uuid('user_id').notNull(),
  subjectType: text('subject_type').notNull(),
  subjectId: uuid('subject_id').notNull(),
  territoryId: uuid('territory_id').notNull(),
  frequency: text('frequency').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})
