import { sql } from 'drizzle-orm'
import { recordActivity } from '../../platform/activity.ts'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { can } from '../../platform/auth/policy.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { isIsoDate } from '../../platform/http/rules.ts'
import { forbidden, invalid, notFound } from '../../platform/errors.ts'

export interface GroupRow {
  id: string
  territoryId: string
  commitmentId: string
  /** null while the commitment's plan is not public */
  commitmentTitle: string | null
  title: string
  purpose: string
  coordinatorId: string | null
  coordinatorName: string | null
}

/** SQL: this person is a current member of the group. */
const isMember = (userId: string, groupId: unknown) =>
  sql`exists (select 1 from action_group_members m where m.group_id = ${groupId} and m.user_id = ${userId} and m.left_at is null)`

/** The territory's staff start a group on one of its commitments; they coordinate it and are its first member. */
export async function createGroup(
  db: Db,
  options: { actor: CurrentUser; commitmentId: string; input: { title: string; purpose: string } },
): Promise<string> {
  const { actor, commitmentId, input } = options
  // only on a commitment the public can see: the group's page names it
  const [commitment] = await queryRows<{ territoryId: string }>(
    db,
    sql`select territory_id as "territoryId" from public_commitments where id = ${commitmentId}`,
  )
  if (!commitment) throw notFound()
  if (!can(actor, 'plan.edit', commitment.territoryId)) throw forbidden('Réservé aux agents et élus du territoire.')
  const errors: Record<string, string> = {}
  if (input.title.trim().length < 3 || input.title.length > 200) errors.title = 'consult.error.title'
  if (input.purpose.trim() === '' || input.purpose.length > 10000) errors.purpose = 'group.error.purpose'
  if (Object.keys(errors).length > 0) throw invalid(errors)
  return db.transaction(async (tx) => {
    const [row] = await queryRows<{ id: string }>(
      tx,
      sql`insert into action_groups (territory_id, commitment_id, title, purpose, coordinator_id, created_by)
          values (${commitment.territoryId}, ${commitmentId}, ${input.title.trim()}, ${input.purpose.trim()}, ${actor.id}, ${actor.id}) returning id`,
    )
    await tx.execute(
      sql`insert into action_group_members (group_id, user_id, territory_id) values (${row!.id}, ${actor.id}, ${commitment.territoryId})`,
    )
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: commitment.territoryId,
      action: 'group.created',
      subjectType: 'action_group',
      subjectId: row!.id,
      after: input,
    })
    await recordActivity(tx, {
      territoryId: commitment.territoryId,
      territoryWide: true,
      subjects: { commitment: commitmentId, group: row!.id },
      kind: 'group.created',
      title: input.title.trim(),
      path: `/groupes/${row!.id}`,
      actorId: actor.id,
    })
    return row!.id
  })
}

export async function findGroup(db: Db, id: string): Promise<GroupRow> {
  const [row] = await queryRows<GroupRow>(
    db,
    sql`select g.id, g.territory_id as "territoryId", g.commitment_id as "commitmentId", c.title as "commitmentTitle", g.title, g.purpose,
          g.coordinator_id as "coordinatorId", case when u.deleted_at is null then u.display_name end as "coordinatorName"
        from action_groups g left join public_commitments c on c.id = g.commitment_id left join users u on u.id = g.coordinator_id where g.id = ${id}`,
  )
  if (!row) throw notFound()
  return row
}

export async function members(db: Db, groupId: string) {
  return queryRows<{ userId: string; name: string | null; joinedAt: string }>(
    db,
    sql`select m.user_id as "userId", case when u.deleted_at is null then u.display_name end as name, m.joined_at as "joinedAt"
        from action_group_members m join users u on u.id = m.user_id where m.group_id = ${groupId} and m.left_at is null order by m.joined_at`,
  )
}

export async function isGroupMember(db: Db, userId: string, groupId: string): Promise<boolean> {
  return (await queryRows(db, sql`select 1 where ${isMember(userId, groupId)}`)).length > 0
}

