import type { FastifyInstance } from 'fastify'
import type { ModuleResources } from '../../platform/resources.ts'
import eventOrganiserRoutes from './routes.organisers.tsx'
import eventRoutes from './routes.tsx'
import { eventSearch } from './search.ts'

/** Public meetings of territories and the network's events: registration, waiting list, iCal. */
export default async function events(app: FastifyInstance) {
  app.platform.search.add(eventSearch)
  await app.register(eventRoutes)
  await app.register(eventOrganiserRoutes)
}

/** The network's events as a calendar. */
export const eventsResources: ModuleResources = {
  datasets: [
    {
      key: 'events',
      title: 'data.events',
      description: 'data.events.text',
      links: [{ href: '/reseau/evenements.ics', label: 'iCalendar' }],
    },
  ],
}

export { createEvent, parisInstant } from './service.ts'
export { register, sendReminders } from './registrations.ts'
