import { isUuid } from '../../platform/http/rules.ts'
import { asc, eq, sql } from 'drizzle-orm'
import { users } from '../../platform/auth/tables.ts'
import { queryRows, textArray, type Db } from '../../platform/db/index.ts'
import { historyEntries, milestones } from './tables.ts'

/** A commitment's history with what the page shows of each entry's author and milestone. */
export async function listHistoryWithNames(db: Db, commitmentId: string) {
  const rows = await db
    .select({
      entry: historyEntries,
      authorName: users.displayName,
      authorDeletedAt: users.deletedAt,
      milestoneTitle: milestones.title,
    })
    .from(historyEntries)
    .leftJoin(users, eq(users.id, historyEntries.authorId))
    .leftJoin(milestones, eq(milestones.id, historyEntries.milestoneId))
    .where(eq(historyEntries.commitmentId, commitmentId))
    .orderBy(asc(historyEntries.seq))
  return rows
}

export interface HistoryExportRow {
  territory_id: string
  seq: number
  territory_kind: string
  territory_code: string
  territory_name: string
  kind: string
  recorded_at: Date
  plan_id: string
  plan_title: string
  commitment_id: string
  commitment_title: string
  milestone_title: string | null
  corrects_seq: number | null
  content: {
    status?: string | null
    progress?: number | null
    narrative?: string
    evidence?: string[]
    nextSteps?: string
    changes?: unknown
  }
  prev_hash: string
  hash: string
}

/** A page of the public history of every territory (or one), in (territory, number) order, after a given entry. */
export async function historyExportPage(
  db: Db,
  options: { territoryId: string | null; after: { territoryId: string; seq: number } | null; limit: number },
): Promise<HistoryExportRow[]> {
  const after = options.after
  return queryRows<HistoryExportRow>(
    db,
    sql`select h.territory_id, h.seq, t.kind as territory_kind, t.code as territory_code, t.name as territory_name, h.kind,
        h.recorded_at, h.plan_id, p.title as plan_title, h.commitment_id, c.title as commitment_title, m.title as milestone_title,
        corrected.seq as corrects_seq, h.content, h.prev_hash, h.hash
      from history_entries h
      join public_territories t on t.id = h.territory_id
      join action_plans p on p.id = h.plan_id and p.status in ('published', 'closed')
      join commitments c on c.id = h.commitment_id
      left join milestones m on m.id = h.milestone_id
      left join history_entries corrected on corrected.id = h.corrects_id
      where ${options.territoryId ? sql`h.territory_id = ${options.territoryId}` : sql`true`}
        and ${after ? sql`(h.territory_id, h.seq) > (${after.territoryId}::uuid, ${after.seq})` : sql`true`}
      order by h.territory_id, h.seq
      limit ${options.limit}`,
  )
}

export interface CommitmentExportRow {
  id: string
  territory_kind: string
  territory_code: string
  territory_name: string
  plan_id: string
  plan_title: string
  plan_status: string
  position: number
  title: string
  problem: string
  description: string
  contribution: string
  ogp_values: string[]
  expected_impacts: string
  lead_actor: string
  supporting_actors: string
  themes: string[]
  start_date: string | null
  end_date: string | null
  budget_eur: string | null
  deliberation_url: string | null
  status: string
  status_set_by_hand: boolean
  held_reason: string | null
  milestones: number
  milestones_done: number
  milestones_late: number
  progress: string | null
}

/**
 * A page of the commitments of published and closed plans, with their milestone counts and progress
 * rolled up as progress.ts does (weighted when every counted milestone has a weight, abandoned ones left
 * out). Keyset on the commitment id.
 */
const COUNTED = sql`m.status <> 'abandonne'`
const MILESTONE_VALUE = sql`(case when m.status = 'termine' then 100 else m.progress end)`
/** progress.ts's commitmentProgress() in SQL, over the milestones `m` grouped by commitment. */
const COMMITMENT_PROGRESS = sql`(case when count(m.id) filter (where ${COUNTED}) = 0 then null
  when bool_and(m.weight is not null) filter (where ${COUNTED})
    then round(sum(${MILESTONE_VALUE} * m.weight) filter (where ${COUNTED}) / sum(m.weight) filter (where ${COUNTED}), 1)
  else round(avg(${MILESTONE_VALUE}) filter (where ${COUNTED}), 1) end)`

/** The SQL function commitment_status() over the milestones `m` grouped by commitment `c` (one pass, no sub-query per row). */
const derivedStatus = (today: string) => sql`(case when c.held_status is not null then c.held_status
  when count(m.id) = 0 then 'non_commence'
  when count(m.id) filter (where ${COUNTED}) = 0 then 'abandonne'
  when bool_and(m.status = 'termine') filter (where ${COUNTED}) then 'termine'
  when bool_or(m.status = 'en_retard' or (m.status not in ('termine', 'abandonne') and m.due_date < ${today}::date)) then 'en_retard'
  when bool_or(m.status <> 'non_commence' or m.progress > 0) filter (where ${COUNTED}) then 'en_cours'
  else 'non_commence' end)`

