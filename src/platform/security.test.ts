import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import pino from 'pino'
import { buildTestApp, Client, createUser, describeEachEngine, linkIn, signIn, signedInClient } from '../../test/helpers/app.ts'
import { createMailer } from './mail.ts'

describeEachEngine('security of sessions and logs', (engine) => {
  test('the session cookie is Secure when the platform is served over HTTPS', async () => {
    const ctx = await buildTestApp(engine, { BASE_URL: 'https://thc.example.org' })
    try {
      const user = await createUser(ctx.database)
      const response = await signIn(new Client(ctx.app), user.email, user.password)
      assert.match(String(response.headers['set-cookie']), /; Secure/i)
      const home = await ctx.app.inject({ url: '/' })
      assert.match(String(home.headers['strict-transport-security']), /max-age=/)
    } finally {
      await ctx.close()
    }
  })

  test('the log never holds a password, a password hash, a session cookie or a signed link’s token', async () => {
    const lines: string[] = []
    const ctx = await buildTestApp(engine, { LOG_LEVEL: 'trace' }, lines)
    try {
      const user = await createUser(ctx.database, { password: 'very-secret-passphrase-42' })
      const client = await signedInClient(ctx.app, user.email, user.password)
      await client.post('/compte/mot-de-passe-oublie', { email: user.email })
      const link = linkIn(ctx.mails.at(-1)!)
      const token = new URLSearchParams(link.split('?')[1]).get('token')!
      await client.get(link)
      await client.post('/compte/reinitialiser', { token, password: 'another-secret-passphrase-43' }, { csrfFrom: link })
      const log = lines.join('')
      assert.ok(lines.length > 10, 'requests were logged')
      assert.match(log, /token=\[redacted\]/)
      for (const secret of ['very-secret-passphrase-42', 'another-secret-passphrase-43', token, '$argon2id$', 'thc_session=']) {
        assert.equal(log.includes(secret), false, `the log holds ${secret}`)
      }
    } finally {
      await ctx.close()
    }
  })
})

test('without SMTP, mail is written to the outbox folder and its links are named in the log', async () => {
  const outboxDir = mkdtempSync(join(tmpdir(), 'thc-outbox-'))
  const lines: string[] = []
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) })
  const mailer = createMailer({ smtpUrl: null, from: 'THC <no-reply@example.org>', outboxDir, log })
  await mailer.send({ to: 'lea@example.org', subject: 'Confirmez votre adresse', text: 'Ouvrez https://thc.example.org/compte/confirmer?token=abc' })
  const files = readdirSync(outboxDir)
  assert.equal(files.length, 1)
  assert.match(files[0]!, /\.eml$/)
  const eml = readFileSync(join(outboxDir, files[0]!), 'utf8')
  assert.match(eml, /^To: lea@example\.org$/m)
  assert.match(eml, /^Subject: Confirmez votre adresse$/m)
  assert.match(eml, /compte\/confirmer\?token=abc/)
  assert.match(lines.join(''), /"links":\["https:\/\/thc\.example\.org\/compte\/confirmer\?token=abc"\]/)
})

test('with SMTP_URL, mail goes to the SMTP server', async () => {
  const { SMTPServer } = await import('smtp-server')
  const received: string[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      let data = ''
      stream.on('data', (chunk: Buffer) => (data += chunk.toString()))
      stream.on('end', () => {
        received.push(data)
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  try {
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}?ignoreTLS=true`, from: 'THC <no-reply@example.org>', outboxDir: '/nonexistent', log: pino({ level: 'silent' }) })
    assert.equal(mailer.target, 'smtp')
    await mailer.send({ to: 'sam@example.org', subject: 'Réinitialisation', text: 'Lien : https://thc.example.org/x' })
    assert.equal(received.length, 1)
    assert.match(received[0]!, /^To: sam@example\.org/m)
    assert.match(received[0]!, /Lien : https:\/\/thc\.example\.org\/x/)
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
})

test('CSV fields are quoted when needed and never start a spreadsheet formula', async () => {
  const { csvField } = await import('./http/csv.ts')
  assert.equal(csvField('simple'), 'simple')
  assert.equal(csvField('a, "b"'), '"a, ""b"""')
  assert.equal(csvField('ligne 1\nligne 2'), '"ligne 1\nligne 2"')
  assert.equal(csvField('=HYPERLINK("http://evil")'), `"'=HYPERLINK(""http://evil"")"`)
  assert.equal(csvField('-12.5'), '-12.5', 'a negative number stays a number')
  assert.equal(csvField(['a', 'b']), 'a | b')
  assert.equal(csvField(null), '')
})
