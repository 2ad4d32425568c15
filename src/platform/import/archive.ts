import { unzipSync } from 'fflate'
import { UnreadableFile } from './text.ts'

/** A file taken out of an archive, named by its path inside it. */
export interface ArchivedFile {
  name: string
  bytes: Uint8Array
}

/** Whether these bytes are a ZIP archive (what "Download ZIP" of a repository gives). */
export const isZip = (bytes: Uint8Array) =>
  bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04

/**
 * The files of a ZIP archive whose path `accept` matches, the others left compressed and unread. What the archive
 * says it holds is checked before anything is inflated, and what is inflated after: past `maxBytes` in all, the
 * archive is refused (an archive that inflates a thousandfold is an attack, not a catalogue).
 */
export function filesOfZip(
  bytes: Uint8Array,
  name: string,
  options: { accept: RegExp; maxBytes: number },
): ArchivedFile[] {
  let declared = 0
  let entries: Record<string, Uint8Array>
  try {
    entries = unzipSync(bytes, {
      filter: (file) => {
        if (file.name.endsWith('/') || !options.accept.test(file.name)) return false
        declared += file.originalSize
        if (declared > options.maxBytes) throw new TooLarge()
        return true
      },
    })
  } catch (error) {
    if (error instanceof TooLarge)
      throw new UnreadableFile({
        key: 'import.archiveTooLarge',
        params: { name, max: Math.floor(options.maxBytes / 1048576) },
      })
    throw new UnreadableFile({ key: 'import.badArchive', params: { name } })
  }
  const files = Object.entries(entries).map(([path, content]) => ({ name: path, bytes: content }))
  if (files.reduce((sum, f) => sum + f.bytes.length, 0) > options.maxBytes)
    throw new UnreadableFile({
      key: 'import.archiveTooLarge',
      params: { name, max: Math.floor(options.maxBytes / 1048576) },
    })
  return files
}

class TooLarge extends Error {}
