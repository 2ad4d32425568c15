import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { perPersonLimit } from '../../platform/http/limits.ts'
import { FormBody, formValues } from '../../platform/http/forms.ts'
import { pageOfContent, reportContent } from './service.ts'

/** a content named by its type (as its module registered it) and id */
const ContentParams = Type.Object({
  type: Type.String({ pattern: '^[a-z][a-z-]{0,39}$' }),
  id: Type.String({ format: 'uuid' }),
})
/** posting, supporting and reporting: per person and address */
const POSTING_LIMIT = perPersonLimit(30)

/** Anyone signed in reports a content of any module to its territory's moderators. */
export default async function moderationPublicRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db
  const resources = app.platform.resources

  app.post(
    '/contenus/:type/:id/signalement',
    { schema: { params: ContentParams, body: FormBody, hide: true }, config: { rateLimit: POSTING_LIMIT } },
    async (req, reply) => {
      const actor = requireUser(req)
      const page = await pageOfContent(db(), resources, req.params.type, req.params.id)
      await reportContent(db(), {
        resources,
        actor,
        type: req.params.type,
        id: req.params.id,
        reason: formValues(req.body).reason ?? '',
        threshold: app.platform.config.reportHideThreshold,
      })
      req.flash('notice', req.t('moderation.reported'))
      return reply.redirect(page, 303)
    },
  )
}
