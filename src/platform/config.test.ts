import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { ConfigError, loadConfig } from './config.ts'

const tmp = () => mkdtempSync(join(tmpdir(), 'thc-config-'))

test('defaults to port 3000, ./data, the embedded database and demo data', () => {
  const dir = tmp()
  const config = loadConfig({ DATA_DIR: dir })
  assert.equal(config.port, 3000)
  assert.equal(config.databaseUrl, null)
  assert.equal(config.baseUrl.toString(), 'http://localhost:3000/')
  assert.equal(config.demoData, true)
})

test('generates a session secret once in embedded mode and keeps it private in DATA_DIR', () => {
  const dir = tmp()
  const first = loadConfig({ DATA_DIR: dir }).sessionSecret
  assert.ok(first.length >= 32)
  assert.equal(loadConfig({ DATA_DIR: dir }).sessionSecret, first)
  assert.equal(readFileSync(join(dir, 'session-secret'), 'utf8').trim(), first)
  assert.equal(statSync(join(dir, 'session-secret')).mode & 0o777, 0o600)
})

test('a server database turns demo data off by default and requires SESSION_SECRET', () => {
  assert.throws(
    () => loadConfig({ DATA_DIR: tmp(), DATABASE_URL: 'postgres://u@localhost/db' }),
    /SESSION_SECRET must be set/,
  )
  const config = loadConfig({
    DATA_DIR: tmp(),
    DATABASE_URL: 'postgres://u@localhost/db',
    SESSION_SECRET: 'x'.repeat(32),
  })
  assert.equal(config.demoData, false)
})

test('a bad value stops the start with a message naming the variable', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: 'abc' }, /^Invalid configuration: PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgres:\/\//],
    [{ BASE_URL: 'localhost:3000' }, /BASE_URL/],
    [{ BASE_URL: 'https://x.example/app' }, /BASE_URL must be an origin/],
    [{ SESSION_SECRET: 'short' }, /SESSION_SECRET must be at least 32/],
    [{ SMTP_URL: 'http://mail' }, /SMTP_URL/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ DEMO_DATA: 'maybe' }, /DEMO_DATA must be true or false/],
    [{ TRUST_PROXY: '2' }, /TRUST_PROXY/],
  ]
  for (const [env, message] of cases) {
    assert.throws(
      () => loadConfig({ DATA_DIR: tmp(), ...env }),
      (error: unknown) => error instanceof ConfigError && message.test(error.message),
      JSON.stringify(env),
    )
  }
})

test('cookies are Secure when the platform is served over HTTPS', () => {
  const config = loadConfig({ DATA_DIR: tmp(), BASE_URL: 'https://thc.example.org' })
  assert.equal(config.baseUrl.protocol, 'https:')
})
