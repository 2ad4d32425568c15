import type { SearchSource } from '../../platform/search.ts'
import { searchTerritories } from './service.ts'
import { kindLabel, territoryPath } from './views.tsx'

/** Territories by name or code, typo-tolerant (the territory search's own ranking). */
export const territorySearch: SearchSource = {
  key: 'territoires',
  label: 'search.section.territories',
  async find(db, words, limit, t) {
    const result = await searchTerritories(db, { q: words.join(' ') })
    return result.items.slice(0, limit).map((item) => ({
      title:
        item.departements.length === 1 && item.kind === 'commune'
          ? `${item.name} (${item.departements[0]})`
          : item.name,
      path: territoryPath(item),
      detail: kindLabel(t, item),
    }))
  },
}
