import { and, desc, eq, sql } from 'drizzle-orm'
import { datedPhase, type DatedPhase } from '../../platform/phase.ts'
import { recordActivity } from '../../platform/activity.ts'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { assertCan, authorizedIn, can } from '../../platform/auth/policy.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.ts'
import {
  contributionComments,
  contributions,
  contributionSupports,
  consultations,
  type ConsultationRow,
  type ContributionRow,
} from './tables.ts'
import { queueNotice } from '../../platform/notices.ts'

export const CONTRIBUTION_KINDS = ['idea', 'opinion', 'critique'] as const
export type ContributionKind = (typeof CONTRIBUTION_KINDS)[number]
export type Phase = DatedPhase

/** Where a consultation stands today (Paris dates): its status, then an early close, then its dates. */
export const phaseOf = (
  c: Pick<ConsultationRow, 'status' | 'opensOn' | 'closesOn'> & { closedEarlyAt?: Date | string | null },
  today: string,
): Phase => datedPhase(c, today)

// ---------------------------------------------------------------------------------------------------
// Consultations (the territory's staff)

export interface ConsultationInput {
  title: string
  question: string
  context: string
  opensOn: string
  closesOn: string
  commitmentId: string | null
}

async function checkCommitment(db: Db, territoryId: string, commitmentId: string | null): Promise<void> {
  if (!commitmentId) return
  // a link to a commitment of a plan not yet public would show its title: refused
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`select id from public_commitments where id = ${commitmentId} and territory_id = ${territoryId}`,
  )
  if (!row) throw invalid({ commitmentId: 'consult.error.commitment' })
}

export async function createConsultation(
  db: Db,
  options: { actor: CurrentUser; territoryId: string; input: ConsultationInput; publish: boolean },
): Promise<ConsultationRow> {
  const { actor, territoryId, input, publish } = options
  assertCan(actor, 'consultation.manage', territoryId)
  await checkCommitment(db, territoryId, input.commitmentId)
  return db.transaction(async (tx) => {
    if (
      (
        await queryRows(
          tx,
          sql`select 1 where ${authorizedIn(actor, 'consultation.manage', sql`${territoryId}::uuid`)}`,
        )
      ).length === 0
    )
      throw forbidden()
    const [row] = await tx
      .insert(consultations)
      .values({ ...input, territoryId, status: publish ? 'published' : 'draft', createdBy: actor.id })
      .returning()
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId,
      action: 'consultation.created',
      subjectType: 'consultation',
      subjectId: row!.id,
      after: { ...input, status: row!.status },
    })
    if (publish) await announceConsultation(tx, row!, actor.id)
    return row!
  })
}

export async function publishConsultation(db: Db, actor: CurrentUser, id: string): Promise<void> {
  const c = await findConsultation(db, id)
  assertCan(actor, 'consultation.manage', c.territoryId)
  await db.transaction(async (tx) => {
    const done = await tx
      .update(consultations)
      .set({ status: 'published', updatedAt: new Date() })
      .where(
        and(
          eq(consultations.id, id),
          eq(consultations.status, 'draft'),
          authorizedIn(actor, 'consultation.manage', consultations.territoryId),
        ),
      )
      .returning({ id: consultations.id })
    if (done.length === 0) throw conflict('NOT_DRAFT', 'Cette consultation est déjà publiée.')
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: c.territoryId,
      action: 'consultation.published',
      subjectType: 'consultation',
      subjectId: id,
    })
    await announceConsultation(tx, c, actor.id)
  })
}

/** What the public sees changed in a published consultation; `closedEarly` has the planned and the actual last day. */
export type ChangedField = 'title' | 'question' | 'context' | 'opensOn' | 'closesOn' | 'commitmentId' | 'closedEarly'
export interface ConsultationChange {
  field: ChangedField
  before: string | null
  after: string | null
}
export interface ConsultationChangeRow {
  changedAt: Date
  changes: ConsultationChange[]
  reason: string
}

const EDITABLE: readonly (keyof ConsultationInput)[] = [
  'title',
  'question',
  'context',
  'opensOn',
  'closesOn',
  'commitmentId',
]

/** The changes of a published consultation, oldest first (public). */
export async function listConsultationChanges(db: Db, consultationId: string): Promise<ConsultationChangeRow[]> {
  const rows = await queryRows<ConsultationChangeRow>(
    db,
    sql`select changed_at as "changedAt", changes, reason from consultation_changes where consultation_id = ${consultationId} order by id`,
  )
  // raw queries return timestamps as text on one driver and as dates on the other
  return rows.map((row) => ({ ...row, changedAt: new Date(row.changedAt) }))
}

