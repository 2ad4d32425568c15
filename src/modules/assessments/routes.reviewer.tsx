import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { AppError, forbidden, notFound } from '../../platform/errors.ts'
import { formatDate } from '../../platform/i18n/index.ts'
import { FormBody, formValues, translateFieldErrors } from '../../platform/http/forms.ts'
import { publicCommitmentsByIds } from '../plans/index.ts'
import { todayInParis } from '../../platform/paris-time.ts'
import { OGP_VALUES } from './scales.ts'
import { openAssessment, rateCommitment, saveOverview, type CommitmentRatingInput } from './service.ts'
import { addErratum, publishAssessment, sendForReply, IncompleteAssessment } from './publication.ts'
import { commitmentRatings, findAssessment } from './queries.ts'
import { declareConflicts, findAppointment } from './reviewers.ts'
import type { AssessmentRow } from './tables.ts'
import { assessmentPagePath, OverviewFormPage, RatingFormPage } from './views.tsx'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
const RatingParams = Type.Object({ id: Type.String({ format: 'uuid' }), commitmentId: Type.String({ format: 'uuid' }) })

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

/** The appointed reviewer: conflicts of interest, the overview and each commitment's rating, publication, errata. */
export default async function assessmentReviewerRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

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
}
