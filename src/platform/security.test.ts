import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import pino from 'pino'
import { sql } from 'drizzle-orm'
import {
  buildTestApp,
  Client,
  createUser,
  describeEachEngine,
  linkIn,
  signIn,
  signedInClient,
} from '../../test/helpers/app.ts'
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
      await ctx.app.jobs.tick()
      const link = linkIn(ctx.mails.at(-1)!)
      const token = new URLSearchParams(link.split('?')[1]).get('token')!
      await client.get(link)
      await client.post(
        '/compte/reinitialiser',
        { token, password: 'another-secret-passphrase-43' },
        { csrfFrom: link },
      )
      const log = lines.join('')
      assert.ok(lines.length > 10, 'requests were logged')
      assert.match(log, /token=\[redacted\]/)
      for (const secret of [
        'very-secret-passphrase-42',
        'another-secret-passphrase-43',
        token,
        '$argon2id$',
        'thc_session=',
      ]) {
        assert.equal(log.includes(secret), false, `the log holds ${secret}`)
      }
    } finally {
      await ctx.close()
    }
  })

  test('a failing sign-up logs the failure, without the address, the password or its hash', async () => {
    const lines: string[] = []
    const ctx = await buildTestApp(engine, { LOG_LEVEL: 'info' }, lines)
    try {
      // the database refuses every new account, as a full disk or a broken replica would
      await ctx.database.db.execute(
        sql`create function refuse_users() returns trigger language plpgsql as $$ begin raise exception 'disk full for %', new.email; end $$`,
      )
      await ctx.database.db.execute(
        sql`create trigger refuse_users before insert on users for each row execute function refuse_users()`,
      )
      const email = 'victime.du.journal@example.org'
      const response = await new Client(ctx.app).post(
        '/inscription',
        { displayName: 'Nom Très Personnel', email, password: 'Cheval-Agrafe-Batterie-93' },
        { csrfFrom: '/inscription' },
      )
      assert.equal(response.statusCode, 500)
      const log = lines.join('')
      assert.match(log, /request failed/)
      assert.match(log, /Failed query: insert into users/, 'the query is named, for the operator')
      for (const secret of [email, 'Cheval-Agrafe-Batterie-93', '$argon2id$', 'Nom Très Personnel', 'params:'])
        assert.equal(log.includes(secret), false, `the log holds ${secret}`)
    } finally {
      await ctx.close()
    }
  })

  test('no query value reaches the log: unsubscribe links (?jeton=), searches, sign-in targets', async () => {
    const lines: string[] = []
    const ctx = await buildTestApp(engine, { LOG_LEVEL: 'info' }, lines)
    try {
      const token = ctx.app.platform.tokens.sign({
        purpose: 'unsubscribe',
        userId: '00000000-0000-4000-8000-000000000000',
        stamp: 'all',
        expiresAt: new Date(Date.now() + 86_400_000),
      })
      await ctx.app.inject({ url: `/abonnements/desinscription?jeton=${token}` })
      await ctx.app.inject({
        method: 'POST',
        url: `/abonnements/desinscription?jeton=${token}`,
        payload: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
      await ctx.app.inject({ url: '/territoires?q=Marie%20Dupont%20rue%20des%20Lilas' })
      await ctx.app.inject({ url: '/connexion?next=/compte/secret-path' })
      const log = lines.join('')
      assert.match(log, /\/abonnements\/desinscription\?jeton=\[redacted\]/)
      assert.match(log, /\/territoires\?q=\[redacted\]/)
      for (const secret of [token, token.split('.')[1]!, 'Dupont', 'secret-path'])
        assert.equal(log.includes(secret), false, `the log holds ${secret}`)
    } finally {
      await ctx.close()
    }
  })

  test('a route reading a secret query parameter must declare it; a signed-link route without one does not start', async () => {
    const { default: Fastify } = await import('fastify')
    const { assertSecretQueryDeclared, secretQueryParam } = await import('./http/kernel.tsx')
    const app = Fastify()
    app.get('/undeclared', async (req) => secretQueryParam(req, 'token'))
    app.get('/declared', { config: { secretQuery: ['token'] } }, async (req) => secretQueryParam(req, 'token'))
    assert.equal((await app.inject({ url: '/undeclared?token=x' })).statusCode, 500)
    assert.equal((await app.inject({ url: '/declared?token=x' })).body, 'x')
    await app.close()
    assert.throws(
      () => assertSecretQueryDeclared({ url: '/lien', config: { signedLink: true } }),
      /names its secret parameter/,
    )
    assert.doesNotThrow(() =>
      assertSecretQueryDeclared({ url: '/lien', config: { signedLink: true, secretQuery: ['jeton'] } }),
    )
  })
})

test('without SMTP, mail is written to the outbox folder and its links are named in the log', async () => {
  const outboxDir = mkdtempSync(join(tmpdir(), 'thc-outbox-'))
  const lines: string[] = []
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) })
  const mailer = createMailer({ smtpUrl: null, from: 'THC <no-reply@example.org>', outboxDir, log })
  await mailer.send({
    to: 'lea@example.org',
    subject: 'Confirmez votre adresse',
    text: 'Ouvrez https://thc.example.org/compte/confirmer?token=abc',
  })
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
    const mailer = createMailer({
      smtpUrl: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
      from: 'THC <no-reply@example.org>',
      outboxDir: '/nonexistent',
      log: pino({ level: 'silent' }),
    })
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
  for (const formula of [
    '-2+3+HYPERLINK("http://evil","x")',
    '+33 6 12 34 56 78',
    '@SUM(A1)',
    '\t=1+1',
    '\r=1',
    '-1e3+cmd|calc',
    '+-1',
    '=1',
  ]) {
    assert.match(csvField(formula), /^"?'/, `${JSON.stringify(formula)} is defused`)
  }
  for (const number of ['-2', '+3', '-0.5', '1e5', '-3,25', '42'])
    assert.equal(csvField(number), number.includes(',') ? `"${number}"` : number)
  assert.equal(csvField(['a', 'b']), 'a | b')
  assert.equal(csvField(null), '')
})

test('the platform re-imports its own exports as they were: the defusing apostrophe comes off', async () => {
  const { csvField } = await import('./http/csv.ts')
  const { parseCsv } = await import('./http/csv-parse.ts')
  const cells = [
    '-2+3+HYPERLINK("http://evil")',
    '=A1',
    '@moi',
    '+33 6',
    '-12',
    "'déjà une apostrophe",
    'texte ordinaire, avec virgule',
    '\tindenté',
  ]
  const line = cells.map(csvField).join(',')
  assert.deepEqual(parseCsv(`${line}\r\n`), [cells])
})
