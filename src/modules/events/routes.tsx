import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { FormBody } from '../../platform/http/forms.ts'
import { getTerritorySummaries, territoryOfPage, territoryPath, TerritoryRefParams } from '../territories/index.ts'
import { canManageEvent, findEvent, listEvents, type EventRow } from './service.ts'
import { calendar } from './calendar.ts'
import { register, registrationOf, unregister } from './registrations.ts'
import { eventPath, eventFilters, EventList, EventPage } from './views/events.tsx'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

/** Events as everyone meets them: the agendas, calendars, an event's page, registering and unregistering. */
export default async function eventRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  const baseUrl = () => app.platform.config.baseUrl.toString().replace(/\/$/, '')

  const territoryOf = (params: { kind: string; code: string }) => territoryOfPage(db(), params)
  const sendCalendar = (reply: FastifyReply, events: EventRow[], name: string, filename: string) =>
    reply
      .type('text/calendar; charset=utf-8')
      .header('content-disposition', `inline; filename="${filename}"`)
      .send(calendar(events, { name, baseUrl: baseUrl() }))

  // every event: the network's and the territories' public meetings, filtered by who organises and by kind
  app.get(
    '/evenements',
    {
      schema: {
        querystring: Type.Object(
          { qui: Type.Optional(Type.String()), type: Type.Optional(Type.String()) },
          { additionalProperties: true },
        ),
        hide: true,
      },
    },
    async (req, reply) => {
      const filters = eventFilters(req.query)
      const events = await listEvents(db(), {
        ...(filters.scope === 'reseau'
          ? { territoryId: null }
          : filters.scope === 'territoires'
            ? { territoriesOnly: true }
            : {}),
        ...(filters.kind ? { kind: filters.kind } : {}),
      })
      const ids = [...new Set(events.flatMap((e) => (e.territoryId ? [e.territoryId] : [])))]
      const territories = new Map(
        (await getTerritorySummaries(db(), ids)).map((s) => [s.id, { name: s.name, path: territoryPath(s) }]),
      )
      return reply.page(
        req.t('event.allTitle'),
        <EventList
          title={req.t('event.allTitle')}
          events={events}
          feed="/reseau/evenements.ics"
          newLink={req.user?.isPlatformAdmin ? '/evenements/nouveau' : null}
          territories={territories}
          filters={filters}
        />,
      )
    },
  )
  app.get('/reseau/evenements.ics', { schema: { hide: true } }, async (_req, reply) =>
    sendCalendar(
      reply,
      await listEvents(db(), { territoryId: null }),
      'Réseau Territoires Hautement Citoyens',
      'reseau.ics',
    ),
  )

  app.get(
    '/territoires/:kind/:code/evenements',
    { schema: { params: TerritoryRefParams, hide: true } },
    async (req, reply) => {
      const territory = await territoryOf(req.params)
      const events = await listEvents(db(), { territoryId: territory.id })
      return reply.page(
        `${req.t('event.title')} – ${territory.name}`,
        <EventList
          title={`${req.t('event.title')} – ${territory.name}`}
          events={events}
          feed={`${territory.path}/evenements.ics`}
          newLink={canManageEvent(req.user, territory.id) ? `${territory.path}/evenements/nouveau` : null}
        />,
      )
    },
  )
  app.get(
    '/territoires/:kind/:code/evenements.ics',
    { schema: { params: TerritoryRefParams, hide: true } },
    async (req, reply) => {
      const territory = await territoryOf(req.params)
      return sendCalendar(
        reply,
        await listEvents(db(), { territoryId: territory.id }),
        territory.name,
        `${req.params.code}.ics`,
      )
    },
  )

  app.get('/evenements/:id/agenda.ics', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    const event = await findEvent(db(), req.params.id)
    return sendCalendar(reply, [event], event.title, `evenement-${event.id}.ics`)
  })

  app.get('/evenements/:id', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    const event = await findEvent(db(), req.params.id)
    const [territory] = event.territoryId ? await getTerritorySummaries(db(), [event.territoryId]) : []
    const registration = req.user ? await registrationOf(db(), event.id, req.user.id) : null
    return reply.page(
      event.title,
      <EventPage
        event={event}
        territory={territory ? { name: territory.name, path: territoryPath(territory) } : null}
        registration={registration}
        signedIn={!!req.user}
        canManage={canManageEvent(req.user, event.territoryId)}
      />,
    )
  })

  app.post(
    '/evenements/:id/inscription',
    {
      schema: { params: IdParams, body: FormBody, hide: true },
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const status = await register(db(), { actor: requireUser(req), eventId: req.params.id, baseUrl: baseUrl() })
      req.flash('notice', req.t(status === 'waiting' ? 'event.waiting' : 'event.registered'))
      return reply.redirect(eventPath(req.params), 303)
    },
  )
  app.post(
    '/evenements/:id/desinscription',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      await unregister(db(), { actor: requireUser(req), eventId: req.params.id, baseUrl: baseUrl() })
      req.flash('notice', req.t('event.unregistered'))
      return reply.redirect(eventPath(req.params), 303)
    },
  )
}
