import type { ComponentChildren } from 'preact'
import { formatDate, formatNumber, type MessageKey, type Translate } from '../../platform/i18n/index.ts'
import { usePage } from '../../platform/layout/context.ts'
import { renderMarkdown } from '../../platform/markdown.ts'
import { ErrorSummary, Field, PostForm, type FieldErrors, type FormValues } from '../../platform/layout/forms.tsx'
import { TERRITORY_KINDS, type TerritoryKind } from './normalize.ts'
import type { TerritorySummary } from './queries.ts'
import type { getTerritoryPage } from './service.ts'

/** "Communauté d'agglomération", "Commune", "Collectivité d'outre-mer"… */
export function kindLabel(
  t: Translate,
  territory: { kind: string; epciNature: string | null; zone: string | null },
): string {
  if (territory.kind === 'epci' && territory.epciNature) {
    const key = `epci.${territory.epciNature}`
    if (key in { 'epci.CC': 1, 'epci.CA': 1, 'epci.CU': 1, 'epci.METRO': 1, 'epci.MET69': 1 })
      return t(key as MessageKey)
  }
  if ((territory.kind === 'departement' || territory.kind === 'region') && territory.zone === 'com')
    return t('kind.com')
  return t(`kind.${territory.kind}` as MessageKey)
}

export const territoryPath = (t: { kind: string; code: string }) =>
  `/territoires/${t.kind}/${encodeURIComponent(t.code)}`

function TerritoryListItem({ territory }: { territory: TerritorySummary }) {
  const { t, locale } = usePage()
  const where =
    territory.kind === 'commune' && territory.departements.length > 0 ? ` (${territory.departements.join(', ')})` : ''
  return (
    <li class="territory-item">
      <a href={territoryPath(territory)}>
        {territory.name}
        {where}
      </a>
      <span class="meta">
        {' '}
        — {kindLabel(t, territory)}
        {territory.population !== null
          ? ` · ${t('territory.inhabitants', { count: formatNumber(locale, territory.population) })}`
          : ''}
        {territory.retired ? ` · ${t('territory.retired')}` : ''}
      </span>
    </li>
  )
}

export interface SearchView {
  query: string
  kind: TerritoryKind | null
  total: number
  page: number
  pageSize: number
  items: TerritorySummary[]
}

/** The results region, also swapped in by htmx as the person types. */
export function SearchResults({ result }: { result: SearchView }) {
  const { t } = usePage()
  const pages = Math.ceil(result.total / result.pageSize)
  const link = (page: number) =>
    `/territoires?q=${encodeURIComponent(result.query)}${result.kind ? `&kind=${result.kind}` : ''}&page=${page}`
  return (
    <section id="resultats" aria-live="polite" aria-labelledby="resultats-titre">
      <h2 id="resultats-titre" class="visually-hidden">
        {t('search.results')}
      </h2>
      {result.query.trim().length < 2 ? (
        <p>{t('search.prompt')}</p>
      ) : result.total === 0 ? (
        <p>{t('search.noResult', { q: result.query })}</p>
      ) : (
        <>
          <p>{t('search.resultsFor', { count: result.total, q: result.query })}</p>
          <ul class="territory-list">
            {result.items.map((territory) => (
              <TerritoryListItem territory={territory} />
            ))}
          </ul>
          {pages > 1 && (
            <nav aria-label="Pagination" class="pagination">
              {result.page > 1 && (
                <a href={link(result.page - 1)} rel="prev">
                  ← {result.page - 1}
                </a>
              )}
              <span aria-current="page">
                {result.page} / {pages}
              </span>
              {result.page < pages && (
                <a href={link(result.page + 1)} rel="next">
                  {result.page + 1} →
                </a>
              )}
            </nav>
          )}
        </>
      )}
    </section>
  )
}

/**
 * The search form; htmx refreshes the results while typing (a select fires `input` too), the submit button
 * does it without JavaScript. No `change` trigger: it fires again when the field loses focus, and that
 * second swap could replace the result link a person is clicking.
 */
