import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { commitmentOfPublicMilestone, publishedCommitments } from '../plans/index.ts'
import { requireUser } from '../../platform/auth/current-user.ts'
import { can } from '../../platform/auth/policy.ts'
import { AppError, forbidden } from '../../platform/errors.ts'
import { FormBody, formValues, translateFieldErrors } from '../../platform/http/forms.ts'
import { isIsoDate, normalizeDays } from '../../platform/http/rules.ts'
import { todayInParis } from '../../platform/paris-time.ts'
import { territoryOfPage, TerritoryRefParams } from '../territories/index.ts'
import {
  closeConsultationEarly,
  createConsultation,
  phaseOf,
  publishConsultation,
  publishSynthesis,
  updateConsultation,
  type ConsultationInput,
} from './service.ts'
import { visibleConsultation } from './queries.ts'
import { answerContribution, findContribution } from './contributions.ts'
import { ConsultationFormPage, consultationPath } from './views.tsx'
import { renderConsultation } from './page.tsx'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

/** The consultation form's field checks, in the reader's language. */
function consultationFieldErrors(req: FastifyRequest, values: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {}
  if ((values.title ?? '').trim().length < 3 || (values.title ?? '').length > 200)
    errors.title = req.t('consult.error.title')
  if ((values.question ?? '').trim().length < 3 || (values.question ?? '').length > 1000)
    errors.question = req.t('consult.error.question')
  if ((values.context ?? '').length > 20000) errors.context = req.t('consult.error.context')
  if (!isIsoDate(values.opensOn ?? '')) errors.opensOn = req.t('consult.error.dates')
  if (!isIsoDate(values.closesOn ?? '') || (values.closesOn ?? '') < (values.opensOn ?? ''))
    errors.closesOn = req.t('consult.error.dates')
  return errors
}

const consultationInput = (values: Record<string, string>): ConsultationInput => ({
  title: (values.title ?? '').trim(),
  question: (values.question ?? '').trim(),
  context: (values.context ?? '').trim().replace(/\r\n/g, '\n'),
  opensOn: values.opensOn ?? '',
  closesOn: values.closesOn ?? '',
  commitmentId: /^[0-9a-f-]{36}$/.test(values.commitmentId ?? '') ? values.commitmentId! : null,
})

