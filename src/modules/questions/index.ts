import type { FastifyInstance } from 'fastify'
import questionApiRoutes from './routes.api.ts'
import questionRoutes from './routes.public.tsx'
import { questionSearch } from './search.ts'

/** Questions to elected officials: asked by citizens, moderated, supported, answered in public, with answer times. */
export default async function questions(app: FastifyInstance) {
  app.platform.search.add(questionSearch)
  await app.register(questionRoutes)
  await app.register(questionApiRoutes)
}

export { askQuestion, moderateQuestion, answerQuestion } from './service.ts'
