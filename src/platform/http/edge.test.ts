import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { queryRows } from '../db/index.ts'
import { MAX_UPLOAD_BYTES } from './limits.ts'
import {
  buildTestApp,
  Client,
  createUser,
  csrfTokenOf,
  describeEachEngine,
  grantTestRole,
  multipart,
  signedInClient,
  type TestApp,
} from '../../../test/helpers/app.ts'

/** Bad input at the edge: a readable 4xx in the reader's language, and nothing written. */
describeEachEngine('bad input at the edge', (engine) => {
  let ctx: TestApp
  let staff: Client
  let staffEmail = ''

  before(async () => {
    ctx = await buildTestApp(engine)
    const user = await createUser(ctx.database)
    staffEmail = user.email
    await grantTestRole(ctx.database, user.id, { kind: 'commune', code: '35238' }, 'editor')
    staff = await signedInClient(ctx.app, user.email, user.password)
  })
  after(() => ctx.close())

  const users = async () =>
    (await queryRows<{ n: number }>(ctx.database.db, sql`select count(*)::int as n from users`))[0]!.n

  test('a NUL byte in a sign-up, a sign-in or an API query answers 400 in the reader’s language and writes nothing', async () => {
    const before = await users()
    const visitor = new Client(ctx.app)
    const signup = await visitor.post(
      '/inscription',
      { displayName: 'Nul\u0000Part', email: 'nul@example.org', password: 'Cheval-Agrafe-Batterie-93' },
      { csrfFrom: '/inscription' },
    )
    assert.equal(signup.statusCode, 400)
    assert.match(signup.body, /caractères invalides \(un caractère nul/)
    const signin = await visitor.post(
      '/connexion',
      { email: 'nul@example.org', password: 'a\u0000b' },
      { csrfFrom: '/connexion' },
    )
    assert.equal(signin.statusCode, 400)
    const english = await visitor.post(
      '/inscription',
      { displayName: 'x', email: 'nul@example.org\u0000', password: 'Cheval-Agrafe-Batterie-93' },
      { csrfFrom: '/inscription' },
    )
    assert.equal(english.statusCode, 400)
    const inEnglish = new Client(ctx.app)
    await inEnglish.get('/langue/en?next=/')
    const refused = await inEnglish.post(
      '/inscription',
      { displayName: 'Nul\u0000Part', email: 'nul@example.org', password: 'Cheval-Agrafe-Batterie-93' },
      { csrfFrom: '/inscription' },
    )
    assert.equal(refused.statusCode, 400)
    assert.match(refused.body, /invalid characters \(a NUL character/)
    const json = await ctx.app.inject({ method: 'GET', url: '/api/v1/territories?q=a%00b' })
    assert.equal(json.statusCode, 400)
    assert.equal(json.json().error.code, 'INVALID_CHARACTERS')
    assert.equal(await users(), before)
  })

  test('bytes that are not UTF-8 are refused, not stored as U+FFFD', async () => {
    const visitor = new Client(ctx.app)
    const page = await visitor.get('/inscription')
    const body = Buffer.concat([
      Buffer.from(
        `_csrf=${encodeURIComponent(csrfTokenOf(page.body)!)}&email=latin1%40example.org&password=Cheval-Agrafe-Batterie-93&displayName=Ren`,
      ),
      Buffer.from([0xe9]),
      Buffer.from('e'),
    ])
    const response = await visitor.request({
      method: 'POST',
      url: '/inscription',
      payload: body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    assert.equal(response.statusCode, 400)
    assert.equal(
      (await queryRows(ctx.database.db, sql`select 1 from users where email = 'latin1@example.org'`)).length,
      0,
    )
  })

  test('multipart without a boundary, or cut short, answers 400; a file over the limit 413 naming it, in French and English', async () => {
    const page = await staff.get('/territoires/commune/35238/plans/nouveau')
    const token = csrfTokenOf(page.body)!
    const noBoundary = await staff.request({
      method: 'POST',
      url: '/territoires/commune/35238/plans/nouveau',
      payload: `--x\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n--x--\r\n`,
      headers: { 'content-type': 'multipart/form-data' },
    })
    assert.equal(noBoundary.statusCode, 400)
    assert.match(noBoundary.body, /incomplet ou mal formé/)
    const cut = await staff.request({
      method: 'POST',
      url: '/territoires/commune/35238/plans/nouveau',
      payload: `--x\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nabc`,
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
    })
    assert.equal(cut.statusCode, 400)
    const big = multipart({ _csrf: token }, { name: 'gros.csv', content: Buffer.alloc(MAX_UPLOAD_BYTES + 10, 'a') })
    const tooLarge = await staff.request({ method: 'POST', url: '/territoires/commune/35238/plans/nouveau', ...big })
    assert.equal(tooLarge.statusCode, 413)
    assert.match(tooLarge.body, /Le fichier dépasse la taille permise : 10 Mo au plus/)
    assert.doesNotMatch(tooLarge.body, /request file too large/)
    await staff.post('/compte/profil', { displayName: 'Agent', locale: 'en' }, { csrfFrom: '/compte' })
    const inEnglish = await staff.request({
      method: 'POST',
      url: '/territoires/commune/35238/plans/nouveau',
      ...multipart({ _csrf: token }, { name: 'big.csv', content: Buffer.alloc(MAX_UPLOAD_BYTES + 10, 'a') }),
    })
    assert.equal(inEnglish.statusCode, 413)
    assert.match(inEnglish.body, /larger than allowed: 10 MB at most/)
    const tooLong = await staff.post(
      '/compte/profil',
      { displayName: 'x'.repeat(70 * 1024), locale: 'fr' },
      { csrfFrom: '/compte' },
    )
    assert.equal(tooLong.statusCode, 413)
    assert.match(tooLong.body, /too long: 64 KB at most/)
    const [me] = await queryRows<{ locale: string }>(
      ctx.database.db,
      sql`select locale from users where email = ${staffEmail}`,
    )
    assert.equal(me!.locale, 'en', 'the refused form changed nothing')
    await staff.post('/compte/profil', { displayName: 'Agent', locale: 'fr' }, { csrfFrom: '/compte' })
  })

  test('deleting a draft commitment that a group or a consultation hangs on answers 409 naming them, and deletes nothing', async () => {
    const created = await staff.post('/territoires/commune/35238/plans/nouveau', {
      title: 'Plan à supprimer en partie',
      periodStart: '2026-01-01',
      periodEnd: '2027-12-31',
      cocreationSummary: '',
    })
    const planPath = String(created.headers.location)
    const commitment = await staff.post(`${planPath}/engagements/nouveau`, {
      title: 'Engagement tenu par d’autres',
      problem: '',
      description: '',
      contribution: '',
      ogpValues: '',
      expectedImpacts: '',
      leadActor: '',
      supportingActors: '',
      themes: '',
      startDate: '',
      endDate: '',
      budgetEur: '',
      deliberationUrl: '',
    })
    const commitmentId = String(commitment.headers.location).split('/').pop()!
    // links made before the platform refused them on drafts (or by a hand-over from a citizens' assembly)
    await ctx.database.db.execute(
      sql`insert into action_groups (territory_id, commitment_id, title, purpose) select territory_id, id, 'Groupe ancien', 'Suivre' from commitments where id = ${commitmentId}`,
    )
    await ctx.database.db.execute(sql`insert into consultations (territory_id, title, question, opens_on, closes_on, commitment_id)
      select territory_id, 'Consultation ancienne', 'Qu’en pensez-vous ?', '2026-01-01', '2026-02-01', id from commitments where id = ${commitmentId}`)
    const refused = await staff.post(`/engagements/${commitmentId}/supprimer`, {}, { csrfFrom: planPath })
    assert.equal(refused.statusCode, 409)
    assert.match(refused.body, /1 Groupe Action Projet, 1 consultation/)
    assert.equal(
      (await queryRows(ctx.database.db, sql`select 1 from commitments where id = ${commitmentId}`)).length,
      1,
    )
  })
})
