import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.ts'
import { matchesWords, type SearchSource } from '../../platform/search.ts'

type Row = { id: string; title: string; territory: string }

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
