import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { sendCsv, type CsvColumn } from '../../platform/http/csv.ts'
import { ErrorResponse } from '../../platform/http/schemas.ts'
import { getVisiblePlan, loadPlanTree } from '../plans/index.ts'
import { OGP_VALUES, type Moment } from './scales.ts'
import { aggregates, publishedRatingsPage, assessmentsOfPlan, commitmentRatings, errataOf } from './queries.ts'
import { listReviewers } from './reviewers.ts'
import { NetworkAssessmentsPage } from './views.tsx'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])
const RatingJson = Type.Object({
  commitmentId: Type.String(),
  commitment: Type.String(),
  selfReportedStatus: Type.String(),
  selfReportedProgress: Nullable(Type.Number()),
  verifiable: Nullable(Type.Boolean()),
  verifiableJustification: Type.String(),
  relevance: Type.Record(Type.String(), Type.Object({ relevant: Type.Boolean(), justification: Type.String() })),
  potentialImpact: Nullable(Type.String()),
  impactJustification: Type.String(),
  completion: Nullable(Type.String()),
  completionJustification: Type.String(),
  diogOverall: Nullable(Type.String()),
  diogValues: Type.Record(Type.String(), Type.String()),
  diogJustification: Type.String(),
  earlyResults: Type.String(),
  lessons: Type.String(),
  recommendations: Type.String(),
  evidenceLinks: Type.Array(Type.String()),
})
const ReportJson = Type.Object({
  moment: Type.Union([Type.Literal('inception'), Type.Literal('end_of_term')]),
  source: Type.String(),
  publishedAt: Type.String({ format: 'date-time' }),
  cocreationLevel: Nullable(Type.String()),
  cocreationJustification: Type.String(),
  summary: Type.String(),
  territoryReply: Nullable(Type.String()),
  reviewers: Type.Array(
    Type.Object({
      name: Nullable(Type.String()),
      hasConflict: Nullable(Type.Boolean()),
      conflictsStatement: Type.String(),
    }),
  ),
  commitments: Type.Array(RatingJson),
  errata: Type.Array(
    Type.Object({
      date: Type.String({ format: 'date-time' }),
      commitmentId: Nullable(Type.String()),
      text: Type.String(),
    }),
  ),
})
const Share = Type.Object({ count: Type.Integer(), total: Type.Integer() })
const AggregatesJson = Type.Object({
  plansAssessed: Type.Integer(),
  inception: Type.Object({
    commitments: Type.Integer(),
    verifiable: Type.Integer(),
    transformative: Type.Integer(),
    moderateOrMore: Type.Integer(),
    relevant: Type.Record(Type.String(), Type.Integer()),
  }),
  endOfTerm: Type.Object({
    commitments: Type.Integer(),
    complete: Type.Integer(),
    substantialOrComplete: Type.Integer(),
    openedGovernment: Type.Integer(),
    outstanding: Type.Integer(),
  }),
  shares: Type.Object({ verifiable: Share, transformative: Share, complete: Share, openedGovernment: Share }),
})

/** Pages and API of the independent assessment. */

