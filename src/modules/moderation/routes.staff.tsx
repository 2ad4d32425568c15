import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { can } from '../../platform/auth/policy.ts'
import { AppError, forbidden } from '../../platform/errors.ts'
import { FormBody, formValues } from '../../platform/http/forms.ts'
import { territoryOfPage, TerritoryRefParams } from '../territories/index.ts'
import { hideAccountContent, hideContent, moderationOverview, pageOfContent, restoreContent } from './service.ts'
import { ModerationPage } from './views/moderation.tsx'

/** a content named by its type (as its module registered it) and id */
const ContentParams = Type.Object({
  type: Type.String({ pattern: '^[a-z][a-z-]{0,39}$' }),
  id: Type.String({ format: 'uuid' }),
})

/**
 * The territory's moderators (the services check each right): hide or restore a content from where it is shown,
 * review what was reported, and hide all of an account's contents.
 */
export default async function moderationStaffRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db
  const resources = app.platform.resources

  app.post(
    '/contenus/:type/:id/masquer',
    { schema: { params: ContentParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const page = await pageOfContent(db(), resources, req.params.type, req.params.id)
      try {
        await hideContent(db(), {
          resources,
          actor: requireUser(req),
          type: req.params.type,
          id: req.params.id,
          reason: formValues(req.body).reason ?? '',
        })
        req.flash('notice', req.t('moderation.hiddenDone'))
      } catch (error) {
        // no reason given: back where the moderator was, saying so (nothing changed)
        if (!(error instanceof AppError) || error.status !== 422) throw error
        req.flash('error', req.t('moderation.error.reason'))
      }
      return reply.redirect(page, 303)
    },
  )
  app.post(
    '/contenus/:type/:id/retablir',
    { schema: { params: ContentParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const page = await pageOfContent(db(), resources, req.params.type, req.params.id)
      await restoreContent(db(), { resources, actor: requireUser(req), ...req.params })
      return reply.redirect(page, 303)
    },
  )
  app.get(
    '/territoires/:kind/:code/moderation',
    { schema: { params: TerritoryRefParams, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const territory = await territoryOfPage(db(), req.params)
      if (!can(actor, 'content.moderate', territory.id)) throw forbidden('Vous ne modérez pas ce territoire.')
      const { items, log } = await moderationOverview(db(), resources, territory.id)
      return reply.page(
        req.t('moderation.title'),
        <ModerationPage
          territory={territory}
          threshold={app.platform.config.reportHideThreshold}
          items={items}
          log={log}
        />,
      )
    },
  )
  app.post(
    '/territoires/:kind/:code/moderation/compte',
    { schema: { params: TerritoryRefParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const territory = await territoryOfPage(db(), req.params)
      const values = formValues(req.body)
      if (!/^[0-9a-f-]{36}$/.test(values.userId ?? ''))
        throw new AppError('BAD_REQUEST', { status: 400, userMessage: 'Compte inconnu.' })
      const count = await hideAccountContent(db(), {
        resources,
        actor,
        territoryId: territory.id,
        userId: values.userId!,
        reason: values.reason ?? '',
      })
      req.flash('notice', req.t('moderation.accountHidden', { count }))
      return reply.redirect(`${territory.path}/moderation`, 303)
    },
  )
}
