import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { notFound } from '../../platform/errors.ts'
import { publicName } from '../accounts/index.ts'
import { getTerritorySummaries, territoryPath } from '../territories/index.ts'
import { ErrorResponse } from '../../platform/http/schemas.ts'
import { sendCsv } from '../../platform/http/csv.ts'
import { listHistoryWithNames } from './queries.ts'
import { IdParams, TerritoryRefParams, territoryFromParams } from './routes.public.tsx'
import { findCommitment } from './service.ts'
import { getVisiblePlan, listPlans, loadPlanTree } from './tree.ts'
import type { PlanRow } from './tables.ts'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])

const PlanSummary = Type.Object({
  id: Type.String(),
  title: Type.String(),
  status: Type.Union([Type.Literal('published'), Type.Literal('closed')]),
  periodStart: Type.String({ format: 'date' }),
  periodEnd: Type.String({ format: 'date' }),
  publishedAt: Nullable(Type.String({ format: 'date-time' })),
  url: Type.String(),
})

const MilestoneJson = Type.Object({
  id: Type.String(),
  title: Type.String(),
  deliverable: Type.String(),
  startDate: Nullable(Type.String()),
  dueDate: Type.String(),
  responsible: Type.String(),
  weight: Nullable(Type.Number()),
  status: Type.String({ description: 'as shown today: a milestone past due and not finished is en_retard' }),
  declaredStatus: Type.String(),
  progress: Type.Number(),
  completedOn: Nullable(Type.String()),
})

const CommitmentJson = Type.Object({
  id: Type.String(),
  position: Type.Integer(),
  title: Type.String(),
  problem: Type.String(),
  description: Type.String(),
  contribution: Type.String(),
  ogpValues: Type.Array(Type.String()),
  expectedImpacts: Type.String(),
  leadActor: Type.String(),
  supportingActors: Type.String(),
  themes: Type.Array(Type.String()),
  startDate: Nullable(Type.String()),
  endDate: Nullable(Type.String()),
  budgetEur: Nullable(Type.Number()),
  deliberationUrl: Nullable(Type.String()),
  status: Type.String({
    description:
      'as shown today: set by hand (en_pause, bloque, abandonne) or derived from the milestones (non_commence, en_cours, en_retard, termine)',
  }),
  statusSetByHand: Type.Boolean(),
  heldReason: Nullable(Type.String({ description: 'why staff paused, blocked or abandoned it' })),
  progress: Nullable(Type.Number()),
  milestones: Type.Array(MilestoneJson),
  url: Type.String(),
})

const PlanJson = Type.Object({
  licence: Type.String(),
  plan: PlanSummary,
  territory: Type.Object({ name: Type.String(), url: Type.String() }),
  cocreationSummary: Type.String(),
  progress: Nullable(Type.Number()),
  commitments: Type.Array(CommitmentJson),
})

const HistoryJson = Type.Object({
  licence: Type.String(),
  commitment: Type.Object({ id: Type.String(), title: Type.String() }),
  entries: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      kind: Type.String(),
      recordedAt: Type.String({ format: 'date-time' }),
      milestone: Nullable(Type.String()),
      correctsSeq: Nullable(Type.Integer()),
      author: Type.String(),
      content: Type.Record(Type.String(), Type.Unknown()),
      prevHash: Type.String(),
      hash: Type.String(),
    }),
  ),
})

const planSummary = (plan: PlanRow) => ({
  id: plan.id,
  title: plan.title,
  status: plan.status as 'published' | 'closed',
  periodStart: plan.periodStart,
  periodEnd: plan.periodEnd,
  publishedAt: plan.publishedAt?.toISOString() ?? null,
  url: `/plans/${plan.id}`,
})

