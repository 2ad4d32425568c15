import type { FastifyInstance } from 'fastify'
import eventRoutes from './routes.tsx'
import { eventSearch } from './search.ts'

/** Public meetings of territories and the network's events: registration, waiting list, iCal. */
export default async function events(app: FastifyInstance) {
  app.platform.search.add(eventSearch)
  await app.register(eventRoutes)
}

export { createEvent, parisInstant, register, sendReminders } from './service.ts'
