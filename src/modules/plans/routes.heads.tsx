import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { listPublishedHeads } from './history.ts'
import { TerritoryRefParams, territoryFromParams } from './routes.public.tsx'
import { HeadsPage } from './views/heads.tsx'

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
