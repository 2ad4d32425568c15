import { formatNumber, type MessageKey } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import { Pagination } from '../../../platform/layout/forms.tsx'
import type { FacetName, Facets, FicheHit } from '../search.ts'
import { vocabularyLabel, type VocabularyName } from '../vocabularies.ts'

import { fichePath, kindLabel, RefNav } from './shared.tsx'

// ---------------------------------------------------------------------------------------------------
// Search

const FACET_VOCABULARY: Partial<Record<FacetName, VocabularyName>> = {
  theme: 'themes',
  methodType: 'methodTypes',
  iap2: 'iap2',
  result: 'result',
}
const FACET_ORDER: FacetName[] = [
  'kind',
  'theme',
  'methodType',
  'iap2',
  'result',
  'region',
  'department',
  'institution',
]

export function searchHref(
  filters: Record<string, string | undefined>,
  change: Record<string, string | undefined>,
): string {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries({ ...filters, ...change, page: change.page }))
    if (value) params.set(name, value)
  const query = params.toString()
  return query ? `/referentiel?${query}` : '/referentiel'
}

export function SearchPage(props: {
  filters: Record<string, string | undefined>
  total: number
  hits: FicheHit[]
  facets: Facets
  placeNames: Map<string, string>
  page: number
  pageSize: number
  moderates: boolean
}) {
  const { t, locale } = usePage()
  const { filters } = props
  const facetLabel = (facet: FacetName, value: string) => {
    if (facet === 'kind') return kindLabel(t, value)
    if (facet === 'region') return props.placeNames.get(`region/${value}`) ?? value
    if (facet === 'department') return props.placeNames.get(`departement/${value}`) ?? value
    const vocabulary = FACET_VOCABULARY[facet]
    return vocabulary ? vocabularyLabel(vocabulary, value, locale) : value
  }
  const active = FACET_ORDER.filter((facet) => filters[facet])
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize))
  return (
    <>
      <h1>{t('ref.title')}</h1>
      <p class="lead">{t('ref.lead')}</p>
      <RefNav />
      {props.moderates && (
        <p>
          <a href="/referentiel/moderation">{t('ref.moderation')}</a>
        </p>
      )}
      <form method="get" action="/referentiel" role="search" class="search-form" aria-label={t('ref.search.label')}>
        <label for="ref-q">{t('ref.search.label')}</label>
        <input id="ref-q" type="search" name="q" value={filters.q ?? ''} maxLength={200} />
        {FACET_ORDER.filter((f) => filters[f]).map((f) => (
          <input type="hidden" name={f} value={filters[f]} />
        ))}
        <button type="submit">{t('ref.search.submit')}</button>
      </form>
      {active.length > 0 && (
        <ul class="active-filters">
          {active.map((facet) => (
            <li>
              <a href={searchHref(filters, { [facet]: undefined })}>
                {t(`ref.facet.${facet}` as MessageKey)} : {facetLabel(facet, filters[facet]!)}{' '}
                <span class="visually-hidden">– {t('ref.search.remove')}</span> ✕
              </a>
            </li>
          ))}
          <li>
            <a href={searchHref({ q: filters.q }, {})}>{t('ref.search.clear')}</a>
          </li>
        </ul>
      )}
      <div class="search-layout">
        <section aria-labelledby="results-title" class="search-results">
          <h2 id="results-title" aria-live="polite">
            {props.total === 1 ? t('ref.search.result1') : t('ref.search.results', { count: props.total })}
          </h2>
          {props.hits.length === 0 ? (
            <p>{t('ref.search.none')}</p>
          ) : (
            <ol class="fiche-list" start={(props.page - 1) * props.pageSize + 1}>
              {props.hits.map((hit) => (
                <li class="card">
                  <p class="kicker">
                    {kindLabel(t, hit.kind)}
                    {hit.subtype && hit.kind === 'method'
                      ? ` · ${vocabularyLabel('methodSubtype', hit.subtype, locale)}`
                      : ''}
                    {hit.result ? ` · ${vocabularyLabel('result', hit.result, locale)}` : ''}
                  </p>
                  <h3 class="card-title">
                    <a href={fichePath(hit.slug)}>{hit.title}</a>
                  </h3>
                  {hit.institution && <p class="meta">{hit.institution}</p>}
                  {hit.summary && <p>{hit.summary.length > 300 ? `${hit.summary.slice(0, 297)}…` : hit.summary}</p>}
                </li>
              ))}
            </ol>
          )}
          <Pagination
            page={props.page}
            pages={pages}
            href={(page) => searchHref(filters, { page: String(page) })}
            label={t('ref.pagination')}
          />
        </section>
        <aside aria-labelledby="facets-title" class="facets">
          <h2 id="facets-title">{t('ref.facets')}</h2>
          {FACET_ORDER.filter((facet) => props.facets[facet].length > 0 && !filters[facet]).map((facet) => (
            <section aria-labelledby={`facet-${facet}`}>
              <h3 id={`facet-${facet}`}>{t(`ref.facet.${facet}` as MessageKey)}</h3>
              <ul>
                {props.facets[facet].slice(0, 12).map((entry) => (
                  <li>
                    <a href={searchHref(filters, { [facet]: entry.value })}>{facetLabel(facet, entry.value)}</a>{' '}
                    <span class="count">({formatNumber(locale, entry.count)})</span>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </aside>
      </div>
    </>
  )
}
