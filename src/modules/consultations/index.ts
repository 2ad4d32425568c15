import type { FastifyInstance } from 'fastify'
import type { ModuleResources } from '../../platform/resources.ts'
import contributionImportRoutes from './routes.import.tsx'
import { moderatedParticipation } from './moderated.ts'
import { consultationResources, retainedContributions } from './resources.ts'
import consultationApiRoutes from './routes.api.ts'
import consultationStaffRoutes from './routes.staff.tsx'
import consultationRoutes from './routes.tsx'
import { consultationSearch } from './search.ts'

/** Consultations: contributions, supports, comments, a synthesis and the territory's public answers. */
export default async function consultationsModule(app: FastifyInstance) {
  app.platform.search.add(consultationSearch)
  await app.register(consultationRoutes)
  await app.register(consultationStaffRoutes)
  await app.register(contributionImportRoutes)
  await app.register(consultationApiRoutes)
}

/** Consultations, named for follows; a commitment's retained contributions; contributions and comments moderated. */
export const consultationsResources: ModuleResources = {
  sources: [consultationResources],
  attached: [retainedContributions],
  moderated: moderatedParticipation,
}

export { importContributions, readContributionsFile } from './import.ts'
export { createConsultation } from './service.ts'
export { comment, contribute, setSupport } from './contributions.ts'
