import { and, eq, isNull } from 'drizzle-orm'
import type { FastifyRequest } from 'fastify'
import type { Db } from '../db/index.ts'
import { forbidden, unauthorized } from '../errors.ts'
import { platformRoles, territoryRoles, users } from './tables.ts'

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
}

/** The signed-in person of a session, or null (no session, deleted account, or a session ended since). */
export async function loadCurrentUser(db: Db, userId: unknown, sessionVersion: unknown): Promise<CurrentUser | null> {
  if (typeof userId !== 'string' || typeof sessionVersion !== 'number') return null
  if (!/^[0-9a-f-]{36}$/.test(userId)) return null
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt)))
  if (!row || row.sessionVersion !== sessionVersion || !row.email || !row.displayName || !row.emailConfirmedAt) return null
  const [roles, networkRoles] = await Promise.all([
    db.select({ territoryId: territoryRoles.territoryId, role: territoryRoles.role }).from(territoryRoles).where(eq(territoryRoles.userId, row.id)),
    db.select({ role: platformRoles.role }).from(platformRoles).where(eq(platformRoles.userId, row.id)),
  ])
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
  }
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

/** Opens a session for this person (after sign-in). A fresh CSRF secret comes with it. */
export function startSession(req: FastifyRequest, user: { id: string; sessionVersion: number }): void {
  req.session.set('_csrf', undefined)
  req.session.set('uid', user.id)
  req.session.set('sv', user.sessionVersion)
}

/** Ends the session: the cookie is cleared. */
export function endSession(req: FastifyRequest): void {
  req.session.delete()
}