export async function commitmentExportPage(
  db: Db,
  options: { territoryId: string | null; today: string; afterId: string | null; limit: number },
): Promise<CommitmentExportRow[]> {
  const counted = COUNTED
  return queryRows<CommitmentExportRow>(
    db,
    sql`select c.id, t.kind as territory_kind, t.code as territory_code, t.name as territory_name, p.id as plan_id, p.title as plan_title,
        p.status as plan_status, c.position, c.title, c.problem, c.description, c.contribution, c.ogp_values, c.expected_impacts,
        c.lead_actor, c.supporting_actors, c.themes, c.start_date::text as start_date, c.end_date::text as end_date,
        c.budget_eur::text as budget_eur, c.deliberation_url, ${derivedStatus(options.today)} as status,
        c.held_status is not null as status_set_by_hand, c.held_reason,
        (count(m.id) filter (where ${counted}))::int as milestones,
        (count(m.id) filter (where m.status = 'termine'))::int as milestones_done,
        (count(m.id) filter (where m.status not in ('termine', 'abandonne') and m.due_date < ${options.today}::date))::int as milestones_late,
        ${COMMITMENT_PROGRESS}::text as progress
      from commitments c
      join action_plans p on p.id = c.plan_id and p.status in ('published', 'closed')
      join public_territories t on t.id = c.territory_id
      left join milestones m on m.commitment_id = c.id
      where ${options.territoryId ? sql`c.territory_id = ${options.territoryId}` : sql`true`}
        and ${options.afterId ? sql`c.id > ${options.afterId}::uuid` : sql`true`}
      group by c.id, t.kind, t.code, t.name, p.id, p.title, p.status
      order by c.id
      limit ${options.limit}`,
  )
}

export interface NetworkRow {
  territory_kind: string
  territory_code: string
  territory_name: string
  population: number | null
  plan_id: string
  plan_title: string
  plan_status: string
  period_start: string
  period_end: string
  commitments: number
  milestones: number
  milestones_done: number
  milestones_due: number
  milestones_on_time: number
  milestones_late: number
  progress: string | null
}

/**
 * Every territory with a public action plan, on its current plan (the latest published or closed), with
 * comparable indicators: milestones done, due, done on time, late, and the plan's progress.
 */
export async function networkOverview(db: Db, today: string): Promise<NetworkRow[]> {
  return queryRows<NetworkRow>(
    db,
    sql`with current_plans as (
        select distinct on (p.territory_id) p.* from action_plans p
        where p.status in ('published', 'closed')
        order by p.territory_id, p.period_start desc, p.published_at desc
      ), per_commitment as (
        select c.id, c.plan_id, ${COMMITMENT_PROGRESS} as progress,
          (count(m.id) filter (where ${COUNTED}))::int as milestones,
          (count(m.id) filter (where m.status = 'termine'))::int as done,
          (count(m.id) filter (where ${COUNTED} and m.due_date < ${today}::date))::int as due,
          (count(m.id) filter (where m.status = 'termine' and m.due_date < ${today}::date and m.completed_on <= m.due_date))::int as on_time,
          (count(m.id) filter (where m.status not in ('termine', 'abandonne') and m.due_date < ${today}::date))::int as late
        from commitments c join current_plans p on p.id = c.plan_id
        left join milestones m on m.commitment_id = c.id
        group by c.id, c.plan_id
      )
      select t.kind as territory_kind, t.code as territory_code, t.name as territory_name, t.population,
        p.id as plan_id, p.title as plan_title, p.status as plan_status, p.period_start::text as period_start, p.period_end::text as period_end,
        count(pc.id)::int as commitments, coalesce(sum(pc.milestones), 0)::int as milestones, coalesce(sum(pc.done), 0)::int as milestones_done,
        coalesce(sum(pc.due), 0)::int as milestones_due, coalesce(sum(pc.on_time), 0)::int as milestones_on_time,
        coalesce(sum(pc.late), 0)::int as milestones_late, round(avg(pc.progress), 1)::text as progress
      from current_plans p
      join public_territories t on t.id = p.territory_id
      left join per_commitment pc on pc.plan_id = p.id
      group by t.kind, t.code, t.name, t.population, p.id, p.title, p.status, p.period_start, p.period_end
      order by t.name`,
  )
}

/** The milestones of a territory's published (or closed) plans, with their commitment: choices for links from other modules. */
export function publishedMilestones(db: Db, territoryId: string) {
  return queryRows<{ id: string; title: string; commitmentId: string; commitmentTitle: string }>(
    db,
    sql`select m.id, m.title, c.id as "commitmentId", c.title as "commitmentTitle" from milestones m join commitments c on c.id = m.commitment_id join action_plans p on p.id = c.plan_id
        where c.territory_id = ${territoryId} and p.status in ('published', 'closed') order by p.period_start desc, c.position, m.due_date, m.title`,
  )
}