/**
 * The staff edit a consultation. A draft changes freely. Once published, until its synthesis: the wording and the
 * linked commitment change, the opening day only while it has not opened, the closing day to today or later — an
 * extension reopens a consultation that had closed, or was closed early — and each change is kept, with its reason,
 * in the consultation's public history. Returns whether anything changed.
 */
export async function updateConsultation(
  db: Db,
  options: { actor: CurrentUser; consultationId: string; input: ConsultationInput; reason: string; today: string },
): Promise<boolean> {
  const { actor, consultationId: id, input, reason, today } = options
  const c = await findConsultation(db, id)
  assertCan(actor, 'consultation.manage', c.territoryId)
  if (c.status === 'answered') throw conflict('ANSWERED', 'La synthèse est publiée : la consultation ne change plus.')
  const errors: Record<string, string> = {}
  const published = c.status === 'published'
  const phase = phaseOf(c, today)
  if (published && input.opensOn !== c.opensOn && (phase !== 'upcoming' || input.opensOn < today))
    errors.opensOn = phase === 'upcoming' ? 'consult.error.opensPast' : 'consult.error.opensFixed'
  if (published && input.closesOn !== c.closesOn && input.closesOn < today) errors.closesOn = 'consult.error.closesPast'
  if (input.closesOn < input.opensOn) errors.closesOn = 'consult.error.dates'
  if (reason.length > 2000) errors.reason = 'consult.error.reason'
  if (Object.keys(errors).length > 0) throw invalid(errors)
  await checkCommitment(db, c.territoryId, input.commitmentId)
  const changes: ConsultationChange[] = EDITABLE.filter((field) => (input[field] ?? null) !== (c[field] ?? null)).map(
    (field) => ({ field, before: c[field] ?? null, after: input[field] ?? null }),
  )
  const reopens = c.closedEarlyAt !== null && input.closesOn >= today && input.closesOn !== c.closesOn
  if (changes.length === 0) return false
  return db.transaction(async (tx) => {
    const done = await tx
      .update(consultations)
      .set({ ...input, ...(reopens ? { closedEarlyAt: null } : {}), updatedAt: new Date() })
      .where(
        and(
          eq(consultations.id, id),
          eq(consultations.status, c.status),
          authorizedIn(actor, 'consultation.manage', consultations.territoryId),
        ),
      )
      .returning({ id: consultations.id })
    if (done.length === 0) throw conflict('CHANGED', 'La consultation vient de changer d’état : rechargez la page.')
    if (published)
      await tx.execute(
        sql`insert into consultation_changes (consultation_id, territory_id, changes, reason) values (${id}, ${c.territoryId}, ${JSON.stringify(changes)}::jsonb, ${reason.trim()})`,
      )
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: c.territoryId,
      action: 'consultation.updated',
      subjectType: 'consultation',
      subjectId: id,
      before: Object.fromEntries(changes.map((x) => [x.field, x.before])),
      after: { ...Object.fromEntries(changes.map((x) => [x.field, x.after])), reason },
    })
    return true
  })
}

/** The staff close an open consultation before its planned last day (today becomes its last day), with a public reason. */
export async function closeConsultationEarly(
  db: Db,
  options: { actor: CurrentUser; consultationId: string; reason: string; today: string },
): Promise<void> {
  const { actor, consultationId: id, reason, today } = options
  const c = await findConsultation(db, id)
  assertCan(actor, 'consultation.manage', c.territoryId)
  if (phaseOf(c, today) !== 'open')
    throw conflict('NOT_OPEN', 'Seule une consultation ouverte se clôt par anticipation.')
  if (reason.trim().length < 3 || reason.length > 2000) throw invalid({ reason: 'consult.error.closeReason' })
  await db.transaction(async (tx) => {
    const done = await tx
      .update(consultations)
      .set({ closedEarlyAt: new Date(), closesOn: today, updatedAt: new Date() })
      .where(
        and(
          eq(consultations.id, id),
          eq(consultations.status, 'published'),
          sql`${consultations.closedEarlyAt} is null`,
          authorizedIn(actor, 'consultation.manage', consultations.territoryId),
        ),
      )
      .returning({ id: consultations.id })
    if (done.length === 0) throw conflict('NOT_OPEN', 'Seule une consultation ouverte se clôt par anticipation.')
    const changes: ConsultationChange[] = [{ field: 'closedEarly', before: c.closesOn, after: today }]
    await tx.execute(
      sql`insert into consultation_changes (consultation_id, territory_id, changes, reason) values (${id}, ${c.territoryId}, ${JSON.stringify(changes)}::jsonb, ${reason.trim()})`,
    )
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: c.territoryId,
      action: 'consultation.closed_early',
      subjectType: 'consultation',
      subjectId: id,
      before: { closesOn: c.closesOn },
      after: { closesOn: today, reason },
    })
  })
}

