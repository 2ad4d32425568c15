import { isMessageKey, formatDate, type MessageKey } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import { Field, PostForm } from '../../../platform/layout/forms.tsx'
import type { ModerationOverview } from '../service.ts'

/** Anyone signed in may report a content to the territory's moderators. */
export function ReportForm({ type, id }: { type: string; id: string }) {
  const { t } = usePage()
  return (
    <details class="report">
      <summary>{t('moderation.report')}</summary>
      <PostForm action={`/contenus/${type}/${id}/signalement`}>
        <Field name="reason" idPrefix={`report-${id}`} label={t('moderation.report.reason')} maxLength={1000} />
        <button type="submit">{t('moderation.report')}</button>
      </PostForm>
    </details>
  )
}

/**
 * A moderator of the territory hides any content from where it is shown, reported or not, with a public
 * reason, or restores it.
 */
export function ModerateControls({ type, id, hidden }: { type: string; id: string; hidden: boolean }) {
  const { t } = usePage()
  if (hidden)
    return (
      <PostForm action={`/contenus/${type}/${id}/retablir`} class="inline-form">
        <button type="submit">{t('moderation.restore')}</button>
      </PostForm>
    )
  return (
    <details class="report">
      <summary>{t('moderation.hideHere')}</summary>
      <PostForm action={`/contenus/${type}/${id}/masquer`}>
        <Field
          name="reason"
          idPrefix={`hide-${id}`}
          label={t('moderation.reason')}
          required
          maxLength={1000}
          hint={t('moderation.reasonHint')}
        />
        <button type="submit" class="danger">
          {t('moderation.hide')}
        </button>
      </PostForm>
    </details>
  )
}

/** What a territory's moderators review, and the log of their decisions. */
export function ModerationPage(props: {
  territory: { id: string; name: string; path: string }
  threshold: number
  items: ModerationOverview['items']
  log: ModerationOverview['log']
}) {
  const { t, locale } = usePage()
  const typeLabel = (type: string) => {
    const key = `moderation.type.${type}`
    return isMessageKey(key) ? t(key as MessageKey) : type
  }
  return (
    <>
      <p class="kicker">
        <a href={props.territory.path}>{props.territory.name}</a>
      </p>
      <h1>{t('moderation.title')}</h1>
      <p>{t('moderation.lead', { threshold: props.threshold })}</p>
      {props.items.length === 0 ? (
        <p>{t('moderation.none')}</p>
      ) : (
        <ul class="cards">
          {props.items.map((item) => (
            <li class="card">
              <p class="kicker">
                {typeLabel(item.type)} · {t('moderation.reports', { count: item.reports })}
              </p>
              <p>
                <a href={item.path}>{item.text}</a> — {item.authorName ?? t('consult.deletedAccount')}
              </p>
              {item.reasons.length > 0 && (
                <details open={!item.hiddenAt}>
                  <summary>{t('moderation.reasonsGiven')}</summary>
                  <ul>
                    {item.reasons.map((reason) => (
                      <li>{reason}</li>
                    ))}
                  </ul>
                </details>
              )}
              {item.hiddenAt ? (
                <>
                  <p class="notice">{t('moderation.hidden', { reason: item.hiddenReason ?? '' })}</p>
                  <PostForm action={`/contenus/${item.type}/${item.id}/retablir`} class="inline-form">
                    <button type="submit">{t('moderation.restore')}</button>
                  </PostForm>
                </>
              ) : (
                <PostForm action={`/contenus/${item.type}/${item.id}/masquer`}>
                  <Field name="reason" idPrefix={`hide-${item.id}`} label={t('moderation.reason')} maxLength={1000} />
                  <button type="submit" class="danger">
                    {t('moderation.hide')}
                  </button>
                </PostForm>
              )}
              {item.authorId && (
                <details>
                  <summary>{t('moderation.hideAccount')}</summary>
                  <PostForm action={`${props.territory.path}/moderation/compte`}>
                    <input type="hidden" name="userId" value={item.authorId} />
                    <Field
                      name="reason"
                      idPrefix={`account-${item.id}`}
                      label={t('moderation.reason')}
                      maxLength={1000}
                    />
                    <button type="submit" class="danger">
                      {t('moderation.hideAccount')}
                    </button>
                  </PostForm>
                </details>
              )}
            </li>
          ))}
        </ul>
      )}
      <section aria-labelledby="log-title">
        <h2 id="log-title">{t('moderation.log')}</h2>
        <ul>
          {props.log.map((e) => (
            <li>
              {formatDate(locale, new Date(e.at))} —{' '}
              {isMessageKey(`moderation.log.${e.action}`) ? t(`moderation.log.${e.action}` as MessageKey) : e.action} (
              {typeLabel(e.subjectType)}) — {e.actorName ?? t('moderation.log.automatic')}
              {typeof (e.after as { reason?: unknown } | null)?.reason === 'string' &&
                ` — ${t('moderation.log.reason', { reason: (e.after as { reason: string }).reason })}`}
            </li>
          ))}
        </ul>
      </section>
    </>
  )
}
