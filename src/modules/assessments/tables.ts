import { boolean, date, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

export const planReviewers = pgTable(
  'plan_reviewers',
  {
    planId: uuid('plan_id').notNull(),
    territoryId: uuid('territory_id').notNull(),
    userId: uuid('user_id').notNull(),
    appointedBy: uuid('appointed_by'),
    appointedAt: at('appointed_at').notNull().defaultNow(),
    conflictsDeclaredAt: at('conflicts_declared_at'),
    hasConflict: boolean('has_conflict'),
    conflictsStatement: text('conflicts_statement').notNull().default(''),
    revokedAt: at('revoked_at'),
  },
  (t) => [primaryKey({ columns: [t.planId, t.userId] })],
)

export const assessments = pgTable('assessments', {
  id: uuid('id').primaryKey().defaultRandom(),
  territoryId: uuid('territory_id').notNull(),
  planId: uuid('plan_id').notNull(),
  moment: text('moment').notNull(),
  status: text('status').notNull().default('draft'),
  source: text('source').notNull().default('platform'),
  cocreationLevel: text('cocreation_level'),
  cocreationJustification: text('cocreation_justification').notNull().default(''),
  summary: text('summary').notNull().default(''),
  sentAt: at('sent_at'),
  replyDue: date('reply_due', { mode: 'string' }),
  territoryReply: text('territory_reply'),
  replyBy: uuid('reply_by'),
  repliedAt: at('replied_at'),
  publishedAt: at('published_at'),
  publishedBy: uuid('published_by'),
  createdBy: uuid('created_by'),
  createdAt: at('created_at').notNull().defaultNow(),
  updatedAt: at('updated_at').notNull().defaultNow(),
})

export type Relevance = Record<string, { relevant: boolean; justification: string }>

export const commitmentAssessments = pgTable(
  'commitment_assessments',
  {
    assessmentId: uuid('assessment_id').notNull(),
    commitmentId: uuid('commitment_id').notNull(),
    territoryId: uuid('territory_id').notNull(),
    verifiable: boolean('verifiable'),
    verifiableJustification: text('verifiable_justification').notNull().default(''),
    relevance: jsonb('relevance').$type<Relevance>().notNull().default({}),
    potentialImpact: text('potential_impact'),
    /** the IRM's newer scale for action-plan reviews (imported only) */
    potentialResults: text('potential_results'),
    impactJustification: text('impact_justification').notNull().default(''),
    completion: text('completion'),
    completionJustification: text('completion_justification').notNull().default(''),
    diogOverall: text('diog_overall'),
    diogValues: jsonb('diog_values').$type<Record<string, string>>().notNull().default({}),
    diogJustification: text('diog_justification').notNull().default(''),
    earlyResults: text('early_results').notNull().default(''),
    lessons: text('lessons').notNull().default(''),
    recommendations: text('recommendations').notNull().default(''),
    evidenceLinks: text('evidence_links').array().notNull().default([]),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.assessmentId, t.commitmentId] })],
)

export const assessmentErrata = pgTable('assessment_errata', {
  id: uuid('id').primaryKey().defaultRandom(),
  assessmentId: uuid('assessment_id').notNull(),
  territoryId: uuid('territory_id').notNull(),
  commitmentId: uuid('commitment_id'),
  text: text('text').notNull(),
  authorId: uuid('author_id'),
  createdAt: at('created_at').notNull().defaultNow(),
})

export type AssessmentRow = typeof assessments.$inferSelect
export type CommitmentAssessmentRow = typeof commitmentAssessments.$inferSelect
export type ReviewerRow = typeof planReviewers.$inferSelect
