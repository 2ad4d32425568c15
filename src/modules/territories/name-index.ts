/**
 * The territory name search in memory: every territory of the registry with its searchable name, and the trigrams
 * of those names (as pg_trgm makes them) pointing back to the names that hold them. Searching it costs about a
 * millisecond where the trigram operators cost tens to hundreds (PGlite runs them in WebAssembly), and the
 * registry is seldom written: the index is read once and kept until `territories` or `territory_parents` change.
 * It finds what `queries.searchTerritories` finds, ranked the same way; the few differences are in how close
 * a near-miss is (pg_trgm approximates the best word window, this computes it).
 */
import { asc, eq } from 'drizzle-orm'
import type { Db } from '../../platform/db/index.ts'
import type { ReadCache } from '../../platform/db/read-cache.ts'
import { type SearchTerritoriesOptions, type TerritorySummary, toSummary } from './queries.ts'
import { territories, territoryParents } from './tables.ts'

/** pg_trgm's defaults: `%` is similarity ≥ 0.3, `<%` word similarity ≥ 0.6 */
const SIMILARITY_THRESHOLD = 0.3
const WORD_SIMILARITY_THRESHOLD = 0.6

/** Trigrams of a normalised text, in order, each word padded as pg_trgm pads it ("  w "), with word bounds. */
function trigramsOf(text: string): { trigrams: string[]; wordStart: boolean[]; wordEnd: boolean[] } {
  const trigrams: string[] = []
  const wordStart: boolean[] = []
  const wordEnd: boolean[] = []
  for (const word of text.split(' ')) {
    if (!word) continue
    const padded = `  ${word} `
    for (let i = 0; i + 3 <= padded.length; i++) {
      trigrams.push(padded.slice(i, i + 3))
      wordStart.push(i === 0)
      wordEnd.push(i + 3 === padded.length)
    }
  }
  return { trigrams, wordStart, wordEnd }
}

interface QueryTrigrams {
  /** how many distinct trigrams the query has, known to the index or not */
  distinct: number
  /** the ids of those the index knows */
  ids: Set<number>
  known: number[]
}

interface IndexedName {
  summary: TerritorySummary
  nameSearch: string
  /** ids of the name's trigrams, in order (repeats kept) */
  trigrams: Int32Array
  /** 1 where a word starts, 2 where it ends (both for one-letter words) */
  bounds: Uint8Array
  distinctTrigrams: number
}

export class TerritoryNameIndex {
  readonly #names: IndexedName[]
  readonly #trigramIds = new Map<string, number>()
  /** for each trigram id, the names (their index in #names) holding it, each once */
  readonly #postings: Int32Array[]
  readonly #collator = new Intl.Collator('fr')

