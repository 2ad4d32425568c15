import { MalformedCsv, readCsv, type CsvTable } from '../../../platform/import/csv.ts'
import { UnreadableFile, worded, type ImportMessage } from '../../../platform/import/text.ts'
import { translator } from '../../../platform/i18n/index.ts'

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

/** A file that does not make an instance; `problems` when the reader refused the file itself (worded in any language). */
export class InstanceError extends Error {
  constructor(
    message: string,
    readonly problems: ImportMessage[] = [],
  ) {
    super(message)
  }
}

/** Reads a sortition file with the platform's reader (encoding, separators, NFC; a header named twice is refused). */
function readInstanceFile(source: Uint8Array | string, name: string): CsvTable {
  try {
    return readCsv(typeof source === 'string' ? Buffer.from(source) : source, { name, caseInsensitiveHeader: true })
  } catch (error) {
    const problems =
      error instanceof MalformedCsv ? error.problems : error instanceof UnreadableFile ? [error.problem] : null
    if (!problems) throw error
    const en = translator('en')
    throw new InstanceError(problems.map((p) => worded(en, p)).join('\n'), problems)
  }
}

/** The warnings of the files read (a Windows-1252 file converted), worded in English for the command line. */
export function instanceWarnings(tables: CsvTable[]): string[] {
  const en = translator('en')
  return tables.flatMap((table) => table.warnings.map((w) => worded(en, w)))
}

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
  if (raw === undefined || !/^\d+$/.test(raw.trim()))
    throw new InstanceError(`${where}: a whole number is expected, not "${raw ?? ''}"`)
  return Number(raw.trim())
}

/** Reads `categories.csv` (category,feature,min,max): every error names its line and reason. */
export function parseQuotas(categoriesCsv: Uint8Array | string): Quota[] {
  return readQuotas(readInstanceFile(categoriesCsv, 'categories.csv'))
}

function readQuotas(table: CsvTable): Quota[] {
  const header = table.header.map((h) => h.toLowerCase())
  const column = (name: string) => {
    const at = header.indexOf(name)
    if (at < 0)
      throw new InstanceError(
        `categories.csv: the header needs the columns category, feature, min, max (found: ${table.header.join(', ')})`,
      )
    return at
  }
  const [cCat, cFeat, cMin, cMax] = [column('category'), column('feature'), column('min'), column('max')]
  const quotas: Quota[] = []
  for (const row of table.rows) {
    const where = `categories.csv line ${row.line}`
    const quota = {
      category: row.cells[cCat]!.trim(),
      feature: row.cells[cFeat]!.trim(),
      min: integer(row.cells[cMin], `${where}, min`),
      max: integer(row.cells[cMax], `${where}, max`),
    }
    if (!quota.category || !quota.feature) throw new InstanceError(`${where}: category and feature must not be empty`)
    if (quota.min > quota.max) throw new InstanceError(`${where}: min (${quota.min}) is above max (${quota.max})`)
    if (quotas.some((q) => q.category === quota.category && q.feature === quota.feature))
      throw new InstanceError(`${where}: ${quota.category}/${quota.feature} is listed twice`)
    quotas.push(quota)
  }
  if (quotas.length === 0) throw new InstanceError('categories.csv: no quota')
  return quotas
}

/** What identifies a household in a column: case, spacing and accents' form ignored; empty is no household. */
const householdOf = (value: string) =>
  value
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\s,.;-]+/g, ' ')
    .trim()

export interface ParseInstanceOptions {
  /** a column of respondents.csv (an address, a household id): volunteers with the same value share a household */
  householdColumn?: string
}

/**
 * Reads `categories.csv` (category,feature,min,max) and `respondents.csv` (one column per category, other columns
 * ignored; a column named twice is refused, since which one counts would be a guess): every error names its file,
 * line and reason. Returns the instance and the warnings of the reader (a file converted from Windows-1252).
 */
export function parseInstanceFiles(
  categoriesCsv: Uint8Array | string,
  respondentsCsv: Uint8Array | string,
  panelSize: number,
  options: ParseInstanceOptions = {},
): { instance: Instance; warnings: string[] } {
  if (!Number.isInteger(panelSize) || panelSize < 1)
    throw new InstanceError(`panel size: a whole number of at least 1 is expected, not ${panelSize}`)
  const categoriesTable = readInstanceFile(categoriesCsv, 'categories.csv')
  const quotas = readQuotas(categoriesTable)
  const categories = [...new Set(quotas.map((q) => q.category))]
  const respondents = readInstanceFile(respondentsCsv, 'respondents.csv')
  const columns = respondents.header
  for (const category of categories)
    if (!columns.includes(category))
      throw new InstanceError(`respondents.csv: no column "${category}" (a category of categories.csv)`)
  const householdAt =
    options.householdColumn === undefined
      ? -1
      : columns.findIndex((c) => c.toLowerCase() === options.householdColumn!.trim().toLowerCase())
  if (options.householdColumn !== undefined && householdAt < 0)
    throw new InstanceError(`respondents.csv: no column "${options.householdColumn}" for the households`)
  const people: Record<string, string>[] = []
  const byHousehold = new Map<string, number[]>()
  for (const row of respondents.rows) {
    const person: Record<string, string> = {}
    for (const category of categories) {
      const value = row.cells[columns.indexOf(category)]!.trim()
      if (!quotas.some((q) => q.category === category && q.feature === value))
        throw new InstanceError(
          `respondents.csv line ${row.line}: "${value}" is not a feature of ${category} in categories.csv`,
        )
      person[category] = value
    }
    if (householdAt >= 0) {
      const key = householdOf(row.cells[householdAt]!)
      if (key) byHousehold.set(key, [...(byHousehold.get(key) ?? []), people.length])
    }
    people.push(person)
  }
  if (people.length < panelSize)
    throw new InstanceError(`respondents.csv: ${people.length} volunteers for a panel of ${panelSize}`)
  const households = [...byHousehold.values()].filter((members) => members.length > 1)
  const instance: Instance = { panelSize, categories, quotas, people, ...(householdAt >= 0 ? { households } : {}) }
  return { instance, warnings: instanceWarnings([categoriesTable, respondents]) }
}

/** `parseInstanceFiles` without the warnings. */
export function parseInstance(
  categoriesCsv: Uint8Array | string,
  respondentsCsv: Uint8Array | string,
  panelSize: number,
  options: ParseInstanceOptions = {},
): Instance {
  return parseInstanceFiles(categoriesCsv, respondentsCsv, panelSize, options).instance
}

/** The panel size a folder name ends with (`example_large_200` → 200), or null. */
export function panelSizeFromName(name: string): number | null {
  const match = /_(\d+)\/?$/.exec(name)
  return match ? Number(match[1]) : null
}
