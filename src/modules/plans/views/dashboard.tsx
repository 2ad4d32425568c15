import { formatNumber, type MessageKey } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import { Field, PostForm } from '../../../platform/layout/forms.tsx'
import { STATUSES } from '../progress.ts'
import type { CommitmentVerdict } from '../queries.ts'
import type { PlanTransition } from '../service.ts'
import type { CommitmentView } from '../tree.ts'
import type { PlanRow } from '../tables.ts'

import {
  planPath,
  commitmentPath,
  statusLabel,
  formatDay,
  CommitmentStatus,
  VerdictLine,
  ProgressBar,
} from './shared.tsx'
import { dashboardFigures, StatusChart, burnUp, ProgressOverTime, Timeline } from './dashboard-charts.tsx'
import { dateTimeFormat, intlTag } from '../../../platform/intl.ts'

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
            time: dateTimeFormat(intlTag(locale), {
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
