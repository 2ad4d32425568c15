/** A fiche's address: a slug from its title, made unique. */
import { sql } from 'drizzle-orm'
import { queryRows, type Db } from '../../platform/db/index.ts'

export function slugify(title: string): string {
  const slug = title
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '')
  return slug || 'fiche'
}

export async function freeSlug(db: Db, title: string): Promise<string> {
  const base = slugify(title)
  const taken = new Set(
    (
      await queryRows<{ slug: string }>(
        db,
        sql`select slug from referentiel_fiches where slug = ${base} or slug like ${`${base}-%`}`,
      )
    ).map((r) => r.slug),
  )
  if (!taken.has(base)) return base
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`
}

// ---------------------------------------------------------------------------------------------------
// Reading
