import { undefusedField } from './csv.ts'

/**
 * Parses CSV text (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes) into rows of
 * fields. The delimiter is the one of `,` and `;` that the header line uses most (French spreadsheets
 * write `;`). A leading byte-order mark is dropped; blank lines are skipped. A cell the platform's exports
 * defused against spreadsheet formulas comes back as it was.
 */
export function parseCsv(input: string): string[][] {
  const text = input.replace(/^\uFEFF/, '')
  const firstLine = text.slice(0, text.search(/\r?\n|$/))
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ','
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else field += char
    } else if (char === '"' && field === '') quoted = true
    else if (char === delimiter) {
      row.push(undefusedField(field))
      field = ''
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++
      row.push(undefusedField(field))
      if (row.some((f) => f !== '')) rows.push(row)
      row = []
      field = ''
    } else field += char
  }
  row.push(undefusedField(field))
  if (row.some((f) => f !== '')) rows.push(row)
  return rows
}
