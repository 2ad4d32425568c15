/** Backups, restores and the demonstration data. */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { seedDemo } from '../demo/seed.ts'
import { counted } from '../platform/i18n/index.ts'
import { openDatabase, FolderLockedError, type Database } from '../platform/db/index.ts'
import { requestServerBackup, restoreBackup, writeBackup } from '../platform/backup.ts'
import { migrate } from '../platform/db/migrate.ts'
import { out, UsageError, type Command } from './command.ts'

const POSTGRES_BACKUP =
  'with DATABASE_URL, back up the database with pg_dump (pg_dump -Fc -f thc.dump "$DATABASE_URL"; restore with pg_restore -d <new database> thc.dump), ' +
  'and keep DATA_DIR/files and SESSION_SECRET with it: see the README'

export const dataCommands: Record<string, Command> = {
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
