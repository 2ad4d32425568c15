import { Readable } from 'node:stream'
import type { FastifyReply } from 'fastify'

export const LICENCE_OUVERTE = 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/'

/** A cell that is a number and nothing else ("-12.5", "+3", "1e5"): spreadsheets read it as one, never as a formula. */
const WHOLE_NUMBER = /^[+-]?(\d+([.,]\d+)?|[.,]\d+)([eE][+-]?\d+)?$/
/** What spreadsheets run as a formula when a cell starts with it (OWASP, CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * One CSV field, quoted when it must be (RFC 4180). A cell starting with = + - @, a tab or a carriage return is
 * defused with a leading apostrophe unless the whole cell is a number; `parseCsv` takes the apostrophe off again,
 * so the platform's own exports re-import unchanged.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return ''
  let text =
    value instanceof Date
      ? value.toISOString()
      : Array.isArray(value)
        ? value.join(' | ')
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value)
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
 * Streams a CSV export page by page (keyset pagination, `pageSize` rows at a time), so that memory
 * stays flat whatever the size of the table. `nextPage(after)` returns the rows after the given last
 * row (null for the first page).
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
  let last: Row | null = null
  let started = false
  let done = false
  const stream = new Readable({
    async read() {
      try {
        if (!started) {
          started = true
          this.push(`${columns.map((c) => csvField(c.name)).join(',')}\r\n`)
          return
        }
        if (done) return
        const rows = await nextPage(last)
        if (rows.length === 0) {
          done = true
          this.push(null)
          return
        }
        last = rows[rows.length - 1]!
        this.push(`${rows.map((row) => columns.map((c) => csvField(c.value(row))).join(',')).join('\r\n')}\r\n`)
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
