import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.ts'
import {
  buildTestApp,
  Client,
  createUser,
  describeEachEngine,
  signedInClient,
  type TestApp,
} from '../../../test/helpers/app.ts'
import { buildStaff, buildTerritory } from '../../../test/helpers/factories.ts'

describeEachEngine('questions to elected officials', (engine) => {
  let ctx: TestApp
  const question = async (title: string) =>
    (
      await queryRows<{ id: string; status: string; support_count: number; answer: string | null }>(
        ctx.database.db,
        sql`select id, status, support_count, answer from official_questions where title = ${title}`,
      )
    )[0]!

  before(async () => {
    // each test signs its own people in: more sign-ins from one address than the production limit allows
    ctx = await buildTestApp(engine, { SIGNIN_RATE_LIMIT: '200' })
  })
  after(async () => ctx?.close())

  /** A territory of its own with its people: citizens, its moderator and staff, two elected officials. */
  async function setting() {
    const territory = await buildTerritory(ctx.database)
    const elsewhere = await buildTerritory(ctx.database)
    const signedIn = async (user: { email: string; password: string }) =>
      signedInClient(ctx.app, user.email, user.password)
    const elected = await buildStaff(ctx.database, territory, 'elected', 'Camille Élue')
    return {
      list: `${territory.path}/questions`,
      territory,
      citizen: await signedIn(await createUser(ctx.database, { displayName: 'Chloé Citoyenne' })),
      neighbour: await signedIn(await createUser(ctx.database, { displayName: 'Nour Voisine' })),
      moderator: await signedIn(await buildStaff(ctx.database, territory, 'moderator', 'Marc Modérateur')),
      otherModerator: await signedIn(await buildStaff(ctx.database, elsewhere, 'moderator', 'Olga Ailleurs')),
      agent: await signedIn(await buildStaff(ctx.database, territory, 'editor')),
      elected: await signedIn(elected),
      electedId: elected.id,
      secondElected: await signedIn(await buildStaff(ctx.database, territory, 'elected', 'Paul Second Élu')),
    }
  }

  /** A citizen asks, the moderator publishes: the question as the public sees it. */
  async function publishedQuestion(place: Awaited<ReturnType<typeof setting>>, title: string, addresseeId: string) {
    const asked = await place.citizen.post(place.list, { addresseeId, title, body: 'Le dimanche, aucun bus.' })
    assert.equal(asked.statusCode, 303)
    const q = await question(title)
    const published = await place.moderator.post(
      `/questions/${q.id}/moderation`,
      { decision: 'publish' },
      { csrfFrom: place.list },
    )
    assert.equal(published.statusCode, 303)
    return q
  }

  test('a question is moderated before it is public; only the territory’s moderators decide', async () => {
    const { list, citizen, moderator, otherModerator, agent, electedId } = await setting()
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
    const place = await setting()
    const { neighbour } = place
    const q = await publishedQuestion(place, 'Un bus le dimanche matin ?', place.electedId)
    const token = /name="_csrf" value="([^"]+)"/.exec((await neighbour.get(`/questions/${q.id}`)).body)![1]!
    await Promise.all(
      Array.from({ length: 8 }, () =>
        neighbour.post(`/questions/${q.id}/soutien`, { supported: 'true' }, { csrf: token }),
      ),
    )
    assert.equal((await question('Un bus le dimanche matin ?')).support_count, 1)
    const [rows] = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from question_supports where question_id = ${q.id}`,
    )
    assert.equal(rows!.n, 1)
  })

  test('only the official questioned answers; the page shows answered, waiting and the time to answer', async () => {
    const place = await setting()
    const { list, citizen, moderator, agent, elected, secondElected } = place
    const q = await publishedQuestion(place, 'Le bus du dimanche, et le soir ?', place.electedId)
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
    assert.equal((await question('Le bus du dimanche, et le soir ?')).answer, null)
    assert.equal((await elected.post(`${page}/reponse`, { answer: '' })).statusCode, 422)
    assert.equal(
      (await elected.post(`${page}/reponse`, { answer: 'Une ligne d’essai le dimanche dès mars.' })).statusCode,
      303,
    )
    assert.equal((await question('Le bus du dimanche, et le soir ?')).status, 'answered')
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
    assert.match(table, /Camille Élue<\/th><td>1<\/td><td>0<\/td><td>0 jour<\/td>/)
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
    const api = JSON.parse(
      (await new Client(ctx.app).get(`/api/v1/territories/autre/${place.territory.code}/questions`)).body,
    )
    assert.deepEqual(api.questions.map((q: { title: string; status: string }) => [q.title, q.status]).sort(), [
      ['Le bus du dimanche, et le soir ?', 'answered'],
      ['Un budget participatif en 2027 ?', 'answered'],
    ])
    assert.ok(api.questions.every((q: { daysToAnswer: number }) => q.daysToAnswer >= 0))
    assert.equal(api.officials.length, 2)
  })
})
