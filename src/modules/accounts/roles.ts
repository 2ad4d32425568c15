/** Roles: a person's roles in a territory, and the platform's administrators and moderators. */
import { and, eq } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import {
  PLATFORM_ROLES,
  TERRITORY_ROLES,
  type CurrentUser,
  type PlatformRole,
  type TerritoryRole,
} from '../../platform/auth/current-user.ts'
import { hashPassword } from '../../platform/auth/passwords.ts'
import { endSessions } from '../../platform/auth/sessions.ts'
import { platformRoles, users, type UserRow } from '../../platform/auth/tables.ts'
import { pgErrorCode, type Db } from '../../platform/db/index.ts'
import { AppError, forbidden } from '../../platform/errors.ts'
import { findTerritoryByRef } from '../territories/index.ts'
import * as queries from './queries.ts'

import { type AccountDeps, passwordResetLink } from './service.ts'
export function isTerritoryRole(value: string): value is TerritoryRole {
  return (TERRITORY_ROLES as readonly string[]).includes(value)
}

export interface RoleChange {
  email: string
  territoryRef: string
  role: TerritoryRole
}

async function resolveRoleChange(db: Db, input: RoleChange) {
  const user = await queries.findUserByEmail(db, input.email)
  if (!user)
    throw new AppError('USER_NOT_FOUND', {
      status: 422,
      userMessage: input.email,
      fields: { email: 'admin.error.userNotFound' },
    })
  const territory = await findTerritoryByRef(db, input.territoryRef)
  if (!territory) {
    throw new AppError('TERRITORY_NOT_FOUND', {
      status: 422,
      userMessage: input.territoryRef,
      fields: { territoryRef: 'admin.error.territoryNotFound' },
    })
  }
  return { user, territory }
}

/** Grants a role in a territory (platform administrators, or the command line with a null actor). Returns false if already held. */
export async function grantRole(db: Db, actor: CurrentUser | null, input: RoleChange): Promise<boolean> {
  if (actor && !actor.isPlatformAdmin) throw forbidden()
  const { user, territory } = await resolveRoleChange(db, input)
  const granted = db.transaction(async (tx) => {
    const added = await queries.insertRole(tx, {
      territoryId: territory.id,
      userId: user.id,
      role: input.role,
      grantedBy: actor?.id ?? null,
    })
    if (added) {
      await recordAudit(tx, {
        actorId: actor?.id ?? null,
        territoryId: territory.id,
        action: 'role.granted',
        subjectType: 'user',
        subjectId: user.id,
        after: { role: input.role },
      })
    }
    return added
  })
  try {
    return await granted
  } catch (error) {
    // the database keeps reviewers independent (migration 0038)
    if (pgErrorCode(error) !== 'TH001') throw error
    throw new AppError('REVIEWER_NOT_INDEPENDENT', {
      status: 422,
      userMessage: input.email,
      fields: { email: 'assess.error.isReviewer' },
    })
  }
}

/** Revokes a role in a territory (platform administrators). Returns false if it was not held. */
export async function revokeRole(db: Db, actor: CurrentUser | null, input: RoleChange): Promise<boolean> {
  if (actor && !actor.isPlatformAdmin) throw forbidden()
  const { user, territory } = await resolveRoleChange(db, input)
  return db.transaction(async (tx) => {
    const removed = await queries.deleteRole(tx, { territoryId: territory.id, userId: user.id, role: input.role })
    if (removed) {
      await recordAudit(tx, {
        actorId: actor?.id ?? null,
        territoryId: territory.id,
        action: 'role.revoked',
        subjectType: 'user',
        subjectId: user.id,
        before: { role: input.role },
      })
    }
    return removed
  })
}

export function isPlatformRole(value: string): value is PlatformRole {
  return (PLATFORM_ROLES as readonly string[]).includes(value)
}

/** Grants or revokes a network-wide role (platform administrators, or the command line). Returns false when nothing changed. */
export async function setPlatformRole(
  db: Db,
  actor: CurrentUser | null,
  input: { email: string; role: PlatformRole; granted: boolean },
): Promise<boolean> {
  if (actor && !actor.isPlatformAdmin) throw forbidden()
  const user = await queries.findUserByEmail(db, input.email)
  if (!user)
    throw new AppError('USER_NOT_FOUND', {
      status: 422,
      userMessage: input.email,
      fields: { email: 'admin.error.userNotFound' },
    })
  return db.transaction(async (tx) => {
    const changed = input.granted
      ? await tx
          .insert(platformRoles)
          .values({ userId: user.id, role: input.role, grantedBy: actor?.id ?? null })
          .onConflictDoNothing()
          .returning({ userId: platformRoles.userId })
      : await tx
          .delete(platformRoles)
          .where(and(eq(platformRoles.userId, user.id), eq(platformRoles.role, input.role)))
          .returning({ userId: platformRoles.userId })
    if (changed.length > 0) {
      await recordAudit(tx, {
        actorId: actor?.id ?? null,
        action: input.granted ? 'platform_role.granted' : 'platform_role.revoked',
        subjectType: 'user',
        subjectId: user.id,
        after: { role: input.role },
      })
    }
    return changed.length > 0
  })
}

/** Holders of network-wide roles, for the administration page. */
export async function listPlatformRoles(db: Db) {
  return db
    .select({
      role: platformRoles.role,
      email: users.email,
      displayName: users.displayName,
      grantedAt: platformRoles.grantedAt,
    })
    .from(platformRoles)
    .innerJoin(users, eq(users.id, platformRoles.userId))
    .orderBy(platformRoles.role, users.email)
}

/**
 * Makes a platform administrator (the command line's admin:create): creates the account, confirmed, if
 * the address has none, else promotes it. Without a password, returns a link to choose one.
 */
export async function ensureAdministrator(
  deps: AccountDeps,
  input: { email: string; displayName: string; password: string | null },
): Promise<{ user: UserRow; created: boolean; passwordLink: string | null }> {
  const existing = await queries.findUserByEmail(deps.db, input.email)
  const passwordHash = input.password ? await hashPassword(input.password) : null
  const user = await deps.db.transaction(async (tx) => {
    if (existing) {
      await queries.updateUser(tx, existing.id, {
        isPlatformAdmin: true,
        emailConfirmedAt: existing.emailConfirmedAt ?? new Date(),
        ...(passwordHash ? { passwordHash, sessionVersion: existing.sessionVersion + 1 } : {}),
      })
      if (passwordHash) await endSessions(tx, existing.id)
      await recordAudit(tx, {
        actorId: null,
        action: 'account.made_admin',
        subjectType: 'user',
        subjectId: existing.id,
      })
      return (await queries.findUserById(tx, existing.id))!
    }
    const created = await queries.insertUser(tx, {
      email: input.email,
      displayName: input.displayName,
      passwordHash,
      isPlatformAdmin: true,
      emailConfirmedAt: new Date(),
    })
    await recordAudit(tx, {
      actorId: null,
      action: 'account.created_admin',
      subjectType: 'user',
      subjectId: created.id,
      after: { displayName: created.displayName },
    })
    return created
  })
  return { user, created: !existing, passwordLink: input.password ? null : passwordResetLink(deps, user) }
}
