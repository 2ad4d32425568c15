import assert from 'node:assert/strict'
import { test } from 'node:test'
import { utf8WithBom, windows1252 } from '../../../test/helpers/encodings.ts'
import { RatingsRefused, readRatings } from './import.ts'

/** A piece of OGP's commitment sheet as the IRM's exports and spreadsheets save it. */
const HEADER = [
  'Commitment Unique Identifier',
  'Commitment Title',
  'Verifiable',
  'Potential Impact',
  'Completion (End Of Term)',
]
const ROWS = [
  [
    'FR0110',
    'Inventaire des pratiques participatives, ministères et établissements',
    'Yes',
    'Transformative',
    'Complete',
  ],
  ['FR0111', 'Données « ouvertes » des marchés publics', 'No', 'Minor', 'Limited'],
  ['FR0112', 'Sans appréciation', '', '', ''],
]
const sheet = (separator = ',', newline = '\n', rows = ROWS) =>
  [HEADER, ...rows]
    .map((cells) =>
      cells.map((c) => (c.includes(separator) || c.includes('"') ? `"${c.replace(/"/g, '""')}"` : c)).join(separator),
    )
    .join(newline)

const expected = [
  { id: 'FR0110', verifiable: true, impact: 'transformative', completion: 'complete' },
  { id: 'FR0111', verifiable: false, impact: 'minor', completion: 'limited' },
]
const summary = (read: ReturnType<typeof readRatings>) =>
  read.ratings.map((r) => ({
    id: r.id,
    verifiable: r.inception?.verifiable,
    impact: r.inception?.impact,
    completion: r.endOfTerm?.completion,
  }))

function refusal(bytes: Uint8Array): string {
  try {
    readRatings(bytes, 'commitments.csv')
  } catch (error) {
    if (error instanceof RatingsRefused) return JSON.stringify(error.problems)
    throw error
  }
  assert.fail('the file was read')
}

test('the IRM’s sheet reads the same in UTF-8, with a BOM, in Windows-1252, with “;” and with CRLF', () => {
  const variants: [string, Uint8Array][] = [
    ['UTF-8', Buffer.from(sheet())],
    ['UTF-8 with BOM', utf8WithBom(sheet())],
    ['Windows-1252', windows1252(sheet())],
    ['semicolons', Buffer.from(sheet(';'))],
    ['CRLF, Windows-1252 and semicolons', windows1252(sheet(';', '\r\n'))],
  ]
  for (const [what, bytes] of variants) {
    const read = readRatings(bytes, 'commitments.csv')
    assert.deepEqual(summary(read), expected, what)
    assert.equal(read.unrated, 1, `${what}: the row without a rating is counted, not imported`)
  }
})

test('a cut file, an unclosed quote or a word not on the IRM’s scale is refused whole, naming the line and value', () => {
  const whole = Buffer.from(sheet())
  const cut = refusal(whole.subarray(0, whole.indexOf('FR0111') + 20))
  // the last row stops in the middle of its cells
  assert.match(cut, /"key":"import\.csv\.columnCount","params":\{"name":"commitments\.csv","line":3/)
  const unclosed = refusal(Buffer.from(`${sheet()}\nFR0113,"Titre sans fin,Yes,Minor,Limited\n`))
  assert.match(unclosed, /"key":"import\.csv\.unclosedQuote","params":\{"name":"commitments\.csv","line":5\}/)
  const strange = refusal(
    Buffer.from(sheet(',', '\n', [...ROWS, ['FR0114', 'Un titre', 'Yes', 'Revolutionary', 'Complete']])),
  )
  assert.match(strange, /"line":5/)
  assert.match(strange, /"value":"Revolutionary"/)
  assert.match(strange, /"column":"Potential Impact"/)
})

test('a very long cell is kept whole', () => {
  const long = 'Très long intitulé '.repeat(3000)
  const read = readRatings(
    Buffer.from(sheet(',', '\n', [['FR0115', long, 'Yes', 'Moderate', ''], ...ROWS.slice(1)])),
    'commitments.csv',
  )
  assert.deepEqual(
    summary(read).map((r) => r.id),
    ['FR0115', 'FR0111'],
  )
})
