import { join } from 'node:path'
import pino, { type Logger } from 'pino'
import type { Config } from './platform/config.ts'
import { openDatabase, type Database } from './platform/db/index.ts'
import { migrate } from './platform/db/migrate.ts'
import { countTerritories, loadRegistry } from './modules/territories/index.ts'
import { seedDemo, type SeedHooks } from './demo/seed.ts'

/** The platform's logger: pino, JSON lines, with credentials and tokens never written. */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  return pino({
    level: config.logLevel,
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.password', '*.passwordHash', '*.token'],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { method: string; url: string; ip?: string }) => ({
        method: req.method,
        // signed links carry their token in the query string: keep it out of the log
        url: req.url.replace(/([?&]token=)[^&]*/g, '$1[redacted]'),
      }),
    },
  }, destination)
}

/**
 * Opens the configured database and brings it up to date: migrations, the territory registry on first
 * start, and the demonstration data when DEMO_DATA is on. Every step is whole or absent (one transaction each) and
 * skipped once done, so a start stopped anywhere is finished by the next. `hooks.afterStep` runs after each
 * committed step ('migrations', 'registry', then the demo's).
 */
export async function openPreparedDatabase(config: Config, log: Logger, hooks: SeedHooks = {}): Promise<Database> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir })
  try {
    const applied = await migrate(database)
    if (applied.length > 0) log.info({ applied }, 'migrations applied')
    await hooks.afterStep?.('migrations')
    if ((await countTerritories(database.db)) === 0) {
      const result = await loadRegistry(database.db)
      log.info({ territories: result.territories, links: result.links, ms: result.milliseconds }, 'territory registry loaded')
    }
    await hooks.afterStep?.('registry')
    if (config.demoData) await seedDemo(database.db, log, hooks)
    return database
  } catch (error) {
    await database.close()
    throw error
  }
}

export const outboxDir = (config: Pick<Config, 'dataDir'>) => join(config.dataDir, 'outbox')
