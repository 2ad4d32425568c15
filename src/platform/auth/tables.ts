import { boolean, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

/** Accounts. Identity and per-territory roles are kernel concerns: every module authorises through them. */
export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email'),
  displayName: text('display_name'),
  passwordHash: text('password_hash'),
  emailConfirmedAt: at('email_confirmed_at'),
  isPlatformAdmin: boolean('is_platform_admin').notNull().default(false),
  locale: text('locale').notNull().default('fr'),
  sessionVersion: integer('session_version').notNull().default(1),
  createdAt: at('created_at').notNull().defaultNow(),
  updatedAt: at('updated_at').notNull().defaultNow(),
  lastSigninAt: at('last_signin_at'),
  deletedAt: at('deleted_at'),
})

export const territoryRoles = pgTable(
  'territory_roles',
  {
    territoryId: uuid('territory_id').notNull(),
    userId: uuid('user_id').notNull(),
    role: text('role').notNull(),
    grantedBy: uuid('granted_by'),
    grantedAt: at('granted_at').notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.territoryId, table.userId, table.role] })],
)

export type UserRow = typeof users.$inferSelect

/** Sessions on the server: the cookie names one by a secret whose SHA-256 is the token hash. */
export const userSessions = pgTable('user_sessions', {
  id: uuid('id').primaryKey().defaultRandom(),
  tokenHash: text('token_hash').notNull(),
  userId: uuid('user_id').notNull(),
  createdAt: at('created_at').notNull().defaultNow(),
  lastSeenAt: at('last_seen_at').notNull().defaultNow(),
  device: text('device').notNull().default(''),
})

/** Roles over the whole network rather than one territory (the référentiel's moderators). */
export const platformRoles = pgTable(
  'platform_roles',
  {
    userId: uuid('user_id').notNull(),
    role: text('role').notNull(),
    grantedBy: uuid('granted_by'),
    grantedAt: at('granted_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.role] })],
)

export const signinThrottle = pgTable('signin_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  lastFailureAt: timestamp('last_failure_at', { withTimezone: true, mode: 'date' }).notNull(),
  blockedUntil: timestamp('blocked_until', { withTimezone: true, mode: 'date' }),
})
