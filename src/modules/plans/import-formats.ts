import { MalformedCsv, readCsv, type CsvRow, type CsvTable } from '../../platform/import/csv.ts'
import { dateOrderOf, readDate, type DateOrder } from '../../platform/import/dates.ts'
import { ImportCollector as Collector } from '../../platform/import/collector.ts'
import { decidimText } from '../../platform/import/decidim.ts'
import { htmlToMarkdown } from '../../platform/import/html.ts'
import { UnreadableFile, type ImportMessage, type SourceEncoding } from '../../platform/import/text.ts'
import type { FieldRule } from '../../platform/http/forms.ts'
import type { MessageKey } from '../../platform/i18n/index.ts'
import { commitmentRules, milestoneRules } from './forms.ts'
import type { Status } from './progress.ts'
import type { CommitmentInput, MilestoneInput } from './service.ts'

/**
 * The formats action plans are imported from, read into one shape: plans, their commitments and milestones, each
 * with the identifier it has at its source (so a second import updates what the first created). Formats:
 * - `modele`: the platform's own template, which is also its commitments export (one plan);
 * - `ogp`: the Open Government Partnership's commitment sheet, whole (one plan per `Action Plan ID`);
 * - `decidim`: Decidim's accountability results export (`;`, `title/<locale>`, results and their sub-results).
 * Every value is checked with the rules of the forms; every problem names its line, field and value.
 */

export type ImportFormat = 'modele' | 'ogp' | 'decidim'
export const IMPORT_FORMATS: readonly ImportFormat[] = ['modele', 'ogp', 'decidim']

/** The columns of the platform's own template: the same names as the commitments export. */
export const TEMPLATE_COLUMNS = [
  'identifiant',
  'titre',
  'probleme',
  'engagement',
  'contribution',
  'valeurs_ogp',
  'impacts_attendus',
  'porteur',
  'partenaires',
  'themes',
  'debut',
  'fin',
  'budget_eur',
  'deliberation',
] as const

export interface ImportedMilestone {
  line: number
  sourceKey: string | null
  input: MilestoneInput
  status: Status
  progress: number
}

export interface ImportedCommitment {
  line: number
  sourceKey: string | null
  sourceUrl: string | null
  input: CommitmentInput
  milestones: ImportedMilestone[]
}

export interface ImportedPlan {
  /** `ogp-plan:AP_FRA01`; null for a file that holds one plan without identifier */
  sourceKey: string | null
  title: string
  periodStart: string | null
  periodEnd: string | null
  /** how the preview names it ("France, plan 3, 2018–2020, 21 commitments") */
  label: string
  commitments: ImportedCommitment[]
}

export interface ReadPlans {
  format: ImportFormat
  encoding: SourceEncoding
  plans: ImportedPlan[]
  warnings: ImportMessage[]
  /** problems that stop the import, each with its line */
  errors: ImportMessage[]
  /** how many problems there were in all (errors keeps the first hundred) */
  errorCount: number
}

/** the OGP sheet is large: 75 countries, thousands of commitments (the upload routes take as much) */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024
const MISSING = new Set(['', 'na', 'nd', 'n/a', 'null', 'none'])
const clean = (raw: string | undefined) =>
  raw === undefined || MISSING.has(raw.trim().toLowerCase()) ? '' : raw.trim()
const isFlag = (raw: string | undefined) => ['1', 'yes', 'true', 'x', 'oui'].includes((raw ?? '').trim().toLowerCase())

/** The field names of the plans' forms, as messages (so problems say "Date de début", not "startDate"). */
const FIELD_LABELS: Record<string, MessageKey> = {
  title: 'plans.commitment.title',
  problem: 'plans.commitment.problem',
  description: 'plans.commitment.description',
  contribution: 'plans.commitment.contribution',
  ogpValues: 'plans.commitment.values',
  expectedImpacts: 'plans.commitment.impacts',
  leadActor: 'plans.commitment.lead',
  supportingActors: 'plans.commitment.supporting',
  themes: 'plans.commitment.themes',
  startDate: 'plans.commitment.start',
  endDate: 'plans.commitment.end',
  budgetEur: 'plans.commitment.budget',
  deliberationUrl: 'plans.commitment.deliberation',
  deliverable: 'plans.milestone.deliverable',
  dueDate: 'plans.milestone.due',
  responsible: 'plans.milestone.responsible',
  weight: 'plans.milestone.weight',
}

