import { createHash } from 'node:crypto'
import { createReadStream, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Readable } from 'node:stream'

/** Where uploaded files live. One implementation today (a folder); an S3-compatible store can follow. */
export interface FileStore {
  /** Stores the bytes under their SHA-256 (idempotent) and returns it. */
  put(bytes: Buffer): Promise<string>
  open(sha256: string): Readable | null
}

/** Files in a folder, named by their SHA-256, written atomically (temporary file, then rename). */
export function folderFileStore(dir: string): FileStore {
  const pathOf = (sha256: string) => join(dir, sha256.slice(0, 2), sha256)
  return {
    async put(bytes) {
      const sha256 = createHash('sha256').update(bytes).digest('hex')
      const path = pathOf(sha256)
      if (!existsSync(path)) {
        mkdirSync(join(dir, sha256.slice(0, 2)), { recursive: true })
        const partial = `${path}.${process.pid}.tmp`
        writeFileSync(partial, bytes, { mode: 0o600 })
        renameSync(partial, path)
      }
      return sha256
    },
    open(sha256) {
      if (!/^[0-9a-f]{64}$/.test(sha256)) return null
      const path = pathOf(sha256)
      return existsSync(path) ? createReadStream(path) : null
    },
  }
}

const SIGNATURES: { type: string; extensions: string[]; check: (b: Buffer) => boolean }[] = [
  { type: 'application/pdf', extensions: ['pdf'], check: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  {
    type: 'image/png',
    extensions: ['png'],
    check: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  { type: 'image/jpeg', extensions: ['jpg', 'jpeg'], check: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  // OpenDocument and Office Open XML files are zip archives
  {
    type: 'application/vnd.oasis.opendocument.text',
    extensions: ['odt'],
    check: (b) => b.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])),
  },
  {
    type: 'application/vnd.oasis.opendocument.spreadsheet',
    extensions: ['ods'],
    check: (b) => b.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])),
  },
  {
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['docx'],
    check: (b) => b.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])),
  },
  {
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extensions: ['xlsx'],
    check: (b) => b.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])),
  },
  { type: 'text/csv', extensions: ['csv'], check: (b) => isUtf8Text(b) },
  { type: 'text/plain', extensions: ['txt'], check: (b) => isUtf8Text(b) },
]

function isUtf8Text(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    return !bytes.includes(0)
  } catch {
    return false
  }
}

/**
 * The content type of an evidence file, from its extension checked against its first bytes; null when the
 * kind is not accepted or the bytes do not match (an HTML page renamed .pdf is refused).
 */
export function evidenceContentType(filename: string, bytes: Buffer): string | null {
  const extension = filename.toLowerCase().split('.').pop() ?? ''
  const kind = SIGNATURES.find((s) => s.extensions.includes(extension))
  return kind?.check(bytes) ? kind.type : null
}

/** A file name safe to show and to send back: no path, no control characters, 200 characters at most. */
export function safeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'fichier'
  const cleaned = base.replace(/[\u0000-\u001f\u007f"<>|*?:]/g, '_').trim()
  return (cleaned || 'fichier').slice(-200)
}
