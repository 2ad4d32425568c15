import { join } from 'node:path'
import cookie from '@fastify/cookie'
import csrf from '@fastify/csrf-protection'
import formbody from '@fastify/formbody'
import multipart from '@fastify/multipart'
import rateLimit from '@fastify/rate-limit'
import secureSession from '@fastify/secure-session'
import fastifyStatic from '@fastify/static'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { VNode } from 'preact'
import { renderToString } from 'preact-render-to-string'
import { createHash } from 'node:crypto'
import type { CurrentUser } from '../auth/current-user.ts'
import { sessionUser } from '../auth/sessions.ts'
import { AppError } from '../errors.ts'
import { isLocale, translator, type Locale, type Translate } from '../i18n/index.ts'
import { PageContext, type FlashMessage, type PageContextValue } from '../layout/context.ts'
import { Layout } from '../layout/layout.tsx'
import { ErrorPage } from './error-page.tsx'
import type { Platform } from './platform.ts'
import type { JobWorker } from '../jobs.ts'
import { megabytes, uploadLimitOf, toPublicError, isMultipart } from './public-errors.ts'
import { FORM_BODY_LIMIT, MAX_ROUTE_UPLOAD_BYTES, MAX_UPLOAD_FILES } from './limits.ts'
import { PageCache, registerPageCache } from './page-cache.ts'
import { registerSecurityHeaders } from './security-headers.ts'

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
    /** Set once the body is parsed and checked: an error before it is about the request, not the platform. */
    handlerStarted: boolean
    /** Files of a multipart form, with their names. */
    /** files sent with a multipart form: `filename` is the file's name, `path` its path in a folder sent whole */
    uploads: { field: string; filename: string; path: string; bytes: Buffer }[] | null
  }
  interface FastifyContextConfig {
    /**
     * The route is authorised by a signed token in its URL, not by a session (one-click unsubscribe from a
     * mail client, RFC 8058): no CSRF token is asked for.
     */
    signedLink?: boolean
    /**
     * Query parameters that carry a secret (a signed link's token): read only through `secretQueryParam`, which
     * refuses any other name, and never logged (no query value is).
     */
    secretQuery?: readonly string[]
    /** the largest file this route takes (MAX_UPLOAD_BYTES when absent, MAX_ROUTE_UPLOAD_BYTES at most); with several files, their total */
    uploadLimit?: number
    /**
     * Several files in one form (a folder sent whole), for the network's team only: how many at most, and which
     * names are read — the others are skipped unread, so that a folder's images cost nothing.
     */
    uploadFiles?: { max: number; accept: RegExp }
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
    /** the secret naming this session on the server (user_sessions) */
    sid: string
    flash: FlashMessage[]
    _csrf: string
  }
}

const ROOT = join(import.meta.dirname, '..', '..', '..')

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** A kept anonymous page is rendered again after this long at most, as the `max-age` given to proxies. */
const PAGE_MAX_AGE_MS = 60_000

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

/** NUL and other control characters (but tab and line breaks), and U+FFFD: what undecodable bytes become. */
const INVALID_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/

/** True when a parsed body, query or parameter holds text no person types: control characters, or bytes that were not UTF-8. */
/** Tables whose writes no anonymous page shows: they leave the kept pages alone. */
const NOT_ON_PUBLIC_PAGES = new Set(['user_sessions'])

