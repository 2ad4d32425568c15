/** Volunteers for the draw: registration, confirmation by mail or by the organiser, withdrawal, erasure. */
import { sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { conflict, invalid, notFound } from '../../platform/errors.ts'
import { isEmail, normalizeEmail } from '../../platform/http/rules.ts'
import { stampOf, type TokenSigner } from '../../platform/auth/tokens.ts'
import type { Locale } from '../../platform/i18n/index.ts'
import { queueNotice } from '../../platform/notices.ts'
import { listQuotas } from './quotas.ts'

import { type AssemblyRow, type QuotaRow, assertManager, findAssembly } from './service.ts'
export interface VolunteerInput {
  fullName: string
  email: string | null
  phone: string | null
  address: string | null
  features: Record<string, string>
}

/** Addresses compared without case, accents, punctuation or repeated spaces. */
export function householdKey(address: string | null): string | null {
  if (!address) return null
  const key = address
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
  return key === '' ? null : key
}

function volunteerProblems(input: VolunteerInput, quotas: QuotaRow[], needsAddress: boolean): Record<string, string> {
  const errors: Record<string, string> = {}
  if (input.fullName.trim().length < 2 || input.fullName.length > 200) errors.fullName = 'assembly.error.name'
  if (input.email !== null && !isEmail(input.email)) errors.email = 'assembly.error.email'
  if (input.email === null && (input.phone ?? '').trim() === '') errors.email = 'assembly.error.contact'
  if (input.phone !== null && !/^[+0-9 ().-]{6,40}$/.test(input.phone)) errors.phone = 'assembly.error.phone'
  if (needsAddress && householdKey(input.address) === null) errors.address = 'assembly.error.address'
  if ((input.address ?? '').length > 500) errors.address = 'assembly.error.address'
  for (const [i, category] of [...new Set(quotas.map((q) => q.category))].entries()) {
    if (!quotas.some((q) => q.category === category && q.feature === input.features[category]))
      errors[`feature${i}`] = 'assembly.error.feature'
  }
  return errors
}

export async function insertVolunteer(
  tx: Db,
  {
    assembly,
    input,
    source,
    locale = 'fr',
  }: { assembly: AssemblyRow; input: VolunteerInput; source: 'form' | 'import'; locale?: Locale },
): Promise<{ id: string; number: number }> {
  const email = input.email ? normalizeEmail(input.email) : null
  const [row] = await queryRows<{ id: string; number: number }>(
    tx,
    sql`insert into assembly_volunteers (assembly_id, territory_id, number, features, full_name, email, phone, address, household_key, source, consent_at, confirmed_at, locale)
        values (${assembly.id}, ${assembly.territoryId}, (select coalesce(max(number), 0) + 1 from assembly_volunteers where assembly_id = ${assembly.id}),
          ${JSON.stringify(input.features)}::jsonb, ${input.fullName.trim()}, ${email}, ${input.phone?.trim() || null}, ${input.address?.trim() || null},
          ${householdKey(input.address)}, ${source}, now(), ${source === 'import' ? sql`now()` : sql`null`}, ${locale})
        returning id, number`,
  )
  return row!
}

/** How long a volunteer's confirmation link works. */
export const VOLUNTEER_LINK_DAYS = 7

/** Ties a confirmation link to the address it was sent to. */
const volunteerStamp = (email: string) => stampOf(`volunteer:${email}`)

function confirmationPath(tokens: TokenSigner, volunteerId: string, email: string): string {
  const token = tokens.sign({
    purpose: 'confirm-volunteer',
    userId: volunteerId,
    stamp: volunteerStamp(email),
    expiresAt: new Date(Date.now() + VOLUNTEER_LINK_DAYS * 86_400_000),
  })
  return `/assemblees/volontariat/confirmer?jeton=${token}`
}

/** What the person sees after the form: check their mail, or wait for the organisers' call (no e-mail given). */
export type Registration = { kind: 'mail'; email: string } | { kind: 'call'; number: number }

/**
 * The public volunteer form: anyone, with or without an account, while recruitment is open. The person consents
 * to the processing of their data for the draw; their name and contact stay private to the organisers. The
 * registration counts once its address is confirmed from the mail it receives (or, without e-mail, once the
 * organisers confirm it by phone), so nobody can put someone else in the pool. An address already confirmed for
 * this assembly gets a mail saying so and nothing changes; the page says the same in both cases, so the form
 * does not tell who volunteered.
 */
export async function registerVolunteer(
  db: Db,
  {
    tokens,
    assemblyId,
    input,
    actorId,
  }: {
    tokens: TokenSigner
    assemblyId: string
    input: VolunteerInput & { consent: boolean; locale?: Locale }
    actorId: string | null
  },
): Promise<Registration> {
  const assembly = await findAssembly(db, assemblyId)
  if (assembly.phase !== 'recruiting')
    throw conflict('NOT_RECRUITING', 'Les inscriptions à cette assemblée ne sont pas ouvertes.')
  const quotas = await listQuotas(db, assemblyId)
  const errors = volunteerProblems(input, quotas, assembly.onePerHousehold)
  if (!input.consent) errors.consent = 'assembly.error.consent'
  if (Object.keys(errors).length > 0) throw invalid(errors)
  const locale = input.locale ?? 'fr'
  return db.transaction(async (tx) => {
    // the assembly row is locked so numbers stay unique
    const [locked] = await queryRows<{ phase: string }>(
      tx,
      sql`select phase from assemblies where id = ${assemblyId} for update`,
    )
    if (locked!.phase !== 'recruiting')
      throw conflict('NOT_RECRUITING', 'Les inscriptions à cette assemblée ne sont pas ouvertes.')
    const email = input.email ? normalizeEmail(input.email) : null
    if (email) {
      const [already] = await queryRows<{ number: number }>(
        tx,
        sql`select number from assembly_volunteers where assembly_id = ${assemblyId} and email = ${email} and withdrawn_at is null and confirmed_at is not null`,
      )
      if (already) {
        await queueNotice(tx, {
          email,
          locale,
          subject: 'notice.volunteer.already.subject',
          body: 'notice.volunteer.already.body',
          params: { title: assembly.title, number: already.number },
          path: `/assemblees/${assemblyId}`,
        })
        return { kind: 'mail', email }
      }
    }
    const volunteer = await insertVolunteer(tx, { assembly, input, source: 'form', locale })
    await recordAudit(tx, {
      actorId,
      territoryId: assembly.territoryId,
      action: 'assembly.volunteer_registered',
      subjectType: 'assembly',
      subjectId: assemblyId,
      after: { number: volunteer.number, source: 'form' },
    })
    if (!email) return { kind: 'call', number: volunteer.number }
    await queueNotice(tx, {
      email,
      locale,
      subject: 'notice.volunteer.confirm.subject',
      body: 'notice.volunteer.confirm.body',
      params: { title: assembly.title, number: volunteer.number, days: VOLUNTEER_LINK_DAYS },
      path: confirmationPath(tokens, volunteer.id, email),
    })
    return { kind: 'mail', email }
  })
}

export type VolunteerConfirmation =
  | { outcome: 'done' | 'already'; assemblyId: string; number: number }
  | { outcome: 'invalid' | 'expired' | 'closed'; assemblyId?: string }

/**
 * The link of the confirmation mail: the registration now counts, until the draw is prepared (the pool is then
 * frozen). Other unconfirmed registrations with the same address in this assembly are withdrawn: one person, one
 * place in the pool.
 */
export async function confirmVolunteer(db: Db, tokens: TokenSigner, token: string): Promise<VolunteerConfirmation> {
  const check = tokens.verify(token, 'confirm-volunteer')
  if (!check.ok) return { outcome: check.reason === 'expired' ? 'expired' : 'invalid' }
  return db.transaction(async (tx) => {
    const [volunteer] = await queryRows<{
      id: string
      assemblyId: string
      territoryId: string | null
      number: number
      email: string | null
      confirmedAt: Date | null
      withdrawnAt: Date | null
    }>(
      tx,
      sql`select id, assembly_id as "assemblyId", territory_id as "territoryId", number, email, confirmed_at as "confirmedAt", withdrawn_at as "withdrawnAt" from assembly_volunteers where id = ${check.userId}`,
    )
    if (!volunteer?.email || check.stamp !== volunteerStamp(volunteer.email)) return { outcome: 'invalid' as const }
    await tx.execute(sql`select 1 from assemblies where id = ${volunteer.assemblyId} for update`)
    const [confirmed] = await queryRows<{ number: number }>(
      tx,
      sql`select number from assembly_volunteers where assembly_id = ${volunteer.assemblyId} and email = ${volunteer.email} and confirmed_at is not null and withdrawn_at is null`,
    )
    if (confirmed) return { outcome: 'already' as const, assemblyId: volunteer.assemblyId, number: confirmed.number }
    if (volunteer.withdrawnAt) return { outcome: 'invalid' as const, assemblyId: volunteer.assemblyId }
    if ((await queryRows(tx, sql`select 1 from assembly_draws where assembly_id = ${volunteer.assemblyId}`)).length > 0)
      return { outcome: 'closed' as const, assemblyId: volunteer.assemblyId }
    await tx.execute(sql`update assembly_volunteers set confirmed_at = now() where id = ${volunteer.id}`)
    await tx.execute(
      sql`update assembly_volunteers set withdrawn_at = now() where assembly_id = ${volunteer.assemblyId} and email = ${volunteer.email} and confirmed_at is null and withdrawn_at is null`,
    )
    await recordAudit(tx, {
      actorId: null,
      territoryId: volunteer.territoryId,
      action: 'assembly.volunteer_confirmed',
      subjectType: 'assembly',
      subjectId: volunteer.assemblyId,
      after: { number: volunteer.number, by: 'mail' },
    })
    return { outcome: 'done' as const, assemblyId: volunteer.assemblyId, number: volunteer.number }
  })
}

/** An organiser confirms a registration they checked themselves (a volunteer without e-mail, called back). */
export async function confirmVolunteerByOrganiser(
  db: Db,
  options: { actor: CurrentUser; assemblyId: string; number: number },
): Promise<void> {
  const { actor, assemblyId, number } = options
  const assembly = await findAssembly(db, assemblyId)
  await db.transaction(async (tx) => {
    await assertManager(tx, actor, assemblyId)
    if ((await queryRows(tx, sql`select 1 from assembly_draws where assembly_id = ${assemblyId}`)).length > 0)
      throw conflict('DRAW_PREPARED', 'Le tirage est préparé : le vivier ne change plus.')
    const done = await queryRows(
      tx,
      sql`update assembly_volunteers set confirmed_at = now() where assembly_id = ${assemblyId} and number = ${number} and withdrawn_at is null and confirmed_at is null returning id`,
    )
    if (done.length === 0) throw notFound('Volontaire introuvable, ou déjà confirmé.')
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assembly.territoryId,
      action: 'assembly.volunteer_confirmed',
      subjectType: 'assembly',
      subjectId: assemblyId,
      after: { number, by: 'organiser' },
    })
  })
}

