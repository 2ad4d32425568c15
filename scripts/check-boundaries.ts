/**
 * The module boundary, checked: a module reaches another only through its front door (`index.ts`), and
 * never names another module's table in SQL or through its drizzle definitions. The platform (kernel)
 * never imports a module. Tables are assigned to their owner below; a table nobody owns fails the check,
 * so a new migration says whose table it adds.
 *
 * Route files (`routes.*.ts(x)`) hold no SQL: reads and writes live in the module's services and queries.
 * The modules' imports must form no cycle: they are layers, printed from the bottom (`territories`) up. Nor may
 * files import each other in a cycle at run time (type-only imports aside): a module evaluated half-way gives
 * `undefined` to whoever imported it first.
 *
 *   node --import tsx scripts/check-boundaries.ts
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, join, relative, resolve } from 'node:path'

const root = join(import.meta.dirname, '..')

/** Whose each table (or view) is. `platform`: the kernel's, which every module may use. */
const OWNERS: Record<string, string> = {
  // kernel: identity, roles, audit, jobs, mail, uploads, activity feed
  users: 'platform',
  user_sessions: 'platform',
  territory_roles: 'platform',
  platform_roles: 'platform',
  signin_throttle: 'platform',
  audit_events: 'platform',
  jobs: 'platform',
  notification_deliveries: 'platform',
  pending_imports: 'platform',
  activities: 'platform',
  evidence_files: 'platform',
  territories: 'territories',
  territory_parents: 'territories',
  territory_profiles: 'territories',
  public_territories: 'territories',
  action_plans: 'plans',
  commitments: 'plans',
  milestones: 'plans',
  history_entries: 'plans',
  history_heads: 'plans',
  history_head_publications: 'plans',
  public_commitments: 'plans',
  public_milestones: 'plans',
  public_action_plans: 'plans',
  public_commitment_verdicts: 'assessments',
  assessments: 'assessments',
  assessment_errata: 'assessments',
  commitment_assessments: 'assessments',
  plan_reviewers: 'assessments',
  consultations: 'consultations',
  consultation_changes: 'consultations',
  contributions: 'consultations',
  contribution_comments: 'consultations',
  contribution_supports: 'consultations',
  content_reports: 'moderation',
  official_questions: 'questions',
  question_supports: 'questions',
  action_groups: 'groups',
  action_group_members: 'groups',
  action_group_notes: 'groups',
  action_group_actions: 'groups',
  cocreated_texts: 'texts',
  text_articles: 'texts',
  text_article_versions: 'texts',
  text_versions: 'texts',
  text_amendments: 'texts',
  text_amendment_votes: 'texts',
  events: 'events',
  event_registrations: 'events',
  follows: 'follows',
  programme_memberships: 'membership',
  contribution_grid: 'membership',
  public_memberships: 'membership',
  referentiel_fiches: 'referentiel',
  referentiel_versions: 'referentiel',
  referentiel_links: 'referentiel',
  referentiel_import_conflicts: 'referentiel',
}
for (const table of readdirSync(join(root, 'migrations')).flatMap((f) =>
  tablesCreatedIn(join(root, 'migrations', f)),
)) {
  if (table.startsWith('assembly_') || table === 'assemblies') OWNERS[table] ??= 'assemblies'
}
/**
 * Views a module publishes for the others to read: part of its front door, read-only and already limited to
 * what the public may see (a draft plan's commitments are not in public_commitments).
 */
const PUBLISHED = new Set([
  'public_commitments',
  'public_commitment_verdicts',
  'public_memberships',
  'public_territories',
  'public_milestones',
  'public_action_plans',
])

function tablesCreatedIn(file: string): string[] {
  return [
    ...readFileSync(file, 'utf8').matchAll(/create (?:table|view|materialized view) (?:if not exists )?([a-z_]+)/gi),
  ].map((m) => m[1]!)
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : []
  })
}

/** The module a file belongs to, or 'platform', or null outside both. */
function ownerOf(file: string): string | null {
  const path = relative(join(root, 'src'), file)
  if (path.startsWith('platform/')) return 'platform'
  const module = /^modules\/([^/]+)\//.exec(path)
  return module ? module[1]! : null
}

