/** The Groupes Action Projet's tables, as the migrations create them. */
import { sql } from 'drizzle-orm'
import { date, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
export const actionGroups = pgTable('action_groups', {
  id: uuid('id').primaryKey().defaultRandom(),
  territoryId: uuid('territory_id').notNull(),
  commitmentId: uuid('commitment_id').notNull(),
  title: text('title').notNull(),
  purpose: text('purpose').notNull(),
  coordinatorId: uuid('coordinator_id'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})

export const actionGroupMembers = pgTable('action_group_members', {
  groupId: uuid('group_id').notNull(),
  userId: uuid('user_id').notNull(),
  territoryId: uuid('territory_id').notNull(),
  joinedAt: timestamp('joined_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  leftAt: timestamp('left_at', { withTimezone: true, mode: 'date' }),
})

export const actionGroupNotes = pgTable('action_group_notes', {
  id: uuid('id').primaryKey().defaultRandom(),
  groupId: uuid('group_id').notNull(),
  territoryId: uuid('territory_id').notNull(),
  authorId: uuid('author_id'),
  meetingDate: date('meeting_date').notNull(),
  body: text('body').notNull(),
  status: text('status').notNull().default(sql`'draft'::text`),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})

export const actionGroupActions = pgTable('action_group_actions', {
  id: uuid('id').primaryKey().defaultRandom(),
  groupId: uuid('group_id').notNull(),
  territoryId: uuid('territory_id').notNull(),
  title: text('title').notNull(),
  ownerId: uuid('owner_id'),
  dueDate: date('due_date'),
  status: text('status').notNull().default(sql`'todo'::text`),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})