/** Anyone signed in joins a group, or leaves it. */
export async function setMembership(
  db: Db,
  options: { actor: CurrentUser; groupId: string; joined: boolean },
): Promise<void> {
  const { actor, groupId, joined } = options
  const group = await findGroup(db, groupId)
  await db.transaction(async (tx) => {
    const changed = joined
      ? await queryRows(
          tx,
          sql`insert into action_group_members (group_id, user_id, territory_id) values (${groupId}, ${actor.id}, ${group.territoryId})
              on conflict (group_id, user_id) do update set left_at = null, joined_at = now() where action_group_members.left_at is not null
              returning user_id`,
        )
      : await queryRows(
          tx,
          sql`update action_group_members set left_at = now() where group_id = ${groupId} and user_id = ${actor.id} and left_at is null returning user_id`,
        )
    if (changed.length > 0)
      await recordAudit(tx, {
        actorId: actor.id,
        territoryId: group.territoryId,
        action: joined ? 'group.joined' : 'group.left',
        subjectType: 'action_group',
        subjectId: groupId,
      })
  })
}

/** A member drafts meeting notes (seen by members only) or publishes them. */
export async function writeNote(
  db: Db,
  options: { actor: CurrentUser; groupId: string; input: { meetingDate: string; body: string; publish: boolean } },
): Promise<void> {
  const { actor, groupId, input } = options
  const group = await findGroup(db, groupId)
  if (!(await isGroupMember(db, actor.id, groupId))) throw forbidden('Réservé aux membres du groupe.')
  const errors: Record<string, string> = {}
  if (!isIsoDate(input.meetingDate)) errors.meetingDate = 'group.error.date'
  if (input.body.trim() === '' || input.body.length > 50000) errors.body = 'group.error.body'
  if (Object.keys(errors).length > 0) throw invalid(errors)
  await db.transaction(async (tx) => {
    const rows = await queryRows<{ id: string }>(
      tx,
      sql`insert into action_group_notes (group_id, territory_id, author_id, meeting_date, body, status)
          select ${groupId}, ${group.territoryId}, ${actor.id}, ${input.meetingDate}, ${input.body.trim()}, ${input.publish ? 'published' : 'draft'}
          where ${isMember(actor.id, groupId)} returning id`,
    )
    if (rows.length === 0) throw forbidden('Réservé aux membres du groupe.')
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: group.territoryId,
      action: 'group.note_written',
      subjectType: 'action_group',
      subjectId: groupId,
      after: { noteId: rows[0]!.id, status: input.publish ? 'published' : 'draft' },
    })
    if (input.publish) await announceNote(tx, group, actor.id)
  })
}

const announceNote = (tx: Db, group: GroupRow, actorId: string) =>
  recordActivity(tx, {
    territoryId: group.territoryId,
    territoryWide: false,
    subjects: { group: group.id, commitment: group.commitmentId },
    kind: 'group.note',
    title: group.title,
    path: `/groupes/${group.id}`,
    actorId,
  })

export async function publishNote(db: Db, options: { actor: CurrentUser; noteId: string }): Promise<string> {
  const { actor, noteId } = options
  const [note] = await queryRows<{ groupId: string; territoryId: string }>(
    db,
    sql`select group_id as "groupId", territory_id as "territoryId" from action_group_notes where id = ${noteId}`,
  )
  if (!note) throw notFound()
  const group = await findGroup(db, note.groupId)
  await db.transaction(async (tx) => {
    const done = await queryRows(
      tx,
      sql`update action_group_notes set status = 'published', updated_at = now() where id = ${noteId} and status = 'draft' and ${isMember(actor.id, note.groupId)} returning id`,
    )
    if (done.length === 0) throw forbidden('Réservé aux membres du groupe.')
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: note.territoryId,
      action: 'group.note_published',
      subjectType: 'action_group',
      subjectId: note.groupId,
      after: { noteId },
    })
    await announceNote(tx, group, actor.id)
  })
  return note.groupId
}

