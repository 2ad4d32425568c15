import { counted } from '../../platform/i18n/index.ts'
import { sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, forbidden } from '../../platform/errors.ts'
import { MalformedCsv, readCsv, type CsvTable } from '../../platform/import/csv.ts'
import { UnreadableFile, type ImportMessage } from '../../platform/import/text.ts'
import { canonicalJson, commitmentsBySourceKeys } from '../plans/index.ts'
import { OGP_SHEET, OGP_VALUES, type Moment } from './scales.ts'
import type { Relevance } from './tables.ts'

/**
 * The ratings OGP's Independent Reporting Mechanism published, from OGP's commitment sheet — the whole sheet: each
 * row goes to the plan on the platform that holds its commitment (by its OGP identifier, which the plan import keeps
 * as the commitment's source), whichever plan that is; rows of commitments not on the platform are counted, not
 * refused. Every word of the IRM's scales is mapped; a word not known stops the import with its line. All or
 * nothing. A plan's IRM reports are published at the first import; a later import with other ratings adds a dated
 * erratum to them (a published report is never rewritten), and a plan whose moment was assessed here by an
 * appointed reviewer keeps that assessment (the IRM's is then not imported for it, and said so).
 */

const RELEVANCE_COLUMNS = [
  'OGP Value Access To Information',
  'OGP Value Civic Participation',
  'OGP Value Public Accountability',
  'OGP Value Technology',
]
const DIOG_COLUMNS = [
  'Did It Open Government (Access To Information)',
  'Did It Open Government (Civic Participation)',
  'Did It Open Government: Public Accountability',
  null,
]
export const MAX_RATINGS_BYTES = 50 * 1024 * 1024

interface InceptionRating {
  verifiable: boolean | null
  relevance: Relevance
  impact: string | null
  results: string | null
  /** the progress report's completion (mid-term), kept with the inception ratings */
  completion: string | null
  note: string
}
interface EndRating {
  completion: string | null
  diog: string | null
  values: Record<string, string>
  earlyResults: string
  note: string
}
interface SheetRating {
  line: number
  id: string
  inception: InceptionRating | null
  endOfTerm: EndRating | null
}

export interface RatingsOutcome {
  /** rows with a rating whose commitment is on the platform, by plan */
  plans: {
    planId: string
    title: string
    territoryName: string
    inception: number
    endOfTerm: number
    action: 'create' | 'erratum' | 'unchanged' | 'kept-own' | 'not-public'
  }[]
  /** rows with a rating whose commitment is not on the platform (identifiers, the first twenty) */
  notOnPlatform: { count: number; ids: string[] }
  /** rows without any IRM rating */
  unrated: number
  warnings: ImportMessage[]
}

export class RatingsRefused extends Error {
  constructor(readonly problems: ImportMessage[]) {
    super('the ratings file was refused')
  }
}

function mapped<T>(
  scale: Record<string, T>,
  raw: string | undefined,
  column: string,
  line: number,
  problems: ImportMessage[],
): T | null {
  const value = (raw ?? '').trim()
  if (OGP_SHEET.none.has(value)) return null
  if (Object.hasOwn(scale, value)) return scale[value]!
  problems.push({ key: 'assess.import.unknownValue', params: { line, column, value } })
  return null
}

