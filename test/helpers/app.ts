import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, type TestContext } from 'node:test'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { buildApp } from '../../src/app.ts'
import { createLogger } from '../../src/bootstrap.ts'
import { hashPassword } from '../../src/platform/auth/passwords.ts'
import { loadConfig, type Config } from '../../src/platform/config.ts'
import { queryRows, type Database, type Engine } from '../../src/platform/db/index.ts'
import type { Mailer, OutgoingMail } from '../../src/platform/mail.ts'
import { sql } from 'drizzle-orm'
import { createTestDatabase, engines, POSTGRES_SKIPPED } from './database.ts'

export interface TestApp {
  app: FastifyInstance
  database: Database
  config: Config
  /** Every mail the platform sent, oldest first. */
  mails: (OutgoingMail & { to: string })[]
  close(): Promise<void>
}

/** Builds the application on a fresh seeded database of the given engine, with mail kept in memory. */
export async function buildTestApp(
  engine: Engine,
  env: Record<string, string> = {},
  logLines?: string[],
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'thc-test-'))
  const config = loadConfig({
    DATA_DIR: dataDir,
    SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
    BASE_URL: 'http://localhost:3000',
    DEMO_DATA: 'false',
    // background jobs run when a test calls app.jobs.tick()
    JOB_POLL_SECONDS: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  })
  const database = await createTestDatabase(engine)
  const mails: TestApp['mails'] = []
  const mailer: Mailer = {
    target: 'memory',
    async send(mail) {
      mails.push(mail)
    },
  }
  const app = await buildApp({
    config,
    database,
    logger: createLogger(config, logLines ? { write: (line: string) => void logLines.push(line) } : undefined),
    mailer,
  })
  await app.ready()
  return {
    app,
    database,
    config,
    mails,
    async close() {
      await app.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/**
 * Declares a suite once per engine; on a machine without PostgreSQL the PostgreSQL suite shows as
 * skipped with the reason, never as a silent pass.
 */
export function describeEachEngine(name: string, body: (engine: Engine) => void): void {
  for (const engine of engines) describe(`${name} [${engine}]`, () => body(engine))
  if (!engines.includes('postgres')) describe(`${name} [postgres]`, { skip: POSTGRES_SKIPPED }, () => {})
}

/** A browser-like client: keeps cookies between requests and reads CSRF tokens from forms. */
export class Client {
  private cookies = new Map<string, string>()
  constructor(private readonly app: FastifyInstance) {}

  async request(options: InjectOptions & { url: string }): Promise<LightMyRequestResponse> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ')
    const response = await this.app.inject({
      ...options,
      headers: { ...(cookie ? { cookie } : {}), ...(options.headers ?? {}) },
    })
    for (const c of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now()) || c.value === ''
      if (expired) this.cookies.delete(c.name)
      else this.cookies.set(c.name, c.value)
    }
    return response
  }

  get(url: string, headers: Record<string, string> = {}) {
    return this.request({ method: 'GET', url, headers })
  }

  /** Posts a form as a browser does (urlencoded), with the CSRF token of `formPage` unless `csrf` is given. */
  async post(url: string, fields: Record<string, string>, options: { csrfFrom?: string; csrf?: string | null } = {}) {
    let token = options.csrf
    if (token === undefined) {
      const page = await this.get(options.csrfFrom ?? url)
      token = csrfTokenOf(page.body)
    }
    const body = new URLSearchParams({ ...fields, ...(token ? { _csrf: token } : {}) }).toString()
    return this.request({
      method: 'POST',
      url,
      payload: body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
  }

  hasCookie(name: string): boolean {
    return this.cookies.has(name)
  }
}

/** A multipart/form-data body as a browser sends it, with one optional file. */
export function multipart(fields: Record<string, string>, file: { name: string; content: Buffer | string } | null) {
  const boundary = `----thc${Date.now()}`
  const parts: Buffer[] = []
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`))
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
    )
    parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content))
    parts.push(Buffer.from('\r\n'))
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

export function csrfTokenOf(html: string): string | null {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? null
}

/** The first link of the platform's own site found in a mail. */
export function linkIn(mail: { text: string }): string {
  const match = /https?:\/\/[^\s]+/.exec(mail.text)
  if (!match) throw new Error(`no link in mail: ${mail.text}`)
  const url = new URL(match[0])
  return url.pathname + url.search
}

/** The date in Paris `offset` days from today, as YYYY-MM-DD. */
export function parisDay(offset: number): string {
  const d = new Date(`${new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date())}T12:00:00Z`)
  d.setUTCDate(d.getUTCDate() + offset)
  return d.toISOString().slice(0, 10)
}

let counter = 0
/** A unique e-mail address for a test. */
export function uniqueEmail(prefix = 'person'): string {
  counter += 1
  return `${prefix}-${process.pid}-${counter}-${Date.now().toString(36)}@example.org`
}

/** Creates a confirmed account directly (factory), returning its id. */
export async function createUser(
  database: Database,
  options: { email?: string; password?: string; displayName?: string; admin?: boolean } = {},
) {
  const email = options.email ?? uniqueEmail()
  const password = options.password ?? 'correct horse battery staple'
  const passwordHash = await hashPassword(password)
  const [row] = await queryRows<{ id: string }>(
    database.db,
    sql`insert into users (email, display_name, password_hash, email_confirmed_at, is_platform_admin)
        values (${email}, ${options.displayName ?? 'Personne Test'}, ${passwordHash}, now(), ${options.admin ?? false}) returning id`,
  )
  return { id: row!.id, email, password }
}

/** Grants a role directly (factory). */
export async function grantTestRole(
  database: Database,
  userId: string,
  territory: { kind: string; code: string },
  role: string,
) {
  await database.db.execute(sql`insert into territory_roles (territory_id, user_id, role)
    select id, ${userId}, ${role} from territories where kind = ${territory.kind} and code = ${territory.code}`)
}

/** Signs a client in through the real form; throws unless it lands signed in. */
export async function signIn(client: Client, email: string, password: string) {
  const response = await client.post('/connexion', { email, password, next: '/compte' })
  if (response.statusCode !== 303) throw new Error(`sign-in failed with ${response.statusCode}`)
  return response
}

/** A new client of the app, signed in through the real form. */
export async function signedInClient(app: FastifyInstance, email: string, password: string): Promise<Client> {
  const client = new Client(app)
  await signIn(client, email, password)
  return client
}

export type { TestContext }
