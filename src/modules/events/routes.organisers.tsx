import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { AppError, forbidden } from '../../platform/errors.ts'
import { FormBody, formValues, translateFieldErrors } from '../../platform/http/forms.ts'
import { normalizeDays } from '../../platform/http/rules.ts'
import { sendCsv, type CsvColumn } from '../../platform/http/csv.ts'
import type { FieldErrors, FormValues } from '../../platform/layout/forms.tsx'
import { territoryOfPage, TerritoryRefParams } from '../territories/index.ts'
import {
  cancelEvent,
  canManageEvent,
  createEvent,
  EVENT_KINDS,
  findEvent,
  parisInstant,
  saveMinutes,
  type EventKind,
} from './service.ts'
import { listRegistrants, messageRegistrants, type RegistrantRow } from './registrations.ts'
import { eventPath, EventFormPage, RegistrantsPage } from './views/events.tsx'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

/** Organisers (the territory's staff, or the network's team): scheduling, registrants, messages, cancellation, the report. */
export default async function eventOrganiserRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  const territoryOf = (params: { kind: string; code: string }) => territoryOfPage(db(), params)

  // ——— scheduling: the territory's staff, or the network's team ———
  async function scheduling(req: FastifyRequest, reply: FastifyReply, territoryId: string | null, action: string) {
    const actor = requireUser(req)
    if (!canManageEvent(actor, territoryId)) throw forbidden('Vous ne programmez pas d’événement ici.')
    if (req.method === 'GET')
      return reply.page(
        req.t('event.new'),
        <EventFormPage action={action} values={{ kind: territoryId ? 'public_meeting' : 'field_visit' }} errors={{}} />,
      )
    const v = normalizeDays(formValues(req.body), 'day')
    const errors: Record<string, string> = {}
    const startsAt = parisInstant(v.day ?? '', v.start ?? '')
    const endsAt = parisInstant(v.day ?? '', v.end ?? '')
    if ((v.title ?? '').trim().length < 3 || (v.title ?? '').length > 200) errors.title = req.t('event.error.title')
    if (!startsAt) errors.start = req.t('event.error.when')
    if (!endsAt || (startsAt && endsAt <= startsAt)) errors.end = req.t('event.error.when')
    if (v.capacity && !/^[1-9]\d{0,5}$/.test(v.capacity)) errors.capacity = req.t('event.error.capacity')
    if (v.onlineUrl && !/^https?:\/\/\S+$/.test(v.onlineUrl)) errors.onlineUrl = req.t('event.error.url')
    const kind = (EVENT_KINDS as readonly string[]).includes(v.kind ?? '') ? (v.kind as EventKind) : 'public_meeting'
    if (Object.keys(errors).length > 0)
      return reply.page(req.t('event.new'), <EventFormPage action={action} values={v} errors={errors} />, 422)
    try {
      const id = await createEvent(db(), {
        actor,
        territoryId,
        input: {
          kind,
          title: v.title!.trim(),
          description: (v.description ?? '').trim(),
          startsAt: startsAt!,
          endsAt: endsAt!,
          place: (v.place ?? '').trim(),
          onlineUrl: v.onlineUrl || null,
          audience: (v.audience ?? '').trim(),
          capacity: v.capacity ? Number(v.capacity) : null,
        },
      })
      return reply.redirect(eventPath({ id }), 303)
    } catch (error) {
      if (error instanceof AppError && error.status === 422)
        return reply.page(
          req.t('event.new'),
          <EventFormPage action={action} values={v} errors={translateFieldErrors(req.t, error.fields)} />,
          422,
        )
      throw error
    }
  }
  for (const method of ['GET', 'POST'] as const) {
    app.route({
      method,
      url: '/evenements/nouveau',
      schema: { hide: true, ...(method === 'POST' ? { body: FormBody } : {}) },
      handler: async (req, reply) => scheduling(req, reply, null, '/evenements/nouveau'),
    })
    app.route({
      method,
      url: '/territoires/:kind/:code/evenements/nouveau',
      schema: { hide: true, params: TerritoryRefParams, ...(method === 'POST' ? { body: FormBody } : {}) },
      handler: async (req, reply) => {
        const territory = await territoryOf(req.params as { kind: string; code: string })
        return scheduling(req, reply, territory.id, `${territory.path}/evenements/nouveau`)
      },
    })
  }

  async function registrantsPage(
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    values: FormValues,
    errors: FieldErrors,
    status = 200,
  ) {
    const actor = requireUser(req)
    const [event, registrants] = await Promise.all([findEvent(db(), id), listRegistrants(db(), actor, id)])
    return reply.page(
      req.t('event.registrants.title', { title: event.title }),
      <RegistrantsPage event={event} registrants={registrants} values={values} errors={errors} />,
      status,
    )
  }
  app.get('/evenements/:id/inscrits', { schema: { params: IdParams, hide: true } }, async (req, reply) =>
    registrantsPage(req, reply, req.params.id, {}, {}),
  )
  app.get('/evenements/:id/inscrits.csv', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    const registrants = await listRegistrants(db(), requireUser(req), req.params.id)
    const columns: CsvColumn<RegistrantRow>[] = [
      { name: 'nom', value: (r) => r.name },
      { name: 'email', value: (r) => r.email },
      { name: 'statut', value: (r) => (r.status === 'waiting' ? 'en_attente' : 'inscrit') },
      { name: 'inscrit_le', value: (r) => new Date(r.registeredAt) },
    ]
    // private data: never cached, by the browser or anything between
    reply.header('cache-control', 'private, no-store')
    // one page: an event's registrants fit in memory
    return sendCsv(reply, {
      filename: `inscrits-${req.params.id}.csv`,
      columns,
      nextPage: async (after) => (after === null ? registrants : []),
    })
  })
  app.post(
    '/evenements/:id/message',
    {
      schema: { params: IdParams, body: FormBody, hide: true },
      config: { rateLimit: { max: 10, timeWindow: '1 hour' } },
    },
    async (req, reply) => {
      const values = formValues(req.body)
      try {
        const count = await messageRegistrants(db(), {
          actor: requireUser(req),
          eventId: req.params.id,
          input: {
            subject: values.subject ?? '',
            body: values.body ?? '',
            audience: values.audience === 'all' ? 'all' : 'registered',
          },
        })
        app.jobs.wake()
        req.flash('notice', req.t('event.message.sent', { count }))
      } catch (error) {
        if (error instanceof AppError && error.status === 422)
          return registrantsPage(req, reply, req.params.id, values, translateFieldErrors(req.t, error.fields), 422)
        throw error
      }
      return reply.redirect(`${eventPath(req.params)}/inscrits`, 303)
    },
  )
  app.post(
    '/evenements/:id/annulation',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      await cancelEvent(db(), {
        actor: requireUser(req),
        eventId: req.params.id,
        reason: formValues(req.body).reason ?? '',
      })
      return reply.redirect(eventPath(req.params), 303)
    },
  )
  app.post(
    '/evenements/:id/compte-rendu',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      await saveMinutes(db(), {
        actor: requireUser(req),
        eventId: req.params.id,
        minutes: formValues(req.body).minutes ?? '',
      })
      return reply.redirect(eventPath(req.params), 303)
    },
  )
}
