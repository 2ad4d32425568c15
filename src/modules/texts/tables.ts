/** The co-constructed texts' tables, as the migrations create them. */
import { sql } from 'drizzle-orm'
import { boolean, date, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
export const cocreatedTexts = pgTable('cocreated_texts', {
  id: uuid('id').primaryKey().defaultRandom(),
  territoryId: uuid('territory_id').notNull(),
  title: text('title').notNull(),
  summary: text('summary').notNull().default(sql`''::text`),
  opensOn: date('opens_on').notNull(),
  closesOn: date('closes_on').notNull(),
  commitmentId: uuid('commitment_id'),
  status: text('status').notNull().default(sql`'draft'::text`),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})

export const textVersions = pgTable('text_versions', {
  textId: uuid('text_id').notNull(),
  number: integer('number').notNull(),
  territoryId: uuid('territory_id').notNull(),
  isFinal: boolean('is_final').notNull().default(sql`false`),
  note: text('note').notNull().default(sql`''::text`),
  publishedBy: uuid('published_by'),
  publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
})

export const textArticles = pgTable('text_articles', {
  id: uuid('id').primaryKey().defaultRandom(),
  textId: uuid('text_id').notNull(),
  territoryId: uuid('territory_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})

export const textArticleVersions = pgTable('text_article_versions', {
  textId: uuid('text_id').notNull(),
  number: integer('number').notNull(),
  articleId: uuid('article_id').notNull(),
  territoryId: uuid('territory_id').notNull(),
  position: integer('position').notNull(),
  heading: text('heading').notNull(),
  body: text('body').notNull(),
})

export const textAmendments = pgTable('text_amendments', {
  id: uuid('id').primaryKey().defaultRandom(),
  textId: uuid('text_id').notNull(),
  articleId: uuid('article_id').notNull(),
  territoryId: uuid('territory_id').notNull(),
  authorId: uuid('author_id'),
  baseVersion: integer('base_version').notNull(),
  proposedBody: text('proposed_body').notNull(),
  justification: text('justification').notNull(),
  votesFor: integer('votes_for').notNull().default(sql`0`),
  votesAgainst: integer('votes_against').notNull().default(sql`0`),
  decision: text('decision'),
  decisionReason: text('decision_reason'),
  decidedIn: integer('decided_in'),
  decidedBy: uuid('decided_by'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  hiddenAt: timestamp('hidden_at', { withTimezone: true, mode: 'date' }),
  hiddenReason: text('hidden_reason'),
  hiddenBy: uuid('hidden_by'),
})

export const textAmendmentVotes = pgTable('text_amendment_votes', {
  amendmentId: uuid('amendment_id').notNull(),
  userId: uuid('user_id').notNull(),
  territoryId: uuid('territory_id').notNull(),
  inFavour: boolean('in_favour').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})
