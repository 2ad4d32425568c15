import { eq, inArray, sql } from 'drizzle-orm'
import { parse as parseYaml } from 'yaml'
import { recordAudit } from '../../platform/audit.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError } from '../../platform/errors.ts'
import { filesOfZip, isZip } from '../../platform/import/archive.ts'
import { MalformedCsv, readCsv, type CsvTable } from '../../platform/import/csv.ts'
import { decodeText, UnreadableFile, worded } from '../../platform/import/text.ts'
import { counted, translator } from '../../platform/i18n/index.ts'
import { checkContent, fieldsOf, problemText, type FicheContent, type FicheKind } from './fields.ts'
import { findFicheByName } from './service.ts'
import { slugify } from './slugs.ts'
import { publishDirectly } from './publication.ts'
import { fiches } from './tables.ts'
import { resolveVocabulary, type VocabularyName } from './vocabularies.ts'

/** One record read from a source file, before it is checked. */
export interface ImportRecord {
  /** where it is in the source: "ligne 12 (id 145)", "usage/decidim-angers.md" */
  position: string
  kind: FicheKind
  sourceKey: string
  values: Record<string, unknown>
  /** names of linked fiches, resolved once the fiches of the same import exist */
  linkNames?: Partial<Record<'uses' | 'involves' | 'offers', string[]>>
  /** linked fiches named by their source key ("participedia:method:145"), found before any name */
  linkKeys?: Partial<Record<'uses' | 'involves' | 'offers', { key: string; name: string }[]>>
}

/** What a source file gave: its records, the problems that stop the import, and what to check. */
export interface ReadRecords {
  records: ImportRecord[]
  problems: ImportProblem[]
  warnings: string[]
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
  /** what the moderators should look at: links kept as text, values dropped, fiches matched by title */
  warnings: string[]
  /** fiches whose local edit was kept where the source changed too (see the conflicts page) */
  conflicts: number
}