/** The territory's staff: opening, editing, closing a consultation, its synthesis and the answers to contributions. */
export default async function consultationStaffRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  const territoryOf = (params: { kind: string; code: string }) => territoryOfPage(db(), params)
  const planCommitments = (territoryId: string) => publishedCommitments(db(), territoryId)

  app.get(
    '/territoires/:kind/:code/consultations/nouvelle',
    { schema: { params: TerritoryRefParams, hide: true } },
    async (req, reply) => {
      requireUser(req)
      const territory = await territoryOf(req.params)
      if (!can(req.user, 'consultation.manage', territory.id))
        throw forbidden('Réservé aux agents et élus du territoire.')
      return reply.page(
        req.t('consult.new'),
        <ConsultationFormPage
          action={`${territory.path}/consultations/nouvelle`}
          values={{}}
          errors={{}}
          commitments={await planCommitments(territory.id)}
        />,
      )
    },
  )

  app.post(
    '/territoires/:kind/:code/consultations/nouvelle',
    { schema: { params: TerritoryRefParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const territory = await territoryOf(req.params)
      const values = normalizeDays(formValues(req.body), 'opensOn', 'closesOn')
      const errors = consultationFieldErrors(req, values)
      const input = consultationInput(values)
      const page = async (fieldErrors: Record<string, string>) =>
        reply.page(
          req.t('consult.new'),
          <ConsultationFormPage
            action={`${territory.path}/consultations/nouvelle`}
            values={values}
            errors={fieldErrors}
            commitments={await planCommitments(territory.id)}
          />,
          422,
        )
      if (Object.keys(errors).length > 0) return page(errors)
      try {
        const created = await createConsultation(db(), {
          actor,
          territoryId: territory.id,
          input,
          publish: values.intent === 'publish',
        })
        req.flash('notice', req.t('consult.saved'))
        return reply.redirect(consultationPath(created), 303)
      } catch (error) {
        if (error instanceof AppError && error.status === 422) return page(translateFieldErrors(req.t, error.fields))
        throw error
      }
    },
  )

  /** The staff's edit form, with the consultation's values or what was typed. */
  async function renderEdit(
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    values: Record<string, string> | null,
    errors: Record<string, string>,
    status = 200,
  ) {
    const actor = requireUser(req)
    const c = await visibleConsultation(db(), actor, id)
    if (!can(actor, 'consultation.manage', c.territoryId)) throw forbidden(req.t('consult.error.staffOnly'))
    const shown = values ?? {
      title: c.title,
      question: c.question,
      context: c.context,
      opensOn: c.opensOn,
      closesOn: c.closesOn,
      commitmentId: c.commitmentId ?? '',
    }
    const edit = { consultation: c, phase: phaseOf(c, todayInParis()) }
    return reply.page(
      req.t('consult.editConsultation'),
      <ConsultationFormPage
        action={`${consultationPath(c)}/modifier`}
        values={shown}
        errors={errors}
        commitments={await planCommitments(c.territoryId)}
        edit={edit}
      />,
      status,
    )
  }
  app.get('/consultations/:id/modifier', { schema: { params: IdParams, hide: true } }, async (req, reply) =>
    renderEdit(req, reply, req.params.id, null, {}),
  )
  app.post(
    '/consultations/:id/modifier',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const values = normalizeDays(formValues(req.body), 'opensOn', 'closesOn')
      const errors = consultationFieldErrors(req, values)
      if (Object.keys(errors).length > 0) return renderEdit(req, reply, req.params.id, values, errors, 422)
      try {
        const changed = await updateConsultation(db(), {
          actor,
          consultationId: req.params.id,
          input: consultationInput(values),
          reason: values.reason ?? '',
          today: todayInParis(),
        })
        req.flash('notice', req.t(changed ? 'consult.edit.saved' : 'consult.edit.unchanged'))
        return reply.redirect(consultationPath({ id: req.params.id }), 303)
      } catch (error) {
        if (error instanceof AppError && (error.status === 422 || error.status === 409))
          return renderEdit(
            req,
            reply,
            req.params.id,
            values,
            error.fields ? translateFieldErrors(req.t, error.fields) : { title: error.messageIn(req.locale) },
            error.status,
          )
        throw error
      }
    },
  )
  app.post(
    '/consultations/:id/cloture',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const values = formValues(req.body)
      try {
        await closeConsultationEarly(db(), {
          actor,
          consultationId: req.params.id,
          reason: values.reason ?? '',
          today: todayInParis(),
        })
        req.flash('notice', req.t('consult.closeEarly.done'))
        return reply.redirect(consultationPath({ id: req.params.id }), 303)
      } catch (error) {
        if (error instanceof AppError && error.status === 422)
          return renderConsultation(
            db(),
            req,
            reply,
            req.params.id,
            values,
            translateFieldErrors(req.t, error.fields),
            422,
          )
        throw error
      }
    },
  )

  app.post(
    '/consultations/:id/publication',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      await publishConsultation(db(), requireUser(req), req.params.id)
      return reply.redirect(consultationPath(req.params), 303)
    },
  )

  app.post(
    '/consultations/:id/synthese',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const values = formValues(req.body)
      try {
        await publishSynthesis(db(), {
          actor,
          consultationId: req.params.id,
          synthesis: values.synthesis ?? '',
          today: todayInParis(),
        })
      } catch (error) {
        if (error instanceof AppError && error.status === 422)
          return renderConsultation(
            db(),
            req,
            reply,
            req.params.id,
            values,
            translateFieldErrors(req.t, error.fields),
            422,
          )
        throw error
      }
      return reply.redirect(consultationPath(req.params), 303)
    },
  )

  app.post(
    '/contributions/:id/reponse',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const k = await findContribution(db(), req.params.id)
      const values = formValues(req.body)
      if (values.milestoneId && !values.commitmentId) {
        const commitmentId = await commitmentOfPublicMilestone(db(), values.milestoneId)
        if (commitmentId) values.commitmentId = commitmentId
      }
      try {
        await answerContribution(db(), {
          actor,
          contributionId: k.id,
          input: {
            decision: values.decision === 'not_retained' ? 'not_retained' : 'retained',
            answer: values.answer ?? '',
            commitmentId: values.commitmentId || null,
            milestoneId: values.milestoneId || null,
          },
          today: todayInParis(),
        })
      } catch (error) {
        // the page comes back as it was listed, the answer form open with what was written and the message at its field
        if (error instanceof AppError && error.status === 422) {
          const listing = {
            tri: values.tri === 'recentes' ? 'recentes' : 'soutiens',
            page: /^\d{1,6}$/.test(values.page ?? '') ? Math.max(1, Number(values.page)) : 1,
          }
          return renderConsultation(db(), req, reply, k.consultationId, {}, {}, 422, {
            answerForm: { id: k.id, values, errors: translateFieldErrors(req.t, error.fields) },
            listing,
          })
        }
        throw error
      }
      return reply.redirect(`${consultationPath({ id: k.consultationId })}#contribution-${k.id}`, 303)
    },
  )
}
