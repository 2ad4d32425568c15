/**
 * Intl formatters, built once per language tag and option set: building one costs tens of microseconds, and a
 * dashboard formats hundreds of dates and numbers. Options are part of the key, so callers pass literal objects.
 */
type Locale = 'fr' | 'en'

const numberFormats = new Map<string, Intl.NumberFormat>()
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>()
const pluralRules = new Map<string, Intl.PluralRules>()

/** The language tag the platform formats with for each of its languages. */
export const intlTag = (locale: Locale | string): string => (locale === 'fr' ? 'fr-FR' : 'en-GB')

const keyOf = (tag: string, options: object | undefined) => `${tag} ${options ? JSON.stringify(options) : ''}`

export function numberFormat(tag: string, options?: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = keyOf(tag, options)
  let format = numberFormats.get(key)
  if (!format) {
    format = new Intl.NumberFormat(tag, options)
    numberFormats.set(key, format)
  }
  return format
}

export function dateTimeFormat(tag: string, options?: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = keyOf(tag, options)
  let format = dateTimeFormats.get(key)
  if (!format) {
    format = new Intl.DateTimeFormat(tag, options)
    dateTimeFormats.set(key, format)
  }
  return format
}

export function plurals(tag: string): Intl.PluralRules {
  let rules = pluralRules.get(tag)
  if (!rules) {
    rules = new Intl.PluralRules(tag)
    pluralRules.set(tag, rules)
  }
  return rules
}
