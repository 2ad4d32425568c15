import { and, eq, getTableColumns, getTableName, isNull } from 'drizzle-orm'
import type { FastifyRequest } from 'fastify'
import type { Db } from '../db/index.ts'
import type { ReadCache } from '../db/read-cache.ts'
import { forbidden, unauthorized } from '../errors.ts'
import { platformRoles, territoryRoles, users, type UserRow } from './tables.ts'

export type TerritoryRole = 'editor' | 'elected' | 'reviewer' | 'moderator'
export const TERRITORY_ROLES: readonly TerritoryRole[] = ['editor', 'elected', 'reviewer', 'moderator']
export type PlatformRole = 'referentiel_moderator'
export const PLATFORM_ROLES: readonly PlatformRole[] = ['referentiel_moderator']

export interface CurrentUser {
  id: string
  email: string
  displayName: string
  isPlatformAdmin: boolean
  locale: 'fr' | 'en'
  sessionVersion: number
  createdAt: Date
  roles: { territoryId: string; role: TerritoryRole }[]
  platformRoles: PlatformRole[]
  /** the public id of the session this person signed in with (null outside a web request) */
  sessionId: string | null
}

/** The person behind an account row with their roles, or null for a deleted, unconfirmed or incomplete account. */
export async function currentUserOf(
  db: Db,
  row: AccountRow | undefined,
  sessionId: string | null,
  reads?: ReadCache,
): Promise<CurrentUser | null> {
  if (!row || row.deletedAt || !row.email || !row.displayName || !row.emailConfirmedAt) return null
  const userId = row.id
  const load = () =>
    Promise.all([
      db
        .select({ territoryId: territoryRoles.territoryId, role: territoryRoles.role })
        .from(territoryRoles)
        .where(eq(territoryRoles.userId, userId)),
      db.select({ role: platformRoles.role }).from(platformRoles).where(eq(platformRoles.userId, userId)),
    ])
  // kept until a role is given or taken away
  const [roles, networkRoles] = reads
    ? await reads.read(`auth:roles ${userId}`, load, {
        tables: [getTableName(territoryRoles), getTableName(platformRoles)],
      })
    : await load()
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    isPlatformAdmin: row.isPlatformAdmin,
    locale: row.locale === 'en' ? 'en' : 'fr',
    sessionVersion: row.sessionVersion,
    createdAt: row.createdAt,
    roles: roles.map((r) => ({ territoryId: r.territoryId, role: r.role as TerritoryRole })),
    platformRoles: networkRoles.map((r) => r.role as PlatformRole),
    sessionId,
  }
}

/** An account's row without its password hash: what a request's authentication needs, and all it reads. */
export type AccountRow = Omit<UserRow, 'passwordHash'>

/** The columns of `AccountRow`, for a select. */
export const accountColumns = (() => {
  const { passwordHash: _left, ...columns } = getTableColumns(users)
  return columns
})()

/**
 * An account as the platform itself acts for it (demonstration data, the command line), or null when the account
 * is gone or its session version moved on. Web requests are authenticated by their session instead (sessions.ts).
 */
export async function loadCurrentUser(db: Db, userId: unknown, sessionVersion: unknown): Promise<CurrentUser | null> {
  if (typeof userId !== 'string' || typeof sessionVersion !== 'number') return null
  if (!/^[0-9a-f-]{36}$/.test(userId)) return null
  const [row] = await db
    .select(accountColumns)
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt)))
  if (!row || row.sessionVersion !== sessionVersion) return null
  return currentUserOf(db, row, null)
}

/** The signed-in person; throws 401 for a visitor. */
export function requireUser(req: FastifyRequest): CurrentUser {
  if (!req.user) throw unauthorized()
  return req.user
}

/** The signed-in platform administrator; throws 401 for a visitor, 403 for anyone else. */
export function requireAdmin(req: FastifyRequest): CurrentUser {
  const user = requireUser(req)
  if (!user.isPlatformAdmin) throw forbidden()
  return user
}

/** True when the person holds any role: their sessions then expire sooner (see sessions.ts). */
export function holdsRole(user: Pick<CurrentUser, 'isPlatformAdmin' | 'roles' | 'platformRoles'>): boolean {
  return user.isPlatformAdmin || user.roles.length > 0 || user.platformRoles.length > 0
}
