import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { can } from '../../platform/auth/policy.ts'
import { FormBody, formValues } from '../../platform/http/forms.ts'
import { getVisiblePlan, loadPlanTree } from '../plans/index.ts'
import { todayInParis } from '../../platform/paris-time.ts'
import { getTerritorySummaries, territoryPath } from '../territories/index.ts'
import type { Moment } from './scales.ts'
import { replyToAssessment } from './publication.ts'
import { assessmentsOfPlan, canReadUnpublished, commitmentRatings, errataOf, findAssessment } from './queries.ts'
import { findAppointment, listReviewers } from './reviewers.ts'
import { AssessmentPage, assessmentPagePath, type ReportView } from './views.tsx'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

/** A plan's assessment page, for everyone the plan is visible to, and the territory's right of reply. */
export default async function assessmentRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  async function reportsFor(req: FastifyRequest, planId: string): Promise<Record<Moment, ReportView | null>> {
    const list = await assessmentsOfPlan(db(), planId)
    const reports: Record<Moment, ReportView | null> = { inception: null, end_of_term: null }
    for (const a of list) {
      const readable = a.status === 'published' || (await canReadUnpublished(db(), req.user, a))
      const [ratings, errata] = readable
        ? await Promise.all([commitmentRatings(db(), a.id), errataOf(db(), a.id)])
        : [[], []]
      reports[a.moment as Moment] = {
        assessment: a,
        ratings: new Map(ratings.map((r) => [r.commitmentId, r])),
        errata,
        readable,
      }
    }
    return reports
  }

  async function renderPlanPage(req: FastifyRequest, reply: FastifyReply, planId: string, status = 200) {
    const plan = await getVisiblePlan(db(), { planId, actor: req.user })
    const [tree, reviewers, reports, [territory], appointment] = await Promise.all([
      loadPlanTree(db(), plan),
      listReviewers(db(), plan.id),
      reportsFor(req, plan.id),
      getTerritorySummaries(db(), [plan.territoryId]),
      req.user ? findAppointment(db(), plan.id, req.user.id) : undefined,
    ])
    return reply.page(
      `${req.t('assess.title')} – ${plan.title}`,
      <AssessmentPage
        plan={plan}
        territory={{ name: territory!.name, path: territoryPath(territory!) }}
        commitments={tree.commitments}
        reviewers={reviewers}
        reports={reports}
        isAdmin={!!req.user?.isPlatformAdmin}
        appointment={
          appointment ? { conflictsDeclaredAt: appointment.conflictsDeclaredAt?.toISOString() ?? null } : null
        }
        canReply={can(req.user, 'plan.edit', plan.territoryId)}
        today={todayInParis()}
      />,
      status,
    )
  }

  app.get('/plans/:id/evaluation', { schema: { params: IdParams, hide: true } }, async (req, reply) =>
    renderPlanPage(req, reply, req.params.id),
  )

  // ——— the territory's right of reply ———
  app.post(
    '/evaluations/:id/reponse',
    {
      schema: { params: IdParams, body: FormBody, hide: true },
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const a = await findAssessment(db(), req.params.id)
      await replyToAssessment(db(), {
        actor: requireUser(req),
        assessmentId: a.id,
        text: formValues(req.body).reply ?? '',
        today: todayInParis(),
      })
      req.flash('notice', req.t('assess.replied'))
      return reply.redirect(assessmentPagePath(a.plan), 303)
    },
  )
}
