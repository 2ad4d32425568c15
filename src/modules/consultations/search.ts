import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.ts'
import type { MessageKey } from '../../platform/i18n/index.ts'
import { todayInParis } from '../../platform/paris-time.ts'
import { matchesWords, type SearchSource } from '../../platform/search.ts'

type Row = { id: string; title: string; territory: string }

/**
 * A dated participation (consultation, co-constructed text) once published: found by its title and text, open
 * from its first to its last day. The table and column names are this module's own, never user input.
 */
function datedSource(options: {
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
      const rows = await queryRows<Row>(
        db,
        sql`select x.id, x.title, t.name as territory from ${from}
            where x.status <> 'draft' and ${matchesWords([sql.raw('x.title'), sql.raw(`x.${options.text}`)], words)} order by x.opens_on desc limit ${limit}`,
      )
      return rows.map((r) => ({ title: r.title, path: `${options.path}/${r.id}`, detail: r.territory }))
    },
    async open(db, limit) {
      const today = todayInParis()
      const rows = await queryRows<Row & { closes_on: string }>(
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

export const consultationSearch = datedSource({
  key: 'consultations',
  label: 'search.section.consultations',
  table: 'consultations',
  text: 'question',
  path: '/consultations',
  closesEarly: true,
})
export const textSearch = datedSource({
  key: 'textes',
  label: 'search.section.texts',
  table: 'cocreated_texts',
  text: 'summary',
  path: '/textes',
})

/** Questions to elected officials once moderated and published (never those pending or refused). */
export const questionSearch: SearchSource = {
  key: 'questions',
  label: 'search.section.questions',
  async find(db, words, limit) {
    const rows = await queryRows<Row>(
      db,
      sql`select q.id, q.title, t.name as territory from official_questions q join public_territories t on t.id = q.territory_id
          where q.status in ('published', 'answered') and ${matchesWords([sql`q.title`, sql`q.body`], words)} order by q.published_at desc limit ${limit}`,
    )
    return rows.map((r) => ({ title: r.title, path: `/questions/${r.id}`, detail: r.territory }))
  },
  async open(db, limit) {
    const rows = await queryRows<Row>(
      db,
      sql`select q.id, q.title, t.name as territory from official_questions q join public_territories t on t.id = q.territory_id
          where q.status = 'published' order by q.support_count desc, q.published_at desc limit ${limit}`,
    )
    return rows.map((r) => ({ title: r.title, path: `/questions/${r.id}`, detail: r.territory }))
  },
}
