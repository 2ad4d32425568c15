import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import {
  commitmentOfPublicMilestone,
  publicCommitmentsByIds,
  publishedCommitments,
  publishedMilestones,
} from '../plans/index.ts'
import { requireUser } from '../../platform/auth/current-user.ts'
import { can } from '../../platform/auth/policy.ts'
import { AppError, forbidden } from '../../platform/errors.ts'
import { perPersonLimit } from '../../platform/http/limits.ts'
import { FormBody, formValues, translateFieldErrors } from '../../platform/http/forms.ts'
import { isIsoDate, normalizeDays } from '../../platform/http/rules.ts'
import { todayInParis } from '../../platform/paris-time.ts'
import { getTerritorySummaries, territoryOfPage, territoryPath, TerritoryRefParams } from '../territories/index.ts'
import {
  closeConsultationEarly,
  createConsultation,
  phaseOf,
  publishConsultation,
  publishSynthesis,
  updateConsultation,
  type ConsultationInput,
  type ContributionKind,
} from './service.ts'
import {
  listComments,
  listConsultationChanges,
  listConsultations,
  listContributions,
  supportedBy,
  visibleConsultation,
} from './queries.ts'
import {
  answerContribution,
  comment,
  contribute,
  editContribution,
  findContribution,
  setSupport,
} from './contributions.ts'
import {
  ConsultationFormPage,
  ConsultationListPage,
  ConsultationPage,
  consultationPath,
  ContributionEditPage,
} from './views.tsx'
import { followBox } from '../follows/index.ts'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
const SortQuery = Type.Object({
  tri: Type.Optional(Type.Union([Type.Literal('soutiens'), Type.Literal('recentes')])),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
})
/** posting, supporting and reporting: per person and address */
const POSTING_LIMIT = perPersonLimit(30)

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

