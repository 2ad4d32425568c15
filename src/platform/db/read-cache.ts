/**
 * Reads that are the same for every request between two writes (a person's roles, a plan's tree), kept in memory
 * and dropped at the first committed write anywhere — the same data-change notices as the page cache, so that a
 * value is never older than the last write a request could know of. A value read while a write committed is not
 * kept; requests asking for a value being read share that read. Kept values are frozen: they are shared between
 * requests, and a caller that changed one would change it for everyone.
 */
import type { DataChangeWatch } from './index.ts'

interface Kept {
  /** what the value was read under: the change counters it depends on, as they were when its read began */
  stamp: string
  tables: readonly string[] | null
  storedAt: number
  maxAgeMs: number
  value: unknown
}

export interface ReadOptions<T = unknown> {
  /**
   * The tables the value is read from: a write to another table keeps it. Without, any write drops it. For values
   * costly to read from tables seldom written (the territory registry behind the name search).
   */
  tables?: readonly string[]
  /** overrides the cache's maximum age, for values that do not depend on the clock */
  maxAgeMs?: number
  /** whether this value is kept (not a miss, say, that anyone could fill memory with) */
  keepIf?: (value: T) => boolean
}

export class ReadCache {
  /** bumped at every change */
  #anyChange = 0
  /** bumped at a change of unknown tables (a lost watch, a test): every value is dropped */
  #allChange = 0
  readonly #tableChanges = new Map<string, number>()
  readonly #kept = new Map<string, Kept>()
  readonly #reading = new Map<string, Promise<unknown>>()

  #watch: DataChangeWatch | null = null

  constructor(readonly options: { maxEntries: number; maxAgeMs: number; now?: () => number }) {}

  /** Starts keeping values, dropped at each change `watch` hears; until then every read is made. */
  watchWith(watch: DataChangeWatch): void {
    this.#watch = watch
  }

  /** Forgets the values read from `table`, and those that named no table; without a table, every value. */
  invalidate(table?: string | null): void {
    this.#anyChange += 1
    if (!table) {
      this.#allChange += 1
      this.#kept.clear()
      this.#reading.clear()
      return
    }
    this.#tableChanges.set(table, (this.#tableChanges.get(table) ?? 0) + 1)
    for (const [key, kept] of this.#kept) if (!kept.tables || kept.tables.includes(table)) this.#kept.delete(key)
  }

  /** False while writes cannot be heard (no watch, a lost connection): every read is then made anew. */
  keeping(): boolean {
    return this.#watch?.watching() ?? false
  }

  get size(): number {
    return this.#kept.size
  }

  /**
   * The value of `key`, kept since the last write, or read by `load` now (and kept when no write came meanwhile).
   * Keys start with the owner's name (`plans:dashboard <id>`): one key, one loader, one shape of value.
   */
  async read<T>(key: string, load: () => Promise<T>, options: ReadOptions<T> = {}): Promise<T> {
    if (!this.#watch?.watching()) return load()
    await this.#watch.sync() // the notice of a write committed before this call has arrived by now
    const tables = options.tables ?? null
    const stamp = this.#stamp(tables)
    const kept = this.#kept.get(key)
    const now = this.#now()
    if (kept && kept.stamp === stamp && now - kept.storedAt <= kept.maxAgeMs) {
      this.#kept.delete(key) // most recently used last: the first entries are the ones to evict
      this.#kept.set(key, kept)
      return kept.value as T
    }
    const underway = this.#reading.get(`${stamp} ${key}`)
    if (underway) return underway as Promise<T>
    const reading = load().then((value) => {
      if (stamp === this.#stamp(tables) && (options.keepIf?.(value) ?? true))
        this.#keep(key, {
          stamp,
          tables,
          storedAt: now,
          maxAgeMs: options.maxAgeMs ?? this.options.maxAgeMs,
          value: deepFreeze(value),
        })
      return value
    })
    this.#reading.set(`${stamp} ${key}`, reading)
    try {
      return await reading
    } finally {
      this.#reading.delete(`${stamp} ${key}`)
    }
  }

  #stamp(tables: readonly string[] | null): string {
    if (!tables) return `${this.#anyChange}`
    return `${this.#allChange}/${tables.map((table) => this.#tableChanges.get(table) ?? 0).join(',')}`
  }

  #keep(key: string, kept: Kept) {
    this.#kept.delete(key)
    this.#kept.set(key, kept)
    for (const oldest of this.#kept.keys()) {
      if (this.#kept.size <= this.options.maxEntries) break
      this.#kept.delete(oldest)
    }
  }

  #now() {
    return this.options.now?.() ?? Date.now()
  }
}

function deepFreeze<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value) || depth > 32) return value
  if (ArrayBuffer.isView(value)) return value // bytes cannot be frozen
  Object.freeze(value)
  if (value instanceof Map || value instanceof Set) for (const inner of value.values()) deepFreeze(inner, depth + 1)
  else if (!(value instanceof Date)) for (const inner of Object.values(value)) deepFreeze(inner, depth + 1)
  return value
}
