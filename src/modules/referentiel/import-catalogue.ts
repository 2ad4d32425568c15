import { parse as parseYaml } from 'yaml'
import { filesOfZip, isZip } from '../../platform/import/archive.ts'
import { decodeText, UnreadableFile, worded } from '../../platform/import/text.ts'
import { counted, translator } from '../../platform/i18n/index.ts'
import { slugify } from './slugs.ts'

import type { ImportRecord, ReadRecords, ImportProblem } from './import.ts'

const fr = translator('fr')
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