/** Checks a row's values with the form's rules; the problems name the line, the field and the value refused. */
function validate<T extends object>(
  rules: { [K in keyof T]: FieldRule<T[K]> },
  form: Record<string, string>,
  line: number,
  out: Collector,
): T | null {
  const data: Record<string, unknown> = {}
  let ok = true
  for (const [field, rule] of Object.entries(rules) as [string, FieldRule<unknown>][]) {
    const raw = form[field] ?? ''
    const result = rule(raw, form)
    if ('error' in result) {
      ok = false
      const value = raw.length > 80 ? `${raw.slice(0, 80)}… (${raw.length})` : raw
      out.error({
        key: 'plans.import.rowField',
        params: {
          line,
          field: { key: FIELD_LABELS[field] ?? 'plans.commitment.title' },
          value,
          message: { key: result.error, params: result.params ?? {} },
        },
      })
    } else data[field] = result.value
  }
  return ok ? (data as T) : null
}

/** Dates of a file, read with the order its values tell (or OGP's month/day/year), and each approximation said. */
class DateReader {
  private readonly orders = new Map<string, DateOrder | null>()
  /** `strict`: a date that cannot be read is a mistake to refuse (the platform's own format), not free text to keep */
  constructor(
    private readonly fallback: DateOrder,
    private readonly out: Collector,
    private readonly strict = false,
  ) {}

  /** Learns the order of each group's dates (a country in OGP's sheet, the whole file otherwise). */
  learn(groups: Map<string, string[]>): void {
    for (const [group, values] of groups) {
      const order = dateOrderOf(values)
      if (order === 'conflict') this.out.warn({ key: 'plans.import.dateOrderConflict', params: { group } })
      this.orders.set(group, order === 'conflict' ? null : order)
    }
  }

  /** ISO, '' for none; a text the reader cannot read goes to `unread` (kept in the commitment's text). */
  read(raw: string, end: boolean, group: string, unread: string[]): string {
    const known = this.orders.get(group) ?? null
    const date = readDate(raw, { end, order: known ?? this.fallback, orderKnown: known !== null })
    if (date.kind === 'empty') return ''
    if (date.kind === 'unread') {
      if (this.strict) return raw.trim() // the form's date rule refuses it, with its value
      unread.push(raw.trim())
      this.out.count('plans.import.dateUnread')
      return ''
    }
    if (date.kind === 'period') this.out.count('plans.import.datePeriod')
    if (date.kind === 'ambiguous')
      this.out.count(this.fallback === 'mdy' ? 'plans.import.dateAmbiguousMdy' : 'plans.import.dateAmbiguousDmy')
    return date.iso
  }
}

function unreadNote(unread: string[]): string {
  return unread.length > 0 ? `\n\n*Dates indiquées par la source : ${unread.map((u) => `« ${u} »`).join(', ')}.*` : ''
}

function withUnreadDates(form: Record<string, string>, unread: string[]): Record<string, string> {
  return unread.length > 0 ? { ...form, description: `${form.description ?? ''}${unreadNote(unread)}`.trim() } : form
}

// ——— the platform's template (and its commitments export) ———

function readTemplate(table: CsvTable, out: Collector): ImportedPlan[] {
  if (!table.header.includes('titre')) {
    out.error({ key: 'plans.import.missingColumns', params: { columns: 'titre' } })
    return []
  }
  const dates = new DateReader('dmy', out, true) // a template edited in a French spreadsheet writes 31/12/2026
  dates.learn(new Map([['', table.rows.flatMap((r) => [r.record.debut ?? '', r.record.fin ?? ''])]]))
  const list = (raw: string | undefined) =>
    (raw ?? '')
      .split(/[|,;]/)
      .map((v) => v.trim())
      .filter(Boolean)
      .join(',')
  const commitments: ImportedCommitment[] = []
  for (const row of table.rows) {
    const r = row.record
    const unread: string[] = []
    const form = withUnreadDates(
      {
        title: r.titre ?? '',
        problem: r.probleme ?? '',
        description: r.engagement ?? '',
        contribution: r.contribution ?? '',
        ogpValues: list(r.valeurs_ogp),
        expectedImpacts: r.impacts_attendus ?? '',
        leadActor: r.porteur ?? '',
        supportingActors: r.partenaires ?? '',
        themes: list(r.themes),
        startDate: dates.read(r.debut ?? '', false, '', unread),
        endDate: dates.read(r.fin ?? '', true, '', unread),
        budgetEur: r.budget_eur ?? '',
        deliberationUrl: r.deliberation ?? '',
      },
      unread,
    )
    const input = validate<CommitmentInput>(commitmentRules, form, row.line, out)
    // a row's identifier: the template's own column, or the commitment id of the platform's export
    const key = clean(r.identifiant) || clean(r.engagement_id)
    if (input)
      commitments.push({
        line: row.line,
        sourceKey: key ? (clean(r.identifiant) ? `modele:${key}` : `thc:${key}`) : null,
        sourceUrl: null,
        input,
        milestones: [],
      })
  }
  return [{ sourceKey: null, title: '', periodStart: null, periodEnd: null, label: '', commitments }]
}

