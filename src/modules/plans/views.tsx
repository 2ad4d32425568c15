import type { ComponentChildren } from 'preact'
import { formatNumber, type MessageKey, type Translate } from '../../platform/i18n/index.ts'
import { usePage } from '../../platform/layout/context.ts'
import {
  CsrfField,
  ErrorSummary,
  Field,
  PostForm,
  type FieldErrors,
  type FormValues,
} from '../../platform/layout/forms.tsx'
import { HELD_STATUSES, selfReportedCompletion, STATUSES, type Status } from './progress.ts'
import type { CommitmentVerdict } from './queries.ts'
import type { CommitmentView, MilestoneView, PlanTransition } from './service.ts'
import type { PlanRow } from './tables.ts'

export const OGP_VALUES = [
  'access_to_information',
  'civic_participation',
  'public_accountability',
  'technology_innovation',
] as const

export const planPath = (plan: { id: string }) => `/plans/${plan.id}`
export const commitmentPath = (c: { id: string }) => `/engagements/${c.id}`

const statusLabel = (t: Translate, status: string) => t(`status.${status}` as MessageKey)

function formatDay(locale: string, day: string | null): string {
  if (!day) return '—'
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  )
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = usePage()
  return <span class={`status status-${status}`}>{statusLabel(t, status)}</span>
}

/**
 * A commitment's status as shown today, saying when staff set it by hand (paused, blocked, abandoned) and why;
 * otherwise it follows the milestones and says so to whoever wonders.
 */
export function CommitmentStatus({
  commitment,
  full = false,
}: {
  commitment: Pick<CommitmentView, 'status' | 'heldStatus' | 'heldReason' | 'heldAt'>
  full?: boolean
}) {
  const { t, locale } = usePage()
  const held = commitment.heldStatus !== null
  return (
    <>
      <StatusBadge status={commitment.status} />{' '}
      <span class="hint status-origin">{held ? t('plans.status.byHand') : t('plans.status.derived')}</span>
      {held && full && (
        <span class="held-reason">
          {' '}
          {commitment.heldReason
            ? t('plans.status.heldReason', { reason: commitment.heldReason })
            : t('plans.status.noReason')}
          {commitment.heldAt ? ` (${formatDay(locale, commitment.heldAt.toISOString().slice(0, 10))})` : ''}
        </span>
      )}
      {held && !full && commitment.heldReason && (
        <span class="held-reason"> {t('plans.status.heldReason', { reason: commitment.heldReason })}</span>
      )}
    </>
  )
}

/**
 * The latest published independent rating beside the territory's own status: its completion (and the gap with
 * the completion the territory's status implies), or at inception whether it is verifiable and its potential.
 */
export function VerdictLine({
  verdict,
  commitment,
  planHref,
}: {
  verdict: CommitmentVerdict | undefined
  commitment: Pick<CommitmentView, 'status' | 'progress'>
  planHref: string
}) {
  const { t, locale } = usePage()
  if (!verdict) return null
  const label = (key: string) => t(key as MessageKey)
  const implied = selfReportedCompletion(commitment.status, commitment.progress)
  const divergent = verdict.completion !== null && verdict.completion !== 'unclear' && verdict.completion !== implied
  const ratings = [
    verdict.completion ? `${t('assess.completion')} : ${label(`assess.completion.${verdict.completion}`)}` : '',
    !verdict.completion && verdict.verifiable !== null
      ? `${t('assess.verifiable')} : ${verdict.verifiable ? t('assess.yes') : t('assess.no')}`
      : '',
    !verdict.completion && verdict.potentialImpact
      ? `${t('assess.potentialImpact')} : ${label(`assess.impact.${verdict.potentialImpact}`)}`
      : '',
    !verdict.completion && verdict.potentialResults
      ? `${t('assess.potentialResults')} : ${label(`assess.results.${verdict.potentialResults}`)}`
      : '',
  ].filter(Boolean)
  return (
    <p class={`verdict${divergent ? ' verdict-gap' : ''}`}>
      <a href={`${planHref}/evaluation`}>{t('plans.verdict.title')}</a>{' '}
      <span class="hint">
        ({label(`assess.moment.${verdict.moment}`)},{' '}
        {t('plans.verdict.published', { day: formatDay(locale, verdict.publishedAt.toISOString().slice(0, 10)) })})
      </span>{' '}
      : <strong>{ratings.join(' · ') || t('assess.notRated')}</strong>
      {divergent && (
        <span class="gap-note"> — {t('plans.verdict.gap', { self: label(`assess.completion.${implied}`) })}</span>
      )}
    </p>
  )
}

