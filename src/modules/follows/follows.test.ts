import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.ts'
import { enqueueJob, runDueJobs } from '../../platform/jobs.ts'
import {
  buildTestApp,
  Client,
  createUser,
  describeEachEngine,
  parisDay,
  signedInClient,
  type TestApp,
} from '../../../test/helpers/app.ts'
import { buildPlan, buildStaff, buildTerritory, type BuiltTerritory } from '../../../test/helpers/factories.ts'
import { notifyContext, scheduleDigests, sendDigests } from './index.ts'

const unsubscribeLinks = (text: string) =>
  [...text.matchAll(/http:\/\/localhost:3000(\/abonnements\/desinscription\?jeton=[A-Za-z0-9_.-]+)/g)].map((m) => m[1]!)

describeEachEngine('following and notifications', (engine) => {
  let ctx: TestApp
  let agent: Client
  let alice: Client
  let bob: Client
  let aliceId = ''
  let bobId = ''
  let aliceEmail = ''
  let bobEmail = ''
  let territoryId = ''
  let territory: BuiltTerritory
  let agentEmail = ''
  let moderator: Client
  let consultationId = ''
  const db = () => ctx.database.db
  const mailsTo = (email: string) => ctx.mails.filter((m) => m.to === email)
  const follows = async (userId: string) =>
    (
      await queryRows<{ subject_type: string; frequency: string }>(
        db(),
        sql`select subject_type, frequency from follows where user_id = ${userId} order by subject_type`,
      )
    ).map((r) => `${r.subject_type}:${r.frequency}`)

  before(async () => {
    ctx = await buildTestApp(engine)
    territory = await buildTerritory(ctx.database, 'Pays du Val-Suivi')
    const editor = await buildStaff(ctx.database, territory)
    agentEmail = editor.email
    agent = await signedInClient(ctx.app, editor.email, editor.password)
    const moderation = await buildStaff(ctx.database, territory, 'moderator')
    moderator = await signedInClient(ctx.app, moderation.email, moderation.password)
    const a = await createUser(ctx.database, { displayName: 'Alice Habitante' })
    const b = await createUser(ctx.database, { displayName: 'Bob Voisin' })
    aliceId = a.id
    bobId = b.id
    aliceEmail = a.email
    bobEmail = b.email
    alice = await signedInClient(ctx.app, a.email, a.password)
    bob = await signedInClient(ctx.app, b.email, b.password)
    territoryId = territory.id
  })
  after(async () => ctx?.close())

  test('people follow a territory from its page, choose how often, and see it on their subscriptions page', async () => {
    const page = territory.path
    assert.match((await new Client(ctx.app).get(page)).body, /Connectez-vous pour suivre/)
    assert.equal(
      (
        await new Client(ctx.app).post(
          '/abonnements',
          { subjectType: 'territory', subjectId: territoryId, frequency: 'daily' },
          { csrfFrom: '/connexion' }, // a visitor with a valid form token: refused for not being signed in
        )
      ).statusCode,
      401,
    )
    assert.equal(
      (
        await alice.post(
          '/abonnements',
          { subjectType: 'territory', subjectId: territoryId, frequency: 'hourly', next: page },
          { csrfFrom: page },
        )
      ).statusCode,
      400,
    )
    assert.equal(
      (
        await alice.post(
          '/abonnements',
          { subjectType: 'plan', subjectId: territoryId, frequency: 'daily', next: page },
          { csrfFrom: page },
        )
      ).statusCode,
      400,
    )
    assert.deepEqual(await follows(aliceId), [])
    const followed = await alice.post(
      '/abonnements',
      { subjectType: 'territory', subjectId: territoryId, frequency: 'immediate', next: page },
      { csrfFrom: page },
    )
    assert.equal(followed.statusCode, 303)
    assert.equal(followed.headers.location, page)
    assert.match((await alice.get(page)).body, /Vous suivez : un courriel à chaque nouveauté/)
    await bob.post(
      '/abonnements',
      { subjectType: 'territory', subjectId: territoryId, frequency: 'daily', next: page },
      { csrfFrom: page },
    )
    const mine = await alice.get('/compte/abonnements')
    assert.match(mine.body, /Pays du Val-Suivi/)
    assert.deepEqual(await follows(aliceId), ['territory:immediate'])
  })

  test('only what the public may read can be followed: a draft consultation or a draft plan’s commitment is not found', async () => {
    const page = territory.path
    const [draft] = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`insert into consultations (territory_id, title, question, opens_on, closes_on, status) values (${territoryId}, 'Brouillon secret', 'Question ?', current_date, current_date + 5, 'draft') returning id`,
    )
    const draftPlan = await buildPlan(ctx.database, { territory, published: false })
    const hidden = draftPlan.commitments[0]!
    for (const [subjectType, subjectId] of [
      ['consultation', draft!.id],
      ['commitment', hidden.id],
      ['text', territoryId],
    ] as const) {
      const refused = await alice.post(
        '/abonnements',
        { subjectType, subjectId, frequency: 'daily', next: page },
        { csrfFrom: page },
      )
      assert.equal(refused.statusCode, 404, `${subjectType} ${subjectId}`)
    }
    assert.deepEqual(await follows(aliceId), ['territory:immediate'], 'nothing was added')
  })

  test('a published consultation reaches immediate followers once, by a job, with a signed unsubscribe link; the actor is not told of their own doing', async () => {
    const created = await agent.post(
      `${territory.path}/consultations/nouvelle`,
      {
        title: 'Quelles rues apaiser ?',
        question: 'Quelles rues du bourg faut-il apaiser ?',
        context: '',
        opensOn: parisDay(-1),
        closesOn: parisDay(10),
        commitmentId: '',
        intent: 'publish',
      },
      { csrfFrom: `${territory.path}/consultations/nouvelle` },
    )
    consultationId = created.headers.location!.split('/').pop()!
    assert.equal(mailsTo(aliceEmail).length, 0, 'mails leave with the job, after the commit')
    await ctx.app.jobs.tick()
    const [mail] = mailsTo(aliceEmail)
    assert.ok(mail)
    assert.match(mail.subject, /Nouvelle consultation : « Quelles rues apaiser \? »/)
    assert.match(mail.text, new RegExp(`http://localhost:3000/consultations/${consultationId}`))
    assert.match(
      mail.headers?.['List-Unsubscribe'] ?? '',
      /^<http:\/\/localhost:3000\/abonnements\/desinscription\?jeton=/,
    )
    assert.equal(mail.headers?.['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click')
    assert.equal(mailsTo(bobEmail).length, 0, 'Bob chose the daily digest')
    assert.equal(mailsTo(agentEmail).length, 0)
    await ctx.app.jobs.tick()
    assert.equal(mailsTo(aliceEmail).length, 1, 'a second pass sends nothing again')
  })

  test('the daily digest gathers what happened, per subject, without what was already mailed or hidden since', async () => {
    const page = `/consultations/${consultationId}`
    await bob.post(
      '/abonnements',
      { subjectType: 'consultation', subjectId: consultationId, frequency: 'daily', next: page },
      { csrfFrom: page },
    )
    await alice.post(
      `${page}/contributions`,
      { kind: 'idea', title: 'Zone 30 devant l’école', body: 'Limiter la vitesse.' },
      { csrfFrom: page },
    )
    await alice.post(
      `${page}/contributions`,
      { kind: 'critique', title: 'Texte injurieux', body: 'Contenu à masquer.' },
      { csrfFrom: page },
    )
    const [abusive] = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`select id from contributions where title = 'Texte injurieux'`,
    )
    // the territory's moderator hides it before the digest leaves
    const hidden = await moderator.post(
      `/contenus/contribution/${abusive!.id}/masquer`,
      { reason: 'Propos injurieux', next: page },
      { csrfFrom: page },
    )
    assert.equal(hidden.statusCode, 303)
    const sent = await sendDigests(notifyContext(ctx.app.platform), 'daily', new Date())
    assert.equal(sent, 1)
    const [digest] = mailsTo(bobEmail)
    assert.ok(digest)
    assert.match(digest.subject, /Votre résumé du jour : 2 nouveautés/)
    assert.match(digest.text, /« Quelles rues apaiser \? »\n- Nouvelle contribution : « Zone 30 devant l’école »/)
    assert.match(digest.text, /« Pays du Val-Suivi »\n- Nouvelle consultation : « Quelles rues apaiser \? »/)
    assert.doesNotMatch(digest.text, /Texte injurieux/)
    assert.equal(unsubscribeLinks(digest.text).length, 2, 'one link a subject')
    assert.match(digest.headers?.['List-Unsubscribe'] ?? '', /desinscription/)
    assert.equal(await sendDigests(notifyContext(ctx.app.platform), 'daily', new Date()), 0, 'nothing twice')
    const weekly = await sendDigests(notifyContext(ctx.app.platform), 'weekly', new Date())
    assert.equal(weekly, 0)

    // restored by the moderator, it goes out with the next digest
    const restored = await moderator.post(
      `/contenus/contribution/${abusive!.id}/retablir`,
      { next: page },
      { csrfFrom: page },
    )
    assert.equal(restored.statusCode, 303)
    assert.equal(await sendDigests(notifyContext(ctx.app.platform), 'daily', new Date()), 1)
    const next = mailsTo(bobEmail).at(-1)
    assert.match(next!.subject, /Votre résumé du jour : 1 nouveauté/)
    assert.match(next!.text, /Nouvelle contribution : « Texte injurieux »/)
  })

  test('digests are queued once a day at their time, whatever the number of passes', async () => {
    const before = new Date('2026-11-23T05:59:00Z') // 06:59 in Paris, a Monday
    await scheduleDigests(db(), before)
    const tomorrows = sql`select unique_key, run_at from jobs where kind = 'digest.send' and unique_key like '%:2026-11-23' order by unique_key`
    assert.equal((await queryRows(db(), tomorrows)).length, 0)
    const at = new Date('2026-11-23T06:30:00Z')
    await scheduleDigests(db(), at)
    await scheduleDigests(db(), at)
    const jobs = await queryRows<{ unique_key: string; run_at: string }>(db(), tomorrows)
    assert.deepEqual(
      jobs.map((j) => j.unique_key),
      ['digest:daily:2026-11-23', 'digest:weekly:2026-11-23'],
    )
    assert.equal(new Date(jobs[0]!.run_at).toISOString(), '2026-11-23T06:00:00.000Z', '07:00 in Paris (winter time)')
    await ctx.database.db.execute(sql`delete from jobs where unique_key like '%:2026-11-23'`)
  })

  test('one click on a signed link unsubscribes without signing in; a forged or altered link is refused and changes nothing', async () => {
    const [mail] = mailsTo(aliceEmail)
    const link = unsubscribeLinks(mail!.text)[0]!
    const visitor = new Client(ctx.app)
    const token = new URL(link, 'http://x').searchParams.get('jeton')!
    const [payload, signature] = token.split('.')
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString())
    const forged = `/abonnements/desinscription?jeton=${Buffer.from(JSON.stringify({ ...claims, u: bobId })).toString('base64url')}.${signature}`
    const altered = link.slice(0, -3) + (link.endsWith('AAA') ? 'BBB' : 'AAA')
    for (const bad of [forged, altered, '/abonnements/desinscription?jeton=abc']) {
      const response = await visitor.request({
        method: 'POST',
        url: bad,
        payload: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
      assert.equal(response.statusCode, 400, bad)
      assert.match(response.body, /n’est pas valide/)
    }
    assert.deepEqual(await follows(aliceId), ['territory:immediate'])
    const ask = await visitor.get(link)
    assert.equal(ask.statusCode, 200)
    assert.match(ask.body, /Ne plus recevoir les nouveautés de « Pays du Val-Suivi/)
    assert.deepEqual(
      await follows(aliceId),
      ['territory:immediate'],
      'opening the link (as a mail scanner does) changes nothing',
    )
    const oneClick = await visitor.request({
      method: 'POST',
      url: link,
      payload: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    assert.equal(oneClick.statusCode, 200)
    assert.match(oneClick.body, /vous ne recevrez plus ces courriels/)
    assert.deepEqual(await follows(aliceId), [])
    const again = await visitor.request({
      method: 'POST',
      url: link,
      payload: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    assert.match(again.body, /rien n’a changé/)
    const [audit] = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from audit_events where actor_id = ${aliceId} and action = 'follow.unsubscribed'`,
    )
    assert.equal(audit!.n, 1)
  })

  test('a failing job is retried later, then given up after five attempts, without stopping the others', async () => {
    await ctx.app.jobs.tick() // what earlier tests left due
    await enqueueJob(db(), { kind: 'test.flaky' })
    await enqueueJob(db(), { kind: 'test.fine' })
    let fine = 0
    const handlers = {
      'test.flaky': async () => {
        throw new Error('SMTP down')
      },
      'test.fine': async () => {
        fine++
      },
    }
    assert.equal(await runDueJobs(db(), handlers), 2)
    assert.equal(fine, 1)
    const [flaky] = await queryRows<{ attempts: number; last_error: string; due_later: boolean }>(
      db(),
      sql`select attempts, last_error, run_at > now() as due_later from jobs where kind = 'test.flaky'`,
    )
    assert.deepEqual(flaky, { attempts: 1, last_error: 'SMTP down', due_later: true })
    for (let i = 0; i < 4; i++) {
      await ctx.database.db.execute(sql`update jobs set run_at = now() where kind = 'test.flaky'`)
      await runDueJobs(db(), handlers)
    }
    const [given] = await queryRows<{ attempts: number; failed: boolean }>(
      db(),
      sql`select attempts, failed_at is not null as failed from jobs where kind = 'test.flaky'`,
    )
    assert.deepEqual(given, { attempts: 5, failed: true })
  })
})
