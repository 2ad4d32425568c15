import { formatDate, formatNumber, type MessageKey } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import { ErrorSummary, Field, PostForm, type FieldErrors, type FormValues } from '../../../platform/layout/forms.tsx'
import { Table } from '../../../platform/layout/table.tsx'
import { renderMarkdown } from '../../../platform/markdown.ts'
import { EVENT_KINDS, TIME_ZONE, type EventKind, type EventRow } from '../service.ts'
import type { RegistrantRow } from '../registrations.ts'
import { dateTimeFormat, intlTag } from '../../../platform/intl.ts'

export const eventPath = (e: { id: string }) => `/evenements/${e.id}`

export function when(locale: 'fr' | 'en', e: EventRow): string {
  const day = dateTimeFormat(intlTag(locale), {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: TIME_ZONE,
  }).format(e.startsAt)
  const end = dateTimeFormat(intlTag(locale), {
    timeStyle: 'short',
    timeZone: TIME_ZONE,
  }).format(e.endsAt)
  return `${day} – ${end}`
}

export const SCOPES = ['tous', 'reseau', 'territoires'] as const
export type Scope = (typeof SCOPES)[number]
export interface EventFilters {
  scope: Scope
  kind: EventKind | ''
}

/** The filters of the network-wide list; an unknown value falls back to the default instead of an error. */
export function eventFilters(query: { qui?: string; type?: string }): EventFilters {
  return {
    scope: (SCOPES as readonly string[]).includes(query.qui ?? '') ? (query.qui as Scope) : 'tous',
    kind: (EVENT_KINDS as readonly string[]).includes(query.type ?? '') ? (query.type as EventKind) : '',
  }
}

export function EventFiltersForm({ filters }: { filters: EventFilters }) {
  const { t } = usePage()
  return (
    <form method="get" action="/evenements" class="filters" role="search" aria-label={t('event.filters')}>
      <Field
        name="qui"
        label={t('event.filter.scope')}
        value={filters.scope}
        options={SCOPES.map((s) => ({ value: s, label: t(`event.scope.${s}` as MessageKey) }))}
      />
      <Field
        name="type"
        label={t('event.filter.kind')}
        value={filters.kind}
        options={[
          { value: '', label: t('event.scope.tous') },
          ...EVENT_KINDS.map((k) => ({ value: k, label: t(`event.kind.${k}` as MessageKey) })),
        ]}
      />
      <button type="submit">{t('plans.filter.apply')}</button>
    </form>
  )
}

export function EventList({
  title,
  events,
  feed,
  newLink,
  territories,
  filters,
}: {
  title: string
  events: EventRow[]
  feed: string
  newLink: string | null
  territories?: Map<string, { name: string; path: string }>
  filters?: EventFilters
}) {
  const { t, locale } = usePage()
  const now = Date.now()
  const upcoming = events.filter((e) => e.endsAt.getTime() >= now)
  const past = events.filter((e) => e.endsAt.getTime() < now).reverse()
  const card = (e: EventRow) => (
    <li class="card">
      <p class="kicker">
        {territories &&
          (e.territoryId ? `${territories.get(e.territoryId)?.name ?? ''} · ` : `${t('event.networkTitle')} · `)}
        {t(`event.kind.${e.kind}` as MessageKey)}
        {e.status === 'cancelled' ? ` · ${t('event.cancelled', { reason: e.cancellationReason ?? '' })}` : ''}
      </p>
      <h3 class="card-title">
        <a href={eventPath(e)}>{e.title}</a>
      </h3>
      <p class="meta">
        {when(locale, e)}
        {e.place ? ` · ${e.place}` : ''}
      </p>
    </li>
  )
  return (
    <>
      <h1>{title}</h1>
      <p class="lead">{t('event.lead')}</p>
      <p>
        <a href={feed}>{t('event.feed')}</a>
        {newLink && (
          <>
            {' '}
            · <a href={newLink}>{t('event.new')}</a>
          </>
        )}
      </p>
      {filters && <EventFiltersForm filters={filters} />}
      {upcoming.length === 0 ? <p>{t('event.none')}</p> : <ul class="cards">{upcoming.map(card)}</ul>}
      {past.length > 0 && (
        <section aria-labelledby="past-title">
          <h2 id="past-title">{t('event.past')}</h2>
          <ul class="cards">{past.map(card)}</ul>
        </section>
      )}
    </>
  )
}

