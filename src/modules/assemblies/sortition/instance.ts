import { parseCsv } from '../../../platform/http/csv-parse.ts'

/**
 * A sortition instance: the volunteers' features in the quota categories, the quotas (min and max panel members
 * having each feature) and the panel size. Volunteers with the same features form a type: the algorithms work on
 * types (they provably give equal probabilities to volunteers of one type), which keeps large pools small.
 */

export interface Quota {
  category: string
  feature: string
  min: number
  max: number
}

export interface Instance {
  panelSize: number
  categories: string[]
  quotas: Quota[]
  /** each volunteer's feature in each category, in the pool's order */
  people: Record<string, string>[]
  /** households of two or more volunteers (indices into `people`), of whom at most one may sit on a panel */
  households?: number[][]
}

export interface Types {
  /** features of each type, in the order of `categories` */
  features: string[][]
  /** volunteers of each type (indices into `people`) */
  members: number[][]
  /** for each quota, the types having its feature */
  quotaTypes: number[][]
  /** each volunteer's type */
  typeOf: number[]
  /** for each household, the types of its members (each such volunteer is a type of their own) */
  householdTypes: number[][]
}

export class InstanceError extends Error {}

/**
 * Groups volunteers with identical features. A volunteer who shares a household with others is a type alone: the
 * household's limit tells them apart from people with the same features.
 */
export function typesOf(instance: Instance): Types {
  const inHousehold = new Set((instance.households ?? []).flat())
  const index = new Map<string, number>()
  const features: string[][] = []
  const members: number[][] = []
  const typeOf: number[] = []
  instance.people.forEach((person, i) => {
    const vector = instance.categories.map((c) => person[c]!)
    const key = inHousehold.has(i) ? `household member ${i}` : JSON.stringify(vector)
    let t = index.get(key)
    if (t === undefined) {
      t = features.length
      index.set(key, t)
      features.push(vector)
      members.push([])
    }
    members[t]!.push(i)
    typeOf.push(t)
  })
  const quotaTypes = instance.quotas.map((q) => {
    const c = instance.categories.indexOf(q.category)
    return features.flatMap((vector, t) => (vector[c] === q.feature ? [t] : []))
  })
  const householdTypes = (instance.households ?? []).map((household) => household.map((i) => typeOf[i]!))
  return { features, members, quotaTypes, typeOf, householdTypes }
}

const integer = (raw: string | undefined, where: string): number => {
  if (raw === undefined || !/^\d+$/.test(raw.trim())) throw new InstanceError(`${where}: a whole number is expected, not "${raw ?? ''}"`)
  return Number(raw.trim())
}

/** Reads `categories.csv` (category,feature,min,max): every error names its line and reason. */
export function parseQuotas(categoriesCsv: string): Quota[] {
  const categoryRows = parseCsv(categoriesCsv)
  const header = categoryRows[0]?.map((h) => h.trim().toLowerCase()) ?? []
  const column = (name: string) => {
    const at = header.indexOf(name)
    if (at < 0) throw new InstanceError(`categories.csv: the header needs the columns category, feature, min, max (found: ${header.join(', ')})`)
    return at
  }
  const [cCat, cFeat, cMin, cMax] = [column('category'), column('feature'), column('min'), column('max')]
  const quotas: Quota[] = []
  categoryRows.slice(1).forEach((row, i) => {
    if (row.every((cell) => cell.trim() === '')) return
    const where = `categories.csv line ${i + 2}`
    const quota = { category: (row[cCat] ?? '').trim(), feature: (row[cFeat] ?? '').trim(), min: integer(row[cMin], `${where}, min`), max: integer(row[cMax], `${where}, max`) }
    if (!quota.category || !quota.feature) throw new InstanceError(`${where}: category and feature must not be empty`)
    if (quota.min > quota.max) throw new InstanceError(`${where}: min (${quota.min}) is above max (${quota.max})`)
    if (quotas.some((q) => q.category === quota.category && q.feature === quota.feature)) throw new InstanceError(`${where}: ${quota.category}/${quota.feature} is listed twice`)
    quotas.push(quota)
  })
  if (quotas.length === 0) throw new InstanceError('categories.csv: no quota')
  return quotas
}

/**
 * Reads `categories.csv` (category,feature,min,max) and `respondents.csv` (one column per category, other columns
 * ignored): every error names its file, line and reason.
 */
export function parseInstance(categoriesCsv: string, respondentsCsv: string, panelSize: number): Instance {
  if (!Number.isInteger(panelSize) || panelSize < 1) throw new InstanceError(`panel size: a whole number of at least 1 is expected, not ${panelSize}`)
  const quotas = parseQuotas(categoriesCsv)
  const categories = [...new Set(quotas.map((q) => q.category))]
  const respondentRows = parseCsv(respondentsCsv)
  const columns = respondentRows[0]?.map((h) => h.trim()) ?? []
  for (const category of categories) if (!columns.includes(category)) throw new InstanceError(`respondents.csv: no column "${category}" (a category of categories.csv)`)
  const people: Record<string, string>[] = []
  respondentRows.slice(1).forEach((row, i) => {
    if (row.every((cell) => cell.trim() === '')) return
    const person: Record<string, string> = {}
    for (const category of categories) {
      const value = (row[columns.indexOf(category)] ?? '').trim()
      if (!quotas.some((q) => q.category === category && q.feature === value)) throw new InstanceError(`respondents.csv line ${i + 2}: "${value}" is not a feature of ${category} in categories.csv`)
      person[category] = value
    }
    people.push(person)
  })
  if (people.length < panelSize) throw new InstanceError(`respondents.csv: ${people.length} volunteers for a panel of ${panelSize}`)
  return { panelSize, categories, quotas, people }
}

/** The panel size a folder name ends with (`example_large_200` → 200), or null. */
export function panelSizeFromName(name: string): number | null {
  const match = /_(\d+)\/?$/.exec(name)
  return match ? Number(match[1]) : null
}
