import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { sql } from 'drizzle-orm'
import { postUpdate } from '../../modules/plans/index.ts'
import { buildTestApp, Client, describeEachEngine, signedInClient, type TestApp } from '../../../test/helpers/app.ts'
import { buildConsultation, buildPlan, buildStaff } from '../../../test/helpers/factories.ts'
import { DATA_CHANGE_LISTENER } from '../db/index.ts'
import { PageCache } from './page-cache.ts'

test('a kept page is dropped at the next write, after its maximum age, and the oldest go first when memory is full', () => {
  let now = 0
  const cache = new PageCache({ maxBytes: 10, maxAgeMs: 1000, now: () => now })
  const page = (text: string) => Buffer.from(text)
  assert.ok(cache.set('a', cache.version, {}, page('aaaa')))
  assert.equal(cache.get('a')?.body.toString(), 'aaaa')
  // rendered from data older than the last write: not kept
  const started = cache.version
  cache.invalidate()
  assert.equal(cache.get('a'), null)
  assert.equal(cache.set('a', started, {}, page('aaaa')), null)
  assert.equal(cache.get('a'), null)
  cache.set('a', cache.version, {}, page('aaaa'))
  cache.set('b', cache.version, {}, page('bbbb'))
  cache.get('a') // a is used again: b is now the oldest
  cache.set('c', cache.version, {}, page('cccc'))
  assert.equal(cache.get('b'), null)
  assert.ok(cache.get('a'))
  assert.ok(cache.get('c'))
  now = 1001
  assert.equal(cache.get('a'), null, 'too old')
  assert.equal(cache.set('big', cache.version, {}, page('x'.repeat(11))), null, 'larger than the whole cache')
})

