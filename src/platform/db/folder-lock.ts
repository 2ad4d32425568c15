import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeSync,
} from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'

export class FolderLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly holderPid: number,
    detail = '',
  ) {
    super(
      `The embedded database in ${dir} is already in use by another process (pid ${holderPid}${detail}). ` +
        'Stop that process first, or point DATA_DIR to another folder. ' +
        'Two processes on one embedded database would corrupt it.',
    )
  }
}

export interface FolderLock {
  release(): void
}

/** Who holds a lock: enough to tell a live holder from a process that died and a newcomer that got its PID. */
export interface LockHolder {
  pid: number
  host: string
  /** the kernel's boot id: a PID is only meaningful within one boot */
  bootId: string | null
  /** the PID namespace (containers): a PID is only meaningful within one namespace */
  pidNamespace: string | null
  /** the process's start time in clock ticks since boot (/proc/<pid>/stat): a reused PID has another one */
  startTime: string | null
}

/** The holder refreshes the lock file's time this often; one not refreshed for HEARTBEAT_STALE_MS is abandoned. */
const HEARTBEAT_MS = 10_000
const HEARTBEAT_STALE_MS = 60_000

const heldInThisProcess = new Set<string>()

function readOrNull(read: () => string): string | null {
  try {
    return read().trim() || null
  } catch {
    return null
  }
}

/** The start time of a process (field 22 of /proc/<pid>/stat), or null where /proc is not there or the process is gone. */
export function processStartTime(pid: number): string | null {
  const stat = readOrNull(() => readFileSync(`/proc/${pid}/stat`, 'utf8'))
  if (!stat) return null
  // the command name (field 2) is in parentheses and may hold spaces: count fields after its closing one
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return fields[19] ?? null
}

/** This process as a lock holder. */
export function currentHolder(): LockHolder {
  return {
    pid: process.pid,
    host: hostname(),
    bootId: readOrNull(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8')),
    pidNamespace: readOrNull(() => readlinkSync('/proc/self/ns/pid')),
    startTime: processStartTime(process.pid),
  }
}

/** Reads a lock file: JSON since holders carry their identity; a bare PID line from older versions. */
export function parseHolder(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>
    if (typeof value.pid === 'number' && Number.isInteger(value.pid) && value.pid > 0) {
      return {
        pid: value.pid,
        host: String(value.host ?? ''),
        bootId: value.bootId ?? null,
        pidNamespace: value.pidNamespace ?? null,
        startTime: value.startTime ?? null,
      }
    }
    return null
  } catch {
    const pid = Number.parseInt(text.split('\n')[0] ?? '', 10)
    return Number.isInteger(pid) && pid > 0
      ? { pid, host: text.split('\n')[1] ?? '', bootId: null, pidNamespace: null, startTime: null }
      : null
  }
}

function pidAnswers(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export type HolderState = { alive: true; detail: string } | { alive: false }

/**
 * Whether the process a lock names still holds it. Never this process (which tracks its own locks): a restarted
 * container often gets the PID its previous run had. Within one boot and PID namespace, the PID with the same start
 * time is the holder; after a reboot of the same host, no process of the old boot lives. Where the PID cannot be
 * checked (another host or container on a shared folder), the holder counts as alive while it refreshes the file.
 */
export function holderState(holder: LockHolder, self: LockHolder, lockAgeMs: number): HolderState {
  const sameBoot = holder.bootId !== null && holder.bootId === self.bootId
  const sameNamespace = holder.pidNamespace === self.pidNamespace
  if (holder.pid === self.pid && (holder.bootId === null || (sameBoot && sameNamespace))) return { alive: false }
  if (holder.bootId === null) return pidAnswers(holder.pid) ? { alive: true, detail: '' } : { alive: false }
  if (sameBoot && sameNamespace) {
    const startTime = processStartTime(holder.pid)
    return startTime !== null && startTime === holder.startTime ? { alive: true, detail: '' } : { alive: false }
  }
  if (!sameBoot && holder.host === self.host) return { alive: false } // this machine restarted since
  if (lockAgeMs > HEARTBEAT_STALE_MS) return { alive: false }
  return {
    alive: true,
    detail: ` on ${holder.host || 'another host'}, seen ${Math.round(lockAgeMs / 1000)} s ago; taken over once it has not been refreshed for ${HEARTBEAT_STALE_MS / 1000} s`,
  }
}

/**
 * Removes a stale lock file, unless another process replaced it meanwhile with a lock of its own: the file is moved
 * aside first, and put back if it is not the one that was judged stale.
 */
function removeIfUnchanged(file: string, staleText: string): void {
  const aside = `${file}.stale-${process.pid}`
  try {
    renameSync(file, aside)
  } catch {
    return // someone else removed it first
  }
  try {
    if (readFileSync(aside, 'utf8') !== staleText) linkSync(aside, file)
  } catch {
    // a newer lock is already in place: it wins
  } finally {
    rmSync(aside, { force: true })
  }
}

/**
 * Takes an exclusive lock on a data folder, like PostgreSQL's postmaster.pid: a lock file created with O_EXCL that
 * names the holder (PID, start time, boot and PID namespace, host) and whose time the holder refreshes. PGlite
 * itself does not lock its folder, and two processes writing to it lose acknowledged rows. A lock left by a
 * process that died is taken over. Throws FolderLockedError.
 */
export function lockFolder(dir: string): FolderLock {
  mkdirSync(dir, { recursive: true })
  const file = join(dir, 'platform.lock')
  if (heldInThisProcess.has(file)) throw new FolderLockedError(dir, process.pid, ', this process')
  const self = currentHolder()
  let refusal: FolderLockedError | null = null
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600)
      writeSync(fd, `${JSON.stringify({ ...self, since: new Date().toISOString() })}\n`)
      closeSync(fd)
      heldInThisProcess.add(file)
      const heartbeat = setInterval(() => {
        try {
          const now = new Date()
          utimesSync(file, now, now)
        } catch {
          // the folder went away: the next start will say so
        }
      }, HEARTBEAT_MS)
      heartbeat.unref()
      let released = false
      return {
        release() {
          if (released) return
          released = true
          clearInterval(heartbeat)
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
      let text: string
      let ageMs: number
      try {
        text = readFileSync(file, 'utf8')
        ageMs = Date.now() - statSync(file).mtimeMs
      } catch {
        continue // vanished between open and read: try again
      }
      const holder = parseHolder(text)
      if (holder) {
        const state = holderState(holder, self, ageMs)
        if (state.alive) throw new FolderLockedError(dir, holder.pid, state.detail)
      }
      refusal = new FolderLockedError(dir, holder?.pid ?? Number.NaN)
      removeIfUnchanged(file, text)
    }
  }
  throw refusal ?? new FolderLockedError(dir, Number.NaN)
}
