/** The citizens' assemblies' tables, as the migrations create them (JSON columns typed where they are read). */
import { sql } from 'drizzle-orm'
import {
  customType,
  boolean,
  date,
  doublePrecision,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core'

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' })
export const assemblies = pgTable('assemblies', {
  id: uuid('id').primaryKey().defaultRandom(),
  territoryId: uuid('territory_id'),
  title: text('title').notNull(),
  purpose: text('purpose').notNull(),
  panelSize: integer('panel_size').notNull(),
  onePerHousehold: boolean('one_per_household').notNull().default(sql`false`),
  phase: text('phase').notNull().default(sql`'draft'::text`),
  majority: text('majority').notNull().default(sql`'simple'::text`),
  report: text('report'),
  reportPublishedAt: timestamp('report_published_at', { withTimezone: true, mode: 'date' }),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  contactRetentionDays: integer('contact_retention_days').notNull().default(sql`180`),
  quorumPercent: integer('quorum_percent').notNull().default(sql`50`),
})

export const assemblyQuotas = pgTable('assembly_quotas', {
  assemblyId: uuid('assembly_id').notNull(),
  territoryId: uuid('territory_id'),
  position: integer('position').notNull(),
  category: text('category').notNull(),
  feature: text('feature').notNull(),
  populationShare: numeric('population_share'),
  min: integer('min').notNull(),
  max: integer('max').notNull(),
})

export const assemblyVolunteers = pgTable('assembly_volunteers', {
  id: uuid('id').primaryKey().defaultRandom(),
  assemblyId: uuid('assembly_id').notNull(),
  territoryId: uuid('territory_id'),
  number: integer('number').notNull(),
  features: jsonb('features').notNull(),
  fullName: text('full_name').notNull(),
  email: text('email'),
  phone: text('phone'),
  address: text('address'),
  householdKey: text('household_key'),
  source: text('source').notNull(),
  consentAt: timestamp('consent_at', { withTimezone: true, mode: 'date' }).notNull(),
  withdrawnAt: timestamp('withdrawn_at', { withTimezone: true, mode: 'date' }),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  confirmedAt: timestamp('confirmed_at', { withTimezone: true, mode: 'date' }),
  locale: text('locale').notNull().default(sql`'fr'::text`),
  contactErasedAt: timestamp('contact_erased_at', { withTimezone: true, mode: 'date' }),
})

export const assemblyDraws = pgTable('assembly_draws', {
  assemblyId: uuid('assembly_id').primaryKey(),
  territoryId: uuid('territory_id'),
  poolSize: integer('pool_size').notNull(),
  leximin: jsonb('leximin').notNull(),
  legacy: jsonb('legacy').notNull(),
  lottery: jsonb('lottery').notNull(),
  lotteryDigest: text('lottery_digest').notNull(),
  panelCount: integer('panel_count').notNull(),
  maxDeviation: doublePrecision('max_deviation').notNull(),
  preparedAt: timestamp('prepared_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  randomnessKind: text('randomness_kind'),
  randomnessCommitment: text('randomness_commitment'),
  committedAt: timestamp('committed_at', { withTimezone: true, mode: 'date' }),
  randomness: text('randomness'),
  revealedAt: timestamp('revealed_at', { withTimezone: true, mode: 'date' }),
  drawnIndex: integer('drawn_index'),
})

export const assemblyMembers = pgTable('assembly_members', {
  id: uuid('id').primaryKey().defaultRandom(),
  assemblyId: uuid('assembly_id').notNull(),
  territoryId: uuid('territory_id'),
  volunteerId: uuid('volunteer_id').notNull(),
  userId: uuid('user_id'),
  status: text('status').notNull().default(sql`'active'::text`),
  replacementNumber: integer('replacement_number'),
  replaces: uuid('replaces'),
  droppedAt: timestamp('dropped_at', { withTimezone: true, mode: 'date' }),
  dropReason: text('drop_reason'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  replacementCandidates: text('replacement_candidates').array(),
})

export const assemblySessions = pgTable('assembly_sessions', {
  id: uuid('id').primaryKey().defaultRandom(),
  assemblyId: uuid('assembly_id').notNull(),
  territoryId: uuid('territory_id'),
  title: text('title').notNull(),
  startsOn: date('starts_on').notNull(),
  endsOn: date('ends_on').notNull(),
  place: text('place').notNull().default(sql`''::text`),
  programme: text('programme').notNull().default(sql`''::text`),
})

export const assemblyHearings = pgTable('assembly_hearings', {
  id: uuid('id').primaryKey().defaultRandom(),
  assemblyId: uuid('assembly_id').notNull(),
  territoryId: uuid('territory_id'),
  sessionId: uuid('session_id'),
  expert: text('expert').notNull(),
  affiliation: text('affiliation').notNull().default(sql`''::text`),
  topic: text('topic').notNull(),
  viewpoint: text('viewpoint').notNull().default(sql`''::text`),
  documents: text('documents').notNull().default(sql`''::text`),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})

export const assemblyGroups = pgTable('assembly_groups', {
  id: uuid('id').primaryKey().defaultRandom(),
  assemblyId: uuid('assembly_id').notNull(),
  territoryId: uuid('territory_id'),
  name: text('name').notNull(),
  mandate: text('mandate').notNull().default(sql`''::text`),
})

export const assemblyGroupMembers = pgTable('assembly_group_members', {
  groupId: uuid('group_id').notNull(),
  memberId: uuid('member_id').notNull(),
  territoryId: uuid('territory_id'),
})

export const assemblyProposals = pgTable('assembly_proposals', {
  id: uuid('id').primaryKey().defaultRandom(),
  assemblyId: uuid('assembly_id').notNull(),
  territoryId: uuid('territory_id'),
  groupId: uuid('group_id'),
  number: integer('number').notNull(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  status: text('status').notNull().default(sql`'drafted'::text`),
  version: integer('version').notNull().default(sql`1`),
  votesFor: integer('votes_for'),
  votesAgainst: integer('votes_against'),
  votesAbstain: integer('votes_abstain'),
  answer: text('answer'),
  answerText: text('answer_text'),
  answeredAt: timestamp('answered_at', { withTimezone: true, mode: 'date' }),
  commitmentId: uuid('commitment_id'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  theme: text('theme'),
  objective: text('objective'),
  sourceKey: text('source_key'),
  quorumPercent: integer('quorum_percent'),
  panelSizeAtClose: integer('panel_size_at_close'),
  quorumMet: boolean('quorum_met'),
})

export const assemblyAmendments = pgTable('assembly_amendments', {
  id: uuid('id').primaryKey().defaultRandom(),
  proposalId: uuid('proposal_id').notNull(),
  assemblyId: uuid('assembly_id').notNull(),
  territoryId: uuid('territory_id'),
  authorMemberId: uuid('author_member_id'),
  body: text('body').notNull(),
  reason: text('reason').notNull().default(sql`''::text`),
  basedOn: integer('based_on').notNull(),
  status: text('status').notNull().default(sql`'proposed'::text`),
  votesFor: integer('votes_for'),
  votesAgainst: integer('votes_against'),
  votesAbstain: integer('votes_abstain'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  quorumPercent: integer('quorum_percent'),
  panelSizeAtClose: integer('panel_size_at_close'),
  quorumMet: boolean('quorum_met'),
})

export const assemblySealedBallots = pgTable('assembly_sealed_ballots', {
  id: uuid('id').primaryKey().defaultRandom(),
  subjectId: uuid('subject_id').notNull(),
  territoryId: uuid('territory_id'),
  sealed: bytea('sealed').notNull(),
})

export const assemblyBallotVoters = pgTable('assembly_ballot_voters', {
  subjectId: uuid('subject_id').notNull(),
  memberId: uuid('member_id').notNull(),
  territoryId: uuid('territory_id'),
})

export const assemblyBallotCounts = pgTable('assembly_ballot_counts', {
  subjectId: uuid('subject_id').notNull(),
  choice: text('choice').notNull(),
  territoryId: uuid('territory_id'),
  count: integer('count').notNull().default(sql`0`),
})
