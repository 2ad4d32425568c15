import { sql, type SQL } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { authorizedIn, can } from '../../platform/auth/policy.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors.ts'
import { MalformedCsv, readCsv } from '../../platform/import/csv.ts'
import { UnreadableFile, worded } from '../../platform/import/text.ts'
import type { Translate } from '../../platform/i18n/index.ts'
import { isEmail, normalizeEmail } from '../../platform/http/rules.ts'
import { stampOf, type TokenSigner } from '../../platform/auth/tokens.ts'
import type { Locale } from '../../platform/i18n/index.ts'
import { queueNotice } from '../../platform/notices.ts'
import type { Instance, Quota } from './sortition/instance.ts'

export const MAJORITIES = ['simple', 'two_thirds', 'absolute'] as const
export type Majority = (typeof MAJORITIES)[number]
export type AssemblyPhase = 'draft' | 'recruiting' | 'closed' | 'drawn'

export interface AssemblyRow {
  id: string
  territoryId: string | null
  territoryName: string | null
  territoryKind: string | null
  territoryCode: string | null
  title: string
  purpose: string
  panelSize: number
  onePerHousehold: boolean
  phase: AssemblyPhase
  majority: Majority
  report: string | null
  reportPublishedAt: Date | null
  /** confirmed volunteers in the pool (the draw counts only them) */
  volunteers: number
  /** registrations whose address is not confirmed yet */
  pendingVolunteers: number
  contactRetentionDays: number
  /** share of the active panel (%) that must vote for a vote to adopt anything; a vote may be opened with another */
  quorumPercent: number
  createdAt: Date
}

export interface AssemblyInput {
  title: string
  purpose: string
  panelSize: number
  onePerHousehold: boolean
  majority: Majority
  /** days the volunteers' contact data is kept after the assembly ends (180 when absent) */
  contactRetentionDays?: number
  /** the default quorum of the assembly's votes, in % of the active panel (50 when absent) */
  quorumPercent?: number
}

export interface QuotaRow extends Quota {
  populationShare: number | null
}

/** Territory assemblies: its editors and elected officials; the State's: the network's team. */
export function canManageAssembly(user: CurrentUser | null, territoryId: string | null): boolean {
  if (!user) return false
  return territoryId ? can(user, 'assembly.manage', territoryId) : user.isPlatformAdmin
}

/** The same rule inside the writing query, on the assembly's territory column. */
export function managesSql(user: CurrentUser, territoryColumn: SQL): SQL {
  return authorizedIn(user, 'assembly.manage', territoryColumn)
}

/** Throws 403 unless the person manages this assembly at this moment (checked in the database). */
export async function assertManager(tx: Db, actor: CurrentUser, assemblyId: string): Promise<void> {
  const rows = await queryRows(
    tx,
    sql`select 1 from assemblies a where a.id = ${assemblyId} and ${managesSql(actor, sql`a.territory_id`)}`,
  )
  if (rows.length === 0) throw forbidden('Réservé aux organisateurs de cette assemblée.')
}

const COLUMNS = sql`a.id, a.territory_id as "territoryId", t.name as "territoryName", t.kind as "territoryKind", t.code as "territoryCode",
  a.title, a.purpose, a.panel_size as "panelSize", a.one_per_household as "onePerHousehold", a.phase, a.majority, a.report,
  a.report_published_at as "reportPublishedAt", a.created_at as "createdAt", a.contact_retention_days as "contactRetentionDays", a.quorum_percent as "quorumPercent",
  (select count(*)::int from assembly_volunteers v where v.assembly_id = a.id and v.withdrawn_at is null and v.confirmed_at is not null) as volunteers,
  (select count(*)::int from assembly_volunteers v where v.assembly_id = a.id and v.withdrawn_at is null and v.confirmed_at is null) as "pendingVolunteers"`

export async function findAssembly(db: Db, id: string): Promise<AssemblyRow> {
  const [row] = await queryRows<AssemblyRow>(
    db,
    sql`select ${COLUMNS} from assemblies a left join public_territories t on t.id = a.territory_id where a.id = ${id}`,
  )
  if (!row) throw notFound()
  return row
}

