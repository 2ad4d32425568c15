import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { notFound } from '../../platform/errors.ts'
import { ErrorResponse } from '../../platform/http/schemas.ts'
import { todayInParis } from '../../platform/paris-time.ts'
import { findTerritoryByRef, TerritoryRefParams } from '../territories/index.ts'
import { phaseOf } from './service.ts'
import { findConsultation, listContributions, publishedConsultations } from './queries.ts'

const API_PAGE_SIZE = 500

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])
const Phase = Type.Union([
  Type.Literal('upcoming'),
  Type.Literal('open'),
  Type.Literal('closed'),
  Type.Literal('answered'),
])

const ConsultationSummary = Type.Object({
  id: Type.String(),
  title: Type.String(),
  question: Type.String(),
  opensOn: Type.String({ format: 'date' }),
  closesOn: Type.String({ format: 'date' }),
  phase: Phase,
  commitmentId: Nullable(Type.String()),
  contributions: Type.Integer(),
  url: Type.String(),
})

const ContributionJson = Type.Object({
  id: Type.String(),
  kind: Nullable(Type.String()),
  title: Nullable(Type.String({ description: 'null when hidden by moderation' })),
  body: Nullable(Type.String()),
  hiddenReason: Nullable(Type.String()),
  supports: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  decision: Nullable(Type.String()),
  answer: Nullable(Type.String()),
  commitmentId: Nullable(Type.String()),
})

/** Consultations as open data: each with every contribution and its answer. */
export default async function participationApiRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db
  const baseUrl = () => app.platform.config.baseUrl.toString().replace(/\/$/, '')
  const territoryOf = async (params: { kind: string; code: string }) => {
    const territory = await findTerritoryByRef(db(), `${params.kind}/${params.code}`)
    if (!territory) throw notFound('Territoire inconnu.')
    return territory
  }

  app.get(
    '/api/v1/territories/:kind/:code/consultations',
    {
      schema: {
        tags: ['participation'],
        summary: 'A territory’s published consultations',
        params: TerritoryRefParams,
        response: { 200: Type.Array(ConsultationSummary), 404: ErrorResponse },
      },
    },
    async (req) => {
      const territory = await territoryOf(req.params)
      const rows = await publishedConsultations(db(), territory.id)
      const today = todayInParis()
      return rows.map(({ closedEarlyAt, ...c }) => ({
        ...c,
        phase: phaseOf({ ...c, closedEarlyAt }, today) as 'upcoming' | 'open' | 'closed' | 'answered',
        url: `${baseUrl()}/consultations/${c.id}`,
      }))
    },
  )

  app.get(
    '/api/v1/consultations/:id',
    {
      schema: {
        tags: ['participation'],
        summary:
          'A consultation with its contributions, by pages of 500, most supported first: supports and the territory’s answer (hidden ones show only the reason)',
        params: IdParams,
        querystring: Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1 })) }),
        response: {
          200: Type.Object({
            consultation: ConsultationSummary,
            synthesis: Nullable(Type.String()),
            page: Type.Integer(),
            pageSize: Type.Integer(),
            contributions: Type.Array(ContributionJson),
          }),
          404: ErrorResponse,
        },
      },
    },
    async (req) => {
      const c = await findConsultation(db(), req.params.id)
      if (c.status === 'draft') throw notFound()
      const page = req.query.page ?? 1
      const list = await listContributions(db(), {
        consultationId: c.id,
        sort: 'supports',
        page,
        pageSize: API_PAGE_SIZE,
      })
      const total = c.contributionCount
      return {
        consultation: {
          id: c.id,
          title: c.title,
          question: c.question,
          opensOn: c.opensOn,
          closesOn: c.closesOn,
          phase: phaseOf(c, todayInParis()) as 'upcoming' | 'open' | 'closed' | 'answered',
          commitmentId: c.commitmentId,
          contributions: total,
          url: `${baseUrl()}/consultations/${c.id}`,
        },
        synthesis: c.synthesis,
        page,
        pageSize: API_PAGE_SIZE,
        contributions: list.map((k) => {
          const hidden = k.hiddenAt !== null
          return {
            id: k.id,
            kind: hidden ? null : k.kind,
            title: hidden ? null : k.title,
            body: hidden ? null : k.body,
            hiddenReason: hidden ? k.hiddenReason : null,
            supports: k.supportCount,
            createdAt: new Date(k.createdAt).toISOString(),
            decision: k.decision,
            answer: k.answer,
            commitmentId: k.commitmentId,
          }
        }),
      }
    },
  )
}