const announceConsultation = (
  tx: Db,
  c: Pick<ConsultationRow, 'id' | 'territoryId' | 'commitmentId' | 'title'>,
  actorId: string,
) =>
  recordActivity(tx, {
    territoryId: c.territoryId,
    territoryWide: true,
    subjects: { consultation: c.id, commitment: c.commitmentId },
    kind: 'consultation.published',
    title: c.title,
    path: `/consultations/${c.id}`,
    actorId,
  })

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

/** The staff publish the synthesis once the consultation is closed: it becomes "answered". */
export async function publishSynthesis(
  db: Db,
  options: { actor: CurrentUser; consultationId: string; synthesis: string; today: string },
): Promise<void> {
  const { actor, consultationId: id, synthesis, today } = options
  const c = await findConsultation(db, id)
  assertCan(actor, 'consultation.manage', c.territoryId)
  if (phaseOf(c, today) !== 'closed')
    throw conflict('NOT_CLOSED', 'La synthèse se publie une fois la consultation close.')
  if (synthesis.trim() === '') throw invalid({ synthesis: 'consult.error.synthesis' })
  await db.transaction(async (tx) => {
    const done = await tx
      .update(consultations)
      .set({ status: 'answered', synthesis: synthesis.trim(), answeredAt: new Date(), updatedAt: new Date() })
      .where(
        and(
          eq(consultations.id, id),
          eq(consultations.status, 'published'),
          sql`(${consultations.closesOn} < ${today} or ${consultations.closedEarlyAt} is not null)`,
          authorizedIn(actor, 'consultation.manage', consultations.territoryId),
        ),
      )
      .returning({ id: consultations.id })
    if (done.length === 0) throw conflict('NOT_CLOSED', 'Cette consultation a déjà sa synthèse.')
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: c.territoryId,
      action: 'consultation.answered',
      subjectType: 'consultation',
      subjectId: id,
    })
    await recordActivity(tx, {
      territoryId: c.territoryId,
      territoryWide: true,
      subjects: { consultation: c.id, commitment: c.commitmentId },
      kind: 'consultation.answered',
      title: c.title,
      path: `/consultations/${c.id}`,
      actorId: actor.id,
    })
  })
}

// ---------------------------------------------------------------------------------------------------
// Contributions (signed-in citizens)

export interface ContributionInput {
  kind: ContributionKind
  title: string
  body: string
}

function checkContribution(input: ContributionInput): void {
  const errors: Record<string, string> = {}
  if (!(CONTRIBUTION_KINDS as readonly string[]).includes(input.kind)) errors.kind = 'consult.error.kind'
  if (input.title.trim().length < 3 || input.title.trim().length > 200) errors.title = 'consult.error.title'
  if (input.body.trim().length < 1 || input.body.length > 10000) errors.body = 'consult.error.body'
  if (Object.keys(errors).length > 0) throw invalid(errors)
}

/** SQL: the contribution's consultation is open today. */
const openToday = (consultationId: unknown, today: string) =>
  sql`exists (select 1 from consultations c where c.id = ${consultationId} and c.status = 'published' and c.closed_early_at is null and c.opens_on <= ${today} and c.closes_on >= ${today})`

export async function contribute(
  db: Db,
  options: { actor: CurrentUser; consultationId: string; input: ContributionInput; today: string },
): Promise<ContributionRow> {
  const { actor, consultationId, input, today } = options
  const c = await findConsultation(db, consultationId)
  if (phaseOf(c, today) !== 'open')
    throw conflict('NOT_OPEN', 'Cette consultation n’est pas ouverte aux contributions.')
  checkContribution(input)
  return db.transaction(async (tx) => {
    const rows = await queryRows<ContributionRow>(
      tx,
      sql`insert into contributions (consultation_id, territory_id, author_id, kind, title, body)
          select ${c.id}, ${c.territoryId}, ${actor.id}, ${input.kind}, ${input.title.trim()}, ${input.body.trim()}
          where ${openToday(c.id, today)}
          returning id`,
    )
    if (rows.length === 0) throw conflict('NOT_OPEN', 'Cette consultation vient de fermer.')
    await tx.execute(sql`update consultations set contribution_count = contribution_count + 1 where id = ${c.id}`)
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: c.territoryId,
      action: 'contribution.created',
      subjectType: 'contribution',
      subjectId: rows[0]!.id,
      after: input,
    })
    await recordActivity(tx, {
      territoryId: c.territoryId,
      territoryWide: false,
      subjects: { consultation: c.id },
      kind: 'contribution.created',
      title: input.title.trim(),
      path: `/consultations/${c.id}#contribution-${rows[0]!.id}`,
      actorId: actor.id,
      source: `contribution:${rows[0]!.id}`,
    })
    const [row] = await tx.select().from(contributions).where(eq(contributions.id, rows[0]!.id))
    return row!
  })
}

