import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

/**
 * Seals small values with AES-256-GCM under a key derived from the session secret for one purpose (so the sealed
 * value is unreadable to whoever reads the database without the server's secret). `context` is authenticated with
 * it: a value sealed for one subject does not open for another.
 */
export class Sealer {
  private readonly key: Buffer
  constructor(secret: string, purpose: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, `thc-sealing:${purpose}`, 'v1', 32))
  }

  /** iv (12 bytes) · tag (16 bytes) · ciphertext. */
  seal(plaintext: Buffer, context: string): Buffer {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    cipher.setAAD(Buffer.from(context))
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
    return Buffer.concat([iv, cipher.getAuthTag(), body])
  }

  /** The plaintext, or null when the value was altered, sealed under another key or for another context. */
  open(sealed: Buffer, context: string): Buffer | null {
    if (sealed.length < 28) return null
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, 12))
      decipher.setAAD(Buffer.from(context))
      decipher.setAuthTag(sealed.subarray(12, 28))
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()])
    } catch {
      return null
    }
  }
}