/** Whether a person may see an assembly: anyone once it leaves the draft (recruitment opens); its organisers from the start. */
export function isVisibleTo(assembly: Pick<AssemblyRow, 'phase' | 'territoryId'>, viewer: CurrentUser | null): boolean {
  return assembly.phase !== 'draft' || canManageAssembly(viewer, assembly.territoryId)
}

/** An assembly as `viewer` may see it (null: the public); a draft is not found for others than its organisers. */
export async function findVisibleAssembly(db: Db, id: string, viewer: CurrentUser | null): Promise<AssemblyRow> {
  const assembly = await findAssembly(db, id)
  if (!isVisibleTo(assembly, viewer)) throw notFound()
  return assembly
}

/**
 * Assemblies of a territory, of the State (null), or all (undefined), most recent first, as `viewer` may see them:
 * drafts only to their organisers (checked in the query).
 */
export async function listAssemblies(
  db: Db,
  territoryId: string | null | undefined,
  viewer: CurrentUser | null,
): Promise<AssemblyRow[]> {
  const where =
    territoryId === undefined
      ? sql`true`
      : territoryId === null
        ? sql`a.territory_id is null`
        : sql`a.territory_id = ${territoryId}`
  const visible = viewer
    ? sql`(a.phase <> 'draft' or ${managesSql(viewer, sql`a.territory_id`)})`
    : sql`a.phase <> 'draft'`
  return queryRows<AssemblyRow>(
    db,
    sql`select ${COLUMNS} from assemblies a left join public_territories t on t.id = a.territory_id where ${where} and ${visible} order by a.created_at desc limit 200`,
  )
}

/** A quorum: a whole percentage of the panel, 0 (none) to 100. */
export const isQuorum = (value: number) => Number.isInteger(value) && value >= 0 && value <= 100

export function validateAssembly(input: AssemblyInput): void {
  const errors: Record<string, string> = {}
  if (input.title.trim().length < 3 || input.title.length > 200) errors.title = 'assembly.error.title'
  if (input.purpose.trim() === '' || input.purpose.length > 20000) errors.purpose = 'assembly.error.purpose'
  if (!Number.isInteger(input.panelSize) || input.panelSize < 2 || input.panelSize > 1000)
    errors.panelSize = 'assembly.error.panelSize'
  if (!MAJORITIES.includes(input.majority)) errors.majority = 'assembly.error.majority'
  const days = input.contactRetentionDays
  if (days !== undefined && !(Number.isInteger(days) && days >= 30 && days <= 1095))
    errors.contactRetentionDays = 'assembly.error.retention'
  if (input.quorumPercent !== undefined && !isQuorum(input.quorumPercent))
    errors.quorumPercent = 'assembly.error.quorum'
  if (Object.keys(errors).length > 0) throw invalid(errors)
}

export async function createAssembly(
  db: Db,
  options: { actor: CurrentUser; territoryId: string | null; input: AssemblyInput },
): Promise<string> {
  const { actor, territoryId, input } = options
  if (!canManageAssembly(actor, territoryId)) throw forbidden('Réservé aux agents et élus du territoire.')
  validateAssembly(input)
  return db.transaction(async (tx) => {
    const [row] = await queryRows<{ id: string }>(
      tx,
      sql`insert into assemblies (territory_id, title, purpose, panel_size, one_per_household, majority, contact_retention_days, quorum_percent, created_by)
          select ${territoryId}::uuid, ${input.title.trim()}, ${input.purpose.trim()}, ${input.panelSize}, ${input.onePerHousehold}, ${input.majority}, ${input.contactRetentionDays ?? 180}, ${input.quorumPercent ?? 50}, ${actor.id}
          where ${managesSql(actor, sql`${territoryId}::uuid`)} returning id`,
    )
    if (!row) throw forbidden()
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId,
      action: 'assembly.created',
      subjectType: 'assembly',
      subjectId: row.id,
      after: input,
    })
    return row.id
  })
}

