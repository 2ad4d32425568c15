import { escapeLike } from '../../platform/search.ts'
import { sql } from 'drizzle-orm'
import { queryRows, type Db } from '../../platform/db/index.ts'
import type { Picked, PickerChoice } from '../../platform/layout/picker.tsx'
import { getTerritorySummaries } from '../territories/index.ts'

const MAX_CHOICES = 10
const UUID = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?\s*$/i

export interface PickedCommitment {
  id: string
  title: string
  territoryName: string
}

/** Public commitments (of published or closed plans) whose title holds the text, with their territory's name. */
async function searchPublicCommitments(db: Db, text: string): Promise<PickedCommitment[]> {
  const rows = await queryRows<{ id: string; title: string; territoryId: string }>(
    db,
    sql`select id, title, territory_id as "territoryId" from public_commitments where title ilike ${`%${escapeLike(text)}%`} order by length(title), title limit ${MAX_CHOICES + 1}`,
  )
  const names = new Map(
    (await getTerritorySummaries(db, [...new Set(rows.map((r) => r.territoryId))])).map((t) => [t.id, t.name]),
  )
  return rows.map((r) => ({ id: r.id, title: r.title, territoryName: names.get(r.territoryId) ?? '' }))
}

const label = (c: PickedCommitment) => `${c.title} — ${c.territoryName}`
/** A suggestion names the territory in the text ("Ouvrir les données — Rennes") so that it resolves alone. */
const suggestionValue = label
const SEPARATOR = ' — '

/**
 * The public commitment a person named: the address of its page, a suggestion they picked, or words of
 * its title. One exact title is taken; otherwise the commitments whose title holds the words are offered.
 */
export async function pickPublicCommitment(db: Db, text: string): Promise<Picked<PickedCommitment>> {
  const trimmed = text.trim()
  const id = UUID.exec(trimmed)?.[1]?.toLowerCase()
  if (id) {
    const [row] = await queryRows<{ id: string; title: string; territoryId: string }>(
      db,
      sql`select id, title, territory_id as "territoryId" from public_commitments where id = ${id}::uuid`,
    )
    if (!row) return { none: true }
    const [territory] = await getTerritorySummaries(db, [row.territoryId])
    return { found: { id: row.id, title: row.title, territoryName: territory?.name ?? '' } }
  }
  if (trimmed.length < 2) return { none: true }
  const cut = trimmed.lastIndexOf(SEPARATOR)
  const named =
    cut > 0 ? { title: trimmed.slice(0, cut).trim(), territory: trimmed.slice(cut + SEPARATOR.length).trim() } : null
  const candidates = await searchPublicCommitments(db, named ? named.title : trimmed)
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()
  const exact = candidates.filter((c) =>
    named ? same(c.title, named.title) && same(c.territoryName, named.territory) : same(c.title, trimmed),
  )
  if (exact.length === 1) return { found: exact[0]! }
  const offered =
    exact.length > 1
      ? exact
      : candidates.length > 0
        ? candidates
        : named
          ? await searchPublicCommitments(db, trimmed)
          : []
  if (offered.length === 0) return { none: true }
  return { choices: offered.slice(0, MAX_CHOICES).map((c) => ({ value: c.id, label: label(c) })) }
}

/** Suggestions for a commitment picker as a person types. */
export async function suggestPublicCommitments(db: Db, text: string): Promise<PickerChoice[]> {
  if (text.trim().length < 2) return []
  return (await searchPublicCommitments(db, text.trim()))
    .slice(0, MAX_CHOICES)
    .map((c) => ({ value: suggestionValue(c), label: label(c) }))
}
