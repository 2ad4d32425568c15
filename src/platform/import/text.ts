import { translator, type MessageKey, type Translate } from '../i18n/index.ts'

/**
 * Turning an uploaded or read file into text, for every importer: the encoding is detected, never guessed in
 * silence. UTF-8 (with or without its byte-order mark) and UTF-16 with a byte-order mark are read as they are; a
 * file that is not valid UTF-8 is read as Windows-1252 (what Excel saves in France; ISO-8859-1 is its subset) and
 * the conversion is reported; anything else is refused. The text is normalised to NFC (some Mac exports write
 * accents decomposed), and U+FFFD — the mark of text already damaged — is refused, never stored.
 */

export type SourceEncoding = 'utf-8' | 'utf-8 with BOM' | 'utf-16le' | 'utf-16be' | 'windows-1252'

/** What an importer says about a file: a message key of the dictionaries with its values, worded in the reader's language. */
export interface ImportMessage {
  key: MessageKey
  /** values put into the message; a value that is itself a message is worded in the same language */
  params?: Record<string, string | number | ImportMessage>
}

/** The message in a language (the command line speaks English, pages the reader's language). */
export function worded(t: Translate, message: ImportMessage): string {
  const params =
    message.params &&
    Object.fromEntries(
      Object.entries(message.params).map(([name, value]) => [
        name,
        typeof value === 'object' ? worded(t, value) : value,
      ]),
    )
  return t(message.key, params)
}

/** A file an importer cannot read at all. */
export class UnreadableFile extends Error {
  constructor(
    readonly problem: ImportMessage,
    readonly line?: number,
  ) {
    super(worded(translator('en'), problem))
  }
}

export interface DecodedText {
  text: string
  encoding: SourceEncoding
  /** said to the person before anything is written */
  warnings: ImportMessage[]
}

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length

/** Decodes a file's bytes as described above; throws UnreadableFile. `name` is used in messages. */
export function decodeText(bytes: Uint8Array, name: string, maxBytes = Number.POSITIVE_INFINITY): DecodedText {
  if (bytes.length > maxBytes)
    throw new UnreadableFile({
      key: 'import.tooLarge',
      params: { name, size: Math.ceil(bytes.length / 1048576), max: Math.floor(maxBytes / 1048576) },
    })
  if (bytes.length === 0) throw new UnreadableFile({ key: 'import.empty', params: { name } })
  let text: string
  let encoding: SourceEncoding
  const warnings: ImportMessage[] = []
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    text = new TextDecoder('utf-16le').decode(bytes.subarray(2))
    encoding = 'utf-16le'
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    text = new TextDecoder('utf-16be').decode(bytes.subarray(2))
    encoding = 'utf-16be'
  } else {
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bom ? bytes.subarray(3) : bytes)
      encoding = bom ? 'utf-8 with BOM' : 'utf-8'
    } catch {
      if (bom) throw new UnreadableFile({ key: 'import.badUtf8', params: { name } })
      text = new TextDecoder('windows-1252').decode(bytes)
      // bytes that Windows-1252 leaves undefined decode to C1 controls: then it is neither UTF-8 nor Windows-1252
      const undefinedByte = /[\u0080-\u009f]/.exec(text)
      if (undefinedByte) {
        const line = lineOf(text, undefinedByte.index)
        throw new UnreadableFile({ key: 'import.unknownEncoding', params: { name, line } }, line)
      }
      encoding = 'windows-1252'
      warnings.push({ key: 'import.convertedFrom1252', params: { name } })
    }
  }
  if (text.includes('\u0000') || (bytes[0] === 0x50 && bytes[1] === 0x4b))
    throw new UnreadableFile({ key: 'import.binary', params: { name } })
  const control = /[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(text)
  if (control) {
    const line = lineOf(text, control.index)
    throw new UnreadableFile({ key: 'import.control', params: { name, line } }, line)
  }
  const damaged = text.indexOf('\ufffd')
  if (damaged >= 0) {
    const line = lineOf(text, damaged)
    throw new UnreadableFile({ key: 'import.damaged', params: { name, line } }, line)
  }
  return { text: text.normalize('NFC'), encoding, warnings }
}