export function ProgressBar({ value }: { value: number | null }) {
  const { t, locale } = usePage()
  if (value === null) return <span class="hint">{t('plans.progressUnknown')}</span>
  return (
    <span class="progress">
      {/* SVG, not a styled span: the CSP forbids inline style attributes */}
      <svg class="progress-track" width="128" height="10" viewBox="0 0 128 10" aria-hidden="true" focusable="false">
        <rect
          class="progress-fill"
          x="0"
          y="0"
          height="10"
          width={Math.round(Math.max(0, Math.min(100, value)) * 1.28)}
        />
      </svg>
      <span class="progress-text">{t('plans.progressValue', { value: formatNumber(locale, value) })}</span>
    </span>
  )
}

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

export function PlanFormPage({
  title,
  action,
  values,
  errors,
  version,
  conflict,
}: {
  title: string
  action: string
  values: FormValues
  errors: FieldErrors
  version?: number
  conflict?: Record<string, string>
}) {
  const { t } = usePage()
  const labels = {
    title: t('plans.plan.title'),
    periodStart: t('plans.commitment.start'),
    periodEnd: t('plans.commitment.end'),
    cocreationSummary: t('plans.cocreation'),
  }
  return (
    <div class="narrow">
      <h1>{title}</h1>
      {conflict && <ConflictPanel saved={conflict} labels={labels} />}
      <ErrorSummary errors={errors} labels={labels} />
      <PostForm action={action}>
        {version !== undefined && <input type="hidden" name="version" value={String(version)} />}
        <Field name="title" label={labels.title} required value={values.title} error={errors.title} maxLength={300} />
        <Field
          name="periodStart"
          type="date"
          label={labels.periodStart}
          required
          value={values.periodStart}
          error={errors.periodStart}
        />
        <Field
          name="periodEnd"
          type="date"
          label={labels.periodEnd}
          required
          value={values.periodEnd}
          error={errors.periodEnd}
        />
        <Field
          name="cocreationSummary"
          label={labels.cocreationSummary}
          multiline
          value={values.cocreationSummary}
          error={errors.cocreationSummary}
          maxLength={10000}
        />
        <button type="submit">{t('form.save')}</button>
      </PostForm>
    </div>
  )
}

/** Shows the version someone else saved, field by field, beside the form that keeps the person's own. */
function ConflictPanel({ saved, labels }: { saved: Record<string, string>; labels: Record<string, string> }) {
  const { t } = usePage()
  return (
    <section class="conflict" role="alert" aria-labelledby="conflict-title">
      <h2 id="conflict-title">{t('plans.conflict.title')}</h2>
      <p>{t('plans.conflict.help')}</p>
      <h3>{t('plans.conflict.saved')}</h3>
      <dl>
        {Object.entries(labels).map(([field, label]) => (
          <>
            <dt>{label}</dt>
            <dd>{saved[field] || '—'}</dd>
          </>
        ))}
      </dl>
    </section>
  )
}

/** The label of each commitment field, for forms, conflicts and revision diffs. */
export function commitmentLabels(t: Translate): Record<string, string> {
  return {
    title: t('plans.commitment.title'),
    problem: t('plans.commitment.problem'),
    description: t('plans.commitment.description'),
    contribution: t('plans.commitment.contribution'),
    ogpValues: t('plans.commitment.values'),
    expectedImpacts: t('plans.commitment.impacts'),
    leadActor: t('plans.commitment.lead'),
    supportingActors: t('plans.commitment.supporting'),
    themes: t('plans.commitment.themes'),
    startDate: t('plans.commitment.start'),
    endDate: t('plans.commitment.end'),
    budgetEur: t('plans.commitment.budget'),
    deliberationUrl: t('plans.commitment.deliberation'),
    milestone: t('plans.entry.field.milestone'),
    commitment: t('plans.entry.field.commitment'),
    'milestone.title': t('plans.milestone.title'),
    'milestone.deliverable': t('plans.milestone.deliverable'),
    'milestone.startDate': t('plans.milestone.start'),
    'milestone.dueDate': t('plans.milestone.dueShort'),
    'milestone.responsible': t('plans.milestone.responsible'),
    'milestone.weight': t('plans.milestone.weight'),
  }
}

