import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** The platform's settings, read once from the environment and validated. */
export interface Config {
  port: number
  host: string
  dataDir: string
  /** A `postgres://` URL switches from the embedded PGlite database to a PostgreSQL server. */
  databaseUrl: string | null
  baseUrl: URL
  sessionSecret: string
  smtpUrl: string | null
  mailFrom: string
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** Load the demonstration dataset on first start. */
  demoData: boolean
  /** Trust X-Forwarded-* headers (behind a reverse proxy). */
  trustProxy: boolean
  /** Sign-in attempts allowed per client address in 15 minutes. */
  signinRateLimit: number
  /** Days a territory has to reply to an independent assessment before it can be published. */
  reviewReplyDays: number
  /** Distinct people whose reports hide a content until a moderator reviews it. */
  reportHideThreshold: number
  /** how often this process runs due background jobs (mails, digests, reminders); 0: never (run `jobs:run` from a scheduler) */
  jobPollSeconds: number
  /** memory for anonymous pages kept between writes (MiB); 0: every page is rendered for each visitor */
  pageCacheMegabytes: number
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`)
  }
}

type Env = Record<string, string | undefined>

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${raw}")`)
  }
  return Number(raw)
}

function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false
  throw new ConfigError(name, `must be true or false (got "${raw}")`)
}

function readUrl(env: Env, name: string, protocols: string[]): URL | null {
  const raw = env[name]
  if (raw === undefined || raw === '') return null
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError(name, `must be a URL (${protocols.join(' or ')})`)
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(
      name,
      `must start with ${protocols.map((p) => `${p}//`).join(' or ')} (got ${url.protocol}//…)`,
    )
  }
  return url
}

/**
 * The session secret: from SESSION_SECRET, or in embedded mode generated once and kept in
 * DATA_DIR/session-secret (mode 0600) so sessions survive restarts. A server database needs it set,
 * since several application processes must share it.
 */
function readSessionSecret(env: Env, dataDir: string, embedded: boolean): string {
  const raw = env.SESSION_SECRET
  if (raw !== undefined && raw !== '') {
    if (raw.length < 32) throw new ConfigError('SESSION_SECRET', 'must be at least 32 characters long')
    return raw
  }
  if (!embedded) {
    throw new ConfigError('SESSION_SECRET', 'must be set (at least 32 characters) when DATABASE_URL is set')
  }
  const file = join(dataDir, 'session-secret')
  const kept = existsSync(file) ? readFileSync(file, 'utf8').trim() : ''
  if (kept.length >= 32) return kept
  // absent, or cut short by a crash while it was written (no session can depend on it yet): write it whole — a
  // temporary file linked into place, so that two processes starting at once keep the same one
  mkdirSync(dataDir, { recursive: true })
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`
  writeFileSync(temporary, `${randomBytes(48).toString('base64url')}\n`, { mode: 0o600, flush: true })
  try {
    if (kept !== '' || existsSync(file)) renameSync(temporary, file)
    else linkSync(temporary, file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  } finally {
    rmSync(temporary, { force: true })
  }
  chmodSync(file, 0o600)
  return readFileSync(file, 'utf8').trim()
}

/** Reads and validates the configuration; throws ConfigError naming the faulty variable. */
export function loadConfig(env: Env = process.env): Config {
  const port = readInteger(env, 'PORT', 3000, 0, 65535)
  const host = env.HOST || '127.0.0.1'
  const dataDir = resolve(env.DATA_DIR || './data')
  const databaseUrl = readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:'])
  const baseUrl = readUrl(env, 'BASE_URL', ['http:', 'https:']) ?? new URL(`http://localhost:${port}`)
  if (baseUrl.pathname !== '/' || baseUrl.search) {
    throw new ConfigError('BASE_URL', 'must be an origin without path or query (e.g. https://thc.example.org)')
  }
  const smtpUrl = readUrl(env, 'SMTP_URL', ['smtp:', 'smtps:'])
  const mailFrom = env.MAIL_FROM || `Territoires Hautement Citoyens <no-reply@${baseUrl.hostname}>`
  if (!/^[^<>]*<?[^@\s<>]+@[^@\s<>]+>?$/.test(mailFrom)) {
    throw new ConfigError('MAIL_FROM', 'must be an e-mail address, optionally with a name: Name <address@example.org>')
  }
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel']
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`)
  const embedded = databaseUrl === null
  return {
    port,
    host,
    dataDir,
    databaseUrl: databaseUrl?.toString() ?? null,
    baseUrl,
    sessionSecret: readSessionSecret(env, dataDir, embedded),
    smtpUrl: smtpUrl?.toString() ?? null,
    mailFrom,
    logLevel,
    demoData: readBoolean(env, 'DEMO_DATA', embedded),
    trustProxy: readBoolean(env, 'TRUST_PROXY', false),
    signinRateLimit: readInteger(env, 'SIGNIN_RATE_LIMIT', 10, 1, 100000),
    reviewReplyDays: readInteger(env, 'REVIEW_REPLY_DAYS', 15, 0, 365),
    reportHideThreshold: readInteger(env, 'REPORT_HIDE_THRESHOLD', 3, 1, 1000),
    jobPollSeconds: readInteger(env, 'JOB_POLL_SECONDS', 30, 0, 86400),
    pageCacheMegabytes: readInteger(env, 'PAGE_CACHE_MB', 64, 0, 4096),
  }
}
