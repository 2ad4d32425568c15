import { and, asc, count, desc, eq, isNull, sql } from 'drizzle-orm'
import { territoryRoles, users, type UserRow } from '../../platform/auth/tables.ts'
import type { Db } from '../../platform/db/index.ts'

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.email, email), isNull(users.deletedAt)))
  return row
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined
  const [row] = await db.select().from(users).where(eq(users.id, id))
  return row
}

export async function insertUser(db: Db, values: typeof users.$inferInsert): Promise<UserRow> {
  const [row] = await db.insert(users).values(values).returning()
  if (!row) throw new Error('insert returned no row')
  return row
}

export async function updateUser(db: Db, id: string, values: Partial<typeof users.$inferInsert>): Promise<void> {
  await db
    .update(users)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(users.id, id))
}

export interface RoleListing {
  territoryId: string
  role: string
  userId: string
  displayName: string
  email: string
  grantedAt: Date
}

/** Every role held, with the person; for the administrators' page. */
export async function listAllRoles(db: Db): Promise<RoleListing[]> {
  return db
    .select({
      territoryId: territoryRoles.territoryId,
      role: territoryRoles.role,
      userId: users.id,
      displayName: sql<string>`${users.displayName}`,
      email: sql<string>`${users.email}`,
      grantedAt: territoryRoles.grantedAt,
    })
    .from(territoryRoles)
    .innerJoin(users, eq(users.id, territoryRoles.userId))
    .where(isNull(users.deletedAt))
    .orderBy(asc(territoryRoles.territoryId), asc(users.displayName))
}

export async function insertRole(db: Db, values: typeof territoryRoles.$inferInsert): Promise<boolean> {
  const rows = await db
    .insert(territoryRoles)
    .values(values)
    .onConflictDoNothing()
    .returning({ userId: territoryRoles.userId })
  return rows.length > 0
}

export async function deleteRole(
  db: Db,
  where: { territoryId: string; userId: string; role: string },
): Promise<boolean> {
  const rows = await db
    .delete(territoryRoles)
    .where(
      and(
        eq(territoryRoles.territoryId, where.territoryId),
        eq(territoryRoles.userId, where.userId),
        eq(territoryRoles.role, where.role),
      ),
    )
    .returning({ userId: territoryRoles.userId })
  return rows.length > 0
}

export async function deleteRolesOfUser(db: Db, userId: string): Promise<number> {
  const rows = await db
    .delete(territoryRoles)
    .where(eq(territoryRoles.userId, userId))
    .returning({ role: territoryRoles.role })
  return rows.length
}

export async function listUsers(db: Db, limit: number) {
  const [total] = await db.select({ total: count() }).from(users).where(isNull(users.deletedAt))
  const rows = await db
    .select({
      id: users.id,
      email: users.email,
      displayName: users.displayName,
      isPlatformAdmin: users.isPlatformAdmin,
      emailConfirmedAt: users.emailConfirmedAt,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(isNull(users.deletedAt))
    .orderBy(desc(users.createdAt))
    .limit(limit)
  return { total: total?.total ?? 0, rows }
}
