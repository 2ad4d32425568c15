import type { FastifyInstance } from 'fastify'
import moderationPublicRoutes from './routes.public.tsx'
import moderationStaffRoutes from './routes.staff.tsx'

/**
 * Moderation of what people write, whatever the module: reports, a threshold that hides until review, hiding with
 * a public reason, restoring, hiding an account's contents, and the moderators' review page. Modules lend their
 * contents as `moderated` sources in their `ModuleResources` (`platform/moderation.ts`).
 */
export default async function moderation(app: FastifyInstance) {
  await app.register(moderationPublicRoutes)
  await app.register(moderationStaffRoutes)
}

export { ModerateControls, ReportForm } from './views/moderation.tsx'
