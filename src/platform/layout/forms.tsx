import type { ComponentChildren } from 'preact'
import { usePage } from './context.ts'

export type FieldErrors = Record<string, string>
export type FormValues = Record<string, string | undefined>

/** The hidden CSRF field every form carries. */
export function CsrfField() {
  const { csrfToken } = usePage()
  return <input type="hidden" name="_csrf" value={csrfToken()} />
}

/** A POST form with its CSRF field. */
export function PostForm({
  action,
  children,
  class: className,
}: {
  action: string
  children: ComponentChildren
  class?: string
}) {
  return (
    <form method="post" action={action} class={className} noValidate>
      <CsrfField />
      {children}
    </form>
  )
}

/** Lists the errors at the top of a form, each linking to its field (RGAA 11.10, WCAG 3.3.1). */
export function ErrorSummary({
  errors,
  labels,
  idPrefix = 'field',
}: {
  errors: FieldErrors
  labels: Record<string, string>
  idPrefix?: string
}) {
  const { t } = usePage()
  const entries = Object.entries(errors)
  if (entries.length === 0) return null
  return (
    <div class="error-summary" role="alert" tabIndex={-1}>
      <p>{t('form.errorSummary', { count: entries.length })}</p>
      <ul>
        {entries.map(([field, message]) => (
          <li>
            <a href={`#${idPrefix}-${field}`}>{labels[field] ? `${labels[field]} : ${message}` : message}</a>
          </li>
        ))}
      </ul>
    </div>
  )
}

interface FieldProps {
  name: string
  label: string
  type?: 'text' | 'email' | 'password' | 'url' | 'number' | 'search' | 'tel' | 'date'
  value?: string | undefined
  hint?: string
  error?: string | undefined
  required?: boolean
  autocomplete?: string
  multiline?: boolean
  maxLength?: number
  /** Prefix of the element id, when one page holds several forms with the same fields. */
  idPrefix?: string
  /** Renders a select with these choices instead of an input. */
  options?: { value: string; label: string; lang?: string }[]
}

/** A labelled input with its hint and error, tied together by aria-describedby. */
export function Field(props: FieldProps) {
  const { t } = usePage()
  const id = `${props.idPrefix ?? 'field'}-${props.name}`
  // a browser without a date picker shows a text box: say how to write the day (the server reads either form)
  const hint = props.type === 'date' ? [props.hint, t('form.dateHint')].filter(Boolean).join(' ') : props.hint
  const describedBy = [hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ')
  const common = {
    id,
    name: props.name,
    'aria-describedby': describedBy || undefined,
    'aria-invalid': props.error ? ('true' as const) : undefined,
    required: props.required,
    autocomplete: props.autocomplete,
    maxLength: props.maxLength,
  }
  return (
    <div class={`field${props.error ? ' field-error' : ''}`}>
      <label for={id}>
        {props.label}
        {props.required ? <span class="required"> ({t('form.required')})</span> : null}
      </label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {props.error && (
        <p class="error-message" id={`${id}-error`}>
          {props.error}
        </p>
      )}
      {props.options ? (
        <select {...common}>
          {props.options.map((option) => (
            <option value={option.value} selected={option.value === props.value} lang={option.lang}>
              {option.label}
            </option>
          ))}
        </select>
      ) : props.multiline ? (
        <textarea {...common} rows={8}>
          {props.value ?? ''}
        </textarea>
      ) : (
        <input
          {...common}
          type={(props.type ?? 'text') as 'text'}
          value={props.type === 'password' ? '' : (props.value ?? '')}
        />
      )}
    </div>
  )
}

/** Previous and next links around the current page number (pages count from 1). */
export function Pagination({
  page,
  pages,
  href,
  label,
}: {
  page: number
  pages: number
  href: (page: number) => string
  label: string
}) {
  if (pages <= 1) return null
  return (
    <nav aria-label={label} class="pagination">
      {page > 1 && <a href={href(page - 1)}>← {page - 1}</a>}
      <span aria-current="page">
        {page} / {pages}
      </span>
      {page < pages && <a href={href(page + 1)}>{page + 1} →</a>}
    </nav>
  )
}

/** The two submit buttons of a form that saves as a draft or publishes at once (`intent`). */
export function DraftOrPublish({ draft, publish }: { draft: string; publish: string }) {
  return (
    <>
      <button type="submit" name="intent" value="draft">
        {draft}
      </button>{' '}
      <button type="submit" name="intent" value="publish">
        {publish}
      </button>
    </>
  )
}
