import { and, asc, eq, inArray, isNull, lte, or, gt, sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { assertCan, authorizedIn } from '../../platform/auth/policy.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, forbidden, notFound } from '../../platform/errors.ts'
import { getTerritorySummaries } from '../territories/index.ts'
import { contributionGrid, memberships, type GridRow, type MembershipRow } from './tables.ts'
import { queueNotice } from '../../platform/notices.ts'

export type SupportLevel = 'essentiel' | 'renforce'
export const SUPPORT_LEVELS: readonly SupportLevel[] = ['essentiel', 'renforce']
/** A row of the contribution grid: joining the network alone ('reseau'), or the programme at a support level. */
export type GridLevel = 'reseau' | SupportLevel
/** The grid level of a request: the network alone has no support level. */
export const gridLevelOf = (scope: string, supportLevel: SupportLevel | null): GridLevel =>
  scope === 'network' ? 'reseau' : (supportLevel ?? 'essentiel')

export interface MembershipRequestInput {
  requestedScope: 'network' | 'programme'
  contactName: string
  contactEmail: string
  contactRole: string
  politicalCommitment: string
  signatory: string
}

export interface DecisionInput {
  decision: 'accept' | 'decline'
  conventionStart: string | null
  conventionEnd: string | null
  conventionDocumentUrl: string | null
  supportLevel: SupportLevel | null
  decisionNote: string
}

/** The grid's kind for a territory kind: EPCI and EPT share the intercommunal rows. */
export function gridKind(territoryKind: string): string {
  return territoryKind === 'epci' || territoryKind === 'ept' ? 'intercommunalite' : territoryKind
}

/** The contribution for a territory of this kind and population at this grid level, from the grid; null when no row applies. */
export async function contributionFor(
  db: Db,
  options: { territoryKind: string; population: number | null; supportLevel: GridLevel },
): Promise<number | null> {
  const population = options.population ?? 0
  const [row] = await db
    .select({ amount: contributionGrid.amountEur })
    .from(contributionGrid)
    .where(
      and(
        eq(contributionGrid.territoryKind, gridKind(options.territoryKind)),
        eq(contributionGrid.supportLevel, options.supportLevel),
        lte(contributionGrid.populationMin, population),
        or(isNull(contributionGrid.populationMax), gt(contributionGrid.populationMax, population)),
      ),
    )
  return row ? Number(row.amount) : null
}

export async function findMembership(db: Db, territoryId: string): Promise<MembershipRow | undefined> {
  const [row] = await db.select().from(memberships).where(eq(memberships.territoryId, territoryId))
  return row
}

/**
 * A territory asks to join the network or the programme, with its executive's political commitment.
 * Its editors and elected officials may ask; a territory already a candidate or member gets 409; one
 * that left or was declined may ask again. Throws 403, 409.
 */
export async function requestMembership(
  db: Db,
  options: { actor: CurrentUser; territoryId: string; input: MembershipRequestInput },
): Promise<MembershipRow> {
  const { actor, territoryId, input } = options
  assertCan(actor, 'membership.request', territoryId)
  return db.transaction(async (tx) => {
    if (
      (await queryRows(tx, sql`select 1 where ${authorizedIn(actor, 'membership.request', sql`${territoryId}::uuid`)}`))
        .length === 0
    )
      throw forbidden()
    const existing = await findMembership(tx, territoryId)
    if (existing && ['candidate', 'member', 'in_programme'].includes(existing.status)) {
      throw new AppError('MEMBERSHIP_EXISTS', {
        status: 409,
        userMessage: 'Ce territoire a déjà une demande en cours ou est déjà membre.',
      })
    }
    const values = {
      ...input,
      status: 'candidate',
      requestedBy: actor.id,
      requestedAt: new Date(),
      decidedBy: null,
      decidedAt: null,
      decisionNote: '',
      leftAt: null,
      updatedAt: new Date(),
    }
    const [row] = existing
      ? await tx
          .update(memberships)
          .set({ ...values, version: sql`${memberships.version} + 1` })
          .where(eq(memberships.id, existing.id))
          .returning()
      : await tx
          .insert(memberships)
          .values({ ...values, territoryId })
          .returning()
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId,
      action: 'membership.requested',
      subjectType: 'membership',
      subjectId: row!.id,
      after: { requestedScope: input.requestedScope, signatory: input.signatory },
    })
    return row!
  })
}

/**
 * The network's team accepts a request (membership of the network, or of the programme, as asked) with
 * its convention of objectives and the contribution computed from the grid, or declines it with a reason.
 * Platform administrators only. Throws 403, 404, 409, 422.
 */
