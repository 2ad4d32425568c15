import type { FastifyInstance } from 'fastify'
import headRoutes from './routes.heads.tsx'
import planImportRoutes from './routes.import.tsx'
import networkRoutes from './routes.network.tsx'
import planApiRoutes from './routes.api.ts'
import planJsonRoutes from './routes.json.ts'
import planPublicRoutes from './routes.public.tsx'
import planProgressRoutes from './routes.progress.tsx'
import planStaffRoutes from './routes.staff.tsx'
import { commitmentResources } from './resources.ts'
import type { ModuleResources } from '../../platform/resources.ts'
import { commitmentSearch } from './search.ts'

/** Action plans: commitments, milestones, progress updates, public dashboard and tamper-evident history. */
export default async function plans(app: FastifyInstance) {
  app.platform.search.add(commitmentSearch)
  await app.register(planPublicRoutes)
  await app.register(planStaffRoutes)
  await app.register(planProgressRoutes)
  await app.register(planApiRoutes, { prefix: '/api/v1' })
  await app.register(planJsonRoutes, { prefix: '/api/v1' })
  await app.register(networkRoutes)
  await app.register(headRoutes)
  await app.register(planImportRoutes)
}

/** Commitments (of published or closed plans), named for follows and other lists; the plans' open data. */
export const plansResources: ModuleResources = {
  sources: [commitmentResources],
  datasets: [
    {
      key: 'commitments',
      title: 'data.commitments',
      description: 'data.commitments.text',
      links: [
        { href: '/api/v1/commitments.csv', label: 'CSV' },
        { href: '/api/v1/schemas/commitments.json', label: 'Table Schema' },
      ],
    },
    {
      key: 'history',
      title: 'data.history',
      description: 'data.history.text',
      links: [
        { href: '/api/v1/history.csv', label: 'CSV' },
        { href: '/api/v1/schemas/history.json', label: 'Table Schema' },
      ],
    },
    {
      key: 'network',
      title: 'data.network',
      description: 'data.network.text',
      links: [
        { href: '/api/v1/network', label: 'JSON' },
        { href: '/api/v1/network.csv', label: 'CSV' },
        { href: '/reseau', label: 'page' },
      ],
    },
  ],
}

export { canonicalJson, headDigest, publishHistoryHeads, verifyHistory, type PublishedHead } from './history.ts'
export {
  commitmentOfPublicMilestone,
  commitmentsBySourceKeys,
  commitmentsOfTerritory,
  isCommitmentOfTerritory,
  openPlansOfTerritory,
  publishedCommitments,
  publicCommitmentsByIds,
  publishedMilestones,
  type PublicCommitment,
} from './queries.ts'
export { runPlanImport, type ImportOutcome } from './import-apply.ts'
export { IMPORT_FORMATS, readPlansFile, type ImportFormat } from './import-formats.ts'
export { addCommitment, addMilestone } from './commitments.ts'
export { createPlan, findPlan, transitionPlan, type CommitmentInput } from './service.ts'
export { findPlanByTitle, getVisiblePlan, loadPlanTree, type CommitmentView } from './tree.ts'
export { postUpdate } from './updates.ts'
export { planPath, commitmentPath, StatusBadge, ProgressBar, CommitmentStatus } from './views.tsx'
export type { PlanRow } from './tables.ts'
export { pickPublicCommitment, suggestPublicCommitments, type PickedCommitment } from './pick.ts'
export { selfReportedCompletion, type Completion } from './progress.ts'