/** Title, purpose, majority and quorum change any time (an open vote keeps the quorum it opened with); panel size and household rule only before the draw is prepared. */
export async function updateAssembly(
  db: Db,
  options: { actor: CurrentUser; assemblyId: string; input: AssemblyInput },
): Promise<void> {
  const { actor, assemblyId: id, input } = options
  const before = await findAssembly(db, id)
  validateAssembly(input)
  await db.transaction(async (tx) => {
    await assertManager(tx, actor, id)
    const prepared = (await queryRows(tx, sql`select 1 from assembly_draws where assembly_id = ${id}`)).length > 0
    if (prepared && (input.panelSize !== before.panelSize || input.onePerHousehold !== before.onePerHousehold)) {
      throw conflict(
        'DRAW_PREPARED',
        'Le tirage est préparé : la taille du panel et la règle du foyer ne changent plus.',
      )
    }
    await tx.execute(sql`update assemblies set title = ${input.title.trim()}, purpose = ${input.purpose.trim()}, panel_size = ${input.panelSize},
      one_per_household = ${input.onePerHousehold}, majority = ${input.majority}, contact_retention_days = ${input.contactRetentionDays ?? before.contactRetentionDays},
      quorum_percent = ${input.quorumPercent ?? before.quorumPercent}, updated_at = now() where id = ${id}`)
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: before.territoryId,
      action: 'assembly.updated',
      subjectType: 'assembly',
      subjectId: id,
      before: {
        title: before.title,
        panelSize: before.panelSize,
        majority: before.majority,
        quorumPercent: before.quorumPercent,
      },
      after: input,
    })
  })
}

const PHASE_MOVES: Record<string, AssemblyPhase[]> = { recruiting: ['draft', 'closed'], closed: ['recruiting'] }

/** Opens the volunteer form (recruiting), or closes it (the pool is then frozen for the draw). */
export async function setRecruitment(
  db: Db,
  options: { actor: CurrentUser; assemblyId: string; phase: 'recruiting' | 'closed' },
): Promise<void> {
  const { actor, assemblyId: id, phase } = options
  const assembly = await findAssembly(db, id)
  await db.transaction(async (tx) => {
    await assertManager(tx, actor, id)
    if (
      phase === 'recruiting' &&
      (await queryRows(tx, sql`select 1 from assembly_quotas where assembly_id = ${id}`)).length === 0
    ) {
      throw conflict(
        'NO_QUOTAS',
        'Définissez d’abord les catégories et les quotas : le formulaire demande aux volontaires leurs caractéristiques.',
      )
    }
    const moved = await queryRows(
      tx,
      sql`update assemblies set phase = ${phase}, updated_at = now() where id = ${id} and phase in (${sql.join(
        PHASE_MOVES[phase]!.map((p) => sql`${p}`),
        sql`, `,
      )})
          and not exists (select 1 from assembly_draws d where d.assembly_id = ${id}) returning id`,
    )
    if (moved.length === 0) throw conflict('PHASE', 'Cette étape n’est pas possible maintenant.')
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assembly.territoryId,
      action: `assembly.${phase}`,
      subjectType: 'assembly',
      subjectId: id,
      before: { phase: assembly.phase },
    })
  })
}

// ——— quotas ———

export async function listQuotas(db: Db, assemblyId: string): Promise<QuotaRow[]> {
  const rows = await queryRows<{
    category: string
    feature: string
    populationShare: string | null
    min: number
    max: number
  }>(
    db,
    sql`select category, feature, population_share as "populationShare", min, max from assembly_quotas where assembly_id = ${assemblyId} order by position`,
  )
  return rows.map((r) => ({ ...r, populationShare: r.populationShare === null ? null : Number(r.populationShare) }))
}

/**
 * Quotas from population shares: each feature's expected number of panel members (share × panel size), rounded
 * down and up, widened by `margin` people on each side.
 */
export function quotasFromShares(
  rows: { category: string; feature: string; populationShare: number }[],
  panelSize: number,
  margin: number,
): QuotaRow[] {
  return rows.map((r) => {
    const expected = (r.populationShare / 100) * panelSize
    return {
      ...r,
      min: Math.max(0, Math.floor(expected + 1e-9) - margin),
      max: Math.min(panelSize, Math.ceil(expected - 1e-9) + margin),
    }
  })
}