export interface VolunteerRow {
  id: string
  number: number
  features: Record<string, string>
  fullName: string
  email: string | null
  phone: string | null
  address: string | null
  householdKey: string | null
  source: string
  locale: Locale
  confirmedAt: Date | null
  withdrawnAt: Date | null
  contactErasedAt: Date | null
}

/**
 * The pool with contact data, in number order: for the organisers only (the caller checks). Confirmed volunteers
 * only (those the draw counts), unless `pending` adds the registrations still to confirm.
 */
export async function listVolunteers(
  db: Db,
  assemblyId: string,
  options: { withdrawn?: boolean; pending?: boolean; limit?: number; offset?: number } = {},
): Promise<VolunteerRow[]> {
  return queryRows<VolunteerRow>(
    db,
    sql`select id, number, features, full_name as "fullName", email, phone, address, household_key as "householdKey", source, locale,
          confirmed_at as "confirmedAt", withdrawn_at as "withdrawnAt", contact_erased_at as "contactErasedAt"
        from assembly_volunteers where assembly_id = ${assemblyId} ${options.withdrawn ? sql`` : sql`and withdrawn_at is null`}
          ${options.pending ? sql`` : sql`and confirmed_at is not null`} order by number
        ${options.limit ? sql`limit ${options.limit} offset ${options.offset ?? 0}` : sql``}`,
  )
}

