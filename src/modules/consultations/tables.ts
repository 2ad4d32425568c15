import { sql } from 'drizzle-orm'
import { bigint, date, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

export const consultations = pgTable('consultations', {
  id: uuid('id').primaryKey().defaultRandom(),
  territoryId: uuid('territory_id').notNull(),
  title: text('title').notNull(),
  question: text('question').notNull(),
  context: text('context').notNull().default(''),
  opensOn: date('opens_on', { mode: 'string' }).notNull(),
  closesOn: date('closes_on', { mode: 'string' }).notNull(),
  commitmentId: uuid('commitment_id'),
  status: text('status').notNull().default('draft'),
  synthesis: text('synthesis'),
  contributionCount: integer('contribution_count').notNull().default(0),
  answeredAt: at('answered_at'),
  closedEarlyAt: at('closed_early_at'),
  createdBy: uuid('created_by'),
  createdAt: at('created_at').notNull().defaultNow(),
  updatedAt: at('updated_at').notNull().defaultNow(),
})

export const contributions = pgTable('contributions', {
  id: uuid('id').primaryKey().defaultRandom(),
  consultationId: uuid('consultation_id').notNull(),
  territoryId: uuid('territory_id').notNull(),
  authorId: uuid('author_id'),
  kind: text('kind').notNull(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  decision: text('decision'),
  answer: text('answer'),
  answeredBy: uuid('answered_by'),
  answeredAt: at('answered_at'),
  commitmentId: uuid('commitment_id'),
  milestoneId: uuid('milestone_id'),
  supportCount: integer('support_count').notNull().default(0),
  createdAt: at('created_at').notNull().defaultNow(),
  updatedAt: at('updated_at').notNull().defaultNow(),
  hiddenAt: at('hidden_at'),
  hiddenReason: text('hidden_reason'),
  hiddenBy: uuid('hidden_by'),
  sourceKey: text('source_key'),
  sourcePlatform: text('source_platform'),
  sourceAuthor: text('source_author'),
  sourceVotes: integer('source_votes').notNull().default(0),
  theme: text('theme'),
})

export const contributionSupports = pgTable(
  'contribution_supports',
  {
    contributionId: uuid('contribution_id').notNull(),
    userId: uuid('user_id').notNull(),
    territoryId: uuid('territory_id').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.contributionId, t.userId] })],
)

export const contributionComments = pgTable('contribution_comments', {
  id: uuid('id').primaryKey().defaultRandom(),
  contributionId: uuid('contribution_id').notNull(),
  territoryId: uuid('territory_id').notNull(),
  parentId: uuid('parent_id'),
  authorId: uuid('author_id'),
  body: text('body').notNull(),
  createdAt: at('created_at').notNull().defaultNow(),
  hiddenAt: at('hidden_at'),
  hiddenReason: text('hidden_reason'),
  hiddenBy: uuid('hidden_by'),
})

export type ConsultationRow = typeof consultations.$inferSelect
export type ContributionRow = typeof contributions.$inferSelect

export const consultationChanges = pgTable('consultation_changes', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  consultationId: uuid('consultation_id').notNull(),
  territoryId: uuid('territory_id').notNull(),
  changedAt: timestamp('changed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  changes: jsonb('changes').notNull(),
  reason: text('reason').notNull().default(sql`''::text`),
})
