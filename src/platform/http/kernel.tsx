import { join } from 'node:path'
import cookie from '@fastify/cookie'
import csrf from '@fastify/csrf-protection'
import formbody from '@fastify/formbody'
import multipart from '@fastify/multipart'
import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import secureSession from '@fastify/secure-session'
import fastifyStatic from '@fastify/static'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { VNode } from 'preact'
import { renderToString } from 'preact-render-to-string'
import { createHash } from 'node:crypto'
import { loadCurrentUser, type CurrentUser } from '../auth/current-user.ts'
import { pgErrorCode } from '../db/index.ts'
import { AppError } from '../errors.ts'
import { isLocale, isMessageKey, translator, type Locale, type Translate } from '../i18n/index.ts'
import { PageContext, type FlashMessage, type PageContextValue } from '../layout/context.ts'
import { Layout } from '../layout/layout.tsx'
import { ErrorPage } from './error-page.tsx'
import type { Platform } from './platform.ts'
import type { JobWorker } from '../jobs.ts'

declare module 'fastify' {
  interface FastifyInstance {
    platform: Platform
    /** background jobs of this process; tests run a pass with `app.jobs.tick()` */
    jobs: JobWorker
  }
  interface FastifyRequest {
    user: CurrentUser | null
    locale: Locale
    t: Translate
    /** Queues a message shown on the next page this person sees (after a redirect). */
    flash(kind: FlashMessage['kind'], text: string): void
    /** Files of a multipart form, with their names. */
    uploads: { field: string; filename: string; bytes: Buffer }[] | null
  }
  interface FastifyContextConfig {
    /**
     * The route is authorised by a signed token in its URL, not by a session (one-click unsubscribe from a
     * mail client, RFC 8058): no CSRF token is asked for.
     */
    signedLink?: boolean
  }
  interface FastifyReply {
    /** Renders a full page in the platform's layout. */
    page(title: string, body: VNode, status?: number): FastifyReply
    /** Renders a piece of page without the layout (htmx swaps). */
    fragment(body: VNode, status?: number): FastifyReply
  }
}

declare module '@fastify/secure-session' {
  interface SessionData {
    uid: string
    sv: number
    flash: FlashMessage[]
    _csrf: string
  }
}

const ROOT = join(import.meta.dirname, '..', '..', '..')
/** The largest file a form may send (evidence of a progress update). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024
/** a catalogue import sends its Markdown files together */
export const MAX_UPLOAD_FILES = 80
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

function pageContext(req: FastifyRequest, reply: FastifyReply): PageContextValue {
  const flashes = req.session.get('flash') ?? []
  if (flashes.length > 0) req.session.set('flash', undefined)
  let token: string | null = null
  return {
    t: req.t,
    locale: req.locale,
    user: req.user && { id: req.user.id, displayName: req.user.displayName, isPlatformAdmin: req.user.isPlatformAdmin },
    currentUrl: req.url,
    demo: req.server.platform.config.demoData,
    flashes,
    csrfToken: () => (token ??= reply.generateCsrf()),
  }
}

function wantsJson(req: FastifyRequest): boolean {
  if (req.url.startsWith('/api/')) return true
  const accept = req.headers.accept ?? ''
  return accept.includes('application/json') && !accept.includes('text/html')
}

interface PublicError {
  status: number
  code: string
  message: string
  fields?: Record<string, string>
}

