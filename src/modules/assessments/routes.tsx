import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { pickedValue, type PickerChoice } from '../../platform/layout/picker.tsx'
import { pickPerson } from '../accounts/index.ts'
import { Type } from 'typebox'
import { requireAdmin, requireUser } from '../../platform/auth/current-user.ts'
import { can } from '../../platform/auth/policy.ts'
import { AppError, forbidden, notFound } from '../../platform/errors.ts'
import { formatDate } from '../../platform/i18n/index.ts'
import { FormBody, FormWithFileBody, formValues, translateFieldErrors } from '../../platform/http/forms.ts'
import { findPlan, getVisiblePlan, loadPlanTree, publicCommitmentsByIds } from '../plans/index.ts'
import { todayInParis } from '../../platform/paris-time.ts'
import { getTerritorySummaries, territoryPath } from '../territories/index.ts'
import { OGP_VALUES, type Moment } from './scales.ts'
import { openAssessment, rateCommitment, saveOverview, type CommitmentRatingInput } from './service.ts'
import { addErratum, publishAssessment, replyToAssessment, sendForReply, IncompleteAssessment } from './publication.ts'
import { assessmentsOfPlan, canReadUnpublished, commitmentRatings, errataOf, findAssessment } from './queries.ts'
import { appointReviewer, declareConflicts, findAppointment, listReviewers, revokeReviewer } from './reviewers.ts'
import type { AssessmentRow } from './tables.ts'
import { importOgpRatings, RatingsRefused } from './import.ts'
import { deletePendingImport, loadPendingImport, savePendingImport } from '../../platform/import/pending.ts'
import { worded } from '../../platform/import/text.ts'
import { MAX_ROUTE_UPLOAD_BYTES } from '../../platform/http/kernel.tsx'
import {
  AppointPage,
  AssessmentPage,
  assessmentPagePath,
  ImportOgpPage,
  RatingsPreviewPage,
  OverviewFormPage,
  RatingFormPage,
  type ReportView,
} from './views.tsx'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
const RatingParams = Type.Object({ id: Type.String({ format: 'uuid' }), commitmentId: Type.String({ format: 'uuid' }) })
const RevokeParams = Type.Object({ id: Type.String({ format: 'uuid' }), userId: Type.String({ format: 'uuid' }) })

/** The rating form's values, read into the service's shape. */
function ratingInput(values: Record<string, string>): CommitmentRatingInput {
  const yes = (v: string | undefined) => (v === 'yes' ? true : v === 'no' ? false : null)
  return {
    verifiable: yes(values.verifiable),
    verifiableJustification: values.verifiableJustification ?? '',
    relevance: Object.fromEntries(
      OGP_VALUES.flatMap((v) => {
        const relevant = yes(values[`relevance_${v}`])
        return relevant === null
          ? []
          : [[v, { relevant, justification: (values[`relevance_${v}_justification`] ?? '').trim() }]]
      }),
    ),
    potentialImpact: values.potentialImpact || null,
    impactJustification: values.impactJustification ?? '',
    completion: values.completion || null,
    completionJustification: values.completionJustification ?? '',
    diogOverall: values.diogOverall || null,
    diogValues: Object.fromEntries(OGP_VALUES.map((v) => [v, values[`diog_${v}`] ?? ''])),
    diogJustification: values.diogJustification ?? '',
    earlyResults: values.earlyResults ?? '',
    lessons: values.lessons ?? '',
    recommendations: values.recommendations ?? '',
    evidenceLinks: (values.evidenceLinks ?? '')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean),
  }
}