export function SearchForm({ query, kind, idPrefix }: { query: string; kind: TerritoryKind | null; idPrefix: string }) {
  const { t } = usePage()
  return (
    <form
      action="/territoires"
      method="get"
      role="search"
      class="search-form"
      hx-get="/territoires"
      hx-target="#resultats"
      hx-select="#resultats"
      hx-swap="outerHTML"
      hx-trigger="input delay:300ms, submit"
      hx-push-url="true"
    >
      <div class="field">
        <label for={`${idPrefix}-q`}>{t('search.label')}</label>
        <input type="search" id={`${idPrefix}-q`} name="q" value={query} autocomplete="off" maxLength={100} />
      </div>
      <div class="field">
        <label for={`${idPrefix}-kind`}>{t('search.kind')}</label>
        <select id={`${idPrefix}-kind`} name="kind">
          <option value="">{t('search.kind.all')}</option>
          {TERRITORY_KINDS.map((k) => (
            <option value={k} selected={k === kind}>
              {t(`kind.${k}` as MessageKey)}
            </option>
          ))}
        </select>
      </div>
      <button type="submit">{t('search.submit')}</button>
    </form>
  )
}

export function SearchPage({ result }: { result: SearchView }) {
  const { t } = usePage()
  return (
    <>
      <h1>{t('search.title')}</h1>
      <SearchForm query={result.query} kind={result.kind} idPrefix="search" />
      <SearchResults result={result} />
    </>
  )
}

type PageData = Awaited<ReturnType<typeof getTerritoryPage>>

