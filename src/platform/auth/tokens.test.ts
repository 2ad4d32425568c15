import assert from 'node:assert/strict'
import { test } from 'node:test'
import { TokenSigner } from './tokens.ts'

const signer = new TokenSigner('a-secret-of-at-least-thirty-two-characters')
const claims = {
  purpose: 'reset-password' as const,
  userId: 'u1',
  stamp: 's1',
  expiresAt: new Date(Date.now() + 60_000),
}

test('a signed link verifies for its purpose until it expires', () => {
  const token = signer.sign(claims)
  assert.deepEqual(signer.verify(token, 'reset-password'), { ok: true, userId: 'u1', stamp: 's1' })
  assert.deepEqual(signer.verify(token, 'confirm-email'), { ok: false, reason: 'wrong-purpose' })
  assert.deepEqual(signer.verify(token, 'reset-password', new Date(Date.now() + 120_000)), {
    ok: false,
    reason: 'expired',
  })
})

test('a changed payload, another key or garbage is refused', () => {
  const token = signer.sign(claims)
  const [payload, signature] = token.split('.')
  const tampered = Buffer.from(JSON.stringify({ p: 'reset-password', u: 'admin', s: 's1', e: 9999999999 })).toString(
    'base64url',
  )
  assert.deepEqual(signer.verify(`${tampered}.${signature}`, 'reset-password'), { ok: false, reason: 'forged' })
  assert.deepEqual(new TokenSigner('another-secret-of-thirty-two-characters!').verify(token, 'reset-password'), {
    ok: false,
    reason: 'forged',
  })
  assert.deepEqual(signer.verify('garbage', 'reset-password'), { ok: false, reason: 'malformed' })
  assert.deepEqual(signer.verify(`${payload}.${signature}.x`, 'reset-password'), { ok: false, reason: 'malformed' })
})