/** Saved ratings back into form values. */
function ratingValues(
  rating: Awaited<ReturnType<typeof commitmentRatings>>[number] | undefined,
): Record<string, string> {
  if (!rating) return {}
  const yn = (v: boolean | null) => (v === true ? 'yes' : v === false ? 'no' : '')
  return {
    verifiable: yn(rating.verifiable),
    verifiableJustification: rating.verifiableJustification,
    ...Object.fromEntries(
      OGP_VALUES.flatMap((v) => [
        [`relevance_${v}`, yn(rating.relevance[v]?.relevant ?? null)],
        [`relevance_${v}_justification`, rating.relevance[v]?.justification ?? ''],
      ]),
    ),
    potentialImpact: rating.potentialImpact ?? '',
    impactJustification: rating.impactJustification,
    completion: rating.completion ?? '',
    completionJustification: rating.completionJustification,
    diogOverall: rating.diogOverall ?? '',
    ...Object.fromEntries(OGP_VALUES.map((v) => [`diog_${v}`, rating.diogValues[v] ?? 'not_applicable'])),
    diogJustification: rating.diogJustification,
    earlyResults: rating.earlyResults,
    lessons: rating.lessons,
    recommendations: rating.recommendations,
    evidenceLinks: rating.evidenceLinks.join('\n'),
  }
}

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

  // ——— appointment (the network's team) ———
  async function appointPage(
    req: FastifyRequest,
    reply: FastifyReply,
    planId: string,
    values: Record<string, string>,
    errors: Record<string, string>,
    status = 200,
    choices: PickerChoice[] = [],
  ) {
    const plan = await findPlan(db(), planId)
    return reply.page(
      req.t('assess.reviewers'),
      <AppointPage
        plan={plan}
        reviewers={await listReviewers(db(), plan.id)}
        values={values}
        errors={errors}
        choices={choices}
      />,
      status,
    )
  }
  app.get('/plans/:id/evaluation/evaluateurs', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    requireAdmin(req)
    return appointPage(req, reply, req.params.id, {}, {})
  })
  app.post(
    '/plans/:id/evaluation/evaluateurs',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireAdmin(req)
      const values = formValues(req.body)
      const typed = pickedValue(values, 'email')
      const person = await pickPerson(db(), typed)
      if ('none' in person)
        return appointPage(req, reply, req.params.id, values, { email: req.t('picker.none', { q: typed }) }, 422)
      if ('choices' in person)
        return appointPage(req, reply, req.params.id, values, { email: req.t('picker.several') }, 422, person.choices)
      try {
        await appointReviewer(db(), { actor, planId: req.params.id, email: person.found.email })
      } catch (error) {
        if (error instanceof AppError && error.status === 422)
          return appointPage(req, reply, req.params.id, values, translateFieldErrors(req.t, error.fields), 422)
        throw error
      }
      req.flash('notice', req.t('assess.appointed'))
      return reply.redirect(`/plans/${req.params.id}/evaluation/evaluateurs`, 303)
    },
  )
  app.post(
    '/plans/:id/evaluation/evaluateurs/:userId/retrait',
    { schema: { params: RevokeParams, body: FormBody, hide: true } },
    async (req, reply) => {
      await revokeReviewer(db(), { actor: requireAdmin(req), planId: req.params.id, userId: req.params.userId })
      return reply.redirect(`/plans/${req.params.id}/evaluation/evaluateurs`, 303)
    },
  )

  // ——— ratings published by OGP's IRM (the network's team) ———
  // ——— the IRM's ratings, from OGP's sheet: upload, preview, confirmation (the file is kept in between) ———
  const RATINGS = 'ratings'
  const PendingParams = Type.Object({
    id: Type.String({ pattern: '^[0-9a-f-]{36}$' }),
    pending: Type.String({ pattern: '^[0-9a-f-]{36}$' }),
  })
  const NetworkPendingParams = Type.Object({ pending: Type.String({ pattern: '^[0-9a-f-]{36}$' }) })
  const uploadConfig = { uploadLimit: MAX_ROUTE_UPLOAD_BYTES }

  async function ratingsUpload(
    req: FastifyRequest,
    reply: FastifyReply,
    plan: { id: string; title: string; territoryId: string } | null,
  ) {
    const actor = requireAdmin(req)
    const action = plan ? `${assessmentPagePath(plan)}/import-ogp` : '/evaluations/import-ogp'
    const file = req.uploads?.find((u) => u.bytes.length > 0)
    const refused = (problems: string[], total?: number) =>
      reply.page(
        req.t('assess.importOgp'),
        <ImportOgpPage plan={plan} action={action} problems={problems} {...(total !== undefined ? { total } : {})} />,
        422,
      )
    if (!file) return refused([req.t('ref.import.noFile')])
    try {
      const outcome = await importOgpRatings(db(), actor, file.bytes, {
        name: file.filename,
        write: false,
        ...(plan ? { planId: plan.id } : {}),
      })
      const pending = await savePendingImport(db(), {
        territoryId: plan?.territoryId ?? null,
        userId: actor.id,
        kind: RATINGS,
        filename: file.filename,
        bytes: file.bytes,
        options: plan ? { planId: plan.id } : {},
      })
      return reply.page(
        req.t('assess.importOgp.preview'),
        <RatingsPreviewPage
          outcome={outcome}
          confirm={`${action}/${pending}/confirmer`}
          cancel={plan ? assessmentPagePath(plan) : '/reseau/evaluations'}
          warnings={outcome.warnings.map((w) => worded(req.t, w))}
        />,
      )
    } catch (error) {
      if (error instanceof RatingsRefused)
        return refused(
          error.problems.slice(0, 100).map((p) => worded(req.t, p)),
          error.problems.length,
        )
      throw error
    }
  }

  async function ratingsConfirm(
    req: FastifyRequest,
    reply: FastifyReply,
    pendingId: string,
    plan: { id: string } | null,
  ) {
    const actor = requireAdmin(req)
    const pending = await loadPendingImport(db(), pendingId, actor.id, RATINGS)
    if ((pending.options.planId ?? null) !== (plan?.id ?? null)) throw notFound()
    const outcome = await importOgpRatings(db(), actor, pending.bytes, {
      name: pending.filename,
      write: true,
      ...(plan ? { planId: plan.id } : {}),
    })
    await deletePendingImport(db(), pendingId)
    req.flash(
      'notice',
      req.t('assess.importOgp.done', {
        plans: outcome.plans.filter((p) => p.action === 'create' || p.action === 'erratum').length,
      }),
    )
    return reply.redirect(plan ? assessmentPagePath(plan) : '/reseau/evaluations', 303)
  }

  app.get('/plans/:id/evaluation/import-ogp', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    requireAdmin(req)
    const plan = await findPlan(db(), req.params.id)
    return reply.page(
      req.t('assess.importOgp'),
      <ImportOgpPage plan={plan} action={`${assessmentPagePath(plan)}/import-ogp`} problems={[]} />,
    )
  })
  app.post(
    '/plans/:id/evaluation/import-ogp',
    { schema: { params: IdParams, body: FormWithFileBody, hide: true }, config: uploadConfig },
    async (req, reply) => {
      requireAdmin(req)
      return ratingsUpload(req, reply, await findPlan(db(), req.params.id))
    },
  )
  app.post(
    '/plans/:id/evaluation/import-ogp/:pending/confirmer',
    { schema: { params: PendingParams, body: FormBody, hide: true } },
    async (req, reply) => ratingsConfirm(req, reply, req.params.pending, { id: req.params.id }),
  )
  app.get('/evaluations/import-ogp', { schema: { hide: true } }, async (req, reply) => {
    requireAdmin(req)
    return reply.page(
      req.t('assess.importOgp'),
      <ImportOgpPage plan={null} action="/evaluations/import-ogp" problems={[]} />,
    )
  })
  app.post(
    '/evaluations/import-ogp',
    { schema: { body: FormWithFileBody, hide: true }, config: uploadConfig },
    async (req, reply) => ratingsUpload(req, reply, null),
  )
  app.post(
    '/evaluations/import-ogp/:pending/confirmer',
    { schema: { params: NetworkPendingParams, body: FormBody, hide: true } },
    async (req, reply) => ratingsConfirm(req, reply, req.params.pending, null),
  )

  // ——— the reviewer ———
  app.post(
    '/plans/:id/evaluation/conflits',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const values = formValues(req.body)
      await declareConflicts(db(), {
        actor: requireUser(req),
        planId: req.params.id,
        input: {
          hasConflict: values.hasConflict === 'yes',
          statement: values.statement ?? '',
        },
      })
      req.flash('notice', req.t('assess.saved'))
      return reply.redirect(assessmentPagePath({ id: req.params.id }), 303)
    },
  )

  for (const [segment, moment] of [
    ['lancement', 'inception'],
    ['terme', 'end_of_term'],
  ] as const) {
    app.post(
      `/plans/:id/evaluation/${segment}`,
      { schema: { params: IdParams, body: FormBody, hide: true } },
      async (req, reply) => {
        const assessment = await openAssessment(db(), { actor: requireUser(req), planId: req.params.id, moment })
        return reply.redirect(`${assessmentPagePath({ id: assessment.planId })}#moment-${moment}`, 303)
      },
    )
  }

  async function reviewerDraft(
    req: FastifyRequest,
    id: string,
  ): Promise<AssessmentRow & { plan: { id: string; title: string } }> {
    const actor = requireUser(req)
    const assessment = await findAssessment(db(), id)
    const appointment = await findAppointment(db(), assessment.planId, actor.id)
    if (!appointment) throw forbidden('Vous n’évaluez pas ce plan.')
    if (assessment.status !== 'draft')
      throw new AppError('NOT_DRAFT', { status: 409, userMessage: 'Ce rapport n’est plus un brouillon.' })
    return assessment
  }

  app.get('/evaluations/:id/ensemble', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    const a = await reviewerDraft(req, req.params.id)
    const values = {
      cocreationLevel: a.cocreationLevel ?? '',
      cocreationJustification: a.cocreationJustification,
      summary: a.summary,
    }
    return reply.page(
      req.t('assess.overview'),
      <OverviewFormPage assessment={a} plan={a.plan} values={values} errors={{}} />,
    )
  })
  app.post(
    '/evaluations/:id/ensemble',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const a = await reviewerDraft(req, req.params.id)
      const values = formValues(req.body)
      try {
        await saveOverview(db(), {
          actor: requireUser(req),
          assessmentId: a.id,
          input: {
            cocreationLevel: ['yes', 'partly', 'no'].includes(values.cocreationLevel ?? '')
              ? values.cocreationLevel!
              : null,
            cocreationJustification: values.cocreationJustification ?? '',
            summary: values.summary ?? '',
          },
        })
      } catch (error) {
        if (error instanceof AppError && error.status === 422)
          return reply.page(
            req.t('assess.overview'),
            <OverviewFormPage
              assessment={a}
              plan={a.plan}
              values={values}
              errors={translateFieldErrors(req.t, error.fields)}
            />,
            422,
          )
        throw error
      }
      req.flash('notice', req.t('assess.saved'))
      return reply.redirect(assessmentPagePath(a.plan), 303)
    },
  )

  async function commitmentOf(a: AssessmentRow, commitmentId: string) {
    const [row] = await publicCommitmentsByIds(db(), [commitmentId])
    if (!row || row.planId !== a.planId) throw notFound()
    return row
  }
  app.get(
    '/evaluations/:id/engagements/:commitmentId',
    { schema: { params: RatingParams, hide: true } },
    async (req, reply) => {
      const a = await reviewerDraft(req, req.params.id)
      const commitment = await commitmentOf(a, req.params.commitmentId)
      const rating = (await commitmentRatings(db(), a.id)).find((r) => r.commitmentId === commitment.id)
      return reply.page(
        commitment.title,
        <RatingFormPage
          assessment={a}
          plan={a.plan}
          commitment={commitment}
          values={ratingValues(rating)}
          errors={{}}
        />,
      )
    },
  )
  app.post(
    '/evaluations/:id/engagements/:commitmentId',
    { schema: { params: RatingParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const a = await reviewerDraft(req, req.params.id)
      const commitment = await commitmentOf(a, req.params.commitmentId)
      const values = formValues(req.body)
      try {
        await rateCommitment(db(), {
          actor: requireUser(req),
          assessmentId: a.id,
          commitmentId: commitment.id,
          input: ratingInput(values),
        })
      } catch (error) {
        if (error instanceof AppError && error.status === 422)
          return reply.page(
            commitment.title,
            <RatingFormPage
              assessment={a}
              plan={a.plan}
              commitment={commitment}
              values={values}
              errors={translateFieldErrors(req.t, error.fields)}
            />,
            422,
          )
        throw error
      }
      req.flash('notice', req.t('assess.saved'))
      return reply.redirect(`${assessmentPagePath(a.plan)}#moment-${a.moment}`, 303)
    },
  )

  app.post(
    '/evaluations/:id/envoi',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const a = await findAssessment(db(), req.params.id)
      try {
        await sendForReply(db(), {
          actor,
          assessmentId: a.id,
          replyDays: app.platform.config.reviewReplyDays,
          today: todayInParis(),
        })
      } catch (error) {
        // back to the report, saying what is left to rate
        if (!(error instanceof IncompleteAssessment)) throw error
        if (error.unrated.length > 0)
          req.flash(
            'error',
            req.t('assess.error.unrated', { count: error.unrated.length, titles: error.unrated.join(' ; ') }),
          )
        if (error.cocreationMissing) req.flash('error', req.t('assess.error.cocreationMissing'))
        return reply.redirect(`${assessmentPagePath(a.plan)}#moment-${a.moment}`, 303)
      }
      const sent = await findAssessment(db(), a.id)
      req.flash(
        'notice',
        req.t('assess.sent', {
          date: sent.replyDue ? formatDate(req.locale, new Date(`${sent.replyDue}T12:00:00Z`)) : '',
        }),
      )
      return reply.redirect(assessmentPagePath(a.plan), 303)
    },
  )

  app.post(
    '/evaluations/:id/publication',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const a = await findAssessment(db(), req.params.id)
      await publishAssessment(db(), { actor: requireUser(req), assessmentId: a.id, today: todayInParis() })
      req.flash('notice', req.t('assess.published'))
      return reply.redirect(assessmentPagePath(a.plan), 303)
    },
  )

  app.post(
    '/evaluations/:id/errata',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const a = await findAssessment(db(), req.params.id)
      const values = formValues(req.body)
      await addErratum(db(), {
        actor: requireUser(req),
        assessmentId: a.id,
        input: {
          text: values.text ?? '',
          commitmentId: values.commitmentId || null,
        },
      })
      req.flash('notice', req.t('assess.erratumAdded'))
      return reply.redirect(assessmentPagePath(a.plan), 303)
    },
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
