import type { FastifyInstance } from 'fastify'
import hubRoutes from './hubs.tsx'
import homeRoutes from './routes.public.tsx'

/** Home: the programme's front page and the site's fixed pages. */
export default async function home(app: FastifyInstance) {
  await app.register(homeRoutes)
  await app.register(hubRoutes)
}
