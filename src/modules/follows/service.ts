import { sql } from 'drizzle-orm'
import { FOLLOWABLE, type Followable } from '../../platform/activity.ts'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, notFound } from '../../platform/errors.ts'
import type { ResourceRegistry } from '../../platform/resources.ts'

export const FREQUENCIES = ['immediate', 'daily', 'weekly'] as const
export type Frequency = (typeof FREQUENCIES)[number]

export const isFollowable = (value: unknown): value is Followable => (FOLLOWABLE as readonly unknown[]).includes(value)
export const isFrequency = (value: unknown): value is Frequency => (FREQUENCIES as readonly unknown[]).includes(value)

export interface Subject {
  type: Followable
  id: string
  territoryId: string
  title: string
  path: string
}

/** The public subject one may follow (a draft consultation, plan or text is not found), named by its module. */
export async function findSubject(db: Db, resources: ResourceRegistry, type: Followable, id: string): Promise<Subject> {
  const [found] = await resources.find(db, type, [id])
  // every followable thing belongs to a territory; one that does not is nothing to follow
  if (!found?.territoryId) throw notFound('Il n’y a rien à suivre ici.')
  return { ...found, territoryId: found.territoryId, type }
}

/** Follows a subject at a frequency, or changes the frequency; `null` stops following. Returns the subject. */
export async function setFollow(
  db: Db,
  options: { resources: ResourceRegistry; actor: CurrentUser; type: Followable; id: string; frequency: string | null },
): Promise<Subject> {
  const { resources, actor, type, id, frequency } = options
  if (frequency !== null && !isFrequency(frequency))
    throw new AppError('INVALID', {
      status: 400,
      userMessage: 'Fréquence inconnue : immédiate, quotidienne ou hebdomadaire.',
    })
  const subject = await findSubject(db, resources, type, id)
  await db.transaction(async (tx) => {
    const changed =
      frequency === null
        ? await queryRows(
            tx,
            sql`delete from follows where user_id = ${actor.id} and subject_type = ${type} and subject_id = ${id} returning frequency`,
          )
        : await queryRows(
            tx,
            sql`insert into follows (user_id, subject_type, subject_id, territory_id, frequency) values (${actor.id}, ${type}, ${id}, ${subject.territoryId}, ${frequency})
                on conflict (user_id, subject_type, subject_id) do update set frequency = excluded.frequency where follows.frequency <> excluded.frequency
                returning frequency`,
          )
    if (changed.length > 0)
      await recordAudit(tx, {
        actorId: actor.id,
        territoryId: subject.territoryId,
        action: frequency ? 'follow.set' : 'follow.removed',
        subjectType: type,
        subjectId: id,
        after: { frequency },
      })
  })
  return subject
}

export async function followOf(
  db: Db,
  { user, type, id }: { user: CurrentUser | null; type: Followable; id: string },
): Promise<Frequency | null> {
  if (!user) return null
  const [row] = await queryRows<{ frequency: Frequency }>(
    db,
    sql`select frequency from follows where user_id = ${user.id} and subject_type = ${type} and subject_id = ${id}`,
  )
  return row?.frequency ?? null
}

/** What a person follows, oldest first; what is no longer public (a plan withdrawn…) is left out. */
export async function followsOf(db: Db, resources: ResourceRegistry, userId: string) {
  const rows = await queryRows<{ type: Followable; id: string; frequency: Frequency; since: string }>(
    db,
    sql`select subject_type as type, subject_id as id, frequency, created_at as since from follows where user_id = ${userId} order by created_at`,
  )
  const found = await resources.findAll(db, rows)
  return rows.flatMap((row) => {
    const subject = found.get(`${row.type}:${row.id}`)
    return subject ? [{ ...subject, type: row.type, frequency: row.frequency, since: row.since }] : []
  })
}

/**
 * Stops what a signed unsubscribe link names: one subject (`consultation:<id>`), the follows of a digest
 * (`frequency:daily`) or every follow (`all`).
 * Returns the titles of what was followed; nothing when it was already stopped.
 */
export async function unsubscribe(
  db: Db,
  { resources, userId, scope }: { resources: ResourceRegistry; userId: string; scope: string },
): Promise<string[]> {
  const [type, id] = scope.split(':')
  let which
  if (scope === 'all') which = sql``
  else if (type === 'frequency' && isFrequency(id)) which = sql`and frequency = ${id}`
  else if (isFollowable(type) && /^[0-9a-f-]{36}$/.test(id ?? ''))
    which = sql`and subject_type = ${type} and subject_id = ${id}`
  else throw new AppError('INVALID', { status: 400, userMessage: 'Lien de désinscription invalide.' })
  return db.transaction(async (tx) => {
    const removed = await queryRows<{ type: string; id: string; territoryId: string }>(
      tx,
      sql`delete from follows where user_id = ${userId} ${which}
          returning subject_type as type, subject_id as id, territory_id as "territoryId"`,
    )
    for (const r of removed)
      await recordAudit(tx, {
        actorId: userId,
        territoryId: r.territoryId,
        action: 'follow.unsubscribed',
        subjectType: r.type,
        subjectId: r.id,
        after: { via: 'signed link' },
      })
    if (removed.length === 0) return []
    const found = await resources.findAll(tx, removed)
    return removed.flatMap((r) => found.get(`${r.type}:${r.id}`)?.title ?? [])
  })
}
