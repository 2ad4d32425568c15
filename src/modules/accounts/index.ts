import type { FastifyInstance } from 'fastify'
import accountAdminRoutes from './routes.admin.tsx'
import accountPublicRoutes from './routes.public.tsx'

/** Accounts: sign-up, confirmation, sign-in, password reset, account page and deletion; roles back office. */
export default async function accounts(app: FastifyInstance) {
  await app.register(accountPublicRoutes)
  await app.register(accountAdminRoutes, { prefix: '/admin' })
}

export { accountJobHandlers, publicName, signUp, type AccountDeps } from './service.ts'
export {
  ensureAdministrator,
  grantRole,
  revokeRole,
  isTerritoryRole,
  isPlatformRole,
  setPlatformRole,
  listPlatformRoles,
} from './roles.ts'
export { pickPerson, type PickedPerson } from './pick.ts'
