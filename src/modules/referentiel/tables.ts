import { boolean, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import type { FicheContent } from './content.ts'

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

/** A fiche; its content columns hold the published version only (see the migration). */
export const fiches = pgTable('referentiel_fiches', {
  id: uuid('id').primaryKey().defaultRandom(),
  kind: text('kind').notNull(),
  slug: text('slug').notNull(),
  sourceKey: text('source_key'),
  createdBy: uuid('created_by'),
  createdAt: at('created_at').notNull().defaultNow(),
  publishedVersion: integer('published_version'),
  firstPublishedAt: at('first_published_at'),
  publishedAt: at('published_at'),
  featured: boolean('featured').notNull().default(false),
  title: text('title'),
  summary: text('summary'),
  body: text('body'),
  content: jsonb('content').$type<FicheContent>(),
  subtype: text('subtype'),
  themes: text('themes').array().notNull().default([]),
  methodTypes: text('method_types').array().notNull().default([]),
  iap2: text('iap2'),
  result: text('result'),
  institution: text('institution'),
  institutionKind: text('institution_kind'),
  territoryId: uuid('territory_id'),
  departmentCodes: text('department_codes').array().notNull().default([]),
  regionCodes: text('region_codes').array().notNull().default([]),
  commitmentId: uuid('commitment_id'),
  licence: text('licence'),
  searchExtra: text('search_extra').notNull().default(''),
  /** what the source said at the last import (null for a fiche written here) */
  sourceContent: jsonb('source_content').$type<FicheContent>(),
})

export const versions = pgTable('referentiel_versions', {
  id: uuid('id').primaryKey().defaultRandom(),
  ficheId: uuid('fiche_id').notNull(),
  number: integer('number').notNull(),
  status: text('status').notNull(),
  content: jsonb('content').$type<FicheContent>().notNull(),
  authorId: uuid('author_id'),
  createdAt: at('created_at').notNull().defaultNow(),
  updatedAt: at('updated_at').notNull().defaultNow(),
  submittedAt: at('submitted_at'),
  reviewerId: uuid('reviewer_id'),
  reviewedAt: at('reviewed_at'),
  reviewNote: text('review_note'),
  publishedAt: at('published_at'),
  baseNumber: integer('base_number'),
})

export const links = pgTable(
  'referentiel_links',
  {
    fromId: uuid('from_id').notNull(),
    toId: uuid('to_id').notNull(),
    relation: text('relation').notNull(),
  },
  (t) => [primaryKey({ columns: [t.fromId, t.relation, t.toId] })],
)

export type FicheRow = typeof fiches.$inferSelect
export type VersionRow = typeof versions.$inferSelect

export const referentielImportConflicts = pgTable('referentiel_import_conflicts', {
  id: uuid('id').primaryKey().defaultRandom(),
  ficheId: uuid('fiche_id').notNull(),
  field: text('field').notNull(),
  sourceValue: jsonb('source_value'),
  localValue: jsonb('local_value'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  resolvedAt: timestamp('resolved_at', { withTimezone: true, mode: 'date' }),
  resolvedBy: uuid('resolved_by'),
  resolution: text('resolution'),
})
