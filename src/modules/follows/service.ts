import { sql } from 'drizzle-orm'
import { FOLLOWABLE, type Followable } from '../../platform/activity.ts'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, notFound } from '../../platform/errors.ts'

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

/**
 * Every public subject one can follow, with its territory, title and page: drafts (of a consultation, a plan,
 * a text) are not followable.
 */
const publicSubjects = sql`(
  select 'territory' as type, t.id, t.id as territory_id, t.name as title, '/territoires/' || t.kind || '/' || t.code as path from territories t
  union all
  select 'commitment', c.id, c.territory_id, c.title, '/engagements/' || c.id from commitments c join action_plans p on p.id = c.plan_id where p.status in ('published', 'closed')
  union all
  select 'consultation', c.id, c.territory_id, c.title, '/consultations/' || c.id from consultations c where c.status <> 'draft'
  union all
  select 'group', g.id, g.territory_id, g.title, '/groupes/' || g.id from action_groups g
  union all
  select 'text', x.id, x.territory_id, x.title, '/textes/' || x.id from cocreated_texts x where x.status <> 'draft'
) s`

export async function findSubject(db: Db, type: Followable, id: string): Promise<Subject> {
  const [row] = await queryRows<Subject>(
    db,
    sql`select s.type, s.id, s.territory_id as "territoryId", s.title, s.path from ${publicSubjects} where s.type = ${type} and s.id = ${id}`,
  )
  if (!row) throw notFound('Il n’y a rien à suivre ici.')
  return row
}

/** Follows a subject at a frequency, or changes the frequency; `null` stops following. Returns the subject. */
export async function setFollow(
  db: Db,
  actor: CurrentUser,
  type: Followable,
  id: string,
  frequency: string | null,
): Promise<Subject> {
  if (frequency !== null && !isFrequency(frequency))
    throw new AppError('INVALID', {
      status: 400,
      userMessage: 'Fréquence inconnue : immédiate, quotidienne ou hebdomadaire.',
    })
  const subject = await findSubject(db, type, id)
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
  user: CurrentUser | null,
  type: Followable,
  id: string,
): Promise<Frequency | null> {
  if (!user) return null
  const [row] = await queryRows<{ frequency: Frequency }>(
    db,
    sql`select frequency from follows where user_id = ${user.id} and subject_type = ${type} and subject_id = ${id}`,
  )
  return row?.frequency ?? null
}

export async function followsOf(db: Db, userId: string) {
  return queryRows<Subject & { frequency: Frequency; since: string }>(
    db,
    sql`select s.type, s.id, s.territory_id as "territoryId", s.title, s.path, f.frequency, f.created_at as since
        from follows f join ${publicSubjects} on s.type = f.subject_type and s.id = f.subject_id
        where f.user_id = ${userId} order by f.created_at`,
  )
}

/**
 * Stops what a signed unsubscribe link names: one subject (`consultation:<id>`), the follows of a digest
 * (`frequency:daily`) or every follow (`all`).
 * Returns the titles of what was followed; nothing when it was already stopped.
 */
export async function unsubscribe(db: Db, userId: string, scope: string): Promise<string[]> {
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
    const titles = await queryRows<{ title: string }>(
      tx,
      sql`select s.title from ${publicSubjects} where (s.type, s.id::text) in (${sql.join(
        removed.map((r) => sql`(${r.type}, ${r.id})`),
        sql`, `,
      )})`,
    )
    return titles.map((t) => t.title)
  })
}
