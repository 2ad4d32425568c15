/** The states a fiche's version goes through, and who may moderate what. */
import { sql, type SQL } from 'drizzle-orm'
import type { CurrentUser } from '../../platform/auth/current-user.ts'

export type VersionStatus = 'draft' | 'submitted' | 'changes_requested' | 'published' | 'rejected'

export type Decision = 'publish' | 'request_changes' | 'reject'

export const OPEN_STATUSES: readonly VersionStatus[] = ['draft', 'submitted', 'changes_requested']

// ---------------------------------------------------------------------------------------------------
// Who may moderate what

/** Moderators of the whole référentiel: platform administrators and holders of the network role. */
export function isNetworkModerator(user: CurrentUser | null): boolean {
  return !!user && (user.isPlatformAdmin || user.platformRoles.includes('referentiel_moderator'))
}

/** May this person review a fiche about this territory? Territory moderators review their territory's fiches. */
export function canModerate(user: CurrentUser | null, territoryId: string | null): boolean {
  if (!user) return false
  if (isNetworkModerator(user)) return true
  return territoryId !== null && user.roles.some((r) => r.role === 'moderator' && r.territoryId === territoryId)
}

/** True when this person moderates anything at all (to show the queue). */
export function moderatesAnything(user: CurrentUser | null): boolean {
  return isNetworkModerator(user) || !!user?.roles.some((r) => r.role === 'moderator')
}

/** The same rule in SQL, checked by the query that writes: it holds at the moment of the write. */
export function moderationAllowed(user: CurrentUser, territoryIdSql: SQL): SQL {
  return sql`(exists (select 1 from users u where u.id = ${user.id} and u.deleted_at is null
      and (u.is_platform_admin or exists (select 1 from platform_roles p where p.user_id = u.id and p.role = 'referentiel_moderator')))
    or exists (select 1 from territory_roles r where r.user_id = ${user.id} and r.role = 'moderator' and r.territory_id = ${territoryIdSql}))`
}

// ---------------------------------------------------------------------------------------------------
// Content checks that need the database
