import type { FastifyInstance } from 'fastify'
import assessmentRoutes from './routes.tsx'

/** Independent assessment of action plans on the OGP IRM's scales: reviewers, reports, right of reply, errata. */
export default async function assessments(app: FastifyInstance) {
  await app.register(assessmentRoutes)
}

export { importOgpRatings, RatingsRefused, type RatingsOutcome } from './import.ts'
export { assessmentJobHandlers } from './service.ts'
