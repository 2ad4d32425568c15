/** The reports people make, kept by the moderation module. */
import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
export const contentReports = pgTable('content_reports', {
  subjectType: text('subject_type').notNull(),
  subjectId: uuid('subject_id').notNull(),
  territoryId: uuid('territory_id').notNull(),
  reporterId: uuid('reporter_id').notNull(),
  reason: text('reason').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})
