import { formatNumber, type MessageKey } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import { Field, PostForm } from '../../../platform/layout/forms.tsx'
import { STATUSES, type Status } from '../progress.ts'
import type { CommitmentVerdict } from '../queries.ts'
import type { CommitmentView, PlanTransition } from '../service.ts'
import type { PlanRow } from '../tables.ts'

import {
  planPath,
  commitmentPath,
  statusLabel,
  formatDay,
  StatusBadge,
  CommitmentStatus,
  VerdictLine,
  ProgressBar,
} from './shared.tsx'

export interface DashboardFigures {
  commitments: number
  byStatus: Record<Status, number>
  milestonesDone: number
  milestonesLate: number
  milestonesUpcoming: number
  milestonesTotal: number
}

/** Counts for the headline figures, from the plan tree as shown today. */
export function dashboardFigures(commitments: CommitmentView[], today: string): DashboardFigures {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>
  const horizon = new Date(`${today}T00:00:00Z`)
  horizon.setUTCDate(horizon.getUTCDate() + 90)
  const limit = horizon.toISOString().slice(0, 10)
  let done = 0
  let late = 0
  let upcoming = 0
  let total = 0
  for (const c of commitments) {
    byStatus[c.status] += 1
    for (const m of c.milestones) {
      total += 1
      if (m.shownStatus === 'termine') done += 1
      else if (m.shownStatus === 'en_retard') late += 1
      else if (m.shownStatus !== 'abandonne' && m.dueDate >= today && m.dueDate <= limit) upcoming += 1
    }
  }
  return {
    commitments: commitments.length,
    byStatus,
    milestonesDone: done,
    milestonesLate: late,
    milestonesUpcoming: upcoming,
    milestonesTotal: total,
  }
}

