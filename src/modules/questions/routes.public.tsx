import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { AppError, notFound } from '../../platform/errors.ts'
import { perPersonLimit } from '../../platform/http/limits.ts'
import { FormBody, formValues, translateFieldErrors } from '../../platform/http/forms.ts'
import { getTerritorySummaries, territoryOfPage, territoryPath, TerritoryRefParams } from '../territories/index.ts'
import {
  answerQuestion,
  askQuestion,
  canAnswerQuestion,
  canSeeQuestion,
  electedOfficials,
  findQuestion,
  listQuestions,
  moderateQuestion,
  questionStats,
  supportQuestion,
  supportsOf,
} from './service.ts'
import { questionPath, QuestionsPage, QuestionPage } from './views/questions.tsx'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
/** posting, supporting and reporting: per person and address */
const POSTING_LIMIT = perPersonLimit(20)

/** Questions to elected officials: ask, moderate, support, answer; the page shows who answers and how fast. */
export default async function questionRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  const territoryOf = (params: { kind: string; code: string }) => territoryOfPage(db(), params)
  async function renderList(
    req: FastifyRequest,
    reply: FastifyReply,
    params: { kind: string; code: string },
    values: Record<string, string>,
    errors: Record<string, string>,
    status = 200,
    moderation?: { questionId: string; reason: string; error: string },
  ) {
    const territory = await territoryOf(params)
    const [lists, stats, officials, supported] = await Promise.all([
      listQuestions(db(), territory.id, req.user),
      questionStats(db(), territory.id),
      electedOfficials(db(), territory.id),
      req.user ? supportsOf(db(), req.user.id, territory.id) : new Set<string>(),
    ])
    return reply.page(
      `${req.t('question.title')} – ${territory.name}`,
      <QuestionsPage
        territory={territory}
        moderation={moderation}
        lists={lists}
        stats={stats}
        officials={officials}
        supported={supported}
        signedIn={!!req.user}
        values={values}
        errors={errors}
      />,
      status,
    )
  }

  app.get(
    '/territoires/:kind/:code/questions',
    { schema: { params: TerritoryRefParams, hide: true } },
    async (req, reply) => renderList(req, reply, req.params, {}, {}),
  )

  app.post(
    '/territoires/:kind/:code/questions',
    { schema: { params: TerritoryRefParams, body: FormBody, hide: true }, config: { rateLimit: POSTING_LIMIT } },
    async (req, reply) => {
      const actor = requireUser(req)
      const territory = await territoryOf(req.params)
      const values = formValues(req.body)
      try {
        await askQuestion(db(), {
          actor,
          territoryId: territory.id,
          input: {
            addresseeId: /^[0-9a-f-]{36}$/.test(values.addresseeId ?? '') ? values.addresseeId! : null,
            title: values.title ?? '',
            body: values.body ?? '',
          },
        })
      } catch (error) {
        if (error instanceof AppError && error.status === 422)
          return renderList(req, reply, req.params, values, translateFieldErrors(req.t, error.fields), 422)
        throw error
      }
      req.flash('notice', req.t('question.sent'))
      return reply.redirect(`${territory.path}/questions`, 303)
    },
  )

  async function renderQuestion(
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    values: Record<string, string>,
    errors: Record<string, string>,
    status = 200,
  ) {
    const q = await findQuestion(db(), id)
    if (!canSeeQuestion(req.user, q)) throw notFound()
    const [territory] = await getTerritorySummaries(db(), [q.territoryId])
    const canAnswer = canAnswerQuestion(req.user, q)
    return reply.page(
      q.title,
      <QuestionPage
        q={q}
        territory={{ name: territory!.name, path: territoryPath(territory!) }}
        canAnswer={canAnswer}
        values={values}
        errors={errors}
      />,
      status,
    )
  }

  app.get('/questions/:id', { schema: { params: IdParams, hide: true } }, async (req, reply) =>
    renderQuestion(req, reply, req.params.id, {}, {}),
  )

  app.post(
    '/questions/:id/moderation',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const values = formValues(req.body)
      const q = await findQuestion(db(), req.params.id)
      const [territory] = await getTerritorySummaries(db(), [q.territoryId])
      try {
        await moderateQuestion(db(), {
          actor,
          questionId: q.id,
          decision: values.decision === 'reject' ? 'reject' : 'publish',
          reason: values.reason ?? '',
        })
      } catch (error) {
        if (error instanceof AppError && error.status === 422 && error.fields?.reason) {
          const message = translateFieldErrors(req.t, error.fields).reason ?? ''
          return renderList(req, reply, { kind: territory!.kind, code: territory!.code }, {}, {}, 422, {
            questionId: q.id,
            reason: values.reason ?? '',
            error: message,
          })
        }
        throw error
      }
      return reply.redirect(`${territoryPath(territory!)}/questions`, 303)
    },
  )

  app.post(
    '/questions/:id/soutien',
    { schema: { params: IdParams, body: FormBody, hide: true }, config: { rateLimit: POSTING_LIMIT } },
    async (req, reply) => {
      await supportQuestion(db(), {
        actor: requireUser(req),
        questionId: req.params.id,
        supported: formValues(req.body).supported !== 'false',
      })
      return reply.redirect(questionPath(req.params), 303)
    },
  )

  app.post(
    '/questions/:id/reponse',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const values = formValues(req.body)
      try {
        await answerQuestion(db(), { actor: requireUser(req), questionId: req.params.id, answer: values.answer ?? '' })
      } catch (error) {
        if (error instanceof AppError && error.status === 422)
          return renderQuestion(req, reply, req.params.id, values, translateFieldErrors(req.t, error.fields), 422)
        throw error
      }
      return reply.redirect(questionPath(req.params), 303)
    },
  )
}
