import { diffWords } from 'diff'
import type { ComponentChildren } from 'preact'
import { formatDate, formatNumber, type Locale, type MessageKey, type Translate } from '../../platform/i18n/index.ts'
import { usePage } from '../../platform/layout/context.ts'
import {
  CsrfField,
  ErrorSummary,
  Field,
  Pagination,
  PostForm,
  type FieldErrors,
  type FormValues,
} from '../../platform/layout/forms.tsx'
import { Picker, type PickerChoice } from '../../platform/layout/picker.tsx'
import { ProblemList } from '../../platform/layout/problems.tsx'
import { renderMarkdown } from '../../platform/markdown.ts'
import {
  displayValue,
  fieldLabel,
  fieldsOf,
  isEmpty,
  type FicheContent,
  type FicheKind,
  type FieldChange,
  type FieldSpec,
  type FieldValue,
} from './fields.ts'
import type { FacetName, Facets, FicheHit, InventoryReport } from './search.ts'
import { LICENCE_URLS, vocabularyLabel, vocabularyOptions, type VocabularyName } from './vocabularies.ts'

export const fichePath = (slug: string) => `/referentiel/fiches/${slug}`
export const versionPath = (id: string) => `/referentiel/versions/${id}`
export const kindLabel = (t: Translate, kind: string) => t(`ref.kind.${kind}` as MessageKey)
export const statusLabel = (t: Translate, status: string) => t(`ref.status.${status}` as MessageKey)

export type FicheNames = Map<string, { slug: string; title: string; kind: string }>

function RefNav() {
  const { t, user } = usePage()
  return (
    <p class="actions">
      <a href="/referentiel">{t('ref.title')}</a> · <a href="/referentiel/inventaire">{t('ref.inventory')}</a> ·{' '}
      <a href="/referentiel/donnees">{t('ref.opendata')}</a>
      {user && (
        <>
          {' '}
          · <a href="/referentiel/nouvelle">{t('ref.new')}</a> ·{' '}
          <a href="/referentiel/mes-contributions">{t('ref.mine')}</a>
        </>
      )}
    </p>
  )
}

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

// ---------------------------------------------------------------------------------------------------
// A fiche's content

function valueView(
  field: FieldSpec,
  value: FieldValue | undefined,
  locale: Locale,
  names: FicheNames,
): ComponentChildren {
  if (isEmpty(value)) return null
  if (field.type === 'markdown')
    return <div class="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(String(value)) }} />
  if (field.type === 'fiches')
    return (
      <ul>
        {(value as string[]).map((id) => {
          const named = names.get(id)
          return <li>{named ? <a href={fichePath(named.slug)}>{named.title}</a> : id}</li>
        })}
      </ul>
    )
  if (field.type === 'url')
    return (
      <a href={String(value)} rel="nofollow noopener">
        {String(value)}
      </a>
    )
  if (field.type === 'urls')
    return (
      <ul>
        {(value as string[]).map((url) => (
          <li>
            <a href={url} rel="nofollow noopener">
              {url}
            </a>
          </li>
        ))}
      </ul>
    )
  if (field.type === 'lines' || (field.type === 'choices' && (value as string[]).length > 1))
    return (
      <ul>
        {(value as string[]).map((item) => (
          <li>{field.vocabulary ? vocabularyLabel(field.vocabulary, item, locale) : item}</li>
        ))}
      </ul>
    )
  if (field.type === 'longtext') return <p class="pre-line">{String(value)}</p>
  if (field.type === 'date') return formatDate(locale, new Date(`${String(value)}T12:00:00Z`))
  if (field.type === 'integer') return formatNumber(locale, Number(value))
  if (field.type === 'commitment')
    return (
      <a href={`/engagements/${String(value)}`}>
        {names.get(`commitment:${String(value)}`)?.title ??
          (locale === 'fr' ? 'Engagement du plan d’action' : 'Action plan commitment')}
      </a>
    )
  if (field.type === 'territory')
    return (
      <a href={`/territoires/${String(value)}`}>{names.get(`territory:${String(value)}`)?.title ?? String(value)}</a>
    )
  return displayValue(field, value ?? null, locale)
}

const SHOWN_APART = new Set([
  'title',
  'summary',
  'body',
  'licence',
  'sourceName',
  'sourceUrl',
  'originalAuthors',
  'language',
])

/** The fields of a fiche, grouped, each labelled (empty ones left out). */
export function FicheContentView({
  kind,
  content,
  names,
}: {
  kind: FicheKind
  content: FicheContent
  names: FicheNames
}) {
  const { t, locale } = usePage()
  const fields = fieldsOf(kind)
  return (
    <>
      {!isEmpty(content.body) && (
        <div class="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(String(content.body)) }} />
      )}
      {(['identity', 'practice', 'outcome'] as const).map((group) => {
        const shown = fields.filter((f) => f.group === group && !SHOWN_APART.has(f.name) && !isEmpty(content[f.name]))
        if (shown.length === 0) return null
        return (
          <section aria-labelledby={`group-${group}`}>
            <h2 id={`group-${group}`}>{t(`ref.group.${group}` as MessageKey)}</h2>
            <dl class="fiche-fields">
              {shown.map((field) => (
                <>
                  <dt>{fieldLabel(field, locale)}</dt>
                  <dd>{valueView(field, content[field.name], locale, names)}</dd>
                </>
              ))}
            </dl>
          </section>
        )
      })}
    </>
  )
}

