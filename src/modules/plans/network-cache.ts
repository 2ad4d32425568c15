import type { Db } from '../../platform/db/index.ts'

/**
 * The network overview aggregates every public plan (100,000+ milestones at national scale: seconds on
 * the embedded database), so it is computed once and shared: recomputed when this process changes a
 * public plan, or after a minute (changes made by other processes).
 */
const TTL_MS = 60_000
let generation = 0
const cache = new WeakMap<Db, { generation: number; at: number; value: Promise<unknown> }>()

/** Marks the network overview out of date (a public plan changed in this process). */
export function networkChanged(): void {
  generation += 1
}

/** The cached value, or `compute()` once for all callers waiting at the same time. */
export function cachedNetwork<T>(db: Db, compute: () => Promise<T>): Promise<T> {
  const hit = cache.get(db)
  if (hit && hit.generation === generation && Date.now() - hit.at < TTL_MS) return hit.value as Promise<T>
  const value = compute()
  cache.set(db, { generation, at: Date.now(), value })
  value.catch(() => cache.delete(db))
  return value
}
