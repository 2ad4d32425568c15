import type { Db } from '../../platform/db/index.ts'
import { getTerritorySummaries, territoryPath } from '../territories/index.ts'

/** What the membership pages show of a territory. */
export interface TerritoryInfo {
  id: string
  kind: string
  name: string
  population: number | null
  path: string
}

export async function territoriesById(db: Db, ids: string[]): Promise<Map<string, TerritoryInfo>> {
  const list = await getTerritorySummaries(db, ids)
  return new Map(
    list.map((t) => [t.id, { id: t.id, kind: t.kind, name: t.name, population: t.population, path: territoryPath(t) }]),
  )
}
