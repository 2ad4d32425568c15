import type { FastifyInstance } from 'fastify'
import type { ModuleResources } from '../../platform/resources.ts'
import membershipAdminRoutes from './routes.admin.tsx'
import membershipRoutes from './routes.public.tsx'

/** Membership: territories join the network and the THC programme; public list of members; the team's back office. */
export default async function membership(app: FastifyInstance) {
  await app.register(membershipRoutes)
  // every back-office route sits behind the administrators-only hook of its plugin
  await app.register(membershipAdminRoutes, { prefix: '/admin/adhesions' })
}

/** The programme's members as open data. */
export const membershipResources: ModuleResources = {
  datasets: [
    {
      key: 'members',
      title: 'data.members',
      description: 'data.members.text',
      links: [
        { href: '/api/v1/members.csv', label: 'CSV' },
        { href: '/membres', label: 'page' },
      ],
    },
  ],
}

export { contributionFor, findMembership } from './service.ts'
