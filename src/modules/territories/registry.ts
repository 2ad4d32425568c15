import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { and, eq, inArray, lt, sql } from 'drizzle-orm'
import type { Db } from '../../platform/db/index.ts'
import { recordAudit } from '../../platform/audit.ts'
import { normalizeName, type TerritoryKind } from './normalize.ts'
import { forgetTerritoryCounts } from './service.ts'
import { territories, territoryParents } from './tables.ts'

interface CogCommune {
  code: string
  nom: string
  type: string
  zone: 'metro' | 'drom' | 'com'
  departement: string
  region: string
  population?: number
}
interface CogArea {
  code: string
  nom: string
  zone: 'metro' | 'drom' | 'com'
  region?: string
}
interface CogGroup {
  code: string
  nom: string
  type: string
  populationMunicipale?: number
  membres: { code: string }[]
}

interface RegistryTerritory {
  kind: TerritoryKind
  code: string
  name: string
  epciNature: string | null
  zone: string | null
  population: number | null
}

export interface RegistryData {
  territories: RegistryTerritory[]
  /** child → parent, as `kind/code` keys */
  links: [string, string][]
}

export interface LoadRegistryResult {
  territories: number
  links: number
  retired: number
  byKind: Record<string, number>
  milliseconds: number
}

const key = (kind: TerritoryKind, code: string) => `${kind}/${code}`

/**
 * Reads the official geography (COG) from @etalab/decoupage-administratif's data files: current communes
 * only (not delegated or associated communes, nor Paris/Lyon/Marseille's arrondissements), EPCI, EPT,
 * départements and régions. Départements' and régions' populations are the sums of their communes'.
 */
