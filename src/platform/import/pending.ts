import { sql } from 'drizzle-orm'
import { queryRows, type Db } from '../db/index.ts'
import { notFound } from '../errors.ts'

/**
 * A file kept between an import's preview and its confirmation, so that the person confirms what they saw without
 * sending it again. Only its uploader may confirm it; it is deleted once applied, and after a day in any case.
 */
export interface PendingImport {
  id: string
  territoryId: string | null
  kind: string
  filename: string
  bytes: Buffer
  options: Record<string, unknown>
}

const KEEP_HOURS = 24

export async function savePendingImport(
  db: Db,
  input: Omit<PendingImport, 'id'> & { userId: string },
): Promise<string> {
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`insert into pending_imports (territory_id, user_id, kind, filename, bytes, options)
        values (${input.territoryId}, ${input.userId}, ${input.kind}, ${input.filename.slice(0, 300)}, decode(${input.bytes.toString('base64')}, 'base64'), ${JSON.stringify(input.options)}::jsonb) returning id`,
  )
  return row!.id
}

/** The pending import of this person and kind; 404 when it is not theirs, has expired or was applied. */
export async function loadPendingImport(db: Db, id: string, userId: string, kind: string): Promise<PendingImport> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound()
  const [row] = await queryRows<{
    id: string
    territoryId: string | null
    kind: string
    filename: string
    bytes: string
    options: Record<string, unknown>
  }>(
    db,
    sql`select id, territory_id as "territoryId", kind, filename, encode(bytes, 'base64') as bytes, options from pending_imports
        where id = ${id} and user_id = ${userId} and kind = ${kind} and created_at > now() - make_interval(hours => ${KEEP_HOURS})`,
  )
  if (!row) throw notFound('Cet import a expiré ou a déjà été appliqué : envoyez le fichier à nouveau.')
  return { ...row, bytes: Buffer.from(row.bytes, 'base64') }
}

export async function deletePendingImport(db: Db, id: string): Promise<void> {
  await db.execute(sql`delete from pending_imports where id = ${id}`)
}

/** Deletes the pending imports older than a day (a background task). */
export async function prunePendingImports(db: Db): Promise<number> {
  const rows = await queryRows(
    db,
    sql`delete from pending_imports where created_at < now() - make_interval(hours => ${KEEP_HOURS}) returning id`,
  )
  return rows.length
}