/** What a spike of visitors reads comes from memory, and is never older than the last committed write. */
describeEachEngine('anonymous pages kept between writes', (engine) => {
  let ctx: TestApp
  let built: Awaited<ReturnType<typeof buildPlan>>
  let consultationId = ''
  let pages: string[] = []
  const visitor = () => new Client(ctx.app)

  before(async () => {
    ctx = await buildTestApp(engine)
    built = await buildPlan(ctx.database, { milestones: 2 })
    consultationId = (await buildConsultation(ctx.database, { territory: built.territory, editor: built.editor })).id
    const territory = built.territory.path
    pages = [
      '/',
      territory,
      `${territory}/plans`,
      `/plans/${built.plan.id}`,
      `/engagements/${built.commitments[0]!.id}`,
      '/reseau',
      '/referentiel?q=participation',
      `/consultations/${consultationId}`,
      `/api/v1/territories/autre/${built.territory.code}/plans`,
    ]
  })
  after(() => ctx?.close())

  test('the second anonymous read of each public page comes from memory, with the same body, and an ETag', async () => {
    for (const url of pages) {
      const first = await visitor().get(url)
      assert.equal(first.statusCode, 200, url)
      assert.equal(first.headers['x-page-cache'], 'miss', url)
      const second = await visitor().get(url)
      assert.equal(second.headers['x-page-cache'], 'hit', url)
      assert.equal(second.body, first.body, url)
      assert.equal(second.headers['content-type'], first.headers['content-type'], url)
      assert.match(String(second.headers['cache-control']), /^public, max-age=60/, url)
      assert.ok(second.headers['content-security-policy'], `${url}: the security headers are sent again`)
      assert.equal(second.headers.etag, first.headers.etag, url)
      const unchanged = await visitor().request({
        method: 'GET',
        url,
        headers: { 'if-none-match': String(first.headers.etag) },
      })
      assert.equal(unchanged.statusCode, 304, url)
      assert.equal(unchanged.body, '', url)
    }
    // the language is part of the key
    const english = visitor()
    await english.get('/langue/en?next=/')
    assert.match((await english.get(pages[2]!)).body, /<html lang="en"/)
    assert.match((await visitor().get(pages[2]!)).body, /<html lang="fr"/)
  })

  test('a write made outside any request (a service, a command line) is on the next anonymous read of every page', async () => {
    for (const url of pages) await visitor().get(url)
    const title = `Engagement renommé ${Date.now()}`
    await ctx.database.db.execute(sql`update commitments set title = ${title} where id = ${built.commitments[0]!.id}`)
    for (const url of pages) {
      const next = await visitor().get(url)
      assert.equal(next.headers['x-page-cache'], 'miss', `${url} is rendered again`)
    }
    for (const url of [`/plans/${built.plan.id}`, `/engagements/${built.commitments[0]!.id}`])
      assert.ok((await visitor().get(url)).body.includes(title), `${url} shows the new title`)
    // a rolled-back write changes nothing, and the pages are kept again
    await assert.rejects(
      ctx.database.db.transaction(async (tx) => {
        await tx.execute(sql`update commitments set title = 'Jamais' where id = ${built.commitments[0]!.id}`)
        throw new Error('rolled back')
      }),
    )
    const again = await visitor().get(`/engagements/${built.commitments[0]!.id}`)
    assert.doesNotMatch(again.body, /Jamais/)
    assert.equal((await visitor().get(`/engagements/${built.commitments[0]!.id}`)).headers['x-page-cache'], 'hit')
  })

  test('visitors arriving together on a page just dropped get one rendering between them, and a write still shows', async () => {
    const dashboard = `/plans/${built.plan.id}`
    await visitor().get(dashboard)
    const title = `Engagement attendu ${Date.now()}`
    await ctx.database.db.execute(sql`update commitments set title = ${title} where id = ${built.commitments[0]!.id}`)
    const crowd = await Promise.all(Array.from({ length: 12 }, () => visitor().get(dashboard)))
    assert.deepEqual(
      crowd.map((r) => r.statusCode),
      crowd.map(() => 200),
    )
    assert.equal(crowd.filter((r) => r.headers['x-page-cache'] === 'miss').length, 1, 'one rendering')
    for (const answer of crowd) {
      assert.ok(answer.body.includes(title), 'every visitor sees the write')
      assert.equal(answer.body, crowd[0]!.body)
    }
    // an answer that cannot be kept lets the waiting visitors go: each renders its own
    const unknown = `/plans/${built.plan.id.replace(/.$/, (c) => (c === '0' ? '1' : '0'))}`
    const missing = await Promise.all(Array.from({ length: 4 }, () => visitor().get(unknown)))
    assert.deepEqual(
      missing.map((r) => r.statusCode),
      [404, 404, 404, 404],
    )
  })

  test('a progress update posted by the staff is on the very next anonymous read of the dashboard', async () => {
    const dashboard = `/plans/${built.plan.id}`
    const commitment = `/engagements/${built.commitments[0]!.id}`
    await visitor().get(dashboard)
    await visitor().get(commitment)
    assert.equal((await visitor().get(commitment)).headers['x-page-cache'], 'hit')
    const staff = await signedInClient(ctx.app, built.editor.email, built.editor.password)
    const narrative = `Le comité de suivi s’est réuni ${Date.now()}.`
    const posted = await staff.post(`${commitment}/avancement`, {
      milestoneId: '',
      status: '',
      progress: '',
      narrative,
      evidence: '',
      nextSteps: '',
    })
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 300))
    assert.ok((await visitor().get(commitment)).body.includes(narrative))
    // and through a service, without a request
    const second = `Deuxième point d’étape ${Date.now()}.`
    await postUpdate(ctx.database.db, {
      actor: built.editor.actor,
      commitmentId: built.commitments[0]!.id,
      input: {
        milestoneId: null,
        status: null,
        progress: null,
        narrative: second,
        evidence: [],
        nextSteps: '',
        correctsId: null,
      },
    })
    assert.ok((await visitor().get(commitment)).body.includes(second))
  })

  test('a signed-in person never receives a kept page, and their pages are never kept', async () => {
    const dashboard = `/plans/${built.plan.id}`
    await visitor().get(dashboard)
    assert.equal((await visitor().get(dashboard)).headers['x-page-cache'], 'hit')
    const staff = await signedInClient(ctx.app, built.editor.email, built.editor.password)
    const theirs = await staff.get(dashboard)
    assert.equal(theirs.statusCode, 200)
    assert.equal(theirs.headers['x-page-cache'], undefined)
    assert.match(String(theirs.headers['cache-control']), /private, no-store/)
    assert.match(theirs.body, /action="\/deconnexion"/, 'their own page, with their menu')
    // their page first: the next visitor gets a page rendered for visitors, not theirs
    const fresh = `/plans/${built.plan.id}?vue=${Date.now()}`
    const signedIn = await staff.get(fresh)
    assert.match(signedIn.body, /action="\/deconnexion"/)
    const anonymous = await visitor().get(fresh)
    assert.notEqual(anonymous.headers['x-page-cache'], 'hit')
    assert.doesNotMatch(anonymous.body, /action="\/deconnexion"/)
  })

  test('a role taken away or given is in force at the next request of a signed-in person (roles kept in memory)', async () => {
    const staff = await buildStaff(ctx.database, built.territory, 'editor')
    const client = await signedInClient(ctx.app, staff.email, staff.password)
    const edit = `/plans/${built.plan.id}/modifier`
    assert.equal((await client.get(edit)).statusCode, 200)
    assert.equal((await client.get(edit)).statusCode, 200)
    assert.ok(ctx.app.platform.reads.size > 0, 'their roles are kept between requests')
    // as another process or the command line would: no request of this one knows of it
    await ctx.database.db.execute(sql`delete from territory_roles where user_id = ${staff.id}`)
    assert.equal((await client.get(edit)).statusCode, 403)
    await ctx.database.db.execute(
      sql`insert into territory_roles (territory_id, user_id, role) values (${built.territory.id}, ${staff.id}, 'editor')`,
    )
    assert.equal((await client.get(edit)).statusCode, 200)
  })

  test('a session ended elsewhere ends at the next request (sessions kept in memory); a session’s writes keep the kept pages', async () => {
    const dashboard = `/plans/${built.plan.id}`
    const staff = await buildStaff(ctx.database, built.territory, 'editor')
    const client = await signedInClient(ctx.app, staff.email, staff.password)
    assert.match((await client.get(dashboard)).body, /action="\/deconnexion"/)
    assert.match((await client.get(dashboard)).body, /action="\/deconnexion"/, 'its session is kept between requests')
    await visitor().get(dashboard)
    assert.equal((await visitor().get(dashboard)).headers['x-page-cache'], 'hit')
    // a session seen again (written every few minutes): no public page shows it
    await ctx.database.db.execute(sql`update user_sessions set last_seen_at = now() where user_id = ${staff.id}`)
    assert.equal((await visitor().get(dashboard)).headers['x-page-cache'], 'hit')
    // as "sign out everywhere" from another process would: no request of this one knows of it
    await ctx.database.db.execute(sql`delete from user_sessions where user_id = ${staff.id}`)
    const after = await client.get(dashboard)
    assert.equal(after.statusCode, 200)
    assert.doesNotMatch(after.body, /action="\/deconnexion"/, 'signed out at the very next request')
    // an account closed elsewhere: its sessions end too
    const other = await buildStaff(ctx.database, built.territory, 'editor')
    const otherClient = await signedInClient(ctx.app, other.email, other.password)
    assert.match((await otherClient.get(dashboard)).body, /action="\/deconnexion"/)
    await ctx.database.db.execute(sql`update users set deleted_at = now() where id = ${other.id}`)
    assert.doesNotMatch((await otherClient.get(dashboard)).body, /action="\/deconnexion"/)
  })

  test('a page holding a form’s secret or setting a cookie is not kept; nor is an error or an unknown address', async () => {
    for (const url of ['/connexion', '/inscription', `/consultations/${consultationId}`]) {
      const first = await visitor().get(url)
      const second = await visitor().get(url)
      if (first.body.includes('name="_csrf"')) assert.notEqual(second.headers['x-page-cache'], 'hit', url)
    }
    const signIn = await visitor().get('/connexion')
    assert.match(signIn.body, /name="_csrf"/)
    assert.notEqual((await visitor().get('/connexion')).headers['x-page-cache'], 'hit')
    for (const url of ['/engagements/00000000-0000-4000-8000-000000000000', '/nulle-part', '/engagements/pas-un-id']) {
      await visitor().get(url)
      const again = await visitor().get(url)
      assert.ok(again.statusCode >= 400, url)
      assert.equal(again.headers['x-page-cache'], undefined, url)
    }
  })

  if (engine === 'postgres')
    test('when the database connection that hears the writes is lost, nothing is served from memory until it is back', async () => {
      const url = `/engagements/${built.commitments[0]!.id}`
      await visitor().get(url)
      assert.equal((await visitor().get(url)).headers['x-page-cache'], 'hit')
      await ctx.database.db.execute(
        sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${DATA_CHANGE_LISTENER}`,
      )
      await sleep(100)
      const title = `Écrit sans être entendu ${Date.now()}`
      await ctx.database.db.execute(sql`update commitments set title = ${title} where id = ${built.commitments[0]!.id}`)
      const meanwhile = await visitor().get(url)
      assert.notEqual(meanwhile.headers['x-page-cache'], 'hit')
      assert.ok(meanwhile.body.includes(title))
      // it listens again within a few seconds, and keeps pages again
      let kept = false
      for (let i = 0; i < 50 && !kept; i++) {
        await sleep(200)
        await visitor().get(url)
        kept = (await visitor().get(url)).headers['x-page-cache'] === 'hit'
      }
      assert.ok(kept, 'pages are kept again once the connection is back')
    })
})
