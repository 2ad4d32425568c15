import { parseCsv } from '../../platform/http/csv-parse.ts'
import { parseForm } from '../../platform/http/forms.ts'
import type { Translate } from '../../platform/i18n/index.ts'
import { commitmentRules } from './forms.ts'
import type { CommitmentInput } from './service.ts'
import { commitmentLabels } from './views.tsx'

export type ImportFormat = 'modele' | 'ogp'

/** The columns of the platform's own template: the same names as the commitments export. */
export const TEMPLATE_COLUMNS = ['titre', 'probleme', 'engagement', 'contribution', 'valeurs_ogp', 'impacts_attendus', 'porteur', 'partenaires', 'themes', 'debut', 'fin', 'budget_eur', 'deliberation'] as const

const TEMPLATE_TO_FIELD: Record<(typeof TEMPLATE_COLUMNS)[number], keyof CommitmentInput> = {
  titre: 'title',
  probleme: 'problem',
  engagement: 'description',
  contribution: 'contribution',
  valeurs_ogp: 'ogpValues',
  impacts_attendus: 'expectedImpacts',
  porteur: 'leadActor',
  partenaires: 'supportingActors',
  themes: 'themes',
  debut: 'startDate',
  fin: 'endDate',
  budget_eur: 'budgetEur',
  deliberation: 'deliberationUrl',
}

const OGP_VALUE_COLUMNS: Record<string, string> = {
  'OGP Value Access To Information': 'access_to_information',
  'OGP Value Civic Participation': 'civic_participation',
  'OGP Value Public Accountability': 'public_accountability',
  'OGP Value Technology': 'technology_innovation',
}

// OGP's policy-area columns (1 when the commitment addresses it) become themes
const OGP_POLICY_AREAS = [
  'Anti-Corruption and Integrity', 'Right To Information', 'Public Procurement', 'Open Contracting', 'Lobbying', 'Civic Space and Enabling Environment',
  'Democratizing Decision-Making', 'Digital Participation', 'Digital Governance', 'Environment & Climate', 'Fiscal Openness', 'Inclusion', 'Gender',
  'Justice', 'Open Parliaments', 'Public Service Delivery', 'Education', 'Health & Nutrition', 'Infrastructure & Transport', 'Water & Sanitation',
  'Open Data', 'Public Participation', 'Access to information', 'Subnational', 'Regulatory Governance', 'Social Accountability',
]

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']
const MISSING = new Set(['', 'na', 'nd', 'n/a', 'null'])

const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate() // month 1–12

/**
 * OGP sheet dates: "1/31/2018" (month/day/year), "July 2014", "Quarter 4 2016", "2013", or missing (NA,
 * ND). A period stands for its first day as a start date and its last day as an end date. Returns ISO
 * YYYY-MM-DD, '' when missing, or the raw text, which the date rule then rejects with the row number.
 */
export function ogpDate(raw: string, end: boolean): string {
  const value = raw.trim()
  if (MISSING.has(value.toLowerCase())) return ''
  const iso = (year: number, month: number, day: number) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value)
  if (us) return iso(Number(us[3]), Number(us[1]), Number(us[2]))
  const monthYear = /^([A-Za-z]+)\s+(\d{4})$/.exec(value)
  const month = monthYear ? MONTHS.indexOf(monthYear[1]!.toLowerCase()) + 1 : 0
  if (monthYear && month > 0) {
    const year = Number(monthYear[2])
    return iso(year, month, end ? lastDay(year, month) : 1)
  }
  const quarter = /^(?:quarter\s*|q)([1-4])\s+(\d{4})$/i.exec(value)
  if (quarter) {
    const year = Number(quarter[2])
    const first = (Number(quarter[1]) - 1) * 3 + 1
    return end ? iso(year, first + 2, lastDay(year, first + 2)) : iso(year, first, 1)
  }
  if (/^\d{4}$/.test(value)) return end ? `${value}-12-31` : `${value}-01-01`
  return value
}

