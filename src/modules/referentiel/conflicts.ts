/** Import conflicts: a field changed at the source after it was edited here. */
import { eq, sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { conflict, forbidden, notFound } from '../../platform/errors.ts'
import type { FicheKind } from './fields.ts'
import { changedFields, type FicheContent } from './content.ts'
import { fiches } from './tables.ts'
import { publishVersion } from './publication.ts'

import { canModerate } from './policy.ts'
export interface ImportConflict {
  id: string
  ficheId: string
  slug: string
  title: string
  kind: FicheKind
  field: string
  sourceValue: unknown
  localValue: unknown
  createdAt: Date
}

/** The conflicts waiting for a decision, oldest first. */
export async function openImportConflicts(db: Db, limit = 200): Promise<ImportConflict[]> {
  const rows = await queryRows<ImportConflict>(
    db,
    sql`select c.id, c.fiche_id as "ficheId", f.slug, f.title, f.kind, c.field, c.source_value as "sourceValue", c.local_value as "localValue", c.created_at as "createdAt"
        from referentiel_import_conflicts c join referentiel_fiches f on f.id = c.fiche_id
        where c.resolved_at is null order by c.created_at, c.id limit ${limit}`,
  )
  return rows.map((c) => ({ ...c, createdAt: new Date(c.createdAt) }))
}

/**
 * A network moderator decides a conflict: take the source's value (a new published version with it, the other
 * fields as published) or keep the published one. Either way it is closed, once, with an audit trace.
 */
export async function resolveImportConflict(
  db: Db,
  options: { actor: CurrentUser; conflictId: string; choice: 'source' | 'local' },
): Promise<{ slug: string }> {
  const { actor, conflictId, choice } = options
  if (!canModerate(actor, null)) throw forbidden('Seuls les modérateurs du réseau tranchent les conflits d’import.')
  return db.transaction(async (tx) => {
    const [open] = await queryRows<{ ficheId: string; field: string; sourceValue: unknown }>(
      tx,
      sql`select fiche_id as "ficheId", field, source_value as "sourceValue" from referentiel_import_conflicts where id = ${conflictId} and resolved_at is null for update`,
    )
    if (!open) throw conflict('CONFLICT_RESOLVED', 'Ce conflit a déjà été tranché.')
    const [fiche] = await tx.select().from(fiches).where(eq(fiches.id, open.ficheId)).for('update')
    if (!fiche) throw notFound()
    if (choice === 'source' && fiche.content) {
      const content: FicheContent = {
        ...fiche.content,
        [open.field]: (open.sourceValue ?? null) as FicheContent[string],
      }
      if (changedFields(fiche.kind as FicheKind, fiche.content, content).length > 0)
        await publishVersion(tx, { fiche, content, actorId: actor.id, note: 'import' })
    }
    await tx.execute(
      sql`update referentiel_import_conflicts set resolved_at = now(), resolved_by = ${actor.id}, resolution = ${choice} where id = ${conflictId}`,
    )
    await recordAudit(tx, {
      actorId: actor.id,
      action: 'referentiel.conflict_resolved',
      subjectType: 'referentiel_fiche',
      subjectId: fiche.id,
      after: { field: open.field, choice },
    })
    return { slug: fiche.slug }
  })
}
