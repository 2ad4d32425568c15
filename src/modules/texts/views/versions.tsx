/** A text's versions: the list, one version against the one before, and the form that makes a new one. */
import { diffWords } from 'diff'
import { formatDate } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import { ErrorSummary, Field, PostForm, type FieldErrors, type FormValues } from '../../../platform/layout/forms.tsx'
import { DECISIONS, type ArticleWording, type TextRow } from '../service.ts'
import type { AmendmentRow, VersionRow } from '../queries.ts'
import { textPath } from './texts.tsx'

/** Words removed and added between two wordings, for screen readers too (<del>, <ins>). */
export function WordDiff({ before, after }: { before: string; after: string }) {
  return (
    <p class="pre-line diff">
      {diffWords(before, after).map((part) =>
        part.added ? <ins>{part.value}</ins> : part.removed ? <del>{part.value}</del> : <span>{part.value}</span>,
      )}
    </p>
  )
}

export function VersionList({ text, versions }: { text: TextRow; versions: VersionRow[] }) {
  const { t, locale } = usePage()
  const published = versions.filter((v) => v.publishedAt)
  if (published.length === 0) return null
  return (
    <section aria-labelledby="versions-title">
      <h2 id="versions-title">{t('text.versions')}</h2>
      <ol>
        {published.map((v) => (
          <li>
            <a href={`${textPath(text)}/versions/${v.number}`}>
              {t('text.version', { number: v.number })} —{' '}
              {v.number === 1 ? t('text.version.draft') : v.isFinal ? t('text.version.final') : ''}
            </a>{' '}
            <span class="meta">
              {t('text.version.published', {
                date: formatDate(locale, new Date(v.publishedAt!)),
                name: v.publishedByName ?? '—',
              })}
            </span>
          </li>
        ))}
      </ol>
    </section>
  )
}

export function VersionPage(props: {
  text: TextRow
  version: VersionRow
  articles: ArticleWording[]
  previous: ArticleWording[] | null
  decided: AmendmentRow[]
  headings: Map<string, string>
}) {
  const { t, locale } = usePage()
  const v = props.version
  return (
    <article>
      <p class="kicker">
        <a href={textPath(props.text)}>{props.text.title}</a>
      </p>
      <h1>
        {t('text.version', { number: v.number })}{' '}
        {v.number === 1 ? `— ${t('text.version.draft')}` : v.isFinal ? `— ${t('text.version.final')}` : ''}
      </h1>
      <p class="meta">
        {t('text.version.published', {
          date: formatDate(locale, new Date(v.publishedAt!)),
          name: v.publishedByName ?? '—',
        })}
      </p>
      {v.note && <p class="pre-line">{v.note}</p>}
      {props.previous && <h2>{t('text.version.diff', { number: v.number - 1 })}</h2>}
      {props.articles.map((article) => {
        const before = props.previous?.find((p) => p.articleId === article.articleId)
        return (
          <section class="card" aria-labelledby={`heading-${article.articleId}`}>
            <h3 id={`heading-${article.articleId}`}>
              {before && before.heading !== article.heading ? (
                <WordDiff before={before.heading} after={article.heading} />
              ) : (
                article.heading
              )}
            </h3>
            {!props.previous ? (
              <p class="pre-line">{article.body}</p>
            ) : before && before.body === article.body ? (
              <>
                <p class="meta">{t('text.version.unchanged')}</p>
                <p class="pre-line">{article.body}</p>
              </>
            ) : (
              <WordDiff before={before?.body ?? ''} after={article.body} />
            )}
          </section>
        )
      })}
      {props.decided.length > 0 && (
        <section aria-labelledby="decided-title">
          <h2 id="decided-title">{t('text.version.decisions')}</h2>
          <ul>
            {props.decided.map((a) => (
              <li>
                <a href={`${textPath(props.text)}#amendment-${a.id}`}>
                  {props.headings.get(a.articleId) ?? t('text.article')}
                </a>{' '}
                —{' '}
                {t('text.amend.by', {
                  name: a.authorName ?? t('consult.deletedAccount'),
                  date: formatDate(locale, new Date(a.createdAt)),
                  number: a.baseVersion,
                })}{' '}
                : <strong>{t(`text.decision.${a.decision!}`)}</strong>
                {a.decisionReason ? ` (${a.decisionReason})` : ''}
              </li>
            ))}
          </ul>
        </section>
      )}
    </article>
  )
}

