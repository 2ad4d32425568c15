import type { FastifyInstance } from 'fastify'
import assemblyRoutes from './routes.tsx'
import proposalRoutes from './proposals.routes.tsx'
import proposalImportRoutes from './proposals.import.routes.tsx'
import assemblyApiRoutes from './routes.api.ts'
import { assemblySearch } from './search.ts'

/** Citizens' assemblies: the fair, transparent draw of a representative panel (LEXIMIN), then deliberation and follow-up. */
export default async function assemblies(app: FastifyInstance) {
  app.platform.search.add(assemblySearch)
  await app.register(assemblyRoutes)
  await app.register(proposalRoutes)
  await app.register(proposalImportRoutes)
  await app.register(assemblyApiRoutes)
}

export { importProposals, readProposalsFile } from './proposals.import.ts'
export {
  createAssembly,
  eraseExpiredVolunteerContacts,
  importVolunteers,
  registerVolunteer,
  saveQuotas,
  setRecruitment,
} from './service.ts'
export { commitRandomness, drawJobHandlers, prepareDraw, revealAndDraw } from './draw.ts'
export {
  InstanceError,
  panelSizeFromName,
  parseInstance,
  parseInstanceFiles,
  parseQuotas,
  typesOf,
  type Instance,
  type Quota,
} from './sortition/instance.ts'
export { Infeasible, leximin, TimeLimitReached, type LeximinResult } from './sortition/leximin.ts'
export { legacyProbabilities } from './sortition/legacy.ts'
export { relaxation } from './sortition/relaxation.ts'
export { commitmentOf, drawIndex, lotteryDigest, roundToLottery } from './sortition/lottery.ts'