/** Maps any error to what the person may read; 5xx details stay in the log. */
function toPublicError(error: FastifyError | AppError | Error, t: Translate): PublicError {
  if (error instanceof AppError) {
    const key = `error.${error.code}`
    const message = error.status < 500 ? error.userMessage : t('error.INTERNAL')
    const translated = isMessageKey(key) && error.code !== 'BAD_REQUEST' ? t(key) : message
    return { status: error.status, code: error.code, message: translated, ...(error.fields ? { fields: error.fields } : {}) }
  }
  const fe = error as FastifyError & { code?: string }
  if (fe.code === 'FST_CSRF_MISSING_SECRET' || fe.code === 'FST_CSRF_INVALID_TOKEN') {
    return { status: 403, code: 'CSRF', message: t('error.CSRF') }
  }
  if (fe.validation) {
    return { status: 400, code: 'BAD_REQUEST', message: `${t('error.BAD_REQUEST')} ${fe.message}` }
  }
  // PostgreSQL errors that mean bad input, not a fault: invalid text for a type, a check, a duplicate
  const pgCode = pgErrorCode(error)
  if (pgCode === '22P02' || pgCode === '23514' || pgCode === '22001') {
    return { status: 400, code: 'BAD_REQUEST', message: t('error.BAD_REQUEST') }
  }
  if (pgCode === '23505') return { status: 409, code: 'CONFLICT', message: t('error.BAD_REQUEST') }
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500
  if (status === 429) return { status, code: 'RATE_LIMITED', message: t('error.RATE_LIMITED') }
  if (status >= 400 && status < 500) {
    return { status, code: fe.code ?? 'BAD_REQUEST', message: `${t('error.BAD_REQUEST')} ${fe.message}` }
  }
  return { status: 500, code: 'INTERNAL', message: t('error.INTERNAL') }
}