/** Reads the IRM's ratings of every row; throws RatingsRefused with each problem (a file unreadable, a word unknown). */
export function readRatings(
  bytes: Uint8Array,
  name: string,
): { ratings: SheetRating[]; unrated: number; warnings: ImportMessage[] } {
  let table: CsvTable
  try {
    table = readCsv(bytes, { name, maxBytes: MAX_RATINGS_BYTES })
  } catch (error) {
    if (error instanceof MalformedCsv) throw new RatingsRefused(error.problems)
    if (error instanceof UnreadableFile) throw new RatingsRefused([error.problem])
    throw error
  }
  const missing = ['Commitment Unique Identifier', 'Verifiable'].filter((c) => !table.header.includes(c))
  if (missing.length > 0)
    throw new RatingsRefused([{ key: 'assess.import.notSheet', params: { name, columns: missing.join(', ') } }])
  const problems: ImportMessage[] = []
  const ratings: SheetRating[] = []
  let unrated = 0
  for (const row of table.rows) {
    const r = row.record
    const id = (r['Commitment Unique Identifier'] ?? '').trim()
    const year = (column: string) => (/^\d{4}$/.test(r[column] ?? '') ? r[column] : null)
    const verifiable = mapped(OGP_SHEET.verifiable, r.Verifiable, 'Verifiable', row.line, problems)
    const relevance: Relevance = {}
    OGP_VALUES.forEach((value, i) => {
      const relevant = mapped(OGP_SHEET.relevant, r[RELEVANCE_COLUMNS[i]!], RELEVANCE_COLUMNS[i]!, row.line, problems)
      if (relevant !== null) relevance[value] = { relevant, justification: 'Appréciation de l’IRM.' }
    })
    const impact = mapped(OGP_SHEET.impact, r['Potential Impact'], 'Potential Impact', row.line, problems)
    const results = mapped(OGP_SHEET.results, r['Potential for Results'], 'Potential for Results', row.line, problems)
    const midterm = mapped(
      OGP_SHEET.completion,
      r['Completion (Progress Report)'],
      'Completion (Progress Report)',
      row.line,
      problems,
    )
    const completion = mapped(
      OGP_SHEET.completion,
      r['Completion (End Of Term)'],
      'Completion (End Of Term)',
      row.line,
      problems,
    )
    const diog = mapped(
      OGP_SHEET.diog,
      r['Did It Open Government (Overall)'],
      'Did It Open Government (Overall)',
      row.line,
      problems,
    )
    const values: Record<string, string> = {}
    OGP_VALUES.forEach((value, i) => {
      const column = DIOG_COLUMNS[i]
      values[value] = (column && mapped(OGP_SHEET.diog, r[column], column, row.line, problems)) || 'not_applicable'
    })
    const early = mapped(OGP_SHEET.earlyResults, r['Early Results'], 'Early Results', row.line, problems)
    const hasInception =
      verifiable !== null ||
      Object.keys(relevance).length > 0 ||
      impact !== null ||
      results !== null ||
      midterm !== null
    const hasEnd = completion !== null || (diog !== null && diog !== 'not_applicable') || early !== null
    if (!hasInception && !hasEnd) {
      unrated++
      continue
    }
    if (!id) {
      problems.push({ key: 'assess.import.noId', params: { line: row.line } })
      continue
    }
    const progressYear = year('Report Publication Year (Progress Report)')
    const endYear = year('Report Publication Year (End Of Term)')
    ratings.push({
      line: row.line,
      id,
      inception: hasInception
        ? {
            verifiable,
            relevance,
            impact,
            results,
            completion: midterm,
            note: `Appréciation publiée par l’IRM${progressYear ? ` (rapport ${progressYear})` : ''}.`,
          }
        : null,
      endOfTerm: hasEnd
        ? {
            completion,
            diog: diog === 'not_applicable' ? null : diog,
            values,
            earlyResults: early ? `Résultats précoces selon l’IRM : ${early}.` : '',
            note: `Appréciation publiée par l’IRM${endYear ? ` (rapport de fin de mandat ${endYear})` : ''}.`,
          }
        : null,
    })
  }
  if (problems.length > 0) throw new RatingsRefused(problems)
  return { ratings, unrated, warnings: table.warnings }
}

interface StoredRow {
  commitmentId: string
  verifiable: boolean | null
  relevance: Relevance
  potentialImpact: string | null
  potentialResults: string | null
  completion: string | null
  diogOverall: string | null
  diogValues: Record<string, string>
  earlyResults: string
}

const inceptionFields = (r: InceptionRating) => ({
  verifiable: r.verifiable,
  relevance: r.relevance,
  potentialImpact: r.impact,
  potentialResults: r.results,
  completion: r.completion,
})
const endFields = (r: EndRating) => ({
  completion: r.completion,
  diogOverall: r.diog,
  diogValues: r.values,
  earlyResults: r.earlyResults,
})