/** Independent assessments as open data: the network's figures (page and JSON), each report as JSON, every rating as CSV. */
export default async function assessmentDataRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  // ——— the network ———
  app.get('/reseau/evaluations', { schema: { hide: true } }, async (req, reply) =>
    reply.page(req.t('assess.network'), <NetworkAssessmentsPage figures={await aggregates(db())} />),
  )

  app.get(
    '/api/v1/assessments/aggregates',
    {
      schema: {
        tags: ['independent assessment'],
        summary: 'Network-wide shares from every published report (IRM scales)',
        response: { 200: AggregatesJson },
      },
    },
    async () => {
      const figures = await aggregates(db())
      return {
        ...figures,
        shares: {
          verifiable: { count: figures.inception.verifiable, total: figures.inception.commitments },
          transformative: { count: figures.inception.transformative, total: figures.inception.commitments },
          complete: { count: figures.endOfTerm.complete, total: figures.endOfTerm.commitments },
          openedGovernment: { count: figures.endOfTerm.openedGovernment, total: figures.endOfTerm.commitments },
        },
      }
    },
  )

  app.get(
    '/api/v1/plans/:id/assessments',
    {
      schema: {
        tags: ['independent assessment'],
        summary:
          'The published assessment reports of a plan, each commitment’s ratings beside its self-reported progress',
        params: IdParams,
        response: { 200: Type.Array(ReportJson), 404: ErrorResponse },
      },
    },
    async (req) => {
      const plan = await getVisiblePlan(db(), { planId: req.params.id, actor: null })
      const [tree, reviewers, list] = await Promise.all([
        loadPlanTree(db(), plan),
        listReviewers(db(), plan.id),
        assessmentsOfPlan(db(), plan.id),
      ])
      const published = list.filter((a) => a.status === 'published')
      return Promise.all(
        published.map(async (a) => {
          const [ratings, errata] = await Promise.all([commitmentRatings(db(), a.id), errataOf(db(), a.id)])
          return {
            moment: a.moment as Moment,
            source: a.source,
            publishedAt: a.publishedAt!.toISOString(),
            cocreationLevel: a.cocreationLevel,
            cocreationJustification: a.cocreationJustification,
            summary: a.summary,
            territoryReply: a.territoryReply,
            reviewers: reviewers.map((r) => ({
              name: r.displayName,
              hasConflict: r.hasConflict,
              conflictsStatement: r.conflictsStatement,
            })),
            commitments: tree.commitments.flatMap((c) => {
              const r = ratings.find((x) => x.commitmentId === c.id)
              if (!r) return []
              return [
                {
                  commitmentId: c.id,
                  commitment: c.title,
                  selfReportedStatus: c.status,
                  selfReportedProgress: c.progress,
                  verifiable: r.verifiable,
                  verifiableJustification: r.verifiableJustification,
                  relevance: r.relevance,
                  potentialImpact: r.potentialImpact,
                  impactJustification: r.impactJustification,
                  completion: r.completion,
                  completionJustification: r.completionJustification,
                  diogOverall: r.diogOverall,
                  diogValues: r.diogValues,
                  diogJustification: r.diogJustification,
                  earlyResults: r.earlyResults,
                  lessons: r.lessons,
                  recommendations: r.recommendations,
                  evidenceLinks: r.evidenceLinks,
                },
              ]
            }),
            errata: errata.map((e) => ({
              date: e.createdAt.toISOString(),
              commitmentId: e.commitmentId,
              text: e.text,
            })),
          }
        }),
      )
    },
  )

  app.get(
    '/api/v1/assessments.csv',
    {
      schema: {
        tags: ['independent assessment'],
        summary: 'Every published rating, one row per commitment and moment (CSV)',
      },
    },
    async (_req, reply) => {
      type Row = Record<string, unknown> & { assessment_id: string; commitment_id: string }
      const columns: CsvColumn<Row>[] = [
        'territoire',
        'plan_id',
        'plan',
        'moment',
        'source',
        'publie_le',
        'engagement_id',
        'engagement',
        'verifiable',
        ...OGP_VALUES.map((v) => `pertinence_${v}`),
        'impact_potentiel',
        'realisation',
        'ouverture_globale',
        ...OGP_VALUES.map((v) => `ouverture_${v}`),
      ].map((name) => ({ name, value: (row: Row) => row[name] }))
      return sendCsv<Row>(reply, {
        filename: 'evaluations-independantes.csv',
        columns,
        nextPage: async (after) => {
          const rows = await publishedRatingsPage(db(), after)
          return rows.map((r) => ({
            ...r,
            ...Object.fromEntries(
              OGP_VALUES.map((v) => [`pertinence_${v}`, r.relevance[v] === undefined ? '' : r.relevance[v]!.relevant]),
            ),
            ...Object.fromEntries(OGP_VALUES.map((v) => [`ouverture_${v}`, r.diog_values[v] ?? ''])),
          }))
        },
      })
    },
  )
}
