import { formatDate, formatIsoDate } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import { Field, PostForm } from '../../../platform/layout/forms.tsx'
import { ModerateControls, ReportForm } from '../../moderation/index.ts'
import type { ChangedField, ConsultationChangeRow } from '../service.ts'
import type { ContributionRow } from '../tables.ts'

/** The public list of what changed in a published consultation, and why. */
export function ChangeHistory({
  changes,
  commitmentTitles,
}: {
  changes: ConsultationChangeRow[]
  commitmentTitles: Map<string, string>
}) {
  const { t, locale } = usePage()
  if (changes.length === 0) return null
  const shown = (field: ChangedField, value: string | null) => {
    if (value === null || value === '') return t('consult.history.none')
    if (field === 'opensOn' || field === 'closesOn' || field === 'closedEarly') return formatIsoDate(locale, value)
    if (field === 'commitmentId') return commitmentTitles.get(value) ?? t('consult.history.commitmentGone')
    return value
  }
  return (
    <section aria-labelledby="changes-title">
      <h2 id="changes-title">{t('consult.history')}</h2>
      <ol class="timeline">
        {changes.map((entry) => (
          <li>
            <p class="meta">
              <time datetime={entry.changedAt.toISOString()}>{formatDate(locale, entry.changedAt)}</time>
            </p>
            <ul>
              {entry.changes.map((change) =>
                change.field === 'closedEarly' ? (
                  <li>
                    {t('consult.history.closedEarly', {
                      planned: shown('closesOn', change.before),
                      day: shown('closesOn', change.after),
                    })}
                  </li>
                ) : change.field === 'context' ? (
                  <li>{t('consult.history.contextChanged')}</li>
                ) : (
                  <li>
                    {t(`consult.history.field.${change.field}`)} : <del>{shown(change.field, change.before)}</del> →{' '}
                    <ins>{shown(change.field, change.after)}</ins>
                  </li>
                ),
              )}
            </ul>
            {entry.reason && <p>{t('consult.history.reason', { reason: entry.reason })}</p>}
          </li>
        ))}
      </ol>
    </section>
  )
}

export type ContributionView = ContributionRow & {
  authorName: string | null
  commitmentTitle: string | null
  milestoneTitle?: string | null
}
export type CommentView = {
  id: string
  contributionId: string
  parentId: string | null
  body: string
  createdAt: string
  authorName: string | null
  hiddenAt: string | null
  hiddenReason: string | null
}

export function Comments({
  list,
  parentId,
  contributionId,
  canComment,
  canModerate,
}: {
  list: CommentView[]
  parentId: string | null
  contributionId: string
  canComment: boolean
  canModerate: boolean
}) {
  const { t, locale } = usePage()
  const children = list.filter((c) => c.parentId === parentId)
  if (children.length === 0) return null
  return (
    <ul class="comments">
      {children.map((c) => (
        <li id={`commentaire-${c.id}`}>
          <p class="meta">
            {c.authorName ?? t('consult.deletedAccount')} · {formatDate(locale, new Date(c.createdAt))}
          </p>
          {c.hiddenAt ? (
            <p class="notice">{t('moderation.hidden', { reason: c.hiddenReason ?? '' })}</p>
          ) : (
            <p class="pre-line">{c.body}</p>
          )}
          {canComment && !c.hiddenAt && <ReportForm type="comment" id={c.id} />}
          {canModerate && <ModerateControls type="comment" id={c.id} hidden={!!c.hiddenAt} />}
          {canComment && (
            <details>
              <summary>{t('consult.reply')}</summary>
              <PostForm action={`/contributions/${contributionId}/commentaires`}>
                <input type="hidden" name="parentId" value={c.id} />
                <Field
                  name="body"
                  idPrefix={`reply-${c.id}`}
                  label={t('consult.comment.body')}
                  multiline
                  maxLength={5000}
                />
                <button type="submit">{t('consult.reply')}</button>
              </PostForm>
            </details>
          )}
          <Comments
            list={list}
            parentId={c.id}
            contributionId={contributionId}
            canComment={canComment}
            canModerate={canModerate}
          />
        </li>
      ))}
    </ul>
  )
}
