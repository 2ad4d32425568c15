import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { queryRows, type Db } from '../db/index.ts'

/**
 * Failed sign-ins slow down who makes them, without a lock that a stranger could set off on someone else's account
 * (OWASP's "device cookie" scheme). Failures are counted by address and client address together, and by address
 * alone; an address that has failed too often is slowed down for every client except the devices that signed in
 * to it before (a signed cookie), which have their own count. Known and unknown addresses are counted alike, so the
 * answers never tell whether an account exists. Delays double from 30 s up to 15 minutes; counts fade a day after
 * the last failure.
 */

const FIRST_DELAY_MS = 30_000
const LONGEST_DELAY_MS = 15 * 60_000
const FORGET_AFTER_MS = 24 * 3600_000
/** failures allowed before the delays start: from one client (or trusted device), and from all clients together */
const FREE_PER_CLIENT = 4
const FREE_PER_ADDRESS = 20

const digest = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex')

export interface ThrottleKeys {
  /** the keys this attempt counts against, with the failures each allows for free */
  keys: { key: string; free: number }[]
}

/** The delay after this many failures, when `free` are allowed. */
export function delayAfter(failures: number, free: number): number {
  if (failures <= free) return 0
  return Math.min(LONGEST_DELAY_MS, FIRST_DELAY_MS * 2 ** (failures - free - 1))
}

/** The counts an attempt on `email` from `ip` goes against; a trusted device replaces the client and the address-wide count. */
export function throttleKeys(email: string, ip: string, trustedDevice: string | null): ThrottleKeys {
  const address = email.trim().toLowerCase()
  if (trustedDevice) return { keys: [{ key: `device:${digest(address, trustedDevice)}`, free: FREE_PER_CLIENT }] }
  return {
    keys: [
      { key: `pair:${digest(address, ip)}`, free: FREE_PER_CLIENT },
      { key: `address:${digest(address)}`, free: FREE_PER_ADDRESS },
    ],
  }
}

/** Milliseconds to wait before the next attempt is even checked; 0 when it may go on. */
export async function waitBeforeAttempt(db: Db, keys: ThrottleKeys, now = new Date()): Promise<number> {
  const rows = await queryRows<{ blocked_until: Date | string | null }>(
    db,
    sql`select blocked_until from signin_throttle where key in (${sql.join(
      keys.keys.map((k) => sql`${k.key}`),
      sql`, `,
    )}) and last_failure_at > ${new Date(now.getTime() - FORGET_AFTER_MS).toISOString()}::timestamptz`,
  )
  const until = Math.max(0, ...rows.map((r) => (r.blocked_until ? new Date(r.blocked_until).getTime() : 0)))
  return Math.max(0, until - now.getTime())
}

/** Counts a failure against each key; the next attempt waits once a key is past its free failures. */
export async function recordFailure(db: Db, keys: ThrottleKeys, now = new Date()): Promise<void> {
  const forgetBefore = new Date(now.getTime() - FORGET_AFTER_MS).toISOString()
  for (const { key, free } of keys.keys) {
    const [row] = await queryRows<{ failures: number }>(
      db,
      sql`insert into signin_throttle (key, failures, last_failure_at) values (${key}, 1, ${now.toISOString()}::timestamptz)
          on conflict (key) do update set failures = case when signin_throttle.last_failure_at < ${forgetBefore}::timestamptz then 1 else signin_throttle.failures + 1 end,
            last_failure_at = excluded.last_failure_at
          returning failures`,
    )
    const delay = delayAfter(row!.failures, free)
    if (delay > 0)
      await db.execute(
        sql`update signin_throttle set blocked_until = ${new Date(now.getTime() + delay).toISOString()}::timestamptz where key = ${key}`,
      )
  }
}

/** A successful sign-in clears the counts of the client (or device) it came from. */
export async function clearFailures(db: Db, keys: ThrottleKeys): Promise<void> {
  await db.execute(
    sql`delete from signin_throttle where key in (${sql.join(
      keys.keys.filter((k) => !k.key.startsWith('address:')).map((k) => sql`${k.key}`),
      sql`, `,
    )})`,
  )
}

/** Signs and checks the cookie a device keeps once it has signed in to an address: `nonce.mac`, the mac binding the address. */
export class DeviceCookies {
  private readonly key: Buffer
  constructor(secret: string) {
    this.key = createHash('sha256').update(`thc-device-cookie:${secret}`).digest()
  }

  private mac(address: string, nonce: string): string {
    return createHmac('sha256', this.key).update(`${address.trim().toLowerCase()}\u0000${nonce}`).digest('base64url')
  }

  /** A new cookie value for this address. */
  issue(email: string): string {
    const nonce = randomBytes(16).toString('base64url')
    return `${nonce}.${this.mac(email, nonce)}`
  }

  /** The device's id when the cookie was issued for this address, else null. */
  check(value: string | undefined, email: string): string | null {
    if (!value) return null
    for (const entry of value.split(',')) {
      const [nonce, mac, extra] = entry.split('.')
      if (!nonce || !mac || extra !== undefined) continue
      const expected = Buffer.from(this.mac(email, nonce))
      const given = Buffer.from(mac)
      if (given.length === expected.length && timingSafeEqual(given, expected)) return nonce
    }
    return null
  }
}
