/** Contributions of signed-in citizens, their supports and comments, and the territory's answer on each. */
import { and, eq, sql } from 'drizzle-orm'
import { recordActivity } from '../../platform/activity.ts'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { assertCan, authorizedIn } from '../../platform/auth/policy.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.ts'
import { contributionComments, contributions, contributionSupports, type ContributionRow } from './tables.ts'
import { queueNotice } from '../../platform/notices.ts'

import { CONTRIBUTION_KINDS, type ContributionKind, phaseOf, checkCommitment } from './service.ts'
import { findConsultation } from './queries.ts'
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
