/** Registering for an event: a seat or the waiting list, reminders, and what organisers see of and send to the registrants. */
import { sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { authorizedIn } from '../../platform/auth/policy.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { conflict, forbidden, invalid } from '../../platform/errors.ts'
import { queueNotice, type Notice } from '../../platform/notices.ts'
import { type EventRow, canManageEvent, findEvent } from './service.ts'
import { calendar } from './calendar.ts'

export async function registrationOf(db: Db, eventId: string, userId: string): Promise<string | null> {
  const [row] = await queryRows<{ status: string }>(
    db,
    sql`select status from event_registrations where event_id = ${eventId} and user_id = ${userId}`,
  )
  return row && row.status !== 'cancelled' ? row.status : null
}

/**
 * Registers a person: a seat while there is one, else the waiting list. The event row is locked so that
 * two registrations never take the last seat together.
 */
/** The mail to a person about their seat: confirmed (with the .ics when the platform's address is known), waiting, or freed for them. */
function seatNotice(
  event: EventRow,
  userId: string,
  kind: 'registered' | 'waiting' | 'promoted',
  baseUrl: string | undefined,
): Notice {
  // the visio's link is for the people registered: a seat's mail carries it, a waiting list's does not
  const where = event.place || (kind !== 'waiting' ? (event.onlineUrl ?? '') : '')
  const place = where ? ` (${where})` : ''
  return {
    userId,
    subject: `notice.event.${kind}.subject`,
    body: `notice.event.${kind}.body`,
    params: { title: event.title, place },
    instants: { when: event.startsAt.toISOString() },
    path: `/evenements/${event.id}`,
    ...(kind !== 'waiting' && baseUrl
      ? { ics: { filename: `evenement-${event.id}.ics`, content: calendar([event], { name: event.title, baseUrl }) } }
      : {}),
  }
}

export async function register(
  db: Db,
  options: { actor: CurrentUser; eventId: string; baseUrl?: string },
): Promise<'registered' | 'waiting'> {
  const { actor, eventId, baseUrl } = options
  const event = await findEvent(db, eventId)
  if (event.status === 'cancelled') throw conflict('CANCELLED', 'Cet événement est annulé.')
  if (event.startsAt.getTime() < Date.now()) throw conflict('PAST', 'Cet événement a déjà eu lieu.')
  return db.transaction(async (tx) => {
    const [locked] = await queryRows<{ capacity: number | null }>(
      tx,
      sql`select capacity from events where id = ${eventId} for update`,
    )
    const [{ taken }] = (await queryRows<{ taken: number }>(
      tx,
      sql`select count(*)::int as taken from event_registrations where event_id = ${eventId} and status = 'registered' and user_id <> ${actor.id}`,
    )) as [{ taken: number }]
    const current = await registrationOf(tx, eventId, actor.id)
    if (current) return current as 'registered' | 'waiting'
    const status = locked!.capacity === null || taken < locked!.capacity ? 'registered' : 'waiting'
    await tx.execute(sql`insert into event_registrations (event_id, user_id, status) values (${eventId}, ${actor.id}, ${status})
      on conflict (event_id, user_id) do update set status = excluded.status, created_at = now(), updated_at = now(), reminded_at = null`)
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: event.territoryId,
      action: `event.${status}`,
      subjectType: 'event',
      subjectId: eventId,
    })
    await queueNotice(tx, seatNotice(event, actor.id, status, baseUrl))
    return status
  })
}

/** Cancels a registration; the first person waiting takes the seat freed. */
export async function unregister(
  db: Db,
  options: { actor: CurrentUser; eventId: string; baseUrl?: string },
): Promise<void> {
  const { actor, eventId, baseUrl } = options
  const event = await findEvent(db, eventId)
  await db.transaction(async (tx) => {
    await tx.execute(sql`select id from events where id = ${eventId} for update`)
    const [was] = await queryRows<{ status: string }>(
      tx,
      sql`select status from event_registrations where event_id = ${eventId} and user_id = ${actor.id} and status <> 'cancelled'`,
    )
    if (!was) return
    await tx.execute(
      sql`update event_registrations set status = 'cancelled', updated_at = now() where event_id = ${eventId} and user_id = ${actor.id}`,
    )
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: event.territoryId,
      action: 'event.unregistered',
      subjectType: 'event',
      subjectId: eventId,
    })
    if (was.status === 'registered') {
      const promoted = await queryRows<{ user_id: string }>(
        tx,
        sql`update event_registrations set status = 'registered', updated_at = now()
            where event_id = ${eventId} and user_id = (select user_id from event_registrations where event_id = ${eventId} and status = 'waiting' order by created_at limit 1)
            returning user_id`,
      )
      if (promoted[0]) {
        await recordAudit(tx, {
          actorId: null,
          territoryId: event.territoryId,
          action: 'event.promoted_from_waiting_list',
          subjectType: 'event',
          subjectId: eventId,
          after: { userId: promoted[0].user_id },
        })
        await queueNotice(tx, seatNotice(event, promoted[0].user_id, 'promoted', baseUrl))
      }
    }
  })
}

