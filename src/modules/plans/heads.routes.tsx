import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { formatDateTime } from '../../platform/i18n/index.ts'
import { usePage } from '../../platform/layout/context.ts'
import { listPublishedHeads, type PublishedHead } from './history.ts'
import { TerritoryRefParams, territoryFromParams } from './routes.public.tsx'

type HeadRow = PublishedHead & { digest: string }

function HeadsPage({
  territory,
  heads,
  feedUrl,
}: {
  territory: { name: string; path: string }
  heads: HeadRow[]
  feedUrl: string
}) {
  const { t, locale } = usePage()
  return (
    <article>
      <p class="kicker">
        <a href={territory.path}>{territory.name}</a>
      </p>
      <h1>{t('plans.heads.title')}</h1>
      <p class="lead">{t('plans.heads.lead')}</p>
      <p>
        <a href={feedUrl}>{t('plans.heads.json')}</a>
      </p>
      <h2>{t('plans.heads.howTo')}</h2>
      <p>{t('plans.heads.howToText')}</p>
      <pre>
        <code>
          npm run cli -- history:verify {territory.path.replace(/^\/territoires\//, '')} --against empreinte.json
        </code>
      </pre>
      {heads.length === 0 ? (
        <p>{t('plans.heads.none')}</p>
      ) : (
        <table>
          <caption>{t('plans.heads.caption', { count: heads.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('plans.heads.publishedAt')}</th>
              <th scope="col">{t('plans.heads.sequence')}</th>
              <th scope="col">{t('plans.heads.hash')}</th>
              <th scope="col">{t('plans.heads.digest')}</th>
            </tr>
          </thead>
          <tbody>
            {heads.map((head) => (
              <tr>
                <td>{formatDateTime(locale, new Date(head.publishedAt))}</td>
                <td>{head.sequence}</td>
                <td>
                  <code class="hash">{head.hash}</code>
                </td>
                <td>
                  <code class="hash">{head.digest}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  )
}

/** The page of a territory's published chain heads (the JSON feed is in the open API). */
export default async function headRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  app.get(
    '/territoires/:kind/:code/historique/empreintes',
    { schema: { params: TerritoryRefParams, hide: true } },
    async (req, reply) => {
      const db = app.platform.database.db
      const territory = await territoryFromParams(db, req.params)
      const heads = await listPublishedHeads(db, { territoryId: territory.id, limit: 100 })
      return reply.page(
        `${req.t('plans.heads.title')} – ${territory.name}`,
        <HeadsPage
          territory={territory}
          heads={heads}
          feedUrl={`/api/v1/history/heads?territoire=${req.params.kind}/${req.params.code}`}
        />,
      )
    },
  )
}
