import { formatDate, formatNumber } from '../../../platform/i18n/index.ts'
import { BarChart } from '../../../platform/layout/charts.tsx'
import { usePage } from '../../../platform/layout/context.ts'
import { CsrfField, Field, PostForm } from '../../../platform/layout/forms.tsx'
import { ProblemList } from '../../../platform/layout/problems.tsx'
import type { FicheKind } from '../fields.ts'
import type { InventoryReport } from '../search.ts'
import { LICENCE_URLS, vocabularyLabel, vocabularyOptions } from '../vocabularies.ts'

import { fichePath, RefNav } from './shared.tsx'
import { searchHref } from './search.tsx'

// ---------------------------------------------------------------------------------------------------
// Inventory (FR0110)

/** One count of the inventory as a bar chart (the kit's), the fiches counted per value. */
function InventoryChart({ id, title, rows }: { id: string; title: string; rows: { label: string; count: number }[] }) {
  const { t, locale } = usePage()
  return (
    <BarChart
      id={id}
      title={title}
      category={title}
      unit={t('ref.inventory.count')}
      format={(v) => formatNumber(locale, v)}
      bars={rows.map((r) => ({ label: r.label, value: r.count }))}
      titleHidden
    />
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
        <InventoryChart
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
        <InventoryChart
          id="chart-method"
          title={t('ref.inventory.byMethod')}
          rows={report.byMethod.slice(0, 15).map((m) => ({ label: m.title, count: m.count }))}
        />
      </section>
      <section aria-labelledby="inv-theme">
        <h2 id="inv-theme">{t('ref.inventory.byTheme')}</h2>
        <InventoryChart
          id="chart-theme"
          title={t('ref.inventory.byTheme')}
          rows={report.byTheme.map((r) => ({ label: vocabularyLabel('themes', r.value, locale), count: r.count }))}
        />
      </section>
      <section aria-labelledby="inv-pitfalls">
        <h2 id="inv-pitfalls">{t('ref.inventory.pitfalls')}</h2>
        <InventoryChart
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
