import { sql, type SQL } from 'drizzle-orm'
import { queryRows, type Db } from './db/index.ts'
import { todayInParis } from './paris-time.ts'
import type { MessageKey, Translate } from './i18n/index.ts'

/** One public thing a site-wide search found: what it is called, where it lives, a line of context. */
export interface SearchHit {
  title: string
  path: string
  detail?: string
  /** an ISO day the page shows formatted: the event's day, or the last day to take part */
  on?: string
  until?: string
}

/** What a module lets the site-wide search find: only what anyone may read, never a draft nor a private field. */
export interface SearchSource {
  /** the section's anchor on the results page, e.g. "engagements" */
  key: string
  /** the section's heading */
  label: MessageKey
  find(db: Db, words: string[], limit: number, t: Translate): Promise<SearchHit[]>
  /** what a citizen can join now (an open consultation, an upcoming event…), for the "Participer" page */
  open?(db: Db, limit: number, t: Translate): Promise<SearchHit[]>
}

/** The words of a query, as the sources match them: at most 6, of 2 to 60 characters. */
export function searchWords(query: string): string[] {
  return query
    .normalize('NFC')
    .toLowerCase()
    .split(/[\s,;:!?()«»"“”]+/u)
    .map((w) => w.replace(/^['’-]+|['’-]+$/gu, ''))
    .filter((w) => w.length >= 2)
    .map((w) => w.slice(0, 60))
    .slice(0, 6)
}

/** Text a LIKE pattern takes literally: its wildcards and backslashes escaped. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`)

/** Every word appears in one of the columns, whatever the accents and case (LIKE wildcards in the words are literal). */
export function matchesWords(columns: SQL[], words: string[]): SQL {
  if (words.length === 0) return sql`false`
  const text = sql`unaccent(lower(${sql.join(columns, sql` || ' ' || `)}))`
  return sql.join(
    words.map((w) => sql`${text} like '%' || unaccent(${escapeLike(w)}) || '%'`),
    sql` and `,
  )
}

/** The sources the modules registered, searched side by side. */
export class SearchRegistry {
  readonly sources: SearchSource[] = []

  add(source: SearchSource): void {
    if (this.sources.some((s) => s.key === source.key)) throw new Error(`search source ${source.key} registered twice`)
    this.sources.push(source)
  }

  /** The sources that list what is open now, with their open items (empty sections included). */
  async openNow(db: Db, limit: number, t: Translate): Promise<{ source: SearchSource; hits: SearchHit[] }[]> {
    return Promise.all(
      this.sources.filter((s) => s.open).map(async (source) => ({ source, hits: await source.open!(db, limit, t) })),
    )
  }

  async searchAll(
    db: Db,
    query: string,
    limit: number,
    t: Translate,
  ): Promise<{ source: SearchSource; hits: SearchHit[] }[]> {
    const words = searchWords(query)
    if (words.length === 0) return []
    return Promise.all(this.sources.map(async (source) => ({ source, hits: await source.find(db, words, limit, t) })))
  }
}

type DatedRow = { id: string; title: string; territory: string }

/**
 * A dated participation (consultation, co-constructed text) once published: found by its title and text, open
 * from its first to its last day. The table and column names are this module's own, never user input.
 */
export function datedSearchSource(options: {
  key: string
  label: MessageKey
  table: string
  text: string
  path: string
  /** the table has `closed_early_at` (a consultation the staff closed before its last day) */
  closesEarly?: boolean
}): SearchSource {
  const from = sql.raw(`${options.table} x join public_territories t on t.id = x.territory_id`)
  return {
    key: options.key,
    label: options.label,
    async find(db, words, limit) {
      const rows = await queryRows<DatedRow>(
        db,
        sql`select x.id, x.title, t.name as territory from ${from}
            where x.status <> 'draft' and ${matchesWords([sql.raw('x.title'), sql.raw(`x.${options.text}`)], words)} order by x.opens_on desc limit ${limit}`,
      )
      return rows.map((r) => ({ title: r.title, path: `${options.path}/${r.id}`, detail: r.territory }))
    },
    async open(db, limit) {
      const today = todayInParis()
      const rows = await queryRows<DatedRow & { closes_on: string }>(
        db,
        sql`select x.id, x.title, t.name as territory, x.closes_on::text from ${from}
            where x.status = 'published' ${options.closesEarly ? sql`and x.closed_early_at is null` : sql``} and x.opens_on <= ${today}::date and x.closes_on >= ${today}::date order by x.closes_on limit ${limit}`,
      )
      return rows.map((r) => ({
        title: r.title,
        path: `${options.path}/${r.id}`,
        detail: r.territory,
        until: r.closes_on,
      }))
    },
  }
}
