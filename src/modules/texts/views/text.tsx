/** A co-constructed text as it reads now, article by article, with its amendments and their decisions. */
import type { ComponentChildren } from 'preact'
import { formatDate, formatIsoDate } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import { ErrorSummary, Field, PostForm, type FieldErrors, type FormValues } from '../../../platform/layout/forms.tsx'
import { renderMarkdown } from '../../../platform/markdown.ts'
import { commitmentPath } from '../../plans/index.ts'
import type { ArticleWording, TextPhase, TextRow } from '../service.ts'
import type { AmendmentRow, VersionRow } from '../queries.ts'
import { ModerateControls, ReportForm } from '../../moderation/index.ts'
import { textPath, phaseLabel } from './texts.tsx'
import { WordDiff, VersionList } from './versions.tsx'

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
