/** The state of the organisers' forms: which one was sent back, with what values and errors. */
import type { FieldErrors, FormValues } from '../../../platform/layout/forms.tsx'

/** What the organisers' page shows beside the assembly: a form sent back, a page of the pool, quota rows. */
export interface OrgState {
  form?: string
  values?: FormValues
  errors?: FieldErrors
  problems?: string[]
  /** the page of the pool shown */
  page?: number
  quotaRows?: { category: string; feature: string; share: string; min: string; max: string }[]
  margin?: string
}

/** The values and errors of the organisers' forms: the form sent back shows what was typed, the others their defaults. */
export function orgForms(s: OrgState) {
  const errorsOf = (form: string) => (s.form === form ? (s.errors ?? {}) : {})
  const valuesOf = (form: string, fallback: FormValues = {}) => (s.form === form ? (s.values ?? {}) : fallback)
  const fieldsOf = (form: string, names: Record<string, string>) => ({
    errors: errorsOf(form),
    values: valuesOf(form),
    labels: names,
  })
  return { errorsOf, valuesOf, fieldsOf }
}
