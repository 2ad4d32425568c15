import { createHash, randomBytes } from 'node:crypto'
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { createServer, connect, type Server } from 'node:net'
import { dirname, join, relative, resolve } from 'node:path'
import * as tar from 'tar'
import { createEmbeddedFolder, RESTORE_MARKER, type Database } from './db/index.ts'
import { lockFolder } from './db/folder-lock.ts'
import { listMigrations } from './db/migrate.ts'

/**
 * Backups of an embedded installation: one tar file holding the database (a PGlite dump, taken between two
 * transactions, so consistent), the uploaded files and the session secret, with a manifest of their SHA-256.
 * Files are copied after the database, so the backup holds every file the database names. With DATABASE_URL,
 * pg_dump backs up the database (see the README); DATA_DIR/files and SESSION_SECRET are saved beside it.
 */

export const BACKUP_FORMAT = 'thc-backup'
const MANIFEST = 'manifest.json'
const DATABASE_PART = 'pglite.tar.gz'
const SECRET_PART = 'session-secret'
const FILES_PART = 'files'

export class BackupError extends Error {}

interface Manifest {
  format: typeof BACKUP_FORMAT
  version: 1
  createdAt: string
  migrations: string[]
  /** SHA-256 of every part, by its path in the archive */
  sha256: Record<string, string>
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

function walkFiles(root: string): string[] {
  if (!existsSync(root)) return []
  return readdirSync(root, { withFileTypes: true }).flatMap((entry) => {
    const path = join(root, entry.name)
    return entry.isDirectory() ? walkFiles(path) : entry.isFile() ? [path] : []
  })
}

/** The embedded database's dump, taken while no transaction runs (PGlite serialises them). */
async function dumpDatabase(database: Database): Promise<Buffer> {
  if (!database.dumpEmbedded)
    throw new BackupError(
      'With DATABASE_URL, back up the database with pg_dump (see the README): this command backs up the embedded database.',
    )
  return Buffer.from(await (await database.dumpEmbedded()).arrayBuffer())
}

/**
 * Writes a backup of an open embedded database and its folder's files to `file` (mode 600: it holds personal data,
 * password hashes and the session secret). The file appears whole or not at all. Returns the manifest.
 */
export async function writeBackup(database: Database, dataDir: string, file: string): Promise<Manifest> {
  const target = resolve(file)
  if (existsSync(target)) throw new BackupError(`${target} already exists: name a new file.`)
  const staging = join(dirname(target), `.${randomBytes(6).toString('hex')}.backup-staging`)
  mkdirSync(staging, { recursive: true, mode: 0o700 })
  const partial = `${target}.partial`
  try {
    const parts: Record<string, Buffer | string> = { [DATABASE_PART]: await dumpDatabase(database) }
    const secretFile = join(dataDir, SECRET_PART)
    if (existsSync(secretFile)) parts[SECRET_PART] = readFileSync(secretFile)
    const hashes: Record<string, string> = {}
    for (const [name, bytes] of Object.entries(parts)) {
      writeFileSync(join(staging, name), bytes, { mode: 0o600 })
      hashes[name] = sha256(Buffer.from(bytes))
    }
    const filesDir = join(dataDir, FILES_PART)
    if (existsSync(filesDir)) cpSync(filesDir, join(staging, FILES_PART), { recursive: true })
    for (const path of walkFiles(join(staging, FILES_PART)))
      hashes[relative(staging, path)] = sha256(readFileSync(path))
    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      version: 1,
      createdAt: new Date().toISOString(),
      migrations: listMigrations().map((m) => m.name),
      sha256: hashes,
    }
    writeFileSync(join(staging, MANIFEST), JSON.stringify(manifest, null, 2))
    await tar.create({ file: partial, cwd: staging, portable: true, mode: 0o600 }, [
      MANIFEST,
      ...Object.keys(hashes).filter((name) => !name.startsWith(`${FILES_PART}/`)),
      ...(existsSync(join(staging, FILES_PART)) ? [FILES_PART] : []),
    ])
    chmodSync(partial, 0o600)
    renameSync(partial, target)
    return manifest
  } finally {
    rmSync(staging, { recursive: true, force: true })
    rmSync(partial, { force: true })
  }
}

/** Reads and checks a backup into a fresh folder: the manifest and the SHA-256 of every part. */
async function unpack(file: string, into: string): Promise<Manifest> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new BackupError(`${file}: no such backup file.`)
  try {
    // read the whole archive once without writing: a truncated or corrupt file is refused before any part lands
    // (an extraction that fails midway may still be flushing files when its promise rejects)
    await tar.list({ file, strict: true })
    await tar.extract({ file, cwd: into, strict: true, preservePaths: false })
  } catch (error) {
    throw new BackupError(`${file} is not a readable backup (${(error as Error).message}).`)
  }
  let manifest: Manifest
  try {
    manifest = JSON.parse(readFileSync(join(into, MANIFEST), 'utf8')) as Manifest
  } catch {
    throw new BackupError(`${file} is not a platform backup: ${MANIFEST} is missing or unreadable.`)
  }
  if (manifest.format !== BACKUP_FORMAT || manifest.version !== 1 || typeof manifest.sha256 !== 'object')
    throw new BackupError(`${file} is not a platform backup (format ${String(manifest.format)}).`)
  if (!manifest.sha256[DATABASE_PART]) throw new BackupError(`${file} holds no database.`)
  const present = new Set(walkFiles(into).map((path) => relative(into, path)))
  for (const [name, expected] of Object.entries(manifest.sha256)) {
    if (!present.has(name)) throw new BackupError(`${file} is incomplete: ${name} is missing.`)
    if (sha256(readFileSync(join(into, name))) !== expected)
      throw new BackupError(`${file} is damaged: ${name} does not match its checksum.`)
    present.delete(name)
  }
  present.delete(MANIFEST)
  if (present.size > 0)
    throw new BackupError(`${file} holds parts its manifest does not list: ${[...present].slice(0, 3).join(', ')}.`)
  return manifest
}

