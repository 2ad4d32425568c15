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
  parisDay,
  signedInClient,
  type TestApp,
} from '../../../test/helpers/app.ts'
import { buildStaff, buildTerritory, type BuiltTerritory } from '../../../test/helpers/factories.ts'
import { parseArticles } from './service.ts'
import { acceptedWordings } from './amendments.ts'
import type { AmendmentRow } from './queries.ts'

test('a draft is split into articles on "## heading" lines; text before the first article or an empty article is refused', () => {
  assert.deepEqual(parseArticles('## Article 1 – Objet\nLa charte fixe…\n\n## Article 2\r\nLes habitants…\nsuite'), [
    { heading: 'Article 1 – Objet', body: 'La charte fixe…' },
    { heading: 'Article 2', body: 'Les habitants…\nsuite' },
  ])
  assert.equal(parseArticles('Préambule\n## Article 1\nTexte'), null)
  assert.equal(parseArticles('## Article 1\n\n## Article 2\nTexte'), null)
  assert.equal(parseArticles(''), null)
})

test('an accepted amendment is applied to an article left as it was; the staff write it when it cannot be', () => {
  const articles = [1, 2, 3, 4].map((n) => ({
    articleId: `a${n}`,
    position: n,
    heading: `Article ${n}`,
    body: `Texte ${n}.`,
  }))
  const amendment = (id: string, articleId: string, baseBody: string, proposedBody: string) =>
    ({ id, articleId, baseBody, proposedBody }) as AmendmentRow
  const pending = [
    amendment('x', 'a1', 'Texte 1.', 'Texte 1 amendé.'),
    amendment('y', 'a2', 'Texte 2.', 'Texte 2 amendé.'),
    amendment('z1', 'a3', 'Texte 3.', 'Une.'),
    amendment('z2', 'a3', 'Texte 3.', 'Deux.'),
    amendment('old', 'a4', 'Texte 4 ancien.', 'Texte 4 amendé.'),
  ]
  const input = (bodies: Record<string, string>, decisions: Record<string, string>) => ({
    articles: new Map(articles.map((a) => [a.articleId, { heading: a.heading, body: bodies[a.articleId] ?? a.body }])),
    decisions: new Map(
      Object.entries(decisions).map(([id, decision]) => [id, { decision: decision as 'accepted', reason: '' }]),
    ),
    note: '',
    final: false,
  })
  const errors: Record<string, string> = {}
  // a1: accepted and left as it was, applied (line endings aside); a2: accepted but rewritten by hand, the hand wins
  const bodies = acceptedWordings(
    articles,
    pending,
    input({ a1: 'Texte 1.\r\n', a2: 'Ma rédaction.' }, { x: 'accepted', y: 'accepted' }),
    errors,
  )
  assert.deepEqual(Object.fromEntries(bodies), {
    a1: 'Texte 1 amendé.',
    a2: 'Ma rédaction.',
    a3: 'Texte 3.',
    a4: 'Texte 4.',
  })
  assert.deepEqual(errors, {})
  // two accepted on one article, or one written on an older wording: the staff are asked to write it
  acceptedWordings(articles, pending, input({}, { z1: 'accepted', z2: 'accepted', old: 'accepted' }), errors)
  assert.deepEqual(errors, { 'body.a3': 'text.error.twoAccepted', 'body.a4': 'text.error.acceptedStale' })
  // merged or rejected amendments change nothing by themselves
  const untouched = acceptedWordings(articles, pending, input({}, { x: 'merged', y: 'rejected' }), {})
  assert.deepEqual(Object.fromEntries(untouched), { a1: 'Texte 1.', a2: 'Texte 2.', a3: 'Texte 3.', a4: 'Texte 4.' })
})

