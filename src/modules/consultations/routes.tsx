import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { can } from '../../platform/auth/policy.ts'
import { AppError, forbidden } from '../../platform/errors.ts'
import { perPersonLimit } from '../../platform/http/limits.ts'
import { FormBody, formValues, translateFieldErrors } from '../../platform/http/forms.ts'
import { todayInParis } from '../../platform/paris-time.ts'
import { territoryOfPage, TerritoryRefParams } from '../territories/index.ts'
import { phaseOf, type ContributionKind } from './service.ts'
import { listConsultations } from './queries.ts'
import { comment, contribute, editContribution, findContribution, setSupport } from './contributions.ts'
import { ConsultationListPage, consultationPath, ContributionEditPage } from './views.tsx'
import { renderConsultation } from './page.tsx'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
const SortQuery = Type.Object({
  tri: Type.Optional(Type.Union([Type.Literal('soutiens'), Type.Literal('recentes')])),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
})
/** posting, supporting and reporting: per person and address */
const POSTING_LIMIT = perPersonLimit(30)

/** Consultations as citizens meet them: the lists and pages, contributing, supporting, commenting. */
export default async function consultationRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  const territoryOf = (params: { kind: string; code: string }) => territoryOfPage(db(), params)

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
    '/consultations/:id',
    { schema: { params: IdParams, querystring: SortQuery, hide: true } },
    async (req, reply) => renderConsultation(db(), req, reply, req.params.id, {}, {}),
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
}
