import type { FastifyInstance } from 'fastify'
import type { ModuleResources } from '../../platform/resources.ts'
import assessmentDataRoutes from './routes.data.tsx'
import assessmentNetworkRoutes from './routes.network.tsx'
import assessmentReviewerRoutes from './routes.reviewer.tsx'
import assessmentRoutes from './routes.tsx'

/** Independent assessment of action plans on the OGP IRM's scales: reviewers, reports, right of reply, errata. */
export default async function assessments(app: FastifyInstance) {
  await app.register(assessmentRoutes)
  await app.register(assessmentNetworkRoutes)
  await app.register(assessmentReviewerRoutes)
  await app.register(assessmentDataRoutes)
}

/** Independent assessments as open data. */
export const assessmentsResources: ModuleResources = {
  datasets: [
    {
      key: 'assessments',
      title: 'data.assessments',
      description: 'data.assessments.text',
      links: [
        { href: '/api/v1/assessments.csv', label: 'CSV' },
        { href: '/api/v1/assessments/aggregates', label: 'JSON' },
        { href: '/reseau/evaluations', label: 'page' },
      ],
    },
  ],
}

export { importOgpRatings, RatingsRefused, type RatingsOutcome } from './import.ts'
export { assessmentJobHandlers } from './publication.ts'
