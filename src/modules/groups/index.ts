import type { FastifyInstance } from 'fastify'
import type { ModuleResources } from '../../platform/resources.ts'
import { groupResources, groupsOfCommitment } from './resources.ts'
import groupRoutes from './routes.public.tsx'

/** Groupes Action Projet: citizens and staff who carry out a commitment together, with notes and actions. */
export default async function groups(app: FastifyInstance) {
  await app.register(groupRoutes)
}

/** Groups, named for follows and listed on the page of the commitment they work on. */
export const groupsResources: ModuleResources = { sources: [groupResources], attached: [groupsOfCommitment] }

export { createGroup } from './service.ts'
