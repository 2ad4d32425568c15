import type { FastifyInstance } from 'fastify'
import type { ModuleResources } from '../../platform/resources.ts'
import { moderatedAmendments } from './moderated.ts'
import { textResources } from './resources.ts'
import textApiRoutes from './routes.api.ts'
import textRoutes from './routes.public.tsx'
import { textSearch } from './search.ts'

/** Co-constructed texts: articles, amendments voted on, versions and the final text, with the history of each. */
export default async function texts(app: FastifyInstance) {
  app.platform.search.add(textSearch)
  await app.register(textRoutes)
  await app.register(textApiRoutes)
}

/** Texts, named for follows; their amendments, moderated. */
export const textsResources: ModuleResources = { sources: [textResources], moderated: [moderatedAmendments] }

export { createText } from './service.ts'
export { proposeAmendment, voteOnAmendment } from './amendments.ts'