  constructor(entries: { summary: TerritorySummary; nameSearch: string }[]) {
    const holders: number[][] = []
    this.#names = entries.map(({ summary, nameSearch }, position) => {
      const { trigrams, wordStart, wordEnd } = trigramsOf(nameSearch)
      const ids = new Int32Array(trigrams.length)
      const bounds = new Uint8Array(trigrams.length)
      const distinct = new Set<number>()
      trigrams.forEach((trigram, i) => {
        let id = this.#trigramIds.get(trigram)
        if (id === undefined) {
          id = holders.length
          this.#trigramIds.set(trigram, id)
          holders.push([])
        }
        ids[i] = id
        bounds[i] = (wordStart[i] ? 1 : 0) | (wordEnd[i] ? 2 : 0)
        if (!distinct.has(id)) {
          distinct.add(id)
          holders[id]!.push(position)
        }
      })
      return { summary, nameSearch, trigrams: ids, bounds, distinctTrigrams: distinct.size }
    })
    this.#postings = holders.map((list) => Int32Array.from(list))
  }

  get size(): number {
    return this.#names.length
  }

  /** The territories `queries.searchTerritories` finds for the same options, in its order. */
  search(options: SearchTerritoriesOptions): { total: number; items: TerritorySummary[] } {
    const q = options.nameQuery
    const code = options.codeQuery?.toUpperCase() ?? null
    const wanted = (name: IndexedName) => !options.kind || name.summary.kind === options.kind
    const contained = new Set<number>()
    const matches: number[] = []
    this.#names.forEach((name, position) => {
      if (!wanted(name)) return
      const inName = name.nameSearch.includes(q)
      if (inName) contained.add(position)
      if (inName || (code !== null && name.summary.code.startsWith(code))) matches.push(position)
    })
    const query = this.#queryTrigrams(q)
    const closeness = new Map<number, number>()
    // near-misses only when the text as typed fills less than a page, as in the query
    if (matches.length < options.limit) {
      const found = new Set(matches)
      for (const [position, score] of this.#nearMisses(query))
        if (!found.has(position) && wanted(this.#names[position]!)) {
          found.add(position)
          matches.push(position)
          closeness.set(position, score)
        }
    }
    // closeness orders what the text as typed does not find (near-misses, codes): the names holding it come first
    for (const position of matches)
      if (!contained.has(position) && !closeness.has(position))
        closeness.set(position, this.#closeness(query, this.#names[position]!))
    const rankOf = (name: IndexedName) =>
      name.summary.code === (code ?? '')
        ? 0
        : name.nameSearch === q
          ? 1
          : name.nameSearch.startsWith(q)
            ? 2
            : name.nameSearch.includes(` ${q}`)
              ? 3
              : 4
    const keyed = matches.map((position) => {
      const name = this.#names[position]!
      return { position, name, rank: rankOf(name), closeness: closeness.get(position) ?? 0 }
    })
    keyed.sort(
      (a, b) =>
        a.rank - b.rank ||
        b.closeness - a.closeness ||
        Number(a.name.summary.retired) - Number(b.name.summary.retired) ||
        (b.name.summary.population ?? 0) - (a.name.summary.population ?? 0) ||
        this.#collator.compare(a.name.summary.name, b.name.summary.name),
    )
    return {
      total: keyed.length,
      items: keyed.slice(options.offset, options.offset + options.limit).map((entry) => entry.name.summary),
    }
  }

  /** Names like the query (similarity ≥ 0.3 or word similarity ≥ 0.6), with their closeness. */
  #nearMisses(query: QueryTrigrams): Map<number, number> {
    const shared = new Map<number, number>()
    for (const id of query.known)
      for (const position of this.#postings[id]!) shared.set(position, (shared.get(position) ?? 0) + 1)
    const found = new Map<number, number>()
    for (const [position, common] of shared) {
      const name = this.#names[position]!
      const similarity = common / (query.distinct + name.distinctTrigrams - common)
      // a window of the name shares at most `common` trigrams: below the threshold whatever the window
      const near =
        similarity >= SIMILARITY_THRESHOLD ||
        (common / query.distinct >= WORD_SIMILARITY_THRESHOLD &&
          this.#wordSimilarity(query, name, false) >= WORD_SIMILARITY_THRESHOLD)
      if (near) found.set(position, similarity + this.#wordSimilarity(query, name, true))
    }
    return found
  }

  #closeness(query: QueryTrigrams, name: IndexedName): number {
    let common = 0
    const seen = new Set<number>()
    for (const id of name.trigrams)
      if (!seen.has(id)) {
        seen.add(id)
        if (query.ids.has(id)) common += 1
      }
    if (common === 0) return 0
    return common / (query.distinct + name.distinctTrigrams - common) + this.#wordSimilarity(query, name, true)
  }

  #queryTrigrams(q: string): QueryTrigrams {
    const distinct = new Set(trigramsOf(q).trigrams)
    const ids = new Set<number>()
    for (const trigram of distinct) {
      const id = this.#trigramIds.get(trigram)
      if (id !== undefined) ids.add(id)
    }
    return { distinct: distinct.size, ids, known: [...ids] }
  }

  /**
   * The best similarity between the query and a run of the name's trigrams: any run, or (strict) runs of whole
   * words — pg_trgm's word_similarity and strict_word_similarity.
   */
  #wordSimilarity(query: QueryTrigrams, name: IndexedName, strict: boolean): number {
    let best = 0
    const { trigrams, bounds } = name
    for (let low = 0; low < trigrams.length; low++) {
      if (strict && !(bounds[low]! & 1)) continue
      const inRun = new Set<number>()
      let common = 0
      for (let high = low; high < trigrams.length; high++) {
        const id = trigrams[high]!
        if (!inRun.has(id)) {
          inRun.add(id)
          if (query.ids.has(id)) common += 1
        }
        if (strict && !(bounds[high]! & 2)) continue
        const similarity = common / (query.distinct + inRun.size - common)
        if (similarity > best) best = similarity
      }
    }
    return best
  }
}

/** Every territory, with the codes of its départements, as the index holds them. */
export async function loadNameIndex(db: Db): Promise<TerritoryNameIndex> {
  const [rows, departementLinks] = await Promise.all([
    db
      .select({
        id: territories.id,
        kind: territories.kind,
        code: territories.code,
        name: territories.name,
        nameSearch: territories.nameSearch,
        epciNature: territories.epciNature,
        zone: territories.zone,
        population: territories.population,
        retiredAt: territories.retiredAt,
      })
      .from(territories),
    db
      .select({ territoryId: territoryParents.territoryId, code: territories.code })
      .from(territoryParents)
      .innerJoin(territories, eq(territories.id, territoryParents.parentId))
      .where(eq(territories.kind, 'departement'))
      .orderBy(asc(territories.code)),
  ])
  const departements = new Map<string, string[]>()
  for (const link of departementLinks) {
    const list = departements.get(link.territoryId)
    if (list) list.push(link.code)
    else departements.set(link.territoryId, [link.code])
  }
  return new TerritoryNameIndex(
    rows.map((row) => ({
      nameSearch: row.nameSearch,
      summary: toSummary({ ...row, departements: departements.get(row.id) ?? [] }),
    })),
  )
}

/** The kept reads of each database the web application serves (bound when the module registers). */
const keptReads = new WeakMap<Db, ReadCache>()

export function keepNameIndexWith(db: Db, reads: ReadCache): void {
  keptReads.set(db, reads)
}

/**
 * The index kept for `db`, or null where nothing is kept (a command line, a transaction, a lost watch): the
 * search then asks the database, rather than read 36,000 territories for one search.
 */
export async function keptNameIndex(db: Db): Promise<TerritoryNameIndex | null> {
  const reads = keptReads.get(db)
  if (!reads?.keeping()) return null
  return reads.read('territories:name-index', () => loadNameIndex(db), {
    tables: ['territories', 'territory_parents'],
    maxAgeMs: 3_600_000,
  })
}
