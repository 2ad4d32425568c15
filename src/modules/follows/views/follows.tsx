import type { Followable } from '../../../platform/activity.ts'
import type { CurrentUser } from '../../../platform/auth/current-user.ts'
import type { Db } from '../../../platform/db/index.ts'
import { formatDate, type MessageKey } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import { CsrfField, Field } from '../../../platform/layout/forms.tsx'
import { FREQUENCIES, followOf, type followsOf, type Frequency } from '../service.ts'

export function FollowForm({
  type,
  id,
  following,
  signedIn,
  next,
}: {
  type: Followable
  id: string
  following: Frequency | null
  signedIn: boolean
  next: string
}) {
  const { t } = usePage()
  if (!signedIn)
    return (
      <p class="follow">
        <a href={`/connexion?next=${encodeURIComponent(next)}`}>{t('follow.signin')}</a>
      </p>
    )
  const options = [
    ...FREQUENCIES.map((f) => ({ value: f, label: t(`follow.frequency.${f}`) })),
    ...(following ? [{ value: 'none', label: t('follow.frequency.none') }] : []),
  ]
  return (
    <form method="post" action="/abonnements" class="follow inline-form">
      <CsrfField />
      <input type="hidden" name="subjectType" value={type} />
      <input type="hidden" name="subjectId" value={id} />
      <input type="hidden" name="next" value={next} />
      <fieldset>
        <legend>
          {following ? t('follow.following', { frequency: t(`follow.frequency.${following}`) }) : t('follow.legend')}
        </legend>
        <Field
          name="frequency"
          idPrefix={`follow-${type}-${id}`}
          label={t('follow.frequency')}
          value={following ?? 'weekly'}
          options={options}
        />
        <button type="submit">{following ? t('follow.update') : t('follow.follow')}</button>
      </fieldset>
    </form>
  )
}

/** The follow box of a page, for the person looking at it. */
export async function followBox(db: Db, user: CurrentUser | null, type: Followable, id: string, next: string) {
  return (
    <FollowForm type={type} id={id} following={await followOf(db, { user, type, id })} signedIn={!!user} next={next} />
  )
}

export function FollowsPage({ items }: { items: Awaited<ReturnType<typeof followsOf>> }) {
  const { t, locale } = usePage()
  return (
    <div class="narrow">
      <p class="kicker">
        <a href="/compte">{t('account.title')}</a>
      </p>
      <h1>{t('follow.title')}</h1>
      <p class="lead">{t('follow.lead')}</p>
      {items.length === 0 ? (
        <p>{t('follow.none')}</p>
      ) : (
        <ul class="cards">
          {items.map((item) => (
            <li class="card">
              <p class="kicker">{t(`follow.type.${item.type}` as MessageKey)}</p>
              <h2 class="card-title">
                <a href={item.path}>{item.title}</a>
              </h2>
              <p class="meta">{formatDate(locale, new Date(item.since))}</p>
              <FollowForm
                type={item.type}
                id={item.id}
                following={item.frequency}
                signedIn
                next="/compte/abonnements"
              />
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

export function UnsubscribePage({
  question,
  token,
  outcome,
}: {
  question: string
  token: string
  outcome: 'ask' | 'done' | 'nothing'
}) {
  const { t } = usePage()
  return (
    <div class="narrow">
      <h1>{t('follow.unsubscribe.title')}</h1>
      {outcome === 'ask' ? (
        <form method="post" action={`/abonnements/desinscription?jeton=${encodeURIComponent(token)}`}>
          <p>{question}</p>
          <button type="submit">{t('follow.unsubscribe.confirm')}</button>
        </form>
      ) : (
        <p role="status">{outcome === 'done' ? t('follow.unsubscribe.done') : t('follow.unsubscribe.nothing')}</p>
      )}
      <p>
        <a href="/compte/abonnements">{t('follow.title')}</a>
      </p>
    </div>
  )
}
