import { sql } from 'drizzle-orm'
import { recordActivity } from '../../platform/activity.ts'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { can } from '../../platform/auth/policy.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, conflict, forbidden, notFound } from '../../platform/errors.ts'
import { queueNotice } from '../../platform/notices.ts'
import { parisInstant, TIME_ZONE } from '../../platform/paris-time.ts'

export { parisInstant, TIME_ZONE }

export const EVENT_KINDS = [
  'public_meeting',
  'debate',
  'workshop',
  'field_visit',
  'peer_seminar',
  'video_conference',
  'discovery_session',
] as const

export type EventKind = (typeof EVENT_KINDS)[number]

export interface EventRow {
  id: string
  territoryId: string | null
  kind: EventKind
  title: string
  description: string
  startsAt: Date
  endsAt: Date
  place: string
  onlineUrl: string | null
  audience: string
  capacity: number | null
  status: 'scheduled' | 'cancelled'
  cancellationReason: string | null
  minutes: string | null
  registered: number
  waiting: number
}

const COLUMNS = sql`e.id, e.territory_id as "territoryId", e.kind, e.title, e.description, e.starts_at as "startsAt", e.ends_at as "endsAt", e.place,
  e.online_url as "onlineUrl", e.audience, e.capacity, e.status, e.cancellation_reason as "cancellationReason", e.minutes,
  (select count(*)::int from event_registrations r where r.event_id = e.id and r.status = 'registered') as registered,
  (select count(*)::int from event_registrations r where r.event_id = e.id and r.status = 'waiting') as waiting`

const toEvent = (r: EventRow): EventRow => ({ ...r, startsAt: new Date(r.startsAt), endsAt: new Date(r.endsAt) })

/** Territory events: its editors and elected officials; network events: the network's team. */
export function canManageEvent(user: CurrentUser | null, territoryId: string | null): boolean {
  if (!user) return false
  return territoryId ? can(user, 'event.manage', territoryId) : user.isPlatformAdmin
}

export interface EventInput {
  kind: EventKind
  title: string
  description: string
  startsAt: Date
  endsAt: Date
  place: string
  onlineUrl: string | null
  audience: string
  capacity: number | null
}

export async function createEvent(
  db: Db,
  options: { actor: CurrentUser; territoryId: string | null; input: EventInput },
): Promise<string> {
  const { actor, territoryId, input } = options
  if (!canManageEvent(actor, territoryId)) throw forbidden()
  return db.transaction(async (tx) => {
    const [row] = await queryRows<{ id: string }>(
      tx,
      sql`insert into events (territory_id, kind, title, description, starts_at, ends_at, place, online_url, audience, capacity, created_by)
          values (${territoryId}, ${input.kind}, ${input.title}, ${input.description}, ${input.startsAt.toISOString()}, ${input.endsAt.toISOString()}, ${input.place}, ${input.onlineUrl}, ${input.audience}, ${input.capacity}, ${actor.id})
          returning id`,
    )
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId,
      action: 'event.created',
      subjectType: 'event',
      subjectId: row!.id,
      after: input,
    })
    if (territoryId)
      await recordActivity(tx, {
        territoryId,
        territoryWide: true,
        subjects: {},
        kind: 'event.created',
        title: input.title,
        path: `/evenements/${row!.id}`,
        actorId: actor.id,
      })
    return row!.id
  })
}

export async function findEvent(db: Db, id: string): Promise<EventRow> {
  const [row] = await queryRows<EventRow>(db, sql`select ${COLUMNS} from events e where e.id = ${id}`)
  if (!row) throw notFound()
  return toEvent(row)
}

/** Events of a territory, or of the network (territoryId null), or all of them (undefined) or all territories'; of one kind; by date. */
export async function listEvents(
  db: Db,
  options: { territoryId?: string | null; territoriesOnly?: boolean; kind?: EventKind; from?: Date },
): Promise<EventRow[]> {
  const where = [sql`true`]
  if (options.territoryId === null) where.push(sql`e.territory_id is null`)
  else if (options.territoryId) where.push(sql`e.territory_id = ${options.territoryId}`)
  else if (options.territoriesOnly) where.push(sql`e.territory_id is not null`)
  if (options.kind) where.push(sql`e.kind = ${options.kind}`)
  if (options.from) where.push(sql`e.ends_at >= ${options.from.toISOString()}`)
  const rows = await queryRows<EventRow>(
    db,
    sql`select ${COLUMNS} from events e where ${sql.join(where, sql` and `)} order by e.starts_at limit 500`,
  )
  return rows.map(toEvent)
}

export async function cancelEvent(
  db: Db,
  options: { actor: CurrentUser; eventId: string; reason: string },
): Promise<void> {
  const { actor, eventId, reason } = options
  const event = await findEvent(db, eventId)
  if (!canManageEvent(actor, event.territoryId)) throw forbidden()
  if (reason.trim() === '')
    throw new AppError('INVALID', {
      status: 422,
      userMessage: 'Donnez la raison de l’annulation.',
      fields: { reason: 'event.error.reason' },
    })
  await db.transaction(async (tx) => {
    const cancelled = await queryRows(
      tx,
      sql`update events set status = 'cancelled', cancellation_reason = ${reason.trim()}, updated_at = now() where id = ${eventId} and status = 'scheduled' returning id`,
    )
    if (cancelled.length === 0) throw conflict('CANCELLED', 'Cet événement est déjà annulé.')
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: event.territoryId,
      action: 'event.cancelled',
      subjectType: 'event',
      subjectId: eventId,
      after: { reason: reason.trim() },
    })
    // everyone registered or waiting learns it, with the reason
    const people = await queryRows<{ userId: string }>(
      tx,
      sql`select user_id as "userId" from event_registrations where event_id = ${eventId} and status in ('registered', 'waiting')`,
    )
    for (const p of people) {
      await queueNotice(tx, {
        userId: p.userId,
        subject: 'notice.event.cancelled.subject',
        body: 'notice.event.cancelled.body',
        params: { title: event.title, reason: reason.trim() },
        instants: { when: event.startsAt.toISOString() },
        path: `/evenements/${eventId}`,
      })
    }
  })
}

export async function saveMinutes(
  db: Db,
  options: { actor: CurrentUser; eventId: string; minutes: string },
): Promise<void> {
  const { actor, eventId, minutes } = options
  const event = await findEvent(db, eventId)
  if (!canManageEvent(actor, event.territoryId)) throw forbidden()
  if (event.endsAt.getTime() > Date.now()) throw conflict('NOT_PAST', 'Le compte rendu se publie après l’événement.')
  await db.transaction(async (tx) => {
    await tx.execute(
      sql`update events set minutes = ${minutes.trim() || null}, updated_at = now() where id = ${eventId}`,
    )
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: event.territoryId,
      action: 'event.minutes',
      subjectType: 'event',
      subjectId: eventId,
    })
  })
}