const clean = (raw: string | undefined) => (raw === undefined || MISSING.has(raw.trim().toLowerCase()) ? '' : raw.trim())

function ogpRowToForm(row: Record<string, string>): Record<string, string> {
  const url = clean(row.URL)
  const id = clean(row['Commitment Unique Identifier'])
  const source = [id, url].filter(Boolean).join(' — ')
  return {
    title: clean(row['Commitment Title']) || clean(row['Short Title']),
    problem: '',
    description: [clean(row['Full Text']), source ? `Source : engagement OGP ${source}` : ''].filter(Boolean).join('\n\n').slice(0, 10000),
    contribution: '',
    ogpValues: Object.entries(OGP_VALUE_COLUMNS).filter(([column]) => clean(row[column]) === '1').map(([, value]) => value).join(','),
    expectedImpacts: '',
    leadActor: clean(row['Lead Institution']).slice(0, 300),
    supportingActors: clean(row['Supporting Institution(s)']).replace(/\s+/g, ' ').slice(0, 1000),
    themes: OGP_POLICY_AREAS.filter((area) => clean(row[area]) === '1').slice(0, 10).join(','),
    startDate: ogpDate(row['Start Date'] ?? '', false),
    endDate: ogpDate(row['End Date'] ?? '', true),
    budgetEur: '',
    deliberationUrl: '',
  }
}

function templateRowToForm(row: Record<string, string>): Record<string, string> {
  const form: Record<string, string> = {}
  for (const [column, field] of Object.entries(TEMPLATE_TO_FIELD)) {
    const value = row[column] ?? ''
    form[field] = field === 'ogpValues' || field === 'themes' ? value.split('|').map((v) => v.trim()).filter(Boolean).join(',') : value
  }
  return form
}

export type ImportResult = { ok: true; inputs: CommitmentInput[] } | { ok: false; errors: string[] }

const MAX_ROWS = 200

/**
 * Reads commitments from a CSV in the platform's template or OGP's commitment sheet. Every row is checked
 * with the same rules as the form; any bad row fails the whole file, with the row's line number and reason.
 */
export function readCommitmentsCsv(text: string, format: ImportFormat, t: Translate): ImportResult {
  const rows = parseCsv(text)
  const [header, ...data] = rows
  if (!header) return { ok: false, errors: [t('plans.import.empty')] }
  const names = header.map((h) => h.trim())
  const required = format === 'modele' ? ['titre'] : ['Commitment Title']
  const missing = required.filter((r) => !names.includes(r))
  if (missing.length > 0) return { ok: false, errors: [t('plans.import.missingColumns', { columns: missing.join(', ') })] }
  if (data.length === 0) return { ok: false, errors: [t('plans.import.empty')] }
  if (data.length > MAX_ROWS) return { ok: false, errors: [t('plans.import.tooMany', { max: MAX_ROWS })] }
  const labels = commitmentLabels(t)
  const inputs: CommitmentInput[] = []
  const errors: string[] = []
  data.forEach((cells, index) => {
    const line = index + 2 // the header is line 1
    if (cells.length !== names.length) {
      errors.push(t('plans.import.rowError', { line, message: t('plans.import.columnCount', { found: cells.length, expected: names.length }) }))
      return
    }
    const record = Object.fromEntries(names.map((name, i) => [name, cells[i] ?? '']))
    const form = format === 'modele' ? templateRowToForm(record) : ogpRowToForm(record)
    const parsed = parseForm<CommitmentInput>(commitmentRules, form, t)
    if (parsed.ok) inputs.push(parsed.data)
    else {
      for (const [field, message] of Object.entries(parsed.errors)) {
        errors.push(t('plans.import.rowError', { line, message: `${labels[field] ?? field} — ${message}` }))
      }
    }
  })
  return errors.length > 0 ? { ok: false, errors: errors.slice(0, 50) } : { ok: true, inputs }
}