// ——— OGP's commitment sheet ———

const OGP_VALUE_COLUMNS: Record<string, string> = {
  'OGP Value Access To Information': 'access_to_information',
  'OGP Value Civic Participation': 'civic_participation',
  'OGP Value Public Accountability': 'public_accountability',
  'OGP Value Technology': 'technology_innovation',
}

/** OGP's policy areas: every column between the institutions and the first IRM column (86 in the 2024 sheet). */
export function ogpPolicyAreas(header: string[]): string[] {
  const first = header.indexOf('Supporting Institution(s)')
  const last = header.findIndex((h) => h.startsWith('Report Publication Year'))
  return first >= 0 && last > first ? header.slice(first + 1, last) : []
}

function readOgp(table: CsvTable, out: Collector): ImportedPlan[] {
  const missing = ['Commitment Unique Identifier', 'Commitment Title'].filter((c) => !table.header.includes(c))
  if (missing.length > 0) {
    out.error({ key: 'plans.import.missingColumns', params: { columns: missing.join(', ') } })
    return []
  }
  const areas = ogpPolicyAreas(table.header)
  const country = (row: CsvRow) => clean(row.record['Country/Locality']) || '—'
  const dates = new DateReader('mdy', out) // OGP writes month/day/year; a country's own values may tell otherwise
  const byCountry = new Map<string, string[]>()
  for (const row of table.rows)
    byCountry.set(country(row), [
      ...(byCountry.get(country(row)) ?? []),
      row.record['Start Date'] ?? '',
      row.record['End Date'] ?? '',
    ])
  dates.learn(byCountry)
  const plans = new Map<string, ImportedPlan & { years: number[] }>()
  const seen = new Set<string>()
  for (const row of table.rows) {
    const r = row.record
    const id = clean(r['Commitment Unique Identifier'])
    const planId = clean(r['Action Plan ID']) || `${country(row)} ${clean(r['Action Plan Number'])}`.trim()
    if (id && seen.has(`${planId}/${id}`)) {
      out.error({ key: 'plans.import.duplicateId', params: { line: row.line, id } })
      continue
    }
    if (id) seen.add(`${planId}/${id}`)
    const unread: string[] = []
    const title = clean(r['Commitment Title']) || clean(r['Short Title'])
    const url = clean(r.URL)
    const form = withUnreadDates(
      {
        title,
        problem: '',
        description: clean(r['Full Text']),
        contribution: '',
        ogpValues: Object.entries(OGP_VALUE_COLUMNS)
          .filter(([column]) => isFlag(r[column]))
          .map(([, value]) => value)
          .join(','),
        expectedImpacts: '',
        leadActor: clean(r['Lead Institution']),
        supportingActors: clean(r['Supporting Institution(s)']).replace(/\s+/g, ' '),
        themes: areas.filter((area) => isFlag(r[area])).join(','),
        startDate: dates.read(r['Start Date'] ?? '', false, country(row), unread),
        endDate: dates.read(r['End Date'] ?? '', true, country(row), unread),
        budgetEur: '',
        deliberationUrl: '',
      },
      unread,
    )
    const input = validate<CommitmentInput>(commitmentRules, form, row.line, out)
    let plan = plans.get(planId)
    if (!plan) {
      const number = clean(r['Action Plan Number'])
      const start = Number(clean(r['Year Of Submission']))
      const end = Number(clean(r['Action Plan End Year']))
      plan = {
        sourceKey: `ogp-plan:${planId}`,
        title: `Plan d’action OGP${country(row) !== '—' ? ` — ${country(row)}` : ''}${number ? ` n° ${number}` : ''}`,
        periodStart: Number.isInteger(start) && start > 1990 ? `${start}-01-01` : null,
        periodEnd: Number.isInteger(end) && end > 1990 ? `${end}-12-31` : null,
        label: '',
        commitments: [],
        years: [start, end].filter((y) => Number.isInteger(y) && y > 1990),
      }
      plans.set(planId, plan)
    }
    if (input)
      plan.commitments.push({
        line: row.line,
        sourceKey: id ? `ogp:${id}` : null,
        sourceUrl: /^https?:\/\//.test(url) ? url : null,
        input,
        milestones: [],
      })
  }
  return [...plans.values()].map(({ years, ...plan }) => {
    const startDates = plan.commitments
      .map((c) => c.input.startDate)
      .filter((d): d is string => Boolean(d))
      .sort()
    const endDates = plan.commitments
      .map((c) => c.input.endDate)
      .filter((d): d is string => Boolean(d))
      .sort()
    const periodStart = plan.periodStart ?? startDates[0] ?? null
    const periodEnd = plan.periodEnd ?? endDates.at(-1) ?? null
    const period = years.length === 2 ? `${years[0]}–${years[1]}` : [periodStart, periodEnd].filter(Boolean).join(' – ')
    return {
      ...plan,
      periodStart,
      periodEnd: periodEnd && periodStart && periodEnd < periodStart ? periodStart : periodEnd,
      label: `${plan.sourceKey!.slice('ogp-plan:'.length)} · ${plan.title.replace('Plan d’action OGP — ', '')}${period ? ` (${period})` : ''}`,
    }
  })
}

