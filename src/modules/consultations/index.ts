import type { FastifyInstance } from 'fastify'
import groupRoutes from './groups.routes.tsx'
import contributionImportRoutes from './import.routes.tsx'
import participationApiRoutes from './routes.api.ts'
import questionRoutes from './questions.routes.tsx'
import consultationRoutes from './routes.tsx'
import textRoutes from './texts.routes.tsx'
import textApiRoutes from './texts.api.ts'
import { commitmentParticipation, participationResources } from './resources.ts'
import { consultationSearch, questionSearch, textSearch } from './search.ts'

/** Citizens' participation: consultations (contributions, supports, comments, synthesis, answers), co-constructed texts, questions to elected officials and Groupes Action Projet. */
export default async function consultationsModule(app: FastifyInstance) {
  for (const source of [consultationSearch, questionSearch, textSearch]) app.platform.search.add(source)
  for (const source of participationResources) app.platform.resources.add(source)
  for (const source of commitmentParticipation) app.platform.resources.attach(source)
  await app.register(consultationRoutes)
  await app.register(contributionImportRoutes)
  await app.register(questionRoutes)
  await app.register(groupRoutes)
  await app.register(textRoutes)
  await app.register(textApiRoutes)
  await app.register(participationApiRoutes)
}

export { importContributions, readContributionsFile } from './import.ts'
export { comment, contribute, createConsultation, setSupport } from './service.ts'
export { createText, proposeAmendment, voteOnAmendment } from './texts.ts'
export { askQuestion, moderateQuestion, answerQuestion } from './questions.ts'
export { createGroup } from './groups.ts'
