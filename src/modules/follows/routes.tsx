import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { perPersonLimit } from '../../platform/http/limits.ts'
import { requireUser } from '../../platform/auth/current-user.ts'
import { AppError } from '../../platform/errors.ts'
import { FormBody, formValues, safeNextPath } from '../../platform/http/forms.ts'
import { secretQueryParam } from '../../platform/http/kernel.tsx'
import { findSubject, followsOf, isFollowable, setFollow, unsubscribe } from './service.ts'
import { FollowsPage, UnsubscribePage } from './views/follows.tsx'

/**
 * The "follow" box of a page: a signed-in person picks immediate mails, a daily or a weekly digest, or stops;
 * a visitor is asked to sign in.
 */
export default async function followRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  app.post(
    '/abonnements',
    {
      schema: { body: FormBody, hide: true },
      config: {
        rateLimit: perPersonLimit(60),
      },
    },
    async (req, reply) => {
      const actor = requireUser(req)
      const values = formValues(req.body)
      if (!isFollowable(values.subjectType) || !/^[0-9a-f-]{36}$/.test(values.subjectId ?? ''))
        throw new AppError('INVALID', { status: 400, userMessage: 'Il n’y a rien à suivre ici.' })
      const frequency = values.frequency === 'none' ? null : (values.frequency ?? '')
      const subject = await setFollow(db(), {
        resources: app.platform.resources,
        actor,
        type: values.subjectType,
        id: values.subjectId!,
        frequency,
      })
      req.flash('notice', frequency ? req.t('follow.saved') : req.t('follow.removed', { title: subject.title }))
      return reply.redirect(safeNextPath(values.next, subject.path), 303)
    },
  )

  app.get('/compte/abonnements', { schema: { hide: true } }, async (req, reply) => {
    const actor = requireUser(req)
    return reply.page(
      req.t('follow.title'),
      <FollowsPage items={await followsOf(db(), app.platform.resources, actor.id)} />,
    )
  })

  const UnsubscribeQuery = Type.Object({ jeton: Type.String({ minLength: 1, maxLength: 2000 }) })
  /** The person and scope a link names, or a 400 page when it was altered. */
  async function checkLink(req: FastifyRequest, token: string) {
    const check = app.platform.tokens.verify(token, 'unsubscribe')
    if (!check.ok) throw new AppError('INVALID_LINK', { status: 400, userMessage: req.t('follow.unsubscribe.invalid') })
    const scope = check.stamp
    const [type, id] = scope.split(':')
    let question = req.t('follow.unsubscribe.all')
    if (type === 'frequency' && (id === 'daily' || id === 'weekly'))
      question = req.t('follow.unsubscribe.digest', { frequency: req.t(`follow.digest.${id}`) })
    else if (isFollowable(type) && id)
      question = req.t('follow.unsubscribe.one', {
        title: await findSubject(db(), app.platform.resources, type, id).then(
          (s) => s.title,
          () => '—',
        ),
      })
    return { userId: check.userId, scope, question }
  }

  // The link of a mail asks before it acts (mail scanners follow links); the mail client's one-click POST and the
  // page's button both unsubscribe.
  app.get(
    '/abonnements/desinscription',
    { schema: { querystring: UnsubscribeQuery, hide: true }, config: { secretQuery: ['jeton'] } },
    async (req, reply) => {
      const token = secretQueryParam(req, 'jeton')
      const link = await checkLink(req, token)
      reply.header('referrer-policy', 'no-referrer')
      return reply.page(
        req.t('follow.unsubscribe.title'),
        <UnsubscribePage question={link.question} token={token} outcome="ask" />,
      )
    },
  )

  app.post(
    '/abonnements/desinscription',
    {
      schema: { querystring: UnsubscribeQuery, hide: true },
      config: { signedLink: true, secretQuery: ['jeton'], rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const link = await checkLink(req, secretQueryParam(req, 'jeton'))
      const removed = await unsubscribe(db(), {
        resources: app.platform.resources,
        userId: link.userId,
        scope: link.scope,
      })
      reply.header('referrer-policy', 'no-referrer')
      return reply.page(
        req.t('follow.unsubscribe.title'),
        <UnsubscribePage question={link.question} token="" outcome={removed.length > 0 ? 'done' : 'nothing'} />,
      )
    },
  )
}
