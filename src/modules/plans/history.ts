import { createHash } from 'node:crypto'
import { asc, eq, sql } from 'drizzle-orm'
import type { Db } from '../../platform/db/index.ts'
import { historyEntries, historyHeads, type HistoryRow } from './tables.ts'

export const GENESIS_HASH = '0'.repeat(64)

/** JSON with object keys sorted at every level: the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

export interface ChainedFields {
  territoryId: string
  seq: number
  kind: string
  planId: string
  commitmentId: string
  milestoneId: string | null
  correctsId: string | null
  authorId: string | null
  recordedAt: Date
  content: unknown
}

/** SHA-256 of the previous hash and the entry's canonical content, hex. */
export function hashEntry(prevHash: string, entry: ChainedFields): string {
  const body = canonicalJson({
    territoryId: entry.territoryId,
    seq: entry.seq,
    kind: entry.kind,
    planId: entry.planId,
    commitmentId: entry.commitmentId,
    milestoneId: entry.milestoneId,
    correctsId: entry.correctsId,
    authorId: entry.authorId,
    recordedAt: entry.recordedAt.toISOString(),
    content: entry.content,
  })
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex')
}

export type NewHistoryEntry = Omit<ChainedFields, 'seq' | 'recordedAt'>

/**
 * Appends an entry to its territory's chain, inside the caller's transaction: locks the chain head (so
 * concurrent appends get consecutive numbers), hashes the entry with the previous hash, stores both.
 */
export async function appendHistory(tx: Db, entry: NewHistoryEntry): Promise<HistoryRow> {
  await tx.execute(sql`insert into history_heads (territory_id, last_seq, last_hash) values (${entry.territoryId}, 0, ${GENESIS_HASH}) on conflict do nothing`)
  const [head] = await tx.select().from(historyHeads).where(eq(historyHeads.territoryId, entry.territoryId)).for('update')
  if (!head) throw new Error('history head missing')
  // a JS date has milliseconds only, which timestamptz keeps exactly: what is stored is what was hashed
  const recordedAt = new Date()
  const chained: ChainedFields = { ...entry, seq: head.lastSeq + 1, recordedAt }
  const hash = hashEntry(head.lastHash, chained)
  const [row] = await tx
    .insert(historyEntries)
    .values({ ...chained, prevHash: head.lastHash, hash })
    .returning()
  await tx.update(historyHeads).set({ lastSeq: chained.seq, lastHash: hash }).where(eq(historyHeads.territoryId, entry.territoryId))
  return row!
}

export type ChainCheck =
  | { ok: true; entries: number; lastHash: string }
  | { ok: false; entries: number; brokenAt: number; reason: 'hash-mismatch' | 'previous-hash-mismatch' | 'sequence-gap' | 'head-mismatch' }

/** Recomputes a territory's chain from the start; names the first entry that does not hold. */
export async function verifyHistory(db: Db, territoryId: string): Promise<ChainCheck> {
  const rows = await db.select().from(historyEntries).where(eq(historyEntries.territoryId, territoryId)).orderBy(asc(historyEntries.seq))
  let previous = GENESIS_HASH
  for (const [index, row] of rows.entries()) {
    if (row.seq !== index + 1) return { ok: false, entries: rows.length, brokenAt: index + 1, reason: 'sequence-gap' }
    if (row.prevHash !== previous) return { ok: false, entries: rows.length, brokenAt: row.seq, reason: 'previous-hash-mismatch' }
    const expected = hashEntry(previous, { ...row, content: row.content })
    if (expected !== row.hash) return { ok: false, entries: rows.length, brokenAt: row.seq, reason: 'hash-mismatch' }
    previous = row.hash
  }
  const [head] = await db.select().from(historyHeads).where(eq(historyHeads.territoryId, territoryId))
  if (head && (head.lastSeq !== rows.length || head.lastHash !== previous)) {
    return { ok: false, entries: rows.length, brokenAt: rows.length + 1, reason: 'head-mismatch' }
  }
  return { ok: true, entries: rows.length, lastHash: previous }
}

const VERIFIED_TTL_MS = 10 * 60_000
const verified = new WeakMap<Db, Map<string, { check: ChainCheck & { at: Date }; headSeq: number; headHash: string; at: number }>>()

/**
 * The last verification of a territory's chain, for pages: recomputed when the chain has grown or after
 * ten minutes, since recomputing hundreds of hashes on every page view would cost more than the page.
 * The API endpoint and the command line always recompute (and refresh this).
 */
export async function recentHistoryCheck(db: Db, territoryId: string): Promise<ChainCheck & { at: Date }> {
  const [head] = await db.select().from(historyHeads).where(eq(historyHeads.territoryId, territoryId))
  const cache = verified.get(db)
  const hit = cache?.get(territoryId)
  if (hit && hit.headSeq === (head?.lastSeq ?? 0) && hit.headHash === (head?.lastHash ?? GENESIS_HASH) && Date.now() - hit.at < VERIFIED_TTL_MS) return hit.check
  return freshHistoryCheck(db, territoryId)
}

/** Verifies now, and remembers the result for pages. */
export async function freshHistoryCheck(db: Db, territoryId: string): Promise<ChainCheck & { at: Date }> {
  const check = { ...(await verifyHistory(db, territoryId)), at: new Date() }
  const [head] = await db.select().from(historyHeads).where(eq(historyHeads.territoryId, territoryId))
  if (!verified.has(db)) verified.set(db, new Map())
  verified.get(db)!.set(territoryId, { check, headSeq: head?.lastSeq ?? 0, headHash: head?.lastHash ?? GENESIS_HASH, at: Date.now() })
  return check
}
