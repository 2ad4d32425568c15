import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.ts'
import { matchesWords, type SearchSource } from '../../platform/search.ts'

/** Citizens' assemblies once their organisers made them public (recruiting or later). */
export const assemblySearch: SearchSource = {
  key: 'assemblees',
  label: 'search.section.assemblies',
  async find(db, words, limit) {
    const rows = await queryRows<{ id: string; title: string; territory: string | null }>(
      db,
      sql`select a.id, a.title, t.name as territory from assemblies a left join public_territories t on t.id = a.territory_id
          where a.phase <> 'draft' and ${matchesWords([sql`a.title`, sql`a.purpose`], words)} order by a.created_at desc limit ${limit}`,
    )
    return rows.map((r) => ({ title: r.title, path: `/assemblees/${r.id}`, detail: r.territory ?? '' }))
  },
  async open(db, limit, t) {
    const rows = await queryRows<{ id: string; title: string; territory: string | null }>(
      db,
      sql`select a.id, a.title, t.name as territory from assemblies a left join public_territories t on t.id = a.territory_id where a.phase = 'recruiting' order by a.created_at desc limit ${limit}`,
    )
    return rows.map((r) => ({
      title: r.title,
      path: `/assemblees/${r.id}/volontariat`,
      detail: [r.territory, t('assembly.volunteer')].filter(Boolean).join(' · '),
    }))
  },
}
