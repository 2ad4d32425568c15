import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.ts'
import {
  buildTestApp,
  Client,
  createUser,
  csrfTokenOf,
  describeEachEngine,
  grantTestRole,
  signedInClient,
  uniqueEmail,
  type TestApp,
} from '../../../test/helpers/app.ts'

const STRONG = 'Cheval-Agrafe-Batterie-93'

describeEachEngine('sessions, sign-in throttling and passwords', (engine) => {
  let ctx: TestApp
  before(async () => {
    ctx = await buildTestApp(engine, { SIGNIN_RATE_LIMIT: '1000' })
  })
  after(() => ctx.close())

  const sessionsOf = async (userId: string) =>
    (
      await queryRows<{ n: number }>(
        ctx.database.db,
        sql`select count(*)::int as n from user_sessions where user_id = ${userId}`,
      )
    )[0]!.n
  const cookieOf = (response: { headers: Record<string, unknown> }) =>
    /thc_session=([^;]+)/.exec(String(response.headers['set-cookie']))![1]!

  test('signing out ends the session on the server: a copy of the cookie taken before is refused after', async () => {
    const user = await createUser(ctx.database)
    const client = new Client(ctx.app)
    const token = csrfTokenOf((await client.get('/connexion')).body)!
    const signedIn = await client.request({
      method: 'POST',
      url: '/connexion',
      payload: new URLSearchParams({ email: user.email, password: user.password, _csrf: token }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    const stolen = cookieOf(signedIn)
    const withCopy = () => ctx.app.inject({ url: '/compte', headers: { cookie: `thc_session=${stolen}` } })
    assert.equal((await withCopy()).statusCode, 200, 'the copy works while the session lives')
    const [row] = await queryRows<{ token_hash: string }>(
      ctx.database.db,
      sql`select token_hash from user_sessions where user_id = ${user.id}`,
    )
    assert.match(row!.token_hash, /^[0-9a-f]{64}$/, 'only a digest of the secret is stored')
    assert.equal(stolen.includes(row!.token_hash), false)
    await client.post('/deconnexion', {}, { csrfFrom: '/compte' })
    assert.equal(await sessionsOf(user.id), 0)
    const refused = await withCopy()
    assert.equal(refused.statusCode, 303, 'signed out: sent to the sign-in page')
    assert.match(String(refused.headers.location), /^\/connexion/)
  })

  test('the account page lists the devices; one can be ended, then all of them with the password', async () => {
    const user = await createUser(ctx.database)
    const phone = await signedInClient(ctx.app, user.email, user.password)
    const laptop = new Client(ctx.app)
    const token = csrfTokenOf((await laptop.get('/connexion')).body)!
    await laptop.request({
      method: 'POST',
      url: '/connexion',
      payload: new URLSearchParams({ email: user.email, password: user.password, _csrf: token }).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0',
      },
    })
    const page = await phone.get('/compte')
    assert.match(page.body, /Appareils connectés/)
    assert.match(page.body, /Firefox, Linux/)
    assert.match(page.body, /Cet appareil/)
    const [laptopSession] = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`select id from user_sessions where user_id = ${user.id} and device = 'Firefox, Linux'`,
    )
    const ended = await phone.post(`/compte/sessions/${laptopSession!.id}/fermer`, {}, { csrfFrom: '/compte' })
    assert.equal(ended.statusCode, 303)
    assert.equal((await laptop.get('/compte')).statusCode, 303, 'the laptop is signed out')
    assert.equal((await phone.get('/compte')).statusCode, 200, 'the phone goes on')

    const other = await createUser(ctx.database)
    const intruder = await signedInClient(ctx.app, other.email, other.password)
    const notTheirs = await intruder.post(
      `/compte/sessions/${(await queryRows<{ id: string }>(ctx.database.db, sql`select id from user_sessions where user_id = ${user.id}`))[0]!.id}/fermer`,
      {},
      { csrfFrom: '/compte' },
    )
    assert.equal(notTheirs.statusCode, 303)
    assert.equal(await sessionsOf(user.id), 1, 'nobody ends another person’s session')

    const second = await signedInClient(ctx.app, user.email, user.password)
    const wrong = await phone.post(
      '/compte/sessions/fermer-toutes',
      { everywherePassword: 'pas le bon' },
      { csrfFrom: '/compte' },
    )
    assert.equal(wrong.statusCode, 422)
    assert.equal(await sessionsOf(user.id), 2)
    const all = await phone.post(
      '/compte/sessions/fermer-toutes',
      { everywherePassword: user.password },
      { csrfFrom: '/compte' },
    )
    assert.equal(all.statusCode, 200)
    assert.match(all.body, /déconnecté·e de tous vos appareils/)
    assert.equal(await sessionsOf(user.id), 0)
    assert.equal((await second.get('/compte')).statusCode, 303)
    assert.equal((await phone.get('/compte')).statusCode, 303)
  })

  test('changing the password ends every other session; this one goes on', async () => {
    const user = await createUser(ctx.database)
    const other = await signedInClient(ctx.app, user.email, user.password)
    const here = await signedInClient(ctx.app, user.email, user.password)
    const changed = await here.post(
      '/compte/mot-de-passe',
      { email: user.email, currentPassword: user.password, newPassword: STRONG },
      { csrfFrom: '/compte' },
    )
    assert.equal(changed.statusCode, 303)
    assert.equal((await here.get('/compte')).statusCode, 200)
    assert.equal((await other.get('/compte')).statusCode, 303)
    assert.equal(await sessionsOf(user.id), 1)
  })

  test('a session unused for 12 hours ends for a role holder, for 14 days for a citizen', async () => {
    const citizen = await createUser(ctx.database)
    const staff = await createUser(ctx.database)
    await grantTestRole(ctx.database, staff.id, { kind: 'commune', code: '35238' }, 'editor')
    const citizenClient = await signedInClient(ctx.app, citizen.email, citizen.password)
    const staffClient = await signedInClient(ctx.app, staff.email, staff.password)
    await ctx.database.db.execute(
      sql`update user_sessions set last_seen_at = now() - interval '13 hours' where user_id in (${citizen.id}, ${staff.id})`,
    )
    assert.equal((await citizenClient.get('/compte')).statusCode, 200)
    assert.equal((await staffClient.get('/compte')).statusCode, 303)
    await ctx.database.db.execute(
      sql`update user_sessions set last_seen_at = now() - interval '15 days' where user_id = ${citizen.id}`,
    )
    assert.equal((await citizenClient.get('/compte')).statusCode, 303)
    const citizenAgain = await signedInClient(ctx.app, citizen.email, citizen.password)
    assert.equal((await citizenAgain.get('/compte')).statusCode, 200)
    await ctx.database.db.execute(
      sql`update user_sessions set created_at = now() - interval '31 days' where user_id = ${citizen.id}`,
    )
    assert.equal(
      (await citizenAgain.get('/compte')).statusCode,
      303,
      '30 days after it began, even a used session ends',
    )
    assert.equal(await sessionsOf(citizen.id), 0)
  })

  test('known and unknown addresses get the same answers, failure after failure; a device that signed in before is not slowed down by a stranger', async () => {
    const user = await createUser(ctx.database)
    const statuses = async (email: string, password: string, ip: string, client = new Client(ctx.app)) => {
      const out: number[] = []
      for (let i = 0; i < 6; i++) {
        const token = csrfTokenOf((await client.get('/connexion')).body)!
        const response = await client.request({
          method: 'POST',
          url: '/connexion',
          remoteAddress: ip,
          payload: new URLSearchParams({ email, password, _csrf: token }).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
        out.push(response.statusCode)
      }
      return out
    }
    assert.deepEqual(await statuses(user.email, 'wrong', '10.2.0.1'), [401, 401, 401, 401, 401, 429])
    assert.deepEqual(
      await statuses(uniqueEmail('nobody'), 'wrong', '10.2.0.1'),
      [401, 401, 401, 401, 401, 429],
      'an unknown address behaves the same',
    )

    // the owner signed in from this device before; then strangers hammer the address from many clients
    const device = new Client(ctx.app)
    const token = csrfTokenOf((await device.get('/connexion')).body)!
    const first = await device.request({
      method: 'POST',
      url: '/connexion',
      remoteAddress: '10.3.0.1',
      payload: new URLSearchParams({ email: user.email, password: user.password, _csrf: token }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    assert.equal(first.statusCode, 303)
    assert.match(String(first.headers['set-cookie']), /thc_device=/)
    await device.post('/deconnexion', {}, { csrfFrom: '/compte' })
    for (let i = 0; i < 5; i++) await statuses(user.email, 'guess', `10.4.0.${i}`)
    const fromNewClient = await statuses(user.email, user.password, '10.5.0.1')
    assert.equal(fromNewClient[0], 429, 'past 20 failures from all clients, an unknown client waits too')
    const token2 = csrfTokenOf((await device.get('/connexion')).body)!
    const owner = await device.request({
      method: 'POST',
      url: '/connexion',
      remoteAddress: '10.3.0.9',
      payload: new URLSearchParams({ email: user.email, password: user.password, _csrf: token2 }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    assert.equal(owner.statusCode, 303, 'the owner’s own device still signs in')
    const [stored] = await queryRows<{ keys: string }>(
      ctx.database.db,
      sql`select string_agg(key, ' ') as keys from signin_throttle`,
    )
    assert.equal(stored!.keys.includes(user.email), false, 'no address is kept in clear')
  })

  test('sign-up and reset do the same work for a known and an unknown address: one queued mail, none sent in the request', async () => {
    const existing = await createUser(ctx.database)
    const jobs = async () =>
      (
        await queryRows<{ n: number }>(
          ctx.database.db,
          sql`select count(*)::int as n from jobs where kind = 'account.mail' and done_at is null`,
        )
      )[0]!.n
    await ctx.app.jobs.tick()
    const pages: string[] = []
    for (const email of [existing.email, uniqueEmail('new')]) {
      const mailsBefore = ctx.mails.length
      const jobsBefore = await jobs()
      const client = new Client(ctx.app)
      const signup = await client.post('/inscription', { displayName: 'Quelqu’un', email, password: STRONG })
      assert.equal(signup.statusCode, 200)
      pages.push(signup.body.replace(/name="_csrf" value="[^"]+"/g, ''))
      const reset = await client.post('/compte/mot-de-passe-oublie', { email })
      assert.equal(reset.statusCode, 200)
      assert.equal(ctx.mails.length, mailsBefore, 'nothing is mailed during the request')
      assert.equal(await jobs(), jobsBefore + 2, 'one mail queued by each form')
    }
    assert.equal(pages[0], pages[1], 'the same page for both')
    const unknown = uniqueEmail('ghost')
    await new Client(ctx.app).post('/compte/mot-de-passe-oublie', { email: unknown })
    await ctx.app.jobs.tick()
    assert.equal(
      ctx.mails.some((m) => m.to === unknown),
      false,
      'no mail goes to an address without an account',
    )
    assert.ok(ctx.mails.some((m) => m.to === existing.email && /Tentative de création de compte/.test(m.subject)))
  })

  test('common and guessable passwords are refused, saying why, in French and English', async () => {
    const cases: [string, RegExp, RegExp][] = [
      ['aaaaaaaaaa', /caractères ou des mots répétés/, /Repeated characters/],
      ['password12', /fait partie des plus utilisés/, /one of the most used/],
      ['azertyuiop', /touches voisines du clavier/, /row of neighbouring keys/],
      ['123456789012', /plus utilisés|suite comme/, /most used|sequence like/],
    ]
    for (const [password, french, english] of cases) {
      const fr = await new Client(ctx.app).post('/inscription', {
        displayName: 'Essai',
        email: uniqueEmail(),
        password,
      })
      assert.equal(fr.statusCode, 422, password)
      assert.match(fr.body, french, password)
      const enClient = new Client(ctx.app)
      await enClient.get('/langue/en?next=/')
      const en = await enClient.post('/inscription', { displayName: 'Essai', email: uniqueEmail(), password })
      assert.equal(en.statusCode, 422)
      assert.match(en.body, english, password)
    }
    const email = uniqueEmail('marguerite')
    const personal = await new Client(ctx.app).post('/inscription', {
      displayName: 'Marguerite Duras',
      email,
      password: 'margueriteduras',
    })
    assert.equal(personal.statusCode, 422)
    const fine = await new Client(ctx.app).post('/inscription', {
      displayName: 'Essai',
      email: uniqueEmail(),
      password: STRONG,
    })
    assert.equal(fine.statusCode, 200)
  })
})