/** An organiser takes a volunteer out of the pool at their request (before the draw is prepared). */
export async function withdrawVolunteer(
  db: Db,
  options: { actor: CurrentUser; assemblyId: string; number: number },
): Promise<void> {
  const { actor, assemblyId, number } = options
  const assembly = await findAssembly(db, assemblyId)
  await db.transaction(async (tx) => {
    await assertManager(tx, actor, assemblyId)
    if ((await queryRows(tx, sql`select 1 from assembly_draws where assembly_id = ${assemblyId}`)).length > 0)
      throw conflict('DRAW_PREPARED', 'Le tirage est préparé : le vivier ne change plus.')
    const done = await queryRows(
      tx,
      sql`update assembly_volunteers set withdrawn_at = now() where assembly_id = ${assemblyId} and number = ${number} and withdrawn_at is null returning id`,
    )
    if (done.length === 0) throw notFound('Volontaire introuvable.')
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assembly.territoryId,
      action: 'assembly.volunteer_withdrawn',
      subjectType: 'assembly',
      subjectId: assemblyId,
      after: { number },
    })
  })
}

/**
 * Erases the volunteers' names and contacts (e-mail, phone, address) of every assembly whose retention period is
 * over: `contact_retention_days` after it ended (its report published, or the day after its last session). The
 * numbers, features and the draw stay, so the transparency page can still be checked; they identify nobody.
 * Returns how many volunteers were erased. Run by the background worker and by `assemblies:erase-contacts`.
 */
export async function eraseExpiredVolunteerContacts(db: Db, now: Date = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const erased = await queryRows<{ assemblyId: string; territoryId: string | null; count: number }>(
      tx,
      sql`with ended as (
            select a.id, a.territory_id, a.contact_retention_days as days,
              greatest(a.report_published_at, (select max(s.ends_on) + 1 from assembly_sessions s where s.assembly_id = a.id)::timestamptz) as ended_at
            from assemblies a
          ), erased as (
            update assembly_volunteers v set full_name = 'Volontaire n° ' || v.number, email = null, phone = null, address = null, household_key = null, contact_erased_at = ${now}
            from ended e
            where v.assembly_id = e.id and v.contact_erased_at is null and e.ended_at is not null and e.ended_at + e.days * interval '1 day' <= ${now}
            returning v.assembly_id, e.territory_id
          )
          select assembly_id as "assemblyId", territory_id as "territoryId", count(*)::int as count from erased group by assembly_id, territory_id`,
    )
    for (const row of erased) {
      await recordAudit(tx, {
        actorId: null,
        territoryId: row.territoryId,
        action: 'assembly.volunteer_contacts_erased',
        subjectType: 'assembly',
        subjectId: row.assemblyId,
        after: { count: row.count },
      })
    }
    return erased.reduce((sum, row) => sum + row.count, 0)
  })
}
