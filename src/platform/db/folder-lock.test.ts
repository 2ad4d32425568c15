import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { currentHolder, FolderLockedError, lockFolder, processStartTime, type LockHolder } from './folder-lock.ts'

const folder = () => mkdtempSync(join(tmpdir(), 'thc-lock-'))
const writeLock = (dir: string, holder: Partial<LockHolder> & { pid: number }, ageSeconds = 0) => {
  const file = join(dir, 'platform.lock')
  writeFileSync(file, JSON.stringify({ ...currentHolder(), ...holder }))
  const at = new Date(Date.now() - ageSeconds * 1000)
  utimesSync(file, at, at)
}

test('a lock naming this very PID is taken over: a restarted container gets its old PID back', () => {
  const dir = folder()
  // what a previous run with the same PID left, in the old one-line format and in the new one
  writeFileSync(join(dir, 'platform.lock'), `${process.pid}\nhost\n2026-01-01T00:00:00Z\n`)
  const first = lockFolder(dir)
  first.release()
  writeLock(dir, { pid: process.pid, startTime: '1' })
  const second = lockFolder(dir)
  assert.equal(JSON.parse(readFileSync(join(dir, 'platform.lock'), 'utf8')).pid, process.pid)
  second.release()
  assert.equal(existsSync(join(dir, 'platform.lock')), false, 'released on close')
  rmSync(dir, { recursive: true })
})

test('a live process with the recorded start time holds the lock; the same PID with another start time does not', async (t) => {
  const dir = folder()
  const other = spawn('sleep', ['30'])
  t.after(() => other.kill())
  await new Promise((resolve) => other.once('spawn', resolve))
  const startTime = processStartTime(other.pid!)
  assert.ok(startTime, '/proc gives the start time')
  writeLock(dir, { pid: other.pid!, startTime })
  assert.throws(
    () => lockFolder(dir),
    (error: unknown) =>
      error instanceof FolderLockedError &&
      error.holderPid === other.pid &&
      /already in use by another process/.test(error.message),
  )
  writeLock(dir, { pid: other.pid!, startTime: String(Number(startTime) - 1000) })
  lockFolder(dir).release()
  rmSync(dir, { recursive: true })
})

test('a holder that died, or ran before this machine restarted, is taken over', () => {
  const dir = folder()
  writeLock(dir, { pid: 999_999_999 })
  lockFolder(dir).release()
  writeLock(dir, { pid: 1, bootId: 'an-earlier-boot' })
  lockFolder(dir).release()
  rmSync(dir, { recursive: true })
})

test('a holder on another host or container is trusted while it refreshes the lock, then taken over', () => {
  const dir = folder()
  writeLock(dir, { pid: 4242, host: 'other-host', bootId: 'other-boot' }, 5)
  assert.throws(() => lockFolder(dir), /pid 4242 on other-host, seen 5 s ago/)
  writeLock(dir, { pid: 4242, host: 'other-host', pidNamespace: 'pid:[1]' }, 5)
  assert.throws(() => lockFolder(dir), /pid 4242 on other-host/)
  writeLock(dir, { pid: 4242, host: 'other-host', bootId: 'other-boot' }, 90)
  lockFolder(dir).release()
  rmSync(dir, { recursive: true })
})

test('this process cannot take its own lock twice, and an unreadable lock file is replaced', () => {
  const dir = folder()
  const lock = lockFolder(dir)
  assert.throws(() => lockFolder(dir), FolderLockedError)
  lock.release()
  writeFileSync(join(dir, 'platform.lock'), '')
  lockFolder(dir).release()
  rmSync(dir, { recursive: true })
})
