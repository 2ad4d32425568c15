import type { FastifyInstance } from 'fastify'
import territoryAdminRoutes from './routes.admin.tsx'
import territoryApiRoutes from './routes.api.ts'
import territoryPublicRoutes from './routes.public.tsx'
import { territoryResources } from './resources.ts'
import type { ModuleResources } from '../../platform/resources.ts'
import { keepNameIndexWith } from './name-index.ts'
import { territorySearch } from './search.ts'

/** Territories: the registry of the official geography and other territories, search, pages, API. */
export default async function territories(app: FastifyInstance) {
  keepNameIndexWith(app.platform.database.db, app.platform.reads)
  app.platform.search.add(territorySearch)
  await app.register(territoryPublicRoutes)
  await app.register(territoryAdminRoutes, { prefix: '/admin/territoires' })
  await app.register(territoryApiRoutes, { prefix: '/api/v1/territories' })
}

/** Territories, named for follows and other lists. */
export const territoriesResources: ModuleResources = {
  sources: [territoryResources],
  datasets: [
    {
      key: 'territories',
      title: 'data.territories',
      description: 'data.territories.text',
      links: [{ href: '/api/v1/territories?q=rennes', label: 'JSON' }],
    },
  ],
}

export { loadRegistry, readRegistry, type LoadRegistryResult } from './registry.ts'
export {
  countTerritories,
  createOtherTerritory,
  findTerritoryByRef,
  getTerritorySummaries,
  searchTerritories,
} from './service.ts'
export { regionAndDepartmentNames, territoryAndAncestors } from './queries.ts'
export { SearchForm, kindLabel, territoryPath } from './views.tsx'
export { parseTerritoryRef, normalizeName } from './normalize.ts'
export { TerritoryRefParams, territoryOfPage } from './page.ts'
export { pickTerritory, suggestTerritories, type PickedTerritory } from './pick.ts'
