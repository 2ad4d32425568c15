import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { safeNextPath } from '../../platform/http/forms.ts'
import { rememberLocale } from '../../platform/http/locale.ts'
import { countTerritories } from '../territories/index.ts'
import { HomePage, TextPage, LicencePage } from './views/home.tsx'

/** The public shell: home page, legal and accessibility pages, language switch. */
export default async function homeRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    const territoryCount = await countTerritories(app.platform.database.db)
    return reply.page(req.t('nav.home'), <HomePage territoryCount={territoryCount} />)
  })
  app.get('/mentions-legales', { schema: { hide: true } }, async (req, reply) =>
    reply.page(req.t('legal.title'), <TextPage title={req.t('legal.title')} body={req.t('legal.body')} />),
  )
  app.get('/accessibilite', { schema: { hide: true } }, async (req, reply) =>
    reply.page(req.t('a11y.title'), <TextPage title={req.t('a11y.title')} body={req.t('a11y.body')} />),
  )
  app.get('/licence', { schema: { hide: true } }, async (_req, reply) => reply.page('Licence', <LicencePage />))

  // A plain link, so it works without JavaScript; the choice is kept in a cookie for a year.
  app.get(
    '/langue/:locale',
    {
      schema: {
        hide: true,
        params: Type.Object({ locale: Type.Union([Type.Literal('fr'), Type.Literal('en')]) }),
        querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })) }),
      },
    },
    async (req, reply) => {
      rememberLocale(reply, req.params.locale)
      return reply.redirect(safeNextPath(req.query.next), 303)
    },
  )
}