/** How a stored row differs from the sheet's (as "field: before → after"), empty when equal; objects compared whatever their keys' order. */
function differences(stored: StoredRow, wanted: Record<string, unknown>): string[] {
  return Object.entries(wanted).flatMap(([field, value]) => {
    const before = canonicalJson((stored as unknown as Record<string, unknown>)[field] ?? null)
    const after = canonicalJson(value ?? null)
    return before === after ? [] : [`${field} : ${before} → ${after}`]
  })
}

/**
 * Computes (and with `write`, applies in one transaction) the import of the IRM's ratings, to every plan holding
 * a rated commitment, or to `planId` only. The network's team only. Throws RatingsRefused, 403.
 */
export async function importOgpRatings(
  db: Db,
  {
    actor,
    bytes,
    ...options
  }: { actor: CurrentUser | null; bytes: Uint8Array; name: string; planId?: string; write: boolean },
): Promise<RatingsOutcome> {
  if (actor && !actor.isPlatformAdmin) throw forbidden()
  const { ratings, unrated, warnings } = readRatings(bytes, options.name)
  const run = async (tx: Db): Promise<RatingsOutcome> => {
    const ids = [...new Set(ratings.map((r) => `ogp:${r.id}`))]
    const holders = await commitmentsBySourceKeys(tx, ids, options.planId)
    const byKey = new Map<string, typeof holders>()
    for (const h of holders) byKey.set(h.sourceKey, [...(byKey.get(h.sourceKey) ?? []), h])
    const missing = ratings.filter((r) => !byKey.has(`ogp:${r.id}`))
    const outcome: RatingsOutcome = {
      plans: [],
      notOnPlatform: { count: missing.length, ids: missing.slice(0, 20).map((r) => r.id) },
      unrated,
      warnings,
    }
    const byPlan = new Map<
      string,
      { holder: (typeof holders)[number]; rows: { commitmentId: string; rating: SheetRating }[] }
    >()
    for (const rating of ratings) {
      for (const holder of byKey.get(`ogp:${rating.id}`) ?? []) {
        const entry = byPlan.get(holder.planId) ?? { holder, rows: [] }
        entry.rows.push({ commitmentId: holder.commitmentId, rating })
        byPlan.set(holder.planId, entry)
      }
    }
    for (const { holder, rows } of byPlan.values()) {
      const summary = {
        planId: holder.planId,
        title: holder.planTitle,
        territoryName: holder.territoryName,
        inception: rows.filter((r) => r.rating.inception).length,
        endOfTerm: rows.filter((r) => r.rating.endOfTerm).length,
      }
      if (holder.planStatus !== 'published' && holder.planStatus !== 'closed') {
        outcome.plans.push({ ...summary, action: 'not-public' })
        continue
      }
      let action: RatingsOutcome['plans'][number]['action'] = 'unchanged'
      for (const moment of ['inception', 'end_of_term'] as Moment[]) {
        const momentRows = rows.flatMap((r) => {
          const wanted =
            moment === 'inception'
              ? r.rating.inception
                ? inceptionFields(r.rating.inception)
                : null
              : r.rating.endOfTerm
                ? endFields(r.rating.endOfTerm)
                : null
          const note = moment === 'inception' ? r.rating.inception?.note : r.rating.endOfTerm?.note
          return wanted ? [{ commitmentId: r.commitmentId, wanted, note: note ?? '', id: r.rating.id }] : []
        })
        if (momentRows.length === 0) continue
        const [existing] = await queryRows<{ id: string; source: string }>(
          tx,
          sql`select id, source from assessments where plan_id = ${holder.planId} and moment = ${moment}`,
        )
        if (existing && existing.source !== 'ogp') {
          action = 'kept-own'
          continue
        }
        if (!existing) {
          action = 'create'
          if (options.write) await createIrmReport(tx, actor, holder, moment, momentRows)
          continue
        }
        const stored = await queryRows<StoredRow>(
          tx,
          sql`select commitment_id as "commitmentId", verifiable, relevance, potential_impact as "potentialImpact", potential_results as "potentialResults", completion, diog_overall as "diogOverall", diog_values as "diogValues", early_results as "earlyResults"
              from commitment_assessments where assessment_id = ${existing.id}`,
        )
        const errata = momentRows.flatMap((row) => {
          const before = stored.find((s) => s.commitmentId === row.commitmentId)
          const changes = before
            ? differences(before, row.wanted)
            : Object.entries(row.wanted).map(([field, value]) => `${field} : ${JSON.stringify(value)}`)
          return changes.length === 0
            ? []
            : [
                {
                  commitmentId: row.commitmentId,
                  text: `${before ? 'La fiche de l’OGP' : 'La fiche de l’OGP apprécie aussi cet engagement'} (${row.id}) dit désormais : ${changes.join(' ; ')}.`.slice(
                    0,
                    5000,
                  ),
                },
              ]
        })
        if (errata.length > 0 && action !== 'create') action = 'erratum'
        if (options.write) {
          for (const erratum of errata) {
            await tx.execute(
              sql`insert into assessment_errata (assessment_id, territory_id, commitment_id, text, author_id) values (${existing.id}, ${holder.territoryId}, ${erratum.commitmentId}, ${erratum.text}, ${actor?.id ?? null})`,
            )
          }
        }
      }
      outcome.plans.push({ ...summary, action })
      if (options.write && action !== 'unchanged' && action !== 'kept-own') {
        await recordAudit(tx, {
          actorId: actor?.id ?? null,
          territoryId: holder.territoryId,
          action: 'assessment.ogp_imported',
          subjectType: 'action_plan',
          subjectId: holder.planId,
          after: { inception: summary.inception, endOfTerm: summary.endOfTerm, action },
        })
      }
    }
    return outcome
  }
  return options.write ? db.transaction(run) : run(db)
}

