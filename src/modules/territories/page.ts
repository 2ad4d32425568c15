import { Type } from 'typebox'
import type { Db } from '../../platform/db/index.ts'
import { notFound } from '../../platform/errors.ts'
import { findTerritoryByRef } from './service.ts'
import { territoryPath } from './views.tsx'

/** Route parameters of the pages under `/territoires/:kind/:code/`. */
export const TerritoryRefParams = Type.Object({
  kind: Type.String({ pattern: '^[a-z]{4,12}$' }),
  code: Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$' }),
})

/** The territory a page is addressed by, or a 404. */
export async function territoryOfPage(
  db: Db,
  params: { kind: string; code: string },
): Promise<{ id: string; name: string; path: string }> {
  const territory = await findTerritoryByRef(db, `${params.kind}/${params.code}`)
  if (!territory) throw notFound()
  return { id: territory.id, name: territory.name, path: territoryPath(territory) }
}
