/**
 * The territory name search in memory: every territory of the registry with its searchable name, and the trigrams
 * of those names (as pg_trgm makes them) pointing back to the names that hold them. Searching it costs about a
 * millisecond where the trigram operators cost tens to hundreds (PGlite runs them in WebAssembly), and the
 * registry is seldom written: the index is read once and kept until `territories` or `territory_parents` change.
 * It finds what `queries.searchTerritories` finds, ranked the same way; the few differences are in how close
 * a near-miss is (pg_trgm approximates the best word window, this computes it).
 */
import { asc, eq, getTableName } from 'drizzle-orm'
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

interface IndexedName {
  summary: TerritorySummary
  nameSearch: string
  /** ids of the name's trigrams, in order (repeats kept) */
  trigrams: Int32Array
  /** 1 where a word starts, 2 where it ends (both for one-letter words) */
  bounds: Uint8Array
  distinctTrigrams: number
}

interface Match {
  position: number
  rank: number
  closeness: number
}

export class TerritoryNameIndex {
  readonly #names: IndexedName[]
  readonly #trigramIds = new Map<string, number>()
  /** for each trigram id, the names (their index in #names) holding it, each once */
  readonly #postings: Int32Array[]
  /** each name's place when all else is equal: in use first, most populated first, then by name */
  readonly #tieOrder: Int32Array
  /** the names' positions by code, for code prefixes */
  readonly #byCode: Int32Array
  // working memory of one search (searches run one at a time: they never await)
  readonly #shared: Int32Array
  readonly #inQuery: Uint8Array
  readonly #seen: Int32Array
  #stamp = 0

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
    const positions = this.#names.map((_, position) => position)
    const collator = new Intl.Collator('fr')
    const tied = [...positions].sort((a, b) => {
      const [x, y] = [this.#names[a]!.summary, this.#names[b]!.summary]
      return (
        Number(x.retired) - Number(y.retired) ||
        (y.population ?? 0) - (x.population ?? 0) ||
        collator.compare(x.name, y.name)
      )
    })
    this.#tieOrder = new Int32Array(positions.length)
    tied.forEach((position, place) => {
      this.#tieOrder[position] = place
    })
    const codeOf = (position: number) => this.#names[position]!.summary.code
    this.#byCode = Int32Array.from(
      positions.sort((a, b) => (codeOf(a) < codeOf(b) ? -1 : codeOf(a) > codeOf(b) ? 1 : 0)),
    )
    this.#shared = new Int32Array(this.#names.length)
    this.#inQuery = new Uint8Array(holders.length)
    this.#seen = new Int32Array(holders.length)
  }

  get size(): number {
    return this.#names.length
  }

  /** The territories `queries.searchTerritories` finds for the same options, in its order. */
  search(options: SearchTerritoriesOptions): { total: number; items: TerritorySummary[] } {
    const q = options.nameQuery
    const code = options.codeQuery?.toUpperCase() ?? null
    const wanted = (position: number) => !options.kind || this.#names[position]!.summary.kind === options.kind
    const queryTrigrams = new Set(trigramsOf(q).trigrams)
    const queryIds: number[] = []
    for (const trigram of queryTrigrams) {
      const id = this.#trigramIds.get(trigram)
      if (id !== undefined) queryIds.push(id)
    }
    for (const id of queryIds) this.#inQuery[id] = 1
    try {
      const query = { distinct: queryTrigrams.size, ids: queryIds }
      const contained = new Set(this.#containing(q).filter(wanted))
      const matches = new Map<number, Match>()
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
      for (const position of contained)
        matches.set(position, { position, rank: rankOf(this.#names[position]!), closeness: 0 })
      // closeness orders what the text as typed does not find (codes, near-misses): the names holding it come first
      if (code !== null)
        for (const position of this.#withCodePrefix(code))
          if (!matches.has(position) && wanted(position))
            matches.set(position, { position, rank: rankOf(this.#names[position]!), closeness: -1 })
      // near-misses only when the text as typed fills less than a page, as in the query
      const nearMisses = matches.size < options.limit ? this.#nearMisses(query) : new Map<number, number>()
      for (const [position, closeness] of nearMisses)
        if (!matches.has(position) && wanted(position))
          matches.set(position, { position, rank: rankOf(this.#names[position]!), closeness })
      for (const match of matches.values())
        if (match.closeness < 0)
          match.closeness = nearMisses.get(match.position) ?? this.#closeness(query, this.#names[match.position]!)
      const ranked = [...matches.values()].sort(
        (a, b) =>
          a.rank - b.rank || b.closeness - a.closeness || this.#tieOrder[a.position]! - this.#tieOrder[b.position]!,
      )
      return {
        total: ranked.length,
        items: ranked
          .slice(options.offset, options.offset + options.limit)
          .map((match) => this.#names[match.position]!.summary),
      }
    } finally {
      for (const id of queryIds) this.#inQuery[id] = 0
    }
  }

  /** The names holding the text: those holding its rarest three letters, or all names when it has none. */
  #containing(q: string): number[] {
    let rarest: Int32Array | null = null
    for (const word of q.split(' '))
      for (let i = 0; i + 3 <= word.length; i++) {
        const id = this.#trigramIds.get(word.slice(i, i + 3))
        if (id === undefined) return [] // no name holds these letters together
        const holders = this.#postings[id]!
        if (!rarest || holders.length < rarest.length) rarest = holders
      }
    const found: number[] = []
    const among = rarest ?? this.#names.keys()
    for (const position of among) if (this.#names[position]!.nameSearch.includes(q)) found.push(position)
    return found
  }

  #withCodePrefix(prefix: string): number[] {
    const codeAt = (i: number) => this.#names[this.#byCode[i]!]!.summary.code
    let low = 0
    let high = this.#byCode.length
    while (low < high) {
      const middle = (low + high) >> 1
      if (codeAt(middle) < prefix) low = middle + 1
      else high = middle
    }
    const found: number[] = []
    for (let i = low; i < this.#byCode.length && codeAt(i).startsWith(prefix); i++) found.push(this.#byCode[i]!)
    return found
  }

  /** Names like the query (similarity ≥ 0.3 or word similarity ≥ 0.6), with their closeness. */
  #nearMisses(query: QueryTrigrams): Map<number, number> {
    const touched: number[] = []
    for (const id of query.ids)
      for (const position of this.#postings[id]!) {
        if (this.#shared[position] === 0) touched.push(position)
        this.#shared[position]! += 1
      }
    const found = new Map<number, number>()
    for (const position of touched) {
      const common = this.#shared[position]!
      this.#shared[position] = 0
      const name = this.#names[position]!
      const similarity = common / (query.distinct + name.distinctTrigrams - common)
      // a run of the name shares at most `common` trigrams: below the threshold whatever the run
      const near =
        similarity >= SIMILARITY_THRESHOLD ||
        (common / query.distinct >= WORD_SIMILARITY_THRESHOLD &&
          this.#runSimilarity(query, name, false) >= WORD_SIMILARITY_THRESHOLD)
      if (near) found.set(position, similarity + this.#runSimilarity(query, name, true))
    }
    return found
  }

  /** similarity + strict word similarity, as the query orders near-misses */
  #closeness(query: QueryTrigrams, name: IndexedName): number {
    const stamp = this.#nextStamp()
    let common = 0
    for (const id of name.trigrams)
      if (this.#seen[id] !== stamp) {
        this.#seen[id] = stamp
        common += this.#inQuery[id]!
      }
    if (common === 0) return 0
    return common / (query.distinct + name.distinctTrigrams - common) + this.#runSimilarity(query, name, true)
  }

  /**
   * The best similarity between the query and a run of the name's trigrams: any run, or (strict) runs of whole
   * words — pg_trgm's word_similarity and strict_word_similarity.
   */
  #runSimilarity(query: QueryTrigrams, name: IndexedName, strict: boolean): number {
    let best = 0
    const { trigrams, bounds } = name
    for (let low = 0; low < trigrams.length; low++) {
      if (strict && !(bounds[low]! & 1)) continue
      const stamp = this.#nextStamp()
      let distinct = 0
      let common = 0
      for (let high = low; high < trigrams.length; high++) {
        const id = trigrams[high]!
        if (this.#seen[id] !== stamp) {
          this.#seen[id] = stamp
          distinct += 1
          common += this.#inQuery[id]!
        }
        if (strict && !(bounds[high]! & 2)) continue
        const similarity = common / (query.distinct + distinct - common)
        if (similarity > best) best = similarity
      }
    }
    return best
  }

  #nextStamp(): number {
    if (this.#stamp >= 0x7fffffff) {
      this.#seen.fill(0)
      this.#stamp = 0
    }
    this.#stamp += 1
    return this.#stamp
  }
}

interface QueryTrigrams {
  /** how many distinct trigrams the query has, known to the index or not */
  distinct: number
  /** the ids of those the index knows (marked in #inQuery while the search runs) */
  ids: number[]
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
    tables: [getTableName(territories), getTableName(territoryParents)],
    maxAgeMs: 3_600_000,
  })
}