export function CommitmentFormPage(props: {
  title: string
  action: string
  values: FormValues
  errors: FieldErrors
  version?: number
  conflict?: Record<string, string>
  publishedPlan?: boolean
}) {
  const { t } = usePage()
  const { values, errors } = props
  const { milestone: _milestone, ...labels } = commitmentLabels(t)
  const chosen = new Set((values.ogpValues ?? '').split(',').filter(Boolean))
  return (
    <div class="narrow">
      <h1>{props.title}</h1>
      {props.publishedPlan && <p class="notice">{t('plans.commitment.newRevision')}</p>}
      {props.conflict && <ConflictPanel saved={props.conflict} labels={labels} />}
      <ErrorSummary errors={errors} labels={labels} />
      <PostForm action={props.action}>
        {props.version !== undefined && <input type="hidden" name="version" value={String(props.version)} />}
        <Field name="title" label={labels.title!} required value={values.title} error={errors.title} maxLength={300} />
        <Field name="problem" label={labels.problem!} multiline value={values.problem} error={errors.problem} />
        <Field
          name="description"
          label={labels.description!}
          multiline
          value={values.description}
          error={errors.description}
        />
        <Field
          name="contribution"
          label={labels.contribution!}
          multiline
          value={values.contribution}
          error={errors.contribution}
        />
        <fieldset class="field" id="field-ogpValues">
          <legend>{t('plans.commitment.values')}</legend>
          {errors.ogpValues && <p class="error-message">{errors.ogpValues}</p>}
          {OGP_VALUES.map((value) => (
            <label class="checkbox">
              <input type="checkbox" name="ogpValues" value={value} checked={chosen.has(value)} />{' '}
              {t(`plans.value.${value}` as MessageKey)}
            </label>
          ))}
        </fieldset>
        <Field
          name="expectedImpacts"
          label={labels.expectedImpacts!}
          multiline
          value={values.expectedImpacts}
          error={errors.expectedImpacts}
        />
        <Field
          name="leadActor"
          label={labels.leadActor!}
          value={values.leadActor}
          error={errors.leadActor}
          maxLength={300}
        />
        <Field
          name="supportingActors"
          label={labels.supportingActors!}
          value={values.supportingActors}
          error={errors.supportingActors}
          maxLength={1000}
        />
        <Field name="themes" label={labels.themes!} value={values.themes} error={errors.themes} maxLength={500} />
        <Field
          name="startDate"
          type="date"
          label={labels.startDate!}
          value={values.startDate}
          error={errors.startDate}
        />
        <Field name="endDate" type="date" label={labels.endDate!} value={values.endDate} error={errors.endDate} />
        <Field name="budgetEur" label={labels.budgetEur!} value={values.budgetEur} error={errors.budgetEur} />
        <Field
          name="deliberationUrl"
          type="url"
          label={labels.deliberationUrl!}
          value={values.deliberationUrl}
          error={errors.deliberationUrl}
        />
        <button type="submit">{t('form.save')}</button>
      </PostForm>
    </div>
  )
}

export function MilestoneFormPage({
  title,
  action,
  values,
  errors,
  version,
  conflict,
}: {
  title: string
  action: string
  values: FormValues
  errors: FieldErrors
  version?: number
  conflict?: Record<string, string>
}) {
  const { t } = usePage()
  const labels = {
    title: t('plans.milestone.title'),
    deliverable: t('plans.milestone.deliverable'),
    startDate: t('plans.milestone.start'),
    dueDate: t('plans.milestone.due'),
    responsible: t('plans.milestone.responsible'),
    weight: t('plans.milestone.weight'),
  }
  return (
    <div class="narrow">
      <h1>{title}</h1>
      {conflict && <ConflictPanel saved={conflict} labels={labels} />}
      <ErrorSummary errors={errors} labels={labels} />
      <PostForm action={action}>
        {version !== undefined && <input type="hidden" name="version" value={String(version)} />}
        <Field name="title" label={labels.title} required value={values.title} error={errors.title} maxLength={300} />
        <Field
          name="deliverable"
          label={labels.deliverable}
          value={values.deliverable}
          error={errors.deliverable}
          maxLength={1000}
        />
        <Field
          name="startDate"
          type="date"
          label={labels.startDate}
          value={values.startDate}
          error={errors.startDate}
        />
        <Field
          name="dueDate"
          type="date"
          label={labels.dueDate}
          required
          value={values.dueDate}
          error={errors.dueDate}
        />
        <Field
          name="responsible"
          label={labels.responsible}
          value={values.responsible}
          error={errors.responsible}
          maxLength={300}
        />
        <Field name="weight" label={labels.weight} value={values.weight} error={errors.weight} />
        <button type="submit">{t('form.save')}</button>
      </PostForm>
    </div>
  )
}

