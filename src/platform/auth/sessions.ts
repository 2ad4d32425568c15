import { createHash, randomBytes } from 'node:crypto'
import { and, desc, eq, getTableName, lt, ne, or, sql } from 'drizzle-orm'
import type { FastifyRequest } from 'fastify'
import type { Db } from '../db/index.ts'
import type { ReadCache } from '../db/read-cache.ts'
import { accountColumns, currentUserOf, holdsRole, type CurrentUser } from './current-user.ts'
import { userSessions, users } from './tables.ts'

/**
 * Sessions held on the server. The encrypted session cookie carries a random secret (`sid`); the table keeps its
 * SHA-256, so a copy of the database opens no session. Signing out deletes the row: a copy of the cookie taken
 * before is worth nothing after. A session ends after a time without use — 12 hours for anyone holding a role
 * (staff, elected officials, reviewers, moderators, the network's team), 14 days for others — and 30 days after it
 * began in any case (ASVS 3.3).
 */

export const IDLE_WITH_ROLE_MS = 12 * 3600 * 1000
export const IDLE_MS = 14 * 24 * 3600 * 1000
export const ABSOLUTE_MS = 30 * 24 * 3600 * 1000
/** last_seen_at is written at most this often, not on every request */
const TOUCH_MS = 5 * 60 * 1000

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex')

/** A short description of a browser and system from its User-Agent ("Firefox, Linux"), for the list of devices. */
export function describeDevice(userAgent: string | undefined): string {
  const ua = userAgent ?? ''
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrome\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : /curl|wget|node|python/i.test(ua)
            ? 'script'
            : ''
  const system = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : ''
  return [browser, system].filter(Boolean).join(', ').slice(0, 100)
}

/** Opens a session for this person (after sign-in): a new secret, a fresh CSRF secret, the row on the server. */
export async function openSession(db: Db, req: FastifyRequest, userId: string): Promise<void> {
  const token = randomBytes(32).toString('base64url')
  await db
    .insert(userSessions)
    .values({ tokenHash: hashOf(token), userId, device: describeDevice(req.headers['user-agent']) })
  req.session.set('_csrf', undefined)
  req.session.set('sid', token)
}

/** The person of the request's session, or null (no session, ended, expired, or the account is gone). */
export async function sessionUser(
  db: Db,
  token: unknown,
  options: { now?: Date; reads?: ReadCache } = {},
): Promise<CurrentUser | null> {
  const now = options.now ?? new Date()
  if (typeof token !== 'string' || token.length < 32 || token.length > 100) return null
  const tokenHash = hashOf(token)
  const load = async () => {
    const [found] = await db
      .select({ session: userSessions, user: accountColumns }) // never the password hash (half the read on PGlite)
      .from(userSessions)
      .innerJoin(users, eq(users.id, userSessions.userId))
      .where(eq(userSessions.tokenHash, tokenHash))
    return found
  }
  // kept until a session or an account is written (a sign-out anywhere drops it); an unknown token is not kept
  const row = options.reads
    ? await options.reads.read(`auth:session ${tokenHash}`, load, {
        tables: [getTableName(userSessions), getTableName(users)],
        keepIf: (found) => found !== undefined,
      })
    : await load()
  if (!row) return null
  const user = await currentUserOf(db, row.user, row.session.id, options.reads)
  const idle = now.getTime() - row.session.lastSeenAt.getTime()
  if (
    !user ||
    idle > (holdsRole(user) ? IDLE_WITH_ROLE_MS : IDLE_MS) ||
    now.getTime() - row.session.createdAt.getTime() > ABSOLUTE_MS
  ) {
    await db.delete(userSessions).where(eq(userSessions.id, row.session.id))
    return null
  }
  if (idle > TOUCH_MS) await db.update(userSessions).set({ lastSeenAt: now }).where(eq(userSessions.id, row.session.id))
  return user
}

/** Ends the request's session: its row is deleted and the cookie cleared. */
export async function closeSession(db: Db, req: FastifyRequest): Promise<void> {
  const token = req.session.get('sid')
  if (typeof token === 'string') await db.delete(userSessions).where(eq(userSessions.tokenHash, hashOf(token)))
  req.session.delete()
}

/** Ends every session of an account, or all but one (`except`, a session's public id). Returns how many ended. */
export async function endSessions(db: Db, userId: string, options: { except?: string | null } = {}): Promise<number> {
  const ended = await db
    .delete(userSessions)
    .where(and(eq(userSessions.userId, userId), options.except ? ne(userSessions.id, options.except) : undefined))
    .returning({ id: userSessions.id })
  return ended.length
}

/** Ends one session of an account by its public id; false when it is not one of theirs. */
export async function endSession(db: Db, userId: string, sessionId: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(sessionId)) return false
  const ended = await db
    .delete(userSessions)
    .where(and(eq(userSessions.id, sessionId), eq(userSessions.userId, userId)))
    .returning({ id: userSessions.id })
  return ended.length > 0
}

export interface SessionListing {
  id: string
  device: string
  createdAt: Date
  lastSeenAt: Date
}

/** An account's open sessions, the most recently used first. */
export async function listSessions(db: Db, userId: string): Promise<SessionListing[]> {
  return db
    .select({
      id: userSessions.id,
      device: userSessions.device,
      createdAt: userSessions.createdAt,
      lastSeenAt: userSessions.lastSeenAt,
    })
    .from(userSessions)
    .where(eq(userSessions.userId, userId))
    .orderBy(desc(userSessions.lastSeenAt))
}

/** Deletes sessions past their longest lifetime (the shorter idle limit of role holders is applied when used). */
export async function pruneSessions(db: Db, now = new Date()): Promise<void> {
  await db
    .delete(userSessions)
    .where(
      or(
        lt(userSessions.lastSeenAt, new Date(now.getTime() - IDLE_MS)),
        lt(userSessions.createdAt, new Date(now.getTime() - ABSOLUTE_MS)),
      ),
    )
  await db.execute(
    sql`delete from signin_throttle where last_failure_at < ${new Date(now.getTime() - 24 * 3600 * 1000).toISOString()}::timestamptz`,
  )
}