/**
 * Restores a backup into `dataDir`, which must be empty or absent (or hold an unfinished restore). Everything is
 * checked before anything is written; the database comes last, so the folder starts only once the restore is whole.
 */
export async function restoreBackup(file: string, dataDir: string): Promise<Manifest> {
  const target = resolve(dataDir)
  // a folder the command line just made holds its generated session secret only: that is still a new folder
  const leftovers = existsSync(target)
    ? readdirSync(target).filter((name) => name !== RESTORE_MARKER && name !== SECRET_PART)
    : []
  if (leftovers.length > 0 && !existsSync(join(target, RESTORE_MARKER)))
    throw new BackupError(`${target} is not empty (${leftovers.slice(0, 3).join(', ')}): restore into a new folder.`)
  mkdirSync(target, { recursive: true })
  const lock = lockFolder(target)
  const scratch = join(target, `.restoring-${randomBytes(6).toString('hex')}`)
  try {
    mkdirSync(scratch, { mode: 0o700 })
    const manifest = await unpack(resolve(file), scratch)
    writeFileSync(join(target, RESTORE_MARKER), `restore of ${resolve(file)} started ${new Date().toISOString()}\n`)
    for (const name of readdirSync(target))
      if (name !== RESTORE_MARKER && name !== 'platform.lock' && join(target, name) !== scratch)
        rmSync(join(target, name), { recursive: true, force: true })
    if (existsSync(join(scratch, FILES_PART))) renameSync(join(scratch, FILES_PART), join(target, FILES_PART))
    if (existsSync(join(scratch, SECRET_PART))) {
      renameSync(join(scratch, SECRET_PART), join(target, SECRET_PART))
      chmodSync(join(target, SECRET_PART), 0o600)
    }
    await createEmbeddedFolder(join(target, 'pglite'), new Blob([readFileSync(join(scratch, DATABASE_PART))]))
    rmSync(join(target, RESTORE_MARKER))
    return manifest
  } finally {
    rmSync(scratch, { recursive: true, force: true, maxRetries: 5 })
    lock.release()
  }
}

// ——— a backup of a running server: asked through a socket in its data folder ———

/** The socket a server on the embedded database listens to in its data folder (owner only), for `backup`. */
export const controlSocketPath = (dataDir: string) => join(resolve(dataDir), 'control.sock')

/**
 * Serves backup requests from the command line while the server holds the database (PGlite allows one process
 * only). The socket file is the owner's alone (mode 600); a stale one left by a kill is replaced.
 */
export async function startControlSocket(
  database: Database,
  dataDir: string,
  onError: (error: Error) => void,
): Promise<Server | null> {
  const path = controlSocketPath(dataDir)
  if (Buffer.byteLength(path) > 100) return null // beyond the length a Unix socket path may have
  rmSync(path, { force: true })
  const server = createServer((socket) => {
    let input = ''
    socket.setEncoding('utf8')
    socket.on('data', async (chunk: string) => {
      input += chunk
      if (!input.includes('\n')) return
      try {
        const request = JSON.parse(input.slice(0, input.indexOf('\n'))) as { command?: string; file?: string }
        if (request.command !== 'backup' || typeof request.file !== 'string') throw new BackupError('unknown request')
        const manifest = await writeBackup(database, dataDir, request.file)
        socket.end(`${JSON.stringify({ ok: true, manifest })}\n`)
      } catch (error) {
        if (!(error instanceof BackupError)) onError(error as Error)
        socket.end(`${JSON.stringify({ ok: false, message: (error as Error).message })}\n`)
      }
    })
    socket.on('error', () => {})
  })
  // the socket is created without rights for anyone but the owner (no window before a chmod)
  const umask = process.umask(0o177)
  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject)
      server.listen(path, () => resolveListen())
    })
  } finally {
    process.umask(umask)
  }
  server.unref()
  return server
}

/** Asks the server holding `dataDir` to write a backup; BackupError when no server answers or it refuses. */
export function requestServerBackup(dataDir: string, file: string): Promise<Manifest> {
  return new Promise((resolveRequest, reject) => {
    const socket = connect(controlSocketPath(dataDir))
    let answer = ''
    socket.setEncoding('utf8')
    socket.on('connect', () => socket.write(`${JSON.stringify({ command: 'backup', file: resolve(file) })}\n`))
    socket.on('data', (chunk: string) => (answer += chunk))
    socket.on('error', (error) =>
      reject(
        new BackupError(
          `the server holding ${dataDir} does not answer on its control socket (${error.message}); stop it and run backup again.`,
        ),
      ),
    )
    socket.on('end', () => {
      try {
        const reply = JSON.parse(answer) as { ok: boolean; manifest?: Manifest; message?: string }
        if (reply.ok && reply.manifest) resolveRequest(reply.manifest)
        else reject(new BackupError(reply.message ?? 'the server refused the backup'))
      } catch {
        reject(new BackupError('the server gave no readable answer'))
      }
    })
  })
}
