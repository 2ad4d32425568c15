import { sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { invalid, notFound } from '../../platform/errors.ts'
import { isIsoDate } from '../../platform/http/rules.ts'
import { assertManager, findAssembly } from './service.ts'

export const check = (errors: Record<string, string>) => {
  if (Object.keys(errors).length > 0) throw invalid(errors)
}

export const length = (value: string, min: number, max: number) => value.trim().length >= min && value.length <= max

/** The active panel member this account sits as, or null. */
export async function memberOf(db: Db, userId: string | undefined, assemblyId: string): Promise<{ id: string } | null> {
  if (!userId) return null
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`select id from assembly_members where assembly_id = ${assemblyId} and user_id = ${userId} and status = 'active'`,
  )
  return row ?? null
}

/** How many people sit on the panel now (active members). */
export async function activePanelSize(db: Db, assemblyId: string): Promise<number> {
  const [row] = await queryRows<{ count: number }>(
    db,
    sql`select count(*)::int as count from assembly_members where assembly_id = ${assemblyId} and status = 'active'`,
  )
  return row!.count
}

export const activeMemberSql = (userId: string, assemblyId: unknown) =>
  sql`(select m.id from assembly_members m where m.assembly_id = ${assemblyId} and m.user_id = ${userId} and m.status = 'active')`

// ——— sessions, hearings, working groups (organisers) ———

export async function addSession(
  db: Db,
  options: {
    actor: CurrentUser
    assemblyId: string
    input: { title: string; startsOn: string; endsOn: string; place: string; programme: string }
  },
): Promise<void> {
  const { actor, assemblyId, input } = options
  const assembly = await findAssembly(db, assemblyId)
  const errors: Record<string, string> = {}
  if (!length(input.title, 3, 200)) errors.title = 'assembly.error.title'
  if (!isIsoDate(input.startsOn)) errors.startsOn = 'assembly.error.date'
  if (!isIsoDate(input.endsOn) || input.endsOn < input.startsOn) errors.endsOn = 'assembly.error.endDate'
  if (input.place.length > 300) errors.place = 'assembly.error.place'
  if (input.programme.length > 20000) errors.programme = 'assembly.error.programme'
  check(errors)
  await db.transaction(async (tx) => {
    await assertManager(tx, actor, assemblyId)
    const [row] = await queryRows<{ id: string }>(
      tx,
      sql`insert into assembly_sessions (assembly_id, territory_id, title, starts_on, ends_on, place, programme)
          values (${assemblyId}, ${assembly.territoryId}, ${input.title.trim()}, ${input.startsOn}, ${input.endsOn}, ${input.place.trim()}, ${input.programme.trim()}) returning id`,
    )
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assembly.territoryId,
      action: 'assembly.session_added',
      subjectType: 'assembly',
      subjectId: assemblyId,
      after: { sessionId: row!.id, ...input },
    })
  })
}

export async function listSessions(db: Db, assemblyId: string) {
  return queryRows<{ id: string; title: string; startsOn: string; endsOn: string; place: string; programme: string }>(
    db,
    sql`select id, title, starts_on::text as "startsOn", ends_on::text as "endsOn", place, programme from assembly_sessions where assembly_id = ${assemblyId} order by starts_on, title`,
  )
}

export interface HearingInput {
  sessionId: string | null
  expert: string
  affiliation: string
  topic: string
  viewpoint: string
  documents: string
}

