import type { FastifyReply } from 'fastify'
import type { Locale } from '../i18n/index.ts'

/** Keeps the person's language for a year, signed in or not (a plain preference, not tracking). */
export function rememberLocale(reply: FastifyReply, locale: Locale): void {
  reply.setCookie('lang', locale, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 86400 })
}
