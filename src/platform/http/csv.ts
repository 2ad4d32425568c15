import { Readable } from 'node:stream'
import type { FastifyReply } from 'fastify'

export const LICENCE_OUVERTE = 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/'

/** A cell that is a number and nothing else ("-12.5", "+3", "1e5"): spreadsheets read it as one, never as a formula. */
const WHOLE_NUMBER = /^[+-]?(\d+([.,]\d+)?|[.,]\d+)([eE][+-]?\d+)?$/
/** What spreadsheets run as a formula when a cell starts with it (OWASP, CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/
/** A cell that may need defusing or quoting; most do not, and are written as they are after this one test. */
const NEEDS_CARE = /^[=+\-@\t\r]|[",\r\n;]/

/**
 * One CSV field, quoted when it must be (RFC 4180). A cell starting with = + - @, a tab or a carriage return is
 * defused with a leading apostrophe unless the whole cell is a number; `parseCsv` takes the apostrophe off again,
 * so the platform's own exports re-import unchanged.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return ''
  // a finite number or a date never needs care (a negative number is a number, not a formula)
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (value instanceof Date) return value.toISOString()
  let text = Array.isArray(value)
    ? value.join(' | ')
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value)
  if (!NEEDS_CARE.test(text)) return text
  if (FORMULA_START.test(text) && !WHOLE_NUMBER.test(text)) text = `'${text}`
  return /[",\r\n;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** The cell as it was before `csvField` defused it (the apostrophe before a formula's first character taken off). */
export function undefusedField(field: string): string {
  return field.startsWith("'") && FORMULA_START.test(field.slice(1)) && !WHOLE_NUMBER.test(field.slice(1))
    ? field.slice(1)
    : field
}

export interface CsvColumn<Row> {
  name: string
  value(row: Row): unknown
}

/**
 * Streams a CSV export page by page (keyset pagination), so that memory stays flat whatever the size of the
 * table. `nextPage(after)` returns the rows after the given last row (null for the first page). The next page is
 * asked for as soon as a page arrives, so that the database reads it while this one is written: at most two
 * pages are held.
 */
export function sendCsv<Row>(
  reply: FastifyReply,
  options: {
    filename: string
    columns: CsvColumn<Row>[]
    nextPage: (after: Row | null) => Promise<Row[]>
    licenceUrl?: string
  },
): FastifyReply {
  const { columns, nextPage } = options
  const values = columns.map((column) => column.value)
  const lineOf = (row: Row) => {
    let line = csvField(values[0]!(row))
    for (let i = 1; i < values.length; i++) line += `,${csvField(values[i]!(row))}`
    return line
  }
  let started = false
  let done = false
  let coming: Promise<Row[]> | null = null
  const stream = new Readable({
    async read() {
      try {
        if (!started) {
          started = true
          coming = nextPage(null)
          this.push(`${columns.map((c) => csvField(c.name)).join(',')}\r\n`)
          return
        }
        if (done || !coming) return
        const rows = await coming
        if (rows.length === 0) {
          done = true
          this.push(null)
          return
        }
        coming = nextPage(rows[rows.length - 1]!)
        coming.catch(() => {}) // its failure is reported when it is awaited
        let chunk = ''
        for (const row of rows) chunk += `${lineOf(row)}\r\n`
        this.push(chunk)
      } catch (error) {
        this.destroy(error as Error)
      }
    },
  })
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${options.filename}"`)
    .header('link', `<${options.licenceUrl ?? LICENCE_OUVERTE}>; rel="license"`)
    .send(stream)
}
