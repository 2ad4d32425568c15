import { translator } from '../../platform/i18n/index.ts'
import { MalformedCsv, readCsv, type CsvTable } from '../../platform/import/csv.ts'
import { UnreadableFile, worded } from '../../platform/import/text.ts'
import { fieldsOf, type FicheKind } from './fields.ts'
import { resolveVocabulary, type VocabularyName } from './vocabularies.ts'

import type { ImportRecord, ReadRecords, ImportProblem } from './import.ts'

const fr = translator('fr')
const PARTICIPEDIA_LICENCE = 'cc-by-nc-sa-3.0'

/** Participedia column → our field and vocabulary. Multi-valued columns come as `name_1`…`name_5`. */
const PARTICIPEDIA_COLUMNS: Record<string, { field: string; vocabulary?: VocabularyName }> = {
  public_spectrum: { field: 'iap2', vocabulary: 'iap2' },
  facetoface_online_or_both: { field: 'format', vocabulary: 'format' },
  open_limited: { field: 'openLimited', vocabulary: 'openLimited' },
  recruitment_method: { field: 'recruitment', vocabulary: 'recruitment' },
  level_polarization: { field: 'polarization', vocabulary: 'polarization' },
  level_complexity: { field: 'complexity', vocabulary: 'complexity' },
  method_types: { field: 'methodTypes', vocabulary: 'methodTypes' },
  type_method: { field: 'methodTypes', vocabulary: 'methodTypes' },
  tools_techniques_types: { field: 'toolTypes', vocabulary: 'toolTypes' },
  number_of_participants: { field: 'participants', vocabulary: 'participants' },
  scope_of_influence: { field: 'scope', vocabulary: 'scope' },
  participants_interactions: { field: 'interactions', vocabulary: 'interactions' },
  decision_methods: { field: 'decisionMethods', vocabulary: 'decisionMethods' },
  if_voting: { field: 'voting', vocabulary: 'voting' },
  purpose_method: { field: 'purposes', vocabulary: 'purposes' },
  purposes: { field: 'purposes', vocabulary: 'purposes' },
  facilitators: { field: 'facilitators', vocabulary: 'yesNo' },
  general_issues: { field: 'themes', vocabulary: 'themes' },
  organizer_types: { field: 'organiserTypes', vocabulary: 'actorKind' },
  funder_types: { field: 'funderTypes', vocabulary: 'actorKind' },
  approaches: { field: 'approaches', vocabulary: 'approaches' },
  targeted_participants: { field: 'targetedParticipants', vocabulary: 'targetedParticipants' },
  facilitator_training: { field: 'facilitatorTraining', vocabulary: 'facilitatorTraining' },
  learning_resources: { field: 'learningResources', vocabulary: 'learningResources' },
  change_types: { field: 'changeTypes', vocabulary: 'changeTypes' },
  implementers_of_change: { field: 'implementers', vocabulary: 'implementers' },
  staff: { field: 'staff', vocabulary: 'yesNo' },
  volunteers: { field: 'volunteers', vocabulary: 'yesNo' },
  impact_evidence: { field: 'impactEvidence', vocabulary: 'yesNo' },
  formal_evaluation: { field: 'formalEvaluation', vocabulary: 'yesNo' },
  ongoing: { field: 'ongoing', vocabulary: 'yesNo' },
  type_tool: { field: 'toolTypes', vocabulary: 'toolTypes' },
  sector: { field: 'sector', vocabulary: 'sector' },
}

const KIND_OF_TYPE: Record<string, FicheKind> = { method: 'method', case: 'experience', organization: 'actor' }

/** A file read with the platform's reader, or the problems that stop it (unreadable, not a well-formed table). */
function tableOf(bytes: Uint8Array, name: string): CsvTable | ImportProblem[] {
  try {
    return readCsv(bytes, { name, maxBytes: 50 * 1024 * 1024 })
  } catch (error) {
    if (error instanceof MalformedCsv) return error.problems.map((p) => ({ position: name, reason: worded(fr, p) }))
    if (error instanceof UnreadableFile) return [{ position: name, reason: worded(fr, error.problem) }]
    throw error
  }
}

/**
 * Links written as PostgreSQL's list of rows, as the organisations export does:
 * `{"(145,method,\"21st Century Town Meeting®\")","(12,method,Fishbowl)"}` → id, type and title of each.
 */
export function parseCompositeLinks(cell: string): { id: string; type: string; title: string }[] {
  const inner = cell.trim().replace(/^\{/, '').replace(/\}$/, '')
  const elements: string[] = []
  let current = ''
  let quoted = false
  for (let i = 0; i < inner.length; i++) {
    const char = inner[i]!
    if (char === '\\' && quoted) {
      current += inner[++i] ?? ''
      continue
    }
    if (char === '"') {
      quoted = !quoted
      continue
    }
    if (char === ',' && !quoted) {
      elements.push(current)
      current = ''
      continue
    }
    current += char
  }
  if (current.trim()) elements.push(current)
  return elements.flatMap((element) => {
    const match = /^\s*\((\d+),([a-z]+),(.*)\)\s*$/s.exec(element)
    if (!match) return []
    const field = match[3]!.trim()
    // a quoted field of the row doubles its quotes ("") or escapes them (\")
    const title = /^"[\s\S]*"$/.test(field) ? field.slice(1, -1).replace(/""/g, '"').replace(/\\(.)/g, '$1') : field
    return [{ id: match[1]!, type: match[2]!, title: title.trim() }]
  })
}

