import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.ts'
import type { MessageKey, Translate } from '../../platform/i18n/index.ts'
import { matchesWords, type SearchSource } from '../../platform/search.ts'
import { dateTimeFormat } from '../../platform/intl.ts'

// the day in Paris, as YYYY-MM-DD
const parisDay = dateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})
type Row = { id: string; title: string; kind: string; territory: string | null; starts_at: string | Date }
const hit = (t: Translate) => (r: Row) => ({
  title: r.title,
  path: `/evenements/${r.id}`,
  detail: `${t(`event.kind.${r.kind}` as MessageKey)} · ${r.territory ?? t('event.networkTitle')}`,
  on: parisDay.format(new Date(r.starts_at)),
})

/** Events of the network and of territories, upcoming first, then the most recent. */
export const eventSearch: SearchSource = {
  key: 'evenements',
  label: 'search.section.events',
  async find(db, words, limit, t) {
    const rows = await queryRows<Row>(
      db,
      sql`select e.id, e.title, e.kind, t.name as territory, e.starts_at from events e left join public_territories t on t.id = e.territory_id
          where ${matchesWords([sql`e.title`, sql`e.description`, sql`e.place`], words)}
          order by e.ends_at < now(), case when e.ends_at >= now() then e.starts_at end, e.starts_at desc limit ${limit}`,
    )
    return rows.map(hit(t))
  },
  async open(db, limit, t) {
    const rows = await queryRows<Row>(
      db,
      sql`select e.id, e.title, e.kind, t.name as territory, e.starts_at from events e left join public_territories t on t.id = e.territory_id
          where e.status = 'scheduled' and e.ends_at >= now() order by e.starts_at limit ${limit}`,
    )
    return rows.map(hit(t))
  },
}