export function EventFormPage({ action, values, errors }: { action: string; values: FormValues; errors: FieldErrors }) {
  const { t } = usePage()
  const labels: Record<string, string> = Object.fromEntries(
    ['kind', 'title', 'description', 'day', 'start', 'end', 'place', 'onlineUrl', 'audience', 'capacity'].map((f) => [
      f,
      t(`event.field.${f}` as MessageKey),
    ]),
  )
  return (
    <div class="narrow">
      <h1>{t('event.new')}</h1>
      <ErrorSummary errors={errors} labels={labels} />
      <PostForm action={action}>
        <Field
          name="kind"
          label={labels.kind!}
          value={values.kind}
          options={EVENT_KINDS.map((k) => ({ value: k, label: t(`event.kind.${k}` as MessageKey) }))}
        />
        <Field name="title" label={labels.title!} required maxLength={200} value={values.title} error={errors.title} />
        <Field
          name="description"
          label={labels.description!}
          multiline
          maxLength={20000}
          value={values.description}
          hint="Markdown"
        />
        <Field name="day" type="date" label={labels.day!} required value={values.day} error={errors.day} />
        <Field name="start" label={labels.start!} required value={values.start} error={errors.start} />
        <Field name="end" label={labels.end!} required value={values.end} error={errors.end} />
        <Field name="place" label={labels.place!} maxLength={500} value={values.place} />
        <Field
          name="onlineUrl"
          label={labels.onlineUrl!}
          type="url"
          value={values.onlineUrl}
          error={errors.onlineUrl}
        />
        <Field name="audience" label={labels.audience!} maxLength={500} value={values.audience} />
        <Field name="capacity" label={labels.capacity!} type="number" value={values.capacity} error={errors.capacity} />
        <button type="submit">{t('event.save')}</button>
      </PostForm>
    </div>
  )
}

export function EventPage({
  event,
  territory,
  registration,
  signedIn,
  canManage,
}: {
  event: EventRow
  territory: { name: string; path: string } | null
  registration: string | null
  signedIn: boolean
  canManage: boolean
}) {
  const { t, locale } = usePage()
  const past = event.endsAt.getTime() < Date.now()
  return (
    <article>
      <p class="kicker">
        {territory ? (
          <a href={`${territory.path}/evenements`}>{territory.name}</a>
        ) : (
          <a href="/evenements">{t('event.networkTitle')}</a>
        )}{' '}
        · {t(`event.kind.${event.kind}` as MessageKey)}
      </p>
      <h1>{event.title}</h1>
      {event.status === 'cancelled' && (
        <p class="notice">{t('event.cancelled', { reason: event.cancellationReason ?? '' })}</p>
      )}
      <dl class="facts">
        <div>
          <dt>{t('event.label.day')}</dt>
          <dd>{when(locale, event)}</dd>
        </div>
        {event.place && (
          <div>
            <dt>{t('event.field.place')}</dt>
            <dd>{event.place}</dd>
          </div>
        )}
        {event.onlineUrl && (
          <div>
            <dt>{t('event.field.onlineUrl')}</dt>
            <dd>
              {/* the link lets anyone into the meeting: for the people registered and the organisers only */}
              {registration === 'registered' || canManage ? (
                <a href={event.onlineUrl} rel="nofollow noopener">
                  {event.onlineUrl}
                </a>
              ) : (
                t('event.onlineForRegistered')
              )}
            </dd>
          </div>
        )}
        {event.audience && (
          <div>
            <dt>{t('event.field.audience')}</dt>
            <dd>{event.audience}</dd>
          </div>
        )}
        <div>
          <dt>{t('event.label.capacity')}</dt>
          <dd>
            {event.capacity
              ? t('event.seats', { registered: event.registered, capacity: event.capacity })
              : t('event.seatsUnlimited', { registered: event.registered })}
            {event.waiting > 0 ? ` · ${t('event.waitingCount', { count: formatNumber(locale, event.waiting) })}` : ''}
          </dd>
        </div>
      </dl>
      {event.description && (
        <div class="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(event.description) }} />
      )}
      <p>
        <a href={`${eventPath(event)}/agenda.ics`}>{t('event.ics')}</a>
      </p>
      {!past &&
        event.status === 'scheduled' &&
        (signedIn ? (
          registration ? (
            <>
              <p class="notice">{registration === 'waiting' ? t('event.waiting') : t('event.registered')}</p>
              <PostForm action={`${eventPath(event)}/desinscription`}>
                <button type="submit">{t('event.unregister')}</button>
              </PostForm>
            </>
          ) : (
            <PostForm action={`${eventPath(event)}/inscription`}>
              <button type="submit">{t('event.register')}</button>
            </PostForm>
          )
        ) : (
          <p>
            <a href={`/connexion?next=${encodeURIComponent(eventPath(event))}`}>{t('event.signin')}</a>
          </p>
        ))}
      {event.minutes && (
        <section aria-labelledby="minutes-title">
          <h2 id="minutes-title">{t('event.minutes')}</h2>
          <div class="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(event.minutes) }} />
        </section>
      )}
      {canManage && (
        <p>
          <a href={`${eventPath(event)}/inscrits`}>{t('event.registrants')}</a>
        </p>
      )}
      {canManage && !past && event.status === 'scheduled' && (
        <details>
          <summary>{t('event.cancel')}</summary>
          <PostForm action={`${eventPath(event)}/annulation`}>
            <Field name="reason" label={t('event.cancelReason')} maxLength={2000} />
            <button type="submit" class="danger">
              {t('event.cancel')}
            </button>
          </PostForm>
        </details>
      )}
      {canManage && past && (
        <PostForm action={`${eventPath(event)}/compte-rendu`}>
          <Field
            name="minutes"
            label={t('event.minutes')}
            multiline
            maxLength={50000}
            value={event.minutes ?? ''}
            hint="Markdown"
          />
          <button type="submit">{t('event.minutes.save')}</button>
        </PostForm>
      )}
    </article>
  )
}

