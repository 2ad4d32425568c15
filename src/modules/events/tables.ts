/** The events' tables, as the migrations create them. */
import { sql } from 'drizzle-orm'
import { integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
export const events = pgTable('events', {
  id: uuid('id').primaryKey().defaultRandom(),
  territoryId: uuid('territory_id'),
  kind: text('kind').notNull(),
  title: text('title').notNull(),
  description: text('description').notNull().default(sql`''::text`),
  startsAt: timestamp('starts_at', { withTimezone: true, mode: 'date' }).notNull(),
  endsAt: timestamp('ends_at', { withTimezone: true, mode: 'date' }).notNull(),
  place: text('place').notNull().default(sql`''::text`),
  onlineUrl: text('online_url'),
  audience: text('audience').notNull().default(sql`''::text`),
  capacity: integer('capacity'),
  status: text('status').notNull().default(sql`'scheduled'::text`),
  cancellationReason: text('cancellation_reason'),
  minutes: text('minutes'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})

export const eventRegistrations = pgTable('event_registrations', {
  eventId: uuid('event_id').notNull(),
  userId: uuid('user_id').notNull(),
  status: text('status').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  remindedAt: timestamp('reminded_at', { withTimezone: true, mode: 'date' }),
})
