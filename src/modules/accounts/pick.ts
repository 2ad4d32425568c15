import { escapeLike } from '../../platform/search.ts'
import { and, asc, ilike, isNull, or, sql } from 'drizzle-orm'
import { users } from '../../platform/auth/tables.ts'
import type { Db } from '../../platform/db/index.ts'
import type { Picked, PickerChoice } from '../../platform/layout/picker.tsx'

const MAX_CHOICES = 10

export interface PickedPerson {
  id: string
  email: string
  displayName: string
}

/** How an account is offered to the network's team: its name and its address, which is what the form receives. */
const personChoice = (person: PickedPerson): PickerChoice => ({
  value: person.email,
  label: `${person.displayName} — ${person.email}`,
})
/** A suggestion keeps the address in the text ("Camille Martin <camille@…>") so that it resolves alone. */
const suggestionValue = (person: PickedPerson) => `${person.displayName} <${person.email}>`

async function searchPeople(db: Db, text: string): Promise<PickedPerson[]> {
  const pattern = `%${escapeLike(text.trim())}%`
  const rows = await db
    .select({ id: users.id, email: users.email, displayName: users.displayName })
    .from(users)
    .where(
      and(
        isNull(users.deletedAt),
        sql`${users.email} is not null`,
        or(ilike(users.displayName, pattern), ilike(users.email, pattern)),
      ),
    )
    .orderBy(asc(users.displayName), asc(users.email))
    .limit(MAX_CHOICES + 1)
  return rows.map((r) => ({ id: r.id, email: r.email!, displayName: r.displayName ?? r.email! }))
}

/**
 * The account the network's team named by typing: an address, a suggestion they picked, or part of a
 * name. One exact name or address is taken; otherwise the accounts that match are offered to choose from.
 * For the back office only: it shows addresses.
 */
export async function pickPerson(db: Db, text: string): Promise<Picked<PickedPerson>> {
  const trimmed = text.trim()
  const address = (
    /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(trimmed)?.[1] ?? (/^[^\s@]+@[^\s@]+$/.test(trimmed) ? trimmed : null)
  )?.toLowerCase()
  if (address) {
    const [row] = await db
      .select({ id: users.id, email: users.email, displayName: users.displayName })
      .from(users)
      .where(and(isNull(users.deletedAt), sql`lower(${users.email}) = ${address}`))
    return row
      ? { found: { id: row.id, email: row.email!, displayName: row.displayName ?? row.email! } }
      : { none: true }
  }
  if (trimmed.length < 2) return { none: true }
  const people = await searchPeople(db, trimmed)
  const exact = people.filter((p) => p.displayName.toLowerCase() === trimmed.toLowerCase())
  if (exact.length === 1) return { found: exact[0]! }
  if (people.length === 0) return { none: true }
  return { choices: (exact.length > 1 ? exact : people).slice(0, MAX_CHOICES).map(personChoice) }
}

/** Suggestions for the back office's people picker. */
export async function suggestPeople(db: Db, text: string): Promise<PickerChoice[]> {
  if (text.trim().length < 2) return []
  return (await searchPeople(db, text))
    .slice(0, MAX_CHOICES)
    .map((p) => ({ value: suggestionValue(p), label: personChoice(p).label }))
}
