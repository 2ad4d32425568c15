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