/** The commitments of a territory's published (or closed) plans, newest plan first: choices for links from other modules. */
export function publishedCommitments(db: Db, territoryId: string) {
  return queryRows<{ id: string; title: string }>(
    db,
    sql`select c.id, c.title from commitments c join action_plans p on p.id = c.plan_id where c.territory_id = ${territoryId} and p.status in ('published', 'closed') order by p.period_start desc, c.position`,
  )
}

/** The latest published independent rating of a commitment (the assessments module's public view). */
export interface CommitmentVerdict {
  commitmentId: string
  assessmentId: string
  moment: 'inception' | 'end_of_term'
  source: 'platform' | 'ogp'
  publishedAt: Date
  verifiable: boolean | null
  potentialImpact: string | null
  potentialResults: string | null
  completion: string | null
}

export async function commitmentVerdicts(db: Db, commitmentIds: string[]): Promise<Map<string, CommitmentVerdict>> {
  if (commitmentIds.length === 0) return new Map()
  const rows = await queryRows<CommitmentVerdict>(
    db,
    sql`select commitment_id as "commitmentId", assessment_id as "assessmentId", moment, source, published_at as "publishedAt", verifiable,
        potential_impact as "potentialImpact", potential_results as "potentialResults", completion
      from public_commitment_verdicts where commitment_id in (${sql.join(
        commitmentIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`,
  )
  return new Map(rows.map((r) => [r.commitmentId, { ...r, publishedAt: new Date(r.publishedAt) }]))
}

/** A territory's plans still open to new commitments (drafts first), for the staff's pickers; no visibility check. */
export async function openPlansOfTerritory(db: Db, territoryId: string) {
  return queryRows<{ id: string; title: string; status: string }>(
    db,
    sql`select id, title, status from action_plans where territory_id = ${territoryId} and status in ('draft', 'published')
        order by status = 'published', created_at desc`,
  )
}

/** A territory's commitments, latest plan first, for the staff's pickers; no visibility check. */
export async function commitmentsOfTerritory(db: Db, territoryId: string, limit = 300) {
  return queryRows<{ id: string; title: string }>(
    db,
    sql`select c.id, c.title from commitments c join action_plans p on p.id = c.plan_id
        where c.territory_id = ${territoryId} order by p.period_start desc, c.position limit ${limit}`,
  )
}

export interface SourcedCommitment {
  commitmentId: string
  sourceKey: string
  planId: string
  planTitle: string
  planStatus: string
  territoryId: string
  territoryName: string
}

/**
 * The commitments imported with these source keys (`ogp:FR0110`), in plans of any status, with their plan and
 * territory: how an importer of another module finds what a file's rows are about. No visibility check.
 */
export async function commitmentsBySourceKeys(
  db: Db,
  sourceKeys: string[],
  planId?: string,
): Promise<SourcedCommitment[]> {
  if (sourceKeys.length === 0) return []
  return queryRows<SourcedCommitment>(
    db,
    sql`select c.id as "commitmentId", c.source_key as "sourceKey", p.id as "planId", p.title as "planTitle",
          p.status as "planStatus", p.territory_id as "territoryId", t.name as "territoryName"
        from commitments c join action_plans p on p.id = c.plan_id join public_territories t on t.id = p.territory_id
        where c.source_key = any(${textArray(sourceKeys)}) ${planId ? sql`and p.id = ${planId}` : sql``}`,
  )
}

/** Whether a commitment belongs to this territory (any plan status): for another module's form that links one. */
export async function isCommitmentOfTerritory(db: Db, commitmentId: string, territoryId: string): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`select 1 from commitments where id = ${commitmentId} and territory_id = ${territoryId}`,
  )
  return rows.length > 0
}

export interface PublicCommitment {
  id: string
  title: string
  territoryId: string
  planId: string
}

/** Public commitments (of published or closed plans) among these ids; unknown or draft ones are left out. */
export async function publicCommitmentsByIds(db: Db, ids: (string | null | undefined)[]): Promise<PublicCommitment[]> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id && isUuid(id)))]
  if (wanted.length === 0) return []
  return queryRows<PublicCommitment>(
    db,
    sql`select id, title, territory_id as "territoryId", plan_id as "planId" from public_commitments
        where id = any(${textArray(wanted)}::uuid[])`,
  )
}

/** The commitment a public milestone belongs to, or null. */
export async function commitmentOfPublicMilestone(db: Db, milestoneId: string): Promise<string | null> {
  if (!isUuid(milestoneId)) return null
  const [row] = await queryRows<{ commitmentId: string }>(
    db,
    sql`select commitment_id as "commitmentId" from public_milestones where id = ${milestoneId}`,
  )
  return row?.commitmentId ?? null
}