/**
 * Queues a reminder, in each reader's language, to everyone registered for an event starting in the next `hours`,
 * once: the registration is marked reminded in the same transaction as the mail is queued. Returns how many were
 * queued (the worker sends them; `npm run cli -- events:remind` queues and sends).
 */
export async function sendReminders(db: Db, hours = 24, now = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await queryRows<{ eventId: string; userId: string; title: string; startsAt: string; place: string }>(
      tx,
      sql`update event_registrations r set reminded_at = now()
          from events e, users u
          where e.id = r.event_id and u.id = r.user_id and r.status = 'registered' and r.reminded_at is null and e.status = 'scheduled'
            and u.email is not null and u.deleted_at is null
            and e.starts_at > ${now.toISOString()} and e.starts_at <= ${new Date(now.getTime() + hours * 3_600_000).toISOString()}
          returning r.event_id as "eventId", r.user_id as "userId", e.title, e.starts_at as "startsAt", coalesce(nullif(e.place, ''), e.online_url, '') as place`,
    )
    for (const r of due) {
      await queueNotice(tx, {
        userId: r.userId,
        subject: 'notice.event.reminder.subject',
        body: 'notice.event.reminder.body',
        params: { title: r.title, place: r.place ? ` (${r.place})` : '' },
        instants: { when: new Date(r.startsAt).toISOString() },
        path: `/evenements/${r.eventId}`,
      })
    }
    return due.length
  })
}

export interface RegistrantRow {
  userId: string
  name: string
  email: string
  status: 'registered' | 'waiting'
  registeredAt: Date
}

/** Throws 403 unless the person organises events where this one is (the network's for its events). */
function assertOrganiser(actor: CurrentUser, event: EventRow): void {
  if (!canManageEvent(actor, event.territoryId)) throw forbidden('Réservé aux organisateurs de cet événement.')
}

/**
 * The people registered, then those waiting in their order, with the name and address of their account: for the
 * organisers only, to reach them (the privacy page says so). Deleted accounts are left out.
 */
export async function listRegistrants(db: Db, actor: CurrentUser, eventId: string): Promise<RegistrantRow[]> {
  const event = await findEvent(db, eventId)
  assertOrganiser(actor, event)
  return queryRows<RegistrantRow>(
    db,
    sql`select r.user_id as "userId", u.display_name as name, u.email, r.status, r.created_at as "registeredAt"
        from event_registrations r join users u on u.id = r.user_id
        where r.event_id = ${eventId} and r.status in ('registered', 'waiting') and u.deleted_at is null and u.email is not null
        order by r.status = 'waiting', r.created_at, u.display_name`,
  )
}

export interface RegistrantMessage {
  subject: string
  body: string
  /** the people registered only, or those waiting too */
  audience: 'registered' | 'all'
}

/**
 * The organisers write to everyone registered (and, if they choose, those waiting): one mail each, in the reader's
 * language around the organisers' words, queued with the decision. Returns how many were queued.
 */
export async function messageRegistrants(
  db: Db,
  options: { actor: CurrentUser; eventId: string; input: RegistrantMessage },
): Promise<number> {
  const { actor, eventId, input } = options
  const event = await findEvent(db, eventId)
  assertOrganiser(actor, event)
  const errors: Record<string, string> = {}
  if (input.subject.trim().length < 3 || input.subject.length > 200) errors.subject = 'event.error.messageSubject'
  if (input.body.trim().length < 3 || input.body.length > 10000) errors.body = 'event.error.messageBody'
  if (Object.keys(errors).length > 0) throw invalid(errors)
  return db.transaction(async (tx) => {
    const people = await queryRows<{ userId: string }>(
      tx,
      sql`select r.user_id as "userId" from event_registrations r join events e on e.id = r.event_id
          where r.event_id = ${eventId} and r.status in (${input.audience === 'all' ? sql`'registered', 'waiting'` : sql`'registered'`})
            and ${event.territoryId ? authorizedIn(actor, 'event.manage', sql`e.territory_id`) : actor.isPlatformAdmin ? sql`true` : sql`false`}`,
    )
    for (const p of people) {
      await queueNotice(tx, {
        userId: p.userId,
        subject: 'notice.event.message.subject',
        body: 'notice.event.message.body',
        params: { title: event.title, subject: input.subject.trim(), message: input.body.trim() },
        path: `/evenements/${eventId}`,
      })
    }
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: event.territoryId,
      action: 'event.message_sent',
      subjectType: 'event',
      subjectId: eventId,
      after: { subject: input.subject.trim(), audience: input.audience, count: people.length },
    })
    return people.length
  })
}
