/** Questions to elected officials and their supports, as the migrations create them. */
import { sql } from 'drizzle-orm'
import { integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
export const officialQuestions = pgTable('official_questions', {
  id: uuid('id').primaryKey().defaultRandom(),
  territoryId: uuid('territory_id').notNull(),
  authorId: uuid('author_id'),
  addresseeId: uuid('addressee_id'),
  title: text('title').notNull(),
  body: text('body').notNull(),
  status: text('status').notNull().default(sql`'pending'::text`),
  moderatedBy: uuid('moderated_by'),
  moderatedAt: timestamp('moderated_at', { withTimezone: true, mode: 'date' }),
  rejectionReason: text('rejection_reason'),
  publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
  answer: text('answer'),
  answeredBy: uuid('answered_by'),
  answeredAt: timestamp('answered_at', { withTimezone: true, mode: 'date' }),
  supportCount: integer('support_count').notNull().default(sql`0`),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})

export const questionSupports = pgTable('question_supports', {
  questionId: uuid('question_id').notNull(),
  userId: uuid('user_id').notNull(),
  territoryId: uuid('territory_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})
