import { createHmac } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { assertCan, authorizedIn } from '../../platform/auth/policy.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { forbidden } from '../../platform/errors.ts'
import { ImportCollector } from '../../platform/import/collector.ts'
import { MalformedCsv, readCsv, type CsvRow } from '../../platform/import/csv.ts'
import { decidimText, flattenDecidimJson } from '../../platform/import/decidim.ts'
import { htmlToMarkdown } from '../../platform/import/html.ts'
import { decodeText, UnreadableFile, type ImportMessage, type SourceEncoding } from '../../platform/import/text.ts'
import type { ContributionKind } from './service.ts'
import { findConsultation } from './queries.ts'

/**
 * Contributions brought from Decidim, the most common migration: its proposals export (an idea each, with its
 * supports and the official answer) and its debates export (an opinion each), as CSV (`;` or `,`, any encoding the
 * shared reader takes) or JSON. Authors become pseudonyms — a keyed hash of their identity at the source, the same
 * for the same person across the file and across imports, from which the name cannot be read back; the names are
 * never stored. Votes stay a figure, categories become themes, and each row keeps its source identifier, so that a
 * second import of the same export updates what the first created and adds only what is new.
 */

export type ContributionSource = 'decidim-proposals' | 'decidim-debates'

export interface ImportedContribution {
  line: number
  sourceKey: string
  kind: ContributionKind
  title: string
  body: string
  author: string | null
  votes: number
  theme: string | null
  createdAt: Date | null
  decision: 'retained' | 'not_retained' | null
  answer: string | null
}

export interface ReadContributions {
  source: ContributionSource | null
  encoding: SourceEncoding
  contributions: ImportedContribution[]
  warnings: ImportMessage[]
  errors: ImportMessage[]
  errorCount: number
}

export const MAX_CONTRIBUTIONS_BYTES = 50 * 1024 * 1024
const TITLE = { min: 3, max: 200 }
const BODY_MAX = 10000

/** The pseudonym of an author: stable for one person and platform, not reversible without the platform's key. */
export function pseudonymOf(key: string, identity: string): string {
  const digest = createHmac('sha256', `thc-pseudonym:${key}`)
    .update(identity.normalize('NFC').trim().toLowerCase())
    .digest('hex')
  return `Participant·e ${digest.slice(0, 6)}`
}

