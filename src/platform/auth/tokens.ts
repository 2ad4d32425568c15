import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto'

/** What a signed link is for; a token for one purpose is refused for another. */
export type TokenPurpose = 'confirm-email' | 'reset-password' | 'unsubscribe' | 'confirm-volunteer'

export interface TokenClaims {
  purpose: TokenPurpose
  /** the account; for 'confirm-volunteer', the volunteer's registration */
  userId: string
  /** Binds the token to the account's current state: it stops working once that state changes. */
  stamp: string
  expiresAt: Date
}

export type TokenCheck =
  | { ok: true; userId: string; stamp: string }
  | { ok: false; reason: 'malformed' | 'forged' | 'expired' | 'wrong-purpose' }

/** Short fingerprint of account state (password hash, e-mail) for token stamps. */
export function stampOf(value: string | null): string {
  return createHash('sha256')
    .update(value ?? '')
    .digest('base64url')
    .slice(0, 16)
}

/** Signs and checks expiring links. The key is derived from the session secret, for this use only. */
export class TokenSigner {
  private readonly key: Buffer
  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'thc-signed-links', 'v1', 32))
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.key).update(payload).digest()
  }

  /** Returns `payload.signature`, URL-safe. */
  sign(claims: TokenClaims): string {
    const payload = Buffer.from(
      JSON.stringify({
        p: claims.purpose,
        u: claims.userId,
        s: claims.stamp,
        e: Math.floor(claims.expiresAt.getTime() / 1000),
      }),
    ).toString('base64url')
    return `${payload}.${this.mac(payload).toString('base64url')}`
  }

  /** Checks the signature, the purpose and the expiry; the caller checks the stamp against the account. */
  verify(token: string, purpose: TokenPurpose, now = new Date()): TokenCheck {
    const [payload, signature, extra] = token.split('.')
    if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'malformed' }
    const expected = this.mac(payload)
    const given = Buffer.from(signature, 'base64url')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' }
    let claims: { p?: unknown; u?: unknown; s?: unknown; e?: unknown }
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    } catch {
      return { ok: false, reason: 'malformed' }
    }
    if (typeof claims.u !== 'string' || typeof claims.s !== 'string' || typeof claims.e !== 'number') {
      return { ok: false, reason: 'malformed' }
    }
    if (claims.p !== purpose) return { ok: false, reason: 'wrong-purpose' }
    if (claims.e * 1000 < now.getTime()) return { ok: false, reason: 'expired' }
    return { ok: true, userId: claims.u, stamp: claims.s }
  }
}