export interface VersionSummary {
  id: string
  number: number
  status: string
  authorName: string | null
  authorId: string | null
  reviewerName: string | null
  publishedAt: Date | null
  updatedAt: Date
  reviewNote: string | null
}

export function licenceLink(licence: string | null | undefined, locale: Locale) {
  if (!licence) return null
  const url = LICENCE_URLS[licence]
  const label = vocabularyLabel('licence', licence, locale)
  return url ? (
    <a href={url} rel="license">
      {label}
    </a>
  ) : (
    label
  )
}

export function FichePage(props: {
  fiche: {
    slug: string
    kind: FicheKind
    title: string
    featured: boolean
    publishedAt: Date
    publishedVersion: number
    licence: string | null
  }
  content: FicheContent
  names: FicheNames
  links: { direction: 'out' | 'in'; relation: string; slug: string; title: string; kind: string }[]
  related: FicheHit[]
  elsewhere: { slug: string; title: string; sourceName: string | null }[]
  versions: VersionSummary[]
  openProposal: boolean
  canPropose: boolean
  canFeature: boolean
  commitmentTitle: string | null
  territoryName: string | null
}) {
  const { t, locale } = usePage()
  const { fiche, content } = props
  const published = props.versions.filter((v) => v.status === 'published')
  const contributors = [
    ...new Set(published.map((v) => v.authorName ?? (v.authorId ? t('ref.deletedAccount') : t('ref.importedVersion')))),
  ]
  const incoming = props.links.filter((l) => l.direction === 'in')
  return (
    <article class="fiche">
      <RefNav />
      <p class="kicker">
        {kindLabel(t, fiche.kind)}
        {fiche.kind === 'method' && typeof content.subtype === 'string'
          ? ` · ${vocabularyLabel('methodSubtype', content.subtype, locale)}`
          : ''}
        {typeof content.result === 'string' ? ` · ${vocabularyLabel('result', content.result, locale)}` : ''}
      </p>
      <h1>{fiche.title}</h1>
      {fiche.featured && <p class="badge">{t('ref.featured')}</p>}
      {typeof content.summary === 'string' && <p class="lead">{content.summary}</p>}
      {props.territoryName && typeof content.territory === 'string' && (
        <p>
          <a href={`/territoires/${content.territory}`}>{t('ref.territoryLink', { name: props.territoryName })}</a>
        </p>
      )}
      {props.commitmentTitle && typeof content.commitment === 'string' && (
        <p>
          <a href={`/engagements/${content.commitment}`}>{t('ref.commitment', { title: props.commitmentTitle })}</a>
        </p>
      )}
      <div class="staff-actions">
        {props.openProposal && <p class="notice">{t('ref.openProposal')}</p>}
        {props.canPropose ? (
          <PostForm action={`${fichePath(fiche.slug)}/proposition`} class="inline-form">
            <button type="submit">{t('ref.edit')}</button>
          </PostForm>
        ) : (
          <p>
            <a href={`/connexion?next=${encodeURIComponent(fichePath(fiche.slug))}`}>{t('ref.signinToPropose')}</a>
          </p>
        )}
        {props.canFeature && (
          <PostForm action={`${fichePath(fiche.slug)}/mise-en-avant`} class="inline-form">
            <input type="hidden" name="featured" value={fiche.featured ? 'false' : 'true'} />
            <button type="submit" class="link-button">
              {fiche.featured ? t('ref.unfeature') : t('ref.feature')}
            </button>
          </PostForm>
        )}
      </div>
      <FicheContentView kind={fiche.kind} content={content} names={props.names} />
      {incoming.length > 0 && (
        <section aria-labelledby="incoming-title">
          <h2 id="incoming-title">{t(`ref.links.in.${incoming[0]!.relation}` as MessageKey)}</h2>
          <ul>
            {incoming.map((l) => (
              <li>
                <a href={fichePath(l.slug)}>{l.title}</a> <span class="meta">({kindLabel(t, l.kind)})</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {props.elsewhere.length > 0 && (
        <section aria-labelledby="elsewhere-title">
          <h2 id="elsewhere-title">{t('ref.sameElsewhere')}</h2>
          <ul>
            {props.elsewhere.map((f) => (
              <li>
                <a href={fichePath(f.slug)}>{f.title}</a>{' '}
                <span class="meta">({f.sourceName ?? t('ref.writtenHere')})</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {props.related.length > 0 && (
        <section aria-labelledby="related-title">
          <h2 id="related-title">{t('ref.related')}</h2>
          <ul>
            {props.related.map((r) => (
              <li>
                <a href={fichePath(r.slug)}>{r.title}</a> <span class="meta">({kindLabel(t, r.kind)})</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="attribution-title" class="panel">
        <h2 id="attribution-title">{t('ref.attribution')}</h2>
        <ul>
          <li>
            {t('ref.publishedOn', { date: formatDate(locale, fiche.publishedAt), number: fiche.publishedVersion })}
          </li>
          <li>{t('ref.contributors', { names: contributors.join(', ') })}</li>
          {typeof content.originalAuthors === 'string' && (
            <li>{t('ref.originalAuthors', { names: content.originalAuthors })}</li>
          )}
          {typeof content.sourceName === 'string' && (
            <li>
              {t('ref.source', { source: '' })}
              {typeof content.sourceUrl === 'string' ? (
                <a href={content.sourceUrl} rel="nofollow noopener">
                  {content.sourceName}
                </a>
              ) : (
                content.sourceName
              )}
            </li>
          )}
          <li>
            {t('ref.licence', { licence: '' })}
            {licenceLink(fiche.licence, locale)}
          </li>
          <li>
            <a href={`${fichePath(fiche.slug)}/jsonld`} type="application/ld+json">
              {t('ref.jsonld')}
            </a>
          </li>
        </ul>
      </section>
      <section aria-labelledby="versions-title">
        <h2 id="versions-title">{t('ref.versions')}</h2>
        <ol reversed>
          {published.map((v) => (
            <li>
              <a href={versionPath(v.id)}>{t('ref.version', { number: v.number })}</a> –{' '}
              {v.publishedAt ? formatDate(locale, v.publishedAt) : ''}{' '}
              {t('ref.versionBy', {
                name: v.authorName ?? (v.authorId ? t('ref.deletedAccount') : t('ref.importedVersion')),
              })}
            </li>
          ))}
        </ol>
      </section>
    </article>
  )
}

// ---------------------------------------------------------------------------------------------------
// Diffs

function listText(field: FieldSpec, value: FieldValue, locale: Locale, names: FicheNames): string[] {
  if (isEmpty(value)) return []
  const items = Array.isArray(value) ? value : [String(value)]
  if (field.type === 'fiches') return items.map((id) => names.get(id)?.title ?? id)
  return items.map((item) => (field.vocabulary ? vocabularyLabel(field.vocabulary, item, locale) : item))
}

/** The changes of a version: words removed and added in texts, items removed and added in lists. */
export function DiffTable({ changes, names }: { changes: FieldChange[]; names: FicheNames }) {
  const { t, locale } = usePage()
  if (changes.length === 0) return <p>{t('ref.diffNone')}</p>
  return (
    <div class="table-scroll">
      <table class="diff">
        <thead>
          <tr>
            <th scope="col">{t('ref.field')}</th>
            <th scope="col">
              {t('ref.before')} → {t('ref.after')}
            </th>
          </tr>
        </thead>
        <tbody>
          {changes.map((change) => {
            const isText = ['text', 'longtext', 'markdown'].includes(change.field.type)
            let cell: ComponentChildren
            if (isText) {
              const parts = diffWords(String(change.before ?? ''), String(change.after ?? ''))
              cell = (
                <p class="pre-line">
                  {parts.map((part) =>
                    part.added ? (
                      <ins>{part.value}</ins>
                    ) : part.removed ? (
                      <del>{part.value}</del>
                    ) : (
                      <span>{part.value}</span>
                    ),
                  )}
                </p>
              )
            } else {
              const before = listText(change.field, change.before, locale, names)
              const after = listText(change.field, change.after, locale, names)
              cell = (
                <ul>
                  {before
                    .filter((item) => !after.includes(item))
                    .map((item) => (
                      <li>
                        <del>{item}</del>
                      </li>
                    ))}
                  {after
                    .filter((item) => !before.includes(item))
                    .map((item) => (
                      <li>
                        <ins>{item}</ins>
                      </li>
                    ))}
                </ul>
              )
            }
            return (
              <tr>
                <th scope="row">{fieldLabel(change.field, locale)}</th>
                <td>{cell}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

export function VersionPage(props: {
  fiche: { slug: string; kind: FicheKind; title: string | null; publishedVersion: number | null }
  version: VersionSummary & { submittedAt: Date | null; baseNumber: number | null }
  content: FicheContent
  changes: FieldChange[]
  names: FicheNames
  canModerate: boolean
  isAuthor: boolean
  values: FormValues
  errors: FieldErrors
}) {
  const { t, locale } = usePage()
  const { version } = props
  const editable = props.isAuthor && (version.status === 'draft' || version.status === 'changes_requested')
  const open = ['draft', 'submitted', 'changes_requested'].includes(version.status)
  return (
    <article>
      <RefNav />
      <p class="kicker">
        {kindLabel(t, props.fiche.kind)} · {t('ref.version', { number: version.number })} ·{' '}
        <span class="status">{statusLabel(t, version.status)}</span>
      </p>
      <h1>{String(props.content.title ?? props.fiche.title ?? props.fiche.slug)}</h1>
      {props.fiche.publishedVersion !== null && (
        <p>
          <a href={fichePath(props.fiche.slug)}>{props.fiche.title}</a>
        </p>
      )}
      <p class="meta">
        {t('ref.versionBy', {
          name: version.authorName ?? (version.authorId ? t('ref.deletedAccount') : t('ref.importedVersion')),
        })}
        {version.submittedAt
          ? ` · ${t('ref.submittedBy', { name: version.authorName ?? '—', date: formatDate(locale, version.submittedAt) })}`
          : ''}
      </p>
      {version.reviewNote && version.status !== 'published' && (
        <p class="notice">{t('ref.reviewNote', { note: version.reviewNote })}</p>
      )}
      {editable && (
        <div class="staff-actions">
          <a class="button" href={`${versionPath(version.id)}/modifier`}>
            {t('ref.edit')}
          </a>{' '}
          <PostForm action={`${versionPath(version.id)}/soumettre`} class="inline-form">
            <button type="submit">{t('ref.submit')}</button>
          </PostForm>
        </div>
      )}
      {props.isAuthor && open && (
        <PostForm action={`${versionPath(version.id)}/abandon`} class="inline-form">
          <button type="submit" class="link-button">
            {t('ref.discard')}
          </button>
        </PostForm>
      )}
      <section aria-labelledby="diff-title">
        <h2 id="diff-title">{version.baseNumber ? t('ref.diff', { number: version.baseNumber }) : t('ref.diffNew')}</h2>
        <DiffTable changes={props.changes} names={props.names} />
      </section>
      {props.canModerate && version.status === 'submitted' && (
        <section aria-labelledby="decision-title" class="panel">
          <h2 id="decision-title">{t('ref.decision')}</h2>
          <ErrorSummary errors={props.errors} labels={{ decision: t('ref.decision'), note: t('ref.decision.note') }} />
          <PostForm action={`${versionPath(version.id)}/decision`}>
            <fieldset class="field" id="field-decision">
              <legend>{t('ref.decision')}</legend>
              {(['publish', 'request_changes', 'reject'] as const).map((decision) => (
                <div class="checkbox">
                  <input
                    type="radio"
                    id={`decision-${decision}`}
                    name="decision"
                    value={decision}
                    checked={props.values.decision === decision}
                  />
                  <label for={`decision-${decision}`}>{t(`ref.decision.${decision}`)}</label>
                </div>
              ))}
            </fieldset>
            <Field
              name="note"
              label={t('ref.decision.note')}
              multiline
              maxLength={5000}
              value={props.values.note}
              error={props.errors.note}
            />
            <button type="submit">{t('ref.decision.submit')}</button>
          </PostForm>
        </section>
      )}
      <section aria-labelledby="content-title">
        <h2 id="content-title">{t('ref.version', { number: version.number })}</h2>
        <FicheContentView kind={props.fiche.kind} content={props.content} names={props.names} />
      </section>
    </article>
  )
}

// ---------------------------------------------------------------------------------------------------
// Forms

function ChoicesField({
  field,
  value,
  error,
}: {
  field: FieldSpec
  value: string | undefined
  error: string | undefined
}) {
  const { locale } = usePage()
  const chosen = new Set((value ?? '').split(',').filter(Boolean))
  const id = `field-${field.name}`
  return (
    <fieldset
      class={`field${error ? ' field-error' : ''}`}
      id={id}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend>{fieldLabel(field, locale)}</legend>
      {error && (
        <p class="error-message" id={`${id}-error`}>
          {error}
        </p>
      )}
      <div class="choices">
        {vocabularyOptions(field.vocabulary!, locale).map((option) => (
          <div class="checkbox">
            <input
              type="checkbox"
              id={`${id}-${option.value.replace(/[^a-z0-9_]/gi, '_')}`}
              name={field.name}
              value={option.value}
              checked={chosen.has(option.value)}
            />
            <label for={`${id}-${option.value.replace(/[^a-z0-9_]/gi, '_')}`}>{option.label}</label>
          </div>
        ))}
      </div>
    </fieldset>
  )
}

export function FicheFormPage(props: {
  kind: FicheKind
  title: string
  action: string
  values: FormValues
  errors: FieldErrors
  /** licences the contributor may choose (an imported fiche keeps its own) */
  licences: string[]
  reviewNote?: string | null
  /** what a territory or commitment field's text matched, to choose from */
  choices?: Record<string, PickerChoice[]>
}) {
  const { t, locale } = usePage()
  const fields = fieldsOf(props.kind)
  const labels = Object.fromEntries(fields.map((f) => [f.name, fieldLabel(f, locale)]))
  // a long form (an experience has some forty fields) in sections, each saying how much of it is filled
  const sections = (['identity', 'practice', 'outcome', 'source'] as const).map((group) => {
    const inGroup = fields.filter((f) => f.group === group)
    return {
      group,
      fields: inGroup,
      filled: inGroup.filter((f) => (props.values[f.name] ?? '').trim() !== '').length,
      errors: inGroup.filter((f) => props.errors[f.name]).length,
    }
  })
  return (
    <div class="narrow">
      <RefNav />
      <h1>{props.title}</h1>
      <p>{t('ref.formHint')}</p>
      {props.reviewNote && <p class="notice">{t('ref.reviewNote', { note: props.reviewNote })}</p>}
      <ErrorSummary errors={props.errors} labels={labels} />
      <nav class="form-sections" aria-labelledby="form-sections-title">
        <h2 id="form-sections-title">{t('ref.sections')}</h2>
        <ol>
          {sections.map((section) => (
            <li>
              <a href={`#section-${section.group}`}>{t(`ref.group.${section.group}` as MessageKey)}</a> —{' '}
              {t('ref.sectionFilled', { filled: section.filled, count: section.fields.length })}
              {section.errors > 0 && (
                <strong class="error-message"> · {t('ref.sectionErrors', { count: section.errors })}</strong>
              )}
            </li>
          ))}
        </ol>
      </nav>
      <PostForm action={props.action}>
        {sections.map((section, index) => (
          <details class="form-group" id={`section-${section.group}`} open={index === 0 || section.errors > 0}>
            <summary>
              {t(`ref.group.${section.group}` as MessageKey)}{' '}
              <span class="meta">
                ({t('ref.sectionFilled', { filled: section.filled, count: section.fields.length })})
              </span>
            </summary>
            <fieldset>
              <legend class="visually-hidden">{t(`ref.group.${section.group}` as MessageKey)}</legend>
              {section.fields.map((field) => {
                const common = {
                  name: field.name,
                  label: labels[field.name]!,
                  value: props.values[field.name],
                  error: props.errors[field.name],
                  required: !!field.required,
                }
                const hint = field.hint?.[locale === 'fr' ? 0 : 1]
                const withHint = hint ? { hint } : {}
                if (field.type === 'territory' || field.type === 'commitment') {
                  const suggest = field.type === 'territory' ? '/territoires/suggestions' : '/engagements/suggestions'
                  return <Picker {...common} {...withHint} suggest={suggest} choices={props.choices?.[field.name]} />
                }
                if (field.type === 'choices')
                  return (
                    <ChoicesField field={field} value={props.values[field.name]} error={props.errors[field.name]} />
                  )
                if (field.type === 'choice') {
                  const options =
                    field.name === 'licence'
                      ? props.licences.map((l) => ({ value: l, label: vocabularyLabel('licence', l, locale) }))
                      : [{ value: '', label: '—' }, ...vocabularyOptions(field.vocabulary!, locale)]
                  return <Field {...common} {...withHint} options={options} />
                }
                if (['longtext', 'markdown', 'lines', 'urls', 'fiches'].includes(field.type))
                  return (
                    <Field
                      {...common}
                      {...withHint}
                      multiline
                      {...(field.max && field.type !== 'lines' && field.type !== 'urls' && field.type !== 'fiches'
                        ? { maxLength: field.max }
                        : {})}
                    />
                  )
                if (field.type === 'date') return <Field {...common} {...withHint} type="date" />
                if (field.type === 'url') return <Field {...common} {...withHint} type="url" />
                if (field.type === 'integer') return <Field {...common} {...withHint} type="number" />
                return <Field {...common} {...withHint} {...(field.max ? { maxLength: field.max } : {})} />
              })}
            </fieldset>
          </details>
        ))}
        <div class="actions">
          <button type="submit" name="intent" value="save">
            {t('ref.save')}
          </button>{' '}
          <button type="submit" name="intent" value="submit">
            {t('ref.saveSubmit')}
          </button>
        </div>
      </PostForm>
    </div>
  )
}

export function KindChoicePage() {
  const { t } = usePage()
  return (
    <div class="narrow">
      <RefNav />
      <h1>{t('ref.new')}</h1>
      <ul class="cards">
        {(['method', 'experience', 'actor'] as const).map((kind) => (
          <li class="card">
            <a href={`/referentiel/nouvelle?nature=${kind}`}>{t(`ref.kind.${kind}`)}</a>
          </li>
        ))}
      </ul>
    </div>
  )
}

// ---------------------------------------------------------------------------------------------------
// Queue and contributions

export function QueuePage({
  items,
}: {
  items: { id: string; number: number; kind: string; title: string; submittedAt: string; authorName: string | null }[]
}) {
  const { t, locale } = usePage()
  return (
    <>
      <RefNav />
      <h1>{t('ref.moderation')}</h1>
      <p>{t('ref.queueLead')}</p>
      {items.length === 0 ? (
        <p>{t('ref.queueEmpty')}</p>
      ) : (
        <ol>
          {items.map((item) => (
            <li>
              <a href={versionPath(item.id)}>
                {item.title} – {t('ref.version', { number: item.number })}
              </a>{' '}
              <span class="meta">
                ({kindLabel(t, item.kind)},{' '}
                {t('ref.submittedBy', {
                  name: item.authorName ?? t('ref.deletedAccount'),
                  date: formatDate(locale, new Date(item.submittedAt)),
                })}
                )
              </span>
            </li>
          ))}
        </ol>
      )}
    </>
  )
}

export function MinePage({
  items,
}: {
  items: {
    id: string
    number: number
    status: string
    title: string
    kind: string
    updatedAt: Date
    reviewNote: string | null
  }[]
}) {
  const { t, locale } = usePage()
  return (
    <>
      <RefNav />
      <h1>{t('ref.mine')}</h1>
      {items.length === 0 ? (
        <p>{t('ref.mineEmpty')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('ref.col.fiche')}</th>
                <th scope="col">{t('ref.facet.kind')}</th>
                <th scope="col">{t('ref.col.status')}</th>
                <th scope="col">{t('ref.col.date')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr>
                  <td>
                    <a href={versionPath(item.id)}>
                      {item.title} ({t('ref.version', { number: item.number })})
                    </a>
                    {item.reviewNote && item.status !== 'published' && (
                      <p class="hint">{t('ref.reviewNote', { note: item.reviewNote })}</p>
                    )}
                  </td>
                  <td>{kindLabel(t, item.kind)}</td>
                  <td>{statusLabel(t, item.status)}</td>
                  <td>{formatDate(locale, item.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}

// ---------------------------------------------------------------------------------------------------
// Inventory (FR0110)

/** A horizontal bar chart in SVG, with the same figures in a table beside it (its text alternative). */
export function BarChart({ id, title, rows }: { id: string; title: string; rows: { label: string; count: number }[] }) {
  const { t, locale } = usePage()
  if (rows.length === 0) return null
  const max = Math.max(...rows.map((r) => r.count), 1)
  const rowHeight = 26
  const labelWidth = 260
  const width = 640
  const height = rows.length * rowHeight + 10
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-labelledby={`${id}-title`} focusable="false">
        <title id={`${id}-title`}>{title}</title>
        {rows.map((row, i) => {
          const barWidth = Math.max(2, ((width - labelWidth - 50) * row.count) / max)
          const y = i * rowHeight + 5
          return (
            <g>
              <text x={labelWidth - 8} y={y + 16} text-anchor="end" class="chart-label">
                {row.label.length > 38 ? `${row.label.slice(0, 36)}…` : row.label}
              </text>
              <rect x={labelWidth} y={y + 3} width={barWidth} height={rowHeight - 8} class="bar" />
              <text x={labelWidth + barWidth + 6} y={y + 16} class="chart-label">
                {formatNumber(locale, row.count)}
              </text>
            </g>
          )
        })}
      </svg>
      <figcaption>
        <details>
          <summary>{t('ref.chartTable', { title })}</summary>
          <table class="chart-table">
            <thead>
              <tr>
                <th scope="col">{title}</th>
                <th scope="col">{t('ref.inventory.count')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr>
                  <th scope="row">{row.label}</th>
                  <td>{formatNumber(locale, row.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figcaption>
    </figure>
  )
}

export function InventoryPage({
  report,
  filters,
}: {
  report: InventoryReport
  filters: { institutionKind: string; year: string }
}) {
  const { t, locale, user } = usePage()
  const stated = report.byResult.reduce((sum, r) => sum + r.count, 0)
  const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as [string, string][]).toString()
  const suffix = query ? `?${query}` : ''
  return (
    <article class="inventory">
      <RefNav />
      <h1>{t('ref.inventory')}</h1>
      <p class="lead">{t('ref.inventory.lead')}</p>
      {user && (
        <p>
          <a class="button" href="/referentiel/nouvelle?nature=experience">
            {t('ref.inventory.declare')}
          </a>
        </p>
      )}
      <form method="get" action="/referentiel/inventaire" class="filters">
        <Field
          name="institutionKind"
          label={t('ref.facet.institution')}
          value={filters.institutionKind}
          options={[
            { value: '', label: t('ref.inventory.allInstitutions') },
            ...vocabularyOptions('institutionKind', locale),
          ]}
        />
        <Field name="year" label={t('ref.inventory.year')} type="number" value={filters.year} />
        <button type="submit">{t('ref.inventory.filter')}</button>
      </form>
      <p class="figure">{t('ref.inventory.total', { count: report.total })}</p>
      <p>
        <a href={`/referentiel/inventaire.csv${suffix}`}>CSV</a> ·{' '}
        <a href={`/referentiel/inventaire.json${suffix}`}>JSON</a>
      </p>
      <section aria-labelledby="inv-result">
        <h2 id="inv-result">{t('ref.inventory.byResult')}</h2>
        <BarChart
          id="chart-result"
          title={t('ref.inventory.byResult')}
          rows={[
            ...report.byResult.map((r) => ({ label: vocabularyLabel('result', r.value, locale), count: r.count })),
            ...(report.total > stated ? [{ label: t('ref.inventory.notStated'), count: report.total - stated }] : []),
          ]}
        />
      </section>
      <section aria-labelledby="inv-method">
        <h2 id="inv-method">{t('ref.inventory.byMethod')}</h2>
        <BarChart
          id="chart-method"
          title={t('ref.inventory.byMethod')}
          rows={report.byMethod.slice(0, 15).map((m) => ({ label: m.title, count: m.count }))}
        />
      </section>
      <section aria-labelledby="inv-theme">
        <h2 id="inv-theme">{t('ref.inventory.byTheme')}</h2>
        <BarChart
          id="chart-theme"
          title={t('ref.inventory.byTheme')}
          rows={report.byTheme.map((r) => ({ label: vocabularyLabel('themes', r.value, locale), count: r.count }))}
        />
      </section>
      <section aria-labelledby="inv-pitfalls">
        <h2 id="inv-pitfalls">{t('ref.inventory.pitfalls')}</h2>
        <BarChart
          id="chart-pitfalls"
          title={t('ref.inventory.pitfalls')}
          rows={report.pitfalls.map((r) => ({ label: vocabularyLabel('pitfalls', r.value, locale), count: r.count }))}
        />
        {report.failures.length > 0 && (
          <>
            <h3>{t('ref.inventory.failures')}</h3>
            <ul>
              {report.failures.map((f) => (
                <li>
                  <a href={fichePath(f.slug)}>{f.title}</a> {f.institution ? `(${f.institution})` : ''} :{' '}
                  {f.whatFailed.length > 400 ? `${f.whatFailed.slice(0, 397)}…` : f.whatFailed}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <section aria-labelledby="inv-inspiring">
        <h2 id="inv-inspiring">{t('ref.inventory.inspiring')}</h2>
        <ul>
          {report.inspiring.map((f) => (
            <li>
              <a href={fichePath(f.slug)}>{f.title}</a> {f.institution ? `(${f.institution})` : ''}
              {f.featured ? ` – ${t('ref.featured')}` : ''}
              {f.lessons ? (
                <p class="hint">{f.lessons.length > 300 ? `${f.lessons.slice(0, 297)}…` : f.lessons}</p>
              ) : f.summary ? (
                <p class="hint">{f.summary}</p>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="inv-institution">
        <h2 id="inv-institution">{t('ref.inventory.byInstitution')}</h2>
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('ref.facet.institution')}</th>
                <th scope="col">{t('ref.inventory.count')}</th>
                {(['success', 'mixed', 'failure', 'too_early'] as const).map((r) => (
                  <th scope="col">{vocabularyLabel('result', r, locale)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.byInstitution.map((row) => (
                <tr>
                  <th scope="row">
                    <a href={searchHref({}, { kind: 'experience', institution: row.institution })}>{row.institution}</a>
                    {row.institutionKind && (
                      <span class="meta"> ({vocabularyLabel('institutionKind', row.institutionKind, locale)})</span>
                    )}
                  </th>
                  <td>{formatNumber(locale, row.total)}</td>
                  <td>{formatNumber(locale, row.success)}</td>
                  <td>{formatNumber(locale, row.mixed)}</td>
                  <td>{formatNumber(locale, row.failure)}</td>
                  <td>{formatNumber(locale, row.tooEarly)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </article>
  )
}

// ---------------------------------------------------------------------------------------------------
// Open data and imports

/** The open data of the référentiel: one dataset per licence and kind, so that each is reused under its own terms. */
export function OpenDataPage({ datasets }: { datasets: { licence: string; kind: FicheKind; count: number }[] }) {
  const { t, locale } = usePage()
  const licences = [...new Set(datasets.map((d) => d.licence))]
  return (
    <div class="narrow">
      <RefNav />
      <h1>{t('ref.opendata')}</h1>
      <p>{t('ref.opendata.lead')}</p>
      {licences.map((licence) => (
        <section aria-labelledby={`licence-${licence}`}>
          <h2 id={`licence-${licence}`}>
            <a href={LICENCE_URLS[licence]} rel="license">
              {vocabularyLabel('licence', licence, locale)}
            </a>
          </h2>
          <p>
            {t(licence === 'etalab-2.0' || licence === 'odbl-1.0' ? 'ref.opendata.own' : 'ref.opendata.thirdParty')}
          </p>
          <ul>
            {datasets
              .filter((d) => d.licence === licence)
              .map((d) => (
                <li>
                  {t(`ref.kinds.${d.kind}`)} ({formatNumber(locale, d.count)}) :{' '}
                  <a href={`/referentiel/donnees/${licence}/${d.kind}.csv`}>CSV</a> ·{' '}
                  <a href={`/referentiel/donnees/${licence}/${d.kind}.json`}>JSON</a> ·{' '}
                  <a href={`/api/v1/schemas/referentiel-${d.kind}.json`}>Table Schema</a>
                </li>
              ))}
          </ul>
        </section>
      ))}
      <h2>{t('ref.opendata.more')}</h2>
      <ul>
        <li>
          <a href="/referentiel/donnees/datapackage.json">Data Package</a> — {t('ref.opendata.datapackage')}
        </li>
        <li>
          {t('ref.inventory')} : <a href="/referentiel/inventaire.csv">CSV</a> ·{' '}
          <a href="/referentiel/inventaire.json">JSON</a>
        </li>
        <li>
          <a href="/api/docs">{t('ref.opendata.api')}</a> (<code>/api/v1/referentiel/fiches</code>,{' '}
          <code>/api/v1/referentiel/vocabularies</code>)
        </li>
      </ul>
    </div>
  )
}

export function ImportPage({ problems, total }: { problems: string[]; total?: number }) {
  const { t } = usePage()
  return (
    <div class="narrow">
      <p class="kicker">
        <a href="/admin">{t('nav.admin')}</a> · <a href="/referentiel/conflits">{t('ref.conflicts')}</a>
      </p>
      <h1>{t('ref.import')}</h1>
      <p>{t('ref.import.lead')}</p>
      <ProblemList title={t('ref.import.failed')} problems={problems} {...(total !== undefined ? { total } : {})} />
      <form method="post" action="/admin/referentiel/import" enctype="multipart/form-data" noValidate>
        <CsrfField />
        <Field
          name="format"
          label={t('ref.import.format')}
          options={[
            { value: 'participedia', label: t('ref.import.participedia') },
            { value: 'catalogue', label: t('ref.import.catalogue') },
          ]}
        />
        <div class="field">
          <label for="field-files">{t('ref.import.files')}</label>
          <input
            id="field-files"
            type="file"
            name="files"
            multiple
            accept=".csv,.md,.zip,text/csv,text/markdown,application/zip"
          />
        </div>
        <div class="field">
          <label for="field-folder">{t('ref.import.folder')}</label>
          <p class="hint" id="field-folder-hint">
            {t('ref.import.folderHint')}
          </p>
          <input
            id="field-folder"
            type="file"
            name="folder"
            multiple
            {...{ webkitdirectory: '' }}
            aria-describedby="field-folder-hint"
          />
        </div>
        <button type="submit">{t('plans.import.preview')}</button>
      </form>
    </div>
  )
}

/** What an import of fiches would do, before it does it. */
export function ImportPreviewPage({
  result,
  confirm,
  warnings,
}: {
  result: { created: number; updated: number; unchanged: number; conflicts: number }
  confirm: string
  warnings: string[]
}) {
  const { t } = usePage()
  const changes = result.created + result.updated + result.conflicts > 0
  return (
    <div>
      <h1>{t('ref.import.preview')}</h1>
      <p class="lead">{t(changes ? 'plans.import.previewLead' : 'ref.import.nothingToDo')}</p>
      <dl class="figures">
        {(
          [
            ['plans.import.action.create', result.created],
            ['plans.import.action.update', result.updated],
            ['plans.import.action.unchanged', result.unchanged],
            ['ref.import.conflicts', result.conflicts],
          ] as const
        ).map(([label, figure]) => (
          <div>
            <dt>{t(label)}</dt>
            <dd>{figure}</dd>
          </div>
        ))}
      </dl>
      {warnings.length > 0 && (
        <section class="panel" aria-labelledby="import-warnings">
          <h2 id="import-warnings">{t('plans.import.warnings')}</h2>
          <ul>
            {warnings.slice(0, 200).map((w) => (
              <li>{w}</li>
            ))}
          </ul>
          {warnings.length > 200 && <p>{t('import.andMore', { count: warnings.length - 200 })}</p>}
        </section>
      )}
      {changes && (
        <form method="post" action={confirm}>
          <CsrfField />
          <button type="submit">{t('plans.import.confirm')}</button>{' '}
          <a href="/admin/referentiel/import">{t('plans.import.cancel')}</a>
        </form>
      )}
    </div>
  )
}

export interface ConflictView {
  id: string
  slug: string
  title: string
  field: string
  fieldLabel: string
  sourceValue: string
  localValue: string
  createdAt: Date
}

/** The fields where a re-import met an edit made here: the moderators choose, one by one. */
export function ConflictsPage({ conflicts }: { conflicts: ConflictView[] }) {
  const { t, locale } = usePage()
  return (
    <div>
      <h1>{t('ref.conflicts')}</h1>
      <p class="lead">{t('ref.conflicts.lead')}</p>
      {conflicts.length === 0 ? (
        <p>{t('ref.conflicts.none')}</p>
      ) : (
        <ul class="cards">
          {conflicts.map((c) => (
            <li class="card">
              <h2 class="card-title">
                <a href={`/referentiel/fiches/${c.slug}`}>{c.title}</a> — {c.fieldLabel}
              </h2>
              <p class="meta">{formatDate(locale, c.createdAt)}</p>
              <div class="compare">
                <div>
                  <h3>{t('ref.conflicts.source')}</h3>
                  <p class="prose">{c.sourceValue || '—'}</p>
                </div>
                <div>
                  <h3>{t('ref.conflicts.local')}</h3>
                  <p class="prose">{c.localValue || '—'}</p>
                </div>
              </div>
              <PostForm action={`/referentiel/conflits/${c.id}`}>
                <button type="submit" name="choice" value="source">
                  {t('ref.conflicts.takeSource')}
                </button>{' '}
                <button type="submit" name="choice" value="local">
                  {t('ref.conflicts.keepLocal')}
                </button>
              </PostForm>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