export function holdsInvalidText(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return INVALID_TEXT.test(value)
  if (depth > 8 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return false
  for (const [key, inner] of Object.entries(value as Record<string, unknown>))
    if (INVALID_TEXT.test(key) || holdsInvalidText(inner, depth + 1)) return true
  return false
}

async function kernel(app: FastifyInstance) {
  const { config } = app.platform
  const secure = config.baseUrl.protocol === 'https:'

  registerSecurityHeaders(app, secure)
  await app.register(formbody, { bodyLimit: FORM_BODY_LIMIT })
  // file uploads (CSV imports, Markdown files): fields and file buffered into req.body before the CSRF check
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: MAX_ROUTE_UPLOAD_BYTES, files: MAX_UPLOAD_FILES, fields: 30, parts: 30 + MAX_UPLOAD_FILES },
    // keyValues keeps only the bytes: remember the file's name and declared type beside them
    async onFile(this: FastifyRequest, part) {
      const several = this.routeOptions.config.uploadFiles
      const path = part.filename.replace(/\\/g, '/')
      if (several && !several.accept.test(path)) {
        part.file.resume() // not a file this route reads: skipped unread
        return
      }
      const max = several && this.user?.isPlatformAdmin ? Math.min(several.max, MAX_UPLOAD_FILES) : 1
      if ((this.uploads?.length ?? 0) >= max) {
        part.file.resume()
        throw new AppError('TOO_MANY_FILES', {
          status: 413,
          userMessage: `Trop de fichiers à la fois : ${max} au plus.`,
          localized: (t) => t('error.TOO_MANY_FILES', { max }),
        })
      }
      const bytes = await part.toBuffer()
      const limit = uploadLimitOf(this)
      const total = (this.uploads ?? []).reduce((sum, u) => sum + u.bytes.length, bytes.length)
      if (total > limit)
        throw new AppError('FILE_TOO_LARGE', {
          status: 413,
          userMessage: `Le fichier dépasse ${megabytes(limit)} Mo.`,
          localized: (t) => t('error.FILE_TOO_LARGE', { limit: megabytes(limit) }),
        })
      this.uploads = [
        ...(this.uploads ?? []),
        { field: part.fieldname, filename: path.split('/').at(-1) ?? path, path, bytes },
      ]
    },
    // a folder sent whole names each file by its path in the folder (`_usage/afb.md`); nothing is written to disk
    preservePath: true,
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
      new AppError('RATE_LIMITED', {
        status: 429,
        userMessage: 'Trop de tentatives. Réessayez dans quelques minutes.',
      }),
  })
  await app.register(fastifyStatic, { root: join(ROOT, 'public'), prefix: '/assets/', maxAge: '1h' })
  await app.register(fastifyStatic, {
    root: join(ROOT, 'node_modules', 'htmx.org', 'dist'),
    prefix: '/assets/js/',
    allowedPath: (path) => path === '/htmx.min.js',
    decorateReply: false,
    maxAge: '1d',
  })

  app.addHook('onRoute', assertSecretQueryDeclared)

  app.decorateRequest('user', null)
  app.decorateRequest('uploads', null)
  app.decorateRequest('handlerStarted', false)
  app.decorateRequest('locale', 'fr')
  app.decorateRequest('t', translator('fr'))
  app.decorateRequest('flash', function (this: FastifyRequest, kind: FlashMessage['kind'], text: string) {
    this.session.set('flash', [...(this.session.get('flash') ?? []), { kind, text }])
  })

  // what is kept between writes (anonymous pages, shared reads) is dropped at each committed write to what it shows
  const pages =
    config.pageCacheMegabytes > 0
      ? new PageCache({ maxBytes: config.pageCacheMegabytes * 1024 * 1024, maxAgeMs: PAGE_MAX_AGE_MS })
      : null
  const watch = await app.platform.database.watchDataChanges((table) => {
    if (!table || !NOT_ON_PUBLIC_PAGES.has(table)) pages?.invalidate()
    app.platform.reads.invalidate(table)
  })
  app.addHook('onClose', () => watch.stop())
  app.platform.reads.watchWith(watch)
  // anonymous pages are served before the session is read
  if (pages) registerPageCache(app, pages, watch)

  app.addHook('onRequest', async (req) => {
    if (req.url.startsWith('/assets/')) return
    req.user = await sessionUser(app.platform.database.db, req.session.get('sid'), { reads: app.platform.reads })
    if (req.session.get('sid') && !req.user) req.session.delete() // ended elsewhere, or expired: forget it
    const chosen = req.cookies.lang
    req.locale = isLocale(chosen) ? chosen : (req.user?.locale ?? 'fr')
    req.t = translator(req.locale)
    // files are read into memory before the route runs: only signed-in people may send them
    if (!req.user && isMultipart(req))
      throw new AppError('UNAUTHORIZED', { status: 401, userMessage: 'Connectez-vous pour envoyer un fichier.' })
    if (isMultipart(req) && !/;\s*boundary=/i.test(req.headers['content-type'] ?? ''))
      throw new AppError('MALFORMED_BODY', {
        status: 400,
        userMessage: 'Le formulaire envoyé est incomplet ou mal formé.',
      })
  })

  // Text no person types (a NUL byte, other control characters, bytes that were not UTF-8) is refused before any
  // route sees it, whatever the field: the database would refuse a NUL, and U+FFFD is damage, never data.
  app.addHook('preValidation', async (req) => {
    const names = req.uploads?.map((u) => u.filename) ?? []
    if (
      holdsInvalidText(req.body) ||
      holdsInvalidText(req.query) ||
      holdsInvalidText(req.params) ||
      holdsInvalidText(names)
    ) {
      throw new AppError('INVALID_CHARACTERS', {
        status: 400,
        userMessage: 'Le texte envoyé contient des caractères invalides.',
      })
    }
  })

  app.addHook('preHandler', async (req) => {
    req.handlerStarted = true
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
    const publicError = toPublicError(error, t, req)
    if (publicError.status >= 500) req.log.error({ err: error }, 'request failed')
    else req.log.info({ code: publicError.code, status: publicError.status }, 'request refused')
    if (publicError.status === 401 && req.method === 'GET' && !wantsJson(req)) {
      req.flash('notice', t('auth.signin.required'))
      return reply.redirect(`/connexion?next=${encodeURIComponent(req.url)}`, 303)
    }
    if (publicError.status === 429 && error instanceof AppError) reply.header('retry-after', '900')
    if (wantsJson(req)) {
      return reply.code(publicError.status).send({
        error: {
          code: publicError.code,
          message: publicError.message,
          ...(publicError.fields ? { fields: publicError.fields } : {}),
        },
      })
    }
    return reply.page(
      t('error.title'),
      <ErrorPage status={publicError.status} message={publicError.message} />,
      publicError.status,
    )
  })

  app.setNotFoundHandler((req, reply) => {
    const t = req.t
    if (wantsJson(req)) return reply.code(404).send({ error: { code: 'NOT_FOUND', message: t('error.NOT_FOUND') } })
    return reply.page(
      t('error.NOT_FOUND'),
      <ErrorPage status={404} message={t('error.NOT_FOUND')} lead={t('error.notFound.lead')} />,
      404,
    )
  })
}

/** Refuses, at registration, a route authorised by a signed link that does not name its secret parameter. */
export function assertSecretQueryDeclared(route: { url: string; config?: unknown }): void {
  const config = route.config as { signedLink?: boolean; secretQuery?: readonly string[] } | undefined
  if (config?.signedLink && !config.secretQuery?.length)
    throw new Error(
      `${route.url}: a route authorised by a signed link names its secret parameter in config.secretQuery`,
    )
}

/**
 * A signed link's token from the query string. The route must name the parameter in `config.secretQuery`: a route
 * that reads a secret without saying so is a programming error, caught by its first test.
 */
export function secretQueryParam(req: FastifyRequest, name: string): string {
  if (!req.routeOptions.config.secretQuery?.includes(name))
    throw new Error(
      `${req.routeOptions.url} reads the secret query parameter "${name}" without declaring it in config.secretQuery`,
    )
  const value = (req.query as Record<string, unknown> | undefined)?.[name]
  return typeof value === 'string' ? value : ''
}

/** The shared web kernel: security headers, sessions, CSRF, rate limits, locale, current user, pages, errors. */
export const kernelPlugin = fp(kernel, { name: 'thc-kernel' })