/** Problems of a set of quotas, as one readable sentence each (empty when it can be saved). */
export function quotaProblems(quotas: QuotaRow[], panelSize: number): string[] {
  const problems: string[] = []
  const seen = new Set<string>()
  for (const q of quotas) {
    const key = `${q.category}\u0000${q.feature}`
    if (seen.has(key)) problems.push(`${q.category} / ${q.feature} : présent deux fois.`)
    seen.add(key)
    if (!(Number.isInteger(q.min) && Number.isInteger(q.max) && q.min >= 0 && q.max >= q.min))
      problems.push(
        `${q.category} / ${q.feature} : le minimum et le maximum doivent être des entiers, minimum ≤ maximum.`,
      )
    if (q.populationShare !== null && !(q.populationShare >= 0 && q.populationShare <= 100))
      problems.push(`${q.category} / ${q.feature} : la part de population est un pourcentage entre 0 et 100.`)
  }
  for (const category of new Set(quotas.map((q) => q.category))) {
    const list = quotas.filter((q) => q.category === category)
    const mins = list.reduce((sum, q) => sum + q.min, 0)
    const maxs = list.reduce((sum, q) => sum + q.max, 0)
    if (mins > panelSize)
      problems.push(`${category} : la somme des minimums (${mins}) dépasse la taille du panel (${panelSize}).`)
    if (maxs < panelSize)
      problems.push(`${category} : la somme des maximums (${maxs}) n’atteint pas la taille du panel (${panelSize}).`)
  }
  return problems
}

export class QuotaProblems extends AppError {
  constructor(readonly problems: string[]) {
    super('INVALID_QUOTAS', { status: 422, userMessage: problems.join(' ') })
  }
}

/** Replaces the quotas, before the draw is prepared and while no volunteer has registered with other categories. */
export async function saveQuotas(
  db: Db,
  options: { actor: CurrentUser; assemblyId: string; quotas: QuotaRow[] },
): Promise<void> {
  const { actor, assemblyId, quotas } = options
  const assembly = await findAssembly(db, assemblyId)
  const problems =
    quotas.length === 0 ? ['Au moins une catégorie avec ses modalités.'] : quotaProblems(quotas, assembly.panelSize)
  if (problems.length > 0) throw new QuotaProblems(problems)
  await db.transaction(async (tx) => {
    await assertManager(tx, actor, assemblyId)
    if ((await queryRows(tx, sql`select 1 from assembly_draws where assembly_id = ${assemblyId}`)).length > 0)
      throw conflict('DRAW_PREPARED', 'Le tirage est préparé : les quotas ne changent plus.')
    const before = await listQuotas(tx, assemblyId)
    // volunteers already registered must keep a feature in every category
    const categories = [...new Set(quotas.map((q) => q.category))]
    const orphans = await queryRows<{ number: number }>(
      tx,
      sql`select v.number from assembly_volunteers v where v.assembly_id = ${assemblyId} and v.withdrawn_at is null and not (${sql.join(
        categories.map(
          (c) =>
            sql`(v.features ->> ${c}) in (${sql.join(
              quotas.filter((q) => q.category === c).map((q) => sql`${q.feature}`),
              sql`, `,
            )})`,
        ),
        sql` and `,
      )}) limit 5`,
    )
    if (orphans.length > 0)
      throw new QuotaProblems([
        `Des volontaires inscrits (n° ${orphans.map((o) => o.number).join(', ')}) n’ont pas de modalité dans ces catégories : gardez leurs modalités.`,
      ])
    await tx.execute(sql`delete from assembly_quotas where assembly_id = ${assemblyId}`)
    for (const [position, q] of quotas.entries()) {
      await tx.execute(sql`insert into assembly_quotas (assembly_id, territory_id, position, category, feature, population_share, min, max)
        values (${assemblyId}, ${assembly.territoryId}, ${position}, ${q.category}, ${q.feature}, ${q.populationShare}, ${q.min}, ${q.max})`)
    }
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assembly.territoryId,
      action: 'assembly.quotas_saved',
      subjectType: 'assembly',
      subjectId: assemblyId,
      before,
      after: quotas,
    })
  })
}

