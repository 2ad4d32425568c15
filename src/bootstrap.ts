import { join } from 'node:path'
import pino, { type Logger } from 'pino'
import type { Config } from './platform/config.ts'
import { openDatabase, type Database } from './platform/db/index.ts'
import { migrate } from './platform/db/migrate.ts'
import { countTerritories, loadRegistry } from './modules/territories/index.ts'
import { seedDemo, type SeedHooks } from './demo/seed.ts'

/** A URL as logged: the path, and the names of its query parameters without their values (search terms, tokens). */
export function loggedUrl(url: string): string {
  const [path, query] = url.split('?', 2)
  if (query === undefined) return path!
  const names = query
    .split('&')
    .map((pair) => pair.split('=', 1)[0]!)
    .filter(Boolean)
  return `${path}?${names.map((name) => `${name.slice(0, 40)}=[redacted]`).join('&')}`
}

const DATABASE_ERROR_FIELDS = ['code', 'severity', 'constraint', 'table', 'column', 'schema', 'routine'] as const

/**
 * An error as logged: its type, code and stack, with what could hold personal data or secrets left out — the
 * parameters of a failed query (drizzle puts them in its message), a database error's detail ("Key (email)=(…)")
 * and the values it quotes.
 */
export function loggableError(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: '[not an Error]' }
  const scrub = (text: string) => {
    const withoutParams = text.startsWith('Failed query:') ? text.split('\nparams:')[0]! : text
    // and, as a last net, what a trigger or a library may have put into a message itself
    return withoutParams
      .replace(/"[^"\n]*"/g, '"[redacted]"')
      .replace(/\(([^()\n]*)\)=\(([^()\n]*)\)/g, '($1)=([redacted])')
      .replace(/[^\s@"'<>()]+@[^\s@"'<>()]+\.[a-z]{2,}/gi, '[e-mail]')
      .replace(/\$argon2[^\s"']*/g, '[password hash]')
  }
  const message = scrub(error.message)
  const stack = error.stack
    ? [`${error.name}: ${message}`, ...error.stack.split('\n').filter((line) => /^\s+at /.test(line))].join('\n')
    : undefined
  const logged: Record<string, unknown> = { type: error.name, message, ...(stack ? { stack } : {}) }
  const fields = error as unknown as Record<string, unknown>
  for (const field of DATABASE_ERROR_FIELDS) if (typeof fields[field] === 'string') logged[field] = fields[field]
  if (typeof fields.statusCode === 'number') logged.statusCode = fields.statusCode
  if (error.cause !== undefined && depth < 3) logged.cause = loggableError(error.cause, depth + 1)
  return logged
}

/** The platform's logger: pino, JSON lines, with credentials, tokens, query values and query parameters never written. */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      redact: {
        paths: [
          'req.headers.cookie',
          'req.headers.authorization',
          'res.headers["set-cookie"]',
          '*.password',
          '*.passwordHash',
          '*.token',
        ],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: loggedUrl(req.url) }),
        err: (error: unknown) => loggableError(error),
      },
    },
    destination,
  )
}

/**
 * Opens the configured database and brings it up to date: migrations, the territory registry on first
 * start, and the demonstration data when DEMO_DATA is on. Every step is whole or absent (one transaction each) and
 * skipped once done, so a start stopped anywhere is finished by the next. `hooks.afterStep` runs after each
 * committed step ('migrations', 'registry', then the demo's).
 */
export async function openPreparedDatabase(config: Config, log: Logger, hooks: SeedHooks = {}): Promise<Database> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : config.dataDir,
  })
  try {
    const applied = await migrate(database)
    if (applied.length > 0) log.info({ applied }, 'migrations applied')
    await hooks.afterStep?.('migrations')
    if ((await countTerritories(database.db)) === 0) {
      const result = await loadRegistry(database.db)
      log.info(
        { territories: result.territories, links: result.links, ms: result.milliseconds },
        'territory registry loaded',
      )
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