const found: string[] = []
/** which files each file imports at run time (imports of types only are erased) */
const runtimeImports = new Map<string, string[]>()
const RUNTIME_IMPORT = /^(?:import|export)\s+(?!type\s)([^'";]*?)\s*from\s+'(\.[^']+)'|^import\s+'(\.[^']+)'/gm
const typesOnly = (clause: string) => {
  const names = /^\{([^}]*)\}$/s.exec(clause.trim())
  return !!names && names[1]!.split(',').every((name) => name.trim() === '' || /^type\s/.test(name.trim()))
}
/** which modules each module imports */
const uses = new Map<string, Set<string>>()
const unowned = new Set<string>()
for (const table of readdirSync(join(root, 'migrations')).flatMap((f) =>
  tablesCreatedIn(join(root, 'migrations', f)),
)) {
  if (!OWNERS[table]) unowned.add(table)
}
const tablePattern = new RegExp(
  `\\b(?:from|join|into|update|table|exists)\\s+(${Object.keys(OWNERS).join('|')})\\b`,
  'gi',
)

for (const file of sources(join(root, 'src'))) {
  const owner = ownerOf(file)
  if (!owner) continue
  const text = readFileSync(file, 'utf8')
  const where = relative(root, file)
  runtimeImports.set(
    file,
    [...text.matchAll(RUNTIME_IMPORT)]
      .filter((match) => match[3] || !typesOnly(match[1]!))
      .map((match) => resolve(dirname(file), (match[2] ?? match[3])!)),
  )
  for (const match of text.matchAll(/(?:from|import)\s+'(\.[^']+)'/g)) {
    const target = resolve(dirname(file), match[1]!)
    const targetOwner = ownerOf(target)
    if (!targetOwner || targetOwner === owner) continue
    if (owner !== 'platform' && targetOwner !== 'platform')
      uses.set(owner, new Set([...(uses.get(owner) ?? []), targetOwner]))
    if (owner === 'platform') found.push(`${where}: the kernel imports the module ${targetOwner}`)
    else if (targetOwner !== 'platform' && relative(join(root, 'src', 'modules', targetOwner), target) !== 'index.ts') {
      found.push(`${where}: imports ${relative(root, target)} instead of modules/${targetOwner}/index.ts`)
    }
  }
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
  // handlers call the module's services and queries; SQL lives there
  if (/^routes\./.test(basename(file)) && code.includes('sql`')) found.push(`${where}: SQL in a route file`)
  const named = new Set<string>()
  for (const match of code.matchAll(tablePattern)) {
    const table = match[1]!.toLowerCase()
    const tableOwner = OWNERS[table]!
    if (tableOwner !== owner && tableOwner !== 'platform' && !PUBLISHED.has(table))
      named.add(`${where}: names ${tableOwner}'s table ${table}`)
  }
  found.push(...named)
}

/** The modules in layers, bottom first; a cycle is reported as a crossing. */
function layers(): string[] {
  const order: string[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (module: string, path: string[]) => {
    if (state.get(module) === 'done') return
    if (state.get(module) === 'visiting') {
      found.push(`modules import each other in a cycle: ${[...path.slice(path.indexOf(module)), module].join(' → ')}`)
      return
    }
    state.set(module, 'visiting')
    for (const used of [...(uses.get(module) ?? [])].sort()) visit(used, [...path, module])
    state.set(module, 'done')
    order.push(module)
  }
  for (const module of readdirSync(join(root, 'src', 'modules')).sort()) visit(module, [])
  return order
}
const order = layers()

/** Files that import each other in a cycle at run time, each cycle reported once from its first file. */
function fileCycles(): void {
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === 'done') return
    if (state.get(file) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(file)), file].map((f) => relative(root, f))
      found.push(`files import each other in a cycle at run time: ${cycle.join(' → ')}`)
      return
    }
    state.set(file, 'visiting')
    for (const used of runtimeImports.get(file) ?? []) visit(used, [...path, file])
    state.set(file, 'done')
  }
  for (const file of [...runtimeImports.keys()].sort()) visit(file, [])
}
fileCycles()

const current = [...new Set(found)].sort()
for (const table of unowned) console.error(`migrations: table ${table} has no owner in scripts/check-boundaries.ts`)
for (const crossing of current) console.error(crossing)
if (unowned.size > 0 || current.length > 0) {
  console.error('Module boundary check failed.')
  process.exit(1)
}
console.log(`Module boundaries kept; the modules, bottom layer first: ${order.join(', ')}.`)
