/** Events as iCalendar (RFC 5545), for the agendas that subscribe to them. */
import { icalendar } from '../../platform/ical.ts'
import type { EventRow } from './service.ts'

/** An iCalendar of events, in Paris time, each linking back to its page. */
export function calendar(events: EventRow[], options: { name: string; baseUrl: string }): string {
  return icalendar(
    options.name,
    events.map((e) => {
      const url = `${options.baseUrl}/evenements/${e.id}`
      return {
        uid: `${e.id}@territoires-hautement-citoyens`,
        start: e.startsAt,
        end: e.endsAt,
        summary: e.title,
        description: `${e.description}\n\n${url}`.trim(),
        location: e.place || (e.onlineUrl ? 'En ligne / Online' : ''),
        url,
        cancelled: e.status === 'cancelled',
      }
    }),
  )
}
