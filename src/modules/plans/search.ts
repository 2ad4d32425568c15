import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.ts'
import { matchesWords, type SearchSource } from '../../platform/search.ts'

/** Commitments of public plans, by their title or lead actor. */
export const commitmentSearch: SearchSource = {
  key: 'engagements',
  label: 'search.section.commitments',
  async find(db, words, limit) {
    const rows = await queryRows<{ id: string; title: string; territory: string; plan: string }>(
      db,
      sql`select c.id, c.title, t.name as territory, p.title as plan
          from commitments c join action_plans p on p.id = c.plan_id and p.status in ('published', 'closed') join public_territories t on t.id = c.territory_id
          where ${matchesWords([sql`c.title`, sql`c.lead_actor`, sql`array_to_string(c.themes, ' ')`], words)}
          order by p.period_start desc, c.position limit ${limit}`,
    )
    return rows.map((r) => ({ title: r.title, path: `/engagements/${r.id}`, detail: `${r.territory} · ${r.plan}` }))
  },
}
