import { inArray } from 'drizzle-orm'
import { parse as parseYaml } from 'yaml'
import { recordAudit } from '../../platform/audit.ts'
import type { Db } from '../../platform/db/index.ts'
import { AppError } from '../../platform/errors.ts'
import { parseCsv } from '../../platform/http/csv-parse.ts'
import { checkContent, fieldsOf, problemText, type FicheContent, type FicheKind } from './fields.ts'
import { findFicheByName, publishDirectly, slugify } from './service.ts'
import { fiches } from './tables.ts'
import { PARTICIPEDIA_ALIASES, type VocabularyName } from './vocabularies.ts'

/** One record read from a source file, before it is checked. */
export interface ImportRecord {
  /** where it is in the source: "ligne 12 (id 145)", "usage/decidim-angers.md" */
  position: string
  kind: FicheKind
  sourceKey: string
  values: Record<string, unknown>
  /** names of linked fiches, resolved once the fiches of the same import exist */
  linkNames?: Partial<Record<'uses' | 'involves' | 'offers', string[]>>
}

export interface ImportProblem {
  position: string
  reason: string
}

export interface ImportResult {
  created: number
  updated: number
  unchanged: number
  byKind: Record<FicheKind, number>
}

export class ImportFailed extends AppError {
  constructor(readonly problems: ImportProblem[]) {
    super('IMPORT_FAILED', { status: 422, userMessage: problems.slice(0, 20).map((p) => `${p.position} : ${p.reason}`).join('\n') })
  }
}

// ---------------------------------------------------------------------------------------------------
// Participedia CSV exports (cases, methods, organizations)

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

/** Reads a Participedia CSV export: one record a row, vocabulary keys mapped (legacy keys included). */
export function readParticipediaCsv(text: string): { records: ImportRecord[]; problems: ImportProblem[] } {
  const rows = parseCsv(text)
  const problems: ImportProblem[] = []
  const header = (rows[0] ?? []).map((h) => h.trim())
  if (!header.includes('id') || !header.includes('type') || !header.includes('title')) {
    return { records: [], problems: [{ position: 'ligne 1', reason: 'ce n’est pas un export de Participedia : colonnes id, type et title attendues' }] }
  }
  const records: ImportRecord[] = []
  rows.slice(1).forEach((row, index) => {
    const cell = (name: string) => {
      const i = header.indexOf(name)
      return i >= 0 ? (row[i] ?? '').trim() : ''
    }
    const position = `ligne ${index + 2}${cell('id') ? ` (id ${cell('id')})` : ''}`
    if (row.length !== header.length) {
      problems.push({ position, reason: `${row.length} colonnes au lieu de ${header.length}` })
      return
    }
    const kind = KIND_OF_TYPE[cell('type')]
    if (!kind) {
      problems.push({ position, reason: `type inconnu : « ${cell('type')} » (case, method ou organization)` })
      return
    }
    if (!/^\d+$/.test(cell('id'))) {
      problems.push({ position, reason: 'identifiant manquant ou invalide' })
      return
    }
    const values: Record<string, unknown> = {
      title: cell('title'),
      summary: cell('description') || cell('title'),
      body: cell('body'),
      subtype: kind === 'method' ? 'method' : undefined,
      licence: PARTICIPEDIA_LICENCE,
      sourceName: 'Participedia',
      sourceUrl: cell('url'),
      originalAuthors: [...new Set([cell('creator_name'), cell('last_updated_by_name')].filter(Boolean).map((n) => n.replace(/^"+|"+$/g, '')))].join(', '),
      language: cell('original_language'),
    }
    for (const [column, target] of Object.entries(PARTICIPEDIA_COLUMNS)) {
      const field = fieldsOf(kind).find((f) => f.name === target.field)
      if (!field) continue
      const raw = header.includes(column) ? [cell(column)] : [1, 2, 3, 4, 5].map((n) => cell(`${column}_${n}`))
      const aliases = (target.vocabulary && PARTICIPEDIA_ALIASES[target.vocabulary]) ?? {}
      const keys = raw.filter((v) => v !== '').map((v) => aliases[v] ?? v)
      if (keys.length === 0) continue
      if (field.type === 'choices') values[field.name] = [...new Set([...((values[field.name] as string[] | undefined) ?? []), ...keys])]
      else values[field.name] = keys[0]
    }
    const linkNames: ImportRecord['linkNames'] = {}
    if (kind === 'experience') {
      values.startDate = cell('start_date').slice(0, 10)
      values.endDate = cell('end_date').slice(0, 10)
      values.organisers = cell('primary_organizer_title')
      values.funder = cell('funder')
      values.topics = [1, 2, 3, 4, 5].map((n) => cell(`specific_topics_${n}`)).filter(Boolean)
      values.institution = cell('primary_organizer_title')
      linkNames.uses = splitTitles(cell('specific_methods_tools_techniques_titles'))
    }
    if (kind !== 'method') values.place = [cell('city'), cell('province'), cell('country')].filter(Boolean).join(', ')
    if (kind === 'actor') {
      linkNames.offers = splitTitles(cell('specific_methods_tools_techniques'))
    }
    records.push({ position, kind, sourceKey: `participedia:${cell('type')}:${cell('id')}`, values, linkNames })
  })
  return { records, problems }
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

const CATALOGUE_LICENCE = 'mit'
const CATALOGUE_SOURCE = 'Catalogue de la participation citoyenne (DINSIC/Etalab)'

export interface SourceFile {
  name: string
  text: string
}

function frontMatter(text: string): { data: Record<string, unknown>; body: string } | null {
  const match = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/.exec(text)
  if (!match) return null
  const data = parseYaml(match[1]!) as unknown
  if (!data || typeof data !== 'object' || Array.isArray(data)) return null
  return { data: data as Record<string, unknown>, body: match[2]!.trim() }
}

const asText = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'string' ? v.trim() : String(v))
const asList = (v: unknown) => (Array.isArray(v) ? v.map(asText).filter(Boolean) : asText(v) ? [asText(v)] : [])

