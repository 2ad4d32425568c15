import type { ResourceSource } from '../../platform/resources.ts'
import { findTerritoriesByIds } from './queries.ts'
import { territoryPath } from './views.tsx'

/** Territories, as other modules name them: every territory of the registry is public. */
export const territoryResources: ResourceSource = {
  type: 'territory',
  async find(db, ids) {
    return (await findTerritoriesByIds(db, ids)).map((t) => ({
      type: 'territory',
      id: t.id,
      territoryId: t.id,
      title: t.name,
      path: territoryPath(t),
    }))
  },
}
