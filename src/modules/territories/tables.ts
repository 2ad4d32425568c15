import { integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

export const territories = pgTable('territories', {
  id: uuid('id').primaryKey().defaultRandom(),
  kind: text('kind').notNull(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  nameSearch: text('name_search').notNull(),
  epciNature: text('epci_nature'),
  zone: text('zone'),
  population: integer('population'),
  source: text('source').notNull(),
  retiredAt: at('retired_at'),
  createdAt: at('created_at').notNull().defaultNow(),
  updatedAt: at('updated_at').notNull().defaultNow(),
})

export const territoryParents = pgTable(
  'territory_parents',
  {
    territoryId: uuid('territory_id').notNull(),
    parentId: uuid('parent_id').notNull(),
  },
  (table) => [primaryKey({ columns: [table.territoryId, table.parentId] })],
)

export const territoryProfiles = pgTable('territory_profiles', {
  territoryId: uuid('territory_id').primaryKey(),
  presentation: text('presentation').notNull().default(''),
  website: text('website'),
  publicContactEmail: text('public_contact_email'),
  updatedBy: uuid('updated_by'),
  updatedAt: at('updated_at').notNull().defaultNow(),
})

export type TerritoryRow = typeof territories.$inferSelect
