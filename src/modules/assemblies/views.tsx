import type { ComponentChildren } from 'preact'
import { formatDate, formatNumber, type MessageKey } from '../../platform/i18n/index.ts'
import { CardListPage } from '../../platform/layout/cards.tsx'
import { usePage } from '../../platform/layout/context.ts'
import {
  CsrfField,
  ErrorSummary,
  Field,
  PostForm,
  type FieldErrors,
  type FormValues,
} from '../../platform/layout/forms.tsx'
import { Table } from '../../platform/layout/table.tsx'
import { renderMarkdown } from '../../platform/markdown.ts'
import { LineChart } from '../../platform/layout/charts.tsx'
import type { ProbabilityProfile } from './draw.ts'
import type { AssemblyRow } from './service.ts'
import { numberFormat, intlTag } from '../../platform/intl.ts'

export const assemblyPath = (a: { id: string }) => `/assemblees/${a.id}`

export const proposalPath = (p: { id: string }) => `/propositions-assemblee/${p.id}`

export const percent = (locale: 'fr' | 'en', value: number, digits = 1) =>
  `${formatNumber(locale, Math.round(value * 10 ** (digits + 2)) / 10 ** digits)} %`

/** Assemblies as cards, under a link back to their territory when the list is a territory's. */
export function AssemblyListPage({
  assemblies,
  back,
  newHref,
}: {
  assemblies: AssemblyRow[]
  back?: { name: string; path: string }
  newHref: string | null
}) {
  const { t } = usePage()
  return (
    <CardListPage
      back={back}
      title={t('assembly.title')}
      lead={t('assembly.lead')}
      create={newHref ? { href: newHref, label: t('assembly.new') } : null}
      empty={t('assembly.none')}
      cards={assemblies.map((a) => ({
        href: assemblyPath(a),
        title: a.title,
        kicker: `${a.territoryName ?? t('assembly.state')} · ${t(`assembly.phase.${a.phase}` as MessageKey)}`,
        lines: [
          {
            text: `${t('assembly.panelOf', { count: a.panelSize })} · ${t('assembly.volunteerCount', { count: a.volunteers })}`,
            meta: true,
          },
        ],
      }))}
    />
  )
}

export function AssemblyForm({
  action,
  values,
  errors,
  submit,
}: {
  action: string
  values: FormValues
  errors: FieldErrors
  submit: string
}) {
  const { t } = usePage()
  const labels = {
    title: t('assembly.field.title'),
    purpose: t('assembly.field.purpose'),
    panelSize: t('assembly.field.panelSize'),
    majority: t('assembly.field.majority'),
    quorumPercent: t('assembly.field.quorum'),
    contactRetentionDays: t('assembly.field.retention'),
  }
  return (
    <>
      <ErrorSummary errors={errors} labels={labels} />
      <PostForm action={action}>
        <Field name="title" label={labels.title} required maxLength={200} value={values.title} error={errors.title} />
        <Field
          name="purpose"
          label={labels.purpose}
          required
          multiline
          maxLength={20000}
          value={values.purpose}
          error={errors.purpose}
          hint="Markdown"
        />
        <Field
          name="panelSize"
          label={labels.panelSize}
          required
          type="number"
          value={values.panelSize}
          error={errors.panelSize}
        />
        <Field
          name="majority"
          label={labels.majority}
          value={values.majority ?? 'simple'}
          error={errors.majority}
          options={(['simple', 'two_thirds', 'absolute'] as const).map((m) => ({
            value: m,
            label: t(`assembly.majority.${m}`),
          }))}
        />
        <Field
          name="quorumPercent"
          label={labels.quorumPercent}
          type="number"
          value={values.quorumPercent ?? '50'}
          error={errors.quorumPercent}
          hint={t('assembly.field.quorumHint')}
        />
        <div class="field">
          <input
            type="checkbox"
            id="field-onePerHousehold"
            name="onePerHousehold"
            value="true"
            checked={values.onePerHousehold === 'true'}
          />{' '}
          <label for="field-onePerHousehold">{t('assembly.field.onePerHousehold')}</label>
        </div>
        <Field
          name="contactRetentionDays"
          label={labels.contactRetentionDays}
          type="number"
          value={values.contactRetentionDays ?? '180'}
          error={errors.contactRetentionDays}
          hint={t('assembly.field.retentionHint')}
        />
        <button type="submit">{submit}</button>
      </PostForm>
    </>
  )
}

