import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.ts'
import {
  buildTestApp,
  Client,
  createUser,
  describeEachEngine,
  grantTestRole,
  signedInClient,
  type TestApp,
} from '../../../test/helpers/app.ts'
import { seedDemo } from '../../demo/seed.ts'

describeEachEngine('questions to elected officials', (engine) => {
  let ctx: TestApp
  let citizen: Client
  let neighbour: Client
  let moderator: Client
  let otherModerator: Client
  let agent: Client
  let elected: Client
  let secondElected: Client
  let electedId = ''
  const list = '/territoires/autre/pays-demo/questions'
  const question = async (title: string) =>
    (
      await queryRows<{ id: string; status: string; support_count: number; answer: string | null }>(
        ctx.database.db,
        sql`select id, status, support_count, answer from official_questions where title = ${title}`,
      )
    )[0]!

  before(async () => {
    ctx = await buildTestApp(engine)
    await seedDemo(ctx.database.db)
    const login = async (email: string, password: string) => {
      const client = await signedInClient(ctx.app, email, password)
      return client
    }
    const person = async (name: string, role?: [string, string]) => {
      const user = await createUser(ctx.database, { displayName: name })
      if (role)
        await grantTestRole(
          ctx.database,
          user.id,
          { kind: role[0].split('/')[0]!, code: role[0].split('/')[1]! },
          role[1],
        )
      return { ...user, client: await login(user.email, user.password) }
    }
    citizen = (await person('Chloé Citoyenne')).client
    neighbour = (await person('Nour Voisine')).client
    moderator = (await person('Marc Modérateur', ['autre/pays-demo', 'moderator'])).client
    otherModerator = (await person('Olga Ailleurs', ['commune/35238', 'moderator'])).client
    const second = await person('Paul Second Élu', ['autre/pays-demo', 'elected'])
    secondElected = second.client
    agent = await login('agent@demo.thc.example', 'demo-agent-thc')
    elected = await login('elue@demo.thc.example', 'demo-elue-thc')
    const [row] = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`select id from users where email = 'elue@demo.thc.example'`,
    )
    electedId = row!.id
  })
  after(async () => ctx?.close())

  test('a question is moderated before it is public; only the territory’s moderators decide', async () => {
    const bad = await citizen.post(list, {
      addresseeId: '00000000-0000-4000-8000-000000000000',
      title: 'Et le bus ?',
      body: 'Quand ?',
    })
    assert.equal(bad.statusCode, 422)
    assert.equal(
      (
        await citizen.post(list, {
          addresseeId: electedId,
          title: 'Quand la ligne de bus du dimanche ?',
          body: 'Le dimanche, aucun bus ne dessert le bourg.',
        })
      ).statusCode,
      303,
    )
    assert.equal(
      (await citizen.post(list, { addresseeId: '', title: 'Une question hors sujet', body: 'Publicité.' })).statusCode,
      303,
    )
    const q = await question('Quand la ligne de bus du dimanche ?')
    assert.equal(q.status, 'pending')
    assert.doesNotMatch((await new Client(ctx.app).get(list)).body, /ligne de bus du dimanche/)
    assert.equal((await new Client(ctx.app).get(`/questions/${q.id}`)).statusCode, 404)
    assert.match((await citizen.get(list)).body, /En attente de modération/)
    assert.equal(
      (await otherModerator.post(`/questions/${q.id}/moderation`, { decision: 'publish' }, { csrfFrom: list }))
        .statusCode,
      403,
    )
    assert.equal(
      (await agent.post(`/questions/${q.id}/moderation`, { decision: 'publish' }, { csrfFrom: list })).statusCode,
      403,
    )
    assert.equal((await question('Quand la ligne de bus du dimanche ?')).status, 'pending')
    assert.equal(
      (await moderator.post(`/questions/${q.id}/moderation`, { decision: 'publish' }, { csrfFrom: list })).statusCode,
      303,
    )
    const spam = await question('Une question hors sujet')
    const noReason = await moderator.post(
      `/questions/${spam.id}/moderation`,
      { decision: 'reject', reason: '   ' },
      { csrfFrom: list },
    )
    assert.equal(noReason.statusCode, 422)
    // the queue again, the message beside that question's reason field, nothing decided
    assert.match(noReason.body, new RegExp(`id="reason-${spam.id}-reason-error"`))
    assert.match(noReason.body, /id="moderation-title"/)
    assert.equal(
      (
        await moderator.post(
          `/questions/${spam.id}/moderation`,
          { decision: 'reject', reason: 'Sans rapport avec l’action du territoire.' },
          { csrfFrom: list },
        )
      ).statusCode,
      303,
    )
    assert.match((await citizen.get(list)).body, /Refusée : Sans rapport avec l’action du territoire\./)
    const visitor = (await new Client(ctx.app).get(list)).body
    assert.match(visitor, /ligne de bus du dimanche/)
    assert.doesNotMatch(visitor, /hors sujet/)
  })

  test('supports: once per person, even when sent at once', async () => {
    const q = await question('Quand la ligne de bus du dimanche ?')
    const token = /name="_csrf" value="([^"]+)"/.exec((await neighbour.get(`/questions/${q.id}`)).body)![1]!
    await Promise.all(
      Array.from({ length: 8 }, () =>
        neighbour.post(`/questions/${q.id}/soutien`, { supported: 'true' }, { csrf: token }),
      ),
    )
    assert.equal((await question('Quand la ligne de bus du dimanche ?')).support_count, 1)
    const [rows] = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from question_supports where question_id = ${q.id}`,
    )
    assert.equal(rows!.n, 1)
  })

  test('only the official questioned answers; the page shows answered, waiting and the time to answer', async () => {
    const q = await question('Quand la ligne de bus du dimanche ?')
    const page = `/questions/${q.id}`
    assert.equal(
      (await agent.post(`${page}/reponse`, { answer: 'Réponse d’un agent' }, { csrfFrom: page })).statusCode,
      403,
    )
    assert.equal(
      (await secondElected.post(`${page}/reponse`, { answer: 'Réponse d’un autre élu' }, { csrfFrom: page }))
        .statusCode,
      403,
    )
    assert.equal(
      (await citizen.post(`${page}/reponse`, { answer: 'Réponse de l’auteur' }, { csrfFrom: page })).statusCode,
      403,
    )
    assert.equal((await question('Quand la ligne de bus du dimanche ?')).answer, null)
    assert.equal((await elected.post(`${page}/reponse`, { answer: '' })).statusCode, 422)
    assert.equal(
      (await elected.post(`${page}/reponse`, { answer: 'Une ligne d’essai le dimanche dès mars.' })).statusCode,
      303,
    )
    assert.equal((await question('Quand la ligne de bus du dimanche ?')).status, 'answered')
    // a question to the executive: any elected official answers; meanwhile it waits
    assert.equal(
      (
        await citizen.post(list, {
          addresseeId: '',
          title: 'Un budget participatif en 2027 ?',
          body: 'Le territoire en prévoit-il un ?',
        })
      ).statusCode,
      303,
    )
    const executive = await question('Un budget participatif en 2027 ?')
    assert.equal(
      (await moderator.post(`/questions/${executive.id}/moderation`, { decision: 'publish' }, { csrfFrom: list }))
        .statusCode,
      303,
    )
    const body = (await new Client(ctx.app).get(list)).body
    const table = /<table>[\s\S]*<\/table>/.exec(body)![0]
    // the demo's own answered questions count too
    const [demo] = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from official_questions q join users u on u.id = q.answered_by where u.email = 'elue@demo.thc.example' and q.title <> 'Quand la ligne de bus du dimanche ?'`,
    )
    assert.match(
      table,
      new RegExp(`Camille Élue \\(démonstration\\)</th><td>${demo!.n + 1}</td><td>0</td><td>0 jour</td>`),
    )
    assert.match(table, /L’exécutif du territoire<\/th><td>0<\/td><td>1<\/td><td>—<\/td>/)
    assert.equal(
      (
        await secondElected.post(
          `/questions/${executive.id}/reponse`,
          { answer: 'Oui, au second semestre.' },
          { csrfFrom: `/questions/${executive.id}` },
        )
      ).statusCode,
      303,
    )
    assert.match((await new Client(ctx.app).get(`/questions/${executive.id}`)).body, /Réponse de Paul Second Élu/)
    const api = JSON.parse((await new Client(ctx.app).get('/api/v1/territories/autre/pays-demo/questions')).body)
    assert.deepEqual(
      api.questions
        .filter((q: { title: string }) => !q.title.includes('(démonstration)'))
        .map((q: { title: string; status: string }) => [q.title, q.status])
        .sort(),
      [
        ['Quand la ligne de bus du dimanche ?', 'answered'],
        ['Un budget participatif en 2027 ?', 'answered'],
      ],
    )
    assert.ok(api.questions.every((q: { daysToAnswer: number }) => q.daysToAnswer >= 0))
    assert.equal(api.officials.length, 2)
  })
})