/** Commitments by status as a bar chart in SVG, followed by the same figures as a table. */
function StatusChart({ figures }: { figures: DashboardFigures }) {
  const { t, locale } = usePage()
  const rows = STATUSES.filter((s) => figures.byStatus[s] > 0)
  const max = Math.max(1, ...rows.map((s) => figures.byStatus[s]))
  const barHeight = 26
  const height = rows.length * (barHeight + 8) + 8
  return (
    <figure class="chart">
      <figcaption id="chart-status-title">{t('plans.byStatus')}</figcaption>
      <svg viewBox={`0 0 600 ${height}`} width="100%" role="img" aria-labelledby="chart-status-title" focusable="false">
        {rows.map((status, i) => {
          const y = 8 + i * (barHeight + 8)
          const width = Math.round((figures.byStatus[status] / max) * 380)
          return (
            <g>
              <text x="0" y={y + 18} class="chart-label">
                {statusLabel(t, status)}
              </text>
              <rect x="170" y={y} width={Math.max(width, 2)} height={barHeight} class={`bar bar-${status}`} />
              <text x={176 + width} y={y + 18} class="chart-value">
                {formatNumber(locale, figures.byStatus[status])}
              </text>
            </g>
          )
        })}
      </svg>
      <table class="chart-table">
        <caption>{t('plans.byStatusAlt')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('plans.filter.status')}</th>
            <th scope="col">{t('plans.commitmentsCount')}</th>
          </tr>
        </thead>
        <tbody>
          {STATUSES.map((status) => (
            <tr>
              <th scope="row">{statusLabel(t, status)}</th>
              <td>{formatNumber(locale, figures.byStatus[status])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}

export interface BurnUpPoint {
  month: string // YYYY-MM
  planned: number
  done: number | null
}

/**
 * Milestones planned and finished over time, month by month: cumulative count of milestones due by the
 * end of each month, and of those finished by then (up to today). Abandoned milestones are left out.
 */
export function burnUp(
  commitments: CommitmentView[],
  plan: { periodStart: string; periodEnd: string },
  today: string,
): BurnUpPoint[] {
  const milestones = commitments.flatMap((c) => c.milestones).filter((m) => m.status !== 'abandonne')
  if (milestones.length === 0) return []
  const first = [plan.periodStart, ...milestones.map((m) => m.dueDate)].sort()[0]!.slice(0, 7)
  const last = [plan.periodEnd, ...milestones.map((m) => m.dueDate)].sort().at(-1)!.slice(0, 7)
  const points: BurnUpPoint[] = []
  let [year, month] = first.split('-').map(Number) as [number, number]
  // at most 20 years of months, whatever dates were typed
  for (let key = first; key <= last && points.length < 240; key = `${year}-${String(month).padStart(2, '0')}`) {
    month += 1
    if (month === 13) {
      year += 1
      month = 1
    }
    const endOfMonth = `${key}-31` // compared as text with YYYY-MM-DD dates: after every day of the month
    points.push({
      month: key,
      planned: milestones.filter((m) => m.dueDate <= endOfMonth).length,
      done:
        key <= today.slice(0, 7)
          ? milestones.filter((m) => m.status === 'termine' && (m.completedOn ?? m.dueDate) <= endOfMonth).length
          : null,
    })
  }
  return points
}

/** The burn-up as an SVG line chart, followed by its table. */
function ProgressOverTime({ points }: { points: BurnUpPoint[] }) {
  const { t, locale } = usePage()
  if (points.length === 0) return null
  const width = 600
  const height = 220
  const left = 40
  const bottom = 30
  const max = Math.max(1, ...points.map((p) => p.planned))
  const x = (i: number) => left + (points.length === 1 ? 0 : (i / (points.length - 1)) * (width - left - 10))
  const y = (v: number) => height - bottom - (v / max) * (height - bottom - 10)
  const line = (values: (number | null)[]) =>
    values
      .map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`))
      .filter(Boolean)
      .join(' ')
  const monthLabel = (key: string) =>
    new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${key}-01T00:00:00Z`))
  const ticks = points.filter((_, i) => i % Math.max(1, Math.ceil(points.length / 6)) === 0)
  return (
    <figure class="chart">
      <figcaption id="chart-burnup-title">{t('plans.burnup')}</figcaption>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        role="img"
        aria-labelledby="chart-burnup-title"
        focusable="false"
      >
        <line x1={left} y1={height - bottom} x2={width - 10} y2={height - bottom} class="axis" />
        <line x1={left} y1={10} x2={left} y2={height - bottom} class="axis" />
        <text x={left - 6} y={y(max) + 4} class="chart-label" text-anchor="end">
          {max}
        </text>
        <text x={left - 6} y={height - bottom + 4} class="chart-label" text-anchor="end">
          0
        </text>
        {ticks.map((p) => (
          <text
            x={x(points.indexOf(p))}
            y={height - 8}
            class="chart-label"
            text-anchor={points.indexOf(p) > points.length * 0.85 ? 'end' : 'middle'}
          >
            {monthLabel(p.month)}
          </text>
        ))}
        <polyline points={line(points.map((p) => p.planned))} class="line-planned" />
        <polyline points={line(points.map((p) => p.done))} class="line-done" />
      </svg>
      <p class="legend">
        <span class="legend-planned">— {t('plans.burnup.planned')}</span>{' '}
        <span class="legend-done">— {t('plans.burnup.done')}</span>
      </p>
      <table class="chart-table">
        <caption>{t('plans.burnup.table')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('plans.burnup.month')}</th>
            <th scope="col">{t('plans.burnup.planned')}</th>
            <th scope="col">{t('plans.burnup.done')}</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr>
              <th scope="row">{monthLabel(p.month)}</th>
              <td>{formatNumber(locale, p.planned)}</td>
              <td>{p.done === null ? '—' : formatNumber(locale, p.done)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}

function Timeline({ commitments }: { commitments: CommitmentView[] }) {
  const { t, locale } = usePage()
  const items = commitments
    .flatMap((c) => c.milestones.map((m) => ({ m, c })))
    .sort((a, b) => (a.m.dueDate < b.m.dueDate ? -1 : a.m.dueDate > b.m.dueDate ? 1 : 0))
  if (items.length === 0) return <p>{t('plans.noMilestone')}</p>
  return (
    <ol class="timeline">
      {items.map(({ m, c }) => (
        <li class={`timeline-item timeline-${m.shownStatus}`}>
          <time dateTime={m.dueDate}>{formatDay(locale, m.dueDate)}</time> — <strong>{m.title}</strong>{' '}
          <StatusBadge status={m.shownStatus} />
          <br />
          <a href={commitmentPath(c)}>{c.title}</a>
        </li>
      ))}
    </ol>
  )
}

export interface DashboardFilters {
  theme: string
  status: string
  lead: string
}

function FiltersForm({
  action,
  commitments,
  filters,
}: {
  action: string
  commitments: CommitmentView[]
  filters: DashboardFilters
}) {
  const { t } = usePage()
  const themes = [...new Set(commitments.flatMap((c) => c.themes))].sort()
  const leads = [...new Set(commitments.map((c) => c.leadActor).filter(Boolean))].sort()
  const all = { value: '', label: t('plans.filter.all') }
  return (
    <form method="get" action={action} class="filters" role="search" aria-label={t('plans.filters')}>
      <Field
        name="theme"
        label={t('plans.filter.theme')}
        value={filters.theme}
        options={[all, ...themes.map((v) => ({ value: v, label: v }))]}
      />
      <Field
        name="status"
        label={t('plans.filter.status')}
        value={filters.status}
        options={[all, ...STATUSES.map((s) => ({ value: s, label: statusLabel(t, s) }))]}
      />
      <Field
        name="lead"
        label={t('plans.filter.lead')}
        value={filters.lead}
        options={[all, ...leads.map((v) => ({ value: v, label: v }))]}
      />
      <button type="submit">{t('plans.filter.apply')}</button>
    </form>
  )
}

export interface PlanPageProps {
  territory: { name: string; path: string }
  plan: PlanRow
  commitments: CommitmentView[]
  progress: number | null
  today: string
  filters: DashboardFilters
  chain: { ok: boolean; entries: number; brokenAt?: number; at: Date }
  staff: { canEdit: boolean; canValidate: boolean; transitions: PlanTransition[] }
  /** the latest published independent rating of each commitment */
  verdicts: Map<string, CommitmentVerdict>
}

export function PlanPage(props: PlanPageProps) {
  const { t, locale } = usePage()
  const { plan } = props
  const figures = dashboardFigures(props.commitments, props.today)
  const shown = props.commitments.filter(
    (c) =>
      (!props.filters.theme || c.themes.includes(props.filters.theme)) &&
      (!props.filters.status || c.status === props.filters.status) &&
      (!props.filters.lead || c.leadActor === props.filters.lead),
  )
  return (
    <article class="plan">
      <p class="kicker">
        <a href={props.territory.path}>{props.territory.name}</a> · {t('plans.dashboard')}
      </p>
      <h1>{plan.title}</h1>
      {plan.status !== 'published' && plan.status !== 'closed' && <p class="notice">{t('plans.notPublic')}</p>}
      {(plan.status === 'published' || plan.status === 'closed') && (
        <p>
          <a href={`${planPath(plan)}/evaluation`}>{t('assess.title')}</a>
        </p>
      )}
      <dl class="facts">
        <div>
          <dt>{t('plans.period')}</dt>
          <dd>
            {t('plans.periodFromTo', {
              start: formatDay(locale, plan.periodStart),
              end: formatDay(locale, plan.periodEnd),
            })}
          </dd>
        </div>
        <div>
          <dt>{t('plans.status')}</dt>
          <dd>{t(`plans.status.${plan.status}` as MessageKey)}</dd>
        </div>
        <div>
          <dt>{t('plans.progress')}</dt>
          <dd>
            <ProgressBar value={props.progress} />
          </dd>
        </div>
      </dl>
      {(props.staff.canEdit || props.staff.canValidate) && <StaffActions plan={plan} staff={props.staff} />}

      <section aria-labelledby="headline-title">
        <h2 id="headline-title">{t('plans.headline')}</h2>
        <ul class="figures">
          <li>
            <span class="figure">{formatNumber(locale, figures.commitments)}</span> {t('plans.commitmentsCount')}
          </li>
          <li>
            <span class="figure">
              {formatNumber(locale, figures.milestonesDone)} / {formatNumber(locale, figures.milestonesTotal)}
            </span>{' '}
            {t('plans.milestonesDone')}
          </li>
          <li>
            <span class="figure">{formatNumber(locale, figures.milestonesLate)}</span> {t('plans.milestonesLate')}
          </li>
          <li>
            <span class="figure">{formatNumber(locale, figures.milestonesUpcoming)}</span>{' '}
            {t('plans.milestonesUpcoming')}
          </li>
        </ul>
        <StatusChart figures={figures} />
        <ProgressOverTime points={burnUp(props.commitments, plan, props.today)} />
      </section>

      {plan.cocreationSummary && (
        <section aria-labelledby="cocreation-title">
          <h2 id="cocreation-title">{t('plans.cocreation')}</h2>
          {plan.cocreationSummary.split(/\n{2,}/).map((p) => (
            <p>{p}</p>
          ))}
        </section>
      )}

      <section aria-labelledby="commitments-title">
        <h2 id="commitments-title">{t('plans.commitments')}</h2>
        <FiltersForm action={planPath(plan)} commitments={props.commitments} filters={props.filters} />
        {shown.length === 0 ? (
          <p>{props.commitments.length === 0 ? t('plans.noMilestone') : t('plans.filter.none')}</p>
        ) : (
          <ol class="commitment-list">
            {shown.map((c) => (
              <li class="commitment-card">
                <h3>
                  <a href={commitmentPath(c)}>{c.title}</a>
                </h3>
                <p>
                  <CommitmentStatus commitment={c} /> <ProgressBar value={c.progress} />
                </p>
                <VerdictLine verdict={props.verdicts.get(c.id)} commitment={c} planHref={planPath(plan)} />
                <p class="meta">
                  {c.leadActor}
                  {c.themes.length > 0 ? ` · ${c.themes.join(', ')}` : ''}
                </p>
              </li>
            ))}
          </ol>
        )}
        {props.staff.canEdit && plan.status === 'draft' && (
          <p>
            <a class="button" href={`${planPath(plan)}/engagements/nouveau`}>
              {t('plans.commitment.new')}
            </a>{' '}
            <a href={`${planPath(plan)}/import`}>{t('plans.import')}</a>
          </p>
        )}
        {props.staff.canEdit && plan.status === 'published' && (
          <p>
            <a class="button" href={`${planPath(plan)}/engagements/nouveau`}>
              {t('plans.commitment.new')}
            </a>{' '}
            <span class="hint">{t('plans.commitment.newRevision')}</span>
          </p>
        )}
      </section>

      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('plans.timeline')}</h2>
        <Timeline commitments={props.commitments} />
      </section>

      <OpenDataLinks territoryPath={props.territory.path} />

      <section aria-labelledby="chain-title">
        <h2 id="chain-title">{t('plans.chain')}</h2>
        <p class={props.chain.ok ? 'chain-ok' : 'chain-broken'}>
          {props.chain.ok
            ? t('plans.chain.ok', { count: props.chain.entries })
            : t('plans.chain.broken', { seq: props.chain.brokenAt ?? 0 })}
        </p>
        <p class="hint">
          {t('plans.chain.checkedAt', {
            time: new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
              dateStyle: 'long',
              timeStyle: 'short',
              timeZone: 'Europe/Paris',
            }).format(props.chain.at),
          })}{' '}
          <a href={`/api/v1/territories/${props.territory.path.replace(/^\/territoires\//, '')}/history/verify`}>
            {t('plans.chain.verifyNow')}
          </a>
          {' · '}
          <a href={`${props.territory.path}/historique/empreintes`}>{t('plans.heads.link')}</a>
        </p>
      </section>
    </article>
  )
}

/** Where the plan's data can be downloaded, and under which licence. */
function OpenDataLinks({ territoryPath }: { territoryPath: string }) {
  const { t } = usePage()
  const ref = encodeURIComponent(territoryPath.replace(/^\/territoires\//, ''))
  return (
    <section aria-labelledby="opendata-title">
      <h2 id="opendata-title">{t('plans.opendata')}</h2>
      <ul>
        <li>
          <a href={`/api/v1/commitments.csv?territoire=${ref}`}>{t('plans.opendata.commitments')}</a> (CSV,{' '}
          <a href="/api/v1/schemas/commitments.json">{t('plans.opendata.schema')}</a>)
        </li>
        <li>
          <a href={`/api/v1/history.csv?territoire=${ref}`}>{t('plans.opendata.history')}</a> (CSV,{' '}
          <a href="/api/v1/schemas/history.json">{t('plans.opendata.schema')}</a>)
        </li>
      </ul>
      <p class="hint">{t('plans.opendata.licence')}</p>
    </section>
  )
}

function StaffActions({ plan, staff }: { plan: PlanRow; staff: PlanPageProps['staff'] }) {
  const { t } = usePage()
  return (
    <div class="staff-actions">
      {staff.canEdit && plan.status === 'draft' && (
        <a class="button" href={`${planPath(plan)}/modifier`}>
          {t('plans.edit')}
        </a>
      )}
      {staff.transitions.map((transition) => (
        <PostForm action={`${planPath(plan)}/etapes`} class="inline-form">
          <input type="hidden" name="transition" value={transition} />
          <button type="submit">{t(`plans.transition.${transition}` as MessageKey)}</button>
        </PostForm>
      ))}
    </div>
  )
}

export function PlanListPage({
  territory,
  plans,
  canEdit,
}: {
  territory: { name: string; path: string }
  plans: PlanRow[]
  canEdit: boolean
}) {
  const { t, locale } = usePage()
  return (
    <>
      <p class="kicker">
        <a href={territory.path}>{territory.name}</a>
      </p>
      <h1>{t('plans.title')}</h1>
      {plans.length === 0 ? (
        <p>{t('plans.none')}</p>
      ) : (
        <ul>
          {plans.map((plan) => (
            <li>
              <a href={planPath(plan)}>{plan.title}</a> — {t(`plans.status.${plan.status}` as MessageKey)},{' '}
              {t('plans.periodFromTo', {
                start: formatDay(locale, plan.periodStart),
                end: formatDay(locale, plan.periodEnd),
              })}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <p>
          <a class="button" href={`${territory.path}/plans/nouveau`}>
            {t('plans.new')}
          </a>{' '}
          <a href={`${territory.path}/plans/importer`}>{t('plans.import.territory')}</a>
        </p>
      )}
    </>
  )
}
