/** Reading the OGP's commitments and ratings exports. */
import type { CsvRow, CsvTable } from '../../platform/import/csv.ts'
import type { ImportCollector as Collector } from '../../platform/import/collector.ts'
import { commitmentRules } from './forms.ts'
import type { CommitmentInput } from './service.ts'
import { clean, isFlag, validate, DateReader, withUnreadDates } from './import-cells.ts'

/**
 * The formats action plans are imported from, read into one shape: plans, their commitments and milestones, each
 * with the identifier it has at its source (so a second import updates what the first created). Formats:
 * - `modele`: the platform's own template, which is also its commitments export (one plan);
 * - `ogp`: the Open Government Partnership's commitment sheet, whole (one plan per `Action Plan ID`);
 * - `decidim`: Decidim's accountability results export (`;`, `title/<locale>`, results and their sub-results).
 * Every value is checked with the rules of the forms; every problem names its line, field and value.
 */

import type { ImportedPlan } from './import-formats.ts'
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

export function readOgp(table: CsvTable, out: Collector): ImportedPlan[] {
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
