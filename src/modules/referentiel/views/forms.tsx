import { formatDate, type MessageKey } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import { ErrorSummary, Field, PostForm, type FieldErrors, type FormValues } from '../../../platform/layout/forms.tsx'
import { Picker, type PickerChoice } from '../../../platform/layout/picker.tsx'
import { fieldLabel, fieldsOf, type FicheKind, type FieldSpec } from '../fields.ts'
import { vocabularyLabel, vocabularyOptions } from '../vocabularies.ts'

import { versionPath, kindLabel, statusLabel, RefNav } from './shared.tsx'

// ---------------------------------------------------------------------------------------------------
// Forms

function ChoicesField({
  field,
  value,
  error,
}: {
  field: FieldSpec
  value: string | undefined
  error: string | undefined
}) {
  const { locale } = usePage()
  const chosen = new Set((value ?? '').split(',').filter(Boolean))
  const id = `field-${field.name}`
  return (
    <fieldset
      class={`field${error ? ' field-error' : ''}`}
      id={id}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend>{fieldLabel(field, locale)}</legend>
      {error && (
        <p class="error-message" id={`${id}-error`}>
          {error}
        </p>
      )}
      <div class="choices">
        {vocabularyOptions(field.vocabulary!, locale).map((option) => (
          <div class="checkbox">
            <input
              type="checkbox"
              id={`${id}-${option.value.replace(/[^a-z0-9_]/gi, '_')}`}
              name={field.name}
              value={option.value}
              checked={chosen.has(option.value)}
            />
            <label for={`${id}-${option.value.replace(/[^a-z0-9_]/gi, '_')}`}>{option.label}</label>
          </div>
        ))}
      </div>
    </fieldset>
  )
}

export function FicheFormPage(props: {
  kind: FicheKind
  title: string
  action: string
  values: FormValues
  errors: FieldErrors
  /** licences the contributor may choose (an imported fiche keeps its own) */
  licences: string[]
  reviewNote?: string | null
  /** what a territory or commitment field's text matched, to choose from */
  choices?: Record<string, PickerChoice[]>
}) {
  const { t, locale } = usePage()
  const fields = fieldsOf(props.kind)
  const labels = Object.fromEntries(fields.map((f) => [f.name, fieldLabel(f, locale)]))
  // a long form (an experience has some forty fields) in sections, each saying how much of it is filled
  const sections = (['identity', 'practice', 'outcome', 'source'] as const).map((group) => {
    const inGroup = fields.filter((f) => f.group === group)
    return {
      group,
      fields: inGroup,
      filled: inGroup.filter((f) => (props.values[f.name] ?? '').trim() !== '').length,
      errors: inGroup.filter((f) => props.errors[f.name]).length,
    }
  })
  return (
    <div class="narrow">
      <RefNav />
      <h1>{props.title}</h1>
      <p>{t('ref.formHint')}</p>
      {props.reviewNote && <p class="notice">{t('ref.reviewNote', { note: props.reviewNote })}</p>}
      <ErrorSummary errors={props.errors} labels={labels} />
      <nav class="form-sections" aria-labelledby="form-sections-title">
        <h2 id="form-sections-title">{t('ref.sections')}</h2>
        <ol>
          {sections.map((section) => (
            <li>
              <a href={`#section-${section.group}`}>{t(`ref.group.${section.group}` as MessageKey)}</a> —{' '}
              {t('ref.sectionFilled', { filled: section.filled, count: section.fields.length })}
              {section.errors > 0 && (
                <strong class="error-message"> · {t('ref.sectionErrors', { count: section.errors })}</strong>
              )}
            </li>
          ))}
        </ol>
      </nav>
      <PostForm action={props.action}>
        {sections.map((section, index) => (
          <details class="form-group" id={`section-${section.group}`} open={index === 0 || section.errors > 0}>
            <summary>
              {t(`ref.group.${section.group}` as MessageKey)}{' '}
              <span class="meta">
                ({t('ref.sectionFilled', { filled: section.filled, count: section.fields.length })})
              </span>
            </summary>
            <fieldset>
              <legend class="visually-hidden">{t(`ref.group.${section.group}` as MessageKey)}</legend>
              {section.fields.map((field) => {
                const common = {
                  name: field.name,
                  label: labels[field.name]!,
                  value: props.values[field.name],
                  error: props.errors[field.name],
                  required: !!field.required,
                }
                const hint = field.hint?.[locale === 'fr' ? 0 : 1]
                const withHint = hint ? { hint } : {}
                if (field.type === 'territory' || field.type === 'commitment') {
                  const suggest = field.type === 'territory' ? '/territoires/suggestions' : '/engagements/suggestions'
                  return <Picker {...common} {...withHint} suggest={suggest} choices={props.choices?.[field.name]} />
                }
                if (field.type === 'choices')
                  return (
                    <ChoicesField field={field} value={props.values[field.name]} error={props.errors[field.name]} />
                  )
                if (field.type === 'choice') {
                  const options =
                    field.name === 'licence'
                      ? props.licences.map((l) => ({ value: l, label: vocabularyLabel('licence', l, locale) }))
                      : [{ value: '', label: '—' }, ...vocabularyOptions(field.vocabulary!, locale)]
                  return <Field {...common} {...withHint} options={options} />
                }
                if (['longtext', 'markdown', 'lines', 'urls', 'fiches'].includes(field.type))
                  return (
                    <Field
                      {...common}
                      {...withHint}
                      multiline
                      {...(field.max && field.type !== 'lines' && field.type !== 'urls' && field.type !== 'fiches'
                        ? { maxLength: field.max }
                        : {})}
                    />
                  )
                if (field.type === 'date') return <Field {...common} {...withHint} type="date" />
                if (field.type === 'url') return <Field {...common} {...withHint} type="url" />
                if (field.type === 'integer') return <Field {...common} {...withHint} type="number" />
                return <Field {...common} {...withHint} {...(field.max ? { maxLength: field.max } : {})} />
              })}
            </fieldset>
          </details>
        ))}
        <div class="actions">
          <button type="submit" name="intent" value="save">
            {t('ref.save')}
          </button>{' '}
          <button type="submit" name="intent" value="submit">
            {t('ref.saveSubmit')}
          </button>
        </div>
      </PostForm>
    </div>
  )
}

