import { Type } from 'typebox'
import { isMessageKey, type MessageKey, type Translate } from '../i18n/index.ts'

/** Body schema of an HTML form: flat string fields (repeated fields become arrays). */
export const FormBody = Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]))
export type FormBody = Record<string, string | string[]>

/** Body schema of a form that may carry a file (multipart): fields as above, the file as bytes. */
export const FormWithFileBody = Type.Record(Type.String(), Type.Unsafe<string | string[] | Buffer>({}))

export type FieldResult<T> = { value: T } | { error: MessageKey; params?: Record<string, string | number> }
export type FieldRule<T> = (raw: string, form: Record<string, string>) => FieldResult<T>

export type ParsedForm<T> =
  | { ok: true; data: T; values: Record<string, string> }
  | { ok: false; errors: Record<string, string>; values: Record<string, string> }

/** The form's fields as single strings; a repeated field (checkboxes) gives its values joined by commas. */
export function formValues(body: unknown): Record<string, string> {
  const values: Record<string, string> = {}
  if (body && typeof body === 'object') {
    for (const [name, value] of Object.entries(body as FormBody)) {
      if (name === '_csrf' || Buffer.isBuffer(value)) continue // files are read from req.uploads
      values[name] = Array.isArray(value) ? value.join(',') : String(value)
    }
  }
  return values
}

/**
 * Checks a posted form against one rule a field; returns the typed data, or the translated error of each
 * field with the values as typed (to re-render the form with status 422).
 */
export function parseForm<T extends object>(
  rules: { [K in keyof T]: FieldRule<T[K]> },
  body: unknown,
  t: Translate,
): ParsedForm<T> {
  const values = formValues(body)
  const data: Record<string, unknown> = {}
  const errors: Record<string, string> = {}
  for (const [name, rule] of Object.entries(rules) as [string, FieldRule<unknown>][]) {
    const result = rule(values[name] ?? '', values)
    if ('error' in result) errors[name] = t(result.error, result.params)
    else {
      data[name] = result.value
      // a form shown again holds what was read (a day typed 31/01/2027 comes back as the date input's 2027-01-31)
      if (typeof result.value === 'string') values[name] = result.value
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors, values }
  return { ok: true, data: data as T, values }
}

const SAME_SITE = 'https://same-site.invalid'

/**
 * A path on this site to go back to after a form, never another site (no open redirect). The target is read as a
 * browser reads it — tabs and line breaks removed, backslashes as slashes — and resolved against the site's origin:
 * anything that lands elsewhere (`//evil`, `/\tevil`, `/\\evil`, `https:`, `javascript:`) gives the fallback.
 */
export function safeNextPath(raw: unknown, fallback = '/'): string {
  if (typeof raw !== 'string') return fallback
  // what the URL parser strips itself (tab, line breaks) and what no path of ours holds (other controls, spaces)
  const cleaned = raw.replace(/[\u0000-\u0020\u007f]/g, '')
  if (!cleaned.startsWith('/')) return fallback
  let url: URL
  try {
    url = new URL(cleaned, SAME_SITE)
  } catch {
    return fallback
  }
  const path = `${url.pathname}${url.search}${url.hash}`
  if (url.origin !== SAME_SITE || path.startsWith('//')) return fallback
  return path
}

/** Field errors carried by an AppError (message keys) as the person reads them; other texts are kept. */
export function translateFieldErrors(t: Translate, fields: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields ?? {}).map(([field, key]) => [field, isMessageKey(key) ? t(key as MessageKey) : key]),
  )
}

/** The query of a picker's suggestion URL: the typed text, under the field's name. */
export const SuggestQuery = Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 300 }), {
  maxProperties: 3,
})
