import type { Config } from '../platform/config.ts'
import type { Database } from '../platform/db/index.ts'
import { AppError } from '../platform/errors.ts'

/** A command-line failure: the message is printed and the exit code is 1. */
export class UsageError extends Error {}

export interface Command {
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

export const out = (line: string) => process.stdout.write(`${line}\n`)

export function required(values: Record<string, unknown>, name: string): string {
  const value = values[name]
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`)
  return value.trim()
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '')
}

/** An error of the services as a command-line message (English). */
export function explain(error: unknown): never {
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