// ——— Decidim's accountability results ———

const DONE = /termin|achev|réalis|complet|done|finish|executed|closed/i
const STARTED = /cours|progress|ongoing|started|execution|exécution/i

function decidimStatus(record: Record<string, string>, progress: number): Status {
  const said = `${record['status/key'] ?? ''} ${decidimText(record, 'status/name')}`
  if (progress >= 100 || DONE.test(said)) return 'termine'
  if (progress > 0 || STARTED.test(said)) return 'en_cours'
  return 'non_commence'
}

function readDecidim(table: CsvTable, out: Collector): ImportedPlan[] {
  if (!table.header.includes('id') || !table.header.some((h) => h === 'title' || h.startsWith('title/'))) {
    out.error({ key: 'plans.import.missingColumns', params: { columns: 'id, title/<langue>' } })
    return []
  }
  const dates = new DateReader('dmy', out, true)
  dates.learn(new Map([['', table.rows.flatMap((r) => [r.record.start_date ?? '', r.record.end_date ?? ''])]]))
  const component = (row: CsvRow) => clean(row.record['component/id'])
  const key = (row: CsvRow, id: string) => `decidim:${component(row) ? `${component(row)}/` : ''}${id}`
  const byId = new Map(table.rows.map((row) => [clean(row.record.id), row]))
  const topOf = (row: CsvRow): CsvRow => {
    let current = row
    for (let depth = 0; depth < 10; depth++) {
      const parent = byId.get(clean(current.record['parent/id']))
      if (!parent || parent === current) return current
      current = parent
    }
    return current
  }
  const commitments = new Map<CsvRow, ImportedCommitment>()
  for (const row of table.rows.filter(
    (r) => !clean(r.record['parent/id']) || !byId.has(clean(r.record['parent/id'])),
  )) {
    const r = row.record
    if (clean(r['parent/id']))
      out.warn({ key: 'plans.import.parentMissing', params: { line: row.line, parent: clean(r['parent/id']) } })
    const unread: string[] = []
    const themes = [decidimText(r, 'category/name'), decidimText(r, 'scope/name')].filter(Boolean).join(',')
    const form = withUnreadDates(
      {
        title: decidimText(r, 'title'),
        problem: '',
        description: htmlToMarkdown(decidimText(r, 'description')),
        contribution: '',
        ogpValues: '',
        expectedImpacts: '',
        leadActor: '',
        supportingActors: '',
        themes,
        startDate: dates.read(r.start_date ?? '', false, '', unread),
        endDate: dates.read(r.end_date ?? '', true, '', unread),
        budgetEur: '',
        deliberationUrl: '',
      },
      unread,
    )
    const input = validate<CommitmentInput>(commitmentRules, form, row.line, out)
    const url = clean(r.url)
    if (input)
      commitments.set(row, {
        line: row.line,
        sourceKey: key(row, clean(r.id)),
        sourceUrl: /^https?:\/\//.test(url) ? url : null,
        input,
        milestones: [],
      })
  }
  for (const row of table.rows.filter((r) => !commitments.has(r) && byId.has(clean(r.record['parent/id'])))) {
    const r = row.record
    const top = topOf(row)
    const parent = commitments.get(top)
    if (!parent) continue // its commitment was refused: its problem is already listed
    if (byId.get(clean(r['parent/id'])) !== top) out.count('plans.import.flattened')
    const unread: string[] = []
    const due =
      dates.read(r.end_date ?? '', true, '', unread) ||
      parent.input.endDate ||
      dates.read(r.start_date ?? '', true, '', unread) ||
      ''
    if (!clean(r.end_date)) out.count('plans.import.dueFromParent')
    const progress = Math.max(0, Math.min(100, Math.round(Number(clean(r.progress).replace(',', '.')) || 0)))
    const form = {
      title: decidimText(r, 'title'),
      deliverable: htmlToMarkdown(decidimText(r, 'description')).slice(0, 1000),
      startDate: dates.read(r.start_date ?? '', false, '', unread),
      dueDate: due,
      responsible: '',
      weight: '',
    }
    const input = validate<MilestoneInput>(milestoneRules, form, row.line, out)
    if (input)
      parent.milestones.push({
        line: row.line,
        sourceKey: key(row, clean(r.id)),
        input,
        status: decidimStatus(r, progress),
        progress,
      })
  }
  const components = [...new Set(table.rows.map(component).filter(Boolean))]
  return [
    {
      sourceKey: components.length === 1 ? `decidim-component:${components[0]}` : null,
      title: '',
      periodStart: null,
      periodEnd: null,
      label: '',
      commitments: [...commitments.values()],
    },
  ]
}

