import { hash, verify } from '@node-rs/argon2'

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane (~21 ms a hash on this machine).
const ARGON2ID = 2 // Algorithm.Argon2id, a const enum that verbatimModuleSyntax cannot import
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const

export const PASSWORD_MIN_LENGTH = 10
export const PASSWORD_MAX_LENGTH = 200

/** Hashes a password with argon2id; returns the PHC string. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS)
}

// A hash of a random password, verified when the account does not exist so that the answer takes as
// long as for a real account (no user enumeration by timing).
let decoy: Promise<string> | null = null

/** True when the password matches the hash; with a null hash, spends the same time and returns false. */
export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) {
    decoy ??= hashPassword('decoy-password-that-never-matches')
    await verify(await decoy, `${password}\u0000`).catch(() => false)
    return false
  }
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}
