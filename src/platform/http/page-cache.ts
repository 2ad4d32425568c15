/**
 * Anonymous pages kept in memory, so that a spike of visitors on one dashboard costs one rendering, not one per
 * visitor. A page is kept only when it is the same for every visitor: a GET without a session cookie, answered
 * 200 with `cache-control: public`, no cookie set and no CSRF token in it. It is keyed by URL, language and
 * htmx/JSON request, and dropped at the first committed write anywhere (the database's data-change notices,
 * migration 0040) and after `maxAgeMs` (pages that say "late" or "open" change with the clock, not with writes).
 * A signed-in person is never served a kept page, and their pages are never kept.
 */
import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { DataChangeWatch } from '../db/index.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** the cache's version when the request arrived, or null when its answer is not to be kept */
    pageCacheVersion: number | null
    /** set on the one request rendering a page others wait for: lets them go once its answer is sent */
    pageCacheRelease: (() => void) | null
  }
  interface FastifyContextConfig {
    /** false: this route's answers are never kept (they change with something else than the data) */
    pageCache?: boolean
  }
}

interface KeptPage {
  version: number
  storedAt: number
  headers: Record<string, string>
  body: Buffer
  etag: string
}

/** Headers a kept page does not carry to the next visitor: the server sets them again, or they were personal. */
const NOT_KEPT = new Set(['set-cookie', 'content-length', 'date', 'connection', 'transfer-encoding', 'etag', 'age'])

/** A session cookie makes every page personal (a signed-in person, a pending flash message, a form's secret). */
const SESSION_COOKIE = 'thc_session'

/** Pages larger than this are rendered for each visitor (a full export is streamed, not kept). */
const MAX_PAGE_BYTES = 2 * 1024 * 1024

/** Longest a visitor waits for another's rendering of the same page before rendering it too. */
const MAX_WAIT_MS = 10_000

export class PageCache {
  #version = 0
  #bytes = 0
  readonly #pages = new Map<string, KeptPage>()

  constructor(readonly options: { maxBytes: number; maxAgeMs: number; now?: () => number }) {}

  get version(): number {
    return this.#version
  }

  get size(): number {
    return this.#pages.size
  }

  /** Forgets every page: something they may show has changed. */
  invalidate(): void {
    this.#version += 1
    this.#pages.clear()
    this.#bytes = 0
  }

  get(key: string): KeptPage | null {
    const page = this.#pages.get(key)
    if (!page) return null
    if (page.version !== this.#version || this.#now() - page.storedAt > this.options.maxAgeMs) {
      this.#forget(key, page)
      return null
    }
    // most recently used last: the first entries are the ones to evict
    this.#pages.delete(key)
    this.#pages.set(key, page)
    return page
  }

  /** Keeps a page rendered from the data of `version`, unless a write came since. */
  set(key: string, version: number, headers: Record<string, string>, body: Buffer): string | null {
    if (version !== this.#version || body.length > Math.min(MAX_PAGE_BYTES, this.options.maxBytes)) return null
    const previous = this.#pages.get(key)
    if (previous) this.#forget(key, previous)
    const etag = `"${createHash('sha1').update(body).digest('base64url')}"`
    this.#pages.set(key, { version, storedAt: this.#now(), headers, body, etag })
    this.#bytes += body.length
    for (const [oldest, page] of this.#pages) {
      if (this.#bytes <= this.options.maxBytes) break
      this.#forget(oldest, page)
    }
    return etag
  }

  #forget(key: string, page: KeptPage) {
    this.#pages.delete(key)
    this.#bytes -= page.body.length
  }

  #now() {
    return this.options.now?.() ?? Date.now()
  }
}

function keyOf(req: FastifyRequest): string {
  const lang = req.cookies.lang === 'en' ? 'en' : 'fr'
  const htmx = req.headers['hx-request'] === 'true' ? 'hx' : ''
  const json = (req.headers.accept ?? '').includes('application/json') ? 'json' : ''
  return `${lang} ${htmx} ${json} ${req.url}`
}

