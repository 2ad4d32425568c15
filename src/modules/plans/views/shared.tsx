import { formatNumber, type MessageKey, type Translate } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import { selfReportedCompletion } from '../progress.ts'
import type { CommitmentVerdict } from '../queries.ts'
import type { CommitmentView } from '../tree.ts'
import { dateTimeFormat, intlTag } from '../../../platform/intl.ts'

export const OGP_VALUES = [
  'access_to_information',
  'civic_participation',
  'public_accountability',
  'technology_innovation',
] as const

export const planPath = (plan: { id: string }) => `/plans/${plan.id}`
export const commitmentPath = (c: { id: string }) => `/engagements/${c.id}`

export const statusLabel = (t: Translate, status: string) => t(`status.${status}` as MessageKey)

export function formatDay(locale: string, day: string | null): string {
  if (!day) return '—'
  return dateTimeFormat(intlTag(locale), { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`))
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