export function UpdateFormPage(props: {
  title: string
  action: string
  commitment: Pick<CommitmentView, 'status' | 'heldStatus' | 'heldReason' | 'heldAt'>
  milestones: MilestoneView[]
  entries: { id: string; seq: number }[]
  values: FormValues
  errors: FieldErrors
}) {
  const { t } = usePage()
  const { values, errors } = props
  const labels = {
    milestoneId: t('plans.update.target'),
    status: t('plans.update.status'),
    held: t('plans.update.held'),
    heldReason: t('plans.update.heldReason'),
    progress: t('plans.update.progress'),
    narrative: t('plans.update.narrative'),
    evidence: t('plans.update.evidence'),
    nextSteps: t('plans.update.nextSteps'),
    correctsId: t('plans.update.corrects'),
  }
  return (
    <div class="narrow">
      <h1>{props.title}</h1>
      <ErrorSummary errors={errors} labels={labels} />
      <form method="post" action={props.action} enctype="multipart/form-data" noValidate>
        <CsrfField />
        <Field
          name="milestoneId"
          label={labels.milestoneId}
          value={values.milestoneId}
          error={errors.milestoneId}
          options={[
            { value: '', label: t('plans.update.targetCommitment') },
            ...props.milestones.map((m) => ({ value: m.id, label: m.title })),
          ]}
        />
        <Field
          name="status"
          label={labels.status}
          hint={t('plans.update.statusHint')}
          value={values.status}
          error={errors.status}
          options={[
            { value: '', label: t('plans.update.keepStatus') },
            ...STATUSES.map((s) => ({ value: s, label: t(`status.${s}` as MessageKey) })),
          ]}
        />
        <fieldset>
          <legend>{t('plans.update.heldLegend')}</legend>
          <p>
            {t('plans.update.heldNow')} <CommitmentStatus commitment={props.commitment} full />
          </p>
          <Field
            name="held"
            label={labels.held}
            value={values.held}
            error={errors.held}
            options={[
              { value: '', label: t('plans.update.keepStatus') },
              ...HELD_STATUSES.map((s) => ({ value: s, label: t(`status.${s}` as MessageKey) })),
              ...(props.commitment.heldStatus ? [{ value: 'calcule', label: t('plans.update.release') }] : []),
            ]}
          />
          <Field
            name="heldReason"
            label={labels.heldReason}
            hint={t('plans.update.heldReasonHint')}
            multiline
            value={values.heldReason}
            error={errors.heldReason}
            maxLength={2000}
          />
        </fieldset>
        <Field name="progress" type="number" label={labels.progress} value={values.progress} error={errors.progress} />
        <Field
          name="narrative"
          label={labels.narrative}
          required
          multiline
          value={values.narrative}
          error={errors.narrative}
          maxLength={10000}
        />
        <Field name="evidence" label={labels.evidence} multiline value={values.evidence} error={errors.evidence} />
        <Field
          name="nextSteps"
          label={labels.nextSteps}
          multiline
          value={values.nextSteps}
          error={errors.nextSteps}
          maxLength={5000}
        />
        <div class={`field${errors.file ? ' field-error' : ''}`}>
          <label for="field-file">{t('plans.update.file')}</label>
          <p class="hint" id="field-file-hint">
            {t('plans.update.fileHint')}
          </p>
          {errors.file && (
            <p class="error-message" id="field-file-error">
              {errors.file}
            </p>
          )}
          <input
            type="file"
            id="field-file"
            name="file"
            accept=".pdf,.png,.jpg,.jpeg,.odt,.ods,.docx,.xlsx,.csv,.txt"
            aria-describedby={errors.file ? 'field-file-hint field-file-error' : 'field-file-hint'}
          />
        </div>
        {props.entries.length > 0 && (
          <Field
            name="correctsId"
            label={labels.correctsId}
            value={values.correctsId}
            error={errors.correctsId}
            options={[{ value: '', label: '—' }, ...props.entries.map((e) => ({ value: e.id, label: `n°${e.seq}` }))]}
          />
        )}
        <button type="submit">{t('form.save')}</button>
      </form>
    </div>
  )
}

