import type { FastifyInstance } from 'fastify'
import accountAdminRoutes from './routes.admin.tsx'
import accountPublicRoutes from './routes.public.tsx'

/** Accounts: sign-up, confirmation, sign-in, password reset, account page and deletion; roles back office. */
export default async function accounts(app: FastifyInstance) {
  await app.register(accountPublicRoutes)
  await app.register(accountAdminRoutes, { prefix: '/admin' })
}

export {
  accountJobHandlers,
  ensureAdministrator,
  grantRole,
  revokeRole,
  publicName,
  signUp,
  isTerritoryRole,
  isPlatformRole,
  setPlatformRole,
  listPlatformRoles,
  type AccountDeps,
} from './service.ts'
export { pickPerson, type PickedPerson } from './pick.ts'