export function readRegistry(): RegistryData {
  // The package's main entry cannot be imported from outside its folder: read its JSON files.
  const require = createRequire(import.meta.url)
  const dataDir = join(dirname(require.resolve('@etalab/decoupage-administratif/package.json')), 'data')
  const read = <T>(name: string): T[] => JSON.parse(readFileSync(join(dataDir, name), 'utf8')) as T[]

  const communes = read<CogCommune>('communes.json').filter((c) => c.type === 'commune-actuelle')
  const departements = read<CogArea>('departements.json')
  const regions = read<CogArea>('regions.json')
  const epcis = read<CogGroup>('epci.json')
  const epts = read<CogGroup>('ept.json')

  const list: RegistryTerritory[] = []
  const links: [string, string][] = []
  const populationOf = new Map<string, number>()
  const communeDepartement = new Map<string, string>()

  for (const c of communes) {
    list.push({
      kind: 'commune',
      code: c.code,
      name: c.nom,
      epciNature: null,
      zone: c.zone,
      population: c.population ?? null,
    })
    communeDepartement.set(c.code, c.departement)
    links.push([key('commune', c.code), key('departement', c.departement)])
    const dep = key('departement', c.departement)
    const reg = key('region', c.region)
    populationOf.set(dep, (populationOf.get(dep) ?? 0) + (c.population ?? 0))
    populationOf.set(reg, (populationOf.get(reg) ?? 0) + (c.population ?? 0))
  }
  for (const d of departements) {
    list.push({
      kind: 'departement',
      code: d.code,
      name: d.nom,
      epciNature: null,
      zone: d.zone,
      population: populationOf.get(key('departement', d.code)) ?? null,
    })
    if (d.region) links.push([key('departement', d.code), key('region', d.region)])
  }
  for (const r of regions) {
    list.push({
      kind: 'region',
      code: r.code,
      name: r.nom,
      epciNature: null,
      zone: r.zone,
      population: populationOf.get(key('region', r.code)) ?? null,
    })
  }
  const epciOfCommune = new Map<string, string>()
  const groups: [TerritoryKind, CogGroup[]][] = [
    ['epci', epcis],
    ['ept', epts],
  ]
  for (const [kind, items] of groups) {
    for (const g of items) {
      list.push({
        kind,
        code: g.code,
        name: g.nom,
        epciNature: kind === 'epci' ? g.type : null,
        zone: null,
        population: g.populationMunicipale ?? null,
      })
      const departementsOfGroup = new Set<string>()
      const epcisOfGroup = new Set<string>()
      for (const m of g.membres) {
        links.push([key('commune', m.code), key(kind, g.code)])
        if (kind === 'epci') epciOfCommune.set(m.code, g.code)
        const dep = communeDepartement.get(m.code)
        if (dep) departementsOfGroup.add(dep)
        const epci = epciOfCommune.get(m.code)
        if (kind === 'ept' && epci) epcisOfGroup.add(epci)
      }
      for (const dep of departementsOfGroup) links.push([key(kind, g.code), key('departement', dep)])
      for (const epci of epcisOfGroup) links.push([key(kind, g.code), key('epci', epci)])
    }
  }
  return { territories: list, links }
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/**
 * Loads (or refreshes) the official geography in one transaction. Idempotent: territories are upserted
 * by kind and code, their parent links replaced, and COG territories missing from this COG are marked
 * retired, never deleted (plans and roles may point to them). Territories created by hand are untouched.
 */
export async function loadRegistry(
  db: Db,
  data: RegistryData = readRegistry(),
  actorId: string | null = null,
): Promise<LoadRegistryResult> {
  const started = performance.now()
  return db.transaction(async (tx) => {
    for (const batch of chunks(data.territories, 2000)) {
      await tx
        .insert(territories)
        .values(batch.map((t) => ({ ...t, nameSearch: normalizeName(t.name), source: 'cog' })))
        .onConflictDoUpdate({
          target: [territories.kind, territories.code],
          set: {
            name: sql`excluded.name`,
            nameSearch: sql`excluded.name_search`,
            epciNature: sql`excluded.epci_nature`,
            zone: sql`excluded.zone`,
            population: sql`excluded.population`,
            retiredAt: null,
            updatedAt: sql`now()`,
          },
        })
    }
    const retired = await tx
      .update(territories)
      .set({ retiredAt: sql`now()` })
      .where(
        and(
          eq(territories.source, 'cog'),
          lt(territories.updatedAt, sql`now()`),
          sql`${territories.retiredAt} is null`,
        ),
      )
      .returning({ id: territories.id })

    const ids = new Map<string, string>()
    const rows = await tx
      .select({ id: territories.id, kind: territories.kind, code: territories.code })
      .from(territories)
      .where(eq(territories.source, 'cog'))
    for (const row of rows) ids.set(`${row.kind}/${row.code}`, row.id)

    const cogIds = rows.map((r) => r.id)
    for (const batch of chunks(cogIds, 5000)) {
      await tx.delete(territoryParents).where(inArray(territoryParents.territoryId, batch))
    }
    const seen = new Set<string>()
    const linkRows: { territoryId: string; parentId: string }[] = []
    for (const [child, parent] of data.links) {
      const territoryId = ids.get(child)
      const parentId = ids.get(parent)
      if (!territoryId || !parentId || territoryId === parentId) continue
      const pair = `${territoryId}>${parentId}`
      if (seen.has(pair)) continue
      seen.add(pair)
      linkRows.push({ territoryId, parentId })
    }
    for (const batch of chunks(linkRows, 5000)) await tx.insert(territoryParents).values(batch)
    // fresh statistics, or the planner scans the whole registry for a single territory's parents
    await tx.execute(sql`analyze territories`)
    await tx.execute(sql`analyze territory_parents`)

    const byKind: Record<string, number> = {}
    for (const t of data.territories) byKind[t.kind] = (byKind[t.kind] ?? 0) + 1
    const result = {
      territories: data.territories.length,
      links: linkRows.length,
      retired: retired.length,
      byKind,
      milliseconds: 0,
    }
    await recordAudit(tx, {
      actorId,
      action: 'registry.loaded',
      subjectType: 'territory_registry',
      subjectId: null,
      after: { territories: result.territories, links: result.links, retired: result.retired, byKind },
    })
    forgetTerritoryCounts()
    result.milliseconds = Math.round(performance.now() - started)
    return result
  })
}
