/**
 * Reads that are the same for every request between two writes (a person's roles, a plan's tree), kept in memory
 * and dropped at the first committed write anywhere — the same data-change notices as the page cache, so that a
 * value is never older than the last write a request could know of. A value read while a write committed is not
 * kept; requests asking for a value being read share that read. Kept values are frozen: they are shared between
 * requests, and a caller that changed one would change it for everyone.
 */
import type { DataChangeWatch } from './index.ts'

interface Kept {
  version: number
  storedAt: number
  value: unknown
}

export class ReadCache {
  #version = 0
  readonly #kept = new Map<string, Kept>()
  readonly #reading = new Map<string, Promise<unknown>>()

  #watch: DataChangeWatch | null = null

  constructor(readonly options: { maxEntries: number; maxAgeMs: number; now?: () => number }) {}

  /** Starts keeping values, dropped at each change `watch` hears; until then every read is made. */
  watchWith(watch: DataChangeWatch): void {
    this.#watch = watch
  }

  /** Forgets every value: something they hold may have changed. */
  invalidate(): void {
    this.#version += 1
    this.#kept.clear()
    this.#reading.clear()
  }

  get size(): number {
    return this.#kept.size
  }

  /**
   * The value of `key`, kept since the last write, or read by `load` now (and kept when no write came meanwhile).
   * Keys start with the owner's name (`plans:dashboard <id>`): one key, one loader, one shape of value.
   */
  async read<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.#watch?.watching()) return load()
    await this.#watch.sync() // the notice of a write committed before this call has arrived by now
    const kept = this.#kept.get(key)
    const now = this.#now()
    if (kept && kept.version === this.#version && now - kept.storedAt <= this.options.maxAgeMs) {
      this.#kept.delete(key) // most recently used last: the first entries are the ones to evict
      this.#kept.set(key, kept)
      return kept.value as T
    }
    const version = this.#version
    const underway = this.#reading.get(`${version} ${key}`)
    if (underway) return underway as Promise<T>
    const reading = load().then((value) => {
      if (version === this.#version) this.#keep(key, { version, storedAt: now, value: deepFreeze(value) })
      return value
    })
    this.#reading.set(`${version} ${key}`, reading)
    try {
      return await reading
    } finally {
      this.#reading.delete(`${version} ${key}`)
    }
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
