import type { ComponentChildren } from 'preact'
import { formatDate, formatNumber, type Locale, type MessageKey } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import { PostForm } from '../../../platform/layout/forms.tsx'
import { renderMarkdown } from '../../../platform/markdown.ts'
import { fieldLabel, fieldsOf, type FicheKind, type FieldSpec } from '../fields.ts'
import { displayValue, isEmpty, type FicheContent, type FieldValue } from '../content.ts'
import type { FicheHit } from '../search.ts'
import { LICENCE_URLS, vocabularyLabel } from '../vocabularies.ts'

import { fichePath, versionPath, kindLabel, RefNav, type FicheNames } from './shared.tsx'

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
