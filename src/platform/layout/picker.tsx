import { usePage } from './context.ts'

/** One thing a picker offers: `value` is what the server receives, `label` what the person reads. */
export interface PickerChoice {
  value: string
  label: string
}

/** What a picker's typed text named: one thing, several to choose from, or nothing. */
export type Picked<T> = { found: T } | { choices: PickerChoice[] } | { none: true }

/** The radio buttons of a picker that asked to choose are named after the field with this suffix. */
const CHOICE_SUFFIX = '.choix'

/**
 * What a picker field holds once posted: the choice ticked among the candidates offered, if any,
 * otherwise the text typed.
 */
export function pickedValue(values: Record<string, string | undefined>, name: string): string {
  const chosen = values[`${name}${CHOICE_SUFFIX}`]?.trim()
  return chosen ? chosen : (values[name] ?? '').trim()
}

/**
 * Search-then-choose, with or without JavaScript. The person types a name (or a code, an address);
 * the server resolves it on submit, and when several things match, the form comes back with them
 * as radio buttons to choose from. With JavaScript, htmx fills a datalist of suggestions from `suggest`
 * (a URL answering `<option>` elements for the text, sent under the field's name) as the person types.
 */
export function Picker(props: {
  name: string
  label: string
  value?: string | undefined
  hint?: string
  error?: string | undefined
  required?: boolean
  idPrefix?: string
  suggest: string
  choices?: PickerChoice[] | undefined
}) {
  const { t } = usePage()
  const id = `${props.idPrefix ?? 'field'}-${props.name}`
  const describedBy = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ')
  const choices = props.choices ?? []
  return (
    <div class={`field picker${props.error ? ' field-error' : ''}`}>
      <label for={id}>
        {props.label}
        {props.required ? <span class="required"> ({t('form.required')})</span> : null}
      </label>
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="error-message" id={`${id}-error`}>
          {props.error}
        </p>
      )}
      <input
        id={id}
        name={props.name}
        type="text"
        value={props.value ?? ''}
        required={props.required}
        autocomplete="off"
        maxLength={300}
        list={`${id}-suggestions`}
        aria-describedby={describedBy || undefined}
        aria-invalid={props.error ? 'true' : undefined}
        hx-get={props.suggest}
        hx-trigger="input changed delay:300ms"
        hx-target={`#${id}-suggestions`}
        hx-swap="innerHTML"
      />
      <datalist id={`${id}-suggestions`} />
      {choices.length > 0 && (
        <fieldset class="picker-choices">
          <legend>{t('picker.choose', { count: choices.length })}</legend>
          {choices.map((choice, index) => (
            <div class="radio">
              <input
                type="radio"
                id={`${id}-choice-${index}`}
                name={`${props.name}${CHOICE_SUFFIX}`}
                value={choice.value}
              />
              <label for={`${id}-choice-${index}`}>{choice.label}</label>
            </div>
          ))}
        </fieldset>
      )}
    </div>
  )
}

/** The answer of a suggestion URL: the options of a picker's datalist. */
export function PickerSuggestions({ choices }: { choices: PickerChoice[] }) {
  return (
    <>
      {choices.map((choice) => (
        <option value={choice.value}>{choice.label}</option>
      ))}
    </>
  )
}
