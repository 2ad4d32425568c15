import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join, relative, resolve, sep } from 'node:path'
import { parseArgs } from 'node:util'
import { backgroundWork } from './background.ts'
import { platformResources } from './resources.ts'
import { createLogger, outboxDir } from './bootstrap.ts'
import { seedDemo } from './demo/seed.ts'
import {
  ensureAdministrator,
  grantRole,
  isPlatformRole,
  isTerritoryRole,
  revokeRole,
  setPlatformRole,
} from './modules/accounts/index.ts'
import {
  importRecords,
  ImportFailed,
  readCatalogue,
  readParticipediaCsv,
  type SourceFile,
} from './modules/referentiel/index.ts'
import {
  eraseExpiredVolunteerContacts,
  importProposals,
  readProposalsFile,
  commitmentOf,
  drawIndex,
  Infeasible,
  InstanceError,
  leximin,
  legacyProbabilities,
  lotteryDigest,
  panelSizeFromName,
  parseInstanceFiles,
  relaxation,
  TimeLimitReached,
} from './modules/assemblies/index.ts'
import {
  headDigest,
  IMPORT_FORMATS,
  readPlansFile,
  runPlanImport,
  verifyHistory,
  type ImportFormat,
  type PublishedHead,
} from './modules/plans/index.ts'
import { importOgpRatings, RatingsRefused } from './modules/assessments/index.ts'
import { importContributions, readContributionsFile } from './modules/consultations/index.ts'
import { worded, type ImportMessage } from './platform/import/text.ts'
import { counted, translator } from './platform/i18n/index.ts'
import { createOtherTerritory, findTerritoryByRef, loadRegistry } from './modules/territories/index.ts'
import { PASSWORD_MIN_LENGTH } from './platform/auth/passwords.ts'
import { TokenSigner } from './platform/auth/tokens.ts'
import { ConfigError, loadConfig, type Config } from './platform/config.ts'
import { openDatabase, FolderLockedError, RestoreIncompleteError, type Database } from './platform/db/index.ts'
import { BackupError, requestServerBackup, restoreBackup, writeBackup } from './platform/backup.ts'
import { migrate } from './platform/db/migrate.ts'
import { AppError } from './platform/errors.ts'
import { emailRule } from './platform/http/rules.ts'
import { runDueJobs } from './platform/jobs.ts'
import { createMailer } from './platform/mail.ts'
import { assertSupportedNode } from './platform/node-version.ts'

assertSupportedNode()

/** A command-line failure: the message is printed and the exit code is 1. */
class UsageError extends Error {}

const POSTGRES_BACKUP =
  'with DATABASE_URL, back up the database with pg_dump (pg_dump -Fc -f thc.dump "$DATABASE_URL"; restore with pg_restore -d <new database> thc.dump), ' +
  'and keep DATA_DIR/files and SESSION_SECRET with it: see the README'

interface Command {
  summary: string
  usage: string
  options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>
  /** takes positional arguments */
  positionals?: boolean
  /** works on files only: no database is opened (it runs beside a running server) */
  withoutDatabase?: boolean
  run(context: {
    config: Config
    database: Database
    values: Record<string, unknown>
    positionals: string[]
  }): Promise<void>
}

