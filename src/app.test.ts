import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  buildTestApp,
  Client,
  createUser,
  describeEachEngine,
  uniqueEmail,
  signedInClient,
  type TestApp,
} from '../test/helpers/app.ts'

describeEachEngine('public shell and operations', (engine) => {
  let ctx: TestApp
  before(async () => {
    ctx = await buildTestApp(engine)
  })
  after(async () => {
    await ctx.close()
  })

  test('serves the home page in French, with skip links, search, and no cookie for a visitor', async () => {
    const response = await ctx.app.inject({ url: '/' })
    assert.equal(response.statusCode, 200)
    assert.match(String(response.headers['content-type']), /text\/html; charset=utf-8/)
    assert.equal(response.headers['set-cookie'], undefined)
    assert.match(String(response.headers['cache-control']), /public/)
    assert.match(response.body, /^<!doctype html><html lang="fr">/)
    assert.match(response.body, /href="#contenu">Aller au contenu/)
    assert.match(response.body, /id="recherche"/)
    assert.match(response.body, /Des territoires qui s’ouvrent à leurs citoyens/)
    assert.match(response.body, /territoires dans le registre/)
    assert.match(String(response.headers['content-security-policy']), /script-src 'self'/)
    assert.equal(response.headers['x-content-type-options'], 'nosniff')
  })

  test('sends the same security headers on a page served from memory, an error and an asset', async () => {
    const first = await ctx.app.inject({ url: '/territoires' })
    const kept = await ctx.app.inject({ url: '/territoires' })
    assert.equal(kept.headers['x-page-cache'], 'hit')
    const missing = await ctx.app.inject({ url: '/nulle-part' })
    const asset = await ctx.app.inject({ url: '/assets/js/htmx.min.js' })
    assert.equal(missing.statusCode, 404)
    assert.equal(asset.statusCode, 200)
    for (const response of [first, kept, missing, asset]) {
      assert.match(String(response.headers['content-security-policy']), /default-src 'self'.*frame-ancestors 'none'/)
      assert.equal(response.headers['x-frame-options'], 'SAMEORIGIN')
      assert.equal(response.headers['referrer-policy'], 'no-referrer')
      assert.equal(response.headers['cross-origin-opener-policy'], 'same-origin')
      assert.equal(response.headers['x-content-type-options'], 'nosniff')
      assert.equal(response.headers['strict-transport-security'], undefined) // plain http here; https: security.test
    }
  })

  test('switches to English with a plain link and back', async () => {
    const client = new Client(ctx.app)
    const to = await client.get('/langue/en?next=/territoires')
    assert.equal(to.statusCode, 303)
    assert.equal(to.headers.location, '/territoires')
    const page = await client.get('/')
    assert.match(page.body, /<html lang="en">/)
    assert.match(page.body, /Territories opening up to their citizens/)
    assert.match(page.body, /href="\/langue\/fr\?next=%2F"/)
    const offsite = await client.get('/langue/fr?next=//evil.example.org')
    assert.equal(offsite.headers.location, '/', 'never redirects to another site')
    assert.equal((await client.get('/langue/de')).statusCode, 400)
  })

  test('serves the legal, accessibility and licence pages', async () => {
    for (const [url, text] of [
      ['/mentions-legales', /Mentions légales/],
      ['/accessibilite', /RGAA/],
      ['/licence', /AGPL/],
    ] as const) {
      const response = await ctx.app.inject({ url })
      assert.equal(response.statusCode, 200, url)
      assert.match(response.body, text)
    }
  })

  test('answers unknown pages with a 404 page in the platform’s style, and JSON under /api', async () => {
    const page = await ctx.app.inject({ url: '/cette-page-nexiste-pas' })
    assert.equal(page.statusCode, 404)
    assert.match(page.body, /Erreur 404/)
    assert.match(page.body, /Retour à l’accueil/)
    const api = await ctx.app.inject({ url: '/api/v1/nothing' })
    assert.equal(api.statusCode, 404)
    assert.deepEqual(JSON.parse(api.body), { error: { code: 'NOT_FOUND', message: 'Page introuvable.' } })
  })

  test('reports liveness and readiness', async () => {
    assert.deepEqual(JSON.parse((await ctx.app.inject({ url: '/healthz' })).body), { status: 'ok' })
    const ready = await ctx.app.inject({ url: '/readyz' })
    assert.equal(ready.statusCode, 200)
    assert.deepEqual(JSON.parse(ready.body), { status: 'ready', database: engine })
  })

  test('when the database is gone: readiness says 503, pages say 500 without details', async () => {
    const broken = await buildTestApp(engine)
    try {
      await broken.database.close()
      const ready = await broken.app.inject({ url: '/readyz' })
      assert.equal(ready.statusCode, 503)
      assert.equal(JSON.parse(ready.body).status, 'unavailable')
      assert.equal((await broken.app.inject({ url: '/healthz' })).statusCode, 200)
      const page = await broken.app.inject({ url: '/territoires/commune/35238' })
      assert.equal(page.statusCode, 500)
      assert.match(page.body, /Une erreur inattendue s’est produite/)
      assert.doesNotMatch(page.body, /at |Error:|pglite|pool/i)
      const api = await broken.app.inject({ url: '/api/v1/territories?q=rennes' })
      assert.equal(api.statusCode, 500)
      assert.equal(JSON.parse(api.body).error.code, 'INTERNAL')
    } finally {
      await broken.close()
    }
  })

  test('serves the OpenAPI document with every public JSON route and its browsable page', async () => {
    const response = await ctx.app.inject({ url: '/api/docs/json' })
    assert.equal(response.statusCode, 200)
    const doc = JSON.parse(response.body)
    assert.equal(doc.openapi, '3.1.0')
    for (const path of ['/api/v1/territories', '/api/v1/territories/{kind}/{code}', '/healthz', '/readyz']) {
      assert.ok(doc.paths[path], `${path} is documented`)
      assert.ok(doc.paths[path].get.responses['200'], `${path} has a response schema`)
    }
    assert.equal(
      Object.keys(doc.paths).some((p) => p.startsWith('/compte') || p.startsWith('/admin')),
      false,
      'HTML forms stay out of the API document',
    )
    const ui = await ctx.app.inject({ url: '/api/docs/' })
    assert.equal(ui.statusCode, 200)
    assert.match(ui.body, /swagger/i)
  })

  test('the admin area asks visitors to sign in and refuses non-administrators', async () => {
    const visitor = await ctx.app.inject({ url: '/admin' })
    assert.equal(visitor.statusCode, 303)
    const user = await createUser(ctx.database)
    const client = await signedInClient(ctx.app, user.email, user.password)
    assert.equal((await client.get('/admin')).statusCode, 403)
  })

  test('an administrator grants and revokes a per-territory role; a person may hold roles in several territories', async () => {
    const admin = await createUser(ctx.database, { admin: true })
    const person = await createUser(ctx.database, { email: uniqueEmail('elue'), displayName: 'Maire Test' })
    const client = await signedInClient(ctx.app, admin.email, admin.password)
    const bad = await client.post(
      '/admin/roles',
      { email: person.email, territoryRef: 'commune/00000', role: 'editor' },
      { csrfFrom: '/admin' },
    )
    assert.equal(bad.statusCode, 422)
    assert.match(bad.body, /Rien ne correspond à « commune\/00000 »/)
    assert.match(bad.body, /value="commune\/00000"/, 'the typed text stays')
    const badRole = await client.post(
      '/admin/roles',
      { email: person.email, territoryRef: 'commune/35238', role: 'king' },
      { csrfFrom: '/admin' },
    )
    assert.equal(badRole.statusCode, 422)
    for (const [ref, role] of [
      ['commune/35238', 'elected'],
      ['epci/243500139', 'editor'],
    ]) {
      const granted = await client.post(
        '/admin/roles',
        { email: person.email, territoryRef: ref!, role: role! },
        { csrfFrom: '/admin' },
      )
      assert.equal(granted.statusCode, 303)
    }
    // chosen by search, without typing a code: a name that names several territories asks which one
    const suggestions = await client.get('/territoires/suggestions?territoryRef=saint-deni')
    assert.match(
      suggestions.body,
      /<option value="Saint-Denis \(commune\/93066\)">Saint-Denis — commune 93066 \(93\)<\/option>/,
    )
    const people = await client.get('/admin/comptes/suggestions?email=maire%20te')
    assert.match(people.body, new RegExp(`<option value="Maire Test &lt;${person.email.replace(/[.+]/g, '\\$&')}>">`))
    assert.equal(
      (
        await signedInClient(ctx.app, person.email, person.password).then((c) =>
          c.get('/admin/comptes/suggestions?email=maire'),
        )
      ).statusCode,
      403,
      'addresses stay in the back office',
    )
    const several = await client.post(
      '/admin/roles',
      { email: 'Maire Test', territoryRef: 'Saint-Denis', role: 'editor' },
      { csrfFrom: '/admin' },
    )
    assert.equal(several.statusCode, 422)
    assert.match(several.body, /Plusieurs correspondances : cochez la bonne ci-dessous\./)
    assert.match(
      several.body,
      /<input type="radio" id="field-territoryRef-choice-\d+" name="territoryRef.choix" value="commune\/93066"\/><label for="field-territoryRef-choice-\d+">Saint-Denis — commune 93066 \(93\)<\/label>/,
    )
    assert.match(several.body, /<input type="radio" [^>]*value="commune\/97411"\/>/)
    assert.doesNotMatch(several.body, /name="email.choix"/, 'an exact name is taken at once')
    const chosen = await client.post(
      '/admin/roles',
      { email: 'Maire Test', territoryRef: 'Saint-Denis', 'territoryRef.choix': 'commune/93066', role: 'editor' },
      { csrfFrom: '/admin' },
    )
    assert.equal(chosen.statusCode, 303)
    const byCode = await client.post(
      '/admin/roles/retirer',
      { email: `Maire Test <${person.email}>`, territoryRef: 'Saint-Denis (commune/93066)', role: 'editor' },
      { csrfFrom: '/admin' },
    )
    assert.equal(byCode.statusCode, 303, 'a picked suggestion resolves alone')
    const nobody = await client.post(
      '/admin/roles',
      { email: 'Personne Inconnue', territoryRef: 'Rennes', role: 'editor' },
      { csrfFrom: '/admin' },
    )
    assert.equal(nobody.statusCode, 422)
    assert.match(nobody.body, /Rien ne correspond à « Personne Inconnue »/)
    const personClient = await signedInClient(ctx.app, person.email, person.password)
    const account = await personClient.get('/compte')
    assert.match(account.body, /Élu·e — <a href="\/territoires\/commune\/35238">Rennes/)
    assert.match(account.body, /Éditeur·rice \(services\) — <a href="\/territoires\/epci\/243500139">Rennes Métropole/)
    const rennes = await ctx.app.inject({ url: '/territoires/commune/35238' })
    assert.match(rennes.body, /Maire Test — Élu·e/)
    const revoked = await client.post(
      '/admin/roles/retirer',
      { email: person.email, territoryRef: 'commune/35238', role: 'elected' },
      { csrfFrom: '/admin' },
    )
    assert.equal(revoked.statusCode, 303)
    const after = await personClient.get('/compte')
    assert.doesNotMatch(after.body, /Élu·e — /)
  })
})
