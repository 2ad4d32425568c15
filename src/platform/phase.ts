/** Where a dated participation (a consultation, a co-constructed text) stands on a given day. */
export type DatedPhase = 'draft' | 'upcoming' | 'open' | 'closed' | 'answered'

/** Its phase today (Paris dates): its status first (a draft, an answer), then an early close, then its dates. */
export function datedPhase(
  item: { status: string; opensOn: string; closesOn: string; closedEarlyAt?: Date | string | null },
  today: string,
): DatedPhase {
  if (item.status === 'draft') return 'draft'
  if (item.status === 'answered') return 'answered'
  if (item.closedEarlyAt) return 'closed'
  if (today < item.opensOn) return 'upcoming'
  return today <= item.closesOn ? 'open' : 'closed'
}