/** Notes: published ones for everyone, drafts too for members. */
export async function notes(db: Db, groupId: string, member: boolean) {
  return queryRows<{ id: string; meetingDate: string; body: string; status: string; authorName: string | null }>(
    db,
    sql`select n.id, n.meeting_date::text as "meetingDate", n.body, n.status, case when u.deleted_at is null then u.display_name end as "authorName"
        from action_group_notes n left join users u on u.id = n.author_id
        where n.group_id = ${groupId} ${member ? sql`` : sql`and n.status = 'published'`} order by n.meeting_date desc, n.created_at desc`,
  )
}

export async function addAction(
  db: Db,
  options: {
    actor: CurrentUser
    groupId: string
    input: { title: string; ownerId: string | null; dueDate: string | null }
  },
): Promise<void> {
  const { actor, groupId, input } = options
  const group = await findGroup(db, groupId)
  if (!(await isGroupMember(db, actor.id, groupId))) throw forbidden('Réservé aux membres du groupe.')
  const errors: Record<string, string> = {}
  if (input.title.trim().length < 3 || input.title.length > 300) errors.title = 'consult.error.title'
  if (input.dueDate && !isIsoDate(input.dueDate)) errors.dueDate = 'group.error.date'
  if (input.ownerId && !(await isGroupMember(db, input.ownerId, groupId))) errors.ownerId = 'group.error.owner'
  if (Object.keys(errors).length > 0) throw invalid(errors)
  await db.transaction(async (tx) => {
    const rows = await queryRows<{ id: string }>(
      tx,
      sql`insert into action_group_actions (group_id, territory_id, title, owner_id, due_date, created_by)
          select ${groupId}, ${group.territoryId}, ${input.title.trim()}, ${input.ownerId}, ${input.dueDate}, ${actor.id} where ${isMember(actor.id, groupId)} returning id`,
    )
    if (rows.length === 0) throw forbidden('Réservé aux membres du groupe.')
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: group.territoryId,
      action: 'group.action_added',
      subjectType: 'action_group',
      subjectId: groupId,
      after: { actionId: rows[0]!.id, ...input },
    })
    await recordActivity(tx, {
      territoryId: group.territoryId,
      territoryWide: false,
      subjects: { group: groupId },
      kind: 'group.action',
      title: input.title.trim(),
      path: `/groupes/${groupId}`,
      actorId: actor.id,
    })
  })
}

export async function setActionStatus(
  db: Db,
  options: { actor: CurrentUser; actionId: string; status: 'todo' | 'doing' | 'done' },
): Promise<string> {
  const { actor, actionId, status } = options
  const [action] = await queryRows<{ groupId: string; territoryId: string }>(
    db,
    sql`select group_id as "groupId", territory_id as "territoryId" from action_group_actions where id = ${actionId}`,
  )
  if (!action) throw notFound()
  const done = await queryRows(
    db,
    sql`update action_group_actions set status = ${status}, updated_at = now() where id = ${actionId} and ${isMember(actor.id, action.groupId)} returning id`,
  )
  if (done.length === 0) throw forbidden('Réservé aux membres du groupe.')
  await recordAudit(db, {
    actorId: actor.id,
    territoryId: action.territoryId,
    action: 'group.action_status',
    subjectType: 'action_group',
    subjectId: action.groupId,
    after: { actionId, status },
  })
  return action.groupId
}

export async function actions(db: Db, groupId: string) {
  return queryRows<{
    id: string
    title: string
    ownerName: string | null
    dueDate: string | null
    status: 'todo' | 'doing' | 'done'
  }>(
    db,
    sql`select a.id, a.title, case when u.deleted_at is null then u.display_name end as "ownerName", a.due_date::text as "dueDate", a.status
        from action_group_actions a left join users u on u.id = a.owner_id where a.group_id = ${groupId} order by a.due_date nulls last, a.created_at`,
  )
}
