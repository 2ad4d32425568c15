/**
 * The security headers of every answer (CSP, HSTS on HTTPS, frame, referrer, cross-origin policies), computed
 * once at start by Helmet and then set as a fixed list: @fastify/helmet rebuilds Helmet's middleware and parses
 * the CSP again for every request, a seventh of the time of a page served from memory.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'
import helmet from 'helmet'

/** The headers Helmet sets for these options, read once from a recording response. */
export function securityHeaders(secure: boolean): [string, string][] {
  const headers = new Map<string, string>()
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : String(value))
    },
    removeHeader: (name: string) => headers.delete(name.toLowerCase()),
  } as unknown as ServerResponse
  const middleware = helmet({
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
  let failure: unknown = null
  middleware({} as IncomingMessage, recorder, (error?: unknown) => {
    failure = error ?? null
  })
  if (failure) throw failure
  return [...headers]
}

/** Sets the security headers on every answer before its route runs (a route may replace one, e.g. a file's CSP). */
export function registerSecurityHeaders(app: FastifyInstance, secure: boolean): void {
  const headers = securityHeaders(secure)
  app.addHook('onRequest', (_req, reply, done) => {
    for (const [name, value] of headers) reply.header(name, value)
    done()
  })
}
