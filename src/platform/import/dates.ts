/**
 * Dates as the field's files write them, read without guessing in silence: ISO (2026-03-31), day/month/year or
 * month/day/year (which one a file uses is told by its values: a first number above 12 is a day), two-digit years,
 * Excel's serial numbers, a month, quarter or year alone ("July 2014", "Quarter 4 2016", "T4 2016", "2013"). A
 * period stands for its first day as a start and its last day as an end, and is reported as approximate.
 */

export type DateOrder = 'dmy' | 'mdy'

export type ReadDate =
  | { kind: 'empty' }
  | { kind: 'exact'; iso: string }
  /** a month, quarter or year: its first or last day */
  | { kind: 'period'; iso: string }
  /** a day/month/year whose order the file does not tell: read in `order` */
  | { kind: 'ambiguous'; iso: string }
  | { kind: 'unread'; raw: string }

const MISSING = new Set(['', 'na', 'n/a', 'nd', 'null', 'none', '-', '—', 'tbd', 'tbc'])
const MONTHS: Record<string, number> = {}
;[
  ['january', 'janvier', 'jan', 'janv'],
  ['february', 'février', 'fevrier', 'feb', 'fév', 'fev', 'févr'],
  ['march', 'mars', 'mar'],
  ['april', 'avril', 'apr', 'avr'],
  ['may', 'mai'],
  ['june', 'juin', 'jun'],
  ['july', 'juillet', 'jul', 'juil'],
  ['august', 'août', 'aout', 'aug'],
  ['september', 'septembre', 'sep', 'sept'],
  ['october', 'octobre', 'oct'],
  ['november', 'novembre', 'nov'],
  ['december', 'décembre', 'decembre', 'dec', 'déc'],
].forEach((names, i) => {
  for (const name of names) MONTHS[name] = i + 1
})

const pad = (n: number) => String(n).padStart(2, '0')
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate()
const fullYear = (year: number) => (year >= 100 ? year : year < 70 ? 2000 + year : 1900 + year)

function iso(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > lastDay(year, month) || year < 1900 || year > 2200) return null
  return `${year}-${pad(month)}-${pad(day)}`
}

/** The numbers of a d/m/y or m/d/y date (with /, - or .), or null. */
function slashParts(value: string): [number, number, number] | null {
  const match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(value)
  return match ? [Number(match[1]), Number(match[2]), fullYear(Number(match[3]))] : null
}

/** What the values of a file (or of one country's rows) tell of their order: dmy, mdy, or null when nothing does. */
export function dateOrderOf(values: Iterable<string>): DateOrder | 'conflict' | null {
  let dmy = false
  let mdy = false
  for (const value of values) {
    const parts = slashParts(value.trim())
    if (!parts) continue
    if (parts[0] > 12 && parts[1] <= 12) dmy = true
    if (parts[1] > 12 && parts[0] <= 12) mdy = true
  }
  return dmy && mdy ? 'conflict' : dmy ? 'dmy' : mdy ? 'mdy' : null
}

/** Reads one date; `order` decides a d/m/y or m/d/y whose numbers are both 12 or under. */
export function readDate(raw: string, options: { end: boolean; order: DateOrder; orderKnown: boolean }): ReadDate {
  const value = raw.trim().replace(/\s+/g, ' ')
  if (MISSING.has(value.toLowerCase())) return { kind: 'empty' }
  const isoMatch = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2}| UTC)?)?$/.exec(value)
  if (isoMatch) {
    const date = iso(Number(isoMatch[1]), Number(isoMatch[2]), Number(isoMatch[3]))
    return date ? { kind: 'exact', iso: date } : { kind: 'unread', raw }
  }
  const parts = slashParts(value)
  if (parts) {
    const [a, b, year] = parts
    const order: DateOrder = a > 12 ? 'dmy' : b > 12 ? 'mdy' : options.order
    const date = order === 'dmy' ? iso(year, b, a) : iso(year, a, b)
    if (!date) return { kind: 'unread', raw }
    return a <= 12 && b <= 12 && a !== b && !options.orderKnown
      ? { kind: 'ambiguous', iso: date }
      : { kind: 'exact', iso: date }
  }
  // Excel's serial day numbers (1 = 1900-01-01, with its 1900 leap-year bug: day 60 does not exist)
  if (/^\d{5}(\.\d+)?$/.test(value)) {
    const serial = Math.floor(Number(value))
    if (serial >= 20_000 && serial <= 80_000) {
      const date = new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000)
      return { kind: 'exact', iso: date.toISOString().slice(0, 10) }
    }
  }
  const monthYear = /^([\p{L}.]+) (\d{4})$/u.exec(value)
  const month = monthYear ? MONTHS[monthYear[1]!.toLowerCase().replace(/\.$/, '')] : undefined
  if (monthYear && month) {
    const year = Number(monthYear[2])
    return { kind: 'period', iso: iso(year, month, options.end ? lastDay(year, month) : 1)! }
  }
  const quarter = /^(?:quarter ?|q|t|trimestre ?)([1-4])(?:er|e|ème)?(?: trimestre)? (\d{4})$/i.exec(value)
  if (quarter) {
    const year = Number(quarter[2])
    const first = (Number(quarter[1]) - 1) * 3 + 1
    return { kind: 'period', iso: options.end ? iso(year, first + 2, lastDay(year, first + 2))! : iso(year, first, 1)! }
  }
  if (/^\d{4}$/.test(value)) return { kind: 'period', iso: options.end ? `${value}-12-31` : `${value}-01-01` }
  return { kind: 'unread', raw }
}
