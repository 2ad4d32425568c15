import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { presentTerritory, presentTerritorySummary } from './present.ts'
import { ErrorResponse, SearchQuery, SearchResponse, TerritoryParams, TerritoryResponse } from './schema.ts'
import { getTerritoryPage, searchTerritories } from './service.ts'

/** Open JSON API of the territory registry. */
export default async function territoryApiRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  app.get(
    '/',
    {
      prefixTrailingSlash: 'no-slash',
      schema: {
        tags: ['territories'],
        summary: 'Search the territory registry',
        description:
          'By name (accent-insensitive, tolerant of small typos) or by INSEE / SIREN code; 20 results a page.',
        querystring: SearchQuery,
        response: { 200: SearchResponse, 400: ErrorResponse },
      },
    },
    async (req) => {
      const result = await searchTerritories(db(), {
        q: req.query.q ?? '',
        kind: req.query.kind || null,
        page: req.query.page ?? 1,
      })
      return { ...result, items: result.items.map(presentTerritorySummary) }
    },
  )

  app.get(
    '/:kind/:code',
    {
      schema: {
        tags: ['territories'],
        summary: 'One territory with its parents and public presentation',
        params: TerritoryParams,
        response: { 200: TerritoryResponse, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (req) => presentTerritory(await getTerritoryPage(db(), req.params.kind, req.params.code)),
  )
}