async function kernel(app: FastifyInstance) {
  const { config } = app.platform
  const secure = config.baseUrl.protocol === 'https:'

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: secure ? [] : null,
      },
    },
    strictTransportSecurity: secure,
  })
  await app.register(formbody, { bodyLimit: 64 * 1024 })
  // file uploads (CSV imports, Markdown files): fields and file buffered into req.body before the CSRF check
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: MAX_UPLOAD_BYTES, files: MAX_UPLOAD_FILES, fields: 30, parts: 30 + MAX_UPLOAD_FILES },
    // keyValues keeps only the bytes: remember the file's name and declared type beside them
    async onFile(this: FastifyRequest, part) {
      // several files at once only for the network's team (the catalogue's Markdown import); one for others
      if ((this.uploads?.length ?? 0) >= (this.user?.isPlatformAdmin ? MAX_UPLOAD_FILES : 1)) {
        part.file.resume()
        throw new AppError('TOO_MANY_FILES', { status: 413, userMessage: 'Un seul fichier à la fois.' })
      }
      const bytes = await part.toBuffer()
      this.uploads = [...(this.uploads ?? []), { field: part.fieldname, filename: part.filename, bytes }]
    },
  })
  await app.register(cookie)
  await app.register(secureSession, {
    key: createHash('sha256').update(`thc-session:${config.sessionSecret}`).digest(),
    cookieName: 'thc_session',
    cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: 60 * 60 * 24 * 14 },
    expiry: 60 * 60 * 24 * 14,
  })
  await app.register(csrf, { sessionPlugin: '@fastify/secure-session' })
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () =>
      new AppError('RATE_LIMITED', { status: 429, userMessage: 'Trop de tentatives. Réessayez dans quelques minutes.' }),
  })
  await app.register(fastifyStatic, { root: join(ROOT, 'public'), prefix: '/assets/', maxAge: '1h' })
  await app.register(fastifyStatic, {
    root: join(ROOT, 'node_modules', 'htmx.org', 'dist'),
    prefix: '/assets/js/',
    allowedPath: (path) => path === '/htmx.min.js',
    decorateReply: false,
    maxAge: '1d',
  })

  app.decorateRequest('user', null)
  app.decorateRequest('uploads', null)
  app.decorateRequest('locale', 'fr')
  app.decorateRequest('t', translator('fr'))
  app.decorateRequest('flash', function (this: FastifyRequest, kind: FlashMessage['kind'], text: string) {
    this.session.set('flash', [...(this.session.get('flash') ?? []), { kind, text }])
  })

  app.addHook('onRequest', async (req) => {
    if (req.url.startsWith('/assets/')) return
    req.user = await loadCurrentUser(app.platform.database.db, req.session.get('uid'), req.session.get('sv'))
    if (req.session.get('uid') && !req.user) req.session.delete() // ended elsewhere: forget it
    const chosen = req.cookies.lang
    req.locale = isLocale(chosen) ? chosen : (req.user?.locale ?? 'fr')
    req.t = translator(req.locale)
    // files are read into memory before the route runs: only signed-in people may send them
    if (!req.user && /^multipart\//i.test(req.headers['content-type'] ?? '')) throw new AppError('UNAUTHORIZED', { status: 401, userMessage: 'Connectez-vous pour envoyer un fichier.' })
  })

  // Every form that changes something carries the CSRF token; checked once the body is parsed.
  app.addHook('preHandler', (req, reply, done) => {
    if (SAFE_METHODS.has(req.method) || req.routeOptions.config.signedLink) return done()
    app.csrfProtection(req, reply, done)
  })

  // Anonymous pages are the same for everyone (per language); anything tied to a session is private.
  app.addHook('onSend', async (req, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '')
    if (!type.startsWith('text/html') && !type.startsWith('application/json')) return payload
    reply.header('vary', 'Cookie')
    if (reply.getHeader('cache-control')) return payload
    const personal = Boolean(req.cookies.thc_session) || reply.hasHeader('set-cookie') || req.method !== 'GET'
    reply.header('cache-control', personal || reply.statusCode >= 400 ? 'private, no-store' : 'public, max-age=60')
    return payload
  })

  app.decorateReply('page', function (this: FastifyReply, title: string, body: VNode, status = 200) {
    const context = pageContext(this.request, this)
    const html = renderToString(
      <PageContext.Provider value={context}>
        <Layout title={title}>{body}</Layout>
      </PageContext.Provider>,
    )
    return this.code(status).type('text/html; charset=utf-8').send(`<!doctype html>${html}`)
  })

  app.decorateReply('fragment', function (this: FastifyReply, body: VNode, status = 200) {
    const context = pageContext(this.request, this)
    const html = renderToString(<PageContext.Provider value={context}>{body}</PageContext.Provider>)
    return this.code(status).type('text/html; charset=utf-8').send(html)
  })

  app.setErrorHandler((error: FastifyError, req, reply) => {
    const t = req.t ?? translator('fr')
    const publicError = toPublicError(error, t)
    if (publicError.status >= 500) req.log.error({ err: error }, 'request failed')
    else req.log.info({ code: publicError.code, status: publicError.status }, 'request refused')
    if (publicError.status === 401 && req.method === 'GET' && !wantsJson(req)) {
      req.flash('notice', t('auth.signin.required'))
      return reply.redirect(`/connexion?next=${encodeURIComponent(req.url)}`, 303)
    }
    if (publicError.status === 429 && error instanceof AppError) reply.header('retry-after', '900')
    if (wantsJson(req)) {
      return reply.code(publicError.status).send({ error: { code: publicError.code, message: publicError.message, ...(publicError.fields ? { fields: publicError.fields } : {}) } })
    }
    return reply.page(t('error.title'), <ErrorPage status={publicError.status} message={publicError.message} />, publicError.status)
  })

  app.setNotFoundHandler((req, reply) => {
    const t = req.t
    if (wantsJson(req)) return reply.code(404).send({ error: { code: 'NOT_FOUND', message: t('error.NOT_FOUND') } })
    return reply.page(t('error.NOT_FOUND'), <ErrorPage status={404} message={t('error.NOT_FOUND')} lead={t('error.notFound.lead')} />, 404)
  })
}

/** The shared web kernel: security headers, sessions, CSRF, rate limits, locale, current user, pages, errors. */
export const kernelPlugin = fp(kernel, { name: 'thc-kernel' })
