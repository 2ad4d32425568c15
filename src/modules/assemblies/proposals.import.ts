import { createHash } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { ImportCollector } from '../../platform/import/collector.ts'
import { MalformedCsv, readCsv, type CsvTable } from '../../platform/import/csv.ts'
import { UnreadableFile, type ImportMessage, type SourceEncoding } from '../../platform/import/text.ts'
import { assertManager, findAssembly } from './service.ts'

/**
 * A citizens' assembly's proposals imported from a list (the Convention Citoyenne pour le Climat published its 149
 * proposals so): one row per proposal with its title and full text, and when the list has them its theme, the
 * objective it answers, its identifier, its status and its votes. The column names are read in French or English,
 * without case or accents. A title longer than the platform's 300 characters — the norm there, where the title is
 * the proposal itself — gives a short title, and the whole title opens the text: nothing is cut away. Imported
 * proposals then follow the assembly's path (the officials' answer, the fate on the dashboard).
 */

export type ImportedStatus = 'adopted' | 'rejected' | 'drafted'

export interface ImportedProposal {
  line: number
  sourceKey: string
  title: string
  body: string
  theme: string | null
  objective: string | null
  /** null: the status chosen for the whole file */
  status: ImportedStatus | null
  votes: { for: number; against: number; abstain: number } | null
}

export interface ReadProposals {
  encoding: SourceEncoding
  proposals: ImportedProposal[]
  warnings: ImportMessage[]
  errors: ImportMessage[]
  errorCount: number
}

export const MAX_PROPOSALS_BYTES = 50 * 1024 * 1024
const TITLE_MAX = 300
const SHORT_TITLE = 200
const BODY_MAX = 50000

const normalised = (name: string) =>
  name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[_\-\s/]+/g, ' ')
    .trim()

const COLUMNS = {
  id: ['id', 'identifiant', 'numero', 'no', 'n', 'reference', 'code'],
  shortTitle: ['titre court', 'short title'],
  title: ['titre', 'title', 'proposition', 'intitule', 'proposal'],
  body: ['texte', 'text', 'body', 'description', 'contenu', 'texte complet', 'full text', 'expose des motifs'],
  theme: ['theme', 'thematique', 'famille', 'category', 'categorie'],
  objective: ['objectif', 'objective'],
  status: ['statut', 'status', 'adoption', 'resultat'],
  for: ['pour', 'votes pour', 'for', 'votes for', 'oui'],
  against: ['contre', 'votes contre', 'against', 'votes against', 'non'],
  abstain: ['abstention', 'abstentions', 'votes abstention', 'abstain'],
} as const
type Column = keyof typeof COLUMNS

const STATUSES: Record<string, ImportedStatus> = {
  adoptee: 'adopted',
  adopte: 'adopted',
  adoptees: 'adopted',
  adopted: 'adopted',
  oui: 'adopted',
  yes: 'adopted',
  rejetee: 'rejected',
  rejete: 'rejected',
  rejected: 'rejected',
  non: 'rejected',
  no: 'rejected',
  brouillon: 'drafted',
  draft: 'drafted',
  drafted: 'drafted',
  'a voter': 'drafted',
}

