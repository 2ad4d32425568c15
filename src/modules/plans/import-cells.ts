import { dateOrderOf, readDate, type DateOrder } from '../../platform/import/dates.ts'
import type { ImportCollector as Collector } from '../../platform/import/collector.ts'
import type { FieldRule } from '../../platform/http/forms.ts'
import type { MessageKey } from '../../platform/i18n/index.ts'

/**
 * The formats action plans are imported from, read into one shape: plans, their commitments and milestones, each
 * with the identifier it has at its source (so a second import updates what the first created). Formats:
 * - `modele`: the platform's own template, which is also its commitments export (one plan);
 * - `ogp`: the Open Government Partnership's commitment sheet, whole (one plan per `Action Plan ID`);
 * - `decidim`: Decidim's accountability results export (`;`, `title/<locale>`, results and their sub-results).
 * Every value is checked with the rules of the forms; every problem names its line, field and value.
 */

const MISSING = new Set(['', 'na', 'nd', 'n/a', 'null', 'none'])

export const clean = (raw: string | undefined) =>
  raw === undefined || MISSING.has(raw.trim().toLowerCase()) ? '' : raw.trim()

export const isFlag = (raw: string | undefined) =>
  ['1', 'yes', 'true', 'x', 'oui'].includes((raw ?? '').trim().toLowerCase())

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
export function validate<T extends object>(
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
export class DateReader {
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

export function withUnreadDates(form: Record<string, string>, unread: string[]): Record<string, string> {
  return unread.length > 0 ? { ...form, description: `${form.description ?? ''}${unreadNote(unread)}`.trim() } : form
}

// ——— the platform's template (and its commitments export) ———
