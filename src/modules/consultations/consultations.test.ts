import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.ts'
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
import { phaseOf } from './service.ts'

test('a consultation’s phase follows its status and dates', () => {
  const c = { status: 'published', opensOn: '2026-03-01', closesOn: '2026-03-31' }
  assert.equal(phaseOf({ ...c, status: 'draft' }, '2026-03-10'), 'draft')
  assert.equal(phaseOf(c, '2026-02-28'), 'upcoming')
  assert.equal(phaseOf(c, '2026-03-01'), 'open')
  assert.equal(phaseOf(c, '2026-03-31'), 'open')
  assert.equal(phaseOf(c, '2026-04-01'), 'closed')
  assert.equal(phaseOf({ ...c, status: 'answered' }, '2026-04-01'), 'answered')
})

describeEachEngine('consultations', (engine) => {
  let ctx: TestApp
  let agent: Client
  let alice: Client
  let bob: Client
  let consultationId = ''
  let contributionId = ''
  let commitmentId = ''
  let territory: BuiltTerritory
  /** the territory's pages */
  let T = ''
  const day = parisDay
  const contribution = async () =>
    (
      await queryRows<{ title: string; answer: string | null; support_count: number; supports: number }>(
        ctx.database.db,
        sql`select title, answer, support_count, (select count(*)::int from contribution_supports where contribution_id = c.id) as supports from contributions c where id = ${contributionId}`,
      )
    )[0]!

  before(async () => {
    ctx = await buildTestApp(engine)
    const built = await buildPlan(ctx.database)
    territory = built.territory
    T = territory.path
    agent = await signedInClient(ctx.app, built.editor.email, built.editor.password)
    commitmentId = built.commitments[0]!.id
    const a = await createUser(ctx.database, { displayName: 'Alice Habitante' })
    const b = await createUser(ctx.database, { displayName: 'Bob Voisin' })
    alice = await signedInClient(ctx.app, a.email, a.password)
    bob = await signedInClient(ctx.app, b.email, b.password)
  })
  after(async () => ctx?.close())

  test('the territory’s staff open a consultation; nobody else can', async () => {
    const url = `${T}/consultations/nouvelle`
    const fields = {
      title: 'Quelles rues apaiser ?',
      question: 'Quelles rues du bourg faut-il apaiser en priorité ?',
      context: 'Le plan vélo est en cours.',
      opensOn: day(-1),
      closesOn: day(10),
      commitmentId,
      intent: 'publish',
    }
    assert.equal((await alice.post(url, fields, { csrfFrom: `${T}/consultations` })).statusCode, 403)
    assert.equal((await agent.post(url, { ...fields, closesOn: day(-5) })).statusCode, 422)
    const created = await agent.post(url, fields)
    assert.equal(created.statusCode, 303)
    consultationId = created.headers.location!.split('/').pop()!
    const list = await new Client(ctx.app).get(`${T}/consultations`)
    assert.match(list.body, /Quelles rues apaiser \?/)
    assert.match(list.body, /Ouverte/)
  })

  test('citizens contribute, comment in threads, and only the author edits a contribution', async () => {
    const page = `/consultations/${consultationId}`
    assert.equal(
      (
        await new Client(ctx.app).post(
          `${page}/contributions`,
          { kind: 'idea', title: 'Zone 30', body: 'x' },
          { csrfFrom: '/connexion' }, // a visitor with a valid form token: refused for not being signed in
        )
      ).statusCode,
      401,
    )
    const bad = await alice.post(
      `${page}/contributions`,
      { kind: 'wish', title: 'Zone 30 rue de l’école', body: 'Limiter à 30 km/h.' },
      { csrfFrom: page },
    )
    assert.equal(bad.statusCode, 422)
    const posted = await alice.post(
      `${page}/contributions`,
      { kind: 'idea', title: 'Zone 30 rue de l’école', body: 'Limiter à 30 km/h devant l’école.' },
      { csrfFrom: page },
    )
    assert.equal(posted.statusCode, 303)
    const [first] = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`select id from contributions where consultation_id = ${consultationId}`,
    )
    contributionId = first!.id
    const edit = await bob.post(
      `/contributions/${contributionId}/modifier`,
      { kind: 'critique', title: 'Détourné', body: 'Détourné' },
      { csrfFrom: page },
    )
    assert.equal(edit.statusCode, 403)
    assert.equal((await contribution()).title, 'Zone 30 rue de l’école')
    assert.equal(
      (
        await alice.post(`/contributions/${contributionId}/modifier`, {
          kind: 'idea',
          title: 'Zone 30 devant l’école',
          body: 'Limiter à 30 km/h devant l’école.',
        })
      ).statusCode,
      303,
    )
    assert.equal((await contribution()).title, 'Zone 30 devant l’école')
    assert.equal(
      (
        await bob.post(
          `/contributions/${contributionId}/commentaires`,
          { body: 'Et la rue du marché ?' },
          { csrfFrom: page },
        )
      ).statusCode,
      303,
    )
    const [parent] = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`select id from contribution_comments where contribution_id = ${contributionId}`,
    )
    assert.equal(
      (
        await alice.post(
          `/contributions/${contributionId}/commentaires`,
          { body: 'Bonne idée, ajoutons-la.', parentId: parent!.id },
          { csrfFrom: page },
        )
      ).statusCode,
      303,
    )
    const body = (await new Client(ctx.app).get(page)).body
    assert.match(body, /Et la rue du marché \?/)
    assert.match(
      body,
      /<ul class="comments">(?:(?!<\/ul>).)*Et la rue du marché(?:(?!<\/li>).)*<ul class="comments">(?:(?!<\/ul>).)*Bonne idée, ajoutons-la/s,
    )
  })

  test('one support per person, even under concurrent requests; a support can be withdrawn', async () => {
    const page = `/consultations/${consultationId}`
    const token = /name="_csrf" value="([^"]+)"/.exec((await alice.get(page)).body)![1]!
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        alice.post(`/contributions/${contributionId}/soutien`, { supported: 'true' }, { csrf: token }),
      ),
    )
    assert.ok(responses.every((r) => r.statusCode === 303))
    assert.deepEqual(
      { count: (await contribution()).support_count, rows: (await contribution()).supports },
      { count: 1, rows: 1 },
    )
    assert.equal(
      (await bob.post(`/contributions/${contributionId}/soutien`, { supported: 'true' }, { csrfFrom: page }))
        .statusCode,
      303,
    )
    assert.deepEqual(
      { count: (await contribution()).support_count, rows: (await contribution()).supports },
      { count: 2, rows: 2 },
    )
    assert.equal(
      (await bob.post(`/contributions/${contributionId}/soutien`, { supported: 'false' }, { csrfFrom: page }))
        .statusCode,
      303,
    )
    assert.equal(
      (await bob.post(`/contributions/${contributionId}/soutien`, { supported: 'false' }, { csrfFrom: page }))
        .statusCode,
      303,
    )
    assert.deepEqual(
      { count: (await contribution()).support_count, rows: (await contribution()).supports },
      { count: 1, rows: 1 },
    )
    // the staff answer as contributions come in, without waiting for the close
    assert.equal(
      (
        await agent.post(
          `/contributions/${contributionId}/reponse`,
          { decision: 'retained', answer: 'À l’étude par le service voirie.' },
          { csrfFrom: `/consultations/${consultationId}` },
        )
      ).statusCode,
      303,
    )
    assert.equal((await contribution()).answer, 'À l’étude par le service voirie.')
  })

  test('closed: no more contributions nor supports; the staff answer, link to a commitment, and publish the synthesis', async () => {
    const page = `/consultations/${consultationId}`
    await ctx.database.db.execute(
      sql`update consultations set opens_on = ${day(-10)}, closes_on = ${day(-1)} where id = ${consultationId}`,
    )
    const count = async () =>
      (
        await queryRows<{ n: number }>(
          ctx.database.db,
          sql`select count(*)::int as n from contributions where consultation_id = ${consultationId}`,
        )
      )[0]!.n
    assert.equal(
      (
        await bob.post(
          `${page}/contributions`,
          { kind: 'opinion', title: 'Trop tard', body: 'Trop tard' },
          { csrfFrom: page },
        )
      ).statusCode,
      409,
    )
    assert.equal(await count(), 1)
    assert.equal(
      (await bob.post(`/contributions/${contributionId}/soutien`, { supported: 'true' }, { csrfFrom: page }))
        .statusCode,
      409,
    )
    assert.equal((await contribution()).support_count, 1)
    assert.equal(
      (
        await alice.post(
          `/contributions/${contributionId}/modifier`,
          { kind: 'idea', title: 'Changée après coup', body: 'x' },
          { csrfFrom: page },
        )
      ).statusCode,
      409,
    )
    // a citizen cannot answer in the territory's name
    assert.equal(
      (
        await bob.post(
          `/contributions/${contributionId}/reponse`,
          { decision: 'retained', answer: 'Oui', commitmentId },
          { csrfFrom: page },
        )
      ).statusCode,
      403,
    )
    // the staff's form offers the milestones of the published plans; a milestone chosen alone carries its commitment
    const [milestone] = await queryRows<{ id: string; title: string }>(
      ctx.database.db,
      sql`select id, title from milestones where commitment_id = ${commitmentId} order by due_date limit 1`,
    )
    // an empty answer: the page comes back with that contribution's form open, what was chosen kept, the message at the field
    const empty = await agent.post(
      `/contributions/${contributionId}/reponse`,
      { decision: 'not_retained', answer: '  ', commitmentId, tri: 'recentes', page: '1' },
      { csrfFrom: page },
    )
    assert.equal(empty.statusCode, 422)
    assert.match(empty.body, /<details open[^>]*><summary>Réponse du territoire<\/summary><div class="error-summary"/)
    assert.match(empty.body, new RegExp(`id="answer-${contributionId}-answer-error">[^<]+`))
    assert.match(empty.body, /<option value="not_retained" selected/)
    assert.match(empty.body, new RegExp(`<option value="${commitmentId}" selected`))
    assert.equal((await contribution()).answer, 'À l’étude par le service voirie.', 'nothing changed')
    const staffPage = (await agent.get(page)).body
    assert.match(staffPage, new RegExp(`<select[^>]*name="milestoneId"[\\s\\S]*?value="${milestone!.id}"`))
    assert.equal(
      (
        await agent.post(
          `/contributions/${contributionId}/reponse`,
          {
            decision: 'retained',
            answer: 'Retenue : zone 30 devant les deux écoles en 2027.',
            milestoneId: milestone!.id,
          },
          { csrfFrom: page },
        )
      ).statusCode,
      303,
    )
    const [linked] = await queryRows<{ commitment_id: string; milestone_id: string }>(
      ctx.database.db,
      sql`select commitment_id, milestone_id from contributions where id = ${contributionId}`,
    )
    assert.deepEqual([linked!.commitment_id, linked!.milestone_id], [commitmentId, milestone!.id])
    assert.match(
      (await new Client(ctx.app).get(page)).body,
      new RegExp(`Jalon : ${milestone!.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    )
    const commitmentPage = (await new Client(ctx.app).get(`/engagements/${commitmentId}`)).body
    assert.match(commitmentPage, new RegExp(`/consultations/${consultationId}#contribution-${contributionId}`))
    const consultation = (await new Client(ctx.app).get(page)).body
    assert.match(consultation, /Retenue : zone 30 devant les deux écoles en 2027\./)
    assert.match(consultation, /Reprise dans l’engagement/)
    assert.equal((await agent.post(`${page}/synthese`, { synthesis: '' })).statusCode, 422)
    assert.equal(
      (await agent.post(`${page}/synthese`, { synthesis: 'Douze contributions, trois rues retenues.' })).statusCode,
      303,
    )
    const answered = (await new Client(ctx.app).get(page)).body
    assert.match(answered, /Synthèse publiée/)
    assert.match(answered, /Douze contributions, trois rues retenues\./)
    const [audit] = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from audit_events where subject_id = ${contributionId} and action like 'contribution.%'`,
    )
    assert.ok(audit!.n >= 5)
    // the same as open data
    const api = JSON.parse((await new Client(ctx.app).get(`/api/v1/consultations/${consultationId}`)).body)
    assert.equal(api.consultation.phase, 'answered')
    assert.equal(api.synthesis, 'Douze contributions, trois rues retenues.')
    assert.deepEqual(
      api.contributions.map((k: { title: string; supports: number; decision: string; commitmentId: string }) => [
        k.title,
        k.supports,
        k.decision,
        k.commitmentId,
      ]),
      [['Zone 30 devant l’école', 1, 'retained', commitmentId]],
    )
    const list = JSON.parse(
      (await new Client(ctx.app).get(`/api/v1/territories/autre/${territory.code}/consultations`)).body,
    )
    assert.equal(list.find((c: { id: string }) => c.id === consultationId).contributions, 1)
    const openapi = JSON.parse((await new Client(ctx.app).get('/api/docs/json')).body)
    assert.ok(
      openapi.paths['/api/v1/consultations/{id}'] && openapi.paths['/api/v1/territories/{kind}/{code}/questions'],
    )
  })

  test('a large consultation pages its contributions (page and API), in either order, with the total count', async () => {
    await ctx.database.db.execute(sql`insert into contributions (consultation_id, territory_id, author_id, kind, title, body, support_count, created_at)
      select c.id, c.territory_id, null, 'idea', 'Idée n° ' || n, 'Texte ' || n, n, now() - make_interval(mins => n)
      from consultations c, generate_series(1, 120) n where c.id = ${consultationId}`)
    await ctx.database.db.execute(
      sql`update consultations set contribution_count = contribution_count + 120 where id = ${consultationId}`,
    )
    const first = await new Client(ctx.app).get(`/consultations/${consultationId}?tri=soutiens`)
    assert.match(first.body, /Contributions \(121\)/)
    assert.match(first.body, /Idée n° 120</)
    assert.doesNotMatch(first.body, /Idée n° 70</)
    assert.match(first.body, /1 \/ 3/)
    const third = await new Client(ctx.app).get(`/consultations/${consultationId}?tri=soutiens&page=3`)
    assert.match(third.body, /Idée n° 1</)
    assert.doesNotMatch(third.body, /Idée n° 120</)
    const recent = await new Client(ctx.app).get(`/consultations/${consultationId}?tri=recentes&page=2`)
    assert.match(recent.body, /Idée n° 50</)
    assert.equal((await new Client(ctx.app).get(`/consultations/${consultationId}?page=0`)).statusCode, 400)
    const api = await new Client(ctx.app).get(`/api/v1/consultations/${consultationId}`)
    const json = JSON.parse(api.body)
    assert.equal(json.consultation.contributions, 121)
    assert.equal(json.contributions.length, 121)
    assert.equal(json.pageSize, 500)
  })

  test('the staff edit a published consultation, extend it and close it early; each change is in its public history', async () => {
    const created = await agent.post(`${T}/consultations/nouvelle`, {
      title: 'Quel marché le dimanche ?',
      question: 'Où installer le marché du dimanche ?',
      context: '',
      opensOn: day(-3),
      closesOn: day(10),
      commitmentId: '',
      intent: 'publish',
    })
    assert.equal(created.statusCode, 303)
    const page = created.headers.location!
    const edit = `${page}/modifier`
    const anonymous = new Client(ctx.app)
    const fields = {
      title: 'Quel marché le dimanche ?',
      question: 'Où installer le marché du dimanche ?',
      context: '',
      opensOn: day(-3),
      closesOn: day(10),
      commitmentId: '',
      reason: '',
    }
    assert.equal((await alice.get(edit)).statusCode, 403)
    assert.equal((await alice.post(edit, { ...fields, title: 'Piraté' }, { csrfFrom: page })).statusCode, 403)
    const form = (await agent.get(edit)).body
    assert.match(form, /Ouverte depuis le [^:]+ : l’ouverture ne change plus/)
    assert.doesNotMatch(form, /type="date"[^>]*name="opensOn"/)

    // refusals keep what was typed
    const past = await agent.post(edit, { ...fields, title: 'Marché du dimanche', closesOn: day(-2) })
    assert.equal(past.statusCode, 422)
    assert.match(past.body, /La clôture se reporte à aujourd’hui ou plus tard/)
    assert.match(past.body, /value="Marché du dimanche"/)
    const moved = await agent.post(edit, { ...fields, opensOn: day(-5) })
    assert.equal(moved.statusCode, 422)
    assert.match(moved.body, /son ouverture ne change plus/)

    // an extension with a new title and a reason: public, before and after
    assert.equal(
      (
        await agent.post(edit, {
          ...fields,
          title: 'Marché du dimanche : où ?',
          closesOn: day(20),
          reason: 'Plus de temps pour les familles',
        })
      ).statusCode,
      303,
    )
    assert.equal(
      (await agent.post(edit, { ...fields, title: 'Marché du dimanche : où ?', closesOn: day(20) })).statusCode,
      303,
    )
    assert.match((await agent.get(page)).body, /Rien n’a changé\./)
    const extended = (await anonymous.get(page)).body
    assert.match(extended, /<h2 id="changes-title">Historique des modifications<\/h2>/)
    assert.match(extended, /Titre : <del>Quel marché le dimanche \?<\/del> → <ins>Marché du dimanche : où \?<\/ins>/)
    assert.match(extended, /Clôture : <del>[^<]+<\/del> → <ins>[^<]+<\/ins>/)
    assert.match(extended, /Raison : Plus de temps pour les familles/)
    assert.doesNotMatch(extended, /Clore la consultation aujourd’hui/, 'the staff’s tools stay with the staff')

    // closed early: the reason is required; then nobody contributes
    const noReason = await agent.post(`${page}/cloture`, { reason: ' ' })
    assert.equal(noReason.statusCode, 422)
    assert.match(noReason.body, /<details class="panel" open><summary>Clore la consultation aujourd’hui/)
    assert.equal((await alice.post(`${page}/cloture`, { reason: 'Je ferme' }, { csrfFrom: page })).statusCode, 403)
    assert.equal(
      (await agent.post(`${page}/cloture`, { reason: 'Le conseil municipal a tranché le 2 décembre.' })).statusCode,
      303,
    )
    const closed = (await anonymous.get(page)).body
    assert.match(closed, /Close/)
    assert.match(closed, /Clôture avancée au [^(]+\(prévue le [^)]+\)\./)
    assert.match(closed, /Raison : Le conseil municipal a tranché le 2 décembre\./)
    assert.equal(
      (
        await alice.post(
          `${page}/contributions`,
          { kind: 'idea', title: 'Place de la mairie', body: 'Sur la place.' },
          { csrfFrom: page },
        )
      ).statusCode,
      409,
    )
    assert.equal((await agent.post(`${page}/cloture`, { reason: 'Encore une fois' })).statusCode, 409)
    const id = page.split('/').pop()!
    assert.equal(JSON.parse((await anonymous.get(`/api/v1/consultations/${id}`)).body).consultation.phase, 'closed')
    assert.doesNotMatch(
      (await anonymous.get('/participer')).body,
      /Marché du dimanche : où \?/,
      'no longer among what is open',
    )

    // a later closing reopens it
    assert.equal(
      (
        await agent.post(edit, {
          ...fields,
          title: 'Marché du dimanche : où ?',
          closesOn: day(5),
          reason: 'Le conseil demande un second tour.',
        })
      ).statusCode,
      303,
    )
    assert.equal(
      (
        await alice.post(
          `${page}/contributions`,
          { kind: 'idea', title: 'Place de la mairie', body: 'Sur la place.' },
          { csrfFrom: page },
        )
      ).statusCode,
      303,
    )
    assert.equal(JSON.parse((await anonymous.get(`/api/v1/consultations/${id}`)).body).consultation.phase, 'open')
    assert.match((await anonymous.get('/participer')).body, /Marché du dimanche : où \?/)
    const history = await queryRows<{ changes: { field: string }[]; reason: string }>(
      ctx.database.db,
      sql`select changes, reason from consultation_changes where consultation_id = ${id} order by id`,
    )
    assert.deepEqual(
      history.map((h) => [h.changes.map((c) => c.field), h.reason]),
      [
        [['title', 'closesOn'], 'Plus de temps pour les familles'],
        [['closedEarly'], 'Le conseil municipal a tranché le 2 décembre.'],
        [['closesOn'], 'Le conseil demande un second tour.'],
      ],
    )
    await assert.rejects(
      ctx.database.db.execute(sql`delete from consultation_changes where consultation_id = ${id}`),
      'the history is append-only',
    )
    // once its synthesis is out, a consultation no longer changes
    const answered = await agent.post(`/consultations/${consultationId}/modifier`, { ...fields, title: 'Trop tard' })
    assert.equal(answered.statusCode, 409)
    assert.match(answered.body, /La synthèse est publiée/)
    // a reader who chose English reads the refusal in English
    await agent.post('/compte/profil', { displayName: 'Agent', locale: 'en' }, { csrfFrom: '/compte' })
    const inEnglish = await agent.post(`/consultations/${consultationId}/cloture`, { reason: 'Once more' })
    assert.equal(inEnglish.statusCode, 409)
    assert.match(inEnglish.body, /Only an open consultation can be closed early\./)
    await agent.post('/compte/profil', { displayName: 'Agent', locale: 'fr' }, { csrfFrom: '/compte' })
  })
})

describeEachEngine('reports and moderation of contributions', (engine) => {
  let ctx: TestApp
  let territory: BuiltTerritory
  /** the territory's pages */
  let T = ''
  let author: Client
  let reporters: Client[] = []
  let moderator: Client
  let otherModerator: Client
  let authorId = ''
  let contributionId = ''
  let consultationId = ''
  const state = async () =>
    (
      await queryRows<{ hidden_at: string | null; hidden_reason: string | null }>(
        ctx.database.db,
        sql`select hidden_at, hidden_reason from contributions where id = ${contributionId}`,
      )
    )[0]!

  before(async () => {
    ctx = await buildTestApp(engine, { REPORT_HIDE_THRESHOLD: '2' })
    territory = await buildTerritory(ctx.database)
    T = territory.path
    const login = async (name: string, moderatorOf?: BuiltTerritory) => {
      const user = moderatorOf
        ? await buildStaff(ctx.database, moderatorOf, 'moderator', name)
        : await createUser(ctx.database, { displayName: name })
      const client = await signedInClient(ctx.app, user.email, user.password)
      return { client, id: user.id }
    }
    const a = await login('Auteur Pénible')
    author = a.client
    authorId = a.id
    reporters = [(await login('Rapporteur Un')).client, (await login('Rapporteur Deux')).client]
    moderator = (await login('Mona Modératrice', territory)).client
    otherModerator = (await login('Omar Ailleurs', await buildTerritory(ctx.database))).client
    const [c] = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`insert into consultations (territory_id, title, question, opens_on, closes_on, status) values (${territory.id}, 'Consultation test', 'Question test ?', current_date - 1, current_date + 5, 'published') returning id`,
    )
    consultationId = c!.id
    assert.equal(
      (
        await author.post(`/consultations/${consultationId}/contributions`, {
          kind: 'opinion',
          title: 'Message injurieux',
          body: 'Texte injurieux.',
        })
      ).statusCode,
      303,
    )
    assert.equal(
      (
        await author.post(`/consultations/${consultationId}/contributions`, {
          kind: 'idea',
          title: 'Deuxième message',
          body: 'Autre texte.',
        })
      ).statusCode,
      303,
    )
    const [k] = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`select id from contributions where title = 'Message injurieux'`,
    )
    contributionId = k!.id
  })
  after(async () => ctx?.close())

  test('reports by N distinct people hide a contribution pending review; one person counts once', async () => {
    const page = `/consultations/${consultationId}`
    const report = (client: Client) =>
      client.post(`/contenus/contribution/${contributionId}/signalement`, { reason: 'Injurieux' }, { csrfFrom: page })
    assert.equal(
      (
        await reporters[0]!.post(
          `/contenus/contribution/${contributionId}/signalement`,
          { reason: '' },
          { csrfFrom: page },
        )
      ).statusCode,
      422,
    )
    assert.equal((await report(reporters[0]!)).statusCode, 303)
    assert.equal((await report(reporters[0]!)).statusCode, 303)
    assert.equal((await state()).hidden_at, null)
    assert.equal((await report(reporters[1]!)).statusCode, 303)
    assert.match((await state()).hidden_reason!, /Masqué après 2 signalements/)
    const body = (await new Client(ctx.app).get(page)).body
    assert.doesNotMatch(body, /Texte injurieux/)
    assert.match(body, /Masqué par la modération : Masqué après 2 signalements/)
  })

  test('moderators of the territory restore or hide with a public reason, and hide all of an account at once; others cannot', async () => {
    const review = `${T}/moderation`
    assert.equal((await otherModerator.get(review)).statusCode, 403)
    assert.equal(
      (await otherModerator.post(`/contenus/contribution/${contributionId}/retablir`, {}, { csrfFrom: `${T}` }))
        .statusCode,
      403,
    )
    assert.notEqual((await state()).hidden_at, null)
    // a type of content no module lends to the moderation
    const unknownType = await moderator.post(
      `/contenus/affiche/${contributionId}/masquer`,
      { reason: 'Hors sujet' },
      { csrfFrom: review },
    )
    assert.equal(unknownType.statusCode, 404)
    const overview = await moderator.get(review)
    assert.equal(overview.statusCode, 200)
    assert.match(overview.body, /2 signalements/)
    assert.match(
      overview.body,
      /Raisons données par les personnes qui ont signalé/,
      'the queue shows the reasons given',
    )
    assert.equal(
      (await moderator.post(`/contenus/contribution/${contributionId}/retablir`, {}, { csrfFrom: review })).statusCode,
      303,
    )
    assert.equal((await state()).hidden_at, null)
    const noReason = await moderator.post(
      `/contenus/contribution/${contributionId}/masquer`,
      { reason: ' ' },
      { csrfFrom: review },
    )
    assert.equal(noReason.statusCode, 303, 'back to the page, saying why')
    assert.match((await moderator.get(noReason.headers.location!)).body, /Donnez la raison\./)
    assert.equal((await state()).hidden_at, null, 'nothing hidden without a reason')
    assert.equal(
      (
        await moderator.post(
          `/contenus/contribution/${contributionId}/masquer`,
          { reason: 'Propos injurieux (charte, article 3).' },
          { csrfFrom: review },
        )
      ).statusCode,
      303,
    )
    assert.equal((await state()).hidden_reason, 'Propos injurieux (charte, article 3).')
    assert.equal(
      (
        await moderator.post(
          `${review}/compte`,
          { userId: authorId, reason: 'Compte en infraction répétée.' },
          { csrfFrom: review },
        )
      ).statusCode,
      303,
    )
    const [left] = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from contributions where author_id = ${authorId} and hidden_at is null`,
    )
    assert.equal(left!.n, 0)
    const log = (await moderator.get(review)).body
    assert.match(
      log,
      /Toutes les contributions d’un compte masquées \(Compte\) — [^<]+ — motif : Compte en infraction répétée\./,
      'the log speaks in words',
    )
    assert.match(log, /Rétabli \(Contribution\)/)
    assert.match(log, /Masqué automatiquement après plusieurs signalements \(Contribution\) — la plateforme/)
    assert.doesNotMatch(log, /content\.[a-z_]+/, 'no code left')
  })

  test('a moderator hides any content from its page, reported or not; nobody else sees the control', async () => {
    const page = `/consultations/${consultationId}`
    const [fresh] = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`insert into contributions (consultation_id, territory_id, author_id, kind, title, body) select id, territory_id, ${authorId}, 'idea', 'Jamais signalé', 'Un texte que personne n’a signalé.' from consultations where id = ${consultationId} returning id`,
    )
    const control = new RegExp(`<form method="post" action="/contenus/contribution/${fresh!.id}/masquer"`)
    assert.doesNotMatch((await reporters[0]!.get(page)).body, control)
    assert.doesNotMatch((await otherModerator.get(page)).body, control)
    const seen = (await moderator.get(page)).body
    assert.match(seen, control)
    assert.match(seen, /<summary>Masquer \(modération\)<\/summary>/)
    assert.equal(
      (
        await otherModerator.post(
          `/contenus/contribution/${fresh!.id}/masquer`,
          { reason: 'Hors sujet' },
          { csrfFrom: page },
        )
      ).statusCode,
      403,
    )
    const hidden = await moderator.post(
      `/contenus/contribution/${fresh!.id}/masquer`,
      { reason: 'Hors sujet : voir la charte.' },
      { csrfFrom: page },
    )
    assert.equal(hidden.statusCode, 303)
    assert.equal(hidden.headers.location, `${page}#contribution-${fresh!.id}`)
    const after = (await new Client(ctx.app).get(page)).body
    assert.doesNotMatch(after, /Un texte que personne n’a signalé/)
    assert.match(after, /Masqué par la modération : Hors sujet : voir la charte\./)
    assert.match(
      (await moderator.get(page)).body,
      new RegExp(`action="/contenus/contribution/${fresh!.id}/retablir"`),
      'and restores it from there',
    )
    const [audit] = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from audit_events where action = 'content.hidden' and subject_id = ${fresh!.id}`,
    )
    assert.equal(audit!.n, 1)
  })
})
