import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { sendCsv, type CsvColumn } from '../../platform/http/csv.ts'
import { formatNumber, type MessageKey } from '../../platform/i18n/index.ts'
import { usePage } from '../../platform/layout/context.ts'
import { todayInParis } from './progress.ts'
import { cachedNetwork } from './network-cache.ts'
import { networkOverview, type NetworkRow } from './queries.ts'
import { ProgressBar } from './views.tsx'

/** The network's other pages, linked from its overview. */
const ELSEWHERE: [string, MessageKey][] = [
  ['/membres', 'nav.members'],
  ['/reseau/evaluations', 'network.assessments'],
  ['/evenements', 'event.allTitle'],
  ['/assemblees', 'network.assemblies'],
  ['/donnees', 'data.title'],
]

export const NETWORK_SORTS = ['nom', 'avancement', 'a_temps', 'retard', 'engagements'] as const
type NetworkSort = (typeof NETWORK_SORTS)[number]

export interface NetworkEntry {
  kind: string
  code: string
  name: string
  population: number | null
  planId: string
  planTitle: string
  planStatus: string
  periodStart: string
  periodEnd: string
  commitments: number
  milestones: number
  milestonesDone: number
  milestonesDue: number
  milestonesLate: number
  /** share of the milestones already due that were finished by their due date, 0–100; null when none is due */
  onTimeShare: number | null
  progress: number | null
  url: string
}

function toEntry(row: NetworkRow): NetworkEntry {
  return {
    kind: row.territory_kind,
    code: row.territory_code,
    name: row.territory_name,
    population: row.population,
    planId: row.plan_id,
    planTitle: row.plan_title,
    planStatus: row.plan_status,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    commitments: row.commitments,
    milestones: row.milestones,
    milestonesDone: row.milestones_done,
    milestonesDue: row.milestones_due,
    milestonesLate: row.milestones_late,
    onTimeShare:
      row.milestones_due === 0 ? null : Math.round((row.milestones_on_time / row.milestones_due) * 1000) / 10,
    progress: row.progress === null ? null : Number(row.progress),
    url: `/plans/${row.plan_id}`,
  }
}

const SORT_VALUE: Record<NetworkSort, (e: NetworkEntry) => number | string> = {
  nom: (e) => e.name,
  avancement: (e) => e.progress ?? -1,
  a_temps: (e) => e.onTimeShare ?? -1,
  retard: (e) => e.milestonesLate,
  engagements: (e) => e.commitments,
}

/** The territories with a public plan, sorted by one indicator. */
export async function loadNetwork(
  db: Parameters<typeof networkOverview>[0],
  sort: NetworkSort = 'nom',
  order: 'asc' | 'desc' = 'asc',
): Promise<NetworkEntry[]> {
  const entries = [...(await cachedNetwork(db, async () => (await networkOverview(db, todayInParis())).map(toEntry)))]
  const value = SORT_VALUE[sort]
  const collator = new Intl.Collator('fr')
  entries.sort((a, b) => {
    const x = value(a)
    const y = value(b)
    const diff = typeof x === 'string' ? collator.compare(x, y as string) : x - (y as number)
    return (order === 'asc' ? diff : -diff) || collator.compare(a.name, b.name)
  })
  return entries
}

const NETWORK_PAGE_SIZE = 100

