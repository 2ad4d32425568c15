/** A consultation's page: its contributions, the synthesis, the answers. */
import type { ComponentChildren } from 'preact'
import { formatDate, formatIsoDate, type MessageKey } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import {
  ErrorSummary,
  Field,
  Pagination,
  PostForm,
  type FieldErrors,
  type FormValues,
} from '../../../platform/layout/forms.tsx'
import { renderMarkdown } from '../../../platform/markdown.ts'
import { commitmentPath } from '../../plans/index.ts'
import { ModerateControls, ReportForm } from '../../moderation/index.ts'
import type { ConsultationChangeRow, Phase } from '../service.ts'
import { CONTRIBUTIONS_PAGE_SIZE } from '../queries.ts'
import type { ConsultationRow } from '../tables.ts'
import { consultationPath } from './shared.tsx'
import { ChangeHistory, Comments, type CommentView, type ContributionView } from './contributions.tsx'
import { AnswerForm } from './contribution-forms.tsx'

export function ConsultationPage(props: {
  consultation: ConsultationRow
  phase: Phase
  territory: { name: string; path: string }
  commitment: { id: string; title: string } | null
  contributions: ContributionView[]
  /** all the consultation's contributions, of which `contributions` is page `page` */
  total: number
  page: number
  comments: CommentView[]
  supported: Set<string>
  sort: 'supports' | 'recent'
  signedIn: boolean
  userId: string | null
  canManage: boolean
  canModerate: boolean
  planCommitments: { id: string; title: string }[]
  planMilestones: { id: string; title: string; commitmentId: string; commitmentTitle: string }[]
  values: FormValues
  errors: FieldErrors
  /** an answer refused: the form of that contribution, open, with what was written and the messages */
  answerForm?: { id: string; values: FormValues; errors: FieldErrors }
  follow?: ComponentChildren
  /** what changed since publication (public) and the titles of the commitments those changes name */
  changes: ConsultationChangeRow[]
  changeCommitments: Map<string, string>
}) {
  const { t, locale } = usePage()
  const c = props.consultation
  const open = props.phase === 'open'
  // answers are given as contributions come in, and after the close
  const canAnswer =
    props.canManage && (props.phase === 'open' || props.phase === 'closed' || props.phase === 'answered')
  const labels = {
    kind: t('consult.contribute.kind'),
    title: t('consult.contribute.title'),
    body: t('consult.contribute.body'),
  }
  return (
    <article class="consultation">
      <p class="kicker">
        <a href={`${props.territory.path}/consultations`}>{props.territory.name}</a> ·{' '}
        {t(`consult.phase.${props.phase}` as MessageKey)}
      </p>
      <h1>{c.title}</h1>
      {props.follow}
      <p class="lead">{c.question}</p>
      <p class="meta">
        {t('consult.dates', { start: formatIsoDate(locale, c.opensOn), end: formatIsoDate(locale, c.closesOn) })}
      </p>
      {props.commitment && (
        <p>
          <a href={commitmentPath(props.commitment)}>{props.commitment.title}</a>
        </p>
      )}
      {c.context && <div class="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(c.context) }} />}
      {props.canModerate && (
        <p>
          <a href={`${props.territory.path}/moderation`}>{t('moderation.title')}</a>
        </p>
      )}
      {props.canManage && (
        <p>
          <a href={`${consultationPath(c)}/importer`}>{t('consult.import')}</a>
        </p>
      )}
      {props.canManage && c.status !== 'answered' && (
        <p>
          <a href={`${consultationPath(c)}/modifier`}>
            {c.status === 'draft' ? t('consult.editConsultation') : t('consult.editPublished')}
          </a>
        </p>
      )}
      {props.canManage && open && (
        <details class="panel" open={props.errors.reason !== undefined}>
          <summary>{t('consult.closeEarly')}</summary>
          <PostForm action={`${consultationPath(c)}/cloture`}>
            <Field
              name="reason"
              idPrefix="close"
              label={t('consult.field.closeReason')}
              required
              multiline
              maxLength={2000}
              value={props.values.reason}
              error={props.errors.reason}
              hint={t('consult.closeEarly.hint')}
            />
            <button type="submit">{t('consult.closeEarly.submit')}</button>
          </PostForm>
        </details>
      )}
      {props.canManage && c.status === 'draft' && (
        <PostForm action={`${consultationPath(c)}/publication`}>
          <button type="submit">{t('consult.publish')}</button>
        </PostForm>
      )}
      {c.synthesis && (
        <section aria-labelledby="synthesis-title" class="panel">
          <h2 id="synthesis-title">{t('consult.synthesis')}</h2>
          <div class="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(c.synthesis) }} />
        </section>
      )}
      {props.canManage && props.phase === 'closed' && (
        <PostForm action={`${consultationPath(c)}/synthese`}>
          <Field
            name="synthesis"
            label={t('consult.synthesis')}
            multiline
            maxLength={50000}
            value={props.values.synthesis}
            error={props.errors.synthesis}
            hint="Markdown"
          />
          <button type="submit">{t('consult.synthesis.publish')}</button>
        </PostForm>
      )}
      {open &&
        (props.signedIn ? (
          <section aria-labelledby="contribute-title" class="panel">
            <h2 id="contribute-title">{t('consult.contribute')}</h2>
            <ErrorSummary errors={props.errors} labels={labels} />
            <PostForm action={`${consultationPath(c)}/contributions`}>
              <Field
                name="kind"
                label={labels.kind}
                value={props.values.kind ?? 'idea'}
                error={props.errors.kind}
                options={(['idea', 'opinion', 'critique'] as const).map((k) => ({
                  value: k,
                  label: t(`consult.kind.${k}`),
                }))}
              />
              <Field
                name="title"
                label={labels.title}
                required
                maxLength={200}
                value={props.values.title}
                error={props.errors.title}
              />
              <Field
                name="body"
                label={labels.body}
                required
                multiline
                maxLength={10000}
                value={props.values.body}
                error={props.errors.body}
              />
              <button type="submit">{t('consult.contribute.submit')}</button>
            </PostForm>
          </section>
        ) : (
          <p>
            <a href={`/connexion?next=${encodeURIComponent(consultationPath(c))}`}>{t('consult.contribute.signin')}</a>
          </p>
        ))}
      <section aria-labelledby="contributions-title">
        <h2 id="contributions-title">{t('consult.contributions', { count: props.total })}</h2>
        <p>
          {props.sort === 'supports' ? (
            <strong>{t('consult.sort.supports')}</strong>
          ) : (
            <a href={`${consultationPath(c)}?tri=soutiens`}>{t('consult.sort.supports')}</a>
          )}{' '}
          ·{' '}
          {props.sort === 'recent' ? (
            <strong>{t('consult.sort.recent')}</strong>
          ) : (
            <a href={`${consultationPath(c)}?tri=recentes`}>{t('consult.sort.recent')}</a>
          )}
        </p>
        <ol class="contribution-list">
          {props.contributions.map((k) => (
            <li class="card" id={`contribution-${k.id}`}>
              <p class="kicker">
                {t(`consult.kind.${k.kind}` as MessageKey)} · {t('consult.supports', { count: k.supportCount })}
                {k.sourcePlatform && k.sourceVotes > 0
                  ? ` (${t('consult.votesAt', { count: k.sourceVotes, platform: k.sourcePlatform })})`
                  : ''}
                {k.theme ? ` · ${t('consult.theme', { theme: k.theme })}` : ''}
                {k.decision ? ` · ${t(`consult.answer.${k.decision}` as MessageKey)}` : ''}
              </p>
              {k.hiddenAt ? (
                <p class="notice">{t('moderation.hidden', { reason: k.hiddenReason ?? '' })}</p>
              ) : (
                <>
                  <h3 class="card-title">{k.title}</h3>
                  <p class="meta">
                    {k.sourcePlatform
                      ? `${t('consult.by', { name: k.authorName ?? k.sourcePlatform })} · ${t('consult.importedFrom', { platform: k.sourcePlatform })} · ${formatDate(locale, new Date(k.createdAt))}`
                      : t('consult.by', { name: k.authorName ?? t('consult.deletedAccount') })}
                  </p>
                  <p class="pre-line">{k.body}</p>
                </>
              )}
              {props.signedIn && !k.hiddenAt && <ReportForm type="contribution" id={k.id} />}
              {props.canModerate && <ModerateControls type="contribution" id={k.id} hidden={!!k.hiddenAt} />}
              {open && props.signedIn && (
                <PostForm action={`/contributions/${k.id}/soutien`} class="inline-form">
                  <input type="hidden" name="supported" value={props.supported.has(k.id) ? 'false' : 'true'} />
                  <button type="submit" aria-pressed={props.supported.has(k.id) ? 'true' : 'false'}>
                    {props.supported.has(k.id) ? t('consult.unsupport') : t('consult.support')}
                    <span class="visually-hidden"> : {k.title}</span>
                  </button>
                </PostForm>
              )}
              {open && props.userId === k.authorId && (
                <p>
                  <a href={`/contributions/${k.id}/modifier`}>{t('consult.edit')}</a>
                </p>
              )}
              {k.answer && (
                <div class="notice">
                  <p>
                    <strong>{t('consult.answer')}</strong> : {k.answer}
                  </p>
                  {k.commitmentId && k.commitmentTitle && (
                    <p>
                      <a href={commitmentPath({ id: k.commitmentId })}>
                        {t('consult.ledTo', { title: k.commitmentTitle })}
                      </a>
                      {k.milestoneTitle ? ` · ${t('consult.ledToMilestone', { title: k.milestoneTitle })}` : ''}
                    </p>
                  )}
                </div>
              )}
              {canAnswer && (
                <AnswerForm
                  contribution={k}
                  form={props.answerForm?.id === k.id ? props.answerForm : null}
                  sort={props.sort}
                  page={props.page}
                  planCommitments={props.planCommitments}
                  planMilestones={props.planMilestones}
                />
              )}
              <Comments
                list={props.comments.filter((m) => m.contributionId === k.id)}
                parentId={null}
                contributionId={k.id}
                canComment={open && props.signedIn}
                canModerate={props.canModerate}
              />
              {open && props.signedIn && (
                <details>
                  <summary>{t('consult.comment')}</summary>
                  <PostForm action={`/contributions/${k.id}/commentaires`}>
                    <Field
                      name="body"
                      idPrefix={`comment-${k.id}`}
                      label={t('consult.comment.body')}
                      multiline
                      maxLength={5000}
                    />
                    <button type="submit">{t('consult.comment')}</button>
                  </PostForm>
                </details>
              )}
            </li>
          ))}
        </ol>
        <Pagination
          page={props.page}
          pages={Math.ceil(props.total / CONTRIBUTIONS_PAGE_SIZE)}
          href={(page) =>
            `${consultationPath(c)}?tri=${props.sort === 'recent' ? 'recentes' : 'soutiens'}&page=${page}`
          }
          label={t('consult.pages')}
        />
      </section>
      <ChangeHistory changes={props.changes} commitmentTitles={props.changeCommitments} />
    </article>
  )
}
