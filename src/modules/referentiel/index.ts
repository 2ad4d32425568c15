import type { FastifyInstance } from 'fastify'
import referentielAdminRoutes from './routes.admin.tsx'
import referentielDataRoutes from './routes.data.ts'
import referentielContributorRoutes from './routes.contributors.tsx'
import referentielModeratorRoutes from './routes.moderators.tsx'
import referentielPublicRoutes from './routes.public.tsx'
import { practicesOfCommitment } from './resources.ts'
import type { ModuleResources } from '../../platform/resources.ts'
import { ficheSearch } from './site-search.ts'

/** The référentiel: fiches of methods, experiences and actors, moderation, search, inventory, open data. */
export default async function referentiel(app: FastifyInstance) {
  app.platform.search.add(ficheSearch)
  await app.register(referentielPublicRoutes)
  await app.register(referentielContributorRoutes)
  await app.register(referentielModeratorRoutes)
  await app.register(referentielDataRoutes)
  await app.register(referentielAdminRoutes, { prefix: '/admin/referentiel' })
}

/** The fiches that tell of a commitment, shown on its page; the référentiel's and the inventory's open data. */
export const referentielResources: ModuleResources = {
  attached: [practicesOfCommitment],
  datasets: [
    {
      key: 'referentiel',
      title: 'data.referentiel',
      description: 'data.referentiel.text',
      links: [
        { href: '/referentiel/donnees', label: 'page' },
        { href: '/referentiel/donnees/datapackage.json', label: 'Data Package' },
      ],
    },
    {
      key: 'inventory',
      title: 'data.inventory',
      description: 'data.inventory.text',
      links: [
        { href: '/referentiel/inventaire.csv', label: 'CSV' },
        { href: '/referentiel/inventaire.json', label: 'JSON' },
      ],
    },
  ],
}

export { importRecords, ImportFailed } from './import.ts'
export { readCatalogue, type SourceFile } from './import-catalogue.ts'
export { readParticipediaCsv } from './import-participedia.ts'