function NetworkPage({
  entries,
  sort,
  order,
  page,
}: {
  entries: NetworkEntry[]
  sort: NetworkSort
  order: 'asc' | 'desc'
  page: number
}) {
  const { t, locale } = usePage()
  const pages = Math.max(1, Math.ceil(entries.length / NETWORK_PAGE_SIZE))
  const shown = entries.slice((page - 1) * NETWORK_PAGE_SIZE, page * NETWORK_PAGE_SIZE)
  const pageLink = (n: number) => `/reseau?tri=${sort}&ordre=${order}&page=${n}`
  const header = (key: NetworkSort, label: MessageKey) => {
    const active = sort === key
    const next = active && order === 'asc' ? 'desc' : 'asc'
    return (
      <th scope="col" aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : undefined}>
        <a href={`/reseau?tri=${key}&ordre=${next}`}>
          {t(label)}
          {active ? (order === 'asc' ? ' ▲' : ' ▼') : ''}
        </a>
      </th>
    )
  }
  return (
    <>
      <h1>{t('network.title')}</h1>
      <p class="lead">{t('network.lead')}</p>
      <nav aria-label={t('network.more')}>
        <ul class="inline-list">
          {ELSEWHERE.map(([href, label]) => (
            <li>
              <a href={href}>{t(label)}</a>
            </li>
          ))}
        </ul>
      </nav>
      {entries.length === 0 ? (
        <p>{t('network.none')}</p>
      ) : (
        <div class="table-scroll" role="region" aria-label={t('network.title')} tabIndex={0}>
          <table class="network">
            <caption class="visually-hidden">{t('network.caption')}</caption>
            <thead>
              <tr>
                {header('nom', 'network.territory')}
                <th scope="col">{t('plans.title')}</th>
                {header('engagements', 'plans.commitmentsCount')}
                {header('avancement', 'plans.progress')}
                {header('a_temps', 'network.onTime')}
                {header('retard', 'plans.milestonesLate')}
              </tr>
            </thead>
            <tbody>
              {shown.map((e) => (
                <tr>
                  <th scope="row">
                    <a href={`/territoires/${e.kind}/${encodeURIComponent(e.code)}`}>{e.name}</a>
                  </th>
                  <td data-label={t('plans.title')}>
                    <a href={e.url}>{e.planTitle}</a>
                  </td>
                  <td data-label={t('plans.commitmentsCount')}>{formatNumber(locale, e.commitments)}</td>
                  <td data-label={t('plans.progress')}>
                    <ProgressBar value={e.progress} />
                  </td>
                  <td data-label={t('network.onTime')}>
                    {e.onTimeShare === null
                      ? '—'
                      : t('plans.progressValue', { value: formatNumber(locale, e.onTimeShare) })}
                  </td>
                  <td data-label={t('plans.milestonesLate')}>{formatNumber(locale, e.milestonesLate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 && (
        <nav aria-label="Pagination" class="pagination">
          {page > 1 && (
            <a href={pageLink(page - 1)} rel="prev">
              ← {page - 1}
            </a>
          )}
          <span aria-current="page">
            {page} / {pages}
          </span>
          {page < pages && (
            <a href={pageLink(page + 1)} rel="next">
              {page + 1} →
            </a>
          )}
        </nav>
      )}
      <p>
        {t('plans.opendata')} : <a href="/api/v1/network.csv">CSV</a> · <a href="/api/v1/network">JSON</a> —{' '}
        {t('plans.opendata.licence')}
      </p>
    </>
  )
}

const SortQuery = Type.Object({
  tri: Type.Optional(Type.Union(NETWORK_SORTS.map((s) => Type.Literal(s)))),
  ordre: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
})

const NetworkEntrySchema = Type.Object({
  kind: Type.String(),
  code: Type.String(),
  name: Type.String(),
  population: Type.Union([Type.Integer(), Type.Null()]),
  planId: Type.String(),
  planTitle: Type.String(),
  planStatus: Type.String(),
  periodStart: Type.String(),
  periodEnd: Type.String(),
  commitments: Type.Integer(),
  milestones: Type.Integer(),
  milestonesDone: Type.Integer(),
  milestonesDue: Type.Integer({ description: 'milestones whose due date has passed' }),
  milestonesLate: Type.Integer({ description: 'due and not finished' }),
  onTimeShare: Type.Union([Type.Number(), Type.Null()], {
    description: '% of due milestones finished by their due date',
  }),
  progress: Type.Union([Type.Number(), Type.Null()], {
    description: 'plan progress, % (average of commitments, each rolled up from milestones)',
  }),
  url: Type.String(),
})

const NETWORK_COLUMNS: CsvColumn<NetworkEntry>[] = [
  { name: 'territoire_type', value: (e) => e.kind },
  { name: 'territoire_code', value: (e) => e.code },
  { name: 'territoire_nom', value: (e) => e.name },
  { name: 'population', value: (e) => e.population },
  { name: 'plan_id', value: (e) => e.planId },
  { name: 'plan_titre', value: (e) => e.planTitle },
  { name: 'plan_etat', value: (e) => e.planStatus },
  { name: 'debut', value: (e) => e.periodStart },
  { name: 'fin', value: (e) => e.periodEnd },
  { name: 'engagements', value: (e) => e.commitments },
  { name: 'jalons', value: (e) => e.milestones },
  { name: 'jalons_termines', value: (e) => e.milestonesDone },
  { name: 'jalons_echus', value: (e) => e.milestonesDue },
  { name: 'jalons_en_retard', value: (e) => e.milestonesLate },
  { name: 'part_a_temps', value: (e) => e.onTimeShare },
  { name: 'avancement', value: (e) => e.progress },
]

/** The network overview: every territory's current plan side by side, as a page, JSON and CSV. */
export default async function networkRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  // a person following an old or mistyped link gets the default order, not an error page (the API stays strict)
  app.get(
    '/reseau',
    {
      schema: {
        querystring: Type.Object(
          {
            tri: Type.Optional(Type.String()),
            ordre: Type.Optional(Type.String()),
            page: Type.Optional(Type.String()),
          },
          { additionalProperties: true },
        ),
        hide: true,
      },
    },
    async (req, reply) => {
      const sort: NetworkSort = (NETWORK_SORTS as readonly string[]).includes(req.query.tri ?? '')
        ? (req.query.tri as NetworkSort)
        : 'nom'
      const order =
        req.query.ordre === 'asc' || req.query.ordre === 'desc' ? req.query.ordre : sort === 'nom' ? 'asc' : 'desc'
      const page = /^[1-9]\d{0,3}$/.test(req.query.page ?? '') ? Number(req.query.page) : 1
      return reply.page(
        req.t('network.title'),
        <NetworkPage entries={await loadNetwork(db(), sort, order)} sort={sort} order={order} page={page} />,
      )
    },
  )

  app.get(
    '/api/v1/network',
    {
      schema: {
        tags: ['action plans'],
        summary: 'Every territory with a public action plan, with comparable indicators',
        querystring: SortQuery,
        response: { 200: Type.Object({ licence: Type.String(), items: Type.Array(NetworkEntrySchema) }) },
      },
    },
    async (req) => ({
      licence: 'etalab-2.0',
      items: await loadNetwork(db(), req.query.tri ?? 'nom', req.query.ordre ?? 'asc'),
    }),
  )

  app.get(
    '/api/v1/network.csv',
    {
      schema: {
        tags: ['action plans'],
        summary: 'The network overview as CSV',
        produces: ['text/csv'],
        response: { 200: Type.String() },
      },
    },
    async (_req, reply) => {
      const entries = await loadNetwork(db())
      return sendCsv(reply, {
        filename: 'reseau-plans-action.csv',
        columns: NETWORK_COLUMNS,
        nextPage: async (after) => (after ? [] : entries),
      })
    },
  )
}
