import { buildApp } from './app.ts'
import { createLogger, openPreparedDatabase } from './bootstrap.ts'
import { ConfigError, loadConfig } from './platform/config.ts'
import { FolderLockedError } from './platform/db/index.ts'
import { startControlSocket } from './platform/backup.ts'
import { assertSupportedNode } from './platform/node-version.ts'

assertSupportedNode()

async function main() {
  let config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      process.exit(1)
    }
    throw error
  }
  const log = createLogger(config)
  let database
  try {
    database = await openPreparedDatabase(config, log)
  } catch (error) {
    if (error instanceof FolderLockedError) {
      console.error(error.message)
      process.exit(1)
    }
    console.error(`The database could not be opened: ${(error as Error).message}`)
    process.exit(1)
  }
  const app = await buildApp({ config, database, logger: log })
  // the command line's `backup` asks the server for a snapshot while it holds the embedded database
  const control =
    database.engine === 'pglite'
      ? await startControlSocket(database, config.dataDir, (error) => log.error({ err: error }, 'backup failed')).catch(
          () => null,
        )
      : null
  app.addHook('onClose', async () => {
    control?.close()
  })

  let closing = false
  const shutdown = (signal: string) => {
    if (closing) return
    closing = true
    log.info({ signal }, 'shutting down: finishing requests in flight')
    const force = setTimeout(() => {
      log.error('shutdown took more than 10 s: exiting')
      process.exit(1)
    }, 10_000)
    force.unref()
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'error while shutting down')
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))

  try {
    await app.listen({ port: config.port, host: config.host })
  } catch (error) {
    log.error({ err: error }, 'could not listen')
    await app.close()
    process.exit(1)
  }
  log.info(
    {
      url: config.baseUrl.toString(),
      database: database.engine,
      dataDir: database.engine === 'pglite' ? config.dataDir : undefined,
      mail: app.platform.mailer.target,
    },
    `platform ready on ${config.baseUrl.toString()}`,
  )
}

await main()