export async function addHearing(
  db: Db,
  options: { actor: CurrentUser; assemblyId: string; input: HearingInput },
): Promise<void> {
  const { actor, assemblyId, input } = options
  const assembly = await findAssembly(db, assemblyId)
  const errors: Record<string, string> = {}
  if (!length(input.expert, 2, 200)) errors.expert = 'assembly.error.expert'
  if (!length(input.topic, 3, 300)) errors.topic = 'assembly.error.topic'
  if (input.affiliation.length > 300) errors.affiliation = 'assembly.error.affiliation'
  if (input.viewpoint.length > 2000) errors.viewpoint = 'assembly.error.viewpoint'
  if (input.documents.length > 5000) errors.documents = 'assembly.error.documents'
  if (
    input.sessionId &&
    (
      await queryRows(
        db,
        sql`select 1 from assembly_sessions where id = ${input.sessionId} and assembly_id = ${assemblyId}`,
      )
    ).length === 0
  )
    errors.sessionId = 'assembly.error.session'
  check(errors)
  await db.transaction(async (tx) => {
    await assertManager(tx, actor, assemblyId)
    await tx.execute(sql`insert into assembly_hearings (assembly_id, territory_id, session_id, expert, affiliation, topic, viewpoint, documents)
      values (${assemblyId}, ${assembly.territoryId}, ${input.sessionId}, ${input.expert.trim()}, ${input.affiliation.trim()}, ${input.topic.trim()}, ${input.viewpoint.trim()}, ${input.documents.trim()})`)
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assembly.territoryId,
      action: 'assembly.hearing_added',
      subjectType: 'assembly',
      subjectId: assemblyId,
      after: input,
    })
  })
}

export async function listHearings(db: Db, assemblyId: string) {
  return queryRows<{
    id: string
    sessionId: string | null
    sessionTitle: string | null
    expert: string
    affiliation: string
    topic: string
    viewpoint: string
    documents: string
  }>(
    db,
    sql`select h.id, h.session_id as "sessionId", s.title as "sessionTitle", h.expert, h.affiliation, h.topic, h.viewpoint, h.documents
        from assembly_hearings h left join assembly_sessions s on s.id = h.session_id where h.assembly_id = ${assemblyId} order by s.starts_on nulls last, h.created_at`,
  )
}

export interface GroupInput {
  name: string
  mandate: string
  memberNumbers: number[]
}

function validateGroup(input: GroupInput): void {
  const errors: Record<string, string> = {}
  if (!length(input.name, 2, 200)) errors.name = 'assembly.error.groupName'
  if (input.mandate.length > 5000) errors.mandate = 'assembly.error.mandate'
  check(errors)
}

/** The active members named by their volunteer numbers; an unknown number is a field error. */
async function membersByNumber(
  tx: Db,
  assemblyId: string,
  numbers: number[],
): Promise<{ id: string; number: number }[]> {
  const members = await queryRows<{ id: string; number: number }>(
    tx,
    sql`select m.id, v.number from assembly_members m join assembly_volunteers v on v.id = m.volunteer_id where m.assembly_id = ${assemblyId} and m.status = 'active'`,
  )
  if (numbers.some((n) => !members.some((m) => m.number === n)))
    throw invalid({ memberNumbers: 'assembly.error.memberNumbers' })
  return members.filter((m) => numbers.includes(m.number))
}

/** A working group, with the panel members (by volunteer number) who sit in it. */
export async function addGroup(
  db: Db,
  options: { actor: CurrentUser; assemblyId: string; input: GroupInput },
): Promise<void> {
  const { actor, assemblyId, input } = options
  const assembly = await findAssembly(db, assemblyId)
  validateGroup(input)
  await db.transaction(async (tx) => {
    await assertManager(tx, actor, assemblyId)
    const members = await membersByNumber(tx, assemblyId, input.memberNumbers)
    const [group] = await queryRows<{ id: string }>(
      tx,
      sql`insert into assembly_groups (assembly_id, territory_id, name, mandate) values (${assemblyId}, ${assembly.territoryId}, ${input.name.trim()}, ${input.mandate.trim()})
          on conflict (assembly_id, name) do nothing returning id`,
    )
    if (!group) throw invalid({ name: 'assembly.error.groupTaken' })
    for (const m of members)
      await tx.execute(
        sql`insert into assembly_group_members (group_id, member_id, territory_id) values (${group.id}, ${m.id}, ${assembly.territoryId})`,
      )
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assembly.territoryId,
      action: 'assembly.group_added',
      subjectType: 'assembly',
      subjectId: assemblyId,
      after: input,
    })
  })
}

