import { sql, type SQL } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { authorizedIn, can } from '../../platform/auth/policy.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.ts'
import type { Quota } from './sortition/instance.ts'

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
