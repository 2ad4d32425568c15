import type { TerritorySummary } from './queries.ts'
import type { getTerritoryPage } from './service.ts'
import { territoryPath } from './views.tsx'

/** The public JSON shape of a territory in a list. */
export function presentTerritorySummary(t: TerritorySummary) {
  return {
    kind: t.kind,
    code: t.code,
    name: t.name,
    epciNature: t.epciNature,
    population: t.population,
    departements: t.departements,
    retired: t.retired,
    url: territoryPath(t),
  }
}

/** The public JSON shape of one territory. */
export function presentTerritory(data: Awaited<ReturnType<typeof getTerritoryPage>>) {
  const { territory, parents, profile } = data
  return {
    kind: territory.kind as TerritorySummary['kind'],
    code: territory.code,
    name: territory.name,
    epciNature: territory.epciNature,
    zone: territory.zone,
    population: territory.population,
    source: territory.source as 'cog' | 'manual',
    retired: territory.retiredAt !== null,
    parents: parents.map((p) => ({ kind: p.kind, code: p.code, name: p.name, url: territoryPath(p) })),
    presentation: profile?.presentation ?? '',
    website: profile?.website ?? null,
    url: territoryPath(territory),
  }
}
