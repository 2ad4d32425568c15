import { createHash } from 'node:crypto'
import { asc, eq, sql } from 'drizzle-orm'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { historyEntries, historyHeads, type HistoryRow } from './tables.ts'

export const GENESIS_HASH = '0'.repeat(64)

/**
 * JSON with object keys sorted at every level: the same content always gives the same text. For the values the
 * platform hashes (strings, integers, booleans, null, arrays, objects) this is RFC 8785's canonical form: keys in
 * UTF-16 code unit order, strings and numbers as ECMAScript's JSON.stringify writes them.
 */
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
  await tx.execute(
    sql`insert into history_heads (territory_id, last_seq, last_hash) values (${entry.territoryId}, 0, ${GENESIS_HASH}) on conflict do nothing`,
  )
  const [head] = await tx
    .select()
    .from(historyHeads)
    .where(eq(historyHeads.territoryId, entry.territoryId))
    .for('update')
  if (!head) throw new Error('history head missing')
  // a JS date has milliseconds only, which timestamptz keeps exactly: what is stored is what was hashed
  const recordedAt = new Date()
  const chained: ChainedFields = { ...entry, seq: head.lastSeq + 1, recordedAt }
  const hash = hashEntry(head.lastHash, chained)
  const [row] = await tx
    .insert(historyEntries)
    .values({ ...chained, prevHash: head.lastHash, hash })
    .returning()
  await tx
    .update(historyHeads)
    .set({ lastSeq: chained.seq, lastHash: hash })
    .where(eq(historyHeads.territoryId, entry.territoryId))
  return row!
}

export type ChainFailure =
  | 'hash-mismatch'
  | 'previous-hash-mismatch'
  | 'sequence-gap'
  | 'head-mismatch'
  | 'head-missing'
  | 'published-head-missing'
  | 'kept-head-missing'

export type ChainCheck =
  | { ok: true; entries: number; lastHash: string }
  | { ok: false; entries: number; brokenAt: number; reason: ChainFailure }

/** A chain head as the public feed gives it, and as anyone may keep it to check the chain later. */
export interface PublishedHead {
  territory: string
  sequence: number
  hash: string
  publishedAt: string
  /** digest of the territory's previous publication, or null */
  previous: string | null
}

/** SHA-256 of a published head's canonical JSON (RFC 8785): the feed entry's own digest. */
export function headDigest(head: PublishedHead): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        territory: head.territory,
        sequence: head.sequence,
        hash: head.hash,
        publishedAt: head.publishedAt,
        previous: head.previous,
      }),
    )
    .digest('hex')
}

/**
 * Recomputes a territory's chain from the start and names the first entry that does not hold. The chain must end at
 * its head row, and hold every head the platform published (a truncation with the head row adjusted shows there)
 * and `kept`, a head someone kept from the feed (which shows it even if the feed itself was altered).
 */
export async function verifyHistory(
  db: Db,
  territoryId: string,
  kept: Pick<PublishedHead, 'sequence' | 'hash'>[] = [],
): Promise<ChainCheck> {
  const rows = await db
    .select()
    .from(historyEntries)
    .where(eq(historyEntries.territoryId, territoryId))
    .orderBy(asc(historyEntries.seq))
  let previous = GENESIS_HASH
  for (const [index, row] of rows.entries()) {
    if (row.seq !== index + 1) return { ok: false, entries: rows.length, brokenAt: index + 1, reason: 'sequence-gap' }
    if (row.prevHash !== previous)
      return { ok: false, entries: rows.length, brokenAt: row.seq, reason: 'previous-hash-mismatch' }
    const expected = hashEntry(previous, { ...row, content: row.content })
    if (expected !== row.hash) return { ok: false, entries: rows.length, brokenAt: row.seq, reason: 'hash-mismatch' }
    previous = row.hash
  }
  const [head] = await db.select().from(historyHeads).where(eq(historyHeads.territoryId, territoryId))
  if (!head && rows.length > 0)
    return { ok: false, entries: rows.length, brokenAt: rows.length, reason: 'head-missing' }
  if (head && (head.lastSeq !== rows.length || head.lastHash !== previous)) {
    return { ok: false, entries: rows.length, brokenAt: rows.length + 1, reason: 'head-mismatch' }
  }
  const published = await queryRows<{ seq: number; hash: string }>(
    db,
    sql`select seq, hash from history_head_publications where territory_id = ${territoryId} order by seq`,
  )
  for (const p of published)
    if (rows[p.seq - 1]?.hash !== p.hash)
      return { ok: false, entries: rows.length, brokenAt: p.seq, reason: 'published-head-missing' }
  for (const k of kept)
    if (rows[k.sequence - 1]?.hash !== k.hash)
      return { ok: false, entries: rows.length, brokenAt: k.sequence, reason: 'kept-head-missing' }
  return { ok: true, entries: rows.length, lastHash: previous }
}

