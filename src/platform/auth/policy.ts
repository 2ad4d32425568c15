import { sql, type SQL, type Column } from 'drizzle-orm'
import { forbidden } from '../errors.ts'
import type { CurrentUser, TerritoryRole } from './current-user.ts'

/**
 * Who may do what in a territory, as data. Platform administrators (the network's team) may do
 * everything; other people act through the roles they hold in that territory.
 */
export const TERRITORY_RULES = {
  'territory.editProfile': ['editor', 'elected'],
  /** draft and edit an action plan, its commitments and milestones; submit, publish, close it */
  'plan.edit': ['editor', 'elected'],
  /** validate a submitted plan, or send it back: the executive's political commitment */
  'plan.validate': ['elected'],
  /** post progress updates and corrections on a published plan */
  'plan.report': ['editor', 'elected'],
  /** ask to join the network or the programme on the territory's behalf */
  'membership.request': ['editor', 'elected'],
  /** open consultations, publish their synthesis and answer each contribution */
  'consultation.manage': ['editor', 'elected'],
  /** publish or reject the questions citizens put to the territory's elected officials */
  'question.moderate': ['moderator'],
  /** schedule, cancel and write the minutes of the territory's public meetings */
  'event.manage': ['editor', 'elected'],
  /** hide and restore contributions and comments, with a public reason */
  'content.moderate': ['moderator'],
  /** convene citizens' assemblies: quotas, volunteers' pool and contacts, the draw, sessions, votes, the report */
  'assembly.manage': ['editor', 'elected'],
  /** give the executive's public answer to an assembly's proposals */
  'assembly.answer': ['elected'],
} as const satisfies Record<string, readonly TerritoryRole[]>

export type TerritoryAction = keyof typeof TERRITORY_RULES

/** True when the person may do this action in this territory. */
export function can(user: CurrentUser | null, action: TerritoryAction, territoryId: string): boolean {
  if (!user) return false
  if (user.isPlatformAdmin) return true
  const allowed: readonly TerritoryRole[] = TERRITORY_RULES[action]
  return user.roles.some((r) => r.territoryId === territoryId && allowed.includes(r.role))
}

/** Throws 403 unless the person may do this action in this territory. */
export function assertCan(user: CurrentUser | null, action: TerritoryAction, territoryId: string): void {
  if (!can(user, action, territoryId)) throw forbidden()
}

/**
 * The same rule as a SQL condition on a territory id column, for the query that does the work: the
 * write happens only if, at that moment, the person still holds a role that allows it in that territory.
 */
export function authorizedIn(user: CurrentUser, action: TerritoryAction, territoryColumn: Column | SQL): SQL {
  const allowed: readonly TerritoryRole[] = TERRITORY_RULES[action]
  const roleList = sql.join(
    allowed.map((role) => sql`${role}`),
    sql`, `,
  )
  return sql`(exists (select 1 from users u where u.id = ${user.id} and u.is_platform_admin and u.deleted_at is null)
    or exists (select 1 from territory_roles r where r.territory_id = ${territoryColumn}
      and r.user_id = ${user.id} and r.role in (${roleList})))`
}
