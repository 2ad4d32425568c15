import type { FastifyInstance } from 'fastify'
import membershipRoutes from './routes.tsx'

/** Membership: territories join the network and the THC programme; public list of members. */
export default async function membership(app: FastifyInstance) {
  await app.register(membershipRoutes)
}

export { contributionFor, findMembership } from './service.ts'
