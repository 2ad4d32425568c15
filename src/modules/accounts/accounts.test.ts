import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.ts'
import { TokenSigner } from '../../platform/auth/tokens.ts'
import {
  buildTestApp,
  Client,
  createUser,
  csrfTokenOf,
  describeEachEngine,
  linkIn,
  signIn,
  uniqueEmail,
  signedInClient,
  type TestApp,
} from '../../../test/helpers/app.ts'

const PASSWORD = 'une phrase de passe solide'

async function userRow(ctx: TestApp, email: string) {
  const [row] = await queryRows<{
    id: string
    email_confirmed_at: Date | null
    password_hash: string | null
    deleted_at: Date | null
    display_name: string | null
    email: string | null
  }>(
    ctx.database.db,
    sql`select id, email, display_name, email_confirmed_at, password_hash, deleted_at from users where email = ${email}`,
  )
  return row
}

async function countRows(ctx: TestApp, table: 'users' | 'territory_roles' | 'audit_events' | 'territory_profiles') {
  const [row] = await queryRows<{ n: number }>(
    ctx.database.db,
    sql`select count(*)::int as n from ${sql.identifier(table)}`,
  )
  return row!.n
}

/** A form body with the CSRF token of the sign-in page, for requests that set their own client address. */
async function formOf(client: Client, fields: Record<string, string>) {
  const token = csrfTokenOf((await client.get('/connexion')).body)!
  return {
    payload: new URLSearchParams({ ...fields, _csrf: token }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  }
}

describeEachEngine('accounts', (engine) => {
  let ctx: TestApp
  before(async () => {
    ctx = await buildTestApp(engine, { SIGNIN_RATE_LIMIT: '1000' })
  })
  after(async () => {
    await ctx.close()
  })

  test('a person signs up, confirms the address from the mail, signs in and sees the account page', async () => {
    const client = new Client(ctx.app)
    const email = uniqueEmail('signup')
    const signup = await client.post('/inscription', {
      displayName: 'Léa Martin',
      email: email.toUpperCase(),
      password: PASSWORD,
    })
    assert.equal(signup.statusCode, 200)
    assert.match(signup.body, /un courriel vient d’y être envoyé/)
    const row = await userRow(ctx, email)
    assert.ok(row, 'the account is stored with its address lower-cased')
    assert.equal(row.email_confirmed_at, null)
    assert.match(row.password_hash!, /^\$argon2id\$/)
    await ctx.app.jobs.tick() // account mails are queued, then sent by the worker

    // not confirmed yet: sign-in refused, and a fresh link is sent
    const early = await client.post('/connexion', { email, password: PASSWORD }, { csrfFrom: '/connexion' })
    assert.equal(early.statusCode, 403)
    assert.match(early.body, /pas encore confirmée/)
    await ctx.app.jobs.tick()

    const mail = ctx.mails.filter((m) => m.to === email).at(-1)!
    assert.match(mail.subject, /Confirmez/)
    const confirm = await client.get(linkIn(mail))
    assert.equal(confirm.statusCode, 200)
    assert.match(confirm.body, /Votre adresse est confirmée/)
    assert.notEqual((await userRow(ctx, email))!.email_confirmed_at, null)
    const again = await client.get(linkIn(mail))
    assert.match(again.body, /déjà confirmée/)

    const signin = await signIn(client, email, PASSWORD)
    assert.equal(signin.headers.location, '/compte')
    const cookie = String(signin.headers['set-cookie'])
    assert.match(cookie, /HttpOnly/i)
    assert.match(cookie, /SameSite=Lax/i)
    const account = await client.get('/compte')
    assert.equal(account.statusCode, 200)
    assert.match(account.body, /Léa Martin/)
    assert.match(account.body, new RegExp(email))
    assert.match(account.body, /Vous êtes connecté·e/)

    const [audit] = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from audit_events where subject_id = ${row.id} and action in ('account.created', 'account.email_confirmed', 'account.signed_in')`,
    )
    assert.equal(audit!.n, 3)
  })

  test('signing up with an address that has an account answers the same and mails its owner', async () => {
    const existing = await createUser(ctx.database)
    const before = await countRows(ctx, 'users')
    const response = await new Client(ctx.app).post('/inscription', {
      displayName: 'Intrus',
      email: existing.email,
      password: PASSWORD,
    })
    assert.equal(response.statusCode, 200)
    assert.match(response.body, /un courriel vient d’y être envoyé/)
    assert.equal(await countRows(ctx, 'users'), before)
    await ctx.app.jobs.tick()
    assert.match(ctx.mails.at(-1)!.subject, /Tentative de création de compte/)
  })

  test('returns 422 with each field error and the values typed when the sign-up form is invalid', async () => {
    const before = await countRows(ctx, 'users')
    const response = await new Client(ctx.app).post('/inscription', {
      displayName: '',
      email: 'not-an-address',
      password: 'short',
    })
    assert.equal(response.statusCode, 422)
    assert.match(response.body, /Le formulaire contient 3 erreur/)
    assert.match(response.body, /adresse électronique valide/)
    assert.match(response.body, /au moins 10 caractères/)
    assert.match(response.body, /value="not-an-address"/)
    assert.equal(await countRows(ctx, 'users'), before)
  })

  test('returns 401 and a generic message for a wrong password; after five failures that client waits, the account stays open to others', async () => {
    const user = await createUser(ctx.database)
    const client = new Client(ctx.app)
    const from = (remoteAddress: string) => ({ remoteAddress })
    for (let i = 0; i < 5; i++) {
      const response = await client.request({
        method: 'POST',
        url: '/connexion',
        ...from('10.1.0.1'),
        ...(await formOf(client, { email: user.email, password: 'wrong password!' })),
      })
      assert.equal(response.statusCode, 401)
      assert.match(response.body, /Adresse électronique ou mot de passe incorrect/)
    }
    const slowed = await client.request({
      method: 'POST',
      url: '/connexion',
      ...from('10.1.0.1'),
      ...(await formOf(client, { email: user.email, password: user.password })),
    })
    assert.equal(slowed.statusCode, 429, 'even the right password waits: the delay is not an oracle')
    assert.match(slowed.body, /Trop d’essais infructueux .* réessayez dans 30 secondes/)
    assert.equal(slowed.headers['retry-after'], '30')
    const elsewhere = new Client(ctx.app)
    const owner = await elsewhere.request({
      method: 'POST',
      url: '/connexion',
      ...from('10.1.0.2'),
      ...(await formOf(elsewhere, { email: user.email, password: user.password })),
    })
    assert.equal(owner.statusCode, 303, 'the owner, from another client, is not locked out by a stranger')
  })

  test('returns 401 for an unknown address, with the same message', async () => {
    const response = await new Client(ctx.app).post(
      '/connexion',
      { email: uniqueEmail('nobody'), password: PASSWORD },
      { csrfFrom: '/connexion' },
    )
    assert.equal(response.statusCode, 401)
    assert.match(response.body, /Adresse électronique ou mot de passe incorrect/)
  })

  test('returns 403 and changes nothing when a form is posted without its CSRF token or with a forged one', async () => {
    const before = await countRows(ctx, 'users')
    const client = new Client(ctx.app)
    const missing = await client.post(
      '/inscription',
      { displayName: 'Sans jeton', email: uniqueEmail(), password: PASSWORD },
      { csrf: null },
    )
    assert.equal(missing.statusCode, 403)
    assert.match(missing.body, /Le formulaire a expiré/)
    await client.get('/inscription')
    const forged = await client.post(
      '/inscription',
      { displayName: 'Faux jeton', email: uniqueEmail(), password: PASSWORD },
      { csrf: 'forged-token' },
    )
    assert.equal(forged.statusCode, 403)
    assert.equal(await countRows(ctx, 'users'), before)
  })

  test('answers malformed bodies with a readable 4xx, never a 500', async () => {
    const client = new Client(ctx.app)
    const json = await client.request({
      method: 'POST',
      url: '/connexion',
      payload: '{"email":',
      headers: { 'content-type': 'application/json' },
    })
    assert.ok(json.statusCode >= 400 && json.statusCode < 500, `got ${json.statusCode}`)
    const unknownType = await client.request({
      method: 'POST',
      url: '/connexion',
      payload: 'x',
      headers: { 'content-type': 'application/x-thing' },
    })
    assert.equal(unknownType.statusCode, 415)
    assert.match(unknownType.body, /Ce type d’envoi n’est pas accepté/)
    const huge = await client.request({
      method: 'POST',
      url: '/inscription',
      payload: 'a='.padEnd(300_000, 'x'),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    assert.equal(huge.statusCode, 413)
    const badApi = await client.get('/api/v1/territories?page=abc')
    assert.equal(badApi.statusCode, 400)
    assert.equal(JSON.parse(badApi.body).error.code, 'BAD_REQUEST')
  })

  test('resets a forgotten password through a one-time link, and ends other sessions', async () => {
    const user = await createUser(ctx.database)
    const other = await signedInClient(ctx.app, user.email, user.password)
    assert.equal((await other.get('/compte')).statusCode, 200)

    const client = new Client(ctx.app)
    const asked = await client.post('/compte/mot-de-passe-oublie', { email: user.email })
    assert.equal(asked.statusCode, 200)
    assert.match(asked.body, /Si un compte existe/)
    await ctx.app.jobs.tick()
    const mail = ctx.mails.at(-1)!
    assert.equal(mail.to, user.email)
    const link = linkIn(mail)
    assert.match(link, /^\/compte\/reinitialiser\?token=/)
    const form = await client.get(link)
    assert.equal(form.statusCode, 200)
    const token = new URLSearchParams(link.split('?')[1]).get('token')!

    const tooShort = await client.post('/compte/reinitialiser', { token, password: 'court' }, { csrfFrom: link })
    assert.equal(tooShort.statusCode, 422)
    const done = await client.post(
      '/compte/reinitialiser',
      { token, password: 'un tout nouveau mot de passe' },
      { csrfFrom: link },
    )
    assert.equal(done.statusCode, 200)
    assert.match(done.body, /mot de passe a été changé/)

    const reused = await client.post(
      '/compte/reinitialiser',
      { token, password: 'encore un autre mot de passe' },
      { csrfFrom: '/connexion' },
    )
    assert.equal(reused.statusCode, 400)
    assert.match(reused.body, /déjà servi/)
    assert.equal((await other.get('/compte')).statusCode, 303, 'the other session has ended')
    await signIn(client, user.email, 'un tout nouveau mot de passe')
  })

  test('refuses expired and forged links with a clear message and changes nothing', async () => {
    const user = await createUser(ctx.database)
    const before = await userRow(ctx, user.email)
    const signer = new TokenSigner(ctx.config.sessionSecret)
    const expired = signer.sign({
      purpose: 'reset-password',
      userId: before!.id,
      stamp: 'x',
      expiresAt: new Date(Date.now() - 1000),
    })
    const expiredPage = await new Client(ctx.app).get(`/compte/reinitialiser?token=${expired}`)
    assert.equal(expiredPage.statusCode, 400)
    assert.match(expiredPage.body, /Ce lien a expiré/)

    const otherKey = new TokenSigner('another-secret-another-secret-another-secret').sign({
      purpose: 'reset-password',
      userId: before!.id,
      stamp: 'x',
      expiresAt: new Date(Date.now() + 60_000),
    })
    const client = new Client(ctx.app)
    const forged = await client.post(
      '/compte/reinitialiser',
      { token: otherKey, password: 'un mot de passe pirate' },
      { csrfFrom: '/connexion' },
    )
    assert.equal(forged.statusCode, 400)
    assert.match(forged.body, /Ce lien n’est pas valide/)
    const confirmForged = await client.get(`/compte/confirmer?token=${otherKey}`)
    assert.equal(confirmForged.statusCode, 400)
    const wrongPurpose = signer.sign({
      purpose: 'confirm-email',
      userId: before!.id,
      stamp: 'x',
      expiresAt: new Date(Date.now() + 60_000),
    })
    assert.equal((await client.get(`/compte/reinitialiser?token=${wrongPurpose}`)).statusCode, 400)
    assert.equal((await userRow(ctx, user.email))!.password_hash, before!.password_hash)
  })

  test('rate-limits sign-in attempts from one address with 429', async () => {
    const limited = await buildTestApp(engine, { SIGNIN_RATE_LIMIT: '3' })
    try {
      const client = new Client(limited.app)
      const token = (await client.get('/connexion')).body.match(/name="_csrf" value="([^"]+)"/)![1]!
      const statuses: number[] = []
      for (let i = 0; i < 5; i++)
        statuses.push(
          (await client.post('/connexion', { email: 'a@example.org', password: 'x' }, { csrf: token })).statusCode,
        )
      assert.deepEqual(statuses, [401, 401, 401, 429, 429])
      const last = await client.post('/connexion', { email: 'a@example.org', password: 'x' }, { csrf: token })
      assert.match(last.body, /Trop de tentatives/)
    } finally {
      await limited.close()
    }
  })

  test('signs out with a POST and the session cookie is cleared', async () => {
    const user = await createUser(ctx.database)
    const client = await signedInClient(ctx.app, user.email, user.password)
    const out = await client.post('/deconnexion', {}, { csrfFrom: '/compte' })
    assert.equal(out.statusCode, 303)
    assert.equal((await client.get('/compte')).statusCode, 303)
  })

  test('updates the profile and changes the password from the account page', async () => {
    const user = await createUser(ctx.database)
    const client = await signedInClient(ctx.app, user.email, user.password)
    const saved = await client.post(
      '/compte/profil',
      { displayName: 'Nouveau Nom', locale: 'en' },
      { csrfFrom: '/compte' },
    )
    assert.equal(saved.statusCode, 303)
    const page = await client.get('/compte')
    assert.match(page.body, /Nouveau Nom/)
    assert.match(page.body, /<html lang="en"/)
    const wrong = await client.post(
      '/compte/mot-de-passe',
      { currentPassword: 'not it at all', newPassword: 'a brand new passphrase' },
      { csrfFrom: '/compte' },
    )
    assert.equal(wrong.statusCode, 422)
    assert.match(wrong.body, /current password is wrong/)
    const changed = await client.post(
      '/compte/mot-de-passe',
      { currentPassword: user.password, newPassword: 'a brand new passphrase' },
      { csrfFrom: '/compte' },
    )
    assert.equal(changed.statusCode, 303)
    assert.equal((await client.get('/compte')).statusCode, 200, 'this session goes on')
  })

  test('deletes an account: personal data erased, roles removed, public name becomes "compte supprimé"', async () => {
    const user = await createUser(ctx.database, { displayName: 'À Effacer' })
    await ctx.database.db.execute(
      sql`insert into territory_roles (territory_id, user_id, role) select id, ${user.id}, 'elected' from territories where kind = 'commune' and code = '35238'`,
    )
    const client = await signedInClient(ctx.app, user.email, user.password)
    const refused = await client.post('/compte/supprimer', { confirmation: 'oui' }, { csrfFrom: '/compte' })
    assert.equal(refused.statusCode, 422)
    assert.ok(await userRow(ctx, user.email), 'nothing deleted without the confirmation word')

    const deleted = await client.post('/compte/supprimer', { confirmation: 'SUPPRIMER' }, { csrfFrom: '/compte' })
    assert.equal(deleted.statusCode, 200)
    assert.match(deleted.body, /données personnelles effacées/)
    const [row] = await queryRows<{
      email: string | null
      display_name: string | null
      password_hash: string | null
      deleted_at: Date | null
    }>(ctx.database.db, sql`select email, display_name, password_hash, deleted_at from users where id = ${user.id}`)
    assert.deepEqual(
      { ...row, deleted_at: row!.deleted_at !== null },
      { email: null, display_name: null, password_hash: null, deleted_at: true },
    )
    const [roles] = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from territory_roles where user_id = ${user.id}`,
    )
    assert.equal(roles!.n, 0)
    const page = await new Client(ctx.app).get('/territoires/commune/35238')
    assert.doesNotMatch(page.body, /À Effacer/)
    const { publicName } = await import('./service.ts')
    assert.equal(publicName({ displayName: null, deletedAt: new Date() }), 'compte supprimé')
    assert.equal((await client.get('/compte')).statusCode, 303)
    const again = await new Client(ctx.app).post(
      '/connexion',
      { email: user.email, password: user.password },
      { csrfFrom: '/connexion' },
    )
    assert.equal(again.statusCode, 401)
  })
})
