import { Table } from '../../../platform/layout/table.tsx'
import { formatDate, formatNumber, type MessageKey } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import type { feasibility, DrawRow } from '../draw.ts'
import type { composition, listReplacements } from '../members.ts'
import type { AssemblyRow } from '../service.ts'
import { commitmentOf } from '../sortition/lottery.ts'
import { assemblyPath, percent, ProbabilityChart, Section } from '../views.tsx'

export function FeasibilityPage({
  assembly,
  result,
}: {
  assembly: AssemblyRow
  result: Awaited<ReturnType<typeof feasibility>>
}) {
  const { t } = usePage()
  return (
    <div class="narrow">
      <p class="kicker">
        <a href={`${assemblyPath(assembly)}/organisation`}>{assembly.title}</a>
      </p>
      <h1>{t('assembly.feas.title')}</h1>
      {result.quotas.length === 0 ? (
        <p>{t('assembly.feas.noQuota')}</p>
      ) : result.changes.length === 0 ? (
        <p class="notice">{t('assembly.feas.ok', { size: assembly.panelSize, pool: result.poolSize })}</p>
      ) : (
        <>
          <p class="notice">{t('assembly.feas.ko')}</p>
          <ul>
            {result.changes.map((c) => (
              <li>
                {t('assembly.feas.change', {
                  category: c.category,
                  feature: c.feature,
                  min: c.min,
                  max: c.max,
                  newMin: c.newMin,
                  newMax: c.newMax,
                })}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  )
}

export function TransparencyPage(props: {
  assembly: AssemblyRow
  rows: Awaited<ReturnType<typeof composition>>
  draw: DrawRow | null
  replacements: Awaited<ReturnType<typeof listReplacements>>
}) {
  const { t, locale } = usePage()
  const { assembly: a, draw: d } = props
  const pct = (v: number) => percent(locale, v, 2)
  return (
    <article>
      <p class="kicker">
        <a href={assemblyPath(a)}>{a.title}</a>
      </p>
      <h1>{t('assembly.tr.title')}</h1>
      <Section id="method" title={t('assembly.tr.method')}>
        <p>{t('assembly.tr.methodText', { count: formatNumber(locale, d?.panelCount ?? 1000) })}</p>
      </Section>
      <Section id="composition" title={t('assembly.tr.composition')}>
        <Table
          headings={[
            t('assembly.org.category'),
            t('assembly.org.feature'),
            t('assembly.tr.population'),
            t('assembly.tr.quota'),
            t('assembly.tr.pool'),
            t('assembly.tr.panel'),
          ]}
        >
          {props.rows.map((r) => (
            <tr>
              <td>{r.category}</td>
              <th scope="row">{r.feature}</th>
              <td>{r.populationShare === null ? '—' : `${formatNumber(locale, Number(r.populationShare))} %`}</td>
              <td>
                {r.min}–{r.max}
              </td>
              <td>{formatNumber(locale, r.pool)}</td>
              <td>{a.phase === 'drawn' ? r.panel : '—'}</td>
            </tr>
          ))}
        </Table>
      </Section>
      {!d ? (
        <p>{t('assembly.tr.notPrepared')}</p>
      ) : (
        <>
          <Section id="profile" title={t('assembly.tr.profile')}>
            <p>
              {t('assembly.tr.profileLead', {
                count: formatNumber(locale, d.poolSize),
                mean: pct(a.panelSize / d.poolSize),
              })}
            </p>
            <Table
              headings={[
                t('assembly.tr.algorithm'),
                t('assembly.tr.min'),
                t('assembly.tr.geomean'),
                t('assembly.tr.gini'),
              ]}
            >
              {(
                [
                  ['LEXIMIN', d.leximin.profile],
                  ['LEGACY', d.legacy.profile],
                ] as const
              ).map(([name, p]) => (
                <tr>
                  <th scope="row">{name}</th>
                  <td>{pct(p.min)}</td>
                  <td>{pct(p.geometricMean)}</td>
                  <td>{percent(locale, p.gini, 1)}</td>
                </tr>
              ))}
            </Table>
            <p class="meta">{t('assembly.tr.legacyNote', { runs: formatNumber(locale, d.legacy.runs) })}</p>
            <ProbabilityChart leximin={d.leximin.profile} legacy={d.legacy.profile} />
          </Section>
          <Section id="lottery" title={t('assembly.tr.lottery')}>
            <p>
              {t('assembly.tr.digest', { count: formatNumber(locale, d.panelCount) })} :{' '}
              <code class="hash">{d.lotteryDigest}</code>
            </p>
            <p>{t('assembly.tr.deviation', { value: pct(d.maxDeviation) })}</p>
            <p>
              <a href={`${assemblyPath(a)}/tirage.json`}>{t('assembly.tr.download')}</a>
            </p>
            {d.committedAt ? (
              <p>
                {t('assembly.tr.commitment', { date: formatDate(locale, new Date(d.committedAt)) })} (
                {t(`assembly.org.kind.${d.randomnessKind!}` as MessageKey)}) :{' '}
                <code class="hash">{d.randomnessCommitment}</code>
              </p>
            ) : (
              <p>{t('assembly.tr.noCommitment')}</p>
            )}
            {d.revealedAt && d.randomness !== null && d.drawnIndex !== null && (
              <>
                <p>
                  {t('assembly.tr.revealed', { date: formatDate(locale, new Date(d.revealedAt)), value: d.randomness })}
                </p>
                <p class="notice">
                  {d.randomnessKind === 'secret_hash'
                    ? commitmentOf(d.randomness) === d.randomnessCommitment
                      ? t('assembly.tr.verifiedHash')
                      : '✗'
                    : t('assembly.tr.publicSource')}
                </p>
                <p>
                  <strong>{t('assembly.tr.drawn', { index: d.drawnIndex, last: d.panelCount - 1 })}</strong>
                </p>
                <p>
                  {t('assembly.tr.panelNumbers')} : {d.lottery[d.drawnIndex]!.join(', ')}
                </p>
                <p class="meta">{t('assembly.tr.recompute', { count: d.panelCount })}</p>
              </>
            )}
          </Section>
          {props.replacements.length > 0 && (
            <Section id="replacements" title={t('assembly.tr.replacements')}>
              <ul>
                {props.replacements.map((r) => (
                  <li>
                    {t('assembly.tr.replacement', {
                      n: r.replacementNumber,
                      number: r.number,
                      of: r.replacesNumber,
                      candidates: (r.candidates ?? []).join(', '),
                    })}
                  </li>
                ))}
              </ul>
              <p class="meta">{t('assembly.tr.replacementRule')}</p>
            </Section>
          )}
        </>
      )}
    </article>
  )
}
