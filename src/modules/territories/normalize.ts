export const TERRITORY_KINDS = ['commune', 'epci', 'ept', 'departement', 'region', 'autre'] as const
export type TerritoryKind = (typeof TERRITORY_KINDS)[number]

export function isTerritoryKind(value: unknown): value is TerritoryKind {
  return typeof value === 'string' && (TERRITORY_KINDS as readonly string[]).includes(value)
}

/**
 * The searchable form of a name: lower case, no accents, no punctuation, and the usual abbreviations
 * spelt out ("St-Étienne" and "saint etienne" give the same text).
 */
export function normalizeName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^a-z0-9]+/g, ' ')
    .replace(/\bste\b/g, 'sainte')
    .replace(/\bst\b/g, 'saint')
    .replace(/\s+/g, ' ')
    .trim()
}

/** True when the text looks like an INSEE code (2A004, 75056, 93, 971) or a SIREN (9 digits). */
export function looksLikeCode(text: string): boolean {
  return /^(\d{2,9}|2[ab]\d{0,3})$/i.test(text.trim())
}

/** `commune/75056` → { kind, code }; null when it is not of that form. */
export function parseTerritoryRef(ref: string): { kind: TerritoryKind; code: string } | null {
  const match = /^\s*([a-z]+)\s*\/\s*([A-Za-z0-9-]{1,64})\s*$/.exec(ref)
  if (!match || !isTerritoryKind(match[1])) return null
  return { kind: match[1], code: canonicalCode(match[1], match[2]!) }
}

/** Codes of the official geography are upper case (2A004); identifiers of other territories lower case. */
export function canonicalCode(kind: TerritoryKind, code: string): string {
  return kind === 'autre' ? code.toLowerCase() : code.toUpperCase()
}
