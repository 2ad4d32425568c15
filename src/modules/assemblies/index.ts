import type { FastifyInstance } from 'fastify'
import assemblyPublicRoutes from './routes.public.tsx'
import assemblyMemberRoutes from './routes.members.tsx'
import assemblyStaffRoutes from './routes.staff.tsx'
import assemblyApiRoutes from './routes.api.ts'
import { proposalsOfCommitment } from './resources.ts'
import type { ModuleResources } from '../../platform/resources.ts'
import { assemblySearch } from './search.ts'

/** Citizens' assemblies: the fair, transparent draw of a representative panel (LEXIMIN), then deliberation and follow-up. */
export default async function assemblies(app: FastifyInstance) {
  app.platform.search.add(assemblySearch)
  await app.register(assemblyPublicRoutes)
  await app.register(assemblyMemberRoutes)
  await app.register(assemblyStaffRoutes)
  await app.register(assemblyApiRoutes)
}

/** The proposals a commitment carries, shown on its page. */
export const assembliesResources: ModuleResources = { attached: [proposalsOfCommitment] }

export { importProposals, readProposalsFile } from './proposals.import.ts'
export { createAssembly, setRecruitment } from './service.ts'
export { eraseExpiredVolunteerContacts, registerVolunteer } from './volunteers.ts'
export { importVolunteers } from './volunteer-import.ts'
export { saveQuotas } from './quotas.ts'
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