export interface HistoryEntryView {
  id: string
  seq: number
  kind: string
  milestoneTitle: string | null
  correctsSeq: number | null
  correctedBySeq: number[]
  authorName: string
  recordedAt: Date
  content: {
    status?: string | null
    held?: string
    heldReason?: string
    progress?: number | null
    narrative?: string
    evidence?: string[]
    nextSteps?: string
    files?: { id: string; filename: string; contentType: string; sizeBytes: number; sha256: string }[]
    changes?: { field: string; before: unknown; after: unknown }[]
  }
}

const show = (value: unknown): string =>
  value === null || value === undefined || value === ''
    ? '—'
    : Array.isArray(value)
      ? value.join(', ')
      : typeof value === 'object'
        ? Object.values(value as object)
            .filter(Boolean)
            .join(' — ')
        : String(value)

export function CommitmentPage(props: {
  territory: { name: string; path: string }
  plan: PlanRow
  commitment: CommitmentView
  history: HistoryEntryView[]
  canEdit: boolean
  canReport: boolean
  /** experiences of the référentiel that tell of this commitment */
  practices?: { slug: string; title: string }[]
  /** proposals of citizens' assemblies this commitment carries */
  fromAssemblies?: { id: string; number: number; title: string; assembly: string }[]
  /** citizens' contributions that the territory took up in this commitment */
  fromCitizens?: { id: string; title: string; consultationId: string }[]
  /** Groupes Action Projet working on this commitment */
  groups?: { id: string; title: string; members: number }[]
  /** the box to follow the commitment */
  follow?: ComponentChildren
  /** the territory's history chain no longer matches what was published, from this link on (the dashboard says it too) */
  chainBrokenAt?: number | null
  /** the latest published independent rating of the commitment */
  verdict?: CommitmentVerdict
}) {
  const { t, locale } = usePage()
  const { commitment: c, plan } = props
  const field = (key: MessageKey, value: string) =>
    value ? (
      <>
        <h3>{t(key)}</h3>
        {value.split(/\n{2,}/).map((p) => (
          <p>{p}</p>
        ))}
      </>
    ) : null
  return (
    <article class="commitment">
      <p class="kicker">
        <a href={props.territory.path}>{props.territory.name}</a> · <a href={planPath(plan)}>{plan.title}</a>
      </p>
      <h1>{c.title}</h1>
      {props.chainBrokenAt !== undefined && props.chainBrokenAt !== null && (
        <p class="chain-broken notice" role="alert">
          {t('plans.chain.broken', { seq: props.chainBrokenAt })}{' '}
          <a href={`${planPath(plan)}#chain-title`}>{t('plans.chain')}</a>
        </p>
      )}
      {props.follow}
      <p>
        <CommitmentStatus commitment={c} full /> <ProgressBar value={c.progress} />
      </p>
      <VerdictLine verdict={props.verdict} commitment={c} planHref={planPath(plan)} />
      <div class="staff-actions">
        {props.canEdit && (plan.status === 'draft' || plan.status === 'published') && (
          <>
            <a class="button" href={`${commitmentPath(c)}/modifier`}>
              {t('plans.commitment.edit')}
            </a>
            <a class="button" href={`${commitmentPath(c)}/jalons/nouveau`}>
              {t('plans.milestone.new')}
            </a>
          </>
        )}
        {props.canEdit && plan.status === 'draft' && (
          <PostForm action={`${commitmentPath(c)}/supprimer`} class="inline-form">
            <button type="submit" class="danger">
              {t('plans.commitment.delete')}
            </button>
          </PostForm>
        )}
        {props.canReport && plan.status === 'published' && (
          <a class="button" href={`${commitmentPath(c)}/avancement`}>
            {t('plans.update.new')}
          </a>
        )}
      </div>
      <dl class="facts">
        <div>
          <dt>{t('plans.commitment.lead')}</dt>
          <dd>{c.leadActor || '—'}</dd>
        </div>
        <div>
          <dt>{t('plans.commitment.dates')}</dt>
          <dd>
            {t('plans.periodFromTo', { start: formatDay(locale, c.startDate), end: formatDay(locale, c.endDate) })}
          </dd>
        </div>
        {c.budgetEur && (
          <div>
            <dt>{t('plans.commitment.budgetValue')}</dt>
            <dd>
              {new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
                style: 'currency',
                currency: 'EUR',
                maximumFractionDigits: 0,
              }).format(Number(c.budgetEur))}
            </dd>
          </div>
        )}
      </dl>
      {field('plans.commitment.problem', c.problem)}
      {field('plans.commitment.description', c.description)}
      {field('plans.commitment.contribution', c.contribution)}
      {c.ogpValues.length > 0 && (
        <>
          <h3>{t('plans.commitment.values')}</h3>
          <ul>
            {c.ogpValues.map((v) => (
              <li>{t(`plans.value.${v}` as MessageKey)}</li>
            ))}
          </ul>
        </>
      )}
      {field('plans.commitment.impacts', c.expectedImpacts)}
      {field('plans.commitment.supporting', c.supportingActors)}
      {c.deliberationUrl && (
        <p>
          <a href={c.deliberationUrl} rel="noopener nofollow">
            {t('plans.commitment.deliberation')}
          </a>
        </p>
      )}

      <section aria-labelledby="milestones-title">
        <h2 id="milestones-title">{t('plans.milestones')}</h2>
        {c.milestones.length === 0 ? (
          <p>{t('plans.noMilestone')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('plans.milestone.title')}</th>
                <th scope="col">{t('plans.milestone.deliverable')}</th>
                <th scope="col">{t('plans.milestone.responsible')}</th>
                <th scope="col">{t('plans.milestone.dueShort')}</th>
                <th scope="col">{t('plans.filter.status')}</th>
                <th scope="col">{t('plans.progress')}</th>
              </tr>
            </thead>
            <tbody>
              {c.milestones.map((m) => (
                <tr>
                  <th scope="row">
                    {m.title}
                    {props.canEdit && (plan.status === 'draft' || plan.status === 'published') && (
                      <>
                        {' '}
                        <a href={`/jalons/${m.id}/modifier`} class="small-link">
                          {t('plans.milestone.edit')}
                          <span class="visually-hidden"> : {m.title}</span>
                        </a>
                      </>
                    )}
                    {props.canEdit && plan.status === 'draft' && (
                      <PostForm action={`/jalons/${m.id}/supprimer`} class="inline-form">
                        {' '}
                        <button type="submit" class="link-button small-link">
                          {t('plans.milestone.delete')}
                          <span class="visually-hidden"> : {m.title}</span>
                        </button>
                      </PostForm>
                    )}
                  </th>
                  <td>{m.deliverable}</td>
                  <td>{m.responsible}</td>
                  <td>
                    <time dateTime={m.dueDate}>{formatDay(locale, m.dueDate)}</time>
                  </td>
                  <td>
                    <StatusBadge status={m.shownStatus} />
                  </td>
                  <td>{t('plans.progressValue', { value: formatNumber(locale, m.effectiveProgress) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {((props.groups && props.groups.length > 0) || props.canEdit) && (
        <section aria-labelledby="groups-title">
          <h2 id="groups-title">{t('group.title')}</h2>
          <ul>
            {(props.groups ?? []).map((g) => (
              <li>
                <a href={`/groupes/${g.id}`}>{g.title}</a> ({t('group.members', { count: g.members })})
              </li>
            ))}
          </ul>
          {props.canEdit && (
            <p>
              <a href={`${commitmentPath(c)}/groupes/nouveau`}>{t('group.new')}</a>
            </p>
          )}
        </section>
      )}
      {props.fromAssemblies && props.fromAssemblies.length > 0 && (
        <section aria-labelledby="assemblies-title">
          <h2 id="assemblies-title">{t('plans.commitment.fromAssemblies')}</h2>
          <ul>
            {props.fromAssemblies.map((p) => (
              <li>
                <a href={`/propositions-assemblee/${p.id}`}>
                  {t('plans.commitment.assemblyProposal', { number: p.number, title: p.title, assembly: p.assembly })}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {props.fromCitizens && props.fromCitizens.length > 0 && (
        <section aria-labelledby="citizens-title">
          <h2 id="citizens-title">{t('consult.fromCitizens')}</h2>
          <ul>
            {props.fromCitizens.map((k) => (
              <li>
                <a href={`/consultations/${k.consultationId}#contribution-${k.id}`}>{k.title}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {props.practices && props.practices.length > 0 && (
        <section aria-labelledby="practices-title">
          <h2 id="practices-title">{t('plans.commitment.practices')}</h2>
          <ul>
            {props.practices.map((p) => (
              <li>
                <a href={`/referentiel/fiches/${p.slug}`}>{p.title}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="history-title">
        <h2 id="history-title">{t('plans.history')}</h2>
        {props.history.length === 0 ? (
          <p>{t('plans.noHistory')}</p>
        ) : (
          <ol class="history">
            {[...props.history].reverse().map((entry) => (
              <li id={`entree-${entry.seq}`} class={`entry entry-${entry.kind}`}>
                <p class="entry-head">
                  <strong>
                    n°{entry.seq} · {t(`plans.entry.${entry.kind}` as MessageKey)}
                  </strong>{' '}
                  <time dateTime={entry.recordedAt.toISOString()}>
                    {new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
                      dateStyle: 'long',
                      timeStyle: 'short',
                      timeZone: 'Europe/Paris',
                    }).format(entry.recordedAt)}
                  </time>{' '}
                  {t('plans.entry.by', { name: entry.authorName })}
                  {entry.milestoneTitle ? ` · ${entry.milestoneTitle}` : ''}
                  {entry.correctsSeq !== null && (
                    <>
                      {' · '}
                      <a href={`#entree-${entry.correctsSeq}`}>
                        {t('plans.entry.correctsLink', { seq: entry.correctsSeq })}
                      </a>
                    </>
                  )}
                  {entry.correctedBySeq.map((seq) => (
                    <>
                      {' · '}
                      <a href={`#entree-${seq}`}>{t('plans.entry.correctedBy', { seq })}</a>
                    </>
                  ))}
                </p>
                {entry.content.status && (
                  <p>
                    <StatusBadge status={entry.content.status} />
                    {typeof entry.content.progress === 'number'
                      ? ` ${t('plans.progressValue', { value: entry.content.progress })}`
                      : ''}
                  </p>
                )}
                {entry.content.held && (
                  <p>
                    {entry.content.held === 'calcule' ? (
                      t('plans.entry.released')
                    ) : (
                      <>
                        {t('plans.entry.held')} <StatusBadge status={entry.content.held} />{' '}
                        {entry.content.heldReason
                          ? t('plans.status.heldReason', { reason: entry.content.heldReason })
                          : ''}
                      </>
                    )}
                  </p>
                )}
                {entry.content.narrative && <p>{entry.content.narrative}</p>}
                {entry.content.evidence && entry.content.evidence.length > 0 && (
                  <p>
                    {t('plans.entry.evidence')} :{' '}
                    {entry.content.evidence.map((url, i) => (
                      <>
                        {i > 0 ? ', ' : ''}
                        <a href={url} rel="noopener nofollow">
                          {url}
                        </a>
                      </>
                    ))}
                  </p>
                )}
                {entry.content.files && entry.content.files.length > 0 && (
                  <ul class="files">
                    {entry.content.files.map((file) => (
                      <li>
                        <a href={`/fichiers/${file.id}`} download={file.filename}>
                          {file.filename}
                        </a>{' '}
                        <span class="hint">
                          ({formatNumber(locale, Math.max(1, Math.round(file.sizeBytes / 1024)))} Ko, SHA-256{' '}
                          <code>{file.sha256.slice(0, 12)}…</code>)
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
                {entry.content.nextSteps && (
                  <p>
                    {t('plans.entry.nextSteps')} : {entry.content.nextSteps}
                  </p>
                )}
                {entry.content.changes && (
                  <table class="diff">
                    <thead>
                      <tr>
                        <th scope="col">{t('plans.entry.field')}</th>
                        <th scope="col">{t('plans.entry.before')}</th>
                        <th scope="col">{t('plans.entry.after')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {entry.content.changes.map((change) => (
                        <tr>
                          <th scope="row">{commitmentLabels(t)[change.field] ?? change.field}</th>
                          <td>
                            <del>{show(change.before)}</del>
                          </td>
                          <td>
                            <ins>{show(change.after)}</ins>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>
    </article>
  )
}