const out = (line: string) => process.stdout.write(`${line}\n`)

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name]
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`)
  return value.trim()
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '')
}

function roleArgs(values: Record<string, unknown>) {
  const email = emailRule(required(values, 'email'), {})
  if ('error' in email) throw new UsageError(`--email: not a valid e-mail address`)
  const role = required(values, 'role')
  if (!isTerritoryRole(role)) throw new UsageError('--role must be one of: editor, elected, reviewer, moderator')
  return { email: email.value, territoryRef: required(values, 'territory'), role }
}

function networkRoleArgs(values: Record<string, unknown>) {
  const email = emailRule(required(values, 'email'), {})
  if ('error' in email) throw new UsageError(`--email: not a valid e-mail address`)
  const role = required(values, 'role')
  if (!isPlatformRole(role)) throw new UsageError('--role must be: referentiel_moderator')
  return { email: email.value, role }
}

/** A chain head kept from the public feed: one entry of /api/v1/history/heads, checked against its own digest. */
function readKeptHead(file: string, ref: string): PublishedHead {
  let value: Partial<PublishedHead & { digest: string; heads: unknown[] }>
  try {
    value = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new UsageError(`${file}: not a readable JSON file (${(error as Error).message})`)
  }
  if (Array.isArray(value.heads))
    throw new UsageError(
      `${file} holds the whole feed: keep one of its entries (an object with territory, sequence, hash, publishedAt, previous, digest)`,
    )
  const head: PublishedHead = {
    territory: String(value.territory),
    sequence: Number(value.sequence),
    hash: String(value.hash),
    publishedAt: String(value.publishedAt),
    previous: value.previous ?? null,
  }
  if (!Number.isInteger(head.sequence) || head.sequence < 1 || !/^[0-9a-f]{64}$/.test(head.hash))
    throw new UsageError(`${file}: not a chain head (territory, sequence, hash, publishedAt, previous, digest)`)
  if (value.digest !== headDigest(head))
    throw new UsageError(
      `${file}: its digest does not match its content (RFC 8785 canonical JSON): the file was altered`,
    )
  if (head.territory !== ref) throw new UsageError(`${file} is a head of ${head.territory}, not of ${ref}`)
  return head
}

/** Markdown files of a folder and its sub-folders, named by their path in it (`_usage/afb.md`); hidden folders skipped. */
/** The largest file an import takes (the web's limit too): checked before the file is read, so memory stays bounded. */
const MAX_IMPORT_FILE_BYTES = 50 * 1024 * 1024

/** A file to import, refused before it is read when it is larger than the importers take. */
function importBytes(path: string): Buffer {
  const size = statSync(path).size
  if (size > MAX_IMPORT_FILE_BYTES)
    throw new UsageError(
      `${basename(path)} is ${(size / 1048576).toFixed(1)} MB: the importers take ${MAX_IMPORT_FILE_BYTES / 1048576} MB at most (split the file, or import only the plans you need)`,
    )
  return readFileSync(path)
}

/** What an importer read, said in English: its warnings on stderr; its problems refuse the whole file (exit 1). */
function reportRead(read: { warnings: ImportMessage[]; errors: ImportMessage[]; errorCount: number }): void {
  const en = translator('en')
  for (const warning of read.warnings) process.stderr.write(`Warning: ${worded(en, warning)}\n`)
  if (read.errors.length === 0) return
  const more =
    read.errorCount > read.errors.length
      ? `\n  ${en('import.andMore', { count: read.errorCount - read.errors.length })}`
      : ''
  throw new UsageError(
    `nothing imported, ${counted('en', read.errorCount, 'problem', 'problems')}:\n${read.errors.map((e) => `  ${worded(en, e)}`).join('\n')}${more}`,
  )
}

function markdownFiles(root: string): SourceFile[] {
  const files: SourceFile[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (/\.md$/i.test(entry.name))
        files.push({ name: relative(root, path).split(sep).join('/'), bytes: readFileSync(path) })
    }
  }
  walk(root)
  return files
}

function explain(error: unknown): never {
  if (error instanceof AppError) {
    const what =
      error.code === 'USER_NOT_FOUND'
        ? 'no active account with this address'
        : error.code === 'TERRITORY_NOT_FOUND'
          ? 'unknown territory'
          : error.code === 'REVIEWER_NOT_INDEPENDENT'
            ? 'this person reviews a plan of this territory and cannot act for it'
            : error.code
    throw new UsageError(`${what}: ${error.messageIn('en')}`)
  }
  throw error
}

const commands: Record<string, Command> = {
  migrate: {
    summary: 'Apply the database migrations not applied yet',
    usage: 'migrate',
    options: {},
    async run({ database }) {
      const applied = await migrate(database)
      out(applied.length === 0 ? 'The database schema is up to date.' : `Applied: ${applied.join(', ')}`)
    },
  },
  'territories:load': {
    summary: 'Load or refresh the territory registry from the official geography (idempotent)',
    usage: 'territories:load',
    options: {},
    async run({ database }) {
      await migrate(database)
      const result = await loadRegistry(database.db)
      out(
        `Loaded ${result.territories} territories (${Object.entries(result.byKind)
          .map(([k, n]) => `${n} ${k}`)
          .join(
            ', ',
          )}), ${result.links} parent links, ${result.retired} retired, in ${(result.milliseconds / 1000).toFixed(1)} s.`,
      )
    },
  },
  'territories:add-other': {
    summary: 'Create a territory outside the official geography (kind "autre", e.g. a Pays)',
    usage:
      'territories:add-other --name "Pays de Brocéliande" --code pays-broceliande [--population 67000] [--parent departement/35 ...]',
    options: {
      name: { type: 'string' },
      code: { type: 'string' },
      population: { type: 'string' },
      parent: { type: 'string', multiple: true },
    },
    async run({ database, values }) {
      await migrate(database)
      const name = required(values, 'name')
      const code = required(values, 'code').toLowerCase()
      if (!/^[a-z0-9-]{1,64}$/.test(code)) throw new UsageError('--code: use 1 to 64 letters, digits or hyphens')
      if (name.length > 200) throw new UsageError('--name: 200 characters at most')
      const rawPopulation = values.population as string | undefined
      if (rawPopulation !== undefined && !/^\d{1,9}$/.test(rawPopulation))
        throw new UsageError('--population must be a whole number')
      const created = await createOtherTerritory(database.db, {
        actor: null,
        input: {
          name,
          code,
          population: rawPopulation === undefined ? null : Number(rawPopulation),
          parentRefs: (values.parent as string[] | undefined) ?? [],
        },
      }).catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'TERRITORY_CODE_TAKEN')
          throw new UsageError(`the code ${code} is already taken`)
        return explain(error)
      })
      out(`Created autre/${created.code}: ${created.name}`)
    },
  },
  'admin:create': {
    summary: 'Create the first platform administrator (or promote an existing account)',
    usage: 'admin:create --email admin@example.org [--name "Équipe du réseau"] [--password-stdin]',
    options: { email: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    async run({ config, database, values }) {
      await migrate(database)
      const email = emailRule(required(values, 'email'), {})
      if ('error' in email) throw new UsageError('--email: not a valid e-mail address')
      let password: string | null = null
      if (values['password-stdin']) {
        password = await readStdin()
        if (password.length < PASSWORD_MIN_LENGTH)
          throw new UsageError(`the password must have at least ${PASSWORD_MIN_LENGTH} characters`)
      }
      const log = createLogger({ logLevel: 'warn' })
      const deps = {
        db: database.db,
        mailer: createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: outboxDir(config), log }),
        tokens: new TokenSigner(config.sessionSecret),
        baseUrl: config.baseUrl,
      }
      const displayName =
        typeof values.name === 'string' && values.name.trim() ? values.name.trim().slice(0, 100) : 'Administration'
      const result = await ensureAdministrator(deps, { email: email.value, displayName, password })
      out(
        result.created
          ? `Created the administrator ${email.value}.`
          : `${email.value} is now a platform administrator.`,
      )
      if (result.passwordLink) out(`Choose the password within one hour at:\n${result.passwordLink}`)
    },
  },
  'roles:grant': {
    summary: 'Grant a per-territory role: editor, elected, reviewer or moderator',
    usage: 'roles:grant --email person@example.org --territory commune/35238 --role editor',
    options: { email: { type: 'string' }, territory: { type: 'string' }, role: { type: 'string' } },
    async run({ database, values }) {
      await migrate(database)
      const input = roleArgs(values)
      const added = await grantRole(database.db, null, input).catch(explain)
      out(
        added
          ? `Granted ${input.role} in ${input.territoryRef} to ${input.email}.`
          : `${input.email} already holds ${input.role} in ${input.territoryRef}.`,
      )
    },
  },
  'roles:revoke': {
    summary: 'Revoke a per-territory role',
    usage: 'roles:revoke --email person@example.org --territory commune/35238 --role editor',
    options: { email: { type: 'string' }, territory: { type: 'string' }, role: { type: 'string' } },
    async run({ database, values }) {
      await migrate(database)
      const input = roleArgs(values)
      const removed = await revokeRole(database.db, null, input).catch(explain)
      out(
        removed
          ? `Revoked ${input.role} in ${input.territoryRef} from ${input.email}.`
          : `${input.email} did not hold ${input.role} in ${input.territoryRef}.`,
      )
    },
  },
  'roles:grant-network': {
    summary: 'Grant a network-wide role: referentiel_moderator (moderates every fiche of the référentiel)',
    usage: 'roles:grant-network --email person@example.org --role referentiel_moderator',
    options: { email: { type: 'string' }, role: { type: 'string' } },
    async run({ database, values }) {
      await migrate(database)
      const input = networkRoleArgs(values)
      const added = await setPlatformRole(database.db, null, { ...input, granted: true }).catch(explain)
      out(added ? `Granted ${input.role} to ${input.email}.` : `${input.email} already holds ${input.role}.`)
    },
  },
  'roles:revoke-network': {
    summary: 'Revoke a network-wide role',
    usage: 'roles:revoke-network --email person@example.org --role referentiel_moderator',
    options: { email: { type: 'string' }, role: { type: 'string' } },
    async run({ database, values }) {
      await migrate(database)
      const input = networkRoleArgs(values)
      const removed = await setPlatformRole(database.db, null, { ...input, granted: false }).catch(explain)
      out(removed ? `Revoked ${input.role} from ${input.email}.` : `${input.email} did not hold ${input.role}.`)
    },
  },
  'referentiel:import': {
    summary:
      'Import fiches into the référentiel, all or nothing; re-importing updates them and keeps the edits made here (conflicts listed for the moderators); --dry-run says what would change',
    usage:
      'referentiel:import --format participedia [--dry-run] <export.csv>   |   referentiel:import --format catalogue [--dry-run] <the repository’s folder, or its .zip>',
    options: { format: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    positionals: true,
    async run({ database, values, positionals }) {
      await migrate(database)
      const format = required(values, 'format')
      const path = positionals[0]
      if (!path || positionals.length > 1)
        throw new UsageError('give the file (participedia) or the folder or .zip (catalogue) to import')
      if (!existsSync(path)) throw new UsageError(`${path}: no such file or folder`)
      let read
      if (format === 'participedia') {
        if (!statSync(path).isFile()) throw new UsageError(`${path}: a CSV file is expected`)
        read = readParticipediaCsv(importBytes(path), basename(path))
      } else if (format === 'catalogue') {
        read = readCatalogue(
          statSync(path).isDirectory() ? markdownFiles(path) : [{ name: basename(path), bytes: importBytes(path) }],
        )
      } else throw new UsageError('--format must be participedia or catalogue')
      const dryRun = values['dry-run'] === true
      try {
        const result = await importRecords(database.db, {
          actorId: null,
          source: format === 'catalogue' ? 'consultation-gouv' : 'participedia',
          ...read,
          write: !dryRun,
        })
        for (const warning of result.warnings) process.stderr.write(`Warning: ${warning}\n`)
        out(
          `${dryRun ? 'Dry run, nothing written' : 'Imported'}: ${result.created + result.updated + result.unchanged} fiches, ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged (methods ${result.byKind.method}, experiences ${result.byKind.experience}, actors ${result.byKind.actor}); ${counted('en', result.conflicts, 'conflict', 'conflicts')} between the source and an edit made here${result.conflicts > 0 ? ' (kept the edit; see /referentiel/conflits)' : ''}.`,
        )
      } catch (error) {
        if (!(error instanceof ImportFailed)) throw error
        for (const warning of read.warnings) process.stderr.write(`Warning: ${warning}\n`)
        throw new UsageError(
          `nothing imported, ${counted('en', error.problems.length, 'problem', 'problems')}:\n${error.problems
            .slice(0, 100)
            .map((p) => `  ${p.position}: ${p.reason}`)
            .join('\n')}${error.problems.length > 100 ? `\n  and ${error.problems.length - 100} more` : ''}`,
        )
      }
    },
  },
  'plans:import': {
    summary:
      'Import action plans from a CSV file (the template, OGP’s whole sheet, Decidim’s accountability export): into a draft plan, or into a territory, one draft plan per plan of the file; --dry-run says what would change',
    usage:
      'plans:import --territory kind/code [--plan <id>] --format modele|ogp|decidim [--action-plan AP_FRA01 …] [--dry-run] <file.csv>',
    options: {
      territory: { type: 'string' },
      plan: { type: 'string' },
      format: { type: 'string' },
      'action-plan': { type: 'string', multiple: true },
      'dry-run': { type: 'boolean' },
    },
    positionals: true,
    async run({ database, values, positionals }) {
      await migrate(database)
      const file = positionals[0]
      if (!file || positionals.length > 1) throw new UsageError('give one CSV file')
      if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`${file}: no such file`)
      const format = required(values, 'format')
      if (!(IMPORT_FORMATS as readonly string[]).includes(format))
        throw new UsageError(`--format must be one of: ${IMPORT_FORMATS.join(', ')}`)
      const territory = await findTerritoryByRef(database.db, required(values, 'territory'))
      if (!territory) throw new UsageError(`unknown territory: ${String(values.territory)}`)
      const read = readPlansFile(importBytes(file), format as ImportFormat, basename(file))
      const en = translator('en')
      reportRead(read)
      const chosen = values['action-plan'] as string[] | undefined
      if (read.plans.length > 1 && !chosen?.length && typeof values.plan === 'string') {
        throw new UsageError(
          `the file holds ${read.plans.length} plans: choose the one for this plan with --action-plan (${read.plans.map((p) => p.sourceKey?.replace('ogp-plan:', '')).join(', ')})`,
        )
      }
      const target = typeof values.plan === 'string' ? { planId: values.plan } : { territoryId: territory.id }
      const dryRun = values['dry-run'] === true
      try {
        const outcome = await runPlanImport(database.db, {
          actor: null,
          target,
          read,
          write: !dryRun,
          ...(chosen?.length ? { chosen: chosen.map((c) => (c.startsWith('ogp-plan:') ? c : `ogp-plan:${c}`)) } : {}),
        })
        for (const change of outcome.changes)
          if (change.action !== 'unchanged')
            out(
              `  ${change.action} ${change.level}${change.line ? ` (line ${change.line})` : ''}: ${change.title}${change.fields ? ` [${change.fields.join(', ')}]` : ''}`,
            )
        const counts = Object.entries(outcome.counts)
          .map(([key, n]) => `${key.replace('.', ' ')} ${n}`)
          .join(', ')
        out(`${dryRun ? 'Dry run, nothing written' : 'Imported'}: ${counts || 'nothing to do'}.`)
      } catch (error) {
        if (error instanceof AppError)
          throw new UsageError(error.localized ? error.localized(en) : error.messageIn('en'))
        throw error
      }
    },
  },
  'assessments:import': {
    summary:
      'Import the IRM’s ratings from OGP’s commitment sheet into the plans holding their commitments (or one plan); --dry-run says what would change',
    usage: 'assessments:import [--plan <id>] [--dry-run] <commitments.csv>',
    options: { plan: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    positionals: true,
    async run({ database, values, positionals }) {
      await migrate(database)
      const file = positionals[0]
      if (!file || positionals.length > 1) throw new UsageError('give one CSV file')
      if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`${file}: no such file`)
      const en = translator('en')
      const dryRun = values['dry-run'] === true
      try {
        const outcome = await importOgpRatings(database.db, null, importBytes(file), {
          name: basename(file),
          write: !dryRun,
          ...(typeof values.plan === 'string' ? { planId: values.plan } : {}),
        })
        for (const warning of outcome.warnings) process.stderr.write(`Warning: ${worded(en, warning)}\n`)
        for (const plan of outcome.plans)
          out(
            `  ${plan.action}: ${plan.title} (${plan.territoryName}): ${plan.inception} inception, ${counted('en', plan.endOfTerm, 'end-of-term rating', 'end-of-term ratings')}`,
          )
        out(
          `${dryRun ? 'Dry run, nothing written' : 'Imported'}: ${counted('en', outcome.plans.length, 'plan', 'plans')}; ${counted('en', outcome.notOnPlatform.count, 'rated row', 'rated rows')} of commitments not on the platform; ${counted('en', outcome.unrated, 'row', 'rows')} without a rating.`,
        )
      } catch (error) {
        if (error instanceof RatingsRefused)
          throw new UsageError(
            `nothing imported, ${counted('en', error.problems.length, 'problem', 'problems')}:\n${error.problems
              .slice(0, 100)
              .map((p) => `  ${worded(en, p)}`)
              .join('\n')}`,
          )
        throw error
      }
    },
  },
  'consultations:import': {
    summary:
      'Import a Decidim proposals or debates export (CSV or JSON) into a consultation as its contributions (authors pseudonymised, votes kept, categories as themes); --dry-run says what would change',
    usage: 'consultations:import --consultation <id> [--dry-run] <export.csv|export.json>',
    options: { consultation: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    positionals: true,
    async run({ config, database, values, positionals }) {
      await migrate(database)
      const file = positionals[0]
      if (!file || positionals.length > 1) throw new UsageError('give one export file')
      if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`${file}: no such file`)
      const consultationId = required(values, 'consultation')
      if (!/^[0-9a-f-]{36}$/i.test(consultationId))
        throw new UsageError('--consultation takes the consultation’s id (see its address /consultations/<id>)')
      const en = translator('en')
      const read = readContributionsFile(importBytes(file), basename(file), config.sessionSecret)
      reportRead(read)
      const dryRun = values['dry-run'] === true
      try {
        const outcome = await importContributions(database.db, null, consultationId, read, {
          write: !dryRun,
          filename: basename(file),
        })
        for (const change of outcome.changes) out(`  ${change.action} (line ${change.line}): ${change.title}`)
        out(
          `${dryRun ? 'Dry run, nothing written' : 'Imported'}: ${outcome.created} created, ${outcome.updated} updated, ${outcome.unchanged} unchanged (${read.source}).`,
        )
      } catch (error) {
        if (error instanceof AppError)
          throw new UsageError(
            error.status === 404
              ? `no consultation ${consultationId}`
              : error.localized
                ? error.localized(en)
                : error.messageIn('en'),
          )
        throw error
      }
    },
  },
  'assemblies:import-proposals': {
    summary:
      'Import a list of proposals (CSV: title, text, theme, objective, identifier, status, votes) into a citizens’ assembly; --dry-run says what would change',
    usage: 'assemblies:import-proposals --assembly <id> [--status adopted|drafted] [--dry-run] <proposals.csv>',
    options: { assembly: { type: 'string' }, status: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    positionals: true,
    async run({ database, values, positionals }) {
      await migrate(database)
      const file = positionals[0]
      if (!file || positionals.length > 1) throw new UsageError('give one CSV file')
      if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`${file}: no such file`)
      const assemblyId = required(values, 'assembly')
      if (!/^[0-9a-f-]{36}$/i.test(assemblyId))
        throw new UsageError('--assembly takes the assembly’s id (see its address /assemblees/<id>)')
      const status = values.status ?? 'adopted'
      if (status !== 'adopted' && status !== 'drafted') throw new UsageError('--status must be adopted or drafted')
      const en = translator('en')
      const read = readProposalsFile(importBytes(file), basename(file))
      reportRead(read)
      const dryRun = values['dry-run'] === true
      try {
        const outcome = await importProposals(database.db, null, assemblyId, read, {
          write: !dryRun,
          filename: basename(file),
          status,
        })
        for (const change of outcome.changes) out(`  ${change.action} (line ${change.line}): ${change.title}`)
        if (outcome.locked > 0)
          process.stderr.write(`Warning: ${en('assembly.import.locked', { count: outcome.locked })}\n`)
        out(
          `${dryRun ? 'Dry run, nothing written' : 'Imported'}: ${outcome.created} created, ${outcome.updated} updated, ${outcome.unchanged} unchanged.`,
        )
      } catch (error) {
        if (error instanceof AppError)
          throw new UsageError(
            error.status === 404
              ? `no assembly ${assemblyId}`
              : error.localized
                ? error.localized(en)
                : error.messageIn('en'),
          )
        throw error
      }
    },
  },
  'events:remind': {
    summary:
      'Mail a reminder to everyone registered for an event starting within the next 24 hours (once each; run it hourly)',
    usage: 'events:remind',
    options: {},
    async run({ config, database }) {
      await migrate(database)
      const log = createLogger({ logLevel: 'warn' })
      const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: outboxDir(config), log })
      const work = backgroundWork({
        db: database.db,
        mailer,
        tokens: new TokenSigner(config.sessionSecret),
        baseUrl: config.baseUrl,
        resources: platformResources(),
      })
      const sent = await work.tasks.reminders()
      // the reminders are queued with the rest of the mail: send what is due now
      await runDueJobs(database.db, work.handlers, log)
      out(`${counted('en', sent, 'reminder', 'reminders')} sent.`)
    },
  },
  'assemblies:erase-contacts': {
    summary:
      "Erase the names and contacts of citizens' assemblies' volunteers whose retention period is over (the background worker does it too)",
    usage: 'assemblies:erase-contacts',
    options: {},
    async run({ database }) {
      await migrate(database)
      const erased = await eraseExpiredVolunteerContacts(database.db)
      out(`${counted('en', erased, 'volunteer', 'volunteers')} erased.`)
    },
  },
  'jobs:run': {
    summary:
      'Run background work once: queue the digests that are due, send event reminders, publish the history heads that are due, prune ended sessions, erase the contacts of assemblies’ volunteers past their retention, then run every due job (account mails, immediate mails, digests); for installations that set JOB_POLL_SECONDS=0 and use a scheduler',
    usage: 'jobs:run',
    options: {},
    async run({ config, database }) {
      await migrate(database)
      const log = createLogger({ logLevel: 'warn' })
      const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: outboxDir(config), log })
      const work = backgroundWork({
        db: database.db,
        mailer,
        tokens: new TokenSigner(config.sessionSecret),
        baseUrl: config.baseUrl,
        resources: platformResources(),
      })
      await work.tasks.digests()
      const reminders = await work.tasks.reminders()
      const heads = await work.tasks.heads()
      await work.tasks.sessions()
      await work.tasks.pendingImports()
      await work.tasks.volunteerContacts()
      const ran = await runDueJobs(database.db, work.handlers, log)
      out(
        `${counted('en', ran, 'job', 'jobs')} run, ${counted('en', reminders, 'reminder', 'reminders')} sent, ${counted('en', heads, 'history head', 'history heads')} published.`,
      )
    },
  },
  sortition: {
    summary:
      "Selection probabilities of a citizens' panel draw from files: LEXIMIN (exact) or LEGACY (estimated by simulation), as JSON",
    usage:
      'sortition <instance folder> [--panel-size k] [--algorithm leximin|legacy] [--runs 10000] [--time-limit seconds] [--household column]   (folder with categories.csv and respondents.csv; k read from a name ending in _k when absent; volunteers with the same value in the household column, an address say, share a household: at most one of them per panel)',
    options: {
      'panel-size': { type: 'string' },
      algorithm: { type: 'string' },
      runs: { type: 'string' },
      'time-limit': { type: 'string' },
      household: { type: 'string' },
    },
    positionals: true,
    withoutDatabase: true,
    async run({ values, positionals }) {
      const folder = positionals[0]
      if (!folder || positionals.length > 1) throw new UsageError('give one instance folder')
      for (const file of ['categories.csv', 'respondents.csv'])
        if (!existsSync(join(folder, file))) throw new UsageError(`${join(folder, file)}: no such file`)
      const sizeText = (values['panel-size'] as string | undefined) ?? String(panelSizeFromName(folder) ?? '')
      if (!/^\d+$/.test(sizeText)) throw new UsageError('give --panel-size k (the folder name does not end in _k)')
      const algorithm = (values.algorithm as string | undefined) ?? 'leximin'
      if (algorithm !== 'leximin' && algorithm !== 'legacy')
        throw new UsageError('--algorithm must be leximin or legacy')
      const runsText = (values.runs as string | undefined) ?? '10000'
      if (!/^\d+$/.test(runsText) || Number(runsText) < 1)
        throw new UsageError('--runs must be a whole number of at least 1')
      const limitText = values['time-limit'] as string | undefined
      if (limitText !== undefined && !/^\d+$/.test(limitText))
        throw new UsageError('--time-limit must be a whole number of seconds')
      let instance
      try {
        const parsed = parseInstanceFiles(
          readFileSync(join(folder, 'categories.csv')),
          readFileSync(join(folder, 'respondents.csv')),
          Number(sizeText),
          typeof values.household === 'string' ? { householdColumn: values.household } : {},
        )
        for (const warning of parsed.warnings) process.stderr.write(`Warning: ${warning}\n`)
        instance = parsed.instance
      } catch (error) {
        if (error instanceof InstanceError) throw new UsageError(error.message)
        throw error
      }
      const summary = {
        instance: basename(folder.replace(/\/$/, '')),
        algorithm,
        poolSize: instance.people.length,
        panelSize: instance.panelSize,
        categories: instance.categories.length,
        ...(instance.households ? { households: instance.households.length } : {}),
      }
      const infeasible = async () => {
        const changes = await relaxation(instance)
        return new UsageError(
          `no panel meets the quotas; the smallest relaxation:\n${changes.map((c) => `  ${c.category}/${c.feature}: ${c.min}–${c.max} → ${c.newMin}–${c.newMax}`).join('\n')}`,
        )
      }
      if (algorithm === 'legacy') {
        const began = performance.now()
        const legacy = legacyProbabilities(instance, Number(runsText))
        if (legacy.failures === legacy.runs) {
          const changes = await relaxation(instance)
          if (changes.length > 0) throw await infeasible()
          throw new UsageError(
            `LEGACY's greedy draw never completed a panel in ${legacy.runs} runs, although panels meeting the quotas exist (LEXIMIN finds them)`,
          )
        }
        out(
          JSON.stringify({
            ...summary,
            runs: legacy.runs,
            failures: legacy.failures,
            minimum: Math.min(...legacy.probabilities),
            minimumUpperBound99: legacy.minimumUpperBound,
            seconds: (performance.now() - began) / 1000,
            probabilities: legacy.probabilities,
          }),
        )
        return
      }
      try {
        const result = await leximin(instance, limitText === undefined ? {} : { timeLimitSeconds: Number(limitText) })
        out(
          JSON.stringify({
            ...summary,
            method: result.method,
            types: result.types.members.length,
            minimum: Math.min(...result.probabilities),
            seconds: result.seconds,
            ilps: result.ilps,
            lps: result.lps,
            panels: result.panels.length,
            probabilities: result.probabilities,
          }),
        )
      } catch (error) {
        if (error instanceof TimeLimitReached) throw new UsageError(error.message)
        if (!(error instanceof Infeasible)) throw error
        throw await infeasible()
      }
    },
  },
  'sortition:verify': {
    summary:
      "Re-run the public draw of a citizens' assembly from its published JSON (tirage.json): digest, commitment, drawn panel",
    usage:
      "sortition:verify <tirage.json>   (downloaded from the assembly's transparency page; exit 1 when a check fails)",
    options: {},
    positionals: true,
    withoutDatabase: true,
    async run({ positionals }) {
      const file = positionals[0]
      if (!file || positionals.length > 1) throw new UsageError('give one file: sortition:verify <tirage.json>')
      if (!existsSync(file)) throw new UsageError(`${file}: no such file`)
      let draw: {
        lottery?: unknown
        lotteryDigest?: unknown
        panelCount?: unknown
        randomnessKind?: unknown
        randomnessCommitment?: unknown
        randomness?: unknown
        drawnIndex?: unknown
      }
      try {
        draw = JSON.parse(readFileSync(file, 'utf8'))
      } catch {
        throw new UsageError(`${file}: not JSON`)
      }
      const lottery = draw.lottery
      if (
        !Array.isArray(lottery) ||
        !lottery.every((panel) => Array.isArray(panel) && panel.every((n) => Number.isInteger(n)))
      )
        throw new UsageError(`${file}: no lottery (a list of panels of volunteer numbers)`)
      const digest = lotteryDigest(lottery as number[][])
      if (digest !== draw.lotteryDigest)
        throw new UsageError(`the lottery's digest is ${digest}, not the published ${String(draw.lotteryDigest)}`)
      if (draw.panelCount !== lottery.length)
        throw new UsageError(`the lottery lists ${lottery.length} panels, not ${String(draw.panelCount)}`)
      if (typeof draw.randomness !== 'string') {
        out(`Lottery of ${lottery.length} panels: digest ${digest} checked. The random value is not revealed yet.`)
        return
      }
      if (draw.randomnessKind === 'secret_hash' && commitmentOf(draw.randomness) !== draw.randomnessCommitment)
        throw new UsageError('the revealed value does not match the published commitment')
      const index = drawIndex(digest, draw.randomness, lottery.length)
      if (index !== draw.drawnIndex)
        throw new UsageError(`the draw gives panel ${index}, not the published ${String(draw.drawnIndex)}`)
      out(
        `Lottery digest ${digest} checked; ${draw.randomnessKind === 'secret_hash' ? 'the revealed value matches its commitment; ' : ''}the draw gives panel ${index}: volunteers ${(lottery[index] as number[]).join(', ')}.`,
      )
    },
  },
  'history:verify': {
    summary:
      'Verify the hash-chained history of a territory’s action plans, and that it still holds a chain head kept from the public feed (exit 1 when broken)',
    usage:
      'history:verify <kind/code> [--against head.json]   e.g. history:verify commune/35238 --against empreinte.json (an entry of /api/v1/history/heads)',
    options: { against: { type: 'string' } },
    positionals: true,
    async run({ database, positionals, values }) {
      await migrate(database)
      const ref = positionals[0]
      if (!ref || positionals.length > 1) throw new UsageError('name one territory: history:verify <kind/code>')
      const territory = await findTerritoryByRef(database.db, ref)
      if (!territory) throw new UsageError(`unknown territory: ${ref}`)
      const kept = typeof values.against === 'string' ? readKeptHead(values.against, ref) : null
      const check = await verifyHistory(database.db, territory.id, kept ? [kept] : [])
      if (!check.ok) {
        const why =
          check.reason === 'kept-head-missing'
            ? `the chain no longer holds the head kept in ${values.against} (entry ${check.brokenAt}, published ${kept!.publishedAt}): entries were deleted or rewritten since`
            : `${check.reason}`
        throw new UsageError(
          `history of ${ref} is BROKEN at entry ${check.brokenAt} (${why}); ${check.entries} entries`,
        )
      }
      out(
        `History of ${ref} (${territory.name}) is intact: ${check.entries} entries, last hash ${check.lastHash}.${kept ? ` It holds the head kept in ${values.against} (entry ${kept.sequence}, published ${kept.publishedAt}).` : ''}`,
      )
    },
  },
  backup: {
    summary:
      'Write a backup of the embedded database, its uploaded files and session secret to one file (also while the server runs)',
    usage: 'backup <file.tar>',
    options: {},
    positionals: true,
    withoutDatabase: true,
    async run({ config, positionals }) {
      const file = positionals[0]
      if (!file || positionals.length > 1) throw new UsageError('name the backup file: backup <file.tar>')
      if (config.databaseUrl) throw new UsageError(POSTGRES_BACKUP)
      if (!existsSync(join(config.dataDir, 'pglite')))
        throw new UsageError(`no embedded database in ${config.dataDir} (DATA_DIR)`)
      let manifest
      let database: Database | null = null
      try {
        database = await openDatabase({ databaseUrl: null, dataDir: config.dataDir })
        manifest = await writeBackup(database, config.dataDir, file)
      } catch (error) {
        if (!(error instanceof FolderLockedError)) throw error
        manifest = await requestServerBackup(config.dataDir, file) // the server holds the folder: it writes the backup
      } finally {
        await database?.close()
      }
      const files = Object.keys(manifest.sha256).filter((name) => name.startsWith('files/')).length
      out(
        `Backup written to ${resolve(file)} (mode 600: it holds personal data and the session secret): the database, ${counted('en', files, 'uploaded file', 'uploaded files')}${manifest.sha256['session-secret'] ? ', the session secret' : ''}.`,
      )
    },
  },
  restore: {
    summary: 'Restore a backup made by `backup` into an empty DATA_DIR (checked whole before anything is written)',
    usage: 'restore <file.tar>   with DATA_DIR naming a new or empty folder',
    options: {},
    positionals: true,
    withoutDatabase: true,
    async run({ config, positionals }) {
      const file = positionals[0]
      if (!file || positionals.length > 1) throw new UsageError('name the backup file: restore <file.tar>')
      if (config.databaseUrl) throw new UsageError(POSTGRES_BACKUP)
      const manifest = await restoreBackup(file, config.dataDir)
      out(`Restored the backup of ${manifest.createdAt} into ${config.dataDir}; start the platform with this DATA_DIR.`)
    },
  },
  'demo:load': {
    summary: 'Load the demonstration data (fictitious accounts and territory) if not there yet',
    usage: 'demo:load',
    options: {},
    async run({ database }) {
      await migrate(database)
      out((await seedDemo(database.db)) ? 'Demonstration data loaded.' : 'Demonstration data was already there.')
    },
  },
}

