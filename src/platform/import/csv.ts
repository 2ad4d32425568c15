import { counted } from '../i18n/index.ts'
import { CsvError, parse } from 'csv-parse/sync'
import { undefusedField } from '../http/csv.ts'
import { decodeText, UnreadableFile, type DecodedText, type ImportMessage, type SourceEncoding } from './text.ts'

/**
 * The one CSV reader of every importer (csv-parse underneath): the encoding detected (text.ts), the separator read
 * from the header line (`,`, `;` or a tab), CRLF, LF or CR line ends, quoted fields with line breaks and doubled
 * quotes, a stray quote inside an unquoted field kept as text (as Excel does). It refuses, with the line number, what
 * would otherwise import wrongly: a quoted field never closed (which would fold the rest of the file into one
 * cell), a row with more or fewer cells than the header (a cut or shifted row), a header named twice. Blank lines
 * are skipped; cells the platform's own exports defused against spreadsheet formulas come back as they were.
 */

export interface CsvRow {
  /** line of the file where the row starts (the header is line 1) */
  line: number
  cells: string[]
  /** the cells by header name */
  record: Record<string, string>
}

export interface CsvTable {
  header: string[]
  rows: CsvRow[]
  delimiter: ',' | ';' | '\t'
  encoding: SourceEncoding
  warnings: ImportMessage[]
}

export interface ReadCsvOptions {
  /** how the file is named in messages */
  name?: string
  maxBytes?: number
  /** header names are compared after trimming, NFC and, when true, without case (the sortition files) */
  caseInsensitiveHeader?: boolean
}

/** A file that is not a well-formed table: every problem found, with its line, up to a hundred. */
export class MalformedCsv extends Error {
  constructor(readonly problems: ImportMessage[]) {
    super(`malformed CSV: ${counted('en', problems.length, 'problem', 'problems')}`)
  }
}

const MAX_REPORTED = 100

function detectDelimiter(text: string): CsvTable['delimiter'] {
  // the header line, outside quotes
  let header = ''
  let quoted = false
  for (const char of text) {
    if (char === '"') quoted = !quoted
    else if (!quoted && (char === '\n' || char === '\r')) break
    else if (!quoted) header += char
  }
  const counts = { ',': header.split(',').length, ';': header.split(';').length, '\t': header.split('\t').length }
  return (Object.entries(counts).sort((a, b) => b[1] - a[1])[0]![0] as CsvTable['delimiter']) ?? ','
}

/** The line where the quote that is never closed opens (a field's opening quote, as csv-parse reads them). */
function unclosedQuoteLine(text: string, delimiter: string): number {
  let line = 1
  let opened = 0
  let quoted = false
  let atFieldStart = true
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') i++
      else if (char === '"') quoted = false
      if (char === '\n') line++
      continue
    }
    if (char === '"' && atFieldStart) {
      quoted = true
      opened = line
    }
    if (char === '\n') line++
    atFieldStart = char === delimiter || char === '\n'
  }
  return opened
}

interface ParsedRecord {
  record: string[]
  info: { lines: number; empty_lines: number }
}

/** Reads a CSV file's bytes (or text already decoded) into its header and rows; throws UnreadableFile or MalformedCsv. */
export function readCsv(input: Uint8Array | DecodedText, options: ReadCsvOptions = {}): CsvTable {
  const name = options.name ?? 'fichier'
  const decoded = input instanceof Uint8Array ? decodeText(input, name, options.maxBytes) : input
  // one kind of line end, whatever the file mixes (a lone CR too, as old Mac exports write)
  const text = decoded.text.replace(/\r\n?/g, '\n')
  const delimiter = detectDelimiter(text)
  let records: ParsedRecord[]
  try {
    records = parse(text, {
      delimiter,
      record_delimiter: '\n',
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true,
      info: true,
    }) as unknown as ParsedRecord[]
  } catch (error) {
    if (error instanceof CsvError && error.code === 'CSV_QUOTE_NOT_CLOSED')
      throw new MalformedCsv([
        { key: 'import.csv.unclosedQuote', params: { name, line: unclosedQuoteLine(text, delimiter) } },
      ])
    if (error instanceof CsvError)
      throw new MalformedCsv([
        {
          key: 'import.csv.malformed',
          params: { name, line: Number((error as CsvError & { lines?: number }).lines ?? 0) },
        },
      ])
    throw error
  }
  const [first, ...rest] = records
  if (!first || first.record.every((cell) => cell.trim() === ''))
    throw new UnreadableFile({ key: 'import.empty', params: { name } })
  const normalise = (cell: string) => (options.caseInsensitiveHeader ? cell.trim().toLowerCase() : cell.trim())
  // Excel adds empty columns after the last one: a header ending with empty names loses them
  let header = first.record.map((cell) => cell.trim())
  while (header.length > 1 && header[header.length - 1] === '') header = header.slice(0, -1)
  const problems: ImportMessage[] = []
  const seen = new Map<string, number>()
  header.forEach((cell, index) => {
    if (cell === '') problems.push({ key: 'import.csv.emptyHeader', params: { name, column: index + 1 } })
    const key = normalise(cell)
    if (seen.has(key))
      problems.push({
        key: 'import.csv.duplicateHeader',
        params: { name, column: cell, first: seen.get(key)! + 1, second: index + 1 },
      })
    else seen.set(key, index)
  })
  const rows: CsvRow[] = []
  let previous = first.info
  for (const { record, info } of rest) {
    // the row starts after the previous one and the blank lines skipped between them
    const line = previous.lines + 1 + (info.empty_lines - previous.empty_lines)
    previous = info
    let cells = record
    // trailing empty cells beyond the header (Excel's ";;;") are not data
    while (cells.length > header.length && cells[cells.length - 1]!.trim() === '') cells = cells.slice(0, -1)
    if (cells.every((cell) => cell.trim() === '')) continue
    if (cells.length !== header.length) {
      if (problems.length < MAX_REPORTED)
        problems.push({
          key: 'import.csv.columnCount',
          params: { name, line, found: cells.length, expected: header.length },
        })
      continue
    }
    cells = cells.map(undefusedField)
    rows.push({ line, cells, record: Object.fromEntries(header.map((column, i) => [column, cells[i]!])) })
  }
  if (problems.length > 0) throw new MalformedCsv(problems)
  return { header, rows, delimiter, encoding: decoded.encoding, warnings: decoded.warnings }
}
