import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'

export class FolderLockedError extends Error {
  constructor(readonly dir: string, readonly holderPid: number) {
    super(
      `The embedded database in ${dir} is already in use by another process (pid ${holderPid}). ` +
        'Stop that process first, or point DATA_DIR to another folder. ' +
        'Two processes on one embedded database would corrupt it.',
    )
  }
}

export interface FolderLock {
  release(): void
}

const heldInThisProcess = new Set<string>()

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes an exclusive lock on a data folder, like PostgreSQL's postmaster.pid: a lock file created with
 * O_EXCL that names the holder. PGlite itself does not lock its folder, and two processes writing to it
 * lose acknowledged rows. A lock left by a dead process is taken over. Throws FolderLockedError.
 */
export function lockFolder(dir: string): FolderLock {
  mkdirSync(dir, { recursive: true })
  const file = join(dir, 'platform.lock')
  if (heldInThisProcess.has(file)) throw new FolderLockedError(dir, process.pid)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600)
      writeSync(fd, `${process.pid}\n${hostname()}\n${new Date().toISOString()}\n`)
      closeSync(fd)
      heldInThisProcess.add(file)
      let released = false
      return {
        release() {
          if (released) return
          released = true
          heldInThisProcess.delete(file)
          try {
            unlinkSync(file)
          } catch {
            // already gone: nothing to release
          }
        },
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      let holder = Number.NaN
      try {
        holder = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0] ?? '', 10)
      } catch {
        // vanished between open and read: try again
      }
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) throw new FolderLockedError(dir, holder)
      try {
        unlinkSync(file) // stale lock of a process that died
      } catch {
        // someone else removed it first
      }
    }
  }
  throw new FolderLockedError(dir, Number.NaN)
}