export class ImportFailed extends AppError {
  constructor(readonly problems: ImportProblem[]) {
    super('IMPORT_FAILED', {
      status: 422,
      userMessage: problems
        .slice(0, 20)
        .map((p) => `${p.position} : ${p.reason}`)
        .join('\n'),
    })
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
const fr = translator('fr')

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

const CATALOGUE_LICENCE = 'mit'
/** the most an archive of the catalogue may hold once unpacked (its Markdown files weigh a few hundred kB) */
const CATALOGUE_MAX_BYTES = 50 * 1024 * 1024
const CATALOGUE_SOURCE = 'Catalogue de la participation citoyenne (DINSIC/Etalab)'

export interface SourceFile {
  /** its path in the catalogue's folder: `_usage/afb.md`, `outil/decidim.md` */
  name: string
  bytes: Uint8Array
}

function frontMatter(text: string): { data: Record<string, unknown>; body: string } | null {
  const match = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/.exec(text)
  if (!match) return null
  const data = parseYaml(match[1]!) as unknown
  if (!data || typeof data !== 'object' || Array.isArray(data)) return null
  return { data: data as Record<string, unknown>, body: match[2]!.trim() }
}

/**
 * A YAML value as text: a date as YYYY-MM-DD, a list joined, a `{name, content}` entry (the catalogue's technical
 * details) as "name : content", any other mapping as "key : value, …" — never "[object Object]".
 */
function asText(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (v instanceof Date) return v.toISOString().slice(0, 10)
  if (Array.isArray(v)) return v.map(asText).filter(Boolean).join(', ')
  if (typeof v === 'object') {
    const entry = v as Record<string, unknown>
    if ('name' in entry && ('content' in entry || 'link' in entry))
      return `${asText(entry.name)} : ${asText(entry.content ?? entry.link)}`
    return Object.entries(entry)
      .filter(([, value]) => asText(value) !== '')
      .map(([key, value]) => `${key} : ${asText(value)}`)
      .join(', ')
  }
  return typeof v === 'string' ? catalogueMarkdown(v.trim()) : String(v)
}

/**
 * The catalogue's text as plain Markdown: its HTML links become Markdown links (links into its own site, which is
 * gone, keep only their text), and the Jekyll layout marks (`{: .text-center }`) go.
 */
export function catalogueMarkdown(text: string): string {
  return text
    .replace(/<a\s[^>]*?href\s*=\s*["']([^"']*)["'][^>]*>([\s\S]*?)<\/a\s*>/gi, (_all, href: string, label: string) => {
      const words = label.replace(/<[^>]+>/g, '').trim()
      return /^https?:\/\//i.test(href.trim()) ? `[${words || href.trim()}](${href.trim()})` : words
    })
    .replace(/^[ \t]*\{:[^}\n]*\}[ \t]*$/gm, '')
    .replace(/[ \t]*\{:[^}\n]*\}/g, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

/** A value that is only a path into the catalogue's former site (`/usage_citoyens/afb.html`, `/uploads/x.png`). */
const isSitePath = (text: string) => /^\/\S*$/.test(text)
const asList = (v: unknown) => (Array.isArray(v) ? v.map(asText).filter(Boolean) : asText(v) ? [asText(v)] : [])

/** The catalogue's fields that describe how its site showed a fiche, not the fiche: not imported, by design. */
const DISPLAY_ONLY = new Set([
  'layout',
  'img-bg',
  'screenshot',
  'logo',
  'default_logo',
  'ordre',
  'vignette_video_demo',
  'contact',
  'permalink',
  'published',
  'note-citoyenne',
  'note-decidee',
  'lettre_engagement',
  'devoir_def',
])
/** Fields taken into fiche fields; any other field's text joins the description under its name. */
const MAPPED = new Set([
  'title',
  'tagline',
  'categorie',
  'owner',
  'access_link',
  'url_video_demo',
  'date',
  'priorites',
  'qualites',
  'atouts',
  'inconvenients',
  'contract',
  'domain',
  'doc_tech',
  'link',
  'opendata',
  'description',
  'organisateur',
  'outil',
  'methodes',
  'methode',
  'in_progress',
])
const SECTION_TITLES: Record<string, string> = {
  presentation: 'Présentation',
  engagements: 'Engagements',
  dispositif: 'Dispositif',
  resultats: 'Résultats',
  devoir_de_suite: 'Devoir de suite',
  devoir: 'Devoir de suite',
  objectifs: 'Objectifs',
  public: 'Public',
  clients: 'Publics',
  calendrier: 'Calendrier',
  'date-banniere': 'Calendrier',
  details_techniques: 'Détails techniques',
  demo_link: 'Démonstration',
  feature_inclus: 'Fonctionnalités incluses',
  feature_plusloin: 'Pour aller plus loin',
  accompagnement_inclus: 'Accompagnement inclus',
  accompagnement_plusloin: 'Accompagnement possible',
  annexes: 'Annexes',
}

/** The fields the catalogue has beyond the ones mapped, as sections of the description (the same title once). */
function extraSections(data: Record<string, unknown>): string {
  const sections = new Map<string, string[]>()
  for (const [key, value] of Object.entries(data)) {
    if (MAPPED.has(key) || DISPLAY_ONLY.has(key)) continue
    const items = Array.isArray(value)
      ? value.map(asText).filter((t) => t && !isSitePath(t))
      : [asText(value)].filter((t) => t && !isSitePath(t))
    if (items.length === 0) continue
    const title = SECTION_TITLES[key] ?? key.replace(/[_-]+/g, ' ').replace(/^./, (c) => c.toUpperCase())
    sections.set(title, [
      ...(sections.get(title) ?? []),
      Array.isArray(value) ? items.map((item) => `- ${item}`).join('\n') : items[0]!,
    ])
  }
  return [...sections].map(([title, parts]) => `## ${title}\n\n${parts.join('\n\n')}`).join('\n\n')
}

const CATALOGUE_FOLDERS = ['outil', 'usage', 'usage_citoyens'] as const
type CatalogueFolder = (typeof CATALOGUE_FOLDERS)[number]

/**
 * Where a file stands in the catalogue's repository: the collection folder it is in (`_outil` or `outil` for tools
 * and methods, `_usage` and `_usage_citoyens` for experiences), its name, and whether it is a draft (`_drafts/`).
 */
function placeOf(name: string): { folder: CatalogueFolder | null; base: string; draft: boolean } {
  const parts = name.replace(/\\/g, '/').split('/').filter(Boolean)
  const base = parts.at(-1)!.replace(/\.md$/i, '')
  const parent = parts.length > 1 ? parts.at(-2)!.replace(/^_/, '') : ''
  const folder = (CATALOGUE_FOLDERS as readonly string[]).includes(parent) ? (parent as CatalogueFolder) : null
  return { folder, base, draft: parts.slice(0, -1).some((p) => p === '_drafts' || p === 'drafts') }
}

/**
 * The kind of institution from its name (the catalogue only names it): State services, local
 * governments, other public bodies; anything else is "other".
 */
export function institutionKindOf(name: string): string | null {
  if (!name) return null
  if (
    /^(minist|secr[ée]tariat|service d.information du gouvernement|haut-commissa|mission interminist|d[ée]l[ée]gation|dinsic|etalab|pr[ée]fecture|dreal|driee|premier ministre)/i.test(
      name,
    )
  )
    return 'ministry'
  if (
    /^(ville|mairie|commune|m[ée]tropole|r[ée]gion|d[ée]partement|conseil (d[ée]partemental|r[ée]gional)|communaut[ée])/i.test(
      name,
    )
  )
    return 'territory'
  if (
    /^(conseil|agence|l.agence|ademe|cndp|conf[ée]rence|autorit[ée]|haut conseil|commission|cese|office|institut)/i.test(
      name,
    )
  )
    return 'public_body'
  return 'other'
}

/**
 * Reads the catalogue's files as its repository holds them: folders `_outil` (or `outil`) of tools and methods,
 * with their owner as an actor, `_usage` and `_usage_citoyens` (or `usage`) of experiences. A fiche is known by its
 * folder and name (the same name stands in several folders); the kind comes from `categorie`, else from its folder.
 */
export function readCatalogue(files: SourceFile[]): ReadRecords {
  const records: ImportRecord[] = []
  const problems: ImportProblem[] = []
  const warnings: string[] = []
  const owners = new Map<string, { position: string; tools: string[] }>()
  // the repository's ZIP archive ("Download ZIP") is read as its folder
  const unpacked: SourceFile[] = []
  for (const file of files) {
    if (!isZip(file.bytes)) unpacked.push(file)
    else
      try {
        unpacked.push(...filesOfZip(file.bytes, file.name, { accept: /\.md$/i, maxBytes: CATALOGUE_MAX_BYTES }))
      } catch (error) {
        if (!(error instanceof UnreadableFile)) throw error
        problems.push({ position: file.name, reason: worded(fr, error.problem) })
      }
  }
  const markdown = unpacked.filter((f) => /\.md$/i.test(f.name)).sort((a, b) => a.name.localeCompare(b.name))
  if (markdown.length === 0 && problems.length === 0)
    problems.push({
      position:
        files
          .map((f) => f.name)
          .slice(0, 3)
          .join(', ') || 'envoi',
      reason: 'aucun fichier Markdown (.md) : envoyez les fichiers du catalogue, son dossier ou son archive ZIP',
    })
  // the repository sent whole: its collections are read, its other pages (README, site pages) and drafts are not
  const inCollections = markdown.some((f) => placeOf(f.name).folder !== null)
  const drafts = markdown.filter((f) => placeOf(f.name).draft)
  const outside = inCollections ? markdown.filter((f) => placeOf(f.name).folder === null && !placeOf(f.name).draft) : []
  if (drafts.length > 0)
    warnings.push(
      `${counted('fr', drafts.length, 'brouillon du catalogue (dossier _drafts) non importé', 'brouillons du catalogue (dossier _drafts) non importés')} : ${drafts
        .slice(0, 5)
        .map((f) => f.name)
        .join(', ')}${drafts.length > 5 ? '…' : ''}.`,
    )
  if (outside.length > 0)
    warnings.push(
      `${counted('fr', outside.length, 'fichier hors des dossiers _outil, _usage et _usage_citoyens non lu', 'fichiers hors des dossiers _outil, _usage et _usage_citoyens non lus')} : ${outside
        .slice(0, 5)
        .map((f) => f.name)
        .join(', ')}${outside.length > 5 ? '…' : ''}.`,
    )
  for (const file of markdown) {
    const place = placeOf(file.name)
    if (place.draft || (inCollections && place.folder === null)) continue
    let text: string
    try {
      const decoded = decodeText(file.bytes, file.name)
      text = decoded.text
      warnings.push(...decoded.warnings.map((w) => worded(fr, w)))
    } catch (error) {
      if (!(error instanceof UnreadableFile)) throw error
      problems.push({ position: file.name, reason: worded(fr, error.problem) })
      continue
    }
    let parsed: ReturnType<typeof frontMatter>
    try {
      parsed = frontMatter(text)
    } catch (error) {
      problems.push({
        position: file.name,
        reason: `en-tête YAML illisible : ${(error as Error).message.split('\n')[0]}`,
      })
      continue
    }
    if (!parsed) {
      problems.push({ position: file.name, reason: 'pas d’en-tête YAML (--- … ---) en tête de fichier' })
      continue
    }
    const { data } = parsed
    const body = [catalogueMarkdown(parsed.body), extraSections(data)].filter(Boolean).join('\n\n')
    const { folder, base } = place
    const common = {
      title: asText(data.title),
      body,
      licence: CATALOGUE_LICENCE,
      sourceName: CATALOGUE_SOURCE,
      language: 'fr',
      sourceDate: /^\d{4}-\d{2}-\d{2}/.test(asText(data.date)) ? asText(data.date).slice(0, 10) : '',
    }
    // without `categorie`, a file of _outil is a tool when it names software (a licence, a site, a deployment), else a method
    const software = ['contract', 'domain', 'access_link', 'doc_tech'].some((key) => asText(data[key]) !== '')
    const category = asText(data.categorie) || (folder === 'outil' ? (software ? 'outil' : 'methode') : '')
    if (category || folder === 'outil') {
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
    const methods = [...asList(data.outil), ...asList(data.methodes), ...asList(data.methode)]
    // in_progress says the experience was running when the catalogue described it (its date), not how it turned out
    const ongoing =
      data.in_progress === undefined || data.in_progress === null
        ? ''
        : data.in_progress === true || data.in_progress === 'true'
          ? 'yes'
          : 'no'
    records.push({
      position: file.name,
      kind: 'experience',
      sourceKey: `consultation-gouv:${folder ?? 'usage'}/${base}`,
      values: {
        ...common,
        summary: asText(data.description) || asText(data.title),
        website: asText(data.link),
        openDataUrl: asText(data.opendata),
        institution,
        institutionKind: institutionKindOf(institution) ?? '',
        organisers: institution,
        ongoing,
        ...(folder === 'usage_citoyens' ? { organiserTypes: ['community'] } : {}),
      },
      linkNames: { uses: methods },
    })
  }
  for (const [owner, { position, tools }] of owners) {
    records.push({
      position: `${position} (owner)`,
      kind: 'actor',
      sourceKey: `consultation-gouv:acteur/${slugify(owner)}`,
      values: {
        title: owner,
        summary: `${owner} : ${tools.join(', ')}.`,
        licence: CATALOGUE_LICENCE,
        sourceName: CATALOGUE_SOURCE,
        language: 'fr',
      },
      linkNames: { offers: tools },
    })
  }
  return { records, problems, warnings }
}

// ---------------------------------------------------------------------------------------------------
// Writing an import: all or nothing

const ORDER: Record<FicheKind, number> = { method: 0, actor: 1, experience: 2 }
const normalTitle = (title: string) =>
  title
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()

/** Thrown inside the transaction of a dry run, so that nothing it wrote stays. */
class DryRun extends Error {
  constructor(readonly result: ImportResult) {
    super('dry run')
  }
}

/**
 * Checks every record, then writes them all in one transaction: methods first, so that experiences and actors can
 * link to methods of the same file. A record already imported (same source key — or, for a file renamed at its
 * source, the same title from the same source) is updated when its content changed, and left alone otherwise; a
 * fiche edited here since its import keeps the local edit where the source changed too (publishDirectly). A link to
 * a fiche that is not there is kept as text, with a warning. Any problem: nothing is written, every problem is
 * reported with its position. `write: false` runs it all and rolls it back (a dry run, a preview).
 */
export async function importRecords(
  db: Db,
  input: {
    actorId: string | null
    source: string
    records: ImportRecord[]
    problems: ImportProblem[]
    warnings?: string[]
    write?: boolean
  },
): Promise<ImportResult> {
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
  const run = async (tx: Db): Promise<ImportResult> => {
    const keys = checked.map((c) => c.record.sourceKey)
    const existing = new Map(
      (await tx.select().from(fiches).where(inArray(fiches.sourceKey, keys))).map((f) => [f.sourceKey!, f]),
    )
    const result: ImportResult = {
      created: 0,
      updated: 0,
      unchanged: 0,
      byKind: { method: 0, experience: 0, actor: 0 },
      warnings: [...(input.warnings ?? [])],
      conflicts: 0,
    }
    // fiches of this source that this file does not name: one of them may be a record renamed at the source
    const wanted = new Set(keys)
    const renamedCandidates = new Map<string, string>()
    for (const row of await queryRows<{
      id: string
      kind: string
      title: string
      sourceName: string | null
      key: string
    }>(
      tx,
      sql`select id, kind, title, content ->> 'sourceName' as "sourceName", source_key as key from referentiel_fiches where source_key like ${`${input.source}:%`}`,
    )) {
      if (!wanted.has(row.key))
        renamedCandidates.set(`${row.kind}|${row.sourceName ?? ''}|${normalTitle(row.title)}`, row.id)
    }
    const titlesOfThisFile = new Map<string, string>()
    for (const { record, content } of checked) {
      const titleKey = `${record.kind}|${normalTitle(String(content.title ?? ''))}`
      const twin = titlesOfThisFile.get(titleKey)
      if (twin)
        result.warnings.push(
          `${record.position} : même titre que ${twin} ; deux fiches sont créées, vérifiez qu’il ne s’agit pas d’un doublon.`,
        )
      else titlesOfThisFile.set(titleKey, record.position)
      const relations = new Set([...Object.keys(record.linkNames ?? {}), ...Object.keys(record.linkKeys ?? {})]) as Set<
        'uses' | 'involves' | 'offers'
      >
      for (const relation of relations) {
        const names = record.linkNames?.[relation] ?? []
        const byKey = record.linkKeys?.[relation] ?? []
        const target: FicheKind = relation === 'involves' ? 'actor' : 'method'
        const ids: string[] = []
        const unknown: string[] = []
        if (byKey.length > 0) {
          const found = await queryRows<{ id: string; key: string }>(
            tx,
            sql`select id, source_key as key from referentiel_fiches where source_key in (${sql.join(
              byKey.map((k) => sql`${k.key}`),
              sql`, `,
            )})`,
          )
          for (const link of byKey) {
            const fiche = found.find((f) => f.key === link.key) ?? (await findFicheByName(tx, target, link.name))
            if (fiche) ids.push(fiche.id)
            else unknown.push(link.name)
          }
        }
        for (const name of names) {
          const found = await findFicheByName(tx, target, name)
          if (found) ids.push(found.id)
          else unknown.push(name)
        }
        if (ids.length === 0 && unknown.length === 0) continue
        content[relation] = [...new Set(ids)]
        // names without a fiche are kept, as text, and said
        if (unknown.length > 0) {
          content.otherMethods = [...new Set([...((content.otherMethods as string[]) ?? []), ...unknown])].slice(0, 50)
          result.warnings.push(
            `${record.position} : ${unknown.length === 1 ? 'fiche liée absente, gardée' : 'fiches liées absentes, gardées'} comme texte : ${unknown.join(', ')}.`,
          )
        }
      }
      let fiche = existing.get(record.sourceKey)
      if (!fiche) {
        // renamed at its source: the same title from the same source, under a key this file does not have, is the same fiche
        const candidateKey = `${record.kind}|${String(content.sourceName ?? '')}|${normalTitle(String(content.title ?? ''))}`
        const sameId = renamedCandidates.get(candidateKey)
        if (sameId) {
          renamedCandidates.delete(candidateKey)
          ;[fiche] = await tx.select().from(fiches).where(eq(fiches.id, sameId))
          result.warnings.push(
            `${record.position} : même titre et même source qu’une fiche déjà importée sous un autre nom (${fiche!.sourceKey!.slice(input.source.length + 1)}) : elle est mise à jour, sans doublon.`,
          )
          await tx.update(fiches).set({ sourceKey: record.sourceKey }).where(eq(fiches.id, sameId))
        }
      }
      const renamed = fiche !== undefined && fiche.sourceKey !== record.sourceKey
      const outcome = await publishDirectly(tx, {
        actorId: input.actorId,
        kind: record.kind,
        content,
        sourceKey: record.sourceKey,
        existing: fiche,
      })
      result[renamed && outcome.outcome === 'unchanged' ? 'updated' : outcome.outcome] += 1
      result.conflicts += outcome.conflicts
      result.byKind[record.kind] += 1
    }
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'referentiel.imported',
      subjectType: 'referentiel_import',
      subjectId: input.source,
      after: {
        created: result.created,
        updated: result.updated,
        unchanged: result.unchanged,
        conflicts: result.conflicts,
      },
    })
    if (input.write === false) throw new DryRun(result)
    return result
  }
  try {
    return await db.transaction(run)
  } catch (error) {
    if (error instanceof DryRun) return error.result
    throw error
  }
}