export function NewVersionPage(props: {
  text: TextRow
  articles: ArticleWording[]
  pending: AmendmentRow[]
  values: FormValues
  errors: FieldErrors
}) {
  const { t, locale } = usePage()
  const labels: Record<string, string> = { note: t('text.newVersion.note'), final: t('text.newVersion.final') }
  for (const a of props.articles) {
    labels[`heading.${a.articleId}`] = `${t('text.field.heading')} (${a.heading})`
    labels[`body.${a.articleId}`] = a.heading
  }
  for (const a of props.pending) {
    labels[`decision.${a.id}`] = `${t('text.newVersion.decision')} (${a.authorName ?? '—'})`
    labels[`reason.${a.id}`] = `${t('text.newVersion.reason')} (${a.authorName ?? '—'})`
  }
  const decisionOptions = [
    { value: '', label: t('text.newVersion.undecided') },
    ...DECISIONS.map((d) => ({ value: d, label: t(`text.decision.${d}`) })),
  ]
  return (
    <div class="narrow">
      <p class="kicker">
        <a href={textPath(props.text)}>{props.text.title}</a>
      </p>
      <h1>{t('text.newVersion')}</h1>
      <p>{t('text.newVersion.lead')}</p>
      <ErrorSummary errors={props.errors} labels={labels} />
      <PostForm action={`${textPath(props.text)}/nouvelle-version`}>
        {props.articles.map((article) => (
          <fieldset>
            <legend>{article.heading}</legend>
            <Field
              name={`heading.${article.articleId}`}
              label={t('text.field.heading')}
              required
              maxLength={300}
              value={props.values[`heading.${article.articleId}`] ?? article.heading}
              error={props.errors[`heading.${article.articleId}`]}
            />
            <Field
              name={`body.${article.articleId}`}
              label={t('text.article')}
              required
              multiline
              maxLength={50000}
              value={props.values[`body.${article.articleId}`] ?? article.body}
              error={props.errors[`body.${article.articleId}`]}
            />
            {props.pending
              .filter((a) => a.articleId === article.articleId)
              .map((a) => (
                <div class="card">
                  <p class="meta">
                    {t('text.amend.by', {
                      name: a.authorName ?? t('consult.deletedAccount'),
                      date: formatDate(locale, new Date(a.createdAt)),
                      number: a.baseVersion,
                    })}{' '}
                    · {t('text.votes', { for: a.votesFor, against: a.votesAgainst })}
                  </p>
                  {a.hiddenAt ? (
                    <p class="notice">{t('moderation.hidden', { reason: a.hiddenReason ?? '' })}</p>
                  ) : (
                    <WordDiff before={a.baseBody} after={a.proposedBody} />
                  )}
                  <p class="pre-line">{a.justification}</p>
                  <Field
                    name={`decision.${a.id}`}
                    label={t('text.newVersion.decision')}
                    value={props.values[`decision.${a.id}`] ?? ''}
                    error={props.errors[`decision.${a.id}`]}
                    options={decisionOptions}
                  />
                  <Field
                    name={`reason.${a.id}`}
                    label={t('text.newVersion.reason')}
                    multiline
                    maxLength={5000}
                    value={props.values[`reason.${a.id}`]}
                    error={props.errors[`reason.${a.id}`]}
                  />
                </div>
              ))}
          </fieldset>
        ))}
        <Field
          name="note"
          label={labels.note!}
          multiline
          maxLength={10000}
          value={props.values.note}
          error={props.errors.note}
        />
        <div class={`field${props.errors.final ? ' field-error' : ''}`}>
          {props.errors.final && (
            <p class="error-message" id="field-final-error">
              {props.errors.final}
            </p>
          )}
          <label>
            <input
              type="checkbox"
              id="field-final"
              name="final"
              value="true"
              checked={props.values.final === 'true'}
              aria-describedby={props.errors.final ? 'field-final-error' : undefined}
            />{' '}
            {t('text.newVersion.final')}
          </label>
        </div>
        <button type="submit">{t('text.newVersion.submit')}</button>
      </PostForm>
    </div>
  )
}