function help(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length))
  return [
    'Usage: npm run cli -- <command> [options]',
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `npm run cli -- <command> --help` for a command’s options.',
    'The database is the one the platform uses (DATA_DIR or DATABASE_URL). On the embedded database,',
    'stop the platform first: one process at a time may open its folder.',
  ].join('\n')
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(help())
    return name ? 0 : 1
  }
  const command = commands[name]
  if (!command) {
    process.stderr.write(`Unknown command: ${name}\n\n${help()}\n`)
    return 1
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    out(`${command.summary}\n\nUsage: npm run cli -- ${command.usage}`)
    return 0
  }
  let values: Record<string, unknown>
  let positionals: string[]
  try {
    ;({ values, positionals } = parseArgs({
      args: rest,
      options: command.options,
      strict: true,
      allowPositionals: command.positionals ?? false,
    }))
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nUsage: npm run cli -- ${command.usage}\n`)
    return 1
  }
  let database: Database | null = null
  try {
    const config = loadConfig()
    if (!command.withoutDatabase)
      database = await openDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: config.databaseUrl ? undefined : config.dataDir,
      })
    await command.run({ config, database: database as Database, values, positionals })
    return 0
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof ConfigError ||
      error instanceof FolderLockedError ||
      error instanceof BackupError ||
      error instanceof RestoreIncompleteError
    ) {
      process.stderr.write(`Error: ${error.message}\n`)
      return 1
    }
    process.stderr.write(`Error: ${(error as Error).message}\n`)
    return 2
  } finally {
    await database?.close()
  }
}

process.exitCode = await main(process.argv.slice(2))
