/** Statuses of commitments and milestones: the State's projets-territoire vocabulary plus "non commencé". */
export const STATUSES = ['non_commence', 'en_cours', 'en_retard', 'en_pause', 'bloque', 'abandonne', 'termine'] as const
export type Status = (typeof STATUSES)[number]

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value)
}

/** The statuses staff set by hand on a commitment, with a public reason: milestones cannot say them. */
export const HELD_STATUSES = ['en_pause', 'bloque', 'abandonne'] as const
export type HeldStatus = (typeof HELD_STATUSES)[number]

export function isHeldStatus(value: unknown): value is HeldStatus {
  return typeof value === 'string' && (HELD_STATUSES as readonly string[]).includes(value)
}

/** Statuses after which a milestone can no longer be late. */
const CLOSED: readonly Status[] = ['termine', 'abandonne']

export interface MilestoneFacts {
  status: Status
  dueDate: string // YYYY-MM-DD
  progress: number // 0–100
  weight: number | null
}

export { todayInParis } from '../../platform/paris-time.ts'

/** The status shown: a milestone past its due date and neither finished nor abandoned is late. */
export function shownStatus(milestone: Pick<MilestoneFacts, 'status' | 'dueDate'>, today: string): Status {
  if (!CLOSED.includes(milestone.status) && milestone.dueDate < today) return 'en_retard'
  return milestone.status
}

/** A milestone's progress: 100 once finished, else the last progress reported. */
export function milestoneProgress(milestone: Pick<MilestoneFacts, 'status' | 'progress'>): number {
  return milestone.status === 'termine' ? 100 : milestone.progress
}

/**
 * A commitment's progress from its milestones, 0–100: weighted by the milestones' weights when every
 * counted milestone has one, else a plain average. Abandoned milestones do not count. Null without milestones.
 */
export function commitmentProgress(list: MilestoneFacts[]): number | null {
  const counted = list.filter((m) => m.status !== 'abandonne')
  if (counted.length === 0) return null
  const weighted = counted.every((m) => m.weight !== null && m.weight > 0)
  const total = counted.reduce((sum, m) => sum + (weighted ? m.weight! : 1), 0)
  const sum = counted.reduce((acc, m) => acc + milestoneProgress(m) * (weighted ? m.weight! : 1), 0)
  return Math.round((sum / total) * 10) / 10
}

/** A plan's progress: the average of its commitments' progress (those with milestones). */
export function planProgress(list: (number | null)[]): number | null {
  const known = list.filter((p): p is number => p !== null)
  if (known.length === 0) return null
  return Math.round((known.reduce((a, b) => a + b, 0) / known.length) * 10) / 10
}

/**
 * A commitment's status on a given day: the one set by hand when there is one (paused, blocked, abandoned),
 * else what its milestones say — done when every milestone still counted is done, late when one is late,
 * in progress once one has started (or progressed), not started otherwise; abandoned when every milestone was.
 * The SQL function commitment_status() (migration 0028) is the same rule; a test holds them together.
 */
export function derivedCommitmentStatus(
  held: HeldStatus | null,
  list: Pick<MilestoneFacts, 'status' | 'dueDate' | 'progress'>[],
  today: string,
): Status {
  if (held) return held
  if (list.length === 0) return 'non_commence'
  const counted = list.filter((m) => m.status !== 'abandonne')
  if (counted.length === 0) return 'abandonne'
  if (counted.every((m) => m.status === 'termine')) return 'termine'
  if (counted.some((m) => shownStatus(m, today) === 'en_retard')) return 'en_retard'
  if (counted.some((m) => m.status !== 'non_commence' || m.progress > 0)) return 'en_cours'
  return 'non_commence'
}

/** The completion levels of OGP's Independent Reporting Mechanism. */
export type Completion = 'not_started' | 'limited' | 'substantial' | 'complete' | 'withdrawn'

/**
 * The completion a territory's own report implies, to set beside the reviewer's: a commitment done is
 * "complete", abandoned is "withdrawn", otherwise its progress decides (OGP's thresholds: limited under half,
 * substantial from half).
 */
export function selfReportedCompletion(status: string, progress: number | null): Completion {
  if (status === 'termine') return 'complete'
  if (status === 'abandonne') return 'withdrawn'
  if (status === 'non_commence' || progress === null || progress === 0) return 'not_started'
  return progress >= 50 ? 'substantial' : 'limited'
}
