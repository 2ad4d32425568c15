import { formatNumber, type MessageKey } from '../../../platform/i18n/index.ts'
import { BarChart, LineChart } from '../../../platform/layout/charts.tsx'
import { usePage } from '../../../platform/layout/context.ts'
import { Field, PostForm } from '../../../platform/layout/forms.tsx'
import { STATUSES, type Status } from '../progress.ts'
import type { CommitmentVerdict } from '../queries.ts'
import type { PlanTransition } from '../service.ts'
import type { CommitmentView } from '../tree.ts'
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

/** Commitments by status, each bar in its status's colour (named beside it too). */
function StatusChart({ figures }: { figures: DashboardFigures }) {
  const { t, locale } = usePage()
  return (
    <BarChart
      id="chart-status"
      title={t('plans.byStatus')}
      category={t('plans.filter.status')}
      unit={t('plans.commitmentsCount')}
      format={(v) => formatNumber(locale, v)}
      bars={STATUSES.filter((s) => figures.byStatus[s] > 0).map((status) => ({
        label: statusLabel(t, status),
        value: figures.byStatus[status],
        class: `bar-${status}`,
      }))}
    />
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

/** The burn-up: milestones due and milestones finished, month by month, as steps. */
function ProgressOverTime({ points }: { points: BurnUpPoint[] }) {
  const { t, locale } = usePage()
  if (points.length === 0) return null
  const monthFormat = new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  })
  const monthLabel = (key: string) => monthFormat.format(new Date(`${key}-01T00:00:00Z`))
  const every = Math.max(1, Math.ceil(points.length / 6))
  return (
    <LineChart
      id="chart-burnup"
      title={t('plans.burnup')}
      xLabel={t('plans.burnup.month')}
      yLabel={t('plans.burnup.milestones')}
      xFormat={(i) => (points[i] ? monthLabel(points[i]!.month) : '')}
      yFormat={(v) => formatNumber(locale, v)}
      yIntegers
      xTicks={points.map((_, i) => i).filter((i) => i % every === 0)}
      series={[
        { label: t('plans.burnup.planned'), points: points.map((p, i) => [i, p.planned]), dashed: true, step: true },
        {
          label: t('plans.burnup.done'),
          points: points.flatMap((p, i) => (p.done === null ? [] : [[i, p.done] as [number, number]])),
          step: true,
        },
      ]}
      table={{
        headings: [t('plans.burnup.month'), t('plans.burnup.planned'), t('plans.burnup.done')],
        rows: points.map((p) => [
          monthLabel(p.month),
          formatNumber(locale, p.planned),
          p.done === null ? '—' : formatNumber(locale, p.done),
        ]),
      }}
    />
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
