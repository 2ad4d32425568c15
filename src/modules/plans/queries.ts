import { asc, eq, inArray } from 'drizzle-orm'
import { users } from '../../platform/auth/tables.ts'
import type { Db } from '../../platform/db/index.ts'
import { historyEntries, milestones } from './tables.ts'

/** A commitment's history with what the page shows of each entry's author and milestone. */
export async function listHistoryWithNames(db: Db, commitmentId: string) {
  const rows = await db
    .select({
      entry: historyEntries,
      authorName: users.displayName,
      authorDeletedAt: users.deletedAt,
      milestoneTitle: milestones.title,
    })
    .from(historyEntries)
    .leftJoin(users, eq(users.id, historyEntries.authorId))
    .leftJoin(milestones, eq(milestones.id, historyEntries.milestoneId))
    .where(eq(historyEntries.commitmentId, commitmentId))
    .orderBy(asc(historyEntries.seq))
  return rows
}

/** Seq numbers of entries by id (for corrections pointing to earlier entries). */
export async function seqOfEntries(db: Db, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map()
  const rows = await db.select({ id: historyEntries.id, seq: historyEntries.seq }).from(historyEntries).where(inArray(historyEntries.id, ids))
  return new Map(rows.map((r) => [r.id, r.seq]))
}
