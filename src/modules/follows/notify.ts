import { sql } from 'drizzle-orm'
import type { TokenSigner } from '../../platform/auth/tokens.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { isMessageKey, translator, type Locale, type MessageKey, type Translate } from '../../platform/i18n/index.ts'
import { enqueueJob } from '../../platform/jobs.ts'
import type { Mailer, OutgoingMail } from '../../platform/mail.ts'
import { parisInstant, todayInParis } from '../../platform/paris-time.ts'
import type { ResourceRegistry } from '../../platform/resources.ts'
import type { Frequency } from './service.ts'

export const DIGEST_JOB = 'digest.send'
/** Digests leave at this Paris time: the daily one every day, the weekly one on Mondays. */
export const DIGEST_TIME = '07:00'
const UNSUBSCRIBE_VALID_YEARS = 5
/** a digest lists this many items a subject, then counts the rest (a busy consultation would flood it) */
const DIGEST_ITEMS_PER_SUBJECT = 20

export interface NotifyContext {
  db: Db
  mailer: Mailer
  tokens: TokenSigner
  /** origin of links in mails, without the trailing slash */
  baseUrl: string
  /** names the followed subjects */
  resources: ResourceRegistry
}

/** A link that stops, without signing in, what `scope` names: `consultation:<id>`, `frequency:daily` or `all`. */
export function unsubscribeUrl(ctx: Pick<NotifyContext, 'tokens' | 'baseUrl'>, userId: string, scope: string): string {
  const expiresAt = new Date()
  expiresAt.setFullYear(expiresAt.getFullYear() + UNSUBSCRIBE_VALID_YEARS)
  return `${ctx.baseUrl}/abonnements/desinscription?jeton=${ctx.tokens.sign({ purpose: 'unsubscribe', userId, stamp: scope, expiresAt })}`
}

/** An activity as one line of a mail, in the reader's language. */
function activityLine(t: Translate, kind: string, title: string): string {
  const key = `activity.${kind}`
  return isMessageKey(key) ? t(key as MessageKey, { title }) : title
}

/** SQL: follow `f` brings activity `a` (one of its subjects, since the follow began, not the person's own doing). */
const brings = sql`(f.subject_type || ':' || f.subject_id) = any(a.subjects) and a.created_at >= f.created_at and a.actor_id is distinct from f.user_id`

const followedSubjectColumns = sql`f.subject_type as "subjectType", f.subject_id as "subjectId"`

/**
 * The title and page of each followed subject, named by its module; one no longer public (or gone) is named by
 * the activity that brings it.
 */
async function withSubjects<T extends { subjectType: string; subjectId: string; title: string; path: string }>(
  ctx: NotifyContext,
  rows: T[],
): Promise<(T & { subjectTitle: string; subjectPath: string })[]> {
  const found = await ctx.resources.findAll(
    ctx.db,
    rows.map((r) => ({ type: r.subjectType, id: r.subjectId })),
  )
  return rows.map((r) => {
    const subject = found.get(`${r.subjectType}:${r.subjectId}`)
    return { ...r, subjectTitle: subject?.title ?? r.title, subjectPath: subject?.path ?? r.path }
  })
}

interface Recipient {
  userId: string
  email: string
  locale: Locale
  name: string
}

