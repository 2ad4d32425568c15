import { date, integer, numeric, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

export const contributionGrid = pgTable(
  'contribution_grid',
  {
    territoryKind: text('territory_kind').notNull(),
    populationMin: integer('population_min').notNull(),
    populationMax: integer('population_max'),
    supportLevel: text('support_level').notNull(),
    amountEur: numeric('amount_eur').notNull(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.territoryKind, table.populationMin, table.supportLevel] })],
)

export const memberships = pgTable('programme_memberships', {
  id: uuid('id').primaryKey().defaultRandom(),
  territoryId: uuid('territory_id').notNull(),
  requestedScope: text('requested_scope').notNull(),
  status: text('status').notNull().default('candidate'),
  contactName: text('contact_name').notNull(),
  contactEmail: text('contact_email').notNull(),
  contactRole: text('contact_role').notNull().default(''),
  politicalCommitment: text('political_commitment').notNull(),
  signatory: text('signatory').notNull(),
  requestedBy: uuid('requested_by'),
  requestedAt: at('requested_at').notNull().defaultNow(),
  decidedBy: uuid('decided_by'),
  decidedAt: at('decided_at'),
  decisionNote: text('decision_note').notNull().default(''),
  conventionStart: date('convention_start', { mode: 'string' }),
  conventionEnd: date('convention_end', { mode: 'string' }),
  conventionDocumentUrl: text('convention_document_url'),
  supportLevel: text('support_level'),
  contributionEur: numeric('contribution_eur'),
  leftAt: at('left_at'),
  version: integer('version').notNull().default(1),
  updatedAt: at('updated_at').notNull().defaultNow(),
})

export type MembershipRow = typeof memberships.$inferSelect
export type GridRow = typeof contributionGrid.$inferSelect
