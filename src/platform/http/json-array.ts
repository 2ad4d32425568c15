import { Readable } from 'node:stream'
import type { FastifyReply } from 'fastify'

/** Streams a JSON array page by page (memory stays flat). */
export function sendJsonArray<Row>(
  reply: FastifyReply,
  options: { filename: string; nextPage: (after: Row | null) => Promise<Row[]>; toJson: (row: Row) => unknown },
): FastifyReply {
  let last: Row | null = null
  let first = true
  let started = false
  const stream = new Readable({
    async read() {
      try {
        if (!started) {
          started = true
          this.push('[')
          return
        }
        const rows = await options.nextPage(last)
        if (rows.length === 0) {
          this.push(']\n')
          this.push(null)
          return
        }
        last = rows[rows.length - 1]!
        const text = rows.map((row) => JSON.stringify(options.toJson(row))).join(',\n')
        this.push(`${first ? '\n' : ',\n'}${text}`)
        first = false
      } catch (error) {
        this.destroy(error as Error)
      }
    },
  })
  return reply
    .type('application/json; charset=utf-8')
    .header('content-disposition', `inline; filename="${options.filename}"`)
    .send(stream)
}