function mailWith(
  ctx: NotifyContext,
  to: Recipient,
  subject: string,
  lines: string[],
  scopes: { scope: string; title: string }[],
  listScope: string,
): OutgoingMail {
  const t = translator(to.locale)
  const footer = [
    '—',
    ...scopes.map((s) => `${t('follow.mail.stop', { title: s.title })} ${unsubscribeUrl(ctx, to.userId, s.scope)}`),
    `${t('follow.mail.manage')} ${ctx.baseUrl}/compte/abonnements`,
  ]
  const listUrl = unsubscribeUrl(ctx, to.userId, listScope)
  return {
    to: to.email,
    subject,
    text: [t('follow.mail.hello', { name: to.name }), '', ...lines, '', ...footer, ''].join('\n'),
    headers: { 'List-Unsubscribe': `<${listUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  }
}

/**
 * Mails an activity to the people who follow one of its subjects with immediate mails, once each (the
 * delivery row and the mail go together: a failed send is retried with the job, never sent twice).
 */
export async function deliverActivity(ctx: NotifyContext, activityId: number): Promise<number> {
  const unnamed = await queryRows<
    Recipient & {
      kind: string
      title: string
      path: string
      subjectType: string
      subjectId: string
    }
  >(
    ctx.db,
    sql`select distinct on (f.user_id) f.user_id as "userId", u.email, u.locale, u.display_name as name, a.kind, a.title, a.path,
          ${followedSubjectColumns}
        from activities a
        join follows f on f.frequency = 'immediate' and ${brings}
        join users u on u.id = f.user_id and u.deleted_at is null and u.email is not null
        where a.id = ${activityId} and not a.source_hidden
          and not exists (select 1 from notification_deliveries d where d.user_id = f.user_id and d.activity_id = a.id)
        order by f.user_id, array_position(array['consultation', 'text', 'group', 'commitment', 'territory'], f.subject_type)`,
  )
  const recipients = await withSubjects(ctx, unnamed)
  let sent = 0
  for (const r of recipients) {
    await ctx.db.transaction(async (tx) => {
      const fresh = await queryRows(
        tx,
        sql`insert into notification_deliveries (user_id, activity_id, channel) values (${r.userId}, ${activityId}, 'immediate') on conflict do nothing returning user_id`,
      )
      if (fresh.length === 0) return
      const scope = `${r.subjectType}:${r.subjectId}`
      const line = activityLine(translator(r.locale), r.kind, r.title)
      await ctx.mailer.send(
        mailWith(ctx, r, `[THC] ${line}`, [line, `${ctx.baseUrl}${r.path}`], [{ scope, title: r.subjectTitle }], scope),
      )
      sent++
    })
  }
  return sent
}

/**
 * Sends the daily or weekly digest: to each person following something at that frequency, one mail listing
 * what happened up to `cutoff` that no mail brought them yet. Returns the number of mails.
 */
export async function sendDigests(
  ctx: NotifyContext,
  frequency: Exclude<Frequency, 'immediate'>,
  cutoff: Date,
): Promise<number> {
  // a digest looks back a little further than its period, in case the platform was stopped when it was due
  const since = new Date(cutoff.getTime() - (frequency === 'daily' ? 3 : 10) * 86_400_000)
  const unnamed = await queryRows<
    Recipient & {
      activityId: number
      kind: string
      title: string
      path: string
      subjectType: string
      subjectId: string
      subjectTitle: string
      subjectPath: string
      at: string
    }
  >(
    ctx.db,
    sql`select distinct on (f.user_id, a.id) f.user_id as "userId", u.email, u.locale, u.display_name as name, a.id as "activityId", a.kind, a.title, a.path, a.created_at as at,
          ${followedSubjectColumns}
        from follows f
        join activities a on ${brings}
        join users u on u.id = f.user_id and u.deleted_at is null and u.email is not null
        where f.frequency = ${frequency} and a.created_at <= ${cutoff.toISOString()} and a.created_at > ${since.toISOString()} and not a.source_hidden
          and not exists (select 1 from notification_deliveries d where d.user_id = f.user_id and d.activity_id = a.id)
        order by f.user_id, a.id, array_position(array['consultation', 'text', 'group', 'commitment', 'territory'], f.subject_type)`,
  )
  const rows = await withSubjects(ctx, unnamed)
  const byUser = new Map<string, typeof rows>()
  for (const row of rows) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row])
  let sent = 0
  for (const items of byUser.values()) {
    const to = items[0]!
    const t = translator(to.locale)
    const subjects = new Map<string, { title: string; path: string; lines: string[]; more: number }>()
    for (const item of items) {
      const scope = `${item.subjectType}:${item.subjectId}`
      const entry = subjects.get(scope) ?? { title: item.subjectTitle, path: item.subjectPath, lines: [], more: 0 }
      if (entry.lines.length < 2 * DIGEST_ITEMS_PER_SUBJECT)
        entry.lines.push(`- ${activityLine(t, item.kind, item.title)}`, `  ${ctx.baseUrl}${item.path}`)
      else entry.more++
      subjects.set(scope, entry)
    }
    const lines = [
      t(frequency === 'daily' ? 'follow.digest.daily.lead' : 'follow.digest.weekly.lead', { count: items.length }),
      '',
    ]
    for (const entry of subjects.values()) {
      lines.push(`« ${entry.title} »`, ...entry.lines)
      if (entry.more > 0)
        lines.push(`- ${t('follow.digest.more', { count: entry.more })}`, `  ${ctx.baseUrl}${entry.path}`)
      lines.push('')
    }
    await ctx.db.transaction(async (tx) => {
      const fresh = await queryRows<{ activityId: number }>(
        tx,
        sql`insert into notification_deliveries (user_id, activity_id, channel)
            select ${to.userId}, id, ${frequency} from activities where id in (${sql.join(
              items.map((i) => sql`${i.activityId}`),
              sql`, `,
            )})
            on conflict do nothing returning activity_id as "activityId"`,
      )
      if (fresh.length === 0) return // another worker sent it
      const subject = t(frequency === 'daily' ? 'follow.digest.daily.subject' : 'follow.digest.weekly.subject', {
        count: items.length,
      })
      await ctx.mailer.send(
        mailWith(
          ctx,
          to,
          `[THC] ${subject}`,
          lines,
          [...subjects].map(([scope, s]) => ({ scope, title: s.title })),
          `frequency:${frequency}`,
        ),
      )
      sent++
    })
  }
  return sent
}

/**
 * Queues today's digests once their time has come (the daily one, and the weekly one on Mondays); safe to call
 * often: each digest has its key.
 */
export async function scheduleDigests(db: Db, now = new Date()): Promise<void> {
  const today = todayInParis(now)
  const due = parisInstant(today, DIGEST_TIME)!
  if (now < due) return
  await enqueueJob(db, {
    kind: DIGEST_JOB,
    payload: { frequency: 'daily', cutoff: due.toISOString() },
    runAt: due,
    uniqueKey: `digest:daily:${today}`,
  })
  if (new Date(`${today}T12:00:00Z`).getUTCDay() === 1)
    await enqueueJob(db, {
      kind: DIGEST_JOB,
      payload: { frequency: 'weekly', cutoff: due.toISOString() },
      runAt: due,
      uniqueKey: `digest:weekly:${today}`,
    })
}
