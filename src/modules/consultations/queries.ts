/** What the consultations' pages read: consultations, their changes, contributions, comments, supports. */
import { and, desc, eq, sql } from 'drizzle-orm'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { can } from '../../platform/auth/policy.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { notFound } from '../../platform/errors.ts'
import { consultations, type ConsultationRow, type ContributionRow } from './tables.ts'

import type { ConsultationChangeRow } from './service.ts'
/** The changes of a published consultation, oldest first (public). */
export async function listConsultationChanges(db: Db, consultationId: string): Promise<ConsultationChangeRow[]> {
  const rows = await queryRows<ConsultationChangeRow>(
    db,
    sql`select changed_at as "changedAt", changes, reason from consultation_changes where consultation_id = ${consultationId} order by id`,
  )
  // raw queries return timestamps as text on one driver and as dates on the other
  return rows.map((row) => ({ ...row, changedAt: new Date(row.changedAt) }))
}

export async function findConsultation(db: Db, id: string): Promise<ConsultationRow> {
  const [row] = await db.select().from(consultations).where(eq(consultations.id, id))
  if (!row) throw notFound()
  return row
}

/** A consultation as this person may see it: drafts only for the territory's staff. */
export async function visibleConsultation(db: Db, user: CurrentUser | null, id: string): Promise<ConsultationRow> {
  const c = await findConsultation(db, id)
  if (c.status === 'draft' && !can(user, 'consultation.manage', c.territoryId)) throw notFound()
  return c
}

export async function listConsultations(db: Db, territoryId: string, user: CurrentUser | null) {
  const staff = can(user, 'consultation.manage', territoryId)
  return db
    .select()
    .from(consultations)
    .where(and(eq(consultations.territoryId, territoryId), staff ? sql`true` : sql`${consultations.status} <> 'draft'`))
    .orderBy(desc(consultations.opensOn))
}

export const CONTRIBUTIONS_PAGE_SIZE = 50

/** A page of a consultation's contributions (pages count from 1), most supported or most recent first. */
export async function listContributions(
  db: Db,
  {
    consultationId,
    sort,
    page = 1,
    pageSize = CONTRIBUTIONS_PAGE_SIZE,
  }: { consultationId: string; sort: 'supports' | 'recent'; page?: number; pageSize?: number },
) {
  // the page's ids come from the index alone (deep pages walk the index, not the rows), then their rows are read
  const order = (t: string) =>
    sort === 'supports'
      ? sql.raw(`${t}support_count desc, ${t}created_at, ${t}id`)
      : sql.raw(`${t}created_at desc, ${t}id`)
  return queryRows<
    ContributionRow & { authorName: string | null; commitmentTitle: string | null; milestoneTitle: string | null }
  >(
    db,
    sql`select c.id, c.consultation_id as "consultationId", c.territory_id as "territoryId", c.author_id as "authorId", c.kind, c.title, c.body,
          c.decision, c.answer, c.answered_at as "answeredAt", c.commitment_id as "commitmentId", c.milestone_id as "milestoneId",
          c.support_count as "supportCount", c.created_at as "createdAt", c.updated_at as "updatedAt",
          c.hidden_at as "hiddenAt", c.hidden_reason as "hiddenReason", c.hidden_by as "hiddenBy",
          c.source_platform as "sourcePlatform", c.source_author as "sourceAuthor", c.source_votes as "sourceVotes", c.theme, c.source_key as "sourceKey",
          case when u.deleted_at is null then u.display_name when c.author_id is null then c.source_author end as "authorName", k.title as "commitmentTitle", mi.title as "milestoneTitle"
        from (select id from contributions where consultation_id = ${consultationId} order by ${order('')} limit ${pageSize} offset ${(Math.max(1, page) - 1) * pageSize}) p
        join contributions c on c.id = p.id left join users u on u.id = c.author_id left join public_commitments k on k.id = c.commitment_id
          left join public_milestones mi on mi.id = c.milestone_id and mi.commitment_id = k.id
        order by ${order('c.')}`,
  )
}

export async function listComments(db: Db, contributionIds: string[]) {
  if (contributionIds.length === 0) return []
  return queryRows<{
    id: string
    contributionId: string
    parentId: string | null
    body: string
    createdAt: string
    authorName: string | null
    hiddenAt: string | null
    hiddenReason: string | null
  }>(
    db,
    sql`select m.id, m.contribution_id as "contributionId", m.parent_id as "parentId", m.body, m.created_at as "createdAt",
          m.hidden_at as "hiddenAt", m.hidden_reason as "hiddenReason",
          case when u.deleted_at is null then u.display_name end as "authorName"
        from contribution_comments m left join users u on u.id = m.author_id
        where m.contribution_id in (${sql.join(
          contributionIds.map((id) => sql`${id}`),
          sql`, `,
        )})
        order by m.created_at`,
  )
}

export async function supportedBy(db: Db, userId: string, consultationId: string): Promise<Set<string>> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select s.contribution_id as id from contribution_supports s join contributions c on c.id = s.contribution_id where s.user_id = ${userId} and c.consultation_id = ${consultationId}`,
  )
  return new Set(rows.map((r) => r.id))
}

/** A territory's published consultations, latest first, with their number of contributions. */
export async function publishedConsultations(db: Db, territoryId: string) {
  return queryRows<{
    id: string
    title: string
    question: string
    opensOn: string
    closesOn: string
    status: string
    closedEarlyAt: Date | null
    commitmentId: string | null
    contributions: number
  }>(
    db,
    sql`select c.id, c.title, c.question, c.opens_on::text as "opensOn", c.closes_on::text as "closesOn", c.status, c.closed_early_at as "closedEarlyAt", c.commitment_id as "commitmentId",
          (select count(*)::int from contributions k where k.consultation_id = c.id) as contributions
        from consultations c where c.territory_id = ${territoryId} and c.status <> 'draft' order by c.opens_on desc`,
  )
}
