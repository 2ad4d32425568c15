import assert from 'node:assert/strict'
import { test } from 'node:test'
import Fastify from 'fastify'
import { csvField, sendCsv } from './csv.ts'

test('a cell is written as it is unless it must be defused or quoted, numbers and dates included', () => {
  assert.equal(csvField(-12.5), '-12.5', 'a negative number is a number, not a formula')
  assert.equal(csvField(1e21), '1e+21')
  assert.equal(csvField(-Infinity), "'-Infinity")
  assert.equal(csvField(new Date(Date.UTC(2026, 11, 6, 8, 30))), '2026-12-06T08:30:00.000Z')
  assert.equal(csvField('-12'), '-12')
  assert.equal(csvField('-x'), "'-x")
  assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)")
  assert.equal(csvField('\tcell'), "'\tcell")
  assert.equal(csvField('a;b'), '"a;b"')
  assert.equal(csvField('plain text, with a comma'), '"plain text, with a comma"')
  assert.equal(csvField(['a', 'b']), 'a | b')
  assert.equal(csvField({ a: 1 }), '"{""a"":1}"')
  assert.equal(csvField(null), '')
})

test('an export streams every page in order, and a failing page ends it without a partial success', async () => {
  const app = Fastify()
  type Row = { n: number; text: string }
  const rows: Row[] = Array.from({ length: 12 }, (_, i) => ({ n: i + 1, text: i === 4 ? '=cmd' : `ligne ${i + 1}` }))
  const asked: (number | null)[] = []
  app.get('/ok', (_req, reply) =>
    sendCsv(reply, {
      filename: 'x.csv',
      columns: [
        { name: 'n', value: (row: Row) => row.n },
        { name: 'texte', value: (row: Row) => row.text },
      ],
      nextPage: async (after) => {
        asked.push(after?.n ?? null)
        const from = after ? after.n : 0
        return rows.slice(from, from + 5)
      },
    }),
  )
  app.get('/broken', (_req, reply) =>
    sendCsv(reply, {
      filename: 'x.csv',
      columns: [{ name: 'n', value: (row: Row) => row.n }],
      nextPage: async (after) => {
        if (after) throw new Error('database gone')
        return rows.slice(0, 5)
      },
    }),
  )
  const ok = await app.inject({ url: '/ok' })
  assert.equal(ok.statusCode, 200)
  const lines = ok.body.split('\r\n')
  assert.equal(lines[0], 'n,texte')
  assert.deepEqual(
    lines.slice(1, -1).map((line) => Number(line.split(',')[0])),
    rows.map((row) => row.n),
  )
  assert.equal(lines[5], "5,'=cmd")
  assert.equal(lines.at(-1), '', 'the last line ends with CRLF')
  assert.deepEqual(asked, [null, 5, 10, 12], 'each page after the last row of the one before')
  await assert.rejects(app.inject({ url: '/broken' }))
  await app.close()
})