/** A Decidim date ("2024-03-12 14:03:22 UTC", ISO 8601 with or without offset, or a day "12/03/2024"). */
function readInstant(raw: string): Date | null | 'unread' {
  const value = raw.trim()
  if (value === '') return null
  const utc = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(UTC|Z|[+-]\d{2}:?\d{2})?$/.exec(value)
  if (utc) {
    const zone = !utc[3] || utc[3] === 'UTC' || utc[3] === 'Z' ? 'Z' : utc[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')
    const date = new Date(`${utc[1]}T${utc[2]}${zone}`)
    return Number.isNaN(date.getTime()) ? 'unread' : date
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T12:00:00Z`)
  const day = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(value)
  if (day && Number(day[2]) <= 12)
    return new Date(
      Date.UTC(Number(day[3]), Number(day[2]) - 1, Number(day[1]), Number(day[4] ?? 12), Number(day[5] ?? 0)),
    )
  return 'unread'
}

const ANSWERED: Record<string, 'retained' | 'not_retained'> = { accepted: 'retained', rejected: 'not_retained' }

/** Which export a file is, from its columns. */
function sourceOf(header: string[]): ContributionSource | null {
  const has = (field: string) => header.some((h) => h === field || h.startsWith(`${field}/`))
  if (!header.includes('id') || !has('title')) return null
  if (has('body')) return 'decidim-proposals'
  if (has('description') || has('instructions') || header.includes('start_time')) return 'decidim-debates'
  return null
}

function readRow(
  row: CsvRow,
  source: ContributionSource,
  pseudonymKey: string,
  out: ImportCollector,
): ImportedContribution | null {
  const r = row.record
  const id = (r.id ?? '').trim()
  if (!id) {
    out.error({ key: 'consult.import.noId', params: { line: row.line } })
    return null
  }
  const state = (r.state ?? '').trim().toLowerCase()
  if (
    state === 'withdrawn' ||
    (r.withdrawn ?? '').trim().toLowerCase() === 'true' ||
    (r.withdrawn_at ?? '').trim() !== ''
  ) {
    out.count('consult.import.withdrawn')
    return null
  }
  const title = decidimText(r, 'title').replace(/\s+/g, ' ')
  if (title.length < TITLE.min || title.length > TITLE.max) {
    out.error({
      key: 'consult.import.title',
      params: { line: row.line, length: title.length, min: TITLE.min, max: TITLE.max, value: title.slice(0, 80) },
    })
    return null
  }
  let body = htmlToMarkdown(decidimText(r, source === 'decidim-proposals' ? 'body' : 'description'))
  if (source === 'decidim-debates') {
    const conclusions = htmlToMarkdown(decidimText(r, 'conclusions'))
    if (conclusions) body = `${body}\n\n**Conclusions** : ${conclusions}`.trim()
  }
  if ((r.is_amend ?? '').trim().toLowerCase() === 'true' && decidimText(r, 'original_proposal/title'))
    body = `Amendement à « ${decidimText(r, 'original_proposal/title')} ».\n\n${body}`.trim()
  if (body === '') {
    out.count('consult.import.bodyFromTitle')
    body = title
  }
  if (body.length > BODY_MAX) {
    out.error({ key: 'consult.import.body', params: { line: row.line, length: body.length, max: BODY_MAX } })
    return null
  }
  const votesRaw = ['votes', 'supports', 'proposal_votes_count'].map((c) => (r[c] ?? '').trim()).find(Boolean) ?? ''
  const votes = votesRaw === '' ? 0 : Number(votesRaw)
  if (!Number.isInteger(votes) || votes < 0) {
    out.error({ key: 'consult.import.votes', params: { line: row.line, value: votesRaw } })
    return null
  }
  const identity = ['author/id', 'author/nickname', 'author/name', 'author']
    .map((c) => (r[c] ?? '').trim())
    .find(Boolean)
  if (!identity) out.count('consult.import.noAuthor')
  const instant = readInstant(r.published_at || r.created_at || r.start_time || '')
  if (instant === 'unread')
    out.warn({
      key: 'consult.import.date',
      params: { line: row.line, value: (r.published_at || r.created_at || r.start_time || '').slice(0, 40) },
    })
  const theme = (decidimText(r, 'category/name') || decidimText(r, 'scope/name')).slice(0, 200) || null
  const decision = source === 'decidim-proposals' ? (ANSWERED[state] ?? null) : null
  const answer = decision ? htmlToMarkdown(decidimText(r, 'answer')).slice(0, 10000) || null : null
  const component = (r['component/id'] ?? '').trim()
  return {
    line: row.line,
    sourceKey: `${source}:${component ? `${component}/` : ''}${id}`,
    kind: source === 'decidim-proposals' ? 'idea' : 'opinion',
    title,
    body,
    author: identity ? pseudonymOf(pseudonymKey, `decidim:${identity}`) : null,
    votes,
    theme,
    createdAt: instant === 'unread' ? null : instant,
    decision,
    answer,
  }
}

/** Reads a Decidim proposals or debates export; the problems found stop the import, each with its line. */
export function readContributionsFile(bytes: Uint8Array, name: string, pseudonymKey: string): ReadContributions {
  const out = new ImportCollector()
  const refused = (errors: ImportMessage[], encoding: SourceEncoding = 'utf-8'): ReadContributions => ({
    source: null,
    encoding,
    contributions: [],
    warnings: [],
    errors,
    errorCount: errors.length,
  })
  let rows: CsvRow[]
  let header: string[]
  let encoding: SourceEncoding
  try {
    const decoded = decodeText(bytes, name, MAX_CONTRIBUTIONS_BYTES)
    encoding = decoded.encoding
    for (const warning of decoded.warnings) out.warn(warning)
    if (/^\s*\[/.test(decoded.text)) {
      let records: Record<string, string>[] | null = null
      try {
        records = flattenDecidimJson(JSON.parse(decoded.text))
      } catch {
        return refused([{ key: 'consult.import.json', params: { name } }], encoding)
      }
      if (!records) return refused([{ key: 'consult.import.json', params: { name } }], encoding)
      rows = records.map((record, i) => ({ line: i + 1, cells: Object.values(record), record }))
      header = [...new Set(records.flatMap((record) => Object.keys(record)))]
    } else {
      const table = readCsv(decoded, { name, maxBytes: MAX_CONTRIBUTIONS_BYTES })
      for (const warning of table.warnings) if (!decoded.warnings.includes(warning)) out.warn(warning)
      rows = table.rows
      header = table.header
    }
  } catch (error) {
    if (error instanceof MalformedCsv) return refused(error.problems)
    if (error instanceof UnreadableFile) return refused([error.problem])
    throw error
  }
  const source = sourceOf(header)
  if (!source)
    return refused([{ key: 'consult.import.notDecidim', params: { columns: header.slice(0, 8).join(', ') } }], encoding)
  if (rows.length === 0) return refused([{ key: 'plans.import.empty' }], encoding)
  const contributions: ImportedContribution[] = []
  const seen = new Map<string, number>()
  for (const row of rows) {
    const item = readRow(row, source, pseudonymKey, out)
    if (!item) continue
    const earlier = seen.get(item.sourceKey)
    if (earlier !== undefined) {
      out.error({
        key: 'consult.import.duplicate',
        params: { line: row.line, first: earlier, id: item.sourceKey.slice(source.length + 1) },
      })
      continue
    }
    seen.set(item.sourceKey, row.line)
    contributions.push(item)
  }
  out.finish()
  return {
    source,
    encoding,
    contributions: out.errorCount > 0 ? [] : contributions,
    warnings: out.warnings,
    errors: out.errors,
    errorCount: out.errorCount,
  }
}

export interface ContributionImportOutcome {
  created: number
  updated: number
  unchanged: number
  /** lines created or updated, for the preview */
  changes: { line: number; action: 'create' | 'update'; title: string }[]
}

interface ExistingContribution {
  id: string
  sourceKey: string
  title: string
  body: string
  theme: string | null
  sourceAuthor: string | null
  sourceVotes: number
  decision: string | null
  answer: string | null
}

const differs = (row: ExistingContribution, item: ImportedContribution) =>
  row.title !== item.title ||
  row.body !== item.body ||
  row.theme !== item.theme ||
  row.sourceAuthor !== item.author ||
  row.sourceVotes !== item.votes ||
  (item.decision !== null && (row.decision !== item.decision || row.answer !== item.answer))

/**
 * Imports the contributions read into a consultation (any phase: the import brings a participation that took place
 * elsewhere). `write: false` computes the same outcome without writing (the preview, `--dry-run`). One transaction
 * and one audit event; `actor` null is the command line's operator.
 */
export async function importContributions(
  db: Db,
  {
    actor,
    consultationId,
    read,
    ...options
  }: { actor: CurrentUser | null; consultationId: string; read: ReadContributions; write: boolean; filename: string },
): Promise<ContributionImportOutcome> {
  const consultation = await findConsultation(db, consultationId)
  if (actor) assertCan(actor, 'consultation.manage', consultation.territoryId)
  const run = async (tx: Db): Promise<ContributionImportOutcome> => {
    if (
      actor &&
      (
        await queryRows(
          tx,
          sql`select 1 where ${authorizedIn(actor, 'consultation.manage', sql`${consultation.territoryId}::uuid`)}`,
        )
      ).length === 0
    )
      throw forbidden()
    const existing = new Map(
      (
        await queryRows<ExistingContribution>(
          tx,
          sql`select id, source_key as "sourceKey", title, body, theme, source_author as "sourceAuthor", source_votes as "sourceVotes", decision, answer
              from contributions where consultation_id = ${consultation.id} and source_key is not null ${options.write ? sql`for update` : sql``}`,
        )
      ).map((row) => [row.sourceKey, row]),
    )
    const outcome: ContributionImportOutcome = { created: 0, updated: 0, unchanged: 0, changes: [] }
    for (const item of read.contributions) {
      const row = existing.get(item.sourceKey)
      if (row && !differs(row, item)) {
        outcome.unchanged++
        continue
      }
      outcome[row ? 'updated' : 'created']++
      outcome.changes.push({ line: item.line, action: row ? 'update' : 'create', title: item.title })
      if (!options.write) continue
      if (row) {
        await tx.execute(
          sql`update contributions set title = ${item.title}, body = ${item.body}, theme = ${item.theme}, source_author = ${item.author},
                support_count = greatest(0, support_count - source_votes + ${item.votes}), source_votes = ${item.votes},
                decision = coalesce(${item.decision}, decision), answer = coalesce(${item.answer}, answer), updated_at = now()
              where id = ${row.id}`,
        )
      } else {
        await tx.execute(
          sql`insert into contributions (consultation_id, territory_id, kind, title, body, theme, source_key, source_platform, source_author, source_votes, support_count, decision, answer, created_at, updated_at)
              values (${consultation.id}, ${consultation.territoryId}, ${item.kind}, ${item.title}, ${item.body}, ${item.theme}, ${item.sourceKey}, 'Decidim', ${item.author}, ${item.votes}, ${item.votes},
                ${item.decision}, ${item.answer}, ${(item.createdAt ?? new Date()).toISOString()}::timestamptz, now())`,
        )
      }
    }
    if (options.write && outcome.created + outcome.updated > 0) {
      await tx.execute(
        sql`update consultations set contribution_count = (select count(*) from contributions where consultation_id = ${consultation.id}), updated_at = now() where id = ${consultation.id}`,
      )
      await recordAudit(tx, {
        actorId: actor?.id ?? null,
        territoryId: consultation.territoryId,
        action: 'contributions.imported',
        subjectType: 'consultation',
        subjectId: consultation.id,
        after: {
          file: options.filename,
          source: read.source,
          created: outcome.created,
          updated: outcome.updated,
          unchanged: outcome.unchanged,
        },
      })
    }
    return outcome
  }
  return options.write ? db.transaction(run) : run(db)
}
