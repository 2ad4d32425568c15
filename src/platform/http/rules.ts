import type { MessageKey } from '../i18n/index.ts'
import { readDate } from '../import/dates.ts'
import type { FieldRule } from './forms.ts'

const EMAIL =
  /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/

/** Trimmed, lower-cased e-mail address. */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase()
}

export function isEmail(raw: string): boolean {
  return raw.length <= 254 && EMAIL.test(raw)
}

/** A required e-mail address, normalised. */
export const emailRule: FieldRule<string> = (raw) => {
  const email = normalizeEmail(raw)
  return isEmail(email) ? { value: email } : { error: 'auth.error.emailInvalid' }
}

/** An optional e-mail address: empty gives null. */
export const optionalEmailRule: FieldRule<string | null> = (raw, form) =>
  raw.trim() === '' ? { value: null } : emailRule(raw, form)

/** Trimmed text of min..max characters. */
export function textRule(min: number, max: number, error: MessageKey): FieldRule<string> {
  return (raw) => {
    const value = raw.trim().replace(/\r\n/g, '\n')
    return value.length >= min && value.length <= max ? { value } : { error, params: { min, max } }
  }
}

/** An optional http(s) address: empty gives null. */
export const optionalWebsiteRule: FieldRule<string | null> = (raw) => {
  const value = raw.trim()
  if (value === '') return { value: null }
  try {
    const url = new URL(value)
    if ((url.protocol === 'https:' || url.protocol === 'http:') && value.length <= 500) return { value: url.toString() }
  } catch {
    // not a URL: fall through
  }
  return { error: 'form.invalidUrl' }
}

/** A real calendar date written YYYY-MM-DD. */
/** A UUID as the database writes them (any case). */
export const isUuid = (value: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const date = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value
}

/**
 * A day as people type it — 2027-01-31, or day first as French writes it: 31/01/2027, 31-01-2027, 31.01.2027,
 * 1/2/27 — as YYYY-MM-DD (a browser without a date picker sends what was typed); anything else trimmed, unchanged.
 * The importers' date reader does the reading, so a form and a spreadsheet agree on what a day is.
 */
export function normalizeDay(raw: string): string {
  const value = raw.trim()
  if (!/^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$/.test(value)) return value
  const read = readDate(value, { end: false, order: 'dmy', orderKnown: true })
  return read.kind === 'exact' ? read.iso : value
}

/** Normalises the named form values with `normalizeDay`, in place (so a re-rendered form shows the day it read). */
export function normalizeDays<T extends Record<string, string | undefined>>(values: T, ...names: string[]): T {
  for (const name of names) {
    const value = values[name]
    if (value !== undefined) (values as Record<string, string>)[name] = normalizeDay(value)
  }
  return values
}

/** A required date (YYYY-MM-DD, or day first: see `normalizeDay`). */
export function dateRule(error: MessageKey): FieldRule<string> {
  return (raw) => {
    const value = normalizeDay(raw)
    return isIsoDate(value) ? { value } : { error }
  }
}

/** An optional date (YYYY-MM-DD): empty gives null. */
export function optionalDateRule(error: MessageKey): FieldRule<string | null> {
  return (raw) => (raw.trim() === '' ? { value: null } : dateRule(error)(raw, {}))
}

/** An optional whole number ≥ 0: empty gives null. */
export function optionalCountRule(error: MessageKey): FieldRule<number | null> {
  return (raw) => {
    const value = raw.trim().replace(/[\s\u202f\u00a0]/g, '')
    if (value === '') return { value: null }
    return /^\d{1,9}$/.test(value) ? { value: Number(value) } : { error }
  }
}