export default async function consultationRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  const territoryOf = (params: { kind: string; code: string }) => territoryOfPage(db(), params)
  const planCommitments = (territoryId: string) => publishedCommitments(db(), territoryId)

  app.get(
    '/territoires/:kind/:code/consultations',
    { schema: { params: TerritoryRefParams, hide: true } },
    async (req, reply) => {
      const territory = await territoryOf(req.params)
      const today = todayInParis()
      const items = (await listConsultations(db(), territory.id, req.user)).map((c) => ({
        ...c,
        phase: phaseOf(c, today),
      }))
      return reply.page(
        `${req.t('consult.title')} – ${territory.name}`,
        <ConsultationListPage
          territory={territory}
          items={items}
          canManage={can(req.user, 'consultation.manage', territory.id)}
        />,
      )
    },
  )

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

  async function renderConsultation(
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    values: Record<string, string>,
    errors: Record<string, string>,
    status = 200,
    options: {
      answerForm?: { id: string; values: Record<string, string>; errors: Record<string, string> }
      listing?: { tri?: string; page?: number }
    } = {},
  ) {
    const c = await visibleConsultation(db(), req.user, id)
    const query = options.listing ?? (req.query as { tri?: string; page?: number })
    const sort = query.tri === 'recentes' ? 'recent' : 'supports'
    const page = query.page ?? 1
    const [territory] = await getTerritorySummaries(db(), [c.territoryId])
    const total = c.contributionCount
    const manager = can(req.user, 'consultation.manage', c.territoryId)
    const [contributions, commitmentRows, supported, planList, milestoneList] = await Promise.all([
      listContributions(db(), c.id, sort, page),
      publicCommitmentsByIds(db(), [c.commitmentId]),
      req.user ? supportedBy(db(), req.user.id, c.id) : new Set<string>(),
      manager ? planCommitments(c.territoryId) : [],
      manager ? publishedMilestones(db(), c.territoryId) : [],
    ])
    const [comments, changes] = await Promise.all([
      listComments(
        db(),
        contributions.map((k) => k.id),
      ),
      listConsultationChanges(db(), c.id),
    ])
    const namedCommitments = [
      ...new Set(
        changes.flatMap((entry) =>
          entry.changes
            .filter((x) => x.field === 'commitmentId')
            .flatMap((x) => [x.before, x.after])
            .filter((v): v is string => v !== null),
        ),
      ),
    ]
    const changeCommitments = new Map(
      (await publicCommitmentsByIds(db(), namedCommitments)).map((r) => [r.id, r.title] as const),
    )
    return reply.page(
      c.title,
      <ConsultationPage
        consultation={c}
        phase={phaseOf(c, todayInParis())}
        territory={{ name: territory!.name, path: territoryPath(territory!) }}
        commitment={commitmentRows[0] ?? null}
        contributions={contributions}
        total={total}
        page={page}
        comments={comments}
        supported={supported}
        sort={sort}
        signedIn={!!req.user}
        userId={req.user?.id ?? null}
        canManage={can(req.user, 'consultation.manage', c.territoryId)}
        canModerate={can(req.user, 'content.moderate', c.territoryId)}
        planCommitments={planList}
        planMilestones={milestoneList}
        values={values}
        errors={errors}
        {...(options.answerForm ? { answerForm: options.answerForm } : {})}
        follow={
          c.status === 'draft' ? null : await followBox(db(), req.user, 'consultation', c.id, consultationPath(c))
        }
        changes={changes}
        changeCommitments={changeCommitments}
      />,
      status,
    )
  }

  app.get(
    '/consultations/:id',
    { schema: { params: IdParams, querystring: SortQuery, hide: true } },
    async (req, reply) => renderConsultation(req, reply, req.params.id, {}, {}),
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
          return renderConsultation(req, reply, req.params.id, values, translateFieldErrors(req.t, error.fields), 422)
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
    '/consultations/:id/contributions',
    { schema: { params: IdParams, body: FormBody, hide: true }, config: { rateLimit: POSTING_LIMIT } },
    async (req, reply) => {
      const actor = requireUser(req)
      const values = formValues(req.body)
      try {
        const created = await contribute(db(), {
          actor,
          consultationId: req.params.id,
          input: { kind: values.kind as ContributionKind, title: values.title ?? '', body: values.body ?? '' },
          today: todayInParis(),
        })
        req.flash('notice', req.t('consult.contributed'))
        return reply.redirect(`${consultationPath(req.params)}?tri=recentes#contribution-${created.id}`, 303)
      } catch (error) {
        if (error instanceof AppError && error.status === 422)
          return renderConsultation(req, reply, req.params.id, values, translateFieldErrors(req.t, error.fields), 422)
        throw error
      }
    },
  )

  app.get('/contributions/:id/modifier', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    const actor = requireUser(req)
    const k = await findContribution(db(), req.params.id)
    if (k.authorId !== actor.id) throw forbidden('Seul l’auteur d’une contribution peut la modifier.')
    return reply.page(
      req.t('consult.edit'),
      <ContributionEditPage contribution={k} values={{ kind: k.kind, title: k.title, body: k.body }} errors={{}} />,
    )
  })

  app.post(
    '/contributions/:id/modifier',
    { schema: { params: IdParams, body: FormBody, hide: true }, config: { rateLimit: POSTING_LIMIT } },
    async (req, reply) => {
      const actor = requireUser(req)
      const k = await findContribution(db(), req.params.id)
      const values = formValues(req.body)
      try {
        await editContribution(db(), {
          actor,
          contributionId: k.id,
          input: { kind: values.kind as ContributionKind, title: values.title ?? '', body: values.body ?? '' },
          today: todayInParis(),
        })
      } catch (error) {
        if (error instanceof AppError && error.status === 422)
          return reply.page(
            req.t('consult.edit'),
            <ContributionEditPage
              contribution={k}
              values={values}
              errors={translateFieldErrors(req.t, error.fields)}
            />,
            422,
          )
        throw error
      }
      req.flash('notice', req.t('consult.saved'))
      return reply.redirect(`${consultationPath({ id: k.consultationId })}#contribution-${k.id}`, 303)
    },
  )

  app.post(
    '/contributions/:id/soutien',
    { schema: { params: IdParams, body: FormBody, hide: true }, config: { rateLimit: POSTING_LIMIT } },
    async (req, reply) => {
      const actor = requireUser(req)
      const k = await findContribution(db(), req.params.id)
      await setSupport(db(), {
        actor,
        contributionId: k.id,
        supported: formValues(req.body).supported !== 'false',
        today: todayInParis(),
      })
      return reply.redirect(`${consultationPath({ id: k.consultationId })}#contribution-${k.id}`, 303)
    },
  )

  app.post(
    '/contributions/:id/commentaires',
    { schema: { params: IdParams, body: FormBody, hide: true }, config: { rateLimit: POSTING_LIMIT } },
    async (req, reply) => {
      const actor = requireUser(req)
      const k = await findContribution(db(), req.params.id)
      const values = formValues(req.body)
      await comment(db(), {
        actor,
        contributionId: k.id,
        input: {
          body: values.body ?? '',
          parentId: /^[0-9a-f-]{36}$/.test(values.parentId ?? '') ? values.parentId! : null,
        },
        today: todayInParis(),
      })
      return reply.redirect(`${consultationPath({ id: k.consultationId })}#contribution-${k.id}`, 303)
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
          return renderConsultation(req, reply, req.params.id, values, translateFieldErrors(req.t, error.fields), 422)
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
          return renderConsultation(req, reply, k.consultationId, {}, {}, 422, {
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