/** Events: pages, registration, .ics files and iCal feeds (territory and network). */
/** The organisers' page of an event: who is registered or waiting, the list as CSV, and a message to them. */
export function RegistrantsPage(props: {
  event: EventRow
  registrants: RegistrantRow[]
  values: FormValues
  errors: FieldErrors
}) {
  const { t, locale } = usePage()
  const { event } = props
  const registered = props.registrants.filter((r) => r.status === 'registered').length
  const labels = { subject: t('event.message.subject'), body: t('event.message.body') }
  return (
    <article>
      <p class="kicker">
        <a href={eventPath(event)}>{event.title}</a>
      </p>
      <h1>{t('event.registrants.title', { title: event.title })}</h1>
      <p>{t('event.registrants.lead', { registered, waiting: props.registrants.length - registered })}</p>
      {props.registrants.length === 0 ? (
        <p>{t('event.registrants.none')}</p>
      ) : (
        <>
          <p>
            <a href={`${eventPath(event)}/inscrits.csv`} download>
              {t('event.registrants.csv')}
            </a>
          </p>
          <Table
            headings={[
              t('event.registrants.name'),
              t('event.registrants.email'),
              t('event.registrants.status'),
              t('event.registrants.since'),
            ]}
          >
            {props.registrants.map((r) => (
              <tr>
                <th scope="row">{r.name}</th>
                <td>
                  <a href={`mailto:${r.email}`}>{r.email}</a>
                </td>
                <td>{t(r.status === 'waiting' ? 'event.registrants.waiting' : 'event.registrants.registered')}</td>
                <td>{formatDate(locale, new Date(r.registeredAt))}</td>
              </tr>
            ))}
          </Table>
          <section aria-labelledby="message-title">
            <h2 id="message-title">{t('event.message')}</h2>
            <ErrorSummary errors={props.errors} labels={labels} />
            <PostForm action={`${eventPath(event)}/message`}>
              <Field
                name="audience"
                label={t('event.message.audience')}
                value={props.values.audience ?? 'registered'}
                options={[
                  { value: 'registered', label: t('event.message.registered') },
                  { value: 'all', label: t('event.message.all') },
                ]}
              />
              <Field
                name="subject"
                label={labels.subject}
                required
                maxLength={200}
                value={props.values.subject}
                error={props.errors.subject}
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
              <button type="submit">{t('event.message.submit')}</button>
            </PostForm>
          </section>
        </>
      )}
    </article>
  )
}