export function KindChoicePage() {
  const { t } = usePage()
  return (
    <div class="narrow">
      <RefNav />
      <h1>{t('ref.new')}</h1>
      <ul class="cards">
        {(['method', 'experience', 'actor'] as const).map((kind) => (
          <li class="card">
            <a href={`/referentiel/nouvelle?nature=${kind}`}>{t(`ref.kind.${kind}`)}</a>
          </li>
        ))}
      </ul>
    </div>
  )
}

// ---------------------------------------------------------------------------------------------------
// Queue and contributions

export function QueuePage({
  items,
}: {
  items: { id: string; number: number; kind: string; title: string; submittedAt: string; authorName: string | null }[]
}) {
  const { t, locale } = usePage()
  return (
    <>
      <RefNav />
      <h1>{t('ref.moderation')}</h1>
      <p>{t('ref.queueLead')}</p>
      {items.length === 0 ? (
        <p>{t('ref.queueEmpty')}</p>
      ) : (
        <ol>
          {items.map((item) => (
            <li>
              <a href={versionPath(item.id)}>
                {item.title} – {t('ref.version', { number: item.number })}
              </a>{' '}
              <span class="meta">
                ({kindLabel(t, item.kind)},{' '}
                {t('ref.submittedBy', {
                  name: item.authorName ?? t('ref.deletedAccount'),
                  date: formatDate(locale, new Date(item.submittedAt)),
                })}
                )
              </span>
            </li>
          ))}
        </ol>
      )}
    </>
  )
}

export function MinePage({
  items,
}: {
  items: {
    id: string
    number: number
    status: string
    title: string
    kind: string
    updatedAt: Date
    reviewNote: string | null
  }[]
}) {
  const { t, locale } = usePage()
  return (
    <>
      <RefNav />
      <h1>{t('ref.mine')}</h1>
      {items.length === 0 ? (
        <p>{t('ref.mineEmpty')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('ref.col.fiche')}</th>
                <th scope="col">{t('ref.facet.kind')}</th>
                <th scope="col">{t('ref.col.status')}</th>
                <th scope="col">{t('ref.col.date')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr>
                  <td>
                    <a href={versionPath(item.id)}>
                      {item.title} ({t('ref.version', { number: item.number })})
                    </a>
                    {item.reviewNote && item.status !== 'published' && (
                      <p class="hint">{t('ref.reviewNote', { note: item.reviewNote })}</p>
                    )}
                  </td>
                  <td>{kindLabel(t, item.kind)}</td>
                  <td>{statusLabel(t, item.status)}</td>
                  <td>{formatDate(locale, item.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