/** Quotas as an editable table: existing rows and a few blank ones. */
export function QuotaEditor({
  assembly,
  rows,
  errors,
  margin,
}: {
  assembly: AssemblyRow
  rows: { category: string; feature: string; share: string; min: string; max: string }[]
  errors: string[]
  margin: string
}) {
  const { t } = usePage()
  const all = [
    ...rows,
    ...Array.from({ length: 4 }, () => ({ category: '', feature: '', share: '', min: '', max: '' })),
  ]
  return (
    <section aria-labelledby="quotas-title">
      <h2 id="quotas-title">{t('assembly.org.quotas')}</h2>
      <p>{t('assembly.org.quotasLead')}</p>
      {errors.length > 0 && (
        <div class="error-summary" role="alert" tabindex={-1}>
          <ul>
            {errors.map((e) => (
              <li>{e}</li>
            ))}
          </ul>
        </div>
      )}
      <PostForm action={`${assemblyPath(assembly)}/quotas`}>
        <Table
          headings={[
            t('assembly.org.category'),
            t('assembly.org.feature'),
            t('assembly.org.share'),
            t('assembly.org.min'),
            t('assembly.org.max'),
          ]}
        >
          {all.map((r, i) => (
            <tr>
              {(['category', 'feature', 'share', 'min', 'max'] as const).map((key) => (
                <td>
                  <input
                    name={`${key}${i}`}
                    value={r[key]}
                    size={key === 'category' || key === 'feature' ? 14 : 5}
                    inputMode={key === 'share' || key === 'min' || key === 'max' ? 'decimal' : undefined}
                    aria-label={`${t(key === 'share' ? 'assembly.org.share' : (`assembly.org.${key}` as MessageKey))} — ${i + 1}`}
                  />
                </td>
              ))}
            </tr>
          ))}
        </Table>
        <input type="hidden" name="rows" value={String(all.length)} />
        <Field name="margin" label={t('assembly.org.margin')} type="number" value={margin} />
        <button type="submit" name="intent" value="compute">
          {t('assembly.org.compute')}
        </button>{' '}
        <button type="submit" name="intent" value="save">
          {t('assembly.org.saveQuotas')}
        </button>
      </PostForm>
      <form method="post" action={`${assemblyPath(assembly)}/quotas/import`} enctype="multipart/form-data" noValidate>
        <CsrfField />
        <div class="field">
          <label for="quota-file">{t('assembly.org.importQuotas')}</label>
          <input id="quota-file" type="file" name="file" accept=".csv,text/csv" />
        </div>
        <button type="submit">{t('assembly.org.importButton')}</button>
      </form>
    </section>
  )
}

export function UploadForm({ action, label, button }: { action: string; label: string; button: string }) {
  return (
    <form method="post" action={action} enctype="multipart/form-data" noValidate>
      <CsrfField />
      <div class="field">
        <label for={`file-${action.split('/').pop()}`}>{label}</label>
        <input id={`file-${action.split('/').pop()}`} type="file" name="file" accept=".csv,text/csv" />
      </div>
      <button type="submit">{button}</button>
    </form>
  )
}

/** The probability curves, volunteers sorted from the least likely to be drawn, with axes and the figures in a table. */
export function ProbabilityChart({ leximin, legacy }: { leximin: ProbabilityProfile; legacy: ProbabilityProfile }) {
  const { t, locale } = usePage()
  const share = numberFormat(intlTag(locale), {
    style: 'percent',
    maximumFractionDigits: 1,
  })
  // at most ~300 points a curve: enough for the eye, light for the page
  const curve = (sorted: number[]): [number, number][] => {
    const n = sorted.length
    if (n === 0) return []
    const step = Math.max(1, Math.floor(n / 300))
    const points: [number, number][] = []
    for (let i = 0; i < n; i += step) points.push([n === 1 ? 1 : i / (n - 1), sorted[i]!])
    points.push([1, sorted[n - 1]!])
    return points
  }
  const quantile = (sorted: number[], q: number) =>
    sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
  const quantiles = [0, 0.1, 0.5, 0.9, 1] as const
  return (
    <LineChart
      id="probabilities"
      title={t('assembly.tr.chart')}
      series={[
        { label: 'LEXIMIN', points: curve(leximin.sorted) },
        { label: 'LEGACY', points: curve(legacy.sorted), dashed: true },
      ]}
      xLabel={t('assembly.tr.chartX')}
      yLabel={t('assembly.tr.chartY')}
      xFormat={(v) => share.format(v)}
      yFormat={(v) => share.format(v)}
      table={{
        headings: [
          t('assembly.tr.algorithm'),
          ...quantiles.map((q) => t('assembly.tr.chartQuantile', { share: share.format(q) })),
        ],
        rows: [
          ['LEXIMIN', ...quantiles.map((q) => share.format(quantile(leximin.sorted, q)))],
          ['LEGACY', ...quantiles.map((q) => share.format(quantile(legacy.sorted, q)))],
        ],
      }}
    />
  )
}

export function Markdown({ text }: { text: string }) {
  return <div class="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }} />
}

export function DateRange({ from, to }: { from: string; to: string }) {
  const { t, locale } = usePage()
  const day = (iso: string) => formatDate(locale, new Date(`${iso}T12:00:00Z`))
  return <>{from === to ? day(from) : t('assembly.session.dates', { from: day(from), to: day(to) })}</>
}

export function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  )
}
