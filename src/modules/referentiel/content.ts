/** A fiche's content: values checked against its fields, shown, compared between versions. */
import type { Locale } from '../../platform/i18n/index.ts'
import { isIsoDate, normalizeDay } from '../../platform/http/rules.ts'
import type { PickerChoice } from '../../platform/layout/picker.tsx'
import { isVocabularyKey, vocabularyLabel } from './vocabularies.ts'

import { type FicheKind, type FieldSpec, fieldsOf } from './fields.ts'
export type FieldValue = string | number | string[] | null

/** The content of one version of a fiche: every field of its kind, empty ones as null or []. */
export type FicheContent = Record<string, FieldValue>

const isList = (f: FieldSpec) => f.type === 'choices' || f.type === 'lines' || f.type === 'urls' || f.type === 'fiches'

export function emptyValue(field: FieldSpec): FieldValue {
  return isList(field) ? [] : null
}

export function isEmpty(value: FieldValue | undefined): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
}

export interface FieldProblem {
  field: string
  message: readonly [string, string]
  params?: Record<string, string | number>
  /** what a picker field's text matched, to choose from */
  choices?: PickerChoice[]
}

function httpUrl(value: string): string | null {
  try {
    const url = new URL(value)
    return (url.protocol === 'https:' || url.protocol === 'http:') && value.length <= 1000 ? url.toString() : null
  } catch {
    return null
  }
}

/**
 * Checks values (already in content shape, e.g. from a form or an import) against the fields of a kind.
 * Returns the normalised content, or the problems found. Links to fiches, territories and commitments
 * are checked against the database by the service, not here.
 */
export function checkContent(
  kind: FicheKind,
  input: Record<string, unknown>,
): { content: FicheContent; problems: FieldProblem[] } {
  const content: FicheContent = {}
  const problems: FieldProblem[] = []
  for (const field of fieldsOf(kind)) {
    const raw = input[field.name]
    const problem = (message: readonly [string, string], params?: Record<string, string | number>) =>
      problems.push({ field: field.name, message, ...(params ? { params } : {}) })
    if (isList(field)) {
      const items = (
        Array.isArray(raw)
          ? raw
          : typeof raw === 'string'
            ? raw.split(field.type === 'choices' ? /[,\n]/ : /\r?\n/)
            : []
      )
        .map((v) => String(v).trim())
        .filter((v) => v !== '')
      const unique = [...new Set(items)]
      if (field.max && unique.length > field.max)
        problem(['au plus {max} éléments', 'at most {max} items'], { max: field.max })
      if (field.type === 'choices') {
        const unknown = unique.filter((v) => !isVocabularyKey(field.vocabulary!, v))
        if (unknown.length)
          problem(['valeur inconnue : {value}', 'unknown value: {value}'], { value: unknown.join(', ') })
      }
      if (field.type === 'urls') {
        const bad = unique.filter((v) => !httpUrl(v))
        if (bad.length) problem(['adresse invalide : {value}', 'invalid address: {value}'], { value: bad[0]! })
      }
      if (field.type === 'lines' && unique.some((v) => v.length > 1000))
        problem(['ligne trop longue (1 000 caractères au plus)', 'line too long (1,000 characters at most)'])
      content[field.name] = field.type === 'urls' ? unique.map((v) => httpUrl(v) ?? v) : unique
      if (field.required && unique.length === 0) problem(['obligatoire', 'required'])
      continue
    }
    const text = raw === null || raw === undefined ? '' : String(raw).replace(/\r\n/g, '\n').trim()
    if (text === '') {
      content[field.name] = null
      if (field.required) problem(['obligatoire', 'required'])
      continue
    }
    switch (field.type) {
      case 'text':
      case 'longtext':
      case 'markdown':
        if (field.type === 'text' && /\n/.test(text)) problem(['une seule ligne', 'a single line'])
        if (field.max && text.length > field.max)
          problem(['{max} caractères au plus', '{max} characters at most'], { max: field.max })
        content[field.name] = text
        break
      case 'choice':
        if (!isVocabularyKey(field.vocabulary!, text))
          problem(['valeur inconnue : {value}', 'unknown value: {value}'], { value: text })
        content[field.name] = text
        break
      case 'date': {
        const day = normalizeDay(text)
        if (!isIsoDate(day))
          problem(['date réelle attendue, par exemple 31/01/2027', 'a real date, for example 31/01/2027'])
        content[field.name] = day
        break
      }
      case 'integer': {
        const n = Number(text.replace(/[\s\u202f\u00a0]/g, ''))
        if (!Number.isInteger(n) || n < 0 || n > 100_000_000)
          problem(['nombre entier positif attendu', 'a whole positive number'])
        content[field.name] = Number.isInteger(n) ? n : null
        break
      }
      case 'url': {
        const url = httpUrl(text)
        if (!url) problem(['adresse web invalide (https://…)', 'invalid web address (https://…)'])
        content[field.name] = url ?? text
        break
      }
      // a name, a code or an address: the service resolves what it names, or offers the matches
      case 'territory':
      case 'commitment':
        if (text.length > 300 || /\n/.test(text))
          problem(['une seule ligne de 300 caractères au plus', 'a single line of 300 characters at most'])
        content[field.name] = text
        break
    }
  }
  if (
    kind === 'experience' &&
    typeof content.startDate === 'string' &&
    typeof content.endDate === 'string' &&
    content.endDate < content.startDate
  ) {
    problems.push({ field: 'endDate', message: ['la fin précède le début', 'the end is before the start'] })
  }
  return { content, problems }
}

export function problemText(problem: FieldProblem, locale: Locale): string {
  const text = problem.message[locale === 'fr' ? 0 : 1]
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => String(problem.params?.[name] ?? whole))
}

/** A value as a reader sees it: labels for vocabulary keys, items joined. */
export function displayValue(field: FieldSpec, value: FieldValue | undefined, locale: Locale): string {
  if (isEmpty(value)) return ''
  if (field.vocabulary) {
    const keys = Array.isArray(value) ? value : [String(value)]
    return keys.map((k) => vocabularyLabel(field.vocabulary!, k, locale)).join(', ')
  }
  return Array.isArray(value) ? value.join('\n') : String(value)
}

export interface FieldChange {
  field: FieldSpec
  before: FieldValue
  after: FieldValue
}

/** The fields whose value differs between two contents (in the order of the form). */
export function changedFields(kind: FicheKind, before: FicheContent | null, after: FicheContent): FieldChange[] {
  return fieldsOf(kind).flatMap((field) => {
    const a = before?.[field.name] ?? emptyValue(field)
    const b = after[field.name] ?? emptyValue(field)
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ field, before: a, after: b }]
  })
}

/** Ids of the fiches a content links to. */
export function linkedIds(kind: FicheKind, content: FicheContent): string[] {
  return fieldsOf(kind).flatMap((f) =>
    f.type === 'fiches' && Array.isArray(content[f.name]) ? (content[f.name] as string[]) : [],
  )
}