async function createIrmReport(
  tx: Db,
  actor: CurrentUser | null,
  holder: { planId: string; territoryId: string },
  moment: Moment,
  rows: { commitmentId: string; wanted: Record<string, unknown>; note: string }[],
): Promise<void> {
  const [report] = await queryRows<{ id: string }>(
    tx,
    sql`insert into assessments (territory_id, plan_id, moment, source, summary, created_by)
        values (${holder.territoryId}, ${holder.planId}, ${moment}, 'ogp', 'Appréciations publiées par le mécanisme d’évaluation indépendant (IRM) du Partenariat pour un gouvernement ouvert.', ${actor?.id ?? null})
        returning id`,
  )
  for (const row of rows) {
    const w = row.wanted as Partial<StoredRow>
    await tx.execute(sql`insert into commitment_assessments (assessment_id, commitment_id, territory_id, verifiable, verifiable_justification, relevance, potential_impact, potential_results, impact_justification,
        completion, completion_justification, diog_overall, diog_values, diog_justification, early_results)
      values (${report!.id}, ${row.commitmentId}, ${holder.territoryId}, ${w.verifiable ?? null}, ${w.verifiable === undefined ? '' : row.note}, ${JSON.stringify(w.relevance ?? {})}::jsonb,
        ${w.potentialImpact ?? null}, ${w.potentialResults ?? null}, ${w.potentialImpact || w.potentialResults ? row.note : ''},
        ${w.completion ?? null}, ${w.completion ? row.note : ''}, ${w.diogOverall ?? null}, ${JSON.stringify(w.diogValues ?? {})}::jsonb, ${w.diogOverall ? row.note : ''}, ${w.earlyResults ?? ''})`)
  }
  await tx.execute(
    sql`update assessments set status = 'published', published_at = now(), published_by = ${actor?.id ?? null} where id = ${report!.id}`,
  )
}

/** The ratings' problems as an error of the request (422). */
export const refusedRatings = (problems: ImportMessage[]) =>
  new AppError('RATINGS_REFUSED', {
    status: 422,
    userMessage: counted('fr', problems.length, 'problème', 'problèmes'),
    details: problems,
  })