function keepable(req: FastifyRequest): boolean {
  const config = req.routeOptions.config
  return (
    req.method === 'GET' &&
    !req.cookies[SESSION_COOKIE] &&
    !req.url.startsWith('/assets/') &&
    config.pageCache !== false &&
    !config.signedLink &&
    !config.secretQuery?.length &&
    req.routeOptions.url !== undefined // an unknown address: its 404 is not kept
  )
}

function serve(req: FastifyRequest, reply: FastifyReply, page: KeptPage, now: number): FastifyReply {
  reply.headers(page.headers)
  reply.header('etag', page.etag)
  reply.header('age', String(Math.floor((now - page.storedAt) / 1000)))
  reply.header('x-page-cache', 'hit')
  const match = req.headers['if-none-match']
  if (match?.split(',').some((tag) => tag.trim() === page.etag)) return reply.code(304).send()
  return reply.code(200).send(page.body)
}

/**
 * Serves kept pages before anything else runs for the request (no session read, no query, no rendering), keeps
 * the answers that may be kept, and drops everything at each committed write. Visitors asking for a page while it
 * is being rendered wait for that rendering. `watch` is the database's
 * data-change watch: while it is interrupted, nothing is served from memory.
 */
export function registerPageCache(app: FastifyInstance, cache: PageCache, watch: DataChangeWatch): void {
  app.decorateRequest('pageCacheVersion', null)
  app.decorateRequest('pageCacheRelease', null)
  // Pages being rendered, by version and key: visitors who arrive meanwhile wait for that rendering instead of
  // starting their own, so that a spike right after a write costs one rendering, not one per visitor.
  const rendering = new Map<string, Promise<void>>()

  app.addHook('onRequest', async (req, reply) => {
    if (!keepable(req) || !watch.watching()) return
    await watch.sync() // a write committed elsewhere before this request arrived has dropped the pages by now
    const key = keyOf(req)
    const now = () => cache.options.now?.() ?? Date.now()
    const page = cache.get(key)
    if (page) return serve(req, reply, page, now())
    const version = cache.version
    const lead = `${version} ${key}`
    const underway = rendering.get(lead)
    if (underway) {
      await underway
      const rendered = cache.get(key) // null when that answer could not be kept: this visitor's own is rendered
      if (rendered) return serve(req, reply, rendered, now())
    }
    req.pageCacheVersion = version
    if (!rendering.has(lead)) {
      let release = () => {}
      const done = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, MAX_WAIT_MS)
        timer.unref()
        release = () => {
          clearTimeout(timer)
          if (rendering.get(lead) === done) rendering.delete(lead)
          resolve()
        }
      })
      rendering.set(lead, done)
      req.pageCacheRelease = release
    }
  })

  // the waiting visitors go on once the answer is sent, whatever it was (kept, not keepable, an error, aborted)
  const release = async (req: FastifyRequest) => {
    req.pageCacheRelease?.()
    req.pageCacheRelease = null
  }
  app.addHook('onResponse', release)
  app.addHook('onRequestAbort', release)

  app.addHook('onSend', async (req, reply, payload) => {
    const version = req.pageCacheVersion
    if (version === null || reply.statusCode !== 200 || reply.hasHeader('set-cookie')) return payload
    // a route's own cache-control decides; without one, the kernel makes pages and JSON public (it runs later)
    const control = reply.getHeader('cache-control')
    const type = String(reply.getHeader('content-type') ?? '')
    if (control ? !String(control).startsWith('public') : !/^(text\/html|application\/json)/.test(type)) return payload
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload // streamed: not kept
    const body = typeof payload === 'string' ? Buffer.from(payload) : payload
    if (body.includes('name="_csrf"')) return payload
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(reply.getHeaders()))
      if (value !== undefined && !NOT_KEPT.has(name))
        headers[name] = Array.isArray(value) ? value.join(', ') : String(value)
    const etag = cache.set(keyOf(req), version, headers, body)
    if (etag) reply.header('etag', etag)
    reply.header('x-page-cache', 'miss')
    return payload
  })
}