/**
 * The organisers rename a working group, rewrite its mandate or change who sits in it. Proposals the group drafted
 * stay its own; a member who leaves keeps the amendments and votes they made as a panel member.
 */
export async function updateGroup(
  db: Db,
  options: { actor: CurrentUser; assemblyId: string; groupId: string; input: GroupInput },
): Promise<void> {
  const { actor, assemblyId, groupId, input } = options
  const assembly = await findAssembly(db, assemblyId)
  validateGroup(input)
  await db.transaction(async (tx) => {
    await assertManager(tx, actor, assemblyId)
    const [before] = await queryRows<{ name: string; mandate: string; memberNumbers: number[] }>(
      tx,
      sql`select g.name, g.mandate, coalesce((select array_agg(v.number order by v.number) from assembly_group_members gm join assembly_members m on m.id = gm.member_id
            join assembly_volunteers v on v.id = m.volunteer_id where gm.group_id = g.id), '{}') as "memberNumbers"
          from assembly_groups g where g.id = ${groupId} and g.assembly_id = ${assemblyId} for update`,
    )
    if (!before) throw notFound()
    const members = await membersByNumber(tx, assemblyId, input.memberNumbers)
    const taken = await queryRows(
      tx,
      sql`select 1 from assembly_groups where assembly_id = ${assemblyId} and name = ${input.name.trim()} and id <> ${groupId}`,
    )
    if (taken.length > 0) throw invalid({ name: 'assembly.error.groupTaken' })
    await tx.execute(
      sql`update assembly_groups set name = ${input.name.trim()}, mandate = ${input.mandate.trim()} where id = ${groupId}`,
    )
    const keep = members.map((m) => sql`${m.id}::uuid`)
    await tx.execute(
      sql`delete from assembly_group_members where group_id = ${groupId} ${keep.length > 0 ? sql`and member_id not in (${sql.join(keep, sql`, `)})` : sql``}`,
    )
    for (const m of members)
      await tx.execute(
        sql`insert into assembly_group_members (group_id, member_id, territory_id) values (${groupId}, ${m.id}, ${assembly.territoryId}) on conflict do nothing`,
      )
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assembly.territoryId,
      action: 'assembly.group_updated',
      subjectType: 'assembly',
      subjectId: assemblyId,
      before: { groupId, ...before },
      after: { groupId, ...input },
    })
  })
}

export interface GroupRow {
  id: string
  name: string
  mandate: string
  /** active members */
  size: number
  /** volunteer numbers of its active members, in order */
  memberNumbers: number[]
}

export async function listGroups(db: Db, assemblyId: string): Promise<GroupRow[]> {
  return queryRows<GroupRow>(
    db,
    sql`select g.id, g.name, g.mandate,
          (select count(*)::int from assembly_group_members gm join assembly_members m on m.id = gm.member_id where gm.group_id = g.id and m.status = 'active') as size,
          coalesce((select array_agg(v.number order by v.number) from assembly_group_members gm join assembly_members m on m.id = gm.member_id
            join assembly_volunteers v on v.id = m.volunteer_id where gm.group_id = g.id and m.status = 'active'), '{}') as "memberNumbers"
        from assembly_groups g where g.assembly_id = ${assemblyId} order by g.name`,
  )
}

/** Groups this account sits in (as an active member). */
export async function groupsOfUser(db: Db, assemblyId: string, userId: string | undefined): Promise<string[]> {
  if (!userId) return []
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select gm.group_id as id from assembly_group_members gm join assembly_members m on m.id = gm.member_id
        where m.assembly_id = ${assemblyId} and m.user_id = ${userId} and m.status = 'active'`,
  )
  return rows.map((r) => r.id)
}

// ——— proposals, amendments, secret votes ———
