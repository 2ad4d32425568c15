/** What the référentiel's pages read: fiches, versions, queues, names for display. */
import { desc, eq, inArray, sql } from 'drizzle-orm'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { users } from '../../platform/auth/tables.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { pickPublicCommitment } from '../plans/index.ts'
import { findTerritoryByRef } from '../territories/index.ts'
import { fieldsOf, type FicheKind } from './fields.ts'
import { isEmpty, type FicheContent } from './content.ts'
import { fiches, versions, type FicheRow, type VersionRow } from './tables.ts'

import { canModerate, moderationAllowed } from './policy.ts'
export async function findFicheBySlug(db: Db, slug: string): Promise<FicheRow | undefined> {
  const [row] = await db.select().from(fiches).where(eq(fiches.slug, slug))
  return row
}

export async function findVersion(db: Db, id: string): Promise<(VersionRow & { fiche: FicheRow }) | undefined> {
  const [row] = await db
    .select({ version: versions, fiche: fiches })
    .from(versions)
    .innerJoin(fiches, eq(fiches.id, versions.ficheId))
    .where(eq(versions.id, id))
  return row ? { ...row.version, fiche: row.fiche } : undefined
}

export async function listVersions(
  db: Db,
  ficheId: string,
): Promise<(VersionRow & { authorName: string | null; reviewerName: string | null })[]> {
  const rows = await db.select().from(versions).where(eq(versions.ficheId, ficheId)).orderBy(desc(versions.number))
  const names = await displayNames(
    db,
    rows.flatMap((r) => [r.authorId, r.reviewerId]),
  )
  return rows.map((r) => ({
    ...r,
    authorName: r.authorId ? (names.get(r.authorId) ?? null) : null,
    reviewerName: r.reviewerId ? (names.get(r.reviewerId) ?? null) : null,
  }))
}

/** Public names of accounts (null for a deleted account). */
export async function displayNames(db: Db, ids: (string | null)[]): Promise<Map<string, string | null>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))]
  if (wanted.length === 0) return new Map()
  const rows = await db
    .select({ id: users.id, name: users.displayName, deletedAt: users.deletedAt })
    .from(users)
    .where(inArray(users.id, wanted))
  return new Map(rows.map((r) => [r.id, r.deletedAt ? null : r.name]))
}

/** May this person see this version? Published versions are public; others, their author and its moderators. */
export function canSeeVersion(user: CurrentUser | null, version: VersionRow, territoryId: string | null): boolean {
  if (version.status === 'published') return true
  if (!user) return false
  return version.authorId === user.id || canModerate(user, territoryId)
}

/** The territory a version is about (its moderators may review it), from its content. */
export async function versionTerritoryId(db: Db, content: FicheContent): Promise<string | null> {
  return typeof content.territory === 'string' ? ((await findTerritoryByRef(db, content.territory))?.id ?? null) : null
}

/** Titles and slugs of fiches by id (for links and diffs). */
export async function ficheNames(
  db: Db,
  ids: string[],
): Promise<Map<string, { slug: string; title: string; kind: string }>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .select({ id: fiches.id, slug: fiches.slug, title: fiches.title, kind: fiches.kind })
    .from(fiches)
    .where(inArray(fiches.id, [...new Set(ids)]))
  return new Map(rows.map((r) => [r.id, { slug: r.slug, title: r.title ?? r.slug, kind: r.kind }]))
}

/**
 * Adds to a fiche's names those of the territory (`territory:<kind/code>`) and public commitment
 * (`commitment:<id>`) its contents point to, so that pages name them instead of showing the raw reference.
 */
export async function addPlaceNames(
  db: Db,
  names: Map<string, { slug: string; title: string; kind: string }>,
  contents: FicheContent[],
): Promise<void> {
  for (const content of contents) {
    if (typeof content.territory === 'string' && !names.has(`territory:${content.territory}`)) {
      const territory = await findTerritoryByRef(db, content.territory)
      if (territory)
        names.set(`territory:${content.territory}`, {
          slug: content.territory,
          title: territory.name,
          kind: 'territory',
        })
    }
    if (
      typeof content.commitment === 'string' &&
      /^[0-9a-f-]{36}$/i.test(content.commitment) &&
      !names.has(`commitment:${content.commitment}`)
    ) {
      const [row] = await queryRows<{ title: string }>(
        db,
        sql`select title from public_commitments where id = ${content.commitment}`,
      )
      if (row)
        names.set(`commitment:${content.commitment}`, {
          slug: content.commitment,
          title: row.title,
          kind: 'commitment',
        })
    }
  }
}

/** Content with linked fiches named (titles) instead of ids, for forms. */
export async function contentForForm(db: Db, kind: FicheKind, content: FicheContent): Promise<Record<string, string>> {
  const ids = fieldsOf(kind).flatMap((f) =>
    f.type === 'fiches' && Array.isArray(content[f.name]) ? (content[f.name] as string[]) : [],
  )
  const names = await ficheNames(db, ids)
  const values: Record<string, string> = {}
  for (const field of fieldsOf(kind)) {
    const value = content[field.name]
    if (isEmpty(value)) continue
    if (field.type === 'fiches')
      values[field.name] = (value as string[]).map((id) => names.get(id)?.slug ?? id).join('\n')
    else if (field.type === 'territory' && typeof value === 'string') {
      const territory = await findTerritoryByRef(db, value)
      values[field.name] = territory ? `${territory.name} (${value})` : value
    } else if (field.type === 'commitment' && typeof value === 'string') {
      const picked = await pickPublicCommitment(db, value)
      values[field.name] = 'found' in picked ? `${picked.found.title} — ${picked.found.territoryName}` : value
    } else if (field.type === 'choices') values[field.name] = (value as string[]).join(',')
    else values[field.name] = Array.isArray(value) ? value.join('\n') : String(value)
  }
  return values
}

export async function myVersions(db: Db, userId: string) {
  return db
    .select({
      id: versions.id,
      number: versions.number,
      status: versions.status,
      updatedAt: versions.updatedAt,
      reviewNote: versions.reviewNote,
      slug: fiches.slug,
      kind: fiches.kind,
      title: sql<string>`${versions.content}->>'title'`,
    })
    .from(versions)
    .innerJoin(fiches, eq(fiches.id, versions.ficheId))
    .where(eq(versions.authorId, userId))
    .orderBy(desc(versions.updatedAt))
    .limit(200)
}

/** Versions waiting for review that this person may review, oldest first. */
export async function moderationQueue(db: Db, user: CurrentUser) {
  const territoryId = sql`(select t.id from public_territories t where t.kind = split_part(v.content->>'territory', '/', 1) and t.code = split_part(v.content->>'territory', '/', 2))`
  return queryRows<{
    id: string
    number: number
    slug: string
    kind: string
    title: string
    submittedAt: string
    authorName: string | null
  }>(
    db,
    sql`select v.id, v.number, f.slug, f.kind, v.content->>'title' as title, v.submitted_at as "submittedAt", a.display_name as "authorName"
        from referentiel_versions v join referentiel_fiches f on f.id = v.fiche_id left join users a on a.id = v.author_id
        where v.status = 'submitted' and ${moderationAllowed(user, territoryId)}
        order by v.submitted_at limit 500`,
  )
}

// ---------------------------------------------------------------------------------------------------
// Writing: contributors
