import { formatNumber, type Translate } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import { OGP_VALUES } from '../scales.ts'
import type { Aggregates } from '../queries.ts'
import { label } from './shared.tsx'
import { numberFormat, intlTag } from '../../../platform/intl.ts'

export function share(t: Translate, locale: string, count: number, total: number) {
  const percent =
    total === 0
      ? '—'
      : numberFormat(intlTag(locale), {
          style: 'percent',
          maximumFractionDigits: 0,
        }).format(count / total)
  return t('assess.network.share', { count, total, percent })
}

export function NetworkAssessmentsPage({ figures }: { figures: Aggregates }) {
  const { t, locale, user } = usePage()
  const i = figures.inception
  const e = figures.endOfTerm
  return (
    <article>
      <h1>{t('assess.network')}</h1>
      <p class="lead">{t('assess.network.lead')}</p>
      {user?.isPlatformAdmin && (
        <p>
          <a href="/evaluations/import-ogp">{t('assess.importOgp')}</a>
        </p>
      )}
      <p class="figure">
        {t('assess.network.plans')} : {formatNumber(locale, figures.plansAssessed)}
      </p>
      <div class="table-scroll">
        <table>
          <caption>{t('assess.moment.inception')}</caption>
          <tbody>
            <tr>
              <th scope="row">{t('assess.network.verifiable')}</th>
              <td>{share(t, locale, i.verifiable, i.commitments)}</td>
            </tr>
            {OGP_VALUES.map((v) => (
              <tr>
                <th scope="row">
                  {t('assess.relevant')} : {label(t, `assess.value.${v}`)}
                </th>
                <td>{share(t, locale, i.relevant[v] ?? 0, i.verifiable)}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t('assess.network.moderate')}</th>
              <td>{share(t, locale, i.moderateOrMore, i.commitments)}</td>
            </tr>
            <tr>
              <th scope="row">{t('assess.network.transformative')}</th>
              <td>{share(t, locale, i.transformative, i.commitments)}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <div class="table-scroll">
        <table>
          <caption>{t('assess.moment.end_of_term')}</caption>
          <tbody>
            <tr>
              <th scope="row">{t('assess.network.substantial')}</th>
              <td>{share(t, locale, e.substantialOrComplete, e.commitments)}</td>
            </tr>
            <tr>
              <th scope="row">{t('assess.network.complete')}</th>
              <td>{share(t, locale, e.complete, e.commitments)}</td>
            </tr>
            <tr>
              <th scope="row">{t('assess.network.opened')}</th>
              <td>{share(t, locale, e.openedGovernment, e.commitments)}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <p>
        <a href="/api/v1/assessments/aggregates">JSON</a> · <a href="/api/v1/assessments.csv">CSV</a>
      </p>
    </article>
  )
}
