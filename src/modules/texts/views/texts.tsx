/** The pages of co-constructed texts: list, form, text with its amendments, versions. */
import type { ComponentChildren } from 'preact'
import { diffWords } from 'diff'
import { formatDate, formatIsoDate, type MessageKey } from '../../../platform/i18n/index.ts'
import { CardListPage } from '../../../platform/layout/cards.tsx'
import { usePage } from '../../../platform/layout/context.ts'
import {
  DraftOrPublish,
  ErrorSummary,
  Field,
  PostForm,
  type FieldErrors,
  type FormValues,
} from '../../../platform/layout/forms.tsx'
import { renderMarkdown } from '../../../platform/markdown.ts'
import { commitmentPath } from '../../plans/index.ts'
import { DECISIONS, type ArticleWording, type TextPhase, type TextRow } from '../service.ts'
import type { listTexts, AmendmentRow, VersionRow } from '../queries.ts'
import { ModerateControls, ReportForm } from '../../moderation/index.ts'

export const textPath = (t: { id: string }) => `/textes/${t.id}`
export const phaseLabel = (phase: TextPhase) =>
  phase === 'final' ? 'text.phase.final' : (`consult.phase.${phase}` as MessageKey)

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

export function TextListPage(props: {
  territory: { name: string; path: string }
  items: (Awaited<ReturnType<typeof listTexts>>[number] & { phase: TextPhase })[]
  canManage: boolean
}) {
  const { t, locale } = usePage()
  return (
    <CardListPage
      back={props.territory}
      title={t('text.title')}
      lead={t('text.lead')}
      create={props.canManage ? { href: `${props.territory.path}/textes/nouveau`, label: t('text.new') } : null}
      empty={t('text.none')}
      cards={props.items.map((item) => ({
        href: textPath(item),
        title: item.title,
        kicker: t(phaseLabel(item.phase)),
        lines: [
          {
            text: t('consult.dates', {
              start: formatIsoDate(locale, item.opensOn),
              end: formatIsoDate(locale, item.closesOn),
            }),
            meta: true,
          },
          { text: t('text.counts', { amendments: item.amendments, versions: item.versions }), meta: true },
        ],
      }))}
    />
  )
}

export function TextFormPage(props: {
  title: string
  action: string
  values: FormValues
  errors: FieldErrors
  commitments: { id: string; title: string }[]
}) {
  const { t } = usePage()
  const labels = {
    title: t('text.field.title'),
    summary: t('text.field.summary'),
    opensOn: t('text.field.opensOn'),
    closesOn: t('text.field.closesOn'),
    commitmentId: t('consult.field.commitment'),
    articlesSource: t('text.field.articles'),
  }
  return (
    <div class="narrow">
      <h1>{props.title}</h1>
      <ErrorSummary errors={props.errors} labels={labels} />
      <PostForm action={props.action}>
        <Field
          name="title"
          label={labels.title}
          required
          maxLength={200}
          value={props.values.title}
          error={props.errors.title}
        />
        <Field
          name="summary"
          label={labels.summary}
          multiline
          maxLength={20000}
          value={props.values.summary}
          error={props.errors.summary}
          hint="Markdown"
        />
        <Field
          name="opensOn"
          type="date"
          label={labels.opensOn}
          required
          value={props.values.opensOn}
          error={props.errors.opensOn}
        />
        <Field
          name="closesOn"
          type="date"
          label={labels.closesOn}
          required
          value={props.values.closesOn}
          error={props.errors.closesOn}
        />
        <Field
          name="commitmentId"
          label={labels.commitmentId}
          value={props.values.commitmentId}
          error={props.errors.commitmentId}
          options={[{ value: '', label: '—' }, ...props.commitments.map((c) => ({ value: c.id, label: c.title }))]}
        />
        <Field
          name="articlesSource"
          label={labels.articlesSource}
          required
          multiline
          value={props.values.articlesSource}
          error={props.errors.articlesSource}
          hint={t('text.field.articles.hint')}
        />
        <div class="actions">
          <DraftOrPublish draft={t('consult.saveDraft')} publish={t('consult.savePublish')} />
        </div>
      </PostForm>
    </div>
  )
}

