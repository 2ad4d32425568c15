import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { notFound } from '../../platform/errors.ts'
import { ErrorResponse } from '../../platform/http/schemas.ts'
import { findTerritoryByRef, TerritoryRefParams } from '../territories/index.ts'
import { publishedQuestions, questionStats } from './service.ts'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])
const QuestionJson = Type.Object({
  id: Type.String(),
  title: Type.String(),
  body: Type.String(),
  addressee: Nullable(Type.String({ description: 'the official questioned; null for the executive' })),
  status: Type.Union([Type.Literal('published'), Type.Literal('answered')]),
  supports: Type.Integer(),
  publishedAt: Type.String({ format: 'date-time' }),
  answer: Nullable(Type.String()),
  answeredAt: Nullable(Type.String({ format: 'date-time' })),
  daysToAnswer: Nullable(Type.Number()),
})

/** Questions to elected officials as open data: the answers and the time each official takes to answer. */
export default async function questionApiRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db
  const territoryOf = async (params: { kind: string; code: string }) => {
    const territory = await findTerritoryByRef(db(), `${params.kind}/${params.code}`)
    if (!territory) throw notFound('Territoire inconnu.')
    return territory
  }

  app.get(
    '/api/v1/territories/:kind/:code/questions',
    {
      schema: {
        tags: ['participation'],
        summary:
          'Published questions to a territory’s elected officials, their answers and the time to answer, with figures per official',
        params: TerritoryRefParams,
        response: {
          200: Type.Object({
            questions: Type.Array(QuestionJson),
            officials: Type.Array(
              Type.Object({
                official: Nullable(Type.String()),
                answered: Type.Integer(),
                waiting: Type.Integer(),
                medianDaysToAnswer: Nullable(Type.Number()),
              }),
            ),
          }),
          404: ErrorResponse,
        },
      },
    },
    async (req) => {
      const territory = await territoryOf(req.params)
      const rows = await publishedQuestions(db(), territory.id)
      const stats = await questionStats(db(), territory.id)
      return {
        questions: rows.map((q) => ({
          ...q,
          publishedAt: new Date(q.publishedAt).toISOString(),
          answeredAt: q.answeredAt ? new Date(q.answeredAt).toISOString() : null,
          daysToAnswer: q.answeredAt
            ? Math.round(((new Date(q.answeredAt).getTime() - new Date(q.publishedAt).getTime()) / 86_400_000) * 10) /
              10
            : null,
        })),
        officials: stats.map((s) => ({
          official: s.name,
          answered: s.answered,
          waiting: s.waiting,
          medianDaysToAnswer: s.medianDays,
        })),
      }
    },
  )
}