/** How often at most a territory's head is published, when its chain grew. */
export const HEAD_PUBLICATION_INTERVAL_MS = 3600_000

/**
 * Publishes the head of every chain that grew since its last publication, if that is older than the interval: one
 * dated row each in the append-only feed, chained to the territory's previous one. Returns how many were published.
 */
export async function publishHistoryHeads(
  db: Db,
  now = new Date(),
  intervalMs = HEAD_PUBLICATION_INTERVAL_MS,
): Promise<number> {
  const due = await queryRows<{
    territoryId: string
    ref: string
    lastSeq: number
    lastHash: string
    previous: string | null
  }>(
    db,
    sql`select h.territory_id as "territoryId", t.kind || '/' || t.code as ref, h.last_seq as "lastSeq", h.last_hash as "lastHash", p.digest as previous
        from history_heads h join public_territories t on t.id = h.territory_id
        left join lateral (select seq, digest, published_at from history_head_publications where territory_id = h.territory_id order by seq desc limit 1) p on true
        where h.last_seq > 0 and h.last_seq > coalesce(p.seq, 0) and (p.published_at is null or p.published_at <= ${new Date(now.getTime() - intervalMs).toISOString()}::timestamptz)`,
  )
  for (const row of due) {
    const head: PublishedHead = {
      territory: row.ref,
      sequence: row.lastSeq,
      hash: row.lastHash,
      publishedAt: now.toISOString(),
      previous: row.previous,
    }
    await db.execute(sql`insert into history_head_publications (territory_id, seq, hash, published_at, previous, digest)
      values (${row.territoryId}, ${head.sequence}, ${head.hash}, ${head.publishedAt}::timestamptz, ${head.previous}, ${headDigest(head)}) on conflict do nothing`)
  }
  return due.length
}

/** The published heads, newest first: of one territory, or of all. */
export async function listPublishedHeads(
  db: Db,
  options: { territoryId?: string; limit?: number; after?: string } = {},
): Promise<(PublishedHead & { digest: string })[]> {
  // keyset: the publications that come after the one with digest `after` in this order
  const after = options.after
    ? sql`(p.published_at, p.digest) < (select published_at, digest from history_head_publications where digest = ${options.after})`
    : sql`true`
  const rows = await queryRows<{
    ref: string
    seq: number
    hash: string
    publishedAt: Date | string
    previous: string | null
    digest: string
  }>(
    db,
    sql`select t.kind || '/' || t.code as ref, p.seq, p.hash, p.published_at as "publishedAt", p.previous, p.digest
        from history_head_publications p join public_territories t on t.id = p.territory_id
        where ${options.territoryId ? sql`p.territory_id = ${options.territoryId}` : sql`true`} and ${after}
        order by p.published_at desc, p.digest desc limit ${options.limit ?? 100}`,
  )
  return rows.map((r) => ({
    territory: r.ref,
    sequence: r.seq,
    hash: r.hash,
    publishedAt: new Date(r.publishedAt).toISOString(),
    previous: r.previous,
    digest: r.digest,
  }))
}

const VERIFIED_TTL_MS = 10 * 60_000
const verified = new WeakMap<
  Db,
  Map<string, { check: ChainCheck & { at: Date }; headSeq: number; headHash: string; at: number }>
>()

/**
 * The last verification of a territory's chain, for pages: recomputed when the chain has grown or after
 * ten minutes, since recomputing hundreds of hashes on every page view would cost more than the page.
 * The API endpoint and the command line always recompute (and refresh this).
 */
export async function recentHistoryCheck(db: Db, territoryId: string): Promise<ChainCheck & { at: Date }> {
  const [head] = await db.select().from(historyHeads).where(eq(historyHeads.territoryId, territoryId))
  const cache = verified.get(db)
  const hit = cache?.get(territoryId)
  if (
    hit &&
    hit.headSeq === (head?.lastSeq ?? 0) &&
    hit.headHash === (head?.lastHash ?? GENESIS_HASH) &&
    Date.now() - hit.at < VERIFIED_TTL_MS
  )
    return hit.check
  return freshHistoryCheck(db, territoryId)
}

/** Verifies now, and remembers the result for pages. */
export async function freshHistoryCheck(db: Db, territoryId: string): Promise<ChainCheck & { at: Date }> {
  const check = { ...(await verifyHistory(db, territoryId)), at: new Date() }
  const [head] = await db.select().from(historyHeads).where(eq(historyHeads.territoryId, territoryId))
  if (!verified.has(db)) verified.set(db, new Map())
  verified
    .get(db)!
    .set(territoryId, { check, headSeq: head?.lastSeq ?? 0, headHash: head?.lastHash ?? GENESIS_HASH, at: Date.now() })
  return check
}
