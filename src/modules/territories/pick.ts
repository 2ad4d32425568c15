import type { Db } from '../../platform/db/index.ts'
import type { Translate } from '../../platform/i18n/index.ts'
import type { Picked, PickerChoice } from '../../platform/layout/picker.tsx'
import { normalizeName, parseTerritoryRef } from './normalize.ts'
import { findTerritory, type TerritorySummary } from './queries.ts'
import { searchTerritories } from './service.ts'
import { kindLabel } from './views.tsx'

const MAX_CHOICES = 10

export interface PickedTerritory {
  id: string
  kind: string
  code: string
  name: string
}

/** How a territory is offered: "Saint-Denis — commune 93066 (93)"; the value is its reference kind/code. */
export function territoryChoice(t: Translate, territory: TerritorySummary): PickerChoice {
  const where =
    territory.kind === 'commune' && territory.departements.length > 0 ? ` (${territory.departements.join(', ')})` : ''
  return {
    value: `${territory.kind}/${territory.code}`,
    label: `${territory.name} — ${kindLabel(t, territory).toLowerCase()} ${territory.code}${where}`,
  }
}

/** A suggestion puts the reference in the text itself ("Rennes (commune/35238)") so that it resolves alone. */
const suggestionValue = (territory: TerritorySummary) => `${territory.name} (${territory.kind}/${territory.code})`

/**
 * The territory a person named by typing: a reference (commune/35238), a suggestion they picked, a code
 * or a name. One exact name is taken; otherwise the closest ones are offered to choose from.
 */
export async function pickTerritory(db: Db, t: Translate, text: string): Promise<Picked<PickedTerritory>> {
  const ref = parseTerritoryRef(text) ?? parseTerritoryRef(/\(([a-z]+\/[A-Za-z0-9-]{1,64})\)\s*$/.exec(text)?.[1] ?? '')
  if (ref) {
    const territory = await findTerritory(db, ref.kind, ref.code)
    return territory ? { found: territory } : { none: true }
  }
  const { items } = await searchTerritories(db, { q: text })
  const wanted = normalizeName(text)
  const exact = items.filter((item) => normalizeName(item.name) === wanted || item.code.toLowerCase() === wanted)
  if (exact.length === 1) return { found: exact[0]! }
  if (items.length === 0) return { none: true }
  return { choices: (exact.length > 1 ? exact : items).slice(0, MAX_CHOICES).map((item) => territoryChoice(t, item)) }
}

/** The suggestions for a picker as a person types. */
export async function suggestTerritories(db: Db, t: Translate, text: string): Promise<PickerChoice[]> {
  if (text.trim().length < 2) return []
  const { items } = await searchTerritories(db, { q: text })
  return items
    .slice(0, MAX_CHOICES)
    .map((item) => ({ value: suggestionValue(item), label: territoryChoice(t, item).label }))
}
