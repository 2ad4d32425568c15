import type { FastifyInstance } from 'fastify'
import groupRoutes from './groups.routes.tsx'
import contributionImportRoutes from './import.routes.tsx'
import participationApiRoutes from './routes.api.ts'
import questionRoutes from './questions.routes.tsx'
import consultationRoutes from './routes.tsx'
import textRoutes from './texts.routes.tsx'
import textApiRoutes from './texts.api.ts'
import { moderatedParticipation } from './moderated.ts'
import { commitmentParticipation, participationResources } from './resources.ts'
import type { ModuleResources } from '../../platform/resources.ts'
import { consultationSearch, questionSearch, textSearch } from './search.ts'

/** Citizens' participation: consultations (contributions, supports, comments, synthesis, answers), co-constructed texts, questions to elected officials and Groupes Action Projet. */
export default async function consultationsModule(app: FastifyInstance) {
  for (const source of [consultationSearch, questionSearch, textSearch]) app.platform.search.add(source)
  await app.register(consultationRoutes)
  await app.register(contributionImportRoutes)
  await app.register(questionRoutes)
  await app.register(groupRoutes)
  await app.register(textRoutes)
  await app.register(textApiRoutes)
  await app.register(participationApiRoutes)
}

/** Consultations, groups and texts, named for follows; a commitment's contributions and groups, for its page. */
export const consultationsResources: ModuleResources = {
  sources: participationResources,
  attached: commitmentParticipation,
  moderated: moderatedParticipation,
}

export { importContributions, readContributionsFile } from './import.ts'
export { comment, contribute, createConsultation, setSupport } from './service.ts'
export { createText, proposeAmendment, voteOnAmendment } from './texts.ts'
export { askQuestion, moderateQuestion, answerQuestion } from './questions.ts'
export { createGroup } from './groups.ts'
