import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { ErrorResponse } from '../territories/schema.ts'
import { verifyHistory } from './history.ts'
import { TerritoryRefParams, territoryFromParams } from './routes.public.tsx'

const ChainResponse = Type.Object({
  territory: Type.String({ description: 'kind/code' }),
  ok: Type.Boolean({ description: 'true when every entry’s hash matches its content and its predecessor' }),
  entries: Type.Integer(),
  lastHash: Type.Optional(Type.String({ description: 'SHA-256 of the last entry: publish it elsewhere to anchor the chain' })),
  brokenAt: Type.Optional(Type.Integer({ description: 'number of the first entry that does not hold' })),
  reason: Type.Optional(Type.String()),
})

/** Open API of action plans: verification of a territory's hash-chained history. */
export default async function planApiRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  app.get(
    '/territories/:kind/:code/history/verify',
    {
      schema: {
        tags: ['action plans'],
        summary: 'Verify the tamper-evident history of a territory',
        description: 'Recomputes the hash chain of every published progress update, correction and revision of the territory, and names the first broken link.',
        params: TerritoryRefParams,
        response: { 200: ChainResponse, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (req) => {
      const territory = await territoryFromParams(app.platform.database.db, req.params)
      const check = await verifyHistory(app.platform.database.db, territory.id)
      const ref = `${req.params.kind}/${req.params.code}`
      return check.ok ? { territory: ref, ok: true, entries: check.entries, lastHash: check.lastHash } : { territory: ref, ok: false, entries: check.entries, brokenAt: check.brokenAt, reason: check.reason }
    },
  )
}