/** Reads a Participedia CSV export (cases, methods or organisations): one record a row, every vocabulary value resolved. */
export function readParticipediaCsv(bytes: Uint8Array, name = 'participedia.csv'): ReadRecords {
  const table = tableOf(bytes, name)
  if (Array.isArray(table)) return { records: [], problems: table, warnings: [] }
  const problems: ImportProblem[] = []
  const warnings: string[] = table.warnings.map((w) => worded(fr, w))
  const header = table.header
  if (!header.includes('id') || !header.includes('type') || !header.includes('title')) {
    return {
      records: [],
      problems: [
        {
          position: 'ligne 1',
          reason: 'ce n’est pas un export de Participedia : colonnes id, type et title attendues',
        },
      ],
      warnings,
    }
  }
  const dropped = new Map<string, { count: number; lines: number[] }>()
  const records: ImportRecord[] = []
  for (const row of table.rows) {
    const cell = (column: string) => (row.record[column] ?? '').trim()
    const position = `ligne ${row.line}${cell('id') ? ` (id ${cell('id')})` : ''}`
    const kind = KIND_OF_TYPE[cell('type')]
    if (!kind) {
      problems.push({ position, reason: `type inconnu : « ${cell('type')} » (case, method ou organization)` })
      continue
    }
    if (!/^\d+$/.test(cell('id'))) {
      problems.push({ position, reason: 'identifiant manquant ou invalide' })
      continue
    }
    const values: Record<string, unknown> = {
      title: cell('title'),
      summary: cell('description') || cell('title'),
      body: cell('body'),
      subtype: kind === 'method' ? 'method' : undefined,
      licence: PARTICIPEDIA_LICENCE,
      sourceName: 'Participedia',
      sourceUrl: cell('url'),
      originalAuthors: [
        ...new Set(
          [cell('creator_name'), cell('last_updated_by_name')].filter(Boolean).map((n) => n.replace(/^"+|"+$/g, '')),
        ),
      ].join(', '),
      language: cell('original_language'),
      sourceDate: /^\d{4}-\d{2}-\d{2}/.test(cell('updated_date'))
        ? cell('updated_date').slice(0, 10)
        : /^\d{4}-\d{2}-\d{2}/.test(cell('post_date'))
          ? cell('post_date').slice(0, 10)
          : '',
    }
    for (const [column, target] of Object.entries(PARTICIPEDIA_COLUMNS)) {
      const field = fieldsOf(kind).find((f) => f.name === target.field)
      if (!field || !target.vocabulary) continue
      const raw = header.includes(column) ? [cell(column)] : [1, 2, 3, 4, 5].map((n) => cell(`${column}_${n}`))
      const keys: string[] = []
      for (const value of raw
        .flatMap((v) => (v.startsWith('{') ? v.replace(/^\{|\}$/g, '').split(',') : [v]))
        .map((v) => v.replace(/^"|"$/g, '').trim())
        .filter(Boolean)) {
        const key = resolveVocabulary(target.vocabulary, value)
        if (key) keys.push(key)
        else {
          const entry = dropped.get(`${column} « ${value} »`) ?? { count: 0, lines: [] }
          entry.count++
          if (entry.lines.length < 5) entry.lines.push(row.line)
          dropped.set(`${column} « ${value} »`, entry)
        }
      }
      if (keys.length === 0) continue
      if (field.type === 'choices')
        values[field.name] = [...new Set([...((values[field.name] as string[] | undefined) ?? []), ...keys])]
      else values[field.name] = keys[0]
    }
    const linkNames: ImportRecord['linkNames'] = {}
    const linkKeys: ImportRecord['linkKeys'] = {}
    const methodLinks = (column: string) => {
      const raw = cell(column)
      if (raw.startsWith('{'))
        linkKeys.uses = parseCompositeLinks(raw).map((l) => ({ key: `participedia:${l.type}:${l.id}`, name: l.title }))
      else return splitTitles(raw)
      return []
    }
    if (kind === 'experience') {
      values.startDate = cell('start_date').slice(0, 10)
      values.endDate = cell('end_date').slice(0, 10)
      values.organisers = cell('primary_organizer_title')
      values.funder = cell('funder')
      values.topics = [1, 2, 3, 4, 5].map((n) => cell(`specific_topics_${n}`)).filter(Boolean)
      values.institution = cell('primary_organizer_title')
      linkNames.uses = [
        ...methodLinks('specific_methods_tools_techniques_titles'),
        ...methodLinks('specific_methods_tools_techniques'),
      ]
    }
    if (kind !== 'method') values.place = [cell('city'), cell('province'), cell('country')].filter(Boolean).join(', ')
    if (kind === 'actor') {
      linkNames.offers = methodLinks('specific_methods_tools_techniques')
      if (linkKeys.uses) {
        linkKeys.offers = linkKeys.uses
        delete linkKeys.uses
      }
    }
    records.push({
      position,
      kind,
      sourceKey: `participedia:${cell('type')}:${cell('id')}`,
      values,
      linkNames,
      linkKeys,
    })
  }
  for (const [value, { count, lines }] of dropped)
    warnings.push(
      `Valeur inconnue de Participedia, non reprise : ${value}, ${count} fois (lignes ${lines.join(', ')}${count > lines.length ? '…' : ''}).`,
    )
  return { records, problems, warnings }
}

/** Participedia lists linked titles separated by commas inside one cell. */
function splitTitles(cell: string): string[] {
  return cell
    .split(/\s*,\s*(?=[A-Z0-9«"(])/)
    .map((s) => s.trim())
    .filter(Boolean)
}

// ---------------------------------------------------------------------------------------------------
// The State's former participation catalogue: Markdown files with YAML front matter