export async function decideMembership(
  db: Db,
  options: { actor: CurrentUser; membershipId: string; input: DecisionInput },
) {
  const { actor, membershipId, input } = options
  if (!actor.isPlatformAdmin) throw forbidden()
  if (
    input.decision === 'accept' &&
    input.conventionStart &&
    input.conventionEnd &&
    input.conventionEnd < input.conventionStart
  ) {
    throw new AppError('CONVENTION_DATES', {
      status: 422,
      userMessage: 'La convention ne peut pas finir avant de commencer.',
      fields: { conventionEnd: 'membership.error.conventionEnd' },
    })
  }
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(memberships).where(eq(memberships.id, membershipId)).for('update')
    if (!current) throw notFound()
    if (current.status !== 'candidate')
      throw new AppError('MEMBERSHIP_DECIDED', { status: 409, userMessage: 'Cette demande a déjà été traitée.' })
    let contribution: number | null = null
    if (input.decision === 'accept') {
      const [territory] = await getTerritorySummaries(tx, [current.territoryId])
      if (!territory) throw notFound()
      contribution = await contributionFor(tx, {
        territoryKind: territory.kind,
        population: territory.population,
        supportLevel: gridLevelOf(current.requestedScope, input.supportLevel),
      })
      if (contribution === null)
        throw new AppError('NO_GRID_ROW', {
          status: 422,
          userMessage: 'Aucune ligne de la grille de contribution ne correspond à ce territoire.',
          fields: { supportLevel: 'membership.error.grid' },
        })
    }
    const [row] = await tx
      .update(memberships)
      .set({
        status:
          input.decision === 'accept'
            ? current.requestedScope === 'programme'
              ? 'in_programme'
              : 'member'
            : 'declined',
        decidedBy: actor.id,
        decidedAt: new Date(),
        decisionNote: input.decisionNote,
        conventionStart: input.decision === 'accept' ? input.conventionStart : null,
        conventionEnd: input.decision === 'accept' ? input.conventionEnd : null,
        conventionDocumentUrl: input.decision === 'accept' ? input.conventionDocumentUrl : null,
        supportLevel:
          input.decision === 'accept' && current.requestedScope === 'programme'
            ? (input.supportLevel ?? 'essentiel')
            : null,
        contributionEur: contribution === null ? null : String(contribution),
        version: sql`${memberships.version} + 1`,
        updatedAt: new Date(),
      })
      .where(eq(memberships.id, membershipId))
      .returning()
    if (current.requestedBy) {
      const [territory] = await getTerritorySummaries(tx, [current.territoryId])
      const name = territory?.name ?? ''
      const path = territory
        ? `/territoires/${territory.kind}/${encodeURIComponent(territory.code)}/adhesion`
        : '/membres'
      await queueNotice(
        tx,
        input.decision === 'accept'
          ? {
              userId: current.requestedBy,
              subject: 'notice.membership.accepted.subject',
              body: 'notice.membership.accepted.body',
              params: { territory: name },
              path,
            }
          : {
              userId: current.requestedBy,
              subject: 'notice.membership.declined.subject',
              body: 'notice.membership.declined.body',
              params: { territory: name, reason: input.decisionNote.trim() },
              path,
            },
      )
    }
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: current.territoryId,
      action: `membership.${input.decision === 'accept' ? 'accepted' : 'declined'}`,
      subjectType: 'membership',
      subjectId: membershipId,
      before: { status: current.status },
      after: { status: row!.status, contributionEur: contribution, supportLevel: row!.supportLevel },
    })
    return row!
  })
}

/** Records that a member territory left the network (platform administrators). Throws 403, 404, 409. */
export async function markLeft(db: Db, options: { actor: CurrentUser; membershipId: string }) {
  if (!options.actor.isPlatformAdmin) throw forbidden()
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(memberships)
      .set({ status: 'left', leftAt: new Date(), version: sql`${memberships.version} + 1`, updatedAt: new Date() })
      .where(and(eq(memberships.id, options.membershipId), inArray(memberships.status, ['member', 'in_programme'])))
      .returning()
    if (!row)
      throw new AppError('MEMBERSHIP_NOT_ACTIVE', {
        status: 409,
        userMessage: 'Seul un territoire membre peut quitter le réseau.',
      })
    await recordAudit(tx, {
      actorId: options.actor.id,
      territoryId: row.territoryId,
      action: 'membership.left',
      subjectType: 'membership',
      subjectId: row.id,
    })
    return row
  })
}

export async function listMemberships(db: Db, statuses: string[]): Promise<MembershipRow[]> {
  return db
    .select()
    .from(memberships)
    .where(inArray(memberships.status, statuses))
    .orderBy(asc(memberships.requestedAt))
}

export async function listGrid(db: Db): Promise<GridRow[]> {
  return db
    .select()
    .from(contributionGrid)
    .orderBy(
      asc(contributionGrid.territoryKind),
      asc(contributionGrid.supportLevel),
      asc(contributionGrid.populationMin),
    )
}

/** Sets one amount of the contribution grid (platform administrators). Throws 403, 404. */
export async function setGridAmount(
  db: Db,
  options: {
    actor: CurrentUser
    territoryKind: string
    populationMin: number
    supportLevel: string
    amountEur: string
  },
) {
  if (!options.actor.isPlatformAdmin) throw forbidden()
  return db.transaction(async (tx) => {
    const where = and(
      eq(contributionGrid.territoryKind, options.territoryKind),
      eq(contributionGrid.populationMin, options.populationMin),
      eq(contributionGrid.supportLevel, options.supportLevel),
    )
    const [before] = await tx.select().from(contributionGrid).where(where)
    if (!before) throw notFound()
    await tx.update(contributionGrid).set({ amountEur: options.amountEur, updatedAt: new Date() }).where(where)
    await recordAudit(tx, {
      actorId: options.actor.id,
      action: 'grid.updated',
      subjectType: 'contribution_grid',
      subjectId: `${options.territoryKind}/${options.populationMin}/${options.supportLevel}`,
      before: { amountEur: before.amountEur },
      after: { amountEur: options.amountEur },
    })
  })
}
