import type { FastifyInstance } from 'fastify'
import groupRoutes from './groups.routes.tsx'
import participationApiRoutes from './routes.api.ts'
import questionRoutes from './questions.routes.tsx'
import consultationRoutes from './routes.tsx'

/** Citizens' participation: consultations (contributions, supports, comments, synthesis, answers) and questions to elected officials. */
export default async function consultationsModule(app: FastifyInstance) {
  await app.register(consultationRoutes)
  await app.register(questionRoutes)
  await app.register(groupRoutes)
  await app.register(participationApiRoutes)
}


