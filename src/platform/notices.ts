import { sql } from 'drizzle-orm'
import { queryRows, type Db } from './db/index.ts'
import { translator, type Locale, type MessageKey } from './i18n/index.ts'
import { enqueueJob, type JobHandler } from './jobs.ts'
import type { Mailer } from './mail.ts'
import { dateTimeFormat } from './intl.ts'

/**
 * Mail to the person a decision concerns (their question published, their membership refused, their seat on an
 * event…): queued in the writer's transaction, so it leaves exactly when the decision is committed, and written
 * when sent, in the reader's language. These are service messages about the person's own doings, not
 * subscriptions: each says why it was sent and where to manage the follow-ups the platform offers.
 */
export const NOTICE_JOB = 'notice.mail'

export interface Notice {
  /** an account (its address and language are read when the mail leaves: a deleted account gets nothing) */
  userId?: string
  /** or an address without an account (an assembly's volunteer), in the language they used */
  email?: string
  locale?: Locale
  subject: MessageKey
  body: MessageKey
  /** the message's parameters; the platform's address is added as {site} */
  params?: Record<string, string | number>
  /** instants (ISO) written as the reader's language writes a day and time in Paris */
  instants?: Record<string, string>
  /** days (YYYY-MM-DD) written as the reader's language writes them */
  days?: Record<string, string>
  /** the page the mail points to, on this platform */
  path: string
  /** an iCalendar file to join (an event's) */
  ics?: { filename: string; content: string }
}

/** Queues a notice; with `uniqueKey`, a second notice with the same key is not queued (a retried fan-out). */
export async function queueNotice(db: Db, notice: Notice, uniqueKey?: string): Promise<void> {
  await enqueueJob(db, {
    kind: NOTICE_JOB,
    payload: notice as unknown as Record<string, unknown>,
    ...(uniqueKey ? { uniqueKey } : {}),
  })
}

async function sendNotice(deps: { db: Db; mailer: Mailer; baseUrl: string }, notice: Notice): Promise<void> {
  let to = notice.email ?? null
  let locale: Locale = notice.locale ?? 'fr'
  if (notice.userId) {
    const [user] = await queryRows<{ email: string | null; locale: string; deleted: boolean }>(
      deps.db,
      sql`select email, locale, deleted_at is not null as deleted from users where id = ${notice.userId}`,
    )
    if (!user || user.deleted || !user.email) return
    to = user.email
    locale = user.locale === 'en' ? 'en' : 'fr'
  }
  if (!to) return
  const t = translator(locale)
  const tag = locale === 'fr' ? 'fr-FR' : 'en-GB'
  const instant = dateTimeFormat(tag, { dateStyle: 'full', timeStyle: 'short', timeZone: 'Europe/Paris' })
  const day = dateTimeFormat(tag, { dateStyle: 'long', timeZone: 'UTC' })
  const params: Record<string, string | number> = { ...notice.params, site: deps.baseUrl }
  for (const [name, value] of Object.entries(notice.instants ?? {})) params[name] = instant.format(new Date(value))
  for (const [name, value] of Object.entries(notice.days ?? {}))
    params[name] = day.format(new Date(`${value}T00:00:00Z`))
  const link = new URL(notice.path, deps.baseUrl).toString()
  await deps.mailer.send({
    to,
    subject: t(notice.subject, params),
    text: `${t(notice.body, params)}\n\n${link}\n\n-- \n${t('notice.footer', { account: new URL('/compte/abonnements', deps.baseUrl).toString(), privacy: new URL('/confidentialite', deps.baseUrl).toString() })}\n`,
    ...(notice.ics
      ? {
          attachments: [
            {
              filename: notice.ics.filename,
              content: notice.ics.content,
              contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
            },
          ],
        }
      : {}),
  })
}

export function noticeJobHandlers(deps: { db: Db; mailer: Mailer; baseUrl: string }): Record<string, JobHandler> {
  return { [NOTICE_JOB]: (payload) => sendNotice(deps, payload as unknown as Notice) }
}