// ——— volunteers ———

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

async function insertVolunteer(
  tx: Db,
  assembly: AssemblyRow,
  input: VolunteerInput,
  source: 'form' | 'import',
  locale: Locale = 'fr',
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
  tokens: TokenSigner,
  assemblyId: string,
  input: VolunteerInput & { consent: boolean; locale?: Locale },
  actorId: string | null,
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
    const volunteer = await insertVolunteer(tx, assembly, input, 'form', locale)
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

/** Problems of a volunteers' CSV file, each with its line. */
export class ImportProblems extends AppError {
  constructor(readonly problems: string[]) {
    super('INVALID_IMPORT', { status: 422, userMessage: problems.slice(0, 20).join(' ') })
  }
}

const CONTACT_COLUMNS = {
  fullName: ['name', 'nom', 'full_name'],
  email: ['email', 'e-mail', 'courriel'],
  phone: ['phone', 'telephone', 'téléphone'],
  address: ['address', 'adresse'],
}

/** The longest contact value a volunteer's row may hold (the table checks the same lengths). */
const CONTACT_MAX = { fullName: 200, email: 320, phone: 40, address: 500 } as const

/** What an import did: rows added, and rows skipped because the same person is already in the pool. */
export interface VolunteersImported {
  imported: number
  alreadyInPool: number
}

/** Who a row is, to recognise a person imported twice: the e-mail address, or without one every value of the row. */
function personKey(input: VolunteerInput): string {
  if (input.email) return `email:${normalizeEmail(input.email)}`
  const features = Object.keys(input.features)
    .sort()
    .map((c) => [c, input.features[c]])
  return `row:${JSON.stringify([input.fullName.trim().toLowerCase(), input.phone?.replace(/\s+/g, '') ?? '', input.address?.trim().toLowerCase() ?? '', features])}`
}

/**
 * Imports volunteers from a CSV with one column per quota category (as `respondents.csv`), and optionally name,
 * email, phone and address columns. All rows or none; every problem names its line. Importing the same file again
 * (or an updated export of the same register) adds only the people not yet in the pool.
 */
export async function importVolunteers(
  db: Db,
  options: { actor: CurrentUser; assemblyId: string; file: Uint8Array; t: Translate },
): Promise<VolunteersImported> {
  const { actor, assemblyId, file, t } = options
  const assembly = await findAssembly(db, assemblyId)
  const quotas = await listQuotas(db, assemblyId)
  if (quotas.length === 0) throw conflict('NO_QUOTAS', t('assembly.import.noQuotas'))
  let table
  try {
    table = readCsv(file, { name: 'volontaires.csv', caseInsensitiveHeader: true })
  } catch (error) {
    if (error instanceof MalformedCsv) throw new ImportProblems(error.problems.map((p) => worded(t, p)))
    if (error instanceof UnreadableFile) throw new ImportProblems([worded(t, error.problem)])
    throw error
  }
  // headings as spreadsheets write them: « Genre » is the category genre
  const header = table.header.map((h) => h.toLowerCase())
  const categories = [...new Set(quotas.map((q) => q.category))]
  const categoryColumn = new Map(categories.map((c) => [c, header.indexOf(c.toLowerCase())]))
  const problems: string[] = []
  for (const c of categories)
    if (categoryColumn.get(c)! < 0) problems.push(t('assembly.import.missingColumn', { column: c }))
  if (problems.length > 0) throw new ImportProblems(problems)
  const columnOf = (names: string[]) => header.findIndex((h) => names.includes(h))
  const contact = Object.fromEntries(
    Object.entries(CONTACT_COLUMNS).map(([key, names]) => [key, columnOf(names)]),
  ) as Record<keyof typeof CONTACT_COLUMNS, number>
  const inputs: { input: VolunteerInput; key: string }[] = []
  const firstLineOf = new Map<string, number>()
  for (const row of table.rows) {
    const line = row.line
    const cell = (at: number) => (at >= 0 ? (row.cells[at] ?? '').trim() : '')
    const features = Object.fromEntries(categories.map((c) => [c, cell(categoryColumn.get(c)!)]))
    for (const c of categories)
      if (!quotas.some((q) => q.category === c && q.feature === features[c]))
        problems.push(t('assembly.import.unknownFeature', { line, value: features[c]!, category: c }))
    const input: VolunteerInput = {
      fullName: cell(contact.fullName) || t('assembly.import.unnamed', { line }),
      email: cell(contact.email) || null,
      phone: cell(contact.phone) || null,
      address: cell(contact.address) || null,
      features,
    }
    for (const field of ['fullName', 'email', 'phone', 'address'] as const) {
      const value = input[field]
      if (value && value.length > CONTACT_MAX[field])
        problems.push(
          t('assembly.import.tooLong', { line, field: t(`assembly.import.field.${field}`), max: CONTACT_MAX[field] }),
        )
    }
    if (input.email && !isEmail(normalizeEmail(input.email))) problems.push(t('assembly.import.badEmail', { line }))
    if (assembly.onePerHousehold && householdKey(input.address) === null)
      problems.push(t('assembly.import.needsAddress', { line }))
    const key = personKey(input)
    const first = firstLineOf.get(key)
    if (first !== undefined)
      problems.push(t(input.email ? 'assembly.import.sameEmail' : 'assembly.import.sameRow', { line, first }))
    else {
      firstLineOf.set(key, line)
      inputs.push({ input, key })
    }
  }
  if (table.rows.length === 0) problems.push(t('assembly.import.empty'))
  if (table.rows.length > 20000) problems.push(t('assembly.import.tooMany', { max: 20000 }))
  if (problems.length > 0) throw new ImportProblems([...new Set(problems)])
  return db.transaction(async (tx) => {
    await assertManager(tx, actor, assemblyId)
    const [locked] = await queryRows<{ phase: string }>(
      tx,
      sql`select phase from assemblies where id = ${assemblyId} for update`,
    )
    if (
      locked!.phase === 'drawn' ||
      (await queryRows(tx, sql`select 1 from assembly_draws where assembly_id = ${assemblyId}`)).length > 0
    )
      throw conflict('DRAW_PREPARED', t('assembly.import.drawPrepared'))
    const pool = await queryRows<VolunteerInput>(
      tx,
      sql`select full_name as "fullName", email, phone, address, features from assembly_volunteers
          where assembly_id = ${assemblyId} and withdrawn_at is null and contact_erased_at is null`,
    )
    const known = new Set(pool.map(personKey))
    const fresh = inputs.filter(({ key }) => !known.has(key))
    for (const { input } of fresh) await insertVolunteer(tx, assembly, input, 'import')
    const outcome = { imported: fresh.length, alreadyInPool: inputs.length - fresh.length }
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assembly.territoryId,
      action: 'assembly.volunteers_imported',
      subjectType: 'assembly',
      subjectId: assemblyId,
      after: outcome,
    })
    return outcome
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

/** The pool as a sortition instance (people in volunteer-number order), with households when the rule applies. */
export function instanceOf(assembly: AssemblyRow, quotas: QuotaRow[], volunteers: VolunteerRow[]): Instance {
  const categories = [...new Set(quotas.map((q) => q.category))]
  const instance: Instance = {
    panelSize: assembly.panelSize,
    categories,
    quotas: quotas.map(({ category, feature, min, max }) => ({ category, feature, min, max })),
    people: volunteers.map((v) => v.features),
  }
  if (assembly.onePerHousehold) {
    const byAddress = new Map<string, number[]>()
    volunteers.forEach((v, i) => {
      if (v.householdKey) byAddress.set(v.householdKey, [...(byAddress.get(v.householdKey) ?? []), i])
    })
    instance.households = [...byAddress.values()].filter((list) => list.length > 1)
  }
  return instance
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
