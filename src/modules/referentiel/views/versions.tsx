/** A proposed version of a fiche, field by field against the published one, with the moderators' decision. */
import { diffWords } from 'diff'
import type { ComponentChildren } from 'preact'
import { formatDate, type Locale } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import { ErrorSummary, Field, PostForm, type FieldErrors, type FormValues } from '../../../platform/layout/forms.tsx'
import { fieldLabel, type FicheKind, type FieldSpec } from '../fields.ts'
import { isEmpty, type FicheContent, type FieldChange, type FieldValue } from '../content.ts'
import { vocabularyLabel } from '../vocabularies.ts'

import { fichePath, versionPath, kindLabel, statusLabel, RefNav, type FicheNames } from './shared.tsx'
import { FicheContentView, type VersionSummary } from './fiche.tsx'

// ---------------------------------------------------------------------------------------------------
// Diffs

function listText(field: FieldSpec, value: FieldValue, locale: Locale, names: FicheNames): string[] {
  if (isEmpty(value)) return []
  const items = Array.isArray(value) ? value : [String(value)]
  if (field.type === 'fiches') return items.map((id) => names.get(id)?.title ?? id)
  return items.map((item) => (field.vocabulary ? vocabularyLabel(field.vocabulary, item, locale) : item))
}

/** The changes of a version: words removed and added in texts, items removed and added in lists. */
export function DiffTable({ changes, names }: { changes: FieldChange[]; names: FicheNames }) {
  const { t, locale } = usePage()
  if (changes.length === 0) return <p>{t('ref.diffNone')}</p>
  return (
    <div class="table-scroll">
      <table class="diff">
        <thead>
          <tr>
            <th scope="col">{t('ref.field')}</th>
            <th scope="col">
              {t('ref.before')} → {t('ref.after')}
            </th>
          </tr>
        </thead>
        <tbody>
          {changes.map((change) => {
            const isText = ['text', 'longtext', 'markdown'].includes(change.field.type)
            let cell: ComponentChildren
            if (isText) {
              const parts = diffWords(String(change.before ?? ''), String(change.after ?? ''))
              cell = (
                <p class="pre-line">
                  {parts.map((part) =>
                    part.added ? (
                      <ins>{part.value}</ins>
                    ) : part.removed ? (
                      <del>{part.value}</del>
                    ) : (
                      <span>{part.value}</span>
                    ),
                  )}
                </p>
              )
            } else {
              const before = listText(change.field, change.before, locale, names)
              const after = listText(change.field, change.after, locale, names)
              cell = (
                <ul>
                  {before
                    .filter((item) => !after.includes(item))
                    .map((item) => (
                      <li>
                        <del>{item}</del>
                      </li>
                    ))}
                  {after
                    .filter((item) => !before.includes(item))
                    .map((item) => (
                      <li>
                        <ins>{item}</ins>
                      </li>
                    ))}
                </ul>
              )
            }
            return (
              <tr>
                <th scope="row">{fieldLabel(change.field, locale)}</th>
                <td>{cell}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

export function VersionPage(props: {
  fiche: { slug: string; kind: FicheKind; title: string | null; publishedVersion: number | null }
  version: VersionSummary & { submittedAt: Date | null; baseNumber: number | null }
  content: FicheContent
  changes: FieldChange[]
  names: FicheNames
  canModerate: boolean
  isAuthor: boolean
  values: FormValues
  errors: FieldErrors
}) {
  const { t, locale } = usePage()
  const { version } = props
  const editable = props.isAuthor && (version.status === 'draft' || version.status === 'changes_requested')
  const open = ['draft', 'submitted', 'changes_requested'].includes(version.status)
  return (
    <article>
      <RefNav />
      <p class="kicker">
        {kindLabel(t, props.fiche.kind)} · {t('ref.version', { number: version.number })} ·{' '}
        <span class="status">{statusLabel(t, version.status)}</span>
      </p>
      <h1>{String(props.content.title ?? props.fiche.title ?? props.fiche.slug)}</h1>
      {props.fiche.publishedVersion !== null && (
        <p>
          <a href={fichePath(props.fiche.slug)}>{props.fiche.title}</a>
        </p>
      )}
      <p class="meta">
        {t('ref.versionBy', {
          name: version.authorName ?? (version.authorId ? t('ref.deletedAccount') : t('ref.importedVersion')),
        })}
        {version.submittedAt
          ? ` · ${t('ref.submittedBy', { name: version.authorName ?? '—', date: formatDate(locale, version.submittedAt) })}`
          : ''}
      </p>
      {version.reviewNote && version.status !== 'published' && (
        <p class="notice">{t('ref.reviewNote', { note: version.reviewNote })}</p>
      )}
      {editable && (
        <div class="staff-actions">
          <a class="button" href={`${versionPath(version.id)}/modifier`}>
            {t('ref.edit')}
          </a>{' '}
          <PostForm action={`${versionPath(version.id)}/soumettre`} class="inline-form">
            <button type="submit">{t('ref.submit')}</button>
          </PostForm>
        </div>
      )}
      {props.isAuthor && open && (
        <PostForm action={`${versionPath(version.id)}/abandon`} class="inline-form">
          <button type="submit" class="link-button">
            {t('ref.discard')}
          </button>
        </PostForm>
      )}
      <section aria-labelledby="diff-title">
        <h2 id="diff-title">{version.baseNumber ? t('ref.diff', { number: version.baseNumber }) : t('ref.diffNew')}</h2>
        <DiffTable changes={props.changes} names={props.names} />
      </section>
      {props.canModerate && version.status === 'submitted' && (
        <section aria-labelledby="decision-title" class="panel">
          <h2 id="decision-title">{t('ref.decision')}</h2>
          <ErrorSummary errors={props.errors} labels={{ decision: t('ref.decision'), note: t('ref.decision.note') }} />
          <PostForm action={`${versionPath(version.id)}/decision`}>
            <fieldset class="field" id="field-decision">
              <legend>{t('ref.decision')}</legend>
              {(['publish', 'request_changes', 'reject'] as const).map((decision) => (
                <div class="checkbox">
                  <input
                    type="radio"
                    id={`decision-${decision}`}
                    name="decision"
                    value={decision}
                    checked={props.values.decision === decision}
                  />
                  <label for={`decision-${decision}`}>{t(`ref.decision.${decision}`)}</label>
                </div>
              ))}
            </fieldset>
            <Field
              name="note"
              label={t('ref.decision.note')}
              multiline
              maxLength={5000}
              value={props.values.note}
              error={props.errors.note}
            />
            <button type="submit">{t('ref.decision.submit')}</button>
          </PostForm>
        </section>
      )}
      <section aria-labelledby="content-title">
        <h2 id="content-title">{t('ref.version', { number: version.number })}</h2>
        <FicheContentView kind={props.fiche.kind} content={props.content} names={props.names} />
      </section>
    </article>
  )
}
