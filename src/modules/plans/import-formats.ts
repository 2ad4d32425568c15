import { MalformedCsv, readCsv, type CsvTable } from '../../platform/import/csv.ts'
import { ImportCollector as Collector } from '../../platform/import/collector.ts'
import { UnreadableFile, type ImportMessage, type SourceEncoding } from '../../platform/import/text.ts'
import { commitmentRules } from './forms.ts'
import type { Status } from './progress.ts'
import type { CommitmentInput, MilestoneInput } from './service.ts'
import { clean, validate, DateReader, withUnreadDates } from './import-cells.ts'
import { readOgp } from './import-ogp.ts'
import { readDecidim } from './import-decidim.ts'

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