/** JSON API of public action plans: a territory's plans, one plan's tree, one commitment's history. */
export default async function planJsonRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  app.get(
    '/territories/:kind/:code/plans',
    {
      schema: {
        tags: ['action plans'],
        summary: 'The public action plans of a territory',
        params: TerritoryRefParams,
        response: { 200: Type.Object({ licence: Type.String(), items: Type.Array(PlanSummary) }), 404: ErrorResponse },
      },
    },
    async (req) => {
      const territory = await territoryFromParams(db(), req.params)
      return {
        licence: 'etalab-2.0',
        items: (await listPlans(db(), { territoryId: territory.id, actor: null })).map(planSummary),
      }
    },
  )

  app.get(
    '/territories/:kind/:code/plans.csv',
    {
      schema: {
        tags: ['action plans'],
        summary: 'The public action plans of a territory (CSV)',
        params: TerritoryRefParams,
        produces: ['text/csv'],
        response: { 200: Type.String(), 404: ErrorResponse },
      },
    },
    async (req, reply) => {
      const territory = await territoryFromParams(db(), req.params)
      const plans = (await listPlans(db(), { territoryId: territory.id, actor: null })).map(planSummary)
      return sendCsv(reply, {
        filename: 'plans-action.csv',
        columns: [
          { name: 'plan_id', value: (p: (typeof plans)[number]) => p.id },
          { name: 'titre', value: (p) => p.title },
          { name: 'etat', value: (p) => p.status },
          { name: 'debut', value: (p) => p.periodStart },
          { name: 'fin', value: (p) => p.periodEnd },
          { name: 'publie_le', value: (p) => p.publishedAt },
          { name: 'adresse', value: (p) => p.url },
        ],
        nextPage: async (after) => (after ? [] : plans),
      })
    },
  )

  app.get(
    '/plans/:id',
    {
      schema: {
        tags: ['action plans'],
        summary: 'A public action plan with its commitments, milestones and progress',
        params: IdParams,
        response: { 200: PlanJson, 404: ErrorResponse },
      },
    },
    async (req) => {
      // the API shows public plans only, whoever asks
      const plan = await getVisiblePlan(db(), { planId: req.params.id, actor: null })
      const [tree, [territory]] = await Promise.all([
        loadPlanTree(db(), plan),
        getTerritorySummaries(db(), [plan.territoryId]),
      ])
      if (!territory) throw notFound()
      return {
        licence: 'etalab-2.0',
        plan: planSummary(plan),
        territory: { name: territory.name, url: territoryPath(territory) },
        cocreationSummary: plan.cocreationSummary,
        progress: tree.progress,
        commitments: tree.commitments.map((c) => ({
          id: c.id,
          position: c.position,
          title: c.title,
          problem: c.problem,
          description: c.description,
          contribution: c.contribution,
          ogpValues: c.ogpValues,
          expectedImpacts: c.expectedImpacts,
          leadActor: c.leadActor,
          supportingActors: c.supportingActors,
          themes: c.themes,
          startDate: c.startDate,
          endDate: c.endDate,
          budgetEur: c.budgetEur === null ? null : Number(c.budgetEur),
          deliberationUrl: c.deliberationUrl,
          status: c.status,
          statusSetByHand: c.heldStatus !== null,
          heldReason: c.heldReason,
          progress: c.progress,
          url: `/engagements/${c.id}`,
          milestones: c.milestones.map((m) => ({
            id: m.id,
            title: m.title,
            deliverable: m.deliverable,
            startDate: m.startDate,
            dueDate: m.dueDate,
            responsible: m.responsible,
            weight: m.weight === null ? null : Number(m.weight),
            status: m.shownStatus,
            declaredStatus: m.status,
            progress: m.effectiveProgress,
            completedOn: m.completedOn,
          })),
        })),
      }
    },
  )

  app.get(
    '/commitments/:id/history',
    {
      schema: {
        tags: ['action plans'],
        summary: 'The public history of a commitment: updates, corrections, revisions, with their hashes',
        params: IdParams,
        response: { 200: HistoryJson, 404: ErrorResponse },
      },
    },
    async (req) => {
      const commitment = await findCommitment(db(), req.params.id)
      await getVisiblePlan(db(), { planId: commitment.planId, actor: null })
      const rows = await listHistoryWithNames(db(), commitment.id)
      const seqById = new Map(rows.map((r) => [r.entry.id, r.entry.seq]))
      return {
        licence: 'etalab-2.0',
        commitment: { id: commitment.id, title: commitment.title },
        entries: rows.map((r) => ({
          seq: r.entry.seq,
          kind: r.entry.kind,
          recordedAt: r.entry.recordedAt.toISOString(),
          milestone: r.milestoneTitle,
          correctsSeq: r.entry.correctsId ? (seqById.get(r.entry.correctsId) ?? null) : null,
          author: publicName({ displayName: r.authorName, deletedAt: r.authorDeletedAt }),
          content: r.entry.content as Record<string, unknown>,
          prevHash: r.entry.prevHash,
          hash: r.entry.hash,
        })),
      }
    },
  )
}
