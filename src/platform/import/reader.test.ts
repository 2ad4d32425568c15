import assert from 'node:assert/strict'
import { test } from 'node:test'
import { translator } from '../i18n/index.ts'
import { MalformedCsv, readCsv } from './csv.ts'
import { decodeText, UnreadableFile, worded } from './text.ts'

const fr = translator('fr')
const en = translator('en')
const win1252 = (text: string) =>
  Buffer.from(
    [...text].map(
      (char) =>
        ({ é: 0xe9, è: 0xe8, à: 0xe0, ç: 0xe7, ê: 0xea, ô: 0xf4, '€': 0x80, œ: 0x9c, É: 0xc9, '’': 0x92, '—': 0x97 })[
          char
        ] ?? char.charCodeAt(0),
    ),
  )
const problemsOf = (run: () => unknown, t = fr) => {
  try {
    run()
  } catch (error) {
    if (error instanceof MalformedCsv) return error.problems.map((p) => worded(t, p))
    if (error instanceof UnreadableFile) return [worded(t, error.problem)]
    throw error
  }
  throw new Error('no error')
}

test('encodings: UTF-8 with and without BOM and UTF-16 read as they are; Windows-1252 converted and said; others refused', () => {
  const text = 'titre;porteur\nÉcole numérique;Mairie d’Évreux — 5 €\n'
  for (const bytes of [
    Buffer.from(text),
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
  ]) {
    const table = readCsv(bytes, { name: 'plan.csv' })
    assert.deepEqual(table.rows[0]!.record, { titre: 'École numérique', porteur: 'Mairie d’Évreux — 5 €' })
    assert.deepEqual(table.warnings, [])
  }
  const excel = readCsv(win1252(text), { name: 'plan.csv' })
  assert.equal(excel.encoding, 'windows-1252')
  assert.deepEqual(excel.rows[0]!.record, { titre: 'École numérique', porteur: 'Mairie d’Évreux — 5 €' })
  assert.match(worded(fr, excel.warnings[0]!), /plan\.csv n’était pas en UTF-8 : il a été lu comme du Windows-1252/)
  assert.match(worded(en, excel.warnings[0]!), /read as Windows-1252/)
  // 0x8F is not a Windows-1252 character (it is "è" in Mac Roman): refused, not misread
  assert.match(
    problemsOf(() => readCsv(Buffer.from([0x61, 0x0a, 0x8f, 0x0a]), { name: 'mac.csv' }))[0]!,
    /mac\.csv n’est ni en UTF-8 ni en Windows-1252 \(octet inconnu ligne 2\)/,
  )
  assert.match(
    problemsOf(() =>
      readCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), win1252('a\né\n')]), { name: 'x.csv' }),
    )[0]!,
    /s’annonce en UTF-8/,
  )
  assert.match(
    problemsOf(() => readCsv(Buffer.from('a,b\nbon,ab\ufffdmé\n'), { name: 'abîmé.csv' }))[0]!,
    /caractères abîmés .* ligne 2/,
  )
  assert.match(
    problemsOf(() => readCsv(Buffer.from('PK\u0003\u0004xl/workbook.xml'), { name: 'plan.xlsx' }))[0]!,
    /pas un fichier texte/,
  )
  assert.match(problemsOf(() => readCsv(Buffer.alloc(0), { name: 'vide.csv' }))[0]!, /vide\.csv est vide/)
  assert.match(
    problemsOf(() => readCsv(Buffer.from('a,b\n1,\u0014\n'), { name: 'c.csv' }))[0]!,
    /c\.csv, ligne 2 : un caractère de contrôle/,
  )
  assert.match(
    problemsOf(() => decodeText(Buffer.alloc(3 * 1048576), 'gros.csv', 1048576))[0]!,
    /gros\.csv fait 3 Mo : la limite est de 1 Mo/,
  )
})

test('decomposed accents (Mac exports) come back composed, in headers and values', () => {
  const table = readCsv(Buffer.from('a\u0302ge,re\u0301gion\n18-24,Orle\u0301ans\n'))
  assert.deepEqual(table.header, ['âge', 'région'])
  assert.equal(table.rows[0]!.record.région, 'Orléans')
})

test('separators, line ends, quotes and blank lines as the field writes them, with the right line numbers', () => {
  for (const [text, delimiter] of [
    ['a,b\r\n1,2\r\n', ','],
    ['a;b\r1;2\r', ';'],
    ['a\tb\n1\t2\n', '\t'],
    ['"a;x",b\n"1;1",2\n', ','],
  ] as const) {
    const table = readCsv(Buffer.from(text))
    assert.equal(table.delimiter, delimiter, JSON.stringify(text))
    assert.equal(table.rows.length, 1)
  }
  const table = readCsv(
    Buffer.from(
      'titre;texte;fin\r\n"Écoles";"Ligne 1\r\nligne 2 avec ""citation""";2027\r\n\r\n\r\nPouce 5";pas de guillemet fermant ici";2028\nSans fin;;\n',
    ),
  )
  assert.deepEqual(
    table.rows.map((r) => [r.line, r.cells]),
    [
      [2, ['Écoles', 'Ligne 1\nligne 2 avec "citation"', '2027']],
      [6, ['Pouce 5"', 'pas de guillemet fermant ici"', '2028']],
      [7, ['Sans fin', '', '']],
    ],
  )
  const long = 'x'.repeat(1_000_000)
  assert.equal(readCsv(Buffer.from(`a,b\n"${long}",2\n`)).rows[0]!.record.a!.length, 1_000_000)
  const excelColumns = readCsv(Buffer.from('a;b;;;\n1;2;;;\n'))
  assert.deepEqual(
    [excelColumns.header, excelColumns.rows[0]!.cells],
    [
      ['a', 'b'],
      ['1', '2'],
    ],
    'Excel’s empty trailing columns dropped',
  )
})

test('a quote never closed, a cut row, a shifted row and a header named twice are refused with their lines', () => {
  assert.deepEqual(
    problemsOf(() => readCsv(Buffer.from('a,b\n1,2\n3,"jamais fermé\n4,5\n6,7\n'), { name: 'f.csv' })),
    [
      'f.csv, ligne 3 : un champ ouvert par des guillemets n’est jamais refermé (un « " » manque, ou le fichier est tronqué).',
    ],
  )
  assert.deepEqual(
    problemsOf(() => readCsv(Buffer.from('a,b,c\n1,2,3\n4,5,6\n7,8'), { name: 'tronqué.csv' })),
    ['tronqué.csv, ligne 4 : 2 valeurs au lieu de 3 (une ligne coupée, ou un séparateur de trop ?).'],
  )
  assert.match(
    problemsOf(() => readCsv(Buffer.from('a;b\n1;2;3\n'), { name: 'x.csv' }))[0]!,
    /ligne 2 : 3 valeurs au lieu de 2/,
  )
  assert.deepEqual(
    problemsOf(() => readCsv(Buffer.from('gender,age,gender\nf,30,m\n'), { name: 'respondents.csv' }), en),
    ['respondents.csv: column “gender” appears twice in the header (columns 1 and 3); rename or remove one of them.'],
  )
  assert.match(
    problemsOf(() => readCsv(Buffer.from('Gender,gender\nf,m\n'), { caseInsensitiveHeader: true }))[0]!,
    /deux fois/,
  )
})

test('the platform’s own exports come back as they were: the apostrophe that defused a formula is taken off', () => {
  assert.deepEqual(readCsv(Buffer.from(`a,b\n"'=SOMME(A1)",'-2+3\n`)).rows[0]!.cells, ['=SOMME(A1)', '-2+3'])
})
