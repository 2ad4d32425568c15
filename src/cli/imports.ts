/** The importers from the command line: every one reads the file, reports, and writes nothing with --dry-run. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join, relative, sep } from 'node:path'
import {
  importRecords,
  ImportFailed,
  readCatalogue,
  readParticipediaCsv,
  type SourceFile,
} from '../modules/referentiel/index.ts'
import { importProposals, readProposalsFile } from '../modules/assemblies/index.ts'
import { IMPORT_FORMATS, readPlansFile, runPlanImport, type ImportFormat } from '../modules/plans/index.ts'
import { importOgpRatings, RatingsRefused } from '../modules/assessments/index.ts'
import { importContributions, readContributionsFile } from '../modules/consultations/index.ts'
import { worded, type ImportMessage } from '../platform/import/text.ts'
import { counted, translator, type Translate } from '../platform/i18n/index.ts'
import { findTerritoryByRef } from '../modules/territories/index.ts'
import { migrate } from '../platform/db/migrate.ts'
import { AppError } from '../platform/errors.ts'
import { out, required, UsageError, type Command } from './command.ts'

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

/** A file the services refused, said as the command line says it (an unknown target, or why). */
function refused(error: unknown, notFound: string, en: Translate): never {
  if (error instanceof AppError)
    throw new UsageError(
      error.status === 404 ? notFound : error.localized ? error.localized(en) : error.messageIn('en'),
    )
  throw error
}

export const importCommands: Record<string, Command> = {
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
        const outcome = await importOgpRatings(database.db, {
          actor: null,
          bytes: importBytes(file),
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
        const outcome = await importContributions(database.db, {
          actor: null,
          consultationId,
          read,
          write: !dryRun,
          filename: basename(file),
        })
        for (const change of outcome.changes) out(`  ${change.action} (line ${change.line}): ${change.title}`)
        out(
          `${dryRun ? 'Dry run, nothing written' : 'Imported'}: ${outcome.created} created, ${outcome.updated} updated, ${outcome.unchanged} unchanged (${read.source}).`,
        )
      } catch (error) {
        refused(error, `no consultation ${consultationId}`, en)
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
        const outcome = await importProposals(database.db, {
          actor: null,
          assemblyId,
          read,
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
        refused(error, `no assembly ${assemblyId}`, en)
      }
    },
  },
}