/** A plan without title or period of its own takes the file's name and its commitments' dates. */
function withPeriod(plan: ImportedPlan, name: string): ImportedPlan {
  const starts = plan.commitments
    .map((c) => c.input.startDate)
    .filter((d): d is string => Boolean(d))
    .sort()
  const ends = plan.commitments
    .map((c) => c.input.endDate)
    .filter((d): d is string => Boolean(d))
    .sort()
  const title = plan.title || `Plan d’action importé (${name.replace(/\.[a-z]+$/i, '')})`.slice(0, 300)
  return {
    ...plan,
    title,
    label: plan.label || title,
    periodStart: plan.periodStart ?? starts[0] ?? null,
    periodEnd: plan.periodEnd ?? ends.at(-1) ?? null,
  }
}

/**
 * Reads a file of action plans in one of the formats. A file the reader cannot read, or that is not a well-formed
 * table, gives its problems in `errors` (with no plan); so does any row that the forms' rules refuse.
 */
export function readPlansFile(bytes: Uint8Array, format: ImportFormat, name: string): ReadPlans {
  const out = new Collector()
  let table: CsvTable
  try {
    table = readCsv(bytes, { name, maxBytes: MAX_IMPORT_BYTES })
  } catch (error) {
    if (error instanceof MalformedCsv)
      return {
        format,
        encoding: 'utf-8',
        plans: [],
        warnings: [],
        errors: error.problems,
        errorCount: error.problems.length,
      }
    if (error instanceof UnreadableFile)
      return { format, encoding: 'utf-8', plans: [], warnings: [], errors: [error.problem], errorCount: 1 }
    throw error
  }
  for (const warning of table.warnings) out.warn(warning)
  if (table.rows.length === 0) out.error({ key: 'plans.import.empty' })
  const plans = (
    format === 'modele' ? readTemplate(table, out) : format === 'ogp' ? readOgp(table, out) : readDecidim(table, out)
  ).map((plan) => withPeriod(plan, name))
  out.finish()
  return {
    format,
    encoding: table.encoding,
    plans: out.errorCount > 0 ? [] : plans,
    warnings: out.warnings,
    errors: out.errors,
    errorCount: out.errorCount,
  }
}
