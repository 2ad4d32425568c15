import { SearchRegistry } from './platform/search.ts'
import { platformResources } from './resources.ts'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { Sealer } from './platform/auth/sealing.ts'
import { TokenSigner } from './platform/auth/tokens.ts'
import type { Config } from './platform/config.ts'
import type { Database } from './platform/db/index.ts'
import { kernelPlugin } from './platform/http/kernel.tsx'
import { BODY_LIMIT } from './platform/http/limits.ts'
import { createMailer, type Mailer } from './platform/mail.ts'
import { ReadCache } from './platform/db/read-cache.ts'
import { folderFileStore } from './platform/storage.ts'
import { LICENCE_OUVERTE } from './platform/http/csv.ts'
import { join } from 'node:path'
import { outboxDir } from './bootstrap.ts'
import accounts from './modules/accounts/index.ts'
import { backgroundWork } from './background.ts'
import home from './modules/home/index.ts'
import membership from './modules/membership/index.ts'
import plans from './modules/plans/index.ts'
import referentiel from './modules/referentiel/index.ts'
import assessments from './modules/assessments/index.ts'
import consultations from './modules/consultations/index.ts'
import events from './modules/events/index.ts'
import assemblies from './modules/assemblies/index.ts'
import moderation from './modules/moderation/index.ts'
import questions from './modules/questions/index.ts'
import groups from './modules/groups/index.ts'
import texts from './modules/texts/index.ts'
import follows from './modules/follows/index.ts'
import { startJobWorker, type JobWorker } from './platform/jobs.ts'
import territories from './modules/territories/index.ts'
import { Type } from 'typebox'

export interface RegisteredRoute {
  method: string
  url: string
  /** left out of the OpenAPI document (HTML pages and forms) */
  hidden: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    /** every route of the application, in registration order */
    routeList: readonly RegisteredRoute[]
  }
}

export interface BuildAppOptions {
  config: Config
  /** An opened, migrated database; the app closes it when it closes. */
  database: Database
  logger: Logger
  /** Replaces the configured mailer (tests read mail from an outbox of their own). */
  mailer?: Mailer
}

/** Builds the whole application without listening (tests inject requests into it). */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config, database } = options
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    // one line per request, written when it is answered (below), instead of Fastify's two
    disableRequestLogging: true,
    trustProxy: config.trustProxy,
    bodyLimit: BODY_LIMIT,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } },
  })
  // every route, as registered: tests walk them all (malformed bodies, exports), the logger reads their config
  const routeList: RegisteredRoute[] = []
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      if (method !== 'HEAD')
        routeList.push({
          method,
          url: route.url,
          hidden: Boolean((route.schema as { hide?: boolean } | undefined)?.hide),
        })
  })
  app.decorate('routeList', routeList)
  app.addHook('onResponse', (req, reply, done) => {
    req.log.info(
      { req, res: { statusCode: reply.statusCode }, responseTime: Math.round(reply.elapsedTime * 10) / 10 },
      'request completed',
    )
    done()
  })
  // a visitor gone before the answer: logged too, since no answer will be
  app.addHook('onRequestAbort', (req, done) => {
    req.log.info({ req }, 'request aborted')
    done()
  })
  const mailer =
    options.mailer ??
    createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: outboxDir(config), log: app.log })
  app.decorate('platform', {
    config,
    database,
    mailer,
    tokens: new TokenSigner(config.sessionSecret),
    files: folderFileStore(join(config.dataDir, 'files')),
    log: app.log,
    ballots: new Sealer(config.sessionSecret, 'ballots'),
    search: new SearchRegistry(),
    resources: platformResources(),
    reads: new ReadCache({ maxEntries: 10_000, maxAgeMs: 60_000 }),
  })
  let worker: JobWorker | undefined
  app.addHook('onClose', async () => {
    await worker?.stop()
    await database.close()
  })

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Territoires Hautement Citoyens — API ouverte',
        version: '1.0.0',
        description:
          'Open data of the platform: territory registry (and, as features land, action plans, dashboards, référentiel). Public data under Licence Ouverte 2.0.',
        license: { name: 'Licence Ouverte 2.0 (data)', url: LICENCE_OUVERTE },
      },
      servers: [{ url: config.baseUrl.origin }],
      tags: [
        { name: 'territories', description: 'Communes, EPCI, EPT, départements, régions and other territories' },
        { name: 'action plans', description: 'Action plans, dashboards and their tamper-evident history' },
        { name: 'network', description: 'Member territories of the network and the programme' },
        { name: 'assemblies', description: 'Citizens’ assemblies: the lottery and its verifiable draw' },
        { name: 'operations' },
      ],
    },
  })
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, uiConfig: { docExpansion: 'list' } })
  await app.register(kernelPlugin)

  app.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  )
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the database answers',
        response: {
          200: Type.Object({ status: Type.Literal('ready'), database: Type.String() }),
          503: Type.Object({ status: Type.Literal('unavailable'), database: Type.String() }),
        },
      },
    },
    async (_req, reply) => {
      try {
        await database.ping()
        return { status: 'ready' as const, database: database.engine }
      } catch {
        return reply.code(503).send({ status: 'unavailable' as const, database: database.engine })
      }
    },
  )

  await app.register(home)
  await app.register(territories)
  await app.register(accounts)
  await app.register(plans)
  await app.register(membership)
  await app.register(referentiel)
  await app.register(assessments)
  await app.register(consultations)
  await app.register(questions)
  await app.register(groups)
  await app.register(texts)
  await app.register(moderation)
  await app.register(events)
  await app.register(follows)
  await app.register(assemblies)

  // background work in this process: account and immediate mails, digests, reminders, history heads
  const work = backgroundWork({
    db: database.db,
    mailer,
    tokens: app.platform.tokens,
    baseUrl: config.baseUrl,
    resources: app.platform.resources,
  })
  worker = startJobWorker({
    db: database.db,
    log: app.log,
    intervalMs: config.jobPollSeconds * 1000,
    handlers: work.handlers,
    periodic: work.periodic,
  })
  app.decorate('jobs', worker)
  return app
}
