/** Reading Decidim's accountability (results) exports. */
import type { CsvRow, CsvTable } from '../../platform/import/csv.ts'
import type { ImportCollector as Collector } from '../../platform/import/collector.ts'
import { decidimText } from '../../platform/import/decidim.ts'
import { htmlToMarkdown } from '../../platform/import/html.ts'
import { commitmentRules, milestoneRules } from './forms.ts'
import type { Status } from './progress.ts'
import type { CommitmentInput, MilestoneInput } from './service.ts'
import { clean, validate, DateReader, withUnreadDates } from './import-cells.ts'

/**
 * The formats action plans are imported from, read into one shape: plans, their commitments and milestones, each
 * with the identifier it has at its source (so a second import updates what the first created). Formats:
 * - `modele`: the platform's own template, which is also its commitments export (one plan);
 * - `ogp`: the Open Government Partnership's commitment sheet, whole (one plan per `Action Plan ID`);
 * - `decidim`: Decidim's accountability results export (`;`, `title/<locale>`, results and their sub-results).
 * Every value is checked with the rules of the forms; every problem names its line, field and value.
 */

import type { ImportedCommitment, ImportedPlan } from './import-formats.ts'
const DONE = /termin|achev|réalis|complet|done|finish|executed|closed/i

const STARTED = /cours|progress|ongoing|started|execution|exécution/i

function decidimStatus(record: Record<string, string>, progress: number): Status {
  const said = `${record['status/key'] ?? ''} ${decidimText(record, 'status/name')}`
  if (progress >= 100 || DONE.test(said)) return 'termine'
  if (progress > 0 || STARTED.test(said)) return 'en_cours'
  return 'non_commence'
}

export function readDecidim(table: CsvTable, out: Collector): ImportedPlan[] {
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
