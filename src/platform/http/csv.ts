import { Readable } from 'node:stream'
import type { FastifyReply } from 'fastify'

export const LICENCE_OUVERTE = 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/'

/** One CSV field, quoted when it must be (RFC 4180); formulas are defused for spreadsheets. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return ''
  let text = value instanceof Date ? value.toISOString() : Array.isArray(value) ? value.join(' | ') : typeof value === 'object' ? JSON.stringify(value) : String(value)
  // a cell starting with = + - @ is run as a formula by spreadsheets (CSV injection)
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text)) text = `'${text}`
  return /[",\r\n;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
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
  options: { filename: string; columns: CsvColumn<Row>[]; nextPage: (after: Row | null) => Promise<Row[]> },
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
          this.push(columns.map((c) => csvField(c.name)).join(',') + '\r\n')
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
        this.push(rows.map((row) => columns.map((c) => csvField(c.value(row))).join(',')).join('\r\n') + '\r\n')
      } catch (error) {
        this.destroy(error as Error)
      }
    },
  })
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${options.filename}"`)
    .header('link', `<${LICENCE_OUVERTE}>; rel="license"`)
    .send(stream)
}
