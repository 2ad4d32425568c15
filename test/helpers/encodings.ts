/**
 * Text as other programs save it, for importers' tests: Windows-1252 (Excel in France), accents decomposed (some
 * Mac exports). The Windows-1252 table is read from the platform's own decoder, every one of its 251 characters.
 */
const TO_1252 = new Map<string, number>()
const decoder = new TextDecoder('windows-1252')
for (let byte = 0; byte < 256; byte++) {
  const char = decoder.decode(Uint8Array.of(byte))
  if (!(byte >= 0x80 && byte <= 0x9f && char.charCodeAt(0) === byte)) TO_1252.set(char, byte)
}

/** The text in Windows-1252; a character that encoding lacks throws (a test fixture must be exact). */
export function windows1252(text: string): Buffer {
  return Buffer.from(
    [...text].map((char) => {
      const byte = TO_1252.get(char)
      if (byte === undefined) throw new Error(`no Windows-1252 byte for ${JSON.stringify(char)}`)
      return byte
    }),
  )
}

/** UTF-8 with its byte-order mark, as Excel's "CSV UTF-8" saves it. */
export const utf8WithBom = (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])

/** Accents written as a letter and a combining mark (NFD). */
export const decomposed = (text: string) => Buffer.from(text.normalize('NFD'))
