import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import type { Locale, MessageKey } from '../../platform/i18n/index.ts'
import type { Dataset } from '../../platform/resources.ts'
import { usePage } from '../../platform/layout/context.ts'
import { renderMarkdown } from '../../platform/markdown.ts'
import type { SearchHit, SearchSource } from '../../platform/search.ts'
import { dateTimeFormat, intlTag } from '../../platform/intl.ts'

const RESULTS_PER_SECTION = 8

/** A day written as the reader's language writes it (the day of the ISO date, not shifted by a time zone). */
const formatIsoDay = (locale: Locale, day: string) =>
  dateTimeFormat(intlTag(locale), { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`))

/** Where a section's complete list lives, when it has one of its own. */
const SECTION_PAGES: Record<string, (q: string) => string> = {
  territoires: (q) => `/territoires?q=${encodeURIComponent(q)}`,
  referentiel: (q) => `/referentiel?q=${encodeURIComponent(q)}`,
  evenements: () => '/evenements',
  assemblees: () => '/assemblees',
}

function HitList({ hits }: { hits: SearchHit[] }) {
  const { t, locale } = usePage()
  return (
    <ul class="hit-list">
      {hits.map((hit) => (
        <li>
          <a href={hit.path}>{hit.title}</a>
          {(hit.detail || hit.on || hit.until) && (
            <span class="meta">
              {' — '}
              {[
                hit.detail,
                hit.on ? formatIsoDay(locale, hit.on) : '',
                hit.until ? t('participate.until', { day: formatIsoDay(locale, hit.until) }) : '',
              ]
                .filter(Boolean)
                .join(' · ')}
            </span>
          )}
        </li>
      ))}
    </ul>
  )
}

function SearchPage({
  q,
  sections,
  tooShort,
}: {
  q: string
  sections: { source: SearchSource; hits: SearchHit[] }[]
  tooShort: boolean
}) {
  const { t } = usePage()
  const found = sections.filter((s) => s.hits.length > 0)
  const total = found.reduce((sum, s) => sum + s.hits.length, 0)
  return (
    <>
      <h1>{t('siteSearch.title')}</h1>
      <p class="lead">{t('siteSearch.lead')}</p>
      <form method="get" action="/recherche" role="search" class="search-form" aria-label={t('siteSearch.label')}>
        <label for="site-q">{t('siteSearch.label')}</label>
        <input type="search" id="site-q" name="q" value={q} maxLength={200} />
        <button type="submit">{t('search.submit')}</button>
      </form>
      {tooShort && q !== '' && <p role="status">{t('siteSearch.tooShort')}</p>}
      {!tooShort && (
        <p role="status">{total === 0 ? t('siteSearch.none', { q }) : t('siteSearch.results', { count: total, q })}</p>
      )}
      {found.length > 1 && (
        <nav aria-label={t('siteSearch.sections')}>
          <ul class="inline-list">
            {found.map((s) => (
              <li>
                <a href={`#${s.source.key}`}>
                  {t(s.source.label)} ({s.hits.length})
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {found.map((s) => (
        <section aria-labelledby={s.source.key}>
          <h2 id={s.source.key}>{t(s.source.label)}</h2>
          <HitList hits={s.hits} />
          {SECTION_PAGES[s.source.key] && (
            <p>
              <a href={SECTION_PAGES[s.source.key]!(q)}>{t('siteSearch.more', { section: t(s.source.label) })}</a>
            </p>
          )}
        </section>
      ))}
    </>
  )
}

