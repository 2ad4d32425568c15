import type { FastifyInstance } from 'fastify'
import consultationRoutes from './routes.tsx'

/** Consultations of a territory: contributions, supports, comments, synthesis and answers. */
export default async function consultationsModule(app: FastifyInstance) {
  await app.register(consultationRoutes)
}


