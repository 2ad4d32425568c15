import type { FastifyRequest } from 'fastify'

/**
 * A route's rate limit counted per person and address (anonymous visitors by address alone), per minute: what
 * posting, supporting, reporting and following use, on top of the database's own one-per-person rules.
 */
export function perPersonLimit(max: number) {
  return {
    max,
    timeWindow: '1 minute',
    keyGenerator: (req: FastifyRequest) => `${req.user?.id ?? 'anonymous'}:${req.ip}`,
  }
}

/** The largest body of a request, and of an urlencoded form (files go as multipart, with their own limits). */
export const BODY_LIMIT = 256 * 1024

export const FORM_BODY_LIMIT = 64 * 1024

/** The largest file a form may send (evidence of a progress update), unless its route says otherwise (`config.uploadLimit`). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024

/** The largest a route may allow: whole OGP sheets and Participedia exports */
export const MAX_ROUTE_UPLOAD_BYTES = 50 * 1024 * 1024

/** the most files a form may send (a folder sent whole: the participation catalogue's repository) */
export const MAX_UPLOAD_FILES = 5000