function ParticipatePage({ sections }: { sections: { source: SearchSource; hits: SearchHit[] }[] }) {
  const { t } = usePage()
  const empty: Record<string, MessageKey> = {
    consultations: 'participate.none.consultations',
    questions: 'participate.none.questions',
    textes: 'participate.none.texts',
    assemblees: 'participate.none.assemblies',
    evenements: 'participate.none.events',
  }
  const heading: Record<string, MessageKey> = {
    consultations: 'participate.consultations',
    questions: 'participate.questions',
    textes: 'participate.texts',
    assemblees: 'participate.assemblies',
    evenements: 'participate.events',
  }
  return (
    <>
      <h1>{t('participate.title')}</h1>
      <p class="lead">{t('participate.lead')}</p>
      <p>
        <a href="/territoires">{t('participate.findTerritory')}</a>
      </p>
      {sections.map((s) => (
        <section aria-labelledby={`participer-${s.source.key}`}>
          <h2 id={`participer-${s.source.key}`}>{t(heading[s.source.key] ?? s.source.label)}</h2>
          {s.hits.length === 0 ? (
            <p>{t(empty[s.source.key] ?? 'participate.none.events')}</p>
          ) : (
            <HitList hits={s.hits} />
          )}
          {SECTION_PAGES[s.source.key] && (
            <p>
              <a href={SECTION_PAGES[s.source.key]!('')}>{t('participate.all', { section: t(s.source.label) })}</a>
            </p>
          )}
        </section>
      ))}
    </>
  )
}

/** The open data the platform publishes, each with its format, licence and schema. */

/** The open datasets every module publishes, as the registry lists them. */
function DataPage({ datasets }: { datasets: readonly Dataset[] }) {
  const { t } = usePage()
  return (
    <>
      <h1>{t('data.title')}</h1>
      <p class="lead">{t('data.lead')}</p>
      <p>
        <a href="/api/docs">{t('data.api')}</a> · <a href="/api/docs/json">OpenAPI (JSON)</a>
      </p>
      <ul class="cards">
        {datasets.map((d) => (
          <li class="card">
            <h2 class="card-title">{t(d.title)}</h2>
            <p>{t(d.description)}</p>
            <p class="meta">
              {d.links.map((l, i) => (
                <>
                  {i > 0 && ' · '}
                  <a href={l.href}>{l.label === 'page' ? t('data.page') : l.label}</a>
                </>
              ))}
            </p>
          </li>
        ))}
      </ul>
      <p class="hint">{t('data.licence')}</p>
    </>
  )
}

/** What the platform keeps about people, why, for how long, and how to act on it (RGPD articles 13 and 14). */
function PrivacyPage() {
  const { t } = usePage()
  const sections: [MessageKey, MessageKey][] = [
    ['privacy.controller.title', 'privacy.controller.body'],
    ['privacy.purposes.title', 'privacy.purposes.body'],
    ['privacy.retention.title', 'privacy.retention.body'],
    ['privacy.public.title', 'privacy.public.body'],
    ['privacy.rights.title', 'privacy.rights.body'],
  ]
  return (
    <div class="narrow">
      <h1>{t('privacy.title')}</h1>
      <p class="lead">{t('privacy.lead')}</p>
      {sections.map(([title, body]) => (
        <section aria-labelledby={title.replace(/\./g, '-')}>
          <h2 id={title.replace(/\./g, '-')}>{t(title)}</h2>
          <div class="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(t(body)) }} />
        </section>
      ))}
    </div>
  )
}

/** The header's hubs: site-wide search, what one can take part in now, the open data. */
export default async function hubRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  app.get(
    '/recherche',
    {
      schema: {
        querystring: Type.Object({ q: Type.Optional(Type.String()) }, { additionalProperties: true }),
        hide: true,
      },
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      // a query longer than the field allows is cut, never refused: the header's form has no room for an error
      const q = (req.query.q ?? '').trim().slice(0, 200)
      const sections = await app.platform.search.searchAll(db(), q, RESULTS_PER_SECTION, req.t)
      return reply.page(
        q ? `${req.t('siteSearch.title')} : ${q}` : req.t('siteSearch.title'),
        <SearchPage q={q} sections={sections} tooShort={sections.length === 0} />,
      )
    },
  )

  app.get('/participer', { schema: { hide: true } }, async (req, reply) =>
    reply.page(
      req.t('participate.title'),
      <ParticipatePage sections={await app.platform.search.openNow(db(), 6, req.t)} />,
    ),
  )

  app.get('/confidentialite', { schema: { hide: true } }, async (req, reply) =>
    reply.page(req.t('privacy.title'), <PrivacyPage />),
  )

  app.get('/donnees', { schema: { hide: true } }, async (req, reply) =>
    reply.page(req.t('data.title'), <DataPage datasets={app.platform.resources.datasets()} />),
  )
}
