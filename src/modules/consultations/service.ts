import { and, eq, sql } from 'drizzle-orm'
import { datedPhase, type DatedPhase } from '../../platform/phase.ts'
import { recordActivity } from '../../platform/activity.ts'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { assertCan, authorizedIn } from '../../platform/auth/policy.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { conflict, forbidden, invalid } from '../../platform/errors.ts'
import { consultations, type ConsultationRow } from './tables.ts'
import { findConsultation } from './queries.ts'

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

export async function checkCommitment(db: Db, territoryId: string, commitmentId: string | null): Promise<void> {
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
