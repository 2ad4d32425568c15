/** The kernel's own tables (the activity feed, the job queue, mail deliveries, import previews), as the migrations create them. */
import { sql } from 'drizzle-orm'
import { customType, bigint, boolean, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' })
export const activities = pgTable('activities', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  territoryId: uuid('territory_id').notNull(),
  subjects: text('subjects').array().notNull(),
  kind: text('kind').notNull(),
  title: text('title').notNull(),
  path: text('path').notNull(),
  actorId: uuid('actor_id'),
  source: text('source'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  sourceHidden: boolean('source_hidden').notNull().default(sql`false`),
})

export const jobs = pgTable('jobs', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  kind: text('kind').notNull(),
  payload: jsonb('payload').notNull().default(sql`'{}'::jsonb`),
  uniqueKey: text('unique_key'),
  runAt: timestamp('run_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  attempts: integer('attempts').notNull().default(sql`0`),
  lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
  lastError: text('last_error'),
  doneAt: timestamp('done_at', { withTimezone: true, mode: 'date' }),
  failedAt: timestamp('failed_at', { withTimezone: true, mode: 'date' }),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})

export const notificationDeliveries = pgTable('notification_deliveries', {
  userId: uuid('user_id').notNull(),
  activityId: bigint('activity_id', { mode: 'number' }).notNull(),
  channel: text('channel').notNull(),
  sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})

export const pendingImports = pgTable('pending_imports', {
  id: uuid('id').primaryKey().defaultRandom(),
  territoryId: uuid('territory_id'),
  userId: uuid('user_id').notNull(),
  kind: text('kind').notNull(),
  filename: text('filename').notNull(),
  bytes: bytea('bytes').notNull(),
  options: jsonb('options').notNull().default(sql`'{}'::jsonb`),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})

/** Who did what, when: every write that people rely on leaves one. */
export const auditEvents = pgTable('audit_events', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  territoryId: uuid('territory_id'),
  actorId: uuid('actor_id'),
  action: text('action').notNull(),
  subjectType: text('subject_type').notNull(),
  subjectId: text('subject_id'),
  before: jsonb('before'),
  after: jsonb('after'),
  at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})