/**
 * The kind of institution from its name (the catalogue only names it): State services, local
 * governments, other public bodies; anything else is "other".
 */
export function institutionKindOf(name: string): string | null {
  if (!name) return null
  if (/^(minist|secr[ée]tariat|service d.information du gouvernement|haut-commissa|mission interminist|d[ée]l[ée]gation|dinsic|etalab|pr[ée]fecture|dreal|driee|premier ministre)/i.test(name)) return 'ministry'
  if (/^(ville|mairie|commune|m[ée]tropole|r[ée]gion|d[ée]partement|conseil (d[ée]partemental|r[ée]gional)|communaut[ée])/i.test(name)) return 'territory'
  if (/^(conseil|agence|l.agence|ademe|cndp|conf[ée]rence|autorit[ée]|haut conseil|commission|cese|office|institut)/i.test(name)) return 'public_body'
  return 'other'
}

/** Reads the catalogue's files: `outil` files (tools and methods, with their owner as an actor) and `usage` files (experiences). */
export function readCatalogue(files: SourceFile[]): { records: ImportRecord[]; problems: ImportProblem[] } {
  const records: ImportRecord[] = []
  const problems: ImportProblem[] = []
  const owners = new Map<string, { position: string; tools: string[] }>()
  for (const file of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!file.name.endsWith('.md')) continue
    let parsed: ReturnType<typeof frontMatter>
    try {
      parsed = frontMatter(file.text)
    } catch (error) {
      problems.push({ position: file.name, reason: `en-tête YAML illisible : ${(error as Error).message.split('\n')[0]}` })
      continue
    }
    if (!parsed) {
      problems.push({ position: file.name, reason: 'pas d’en-tête YAML (--- … ---) en tête de fichier' })
      continue
    }
    const { data, body } = parsed
    const base = file.name.replace(/^.*\//, '').replace(/\.md$/, '')
    const common = { title: asText(data.title), body, licence: CATALOGUE_LICENCE, sourceName: CATALOGUE_SOURCE, language: 'fr' }
    const category = asText(data.categorie)
    if (category) {
      if (category !== 'outil' && category !== 'methode') {
        problems.push({ position: file.name, reason: `catégorie inconnue : « ${category} » (outil ou methode)` })
        continue
      }
      const owner = asText(data.owner)
      records.push({
        position: file.name,
        kind: 'method',
        sourceKey: `consultation-gouv:outil/${base}`,
        values: {
          ...common,
          subtype: category === 'outil' ? 'tool' : 'method',
          summary: asText(data.tagline) || asText(data.title),
          format: category === 'outil' ? 'online' : '',
          priorities: asList(data.priorites),
          strengths: asList(data.atouts),
          weaknesses: asList(data.inconvenients),
          qualityConditions: asList(data.qualites),
          softwareLicence: asText(data.contract),
          website: asText(data.domain) || asText(data.doc_tech),
          // the catalogue's own links are relative to a site that is gone: only absolute ones are kept
          sourceUrl: /^https?:\/\//.test(asText(data.access_link)) ? asText(data.access_link) : '',
        },
      })
      if (owner) {
        const entry = owners.get(owner) ?? { position: file.name, tools: [] }
        entry.tools.push(asText(data.title))
        owners.set(owner, entry)
      }
      continue
    }
    const institution = asText(data.organisateur)
    const inProgress = data.in_progress === true || data.in_progress === 'true'
    const methods = [...asList(data.outil), ...asList(data.methodes), ...asList(data.methode)]
    records.push({
      position: file.name,
      kind: 'experience',
      sourceKey: `consultation-gouv:usage/${base}`,
      values: {
        ...common,
        summary: asText(data.description) || asText(data.title),
        website: asText(data.link),
        openDataUrl: asText(data.opendata),
        institution,
        institutionKind: institutionKindOf(institution) ?? '',
        organisers: institution,
        ongoing: data.in_progress === undefined ? '' : inProgress ? 'yes' : 'no',
        result: inProgress ? 'too_early' : '',
      },
      linkNames: { uses: methods },
    })
  }
  for (const [owner, { position, tools }] of owners) {
    records.push({
      position: `${position} (owner)`,
      kind: 'actor',
      sourceKey: `consultation-gouv:acteur/${slugify(owner)}`,
      values: { title: owner, summary: `${owner} : ${tools.join(', ')}.`, licence: CATALOGUE_LICENCE, sourceName: CATALOGUE_SOURCE, language: 'fr' },
      linkNames: { offers: tools },
    })
  }
  return { records, problems }
}

