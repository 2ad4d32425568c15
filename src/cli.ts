import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from './platform/config.ts'
import { openDatabase, FolderLockedError, RestoreIncompleteError, type Database } from './platform/db/index.ts'
import { BackupError } from './platform/backup.ts'
import { assertSupportedNode } from './platform/node-version.ts'
import { accountCommands } from './cli/accounts.ts'
import { backgroundCommands } from './cli/background.ts'
import { out, UsageError, type Command } from './cli/command.ts'
import { dataCommands } from './cli/data.ts'
import { importCommands } from './cli/imports.ts'
import { setupCommands } from './cli/setup.ts'
import { verifyCommands } from './cli/verify.ts'

assertSupportedNode()

/** The commands, in the order `--help` lists them; each file of src/cli/ holds one family. */
const commands: Record<string, Command> = {
  ...setupCommands,
  ...accountCommands,
  ...importCommands,
  ...backgroundCommands,
  ...verifyCommands,
  ...dataCommands,
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