export function Decision({ amendment }: { amendment: AmendmentRow }) {
  const { t } = usePage()
  if (!amendment.decision) return <p class="badge">{t('text.decision.pending')}</p>
  return (
    <div class="notice">
      <p>
        <strong>
          {t('text.decision.in', {
            decision: t(`text.decision.${amendment.decision}`),
            number: amendment.decidedIn ?? '',
          })}
        </strong>
        {amendment.decisionReason ? ` : ${amendment.decisionReason}` : ''}
      </p>
    </div>
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

export function TextPage(props: {
  text: TextRow
  phase: TextPhase
  territory: { name: string; path: string }
  commitment: { id: string; title: string } | null
  version: number
  articles: ArticleWording[]
  amendments: AmendmentRow[]
  versions: VersionRow[]
  votes: Map<string, boolean>
  signedIn: boolean
  canManage: boolean
  canModerate: boolean
  values: FormValues
  errors: FieldErrors
  follow?: ComponentChildren
}) {
  const { t, locale } = usePage()
  const text = props.text
  const open = props.phase === 'open'
  const labels = {
    proposedBody: t('text.amend.proposed'),
    justification: t('text.amend.justification'),
    articleId: t('text.article'),
  }
  return (
    <article>
      <p class="kicker">
        <a href={`${props.territory.path}/textes`}>{t('text.title')}</a> ·{' '}
        <a href={props.territory.path}>{props.territory.name}</a>
      </p>
      <h1>{text.title}</h1>
      {props.follow}
      <p>
        <span class="badge">{t(phaseLabel(props.phase))}</span>{' '}
        {t('consult.dates', { start: formatIsoDate(locale, text.opensOn), end: formatIsoDate(locale, text.closesOn) })}
      </p>
      {props.commitment && (
        <p>
          <a href={commitmentPath(props.commitment)}>{t('group.commitment', { title: props.commitment.title })}</a>
        </p>
      )}
      <div class="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(text.summary) }} />
      {props.canManage && text.status === 'draft' && (
        <div class="actions">
          <a class="button" href={`${textPath(text)}/modifier`}>
            {t('text.edit')}
          </a>
        </div>
      )}
      {props.canManage && text.status === 'published' && (
        <p>
          <a class="button" href={`${textPath(text)}/nouvelle-version`}>
            {t('text.newVersion')}
          </a>
        </p>
      )}
      <VersionList text={text} versions={props.versions} />
      {open && !props.signedIn && (
        <p>
          <a href={`/connexion?next=${encodeURIComponent(textPath(text))}`}>{t('text.amend.signin')}</a>
        </p>
      )}
      <ErrorSummary errors={props.errors} labels={labels} idPrefix={`amend-${props.values.articleId ?? ''}`} />
      <h2>{t('text.version', { number: props.version })}</h2>
      {props.articles.map((article) => {
        const amendments = props.amendments.filter((a) => a.articleId === article.articleId)
        const failed = props.values.articleId === article.articleId
        return (
          <section class="card" id={`article-${article.articleId}`} aria-labelledby={`heading-${article.articleId}`}>
            <h3 id={`heading-${article.articleId}`}>{article.heading}</h3>
            <p class="pre-line">{article.body}</p>
            {amendments.length > 0 && (
              <>
                <h4>{t('text.amendments')}</h4>
                <ol class="contribution-list">
                  {amendments.map((a) => (
                    <li id={`amendment-${a.id}`}>
                      {a.hiddenAt ? (
                        <p class="notice">{t('moderation.hidden', { reason: a.hiddenReason ?? '' })}</p>
                      ) : (
                        <>
                          <p class="meta">
                            {t('text.amend.by', {
                              name: a.authorName ?? t('consult.deletedAccount'),
                              date: formatDate(locale, new Date(a.createdAt)),
                              number: a.baseVersion,
                            })}
                          </p>
                          <WordDiff before={a.baseBody} after={a.proposedBody} />
                          <p class="pre-line">
                            <strong>{t('text.amend.justification')}</strong> : {a.justification}
                          </p>
                        </>
                      )}
                      <p>{t('text.votes', { for: a.votesFor, against: a.votesAgainst })}</p>
                      <Decision amendment={a} />
                      {open && props.signedIn && !a.hiddenAt && (
                        <div class="actions">
                          {props.votes.has(a.id) && (
                            <p>{props.votes.get(a.id) ? t('text.vote.yours.for') : t('text.vote.yours.against')}</p>
                          )}
                          {(['for', 'against', 'none'] as const)
                            .filter((vote) =>
                              vote === 'none' ? props.votes.has(a.id) : props.votes.get(a.id) !== (vote === 'for'),
                            )
                            .map((vote) => (
                              <PostForm action={`/amendements/${a.id}/vote`} class="inline-form">
                                <input type="hidden" name="vote" value={vote} />
                                <button type="submit">
                                  {t(vote === 'none' ? 'text.vote.withdraw' : `text.vote.${vote}`)}
                                  <span class="visually-hidden">
                                    {' '}
                                    :{' '}
                                    {t('text.amend.by', {
                                      name: a.authorName ?? '—',
                                      date: formatDate(locale, new Date(a.createdAt)),
                                      number: a.baseVersion,
                                    })}
                                  </span>
                                </button>
                              </PostForm>
                            ))}
                        </div>
                      )}
                      {props.signedIn && !a.hiddenAt && <ReportForm type="amendment" id={a.id} />}
                      {props.canModerate && <ModerateControls type="amendment" id={a.id} hidden={!!a.hiddenAt} />}
                    </li>
                  ))}
                </ol>
              </>
            )}
            {open && props.signedIn && (
              <details open={failed}>
                <summary>
                  {t('text.amend')}
                  <span class="visually-hidden"> : {article.heading}</span>
                </summary>
                <PostForm action={`${textPath(text)}/amendements`}>
                  <input type="hidden" name="articleId" value={article.articleId} />
                  <Field
                    name="proposedBody"
                    idPrefix={`amend-${article.articleId}`}
                    label={labels.proposedBody}
                    hint={t('text.amend.proposed.hint')}
                    required
                    multiline
                    maxLength={50000}
                    value={failed ? props.values.proposedBody : article.body}
                    error={failed ? props.errors.proposedBody : undefined}
                  />
                  <Field
                    name="justification"
                    idPrefix={`amend-${article.articleId}`}
                    label={labels.justification}
                    required
                    multiline
                    maxLength={5000}
                    value={failed ? props.values.justification : ''}
                    error={failed ? props.errors.justification : undefined}
                  />
                  <button type="submit">{t('text.amend.submit')}</button>
                </PostForm>
              </details>
            )}
          </section>
        )
      })}
    </article>
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