export async function findContribution(db: Db, id: string): Promise<ContributionRow> {
  const [row] = await db.select().from(contributions).where(eq(contributions.id, id))
  if (!row) throw notFound()
  return row
}

/** The author edits their own contribution, while the consultation is open. */
export async function editContribution(
  db: Db,
  options: { actor: CurrentUser; contributionId: string; input: ContributionInput; today: string },
): Promise<void> {
  const { actor, contributionId: id, input, today } = options
  const before = await findContribution(db, id)
  if (before.authorId !== actor.id) throw forbidden('Seul l’auteur d’une contribution peut la modifier.')
  checkContribution(input)
  await db.transaction(async (tx) => {
    const done = await tx
      .update(contributions)
      .set({ kind: input.kind, title: input.title.trim(), body: input.body.trim(), updatedAt: new Date() })
      .where(
        and(
          eq(contributions.id, id),
          eq(contributions.authorId, actor.id),
          openToday(contributions.consultationId, today),
        ),
      )
      .returning({ id: contributions.id })
    if (done.length === 0) throw conflict('NOT_OPEN', 'La consultation est close : la contribution ne change plus.')
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: before.territoryId,
      action: 'contribution.edited',
      subjectType: 'contribution',
      subjectId: id,
      before: { kind: before.kind, title: before.title, body: before.body },
      after: input,
    })
  })
}

/**
 * Supports a contribution (or withdraws the support). The primary key allows one support per person;
 * the count moves in the same transaction, only when a row was really added or removed.
 */
export async function setSupport(
  db: Db,
  options: { actor: CurrentUser; contributionId: string; supported: boolean; today: string },
): Promise<{ supported: boolean; count: number }> {
  const { actor, contributionId, supported, today } = options
  const contribution = await findContribution(db, contributionId)
  const c = await findConsultation(db, contribution.consultationId)
  if (phaseOf(c, today) !== 'open')
    throw conflict('NOT_OPEN', 'Les soutiens sont possibles tant que la consultation est ouverte.')
  return db.transaction(async (tx) => {
    const changed = supported
      ? await tx
          .insert(contributionSupports)
          .values({ contributionId, userId: actor.id, territoryId: contribution.territoryId })
          .onConflictDoNothing()
          .returning({ id: contributionSupports.userId })
      : await tx
          .delete(contributionSupports)
          .where(
            and(eq(contributionSupports.contributionId, contributionId), eq(contributionSupports.userId, actor.id)),
          )
          .returning({ id: contributionSupports.userId })
    let count = contribution.supportCount
    if (changed.length > 0) {
      const [row] = await tx
        .update(contributions)
        .set({ supportCount: sql`${contributions.supportCount} + ${supported ? 1 : -1}` })
        .where(eq(contributions.id, contributionId))
        .returning({ count: contributions.supportCount })
      count = row!.count
      await recordAudit(tx, {
        actorId: actor.id,
        territoryId: contribution.territoryId,
        action: supported ? 'contribution.supported' : 'contribution.unsupported',
        subjectType: 'contribution',
        subjectId: contributionId,
      })
    } else {
      const [row] = await tx
        .select({ count: contributions.supportCount })
        .from(contributions)
        .where(eq(contributions.id, contributionId))
      count = row!.count
    }
    return { supported, count }
  })
}