describeEachEngine('co-constructed texts', (engine) => {
  let ctx: TestApp
  let agent: Client
  let alice: Client
  let bob: Client
  let textId = ''
  let articleIds: string[] = []
  let amendmentA = ''
  let amendmentB = ''
  const db = () => ctx.database.db
  const draft =
    '## Article 1 – Objet\nLa présente charte organise la participation des habitants.\n\n## Article 2 – Budget\nLe budget participatif est fixé chaque année par le conseil.'
  const amendment = async (id: string) =>
    (
      await queryRows<{
        votes_for: number
        votes_against: number
        decision: string | null
        decided_in: number | null
        decision_reason: string | null
      }>(
        db(),
        sql`select votes_for, votes_against, decision, decided_in, decision_reason from text_amendments where id = ${id}`,
      )
    )[0]!

  let territory: BuiltTerritory
  before(async () => {
    ctx = await buildTestApp(engine, { SIGNIN_RATE_LIMIT: '100' })
    territory = await buildTerritory(ctx.database)
    const editor = await buildStaff(ctx.database, territory)
    agent = await signedInClient(ctx.app, editor.email, editor.password)
    const a = await createUser(ctx.database, { displayName: 'Alice Habitante' })
    const b = await createUser(ctx.database, { displayName: 'Bob Voisin' })
    alice = await signedInClient(ctx.app, a.email, a.password)
    bob = await signedInClient(ctx.app, b.email, b.password)
  })
  after(async () => ctx?.close())

  test('the staff write a draft in articles and publish it; citizens cannot; drafts are not public', async () => {
    const url = `${territory.path}/textes/nouveau`
    const fields = {
      title: 'Charte de la participation',
      summary: 'Projet de charte.',
      opensOn: parisDay(-1),
      closesOn: parisDay(10),
      articlesSource: draft,
      intent: 'draft',
    }
    assert.equal((await alice.post(url, fields, { csrfFrom: `${territory.path}/textes` })).statusCode, 403)
    const bad = await agent.post(
      url,
      { ...fields, articlesSource: 'Préambule sans article' },
      { csrfFrom: `${territory.path}/textes` },
    )
    assert.equal(bad.statusCode, 422)
    assert.match(bad.body, /au moins un article/)
    assert.equal(
      (await queryRows(db(), sql`select id from cocreated_texts where title = 'Charte de la participation'`)).length,
      0,
    )
    const created = await agent.post(url, fields)
    assert.equal(created.statusCode, 303)
    textId = created.headers.location!.split('/').pop()!
    assert.equal((await new Client(ctx.app).get(`/textes/${textId}`)).statusCode, 404)
    const edited = await agent.post(
      `/textes/${textId}/modifier`,
      {
        ...fields,
        articlesSource: `${draft}\n\n## Article 3 – Évaluation\nLa charte est évaluée chaque année.`,
        intent: 'publish',
      },
      { csrfFrom: `/textes/${textId}/modifier` },
    )
    assert.equal(edited.statusCode, 303)
    articleIds = (
      await queryRows<{ article_id: string }>(
        db(),
        sql`select article_id from text_article_versions where text_id = ${textId} and number = 1 order by position`,
      )
    ).map((r) => r.article_id)
    assert.equal(articleIds.length, 3)
    const page = await new Client(ctx.app).get(`/textes/${textId}`)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Article 3 – Évaluation/)
    assert.match(page.body, /Ouverte/)
    const list = await new Client(ctx.app).get(`${territory.path}/textes`)
    assert.match(list.body, /Charte de la participation/)
  })

  test('citizens propose amendments to an article; an unchanged wording or a missing reason is refused', async () => {
    const page = `/textes/${textId}`
    const unchanged = await alice.post(
      `${page}/amendements`,
      {
        articleId: articleIds[1]!,
        proposedBody: 'Le budget participatif est fixé chaque année par le conseil.',
        justification: 'x',
      },
      { csrfFrom: page },
    )
    assert.equal(unchanged.statusCode, 422)
    assert.match(unchanged.body, /identique/)
    assert.equal(
      (
        await alice.post(
          `${page}/amendements`,
          { articleId: articleIds[1]!, proposedBody: 'Autre rédaction', justification: '' },
          { csrfFrom: page },
        )
      ).statusCode,
      422,
    )
    assert.equal(
      (
        await queryRows(
          db(),
          sql`select a.id from text_amendments a join cocreated_texts t on t.id = a.text_id where t.title = 'Charte de la participation'`,
        )
      ).length,
      0,
    )
    assert.equal(
      (
        await new Client(ctx.app).post(
          `${page}/amendements`,
          { articleId: articleIds[1]!, proposedBody: 'x', justification: 'y' },
          { csrfFrom: '/connexion' }, // a visitor with a valid form token: refused for not being signed in
        )
      ).statusCode,
      401,
    )
    const first = await alice.post(
      `${page}/amendements`,
      {
        articleId: articleIds[1]!,
        proposedBody: 'Le budget participatif est fixé chaque année par les habitants réunis en assemblée.',
        justification: 'Les habitants décident.',
      },
      { csrfFrom: page },
    )
    assert.equal(first.statusCode, 303)
    amendmentA = first.headers.location!.split('#amendment-').pop()!
    const second = await bob.post(
      `${page}/amendements`,
      {
        articleId: articleIds[0]!,
        proposedBody: 'La présente charte organise et garantit la participation des habitants.',
        justification: 'Garantir, pas seulement organiser.',
      },
      { csrfFrom: page },
    )
    amendmentB = second.headers.location!.split('#amendment-').pop()!
    const body = (await new Client(ctx.app).get(page)).body
    assert.match(body, /<del>le conseil<\/del>/)
    assert.match(body, /<ins>les habitants réunis en assemblée<\/ins>/)
    assert.match(body, /Les habitants décident\./)
  })

  test('one vote per person and amendment, changeable and withdrawable, exact under concurrent votes', async () => {
    const page = `/textes/${textId}`
    assert.equal(
      (await bob.post(`/amendements/${amendmentA}/vote`, { vote: 'for' }, { csrfFrom: page })).statusCode,
      303,
    )
    assert.equal(
      (await bob.post(`/amendements/${amendmentA}/vote`, { vote: 'for' }, { csrfFrom: page })).statusCode,
      303,
    )
    assert.deepEqual(await amendment(amendmentA).then((a) => [a.votes_for, a.votes_against]), [1, 0])
    await bob.post(`/amendements/${amendmentA}/vote`, { vote: 'against' }, { csrfFrom: page })
    assert.deepEqual(await amendment(amendmentA).then((a) => [a.votes_for, a.votes_against]), [0, 1])
    await bob.post(`/amendements/${amendmentA}/vote`, { vote: 'none' }, { csrfFrom: page })
    assert.deepEqual(await amendment(amendmentA).then((a) => [a.votes_for, a.votes_against]), [0, 0])
    assert.equal(
      (await bob.post(`/amendements/${amendmentA}/vote`, { vote: 'maybe' }, { csrfFrom: page })).statusCode,
      400,
    )
    const voters = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const user = await createUser(ctx.database, { displayName: `Votant ${i}` })
        const client = await signedInClient(ctx.app, user.email, user.password)
        return client
      }),
    )
    const csrf = await Promise.all(voters.map(async (v) => csrfTokenOf((await v.get(page)).body)!))
    const results = await Promise.all(
      voters.flatMap((v, i) => [
        v.post(`/amendements/${amendmentA}/vote`, { vote: i % 4 === 0 ? 'against' : 'for' }, { csrf: csrf[i]! }),
        v.post(`/amendements/${amendmentA}/vote`, { vote: i % 4 === 0 ? 'against' : 'for' }, { csrf: csrf[i]! }),
      ]),
    )
    assert.deepEqual(new Set(results.map((r) => r.statusCode)), new Set([303]))
    assert.deepEqual(await amendment(amendmentA).then((a) => [a.votes_for, a.votes_against]), [6, 2])
    const [count] = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from text_amendment_votes where amendment_id = ${amendmentA}`,
    )
    assert.equal(count!.n, 8)
  })

  test('the final version waits for the close and decides every amendment; its diff and each amendment’s fate are public', async () => {
    const page = `/textes/${textId}`
    const form = `${page}/nouvelle-version`
    const wording = (overrides: Record<string, string>) => {
      const fields: Record<string, string> = {}
      const bodies = [
        'La présente charte organise et garantit la participation des habitants.',
        'Le budget participatif est fixé chaque année par le conseil.',
        'La charte est évaluée chaque année.',
      ]
      articleIds.forEach((id, i) => {
        fields[`heading.${id}`] = ['Article 1 – Objet', 'Article 2 – Budget', 'Article 3 – Évaluation'][i]!
        fields[`body.${id}`] = bodies[i]!
      })
      return { ...fields, ...overrides }
    }
    assert.equal((await alice.post(form, wording({ final: 'true' }), { csrfFrom: page })).statusCode, 403)
    // the final version before the close: the form comes back with what was written and the message at the box
    const early = await agent.post(form, wording({ final: 'true', note: 'Trop tôt.' }), { csrfFrom: form })
    assert.equal(early.statusCode, 422)
    assert.match(
      early.body,
      /id="field-final-error">La version finale se publie une fois la période d’amendement close/,
    )
    assert.match(early.body, /Trop tôt\./)
    // an intermediate version while amendments are open: Bob's amendment accepted, article 1 left as it was, so
    // the amendment's wording is applied to it; Alice's left pending
    const v1Article1 = 'La présente charte organise la participation des habitants.'
    const intermediate = await agent.post(
      form,
      wording({
        [`body.${articleIds[0]!}`]: v1Article1,
        [`decision.${amendmentB}`]: 'accepted',
        note: 'Reprise de l’amendement sur l’objet.',
      }),
      { csrfFrom: form },
    )
    assert.equal(intermediate.statusCode, 303)
    assert.equal(intermediate.headers.location, `${page}/versions/2`)
    assert.deepEqual(await amendment(amendmentB).then((a) => [a.decision, a.decided_in]), ['accepted', 2])
    const [applied] = await queryRows<{ body: string }>(
      db(),
      sql`select body from text_article_versions where text_id = ${textId} and number = 2 and article_id = ${articleIds[0]!}`,
    )
    assert.equal(applied!.body, 'La présente charte organise et garantit la participation des habitants.')
    await ctx.database.db.execute(
      sql`update cocreated_texts set closes_on = ${parisDay(-1)}, opens_on = ${parisDay(-20)} where id = ${textId}`,
    )
    assert.equal(
      (await alice.post(`/amendements/${amendmentA}/vote`, { vote: 'for' }, { csrfFrom: page })).statusCode,
      409,
    )
    const undecided = await agent.post(form, wording({ final: 'true' }), { csrfFrom: form })
    assert.equal(undecided.statusCode, 422)
    assert.match(undecided.body, /décide le sort de chaque amendement/)
    const noReason = await agent.post(form, wording({ final: 'true', [`decision.${amendmentA}`]: 'rejected' }), {
      csrfFrom: form,
    })
    assert.equal(noReason.statusCode, 422)
    assert.match(noReason.body, /motif du rejet/)
    assert.equal((await queryRows(db(), sql`select number from text_versions where text_id = ${textId}`)).length, 2)
    const final = await agent.post(
      form,
      wording({
        final: 'true',
        [`decision.${amendmentA}`]: 'rejected',
        [`reason.${amendmentA}`]: 'Le vote du budget relève du conseil.',
        note: 'Version adoptée.',
      }),
      { csrfFrom: form },
    )
    assert.equal(final.statusCode, 303)
    assert.deepEqual(await amendment(amendmentA), {
      votes_for: 6,
      votes_against: 2,
      decision: 'rejected',
      decided_in: 3,
      decision_reason: 'Le vote du budget relève du conseil.',
    })
    const [text] = await queryRows<{ status: string }>(
      db(),
      sql`select status from cocreated_texts where id = ${textId}`,
    )
    assert.equal(text!.status, 'final')
    const visitor = new Client(ctx.app)
    const v2 = await visitor.get(`${page}/versions/2`)
    assert.match(v2.body, /Différences avec la version 1/)
    assert.match(v2.body, /<ins>et garantit <\/ins>/)
    assert.match(v2.body, /Accepté/)
    const v3 = await visitor.get(`${page}/versions/3`)
    assert.match(v3.body, /Version finale/)
    assert.match(v3.body, /Rejeté.*Le vote du budget relève du conseil\./s)
    const textPage = await visitor.get(page)
    assert.match(textPage.body, /Rejeté dans la version 3/)
    assert.match(textPage.body, /Accepté dans la version 2/)
    assert.equal((await agent.post(form, wording({}), { csrfFrom: page })).statusCode, 409)
    const [audit] = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from audit_events where subject_id = ${textId} and action in ('text.version', 'text.final_version')`,
    )
    assert.equal(audit!.n, 2)
    const api = JSON.parse((await visitor.get(`/api/v1/texts/${textId}`)).body)
    assert.equal(api.text.phase, 'final')
    assert.deepEqual(
      api.versions.map((v: { number: number; final: boolean }) => [v.number, v.final]),
      [
        [1, false],
        [2, false],
        [3, true],
      ],
    )
    assert.equal(
      api.versions[1].articles[0].body,
      'La présente charte organise et garantit la participation des habitants.',
    )
    const fates = Object.fromEntries(
      api.amendments.map((a: { id: string; decision: string; decidedInVersion: number; votesFor: number }) => [
        a.id,
        [a.decision, a.decidedInVersion, a.votesFor],
      ]),
    )
    assert.deepEqual(fates, { [amendmentA]: ['rejected', 3, 6], [amendmentB]: ['accepted', 2, 0] })
    const list = JSON.parse((await visitor.get(`/api/v1/territories/autre/${territory.code}/texts`)).body)
    assert.ok(list.some((t: { id: string; versions: number }) => t.id === textId && t.versions === 3))
  })

  test('an amendment is reported and hidden by the territory’s moderator with a public reason', async () => {
    const page = `/textes/${textId}`
    const moderator = await createUser(ctx.database, { displayName: 'Mo Dératrice' })
    await grantTestRole(ctx.database, moderator.id, territory, 'moderator')
    const mo = await signedInClient(ctx.app, moderator.email, moderator.password)
    assert.equal(
      (await alice.post(`/contenus/amendment/${amendmentB}/signalement`, { reason: 'Hors sujet' }, { csrfFrom: page }))
        .statusCode,
      303,
    )
    assert.equal(
      (await alice.post(`/contenus/amendment/${amendmentB}/masquer`, { reason: 'x' }, { csrfFrom: page })).statusCode,
      403,
    )
    const queue = await mo.get(`${territory.path}/moderation`)
    assert.match(queue.body, new RegExp(`/textes/${textId}#amendment-${amendmentB}`))
    const hidden = await mo.post(
      `/contenus/amendment/${amendmentB}/masquer`,
      { reason: 'Propos injurieux' },
      { csrfFrom: `${territory.path}/moderation` },
    )
    assert.equal(hidden.statusCode, 303)
    assert.equal(hidden.headers.location, `${page}#amendment-${amendmentB}`)
    const body = (await new Client(ctx.app).get(page)).body
    assert.match(body, /Propos injurieux/)
    assert.doesNotMatch(body, /Garantir, pas seulement organiser/)
    const hiddenInApi = JSON.parse((await new Client(ctx.app).get(`/api/v1/texts/${textId}`)).body).amendments.find(
      (a: { id: string }) => a.id === amendmentB,
    )
    assert.deepEqual(
      [hiddenInApi.proposedBody, hiddenInApi.justification, hiddenInApi.hiddenReason],
      [null, null, 'Propos injurieux'],
    )
  })
})
