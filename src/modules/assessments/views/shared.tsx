import type { MessageKey, Translate } from '../../../platform/i18n/index.ts'
import type { AssessmentRow, CommitmentAssessmentRow } from '../tables.ts'
export const assessmentPagePath = (plan: { id: string }) => `/plans/${plan.id}/evaluation`
export const assessmentPath = (a: { id: string }) => `/evaluations/${a.id}`
export const label = (t: Translate, key: string) => t(key as MessageKey)

export interface ReviewerView {
  userId: string
  displayName: string | null
  email: string | null
  conflictsDeclaredAt: string | null
  hasConflict: boolean | null
  conflictsStatement: string
}

export interface ReportView {
  assessment: AssessmentRow
  ratings: Map<string, CommitmentAssessmentRow>
  errata: { id: string; text: string; commitmentId: string | null; createdAt: Date }[]
  readable: boolean
}

export function Choice({
  name,
  legend,
  options,
  value,
  error,
}: {
  name: string
  legend: string
  options: { value: string; label: string }[]
  value: string | undefined
  error?: string | undefined
}) {
  const id = `field-${name}`
  return (
    <fieldset
      class={`field${error ? ' field-error' : ''}`}
      id={id}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend>{legend}</legend>
      {error && (
        <p class="error-message" id={`${id}-error`}>
          {error}
        </p>
      )}
      {options.map((o) => (
        <div class="checkbox">
          <input type="radio" id={`${id}-${o.value}`} name={name} value={o.value} checked={value === o.value} />
          <label for={`${id}-${o.value}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  )
}

/** One commitment's ratings, beside what the territory reports of it. */
