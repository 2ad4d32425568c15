import { date, integer, jsonb, numeric, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

export const actionPlans = pgTable('action_plans', {
  id: uuid('id').primaryKey().defaultRandom(),
  territoryId: uuid('territory_id').notNull(),
  title: text('title').notNull(),
  periodStart: date('period_start', { mode: 'string' }).notNull(),
  periodEnd: date('period_end', { mode: 'string' }).notNull(),
  cocreationSummary: text('cocreation_summary').notNull().default(''),
  status: text('status').notNull().default('draft'),
  version: integer('version').notNull().default(1),
  createdBy: uuid('created_by'),
  createdAt: at('created_at').notNull().defaultNow(),
  updatedAt: at('updated_at').notNull().defaultNow(),
  submittedAt: at('submitted_at'),
  validatedAt: at('validated_at'),
  validatedBy: uuid('validated_by'),
  publishedAt: at('published_at'),
  closedAt: at('closed_at'),
  /** where an imported plan came from (`ogp-plan:AP_FRA01`): a re-import updates it */
  sourceKey: text('source_key'),
})

export const commitments = pgTable('commitments', {
  id: uuid('id').primaryKey().defaultRandom(),
  territoryId: uuid('territory_id').notNull(),
  planId: uuid('plan_id').notNull(),
  position: integer('position').notNull(),
  title: text('title').notNull(),
  problem: text('problem').notNull().default(''),
  description: text('description').notNull().default(''),
  contribution: text('contribution').notNull().default(''),
  ogpValues: text('ogp_values').array().notNull().default([]),
  expectedImpacts: text('expected_impacts').notNull().default(''),
  leadActor: text('lead_actor').notNull().default(''),
  supportingActors: text('supporting_actors').notNull().default(''),
  themes: text('themes').array().notNull().default([]),
  startDate: date('start_date', { mode: 'string' }),
  endDate: date('end_date', { mode: 'string' }),
  budgetEur: numeric('budget_eur'),
  deliberationUrl: text('deliberation_url'),
  /** set by hand only when milestones cannot say it: en_pause, bloque, abandonne; else the status is derived */
  heldStatus: text('held_status'),
  heldReason: text('held_reason'),
  heldAt: at('held_at'),
  version: integer('version').notNull().default(1),
  /** where an imported commitment came from (`ogp:FR0001`, `decidim:result/12`, `thc:<id>`), and its page there */
  sourceKey: text('source_key'),
  sourceUrl: text('source_url'),
  createdAt: at('created_at').notNull().defaultNow(),
  updatedAt: at('updated_at').notNull().defaultNow(),
})

export const milestones = pgTable('milestones', {
  id: uuid('id').primaryKey().defaultRandom(),
  territoryId: uuid('territory_id').notNull(),
  commitmentId: uuid('commitment_id').notNull(),
  position: integer('position').notNull(),
  title: text('title').notNull(),
  deliverable: text('deliverable').notNull().default(''),
  startDate: date('start_date', { mode: 'string' }),
  dueDate: date('due_date', { mode: 'string' }).notNull(),
  responsible: text('responsible').notNull().default(''),
  weight: numeric('weight'),
  status: text('status').notNull().default('non_commence'),
  progress: integer('progress').notNull().default(0),
  completedOn: date('completed_on', { mode: 'string' }),
  version: integer('version').notNull().default(1),
  sourceKey: text('source_key'),
  createdAt: at('created_at').notNull().defaultNow(),
  updatedAt: at('updated_at').notNull().defaultNow(),
})

export const historyEntries = pgTable('history_entries', {
  id: uuid('id').primaryKey().defaultRandom(),
  territoryId: uuid('territory_id').notNull(),
  seq: integer('seq').notNull(),
  kind: text('kind').notNull(),
  planId: uuid('plan_id').notNull(),
  commitmentId: uuid('commitment_id').notNull(),
  milestoneId: uuid('milestone_id'),
  correctsId: uuid('corrects_id'),
  authorId: uuid('author_id'),
  recordedAt: at('recorded_at').notNull(),
  content: jsonb('content').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
})

export const historyHeads = pgTable('history_heads', {
  territoryId: uuid('territory_id').primaryKey(),
  lastSeq: integer('last_seq').notNull(),
  lastHash: text('last_hash').notNull(),
})

export const evidenceFiles = pgTable('evidence_files', {
  id: uuid('id').primaryKey().defaultRandom(),
  territoryId: uuid('territory_id').notNull(),
  sha256: text('sha256').notNull(),
  filename: text('filename').notNull(),
  contentType: text('content_type').notNull(),
  sizeBytes: integer('size_bytes').notNull(),
  uploadedBy: uuid('uploaded_by'),
  uploadedAt: at('uploaded_at').notNull().defaultNow(),
})

export type PlanRow = typeof actionPlans.$inferSelect
export type CommitmentRow = typeof commitments.$inferSelect
export type MilestoneRow = typeof milestones.$inferSelect
export type HistoryRow = typeof historyEntries.$inferSelect

export const historyHeadPublications = pgTable('history_head_publications', {
  territoryId: uuid('territory_id').notNull(),
  seq: integer('seq').notNull(),
  hash: text('hash').notNull(),
  publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }).notNull(),
  previous: text('previous'),
  digest: text('digest').notNull(),
})