/** A short title from a long one: its first sentence when short enough, else its first words. */
export function shortTitleOf(title: string): string {
  const sentence = /^(.{10,}?[.:;!?])\s/.exec(title)?.[1]
  if (sentence && sentence.length <= SHORT_TITLE) return sentence.replace(/[.:;]$/, '')
  const cut = title.slice(0, SHORT_TITLE - 1)
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), SHORT_TITLE / 2)).trim()}…`
}

function columnsOf(table: CsvTable): Partial<Record<Column, string>> {
  const found: Partial<Record<Column, string>> = {}
  for (const [column, names] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
    const header = table.header.find((h) => (names as readonly string[]).includes(normalised(h)))
    if (header !== undefined) found[column] = header
  }
  return found
}

/** Reads a list of proposals; the problems found stop the import, each with its line. */
export function readProposalsFile(bytes: Uint8Array, name: string): ReadProposals {
  const out = new ImportCollector()
  let table: CsvTable
  try {
    table = readCsv(bytes, { name, maxBytes: MAX_PROPOSALS_BYTES })
  } catch (error) {
    const problems =
      error instanceof MalformedCsv ? error.problems : error instanceof UnreadableFile ? [error.problem] : null
    if (!problems) throw error
    return { encoding: 'utf-8', proposals: [], warnings: [], errors: problems, errorCount: problems.length }
  }
  for (const warning of table.warnings) out.warn(warning)
  const columns = columnsOf(table)
  if (!columns.title) {
    out.error({ key: 'assembly.import.columns', params: { columns: table.header.slice(0, 10).join(', ') } })
  } else if (table.rows.length === 0) out.error({ key: 'plans.import.empty' })
  const proposals: ImportedProposal[] = []
  const seen = new Map<string, number>()
  for (const row of columns.title ? table.rows : []) {
    const value = (column: Column) => (columns[column] ? (row.record[columns[column]!] ?? '').trim() : '')
    const fullTitle = value('title').replace(/\s+/g, ' ')
    if (fullTitle.length < 3) {
      out.error({ key: 'assembly.import.title', params: { line: row.line } })
      continue
    }
    let body = value('body')
    let title = value('shortTitle').replace(/\s+/g, ' ') || fullTitle
    if (title.length > TITLE_MAX) {
      title = shortTitleOf(title)
      out.count('assembly.import.shortened')
    }
    if (title !== fullTitle && !body.startsWith(fullTitle)) body = body ? `${fullTitle}\n\n${body}` : fullTitle
    if (!body) {
      body = fullTitle
      out.count('assembly.import.noBody')
    }
    if (body.length > BODY_MAX) {
      out.error({ key: 'assembly.import.body', params: { line: row.line, length: body.length, max: BODY_MAX } })
      continue
    }
    const theme = value('theme')
    const objective = value('objective')
    const tooLong = (
      [
        ['theme', theme, 300],
        ['objective', objective, 2000],
      ] as const
    ).find(([, text, max]) => text.length > max)
    if (tooLong) {
      out.error({
        key: 'assembly.import.long',
        params: { line: row.line, field: columns[tooLong[0]]!, length: tooLong[1].length, max: tooLong[2] },
      })
      continue
    }
    const rawStatus = value('status')
    const status = rawStatus ? (STATUSES[normalised(rawStatus)] ?? null) : null
    if (rawStatus && !status) {
      out.error({ key: 'assembly.import.statusValue', params: { line: row.line, value: rawStatus.slice(0, 60) } })
      continue
    }
    const counts = (['for', 'against', 'abstain'] as const).map((c) => value(c).replace(/\s/g, ''))
    const badCount = counts.find((c) => c !== '' && !/^\d+$/.test(c))
    if (badCount !== undefined) {
      out.error({ key: 'assembly.import.votesValue', params: { line: row.line, value: badCount.slice(0, 30) } })
      continue
    }
    const votes = counts.some((c) => c !== '')
      ? { for: Number(counts[0] || 0), against: Number(counts[1] || 0), abstain: Number(counts[2] || 0) }
      : null
    const id = value('id')
    const sourceKey = id
      ? `id:${id.slice(0, 190)}`
      : `titre:${createHash('sha256').update(normalised(fullTitle)).digest('hex').slice(0, 32)}`
    const earlier = seen.get(sourceKey)
    if (earlier !== undefined) {
      out.error({
        key: 'assembly.import.duplicate',
        params: { line: row.line, first: earlier, id: id || fullTitle.slice(0, 60) },
      })
      continue
    }
    seen.set(sourceKey, row.line)
    proposals.push({
      line: row.line,
      sourceKey,
      title,
      body,
      theme: theme || null,
      objective: objective || null,
      status,
      votes,
    })
  }
  out.finish()
  return {
    encoding: table.encoding,
    proposals: out.errorCount > 0 ? [] : proposals,
    warnings: out.warnings,
    errors: out.errors,
    errorCount: out.errorCount,
  }
}

export interface ProposalImportOutcome {
  created: number
  updated: number
  unchanged: number
  locked: number
  changes: { line: number; action: 'create' | 'update'; title: string }[]
}

interface ExistingProposal {
  id: string
  sourceKey: string
  title: string
  body: string
  theme: string | null
  objective: string | null
  status: string
  answer: string | null
  votesFor: number | null
}

/**
 * Imports the proposals read into an assembly; `write: false` computes the same outcome without writing (preview,
 * `--dry-run`). A proposal already being amended, voted on or answered is never changed. One transaction and one
 * audit event; `actor` null is the command line's operator.
 */
export async function importProposals(
  db: Db,
  {
    actor,
    assemblyId,
    read,
    ...options
  }: {
    actor: CurrentUser | null
    assemblyId: string
    read: ReadProposals
    write: boolean
    filename: string
    status: 'adopted' | 'drafted'
  },
): Promise<ProposalImportOutcome> {
  const assembly = await findAssembly(db, assemblyId)
  const run = async (tx: Db): Promise<ProposalImportOutcome> => {
    if (actor) await assertManager(tx, actor, assemblyId)
    const existing = new Map(
      (
        await queryRows<ExistingProposal>(
          tx,
          sql`select id, source_key as "sourceKey", title, body, theme, objective, status, answer, votes_for as "votesFor"
              from assembly_proposals where assembly_id = ${assemblyId} and source_key is not null ${options.write ? sql`for update` : sql``}`,
        )
      ).map((row) => [row.sourceKey, row]),
    )
    const outcome: ProposalImportOutcome = { created: 0, updated: 0, unchanged: 0, locked: 0, changes: [] }
    for (const item of read.proposals) {
      const status = item.status ?? options.status
      const row = existing.get(item.sourceKey)
      if (row) {
        const same =
          row.title === item.title &&
          row.body === item.body &&
          row.theme === item.theme &&
          row.objective === item.objective &&
          row.status === status &&
          (item.votes === null || row.votesFor === item.votes.for)
        if (same) {
          outcome.unchanged++
          continue
        }
        if (row.answer !== null || !['drafted', 'adopted', 'rejected'].includes(row.status)) {
          outcome.locked++
          continue
        }
      }
      outcome[row ? 'updated' : 'created']++
      outcome.changes.push({ line: item.line, action: row ? 'update' : 'create', title: item.title })
      if (!options.write) continue
      const votes = item.votes ?? { for: null, against: null, abstain: null }
      if (row) {
        await tx.execute(
          sql`update assembly_proposals set title = ${item.title}, body = ${item.body}, theme = ${item.theme}, objective = ${item.objective}, status = ${status},
                votes_for = coalesce(${votes.for}::int, votes_for), votes_against = coalesce(${votes.against}::int, votes_against), votes_abstain = coalesce(${votes.abstain}::int, votes_abstain),
                version = version + 1, updated_at = now()
              where id = ${row.id} and answer is null`,
        )
      } else {
        await tx.execute(
          sql`insert into assembly_proposals (assembly_id, territory_id, number, title, body, theme, objective, source_key, status, votes_for, votes_against, votes_abstain, created_by)
              values (${assemblyId}, ${assembly.territoryId}, (select coalesce(max(number), 0) + 1 from assembly_proposals where assembly_id = ${assemblyId}),
                ${item.title}, ${item.body}, ${item.theme}, ${item.objective}, ${item.sourceKey}, ${status}, ${votes.for}::int, ${votes.against}::int, ${votes.abstain}::int, ${actor?.id ?? null})`,
        )
      }
    }
    if (options.write && outcome.created + outcome.updated > 0) {
      await recordAudit(tx, {
        actorId: actor?.id ?? null,
        territoryId: assembly.territoryId,
        action: 'assembly.proposals_imported',
        subjectType: 'assembly',
        subjectId: assemblyId,
        after: {
          file: options.filename,
          created: outcome.created,
          updated: outcome.updated,
          unchanged: outcome.unchanged,
          locked: outcome.locked,
        },
      })
    }
    return outcome
  }
  return options.write ? db.transaction(run) : run(db)
}
