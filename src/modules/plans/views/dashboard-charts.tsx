/** The dashboard's figures and charts: commitments by status, progress over time, the milestones' timeline. */
import { formatNumber } from '../../../platform/i18n/index.ts'
import { BarChart, LineChart } from '../../../platform/layout/charts.tsx'
import { usePage } from '../../../platform/layout/context.ts'
import { STATUSES, type Status } from '../progress.ts'
import type { CommitmentView } from '../tree.ts'

import { commitmentPath, statusLabel, formatDay, StatusBadge } from './shared.tsx'
import { dateTimeFormat, intlTag } from '../../../platform/intl.ts'

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
export function StatusChart({ figures }: { figures: DashboardFigures }) {
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
export function ProgressOverTime({ points }: { points: BurnUpPoint[] }) {
  const { t, locale } = usePage()
  if (points.length === 0) return null
  const monthFormat = dateTimeFormat(intlTag(locale), {
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

export function Timeline({ commitments }: { commitments: CommitmentView[] }) {
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
