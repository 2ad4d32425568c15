import { isIsoDate } from './http/rules.ts'
import { dateTimeFormat } from './intl.ts'

/** The programme's reference time zone: dates and times people read are Paris ones. */
export const TIME_ZONE = 'Europe/Paris'

/** Today's date in Paris, as YYYY-MM-DD. */
export function todayInParis(now = new Date()): string {
  return dateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(now)
}

/**
 * A local date and time in Paris ("2026-12-03" and "18:30") as an instant, whatever the server's zone:
 * the offset is the one Paris has at that moment (winter or summer time).
 */
export function parisInstant(day: string, time: string): Date | null {
  if (!isIsoDate(day) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) return null
  const guess = new Date(`${day}T${time}:00Z`)
  if (Number.isNaN(guess.getTime())) return null
  const asParis = (d: Date) => {
    const parts = Object.fromEntries(
      dateTimeFormat('en-GB', {
        timeZone: TIME_ZONE,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      })
        .formatToParts(d)
        .map((p) => [p.type, p.value]),
    )
    return Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
    )
  }
  const offset = asParis(guess) - guess.getTime()
  const instant = new Date(guess.getTime() - offset)
  return asParis(instant) === guess.getTime()
    ? instant
    : new Date(guess.getTime() - (asParis(instant) - instant.getTime()))
}