/** `follow`: the box to follow the territory (from the follows module) */
export function TerritoryPage({
  data,
  canEdit,
  follow,
}: {
  data: PageData
  canEdit: boolean
  follow?: ComponentChildren
}) {
  const { t, locale } = usePage()
  const { territory, parents, children, childKind, profile, electedOfficials, membership } = data
  const day = (iso: string) => formatDate(locale, new Date(`${iso}T12:00:00Z`))
  const convention =
    membership?.conventionStart && membership.conventionEnd
      ? t('territory.member.convention', { start: day(membership.conventionStart), end: day(membership.conventionEnd) })
      : null
  const codeLabel =
    territory.kind === 'epci' || territory.kind === 'ept'
      ? t('territory.codeSiren')
      : territory.kind === 'autre'
        ? t('territory.code')
        : t('territory.codeInsee')
  return (
    <article class="territory">
      <p class="kicker">{kindLabel(t, territory)}</p>
      <h1>{territory.name}</h1>
      {membership && (
        <p class="membership-badge">
          <strong class="badge">
            {t(membership.status === 'in_programme' ? 'territory.member.programme' : 'territory.member.network')}
          </strong>{' '}
          {membership.since && t('territory.member.since', { day: day(membership.since) })}
          {convention && (
            <>
              {' · '}
              {membership.conventionUrl ? (
                <a href={membership.conventionUrl} rel="noopener">
                  {convention}
                </a>
              ) : (
                convention
              )}
            </>
          )}{' '}
          · <a href="/membres">{t('nav.members')}</a>
        </p>
      )}
      {follow}
      {territory.retiredAt && <p class="notice">{t('territory.retired')}</p>}
      {territory.source === 'manual' && <p class="notice">{t('territory.source.manual')}</p>}
      <dl class="facts">
        <div>
          <dt>{t('territory.kind')}</dt>
          <dd>{kindLabel(t, territory)}</dd>
        </div>
        <div>
          <dt>{codeLabel}</dt>
          <dd>{territory.code}</dd>
        </div>
        <div>
          <dt>{t('territory.population')}</dt>
          <dd>
            {territory.population === null
              ? t('territory.populationUnknown')
              : t('territory.inhabitants', { count: formatNumber(locale, territory.population) })}
          </dd>
        </div>
      </dl>
      {territory.source === 'cog' && <p class="hint">{t('territory.populationNote')}</p>}
      <p>
        <a class="button" href={`${territoryPath(territory)}/tableau-de-bord`}>
          {t('plans.dashboard')}
        </a>{' '}
        <a href={`${territoryPath(territory)}/plans`}>{t('plans.title')}</a> ·{' '}
        <a href={`${territoryPath(territory)}/consultations`}>{t('consult.title')}</a> ·{' '}
        <a href={`${territoryPath(territory)}/textes`}>{t('text.title')}</a> ·{' '}
        <a href={`${territoryPath(territory)}/questions`}>{t('question.title')}</a> ·{' '}
        <a href={`${territoryPath(territory)}/evenements`}>{t('event.title')}</a> ·{' '}
        <a href={`${territoryPath(territory)}/assemblees`}>{t('assembly.title')}</a>
      </p>

      <section aria-labelledby="parents-title">
        <h2 id="parents-title">{t('territory.parents')}</h2>
        {parents.length === 0 ? (
          <p>{t('territory.noParent')}</p>
        ) : (
          <ul class="territory-list">
            {parents.map((parent) => (
              <TerritoryListItem territory={parent} />
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="presentation-title">
        <h2 id="presentation-title">{t('territory.presentation')}</h2>
        {profile?.presentation ? (
          <div class="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(profile.presentation) }} />
        ) : (
          <p>{t('territory.noPresentation')}</p>
        )}
        {profile?.website && (
          <p>
            {t('territory.website')} :{' '}
            <a href={profile.website} rel="noopener nofollow">
              {profile.website}
            </a>
          </p>
        )}
        {profile?.publicContactEmail && (
          <p>
            {t('territory.contact')} : <a href={`mailto:${profile.publicContactEmail}`}>{profile.publicContactEmail}</a>
          </p>
        )}
        {canEdit && (
          <p>
            <a class="button" href={`${territoryPath(territory)}/presentation`}>
              {t('territory.edit')}
            </a>{' '}
            <a href={`${territoryPath(territory)}/adhesion`}>{t('membership.title')}</a>
          </p>
        )}
      </section>

      {electedOfficials.length > 0 && (
        <section aria-labelledby="team-title">
          <h2 id="team-title">{t('territory.team')}</h2>
          <ul>
            {electedOfficials.map((person) => (
              <li>
                {person.displayName} — {t('territory.role.elected')}
              </li>
            ))}
          </ul>
        </section>
      )}

      {childKind && children.total > 0 && (
        <section aria-labelledby="children-title">
          <h2 id="children-title">
            {t('territory.children')} : {t('territory.childrenCount', { count: children.total })}
          </h2>
          <ul class="territory-list columns">
            {children.items.map((child) => (
              <TerritoryListItem territory={child} />
            ))}
          </ul>
        </section>
      )}
    </article>
  )
}

export function ProfileEditPage({
  name,
  path,
  values,
  errors,
}: {
  name: string
  path: string
  values: FormValues
  errors: FieldErrors
}) {
  const { t } = usePage()
  const labels = {
    presentation: t('territory.field.presentation'),
    website: t('territory.field.website'),
    publicContactEmail: t('territory.field.contact'),
  }
  return (
    <>
      <h1>{t('territory.editTitle', { name })}</h1>
      <ErrorSummary errors={errors} labels={labels} />
      <PostForm action={`${path}/presentation`}>
        <Field
          name="presentation"
          label={labels.presentation}
          multiline
          value={values.presentation}
          error={errors.presentation}
          maxLength={5000}
          hint="Markdown"
        />
        <Field
          name="website"
          type="url"
          label={labels.website}
          value={values.website}
          error={errors.website}
          autocomplete="url"
        />
        <Field
          name="publicContactEmail"
          type="email"
          label={labels.publicContactEmail}
          value={values.publicContactEmail}
          error={errors.publicContactEmail}
          autocomplete="off"
        />
        <div class="actions">
          <button type="submit">{t('form.save')}</button> <a href={path}>{t('form.cancel')}</a>
        </div>
      </PostForm>
    </>
  )
}
