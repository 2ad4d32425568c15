import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { safeNextPath } from './forms.ts'
import { buildTestApp, Client, createUser, describeEachEngine, type TestApp } from '../../../test/helpers/app.ts'

const OUTSIDE = [
  '/\t/evil.example/pwned',
  '/\n/evil.example',
  '/\r\n/evil.example',
  ' //evil.example',
  '//evil.example',
  '/\\evil.example',
  '/\t\\evil.example',
  '\\/evil.example',
  '/./\t/evil.example',
  '/.//evil.example',
  'https://evil.example/',
  'javascript:alert(1)',
  '/\u0000/evil.example',
  'evil.example',
  '',
]

test('a next path that a browser would follow to another site gives the fallback', () => {
  for (const raw of OUTSIDE) assert.equal(safeNextPath(raw, '/compte'), '/compte', JSON.stringify(raw))
  assert.equal(safeNextPath(undefined, '/x'), '/x')
  assert.equal(
    safeNextPath('/territoires/commune/35238?onglet=plan#engagements'),
    '/territoires/commune/35238?onglet=plan#engagements',
  )
  assert.equal(safeNextPath('/r\u00e9f\u00e9rentiel'), '/r%C3%A9f%C3%A9rentiel')
  assert.equal(safeNextPath('/a/../compte'), '/compte')
})

describeEachEngine('no open redirect', (engine) => {
  let ctx: TestApp
  before(async () => {
    ctx = await buildTestApp(engine)
  })
  after(() => ctx.close())

  test('the language switch and the sign-in form never send a person to another site', async () => {
    for (const next of ['/%09/evil.example/pwned', '/%0A/evil.example', '/%5Cevil.example', '%2F%2Fevil.example']) {
      const response = await ctx.app.inject({ url: `/langue/fr?next=${next}` })
      assert.equal(response.statusCode, 303)
      assert.equal(response.headers.location, '/', next)
    }
    const user = await createUser(ctx.database)
    const client = new Client(ctx.app)
    const signedIn = await client.post(
      '/connexion',
      { email: user.email, password: user.password, next: '/\t/evil.example/pwned' },
      { csrfFrom: '/connexion' },
    )
    assert.equal(signedIn.statusCode, 303)
    assert.equal(signedIn.headers.location, '/compte')
    const already = await client.get('/connexion?next=/%09/evil.example')
    assert.equal(already.headers.location, '/compte')
    const inside = await client.get('/connexion?next=/territoires/commune/35238')
    assert.equal(inside.headers.location, '/territoires/commune/35238')
  })
})
