import { en } from './en.ts'
import { fr, type MessageKey } from './fr.ts'
import { numberFormat, dateTimeFormat, plurals, intlTag } from '../intl.ts'

export type Locale = 'fr' | 'en'
export const LOCALES: readonly Locale[] = ['fr', 'en']
export type { MessageKey }
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string

const dictionaries: Record<Locale, Record<MessageKey, string>> = { fr, en }

export function isLocale(value: unknown): value is Locale {
  return value === 'fr' || value === 'en'
}

export function isMessageKey(value: string): value is MessageKey {
  return Object.hasOwn(fr, value)
}

const translators = new Map<Locale, Translate>()

/** The translator of one locale (made once: Intl formatters are costly to build); numbers in params are formatted for that locale. */
export function translator(locale: Locale): Translate {
  let t = translators.get(locale)
  if (!t) {
    t = makeTranslator(locale)
    translators.set(locale, t)
  }
  return t
}

function makeTranslator(locale: Locale): Translate {
  const dictionary = dictionaries[locale]
  const numbers = numberFormat(intlTag(locale))
  const rulesOfLocale = plurals(intlTag(locale))
  return (key, params) => {
    const text = dictionary[key]
    if (!params) return text
    // `{count|soutien|soutiens}`: the word for the number's plural category (French counts 0 and 1 as singular)
    const worded = text.replace(
      /\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g,
      (whole, name: string, one: string, other: string) => {
        const value = params[name]
        if (typeof value !== 'number') return whole
        return rulesOfLocale.select(value) === 'one' ? one : other
      },
    )
    return worded.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name]
      if (value === undefined) return whole
      return typeof value === 'number' ? numbers.format(value) : value
    })
  }
}

/** "1 fichier", "3 fichiers": a count with the word for its plural category, for text built outside the dictionaries. */
export function counted(locale: Locale, count: number, one: string, other: string): string {
  const rules = plurals(intlTag(locale))
  return `${count} ${rules.select(count) === 'one' ? one : other}`
}

export function formatNumber(locale: Locale, value: number): string {
  return numberFormat(intlTag(locale)).format(value)
}

const dateFormats = new Map<Locale, Intl.DateTimeFormat>()
/** A day in Paris ("3 décembre 2026"), with the formatter built once per locale. */
export function formatDate(locale: Locale, value: Date): string {
  let format = dateFormats.get(locale)
  if (!format) {
    format = dateTimeFormat(intlTag(locale), {
      dateStyle: 'long',
      timeZone: 'Europe/Paris',
    })
    dateFormats.set(locale, format)
  }
  return format.format(value)
}

/** A calendar day written `2026-12-03` ("3 décembre 2026"). */
export const formatIsoDate = (locale: Locale, iso: string): string => formatDate(locale, new Date(`${iso}T12:00:00Z`))

const dateTimeFormats = new Map<Locale, Intl.DateTimeFormat>()
/** A date and time in Paris ("3 décembre 2026 à 10:05"), with the formatter built once per locale. */
export function formatDateTime(locale: Locale, value: Date): string {
  let format = dateTimeFormats.get(locale)
  if (!format) {
    format = dateTimeFormat(intlTag(locale), {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'Europe/Paris',
    })
    dateTimeFormats.set(locale, format)
  }
  return format.format(value)
}