// ---------------------------------------------------------------------------------------------------
// Writing an import: all or nothing

const ORDER: Record<FicheKind, number> = { method: 0, actor: 1, experience: 2 }

/**
 * Checks every record, then writes them all in one transaction: methods first, so that experiences and
 * actors can link to methods of the same file. A record already imported (same source key) is updated
 * when its content changed, and left alone otherwise. Any problem: nothing is written, every problem is
 * reported with its position.
 */
export async function importRecords(db: Db, input: { actorId: string | null; source: string; records: ImportRecord[]; problems: ImportProblem[] }): Promise<ImportResult> {
  const problems = [...input.problems]
  const seen = new Map<string, string>()
  const checked: { record: ImportRecord; content: FicheContent }[] = []
  for (const record of input.records) {
    const previous = seen.get(record.sourceKey)
    if (previous) problems.push({ position: record.position, reason: `même identifiant que ${previous}` })
    seen.set(record.sourceKey, record.position)
    const { content, problems: found } = checkContent(record.kind, record.values)
    for (const p of found) problems.push({ position: record.position, reason: `${p.field} : ${problemText(p, 'fr')}` })
    checked.push({ record, content })
  }
  if (problems.length > 0) throw new ImportFailed(problems)
  if (checked.length === 0) throw new ImportFailed([{ position: 'fichier', reason: 'aucune fiche à importer' }])

  checked.sort((a, b) => ORDER[a.record.kind] - ORDER[b.record.kind])
  return db.transaction(async (tx) => {
    const keys = checked.map((c) => c.record.sourceKey)
    const existing = new Map((await tx.select().from(fiches).where(inArray(fiches.sourceKey, keys))).map((f) => [f.sourceKey!, f]))
    const result: ImportResult = { created: 0, updated: 0, unchanged: 0, byKind: { method: 0, experience: 0, actor: 0 } }
    const linkProblems: ImportProblem[] = []
    for (const { record, content } of checked) {
      for (const [relation, names] of Object.entries(record.linkNames ?? {}) as ['uses' | 'involves' | 'offers', string[]][]) {
        const target: FicheKind = relation === 'involves' ? 'actor' : 'method'
        const ids: string[] = []
        const unknown: string[] = []
        for (const name of names) {
          const found = await findFicheByName(tx, target, name)
          if (found) ids.push(found.id)
          else unknown.push(name)
        }
        content[relation] = [...new Set(ids)]
        // names without a fiche are kept, as text, where the kind has room for them
        if (unknown.length > 0 && record.kind === 'experience' && relation === 'uses') content.otherMethods = [...new Set([...((content.otherMethods as string[]) ?? []), ...unknown])]
        else if (unknown.length > 0) linkProblems.push({ position: record.position, reason: `fiche liée introuvable : ${unknown.join(', ')}` })
      }
      const outcome = await publishDirectly(tx, { actorId: input.actorId, kind: record.kind, content, sourceKey: record.sourceKey, existing: existing.get(record.sourceKey) })
      result[outcome] += 1
      result.byKind[record.kind] += 1
    }
    if (linkProblems.length > 0) throw new ImportFailed(linkProblems)
    await recordAudit(tx, { actorId: input.actorId, action: 'referentiel.imported', subjectType: 'referentiel_import', subjectId: input.source, after: result })
    return result
  })
}