export async function comment(
  db: Db,
  options: {
    actor: CurrentUser
    contributionId: string
    input: { body: string; parentId: string | null }
    today: string
  },
): Promise<void> {
  const { actor, contributionId, input, today } = options
  const contribution = await findContribution(db, contributionId)
  const c = await findConsultation(db, contribution.consultationId)
  if (phaseOf(c, today) !== 'open')
    throw conflict('NOT_OPEN', 'Les commentaires sont possibles tant que la consultation est ouverte.')
  if (input.body.trim() === '' || input.body.length > 5000) throw invalid({ body: 'consult.error.body' })
  if (input.parentId) {
    const [parent] = await queryRows<{ id: string }>(
      db,
      sql`select id from contribution_comments where id = ${input.parentId} and contribution_id = ${contributionId}`,
    )
    if (!parent) throw notFound()
  }
  await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(contributionComments)
      .values({
        contributionId,
        territoryId: contribution.territoryId,
        parentId: input.parentId,
        authorId: actor.id,
        body: input.body.trim(),
      })
      .returning()
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: contribution.territoryId,
      action: 'comment.created',
      subjectType: 'contribution',
      subjectId: contributionId,
      after: { commentId: row!.id },
    })
    await recordActivity(tx, {
      territoryId: contribution.territoryId,
      territoryWide: false,
      subjects: { consultation: contribution.consultationId },
      kind: 'comment.created',
      title: contribution.title,
      path: `/consultations/${contribution.consultationId}#commentaire-${row!.id}`,
      actorId: actor.id,
      source: `comment:${row!.id}`,
    })
  })
}

// ---------------------------------------------------------------------------------------------------
// The territory's answer on each contribution: the link from an idea to what was done with it

export interface AnswerInput {
  decision: 'retained' | 'not_retained'
  answer: string
  commitmentId: string | null
  milestoneId: string | null
}

export async function answerContribution(
  db: Db,
  options: { actor: CurrentUser; contributionId: string; input: AnswerInput; today: string },
): Promise<void> {
  const { actor, contributionId, input, today } = options
  const contribution = await findContribution(db, contributionId)
  assertCan(actor, 'consultation.manage', contribution.territoryId)
  const c = await findConsultation(db, contribution.consultationId)
  const phase = phaseOf(c, today)
  if (phase !== 'open' && phase !== 'closed' && phase !== 'answered')
    throw conflict('NOT_OPEN', 'La réponse se donne une fois la consultation ouverte.')
  if (input.answer.trim() === '') throw invalid({ answer: 'consult.error.answer' })
  await checkCommitment(db, contribution.territoryId, input.commitmentId)
  if (input.milestoneId) {
    const [m] = await queryRows<{ id: string }>(
      db,
      sql`select id from public_milestones where id = ${input.milestoneId} and commitment_id = ${input.commitmentId ?? '00000000-0000-0000-0000-000000000000'}`,
    )
    if (!m) throw invalid({ milestoneId: 'consult.error.milestone' })
  }
  await db.transaction(async (tx) => {
    const done = await tx
      .update(contributions)
      .set({
        decision: input.decision,
        answer: input.answer.trim(),
        commitmentId: input.commitmentId,
        milestoneId: input.milestoneId,
        answeredBy: actor.id,
        answeredAt: new Date(),
        updatedAt: new Date(),
      })
      .where(
        and(
          eq(contributions.id, contributionId),
          authorizedIn(actor, 'consultation.manage', contributions.territoryId),
        ),
      )
      .returning({ id: contributions.id })
    if (done.length === 0) throw forbidden()
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: contribution.territoryId,
      action: 'contribution.answered',
      subjectType: 'contribution',
      subjectId: contributionId,
      before: { decision: contribution.decision, answer: contribution.answer },
      after: input,
    })
    await recordActivity(tx, {
      territoryId: contribution.territoryId,
      territoryWide: false,
      subjects: { consultation: contribution.consultationId, commitment: input.commitmentId },
      kind: input.decision === 'retained' ? 'contribution.retained' : 'contribution.not_retained',
      title: contribution.title,
      path: `/consultations/${contribution.consultationId}#contribution-${contributionId}`,
      actorId: actor.id,
      source: `contribution:${contributionId}`,
    })
    if (contribution.authorId && contribution.authorId !== actor.id) {
      await queueNotice(tx, {
        userId: contribution.authorId,
        subject: 'notice.contribution.answered.subject',
        body:
          input.decision === 'retained' ? 'notice.contribution.retained.body' : 'notice.contribution.not_retained.body',
        params: { title: contribution.title, answer: input.answer.trim() },
        path: `/consultations/${contribution.consultationId}#contribution-${contributionId}`,
      })
    }
  })
}

// ---------------------------------------------------------------------------------------------------
// Reading

export const CONTRIBUTIONS_PAGE_SIZE = 50

/** A page of a consultation's contributions (pages count from 1), most supported or most recent first. */
export async function listContributions(
  db: Db,
  consultationId: string,
  sort: 'supports' | 'recent',
  page = 1,
  pageSize = CONTRIBUTIONS_PAGE_SIZE,
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
