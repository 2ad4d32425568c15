import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
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
  multipart,
  signedInClient,
  type TestApp,
} from '../../../test/helpers/app.ts'

const TERRITORY = '/territoires/commune/35238'

const commitmentForm = (title: string) => ({
  title,
  problem: 'Les décisions sont difficiles à retrouver.',
  description: 'Publier un registre des décisions.',
  contribution: 'Chacun peut vérifier.',
  ogpValues: 'access_to_information',
  expectedImpacts: '',
  leadActor: 'Secrétariat général',
  supportingActors: '',
  themes: 'transparence, numérique',
  startDate: '2026-01-01',
  endDate: '2027-12-31',
  budgetEur: '12 000',
  deliberationUrl: '',
})

describeEachEngine('action plans over HTTP', (engine) => {
  let ctx: TestApp
  let staff: Client
  let elected: Client
  let outsider: Client
  let planPath = ''
  let commitmentPath = ''

  before(async () => {
    ctx = await buildTestApp(engine)
    const as = async (role: string, code = '35238') => {
      const user = await createUser(ctx.database)
      await grantTestRole(ctx.database, user.id, { kind: 'commune', code }, role)
      const client = await signedInClient(ctx.app, user.email, user.password)
      return client
    }
    staff = await as('editor')
    elected = await as('elected')
    outsider = await as('editor', '44109')
  })
  after(async () => {
    await ctx.close()
  })

  test('staff draft a plan with a commitment and milestones through the forms; bad input gets 422', async () => {
    const invalid = await staff.post(`${TERRITORY}/plans/nouveau`, {
      title: '',
      periodStart: '2026-13-01',
      periodEnd: '2025-01-01',
      cocreationSummary: '',
    })
    assert.equal(invalid.statusCode, 422)
    assert.match(invalid.body, /Le formulaire contient 2 erreur/)
    assert.match(invalid.body, /date réelle, par exemple 31\/01\/2027/)
    const created = await staff.post(`${TERRITORY}/plans/nouveau`, {
      title: 'Plan de gouvernement ouvert',
      periodStart: '2026-01-01',
      periodEnd: '2027-12-31',
      cocreationSummary: 'Quatre ateliers.',
    })
    assert.equal(created.statusCode, 303)
    planPath = String(created.headers.location)
    assert.match(planPath, /^\/plans\/[0-9a-f-]{36}$/)

    const badCommitment = await staff.post(`${planPath}/engagements/nouveau`, {
      ...commitmentForm(''),
      ogpValues: 'world_peace',
      budgetEur: '-5',
    })
    assert.equal(badCommitment.statusCode, 422)
    assert.match(badCommitment.body, /valeurs de la liste/)
    assert.match(badCommitment.body, /montant positif/)
    const commitment = await staff.post(`${planPath}/engagements/nouveau`, commitmentForm('Registre des décisions'))
    assert.equal(commitment.statusCode, 303)
    commitmentPath = String(commitment.headers.location)
    const [row] = await queryRows<{ themes: string[]; budget_eur: string; ogp_values: string[] }>(
      ctx.database.db,
      sql`select themes, budget_eur, ogp_values from commitments where id = ${commitmentPath.split('/').pop()}`,
    )
    assert.deepEqual(row!.themes, ['transparence', 'numérique'])
    assert.equal(Number(row!.budget_eur), 12000)
    assert.deepEqual(row!.ogp_values, ['access_to_information'])

    for (const [title, dueDate] of [
      ['Inventaire', '2026-02-01'],
      ['Mise en ligne', '2099-06-30'],
    ]) {
      const milestone = await staff.post(`${commitmentPath}/jalons/nouveau`, {
        title: title!,
        deliverable: 'Page publiée',
        startDate: '',
        dueDate: dueDate!,
        responsible: 'DSI',
        weight: '',
      })
      assert.equal(milestone.statusCode, 303)
    }
    const badMilestone = await staff.post(`${commitmentPath}/jalons/nouveau`, {
      title: 'Sans date',
      deliverable: '',
      startDate: '',
      dueDate: '',
      responsible: '',
      weight: 'abc',
    })
    assert.equal(badMilestone.statusCode, 422)
  })

  test('a draft plan is hidden from visitors and from other territories’ staff', async () => {
    assert.equal((await new Client(ctx.app).get(planPath)).statusCode, 404)
    assert.equal((await new Client(ctx.app).get(commitmentPath)).statusCode, 404)
    assert.equal((await outsider.get(planPath)).statusCode, 404)
    assert.equal((await staff.get(planPath)).statusCode, 200)
    const list = await new Client(ctx.app).get(`${TERRITORY}/plans`)
    assert.doesNotMatch(list.body, /Plan de gouvernement ouvert/)
  })

  test('another territory’s editor gets 403 on every form and nothing changes', async () => {
    const token = csrfTokenOf((await outsider.get('/compte')).body)
    const attempts = [
      [
        `${TERRITORY}/plans/nouveau`,
        { title: 'Intrus', periodStart: '2026-01-01', periodEnd: '2026-12-31', cocreationSummary: '' },
      ],
      [
        `${planPath}/modifier`,
        { title: 'Piraté', periodStart: '2026-01-01', periodEnd: '2026-12-31', cocreationSummary: '', version: '1' },
      ],
      [`${planPath}/engagements/nouveau`, commitmentForm('Intrus')],
      [
        `${commitmentPath}/jalons/nouveau`,
        { title: 'Intrus', deliverable: '', startDate: '', dueDate: '2026-01-01', responsible: '', weight: '' },
      ],
      [`${planPath}/etapes`, { transition: 'submit' }],
    ] as const
    const [before] = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`select (select count(*) from action_plans) + (select count(*) from commitments) + (select count(*) from milestones) + (select count(*) from audit_events) as n`,
    )
    for (const [url, fields] of attempts) {
      const response = await outsider.post(url, fields as Record<string, string>, { csrf: token })
      assert.equal(response.statusCode, 403, url)
    }
    const [afterRow] = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`select (select count(*) from action_plans) + (select count(*) from commitments) + (select count(*) from milestones) + (select count(*) from audit_events) as n`,
    )
    assert.equal(Number(afterRow!.n), Number(before!.n))
  })

  test('a draft’s commitments and milestones can be removed, by its staff only', async () => {
    const created = await staff.post(`${planPath}/engagements/nouveau`, commitmentForm('À supprimer'))
    const path = String(created.headers.location)
    await staff.post(`${path}/jalons/nouveau`, {
      title: 'Jalon à supprimer',
      deliverable: '',
      startDate: '',
      dueDate: '2026-06-01',
      responsible: '',
      weight: '',
    })
    const [milestone] = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`select id from milestones where title = 'Jalon à supprimer'`,
    )
    assert.equal(
      (await outsider.post(`/jalons/${milestone!.id}/supprimer`, {}, { csrfFrom: '/compte' })).statusCode,
      403,
    )
    const removedMilestone = await staff.post(`/jalons/${milestone!.id}/supprimer`, {}, { csrfFrom: path })
    assert.equal(removedMilestone.statusCode, 303)
    assert.equal(removedMilestone.headers.location, path)
    assert.equal(
      (await queryRows(ctx.database.db, sql`select 1 from milestones where id = ${milestone!.id}`)).length,
      0,
    )
    await staff.post(`${path}/jalons/nouveau`, {
      title: 'Autre jalon',
      deliverable: '',
      startDate: '',
      dueDate: '2026-06-01',
      responsible: '',
      weight: '',
    })
    assert.equal((await outsider.post(`${path}/supprimer`, {}, { csrfFrom: '/compte' })).statusCode, 403)
    const removed = await staff.post(`${path}/supprimer`, {}, { csrfFrom: path })
    assert.equal(removed.statusCode, 303)
    assert.equal(removed.headers.location, planPath)
    assert.equal(
      (await queryRows(ctx.database.db, sql`select 1 from commitments where id = ${path.split('/').pop()}`)).length,
      0,
    )
    assert.equal(
      (await queryRows(ctx.database.db, sql`select 1 from milestones where title = 'Autre jalon'`)).length,
      0,
    )
    const [audit] = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from audit_events where action in ('milestone.deleted', 'commitment.deleted')`,
    )
    assert.equal(audit!.n, 2)
  })

  test('two people edit the same commitment: the second gets a conflict page with both versions, and the first save stays', async () => {
    const formA = await staff.get(`${commitmentPath}/modifier`)
    const formB = await elected.get(`${commitmentPath}/modifier`)
    const version = /name="version" value="(\d+)"/.exec(formA.body)![1]!
    assert.equal(/name="version" value="(\d+)"/.exec(formB.body)![1], version)
    const saveA = await staff.post(
      `${commitmentPath}/modifier`,
      { ...commitmentForm('Registre public des décisions'), version },
      { csrf: csrfTokenOf(formA.body) },
    )
    assert.equal(saveA.statusCode, 303)
    const saveB = await elected.post(
      `${commitmentPath}/modifier`,
      { ...commitmentForm('Registre des délibérations'), version },
      { csrf: csrfTokenOf(formB.body) },
    )
    assert.equal(saveB.statusCode, 409)
    assert.match(saveB.body, /Une autre version a été enregistrée entre-temps/)
    assert.match(saveB.body, /Registre public des décisions/, 'the saved version is shown')
    assert.match(saveB.body, /value="Registre des délibérations"/, 'the person’s own text is kept in the form')
    const [row] = await queryRows<{ title: string }>(
      ctx.database.db,
      sql`select title from commitments where id = ${commitmentPath.split('/').pop()}`,
    )
    assert.equal(row!.title, 'Registre public des décisions')
  })

  test('the plan is submitted, validated by an elected official, published; staff cannot validate', async () => {
    assert.equal(
      (await staff.post(`${planPath}/etapes`, { transition: 'submit' }, { csrfFrom: planPath })).statusCode,
      303,
    )
    const page = await staff.get(planPath)
    assert.doesNotMatch(page.body, /Valider le plan/, 'staff are not offered the validation')
    assert.equal(
      (await staff.post(`${planPath}/etapes`, { transition: 'validate' }, { csrfFrom: planPath })).statusCode,
      403,
    )
    const electedPage = await elected.get(planPath)
    assert.match(electedPage.body, /Valider le plan/)
    assert.equal(
      (await elected.post(`${planPath}/etapes`, { transition: 'validate' }, { csrfFrom: planPath })).statusCode,
      303,
    )
    assert.equal(
      (await staff.post(`${planPath}/etapes`, { transition: 'publish' }, { csrfFrom: planPath })).statusCode,
      303,
    )
    const bogus = await staff.post(`${planPath}/etapes`, { transition: 'explode' }, { csrfFrom: planPath })
    assert.equal(bogus.statusCode, 400)
    const again = await staff.post(`${planPath}/etapes`, { transition: 'publish' }, { csrfFrom: planPath })
    assert.equal(again.statusCode, 409)
  })

  test('nothing is removed once the plan has left the draft', async () => {
    const response = await staff.post(`${commitmentPath}/supprimer`, {}, { csrfFrom: commitmentPath })
    assert.equal(response.statusCode, 409)
    assert.equal(
      (await queryRows(ctx.database.db, sql`select 1 from commitments where id = ${commitmentPath.split('/').pop()}`))
        .length,
      1,
    )
  })

  test('staff post an update; a visitor sees the dashboard, the commitment page and its history', async () => {
    // an edit of a published commitment is kept as a public revision
    const edit = await staff.get(`${commitmentPath}/modifier`)
    const version = /name="version" value="(\d+)"/.exec(edit.body)![1]!
    const revised = await staff.post(
      `${commitmentPath}/modifier`,
      { ...commitmentForm('Registre public des décisions du conseil'), version },
      { csrf: csrfTokenOf(edit.body) },
    )
    assert.equal(revised.statusCode, 303)
    const form = await staff.get(`${commitmentPath}/avancement`)
    assert.equal(form.statusCode, 200)
    const milestoneId = /<option value="([0-9a-f-]{36})"[^>]*>Inventaire<\/option>/.exec(form.body)![1]!
    const invalid = await staff.post(
      `${commitmentPath}/avancement`,
      { milestoneId, status: 'flying', progress: '150', narrative: '', evidence: 'not a url', nextSteps: '' },
      { csrf: csrfTokenOf(form.body) },
    )
    assert.equal(invalid.statusCode, 422)
    assert.match(invalid.body, /Le formulaire contient 4 erreur/)
    const posted = await staff.post(
      `${commitmentPath}/avancement`,
      {
        milestoneId,
        status: 'termine',
        progress: '',
        narrative: 'Inventaire publié en ligne.',
        evidence: 'https://example.org/inventaire',
        nextSteps: 'Mise en ligne.',
      },
      { csrf: csrfTokenOf(form.body) },
    )
    assert.equal(posted.statusCode, 303)

    const visitor = new Client(ctx.app)
    const dashboard = await visitor.get(`${TERRITORY}/tableau-de-bord`)
    assert.equal(dashboard.statusCode, 303)
    assert.equal(dashboard.headers.location, planPath)
    const plan = await visitor.get(planPath)
    assert.equal(plan.statusCode, 200)
    assert.match(plan.body, /<h1>Plan de gouvernement ouvert<\/h1>/)
    assert.match(plan.body, /<span class="figure">1 \/ 2<\/span> Jalons terminés/)
    assert.match(plan.body, /role="img" aria-labelledby="chart-status-title"/)
    // the chart's figures, folded under it, with its axis in whole commitments
    assert.match(
      plan.body,
      /<summary>Les chiffres du graphique<\/summary><div class="table-scroll"><table class="chart-table"><caption>Engagements par état<\/caption>.*<th scope="row">En cours<\/th><td>1<\/td>/,
    )
    assert.doesNotMatch(plan.body.slice(0, plan.body.indexOf('chart-burnup')), /class="chart-label">0,5</)
    assert.match(plan.body, /Historique intègre : 2 entrées chaînées/, 'one revision (title) and one update')
    assert.doesNotMatch(plan.body, /Modifier le plan|Rendre compte/)
    const filtered = await visitor.get(`${planPath}?theme=sport&status=&lead=`)
    assert.match(filtered.body, /Aucun engagement ne correspond à ces filtres/)
    const byTheme = await visitor.get(`${planPath}?theme=transparence`)
    assert.match(byTheme.body, /Registre public des décisions du conseil/)

    const commitment = await visitor.get(commitmentPath)
    assert.equal(commitment.statusCode, 200)
    assert.match(commitment.body, /Inventaire publié en ligne\./)
    assert.match(commitment.body, /href="https:\/\/example\.org\/inventaire"/)
    assert.match(commitment.body, /Révision du texte/)
    assert.match(commitment.body, /<del>Registre public des décisions<\/del>/)
    assert.match(commitment.body, /<ins>Registre public des décisions du conseil<\/ins>/)
    assert.match(commitment.body, /50 %/, 'one of two milestones done')
  })

  test('the JSON API gives the public plan tree, a territory’s plans and a commitment’s history; drafts stay hidden', async () => {
    const planId = planPath.split('/').pop()
    const tree = await ctx.app.inject({ url: `/api/v1/plans/${planId}` })
    assert.equal(tree.statusCode, 200)
    const body = JSON.parse(tree.body)
    assert.equal(body.licence, 'etalab-2.0')
    assert.equal(body.plan.status, 'published')
    assert.equal(body.progress, 50)
    assert.equal(body.commitments[0].title, 'Registre public des décisions du conseil')
    assert.deepEqual(
      body.commitments[0].milestones.map((m: { title: string; progress: number }) => [m.title, m.progress]),
      [
        ['Inventaire', 100],
        ['Mise en ligne', 0],
      ],
    )
    const list = JSON.parse((await ctx.app.inject({ url: '/api/v1/territories/commune/35238/plans' })).body)
    assert.deepEqual(
      list.items.map((p: { id: string }) => p.id),
      [planId],
    )
    const history = JSON.parse(
      (await ctx.app.inject({ url: `/api/v1/commitments/${commitmentPath.split('/').pop()}/history` })).body,
    )
    assert.deepEqual(
      history.entries.map((e: { kind: string }) => e.kind),
      ['revision', 'update'],
    )
    assert.equal(history.entries[1].prevHash, history.entries[0].hash)
    const draft = await staff.post(`${TERRITORY}/plans/nouveau`, {
      title: 'Brouillon secret',
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      cocreationSummary: '',
    })
    const draftId = String(draft.headers.location).split('/').pop()
    assert.equal((await ctx.app.inject({ url: `/api/v1/plans/${draftId}` })).statusCode, 404)
    assert.equal(
      (await staff.get(`/api/v1/plans/${draftId}`)).statusCode,
      404,
      'not even for its staff: the API is public data',
    )
    assert.equal((await ctx.app.inject({ url: '/api/v1/plans/not-a-uuid' })).statusCode, 400)
  })

  test('a correction points to the entry it corrects, both ways', async () => {
    const [entry] = await queryRows<{ id: string; seq: number }>(
      ctx.database.db,
      sql`select id, seq from history_entries where commitment_id = ${commitmentPath.split('/').pop()} and kind = 'update'`,
    )
    assert.equal(entry!.seq, 2)
    const form = await staff.get(`${commitmentPath}/avancement?corrige=${entry!.id}`)
    assert.match(form.body, new RegExp(`<option value="${entry!.id}" selected`))
    const posted = await staff.post(
      `${commitmentPath}/avancement`,
      {
        milestoneId: '',
        status: '',
        progress: '',
        narrative: 'Correction : l’inventaire a été publié le 3 février.',
        evidence: '',
        nextSteps: '',
        correctsId: entry!.id,
      },
      { csrf: csrfTokenOf(form.body) },
    )
    assert.equal(posted.statusCode, 303)
    const page = await new Client(ctx.app).get(commitmentPath)
    assert.match(page.body, new RegExp(`corrige l’entrée n°${entry!.seq}`))
    assert.match(page.body, /corrigée par l’entrée n°\d+/)
  })

  test('the network overview puts each territory’s current public plan side by side, sortable', async () => {
    const json = JSON.parse((await ctx.app.inject({ url: '/api/v1/network' })).body)
    const rennes = json.items.find((e: { code: string }) => e.code === '35238')
    assert.deepEqual(
      {
        commitments: rennes.commitments,
        milestones: rennes.milestones,
        done: rennes.milestonesDone,
        progress: rennes.progress,
        url: rennes.url,
      },
      { commitments: 1, milestones: 2, done: 1, progress: 50, url: planPath },
    )
    assert.equal(json.licence, 'etalab-2.0')
    const page = await ctx.app.inject({ url: '/reseau?tri=avancement&ordre=desc' })
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /aria-sort="descending"><a href="\/reseau\?tri=avancement&amp;ordre=asc">Avancement ▼/)
    assert.match(page.body, new RegExp(`<a href="${planPath}">Plan de gouvernement ouvert</a>`))
    // an unknown sort on the page falls back to the default order; the API refuses it with a message
    const odd = await ctx.app.inject({ url: '/reseau?tri=hasard&ordre=bof&page=-2' })
    assert.equal(odd.statusCode, 200)
    assert.match(odd.body, /aria-sort="ascending"><a href="\/reseau\?tri=nom&amp;ordre=desc">/)
    assert.equal((await ctx.app.inject({ url: '/api/v1/network?tri=hasard' })).statusCode, 400)
    const csv = await ctx.app.inject({ url: '/api/v1/network.csv' })
    assert.match(csv.body.split('\r\n')[0]!, /^territoire_type,territoire_code,territoire_nom,population,plan_id/)
    assert.match(csv.body, /commune,35238,Rennes,/)
  })

  test('exports the commitments and the history as CSV, with their Table Schemas and the licence', async () => {
    const parse = (text: string) =>
      text
        .trim()
        .split('\r\n')
        .map((line) => line.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/))
    const commitments = await ctx.app.inject({ url: '/api/v1/commitments.csv?territoire=commune/35238' })
    assert.equal(commitments.statusCode, 200)
    assert.match(String(commitments.headers['content-type']), /^text\/csv; charset=utf-8/)
    assert.match(String(commitments.headers.link), /licence-ouverte-open-licence.*rel="license"/)
    const [header, ...rows] = parse(commitments.body)
    const schema = JSON.parse((await ctx.app.inject({ url: '/api/v1/schemas/commitments.json' })).body)
    assert.deepEqual(
      header,
      schema.fields.map((f: { name: string }) => f.name),
    )
    assert.equal(rows.length, 1)
    const row = Object.fromEntries(header!.map((name, i) => [name, rows[0]![i]]))
    assert.equal(row.titre, 'Registre public des décisions du conseil')
    assert.equal(row.jalons, '2')
    assert.equal(row.jalons_termines, '1')
    assert.equal(Number(row.avancement), 50, 'the same roll-up as the pages')
    assert.equal(row.themes, 'transparence | numérique')

    const history = await ctx.app.inject({ url: '/api/v1/history.csv?territoire=commune/35238' })
    const [hHeader, ...entries] = parse(history.body)
    const hSchema = JSON.parse((await ctx.app.inject({ url: '/api/v1/schemas/history.json' })).body)
    assert.deepEqual(
      hHeader,
      hSchema.fields.map((f: { name: string }) => f.name),
    )
    const at = (name: string) => hHeader!.indexOf(name)
    assert.deepEqual(
      entries.map((e) => e[at('nature')]),
      ['revision', 'update', 'correction'],
    )
    for (let i = 1; i < entries.length; i++)
      assert.equal(
        entries[i]![at('empreinte_precedente')],
        entries[i - 1]![at('empreinte')],
        'the chain can be checked from the export',
      )
    assert.match(entries[0]![at('date')]!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
    const all = await ctx.app.inject({ url: '/api/v1/history.csv' })
    assert.equal(parse(all.body).length, 4)
    assert.equal((await ctx.app.inject({ url: '/api/v1/history.csv?territoire=commune/00000' })).statusCode, 404)
    assert.equal((await ctx.app.inject({ url: '/api/v1/history.csv?territoire=nonsense' })).statusCode, 400)
    const commitmentsJson = JSON.parse(
      (await ctx.app.inject({ url: '/api/v1/commitments?territoire=commune/35238' })).body,
    )
    assert.equal(commitmentsJson.items.length, 1)
    assert.equal(commitmentsJson.items[0].titre, 'Registre public des décisions du conseil')
    assert.equal(commitmentsJson.next, null)
    const historyJson = JSON.parse((await ctx.app.inject({ url: '/api/v1/history?territoire=commune/35238' })).body)
    assert.deepEqual(
      historyJson.items.map((e: { nature: string }) => e.nature),
      ['revision', 'update', 'correction'],
    )
    assert.equal(historyJson.schema, '/api/v1/schemas/history.json')
    const plansCsv = await ctx.app.inject({ url: '/api/v1/territories/commune/35238/plans.csv' })
    assert.match(
      plansCsv.body,
      new RegExp(
        `^plan_id,titre,etat,debut,fin,publie_le,adresse\r\n${planPath.split('/').pop()},Plan de gouvernement ouvert,published,2026-01-01,2027-12-31,`,
      ),
    )
    const doc = JSON.parse((await ctx.app.inject({ url: '/api/docs/json' })).body)
    for (const path of [
      '/api/v1/history.csv',
      '/api/v1/history',
      '/api/v1/commitments.csv',
      '/api/v1/commitments',
      '/api/v1/schemas/history.json',
      '/api/v1/territories/{kind}/{code}/history/verify',
      '/api/v1/territories/{kind}/{code}/plans',
      '/api/v1/territories/{kind}/{code}/plans.csv',
      '/api/v1/plans/{id}',
      '/api/v1/commitments/{id}/history',
      '/api/v1/network',
      '/api/v1/network.csv',
      '/api/v1/members',
      '/api/v1/members.csv',
    ])
      assert.ok(doc.paths[path], path)
  })

  test('the history verification endpoint says intact, then names the tampered entry', async () => {
    const ok = await ctx.app.inject({ url: '/api/v1/territories/commune/35238/history/verify' })
    assert.equal(ok.statusCode, 200)
    const body = JSON.parse(ok.body)
    assert.equal(body.ok, true)
    assert.equal(body.entries, 3)
    assert.match(body.lastHash, /^[0-9a-f]{64}$/)
    await ctx.database.runScript('alter table history_entries disable trigger history_entries_no_update')
    await ctx.database.db.execute(
      sql`update history_entries set content = jsonb_set(content, '{narrative}', '"Réécrit."') where seq = 2 and territory_id = (select id from territories where kind = 'commune' and code = '35238')`,
    )
    await ctx.database.runScript('alter table history_entries enable trigger history_entries_no_update')
    const broken = JSON.parse((await ctx.app.inject({ url: '/api/v1/territories/commune/35238/history/verify' })).body)
    assert.deepEqual(
      { ok: broken.ok, brokenAt: broken.brokenAt, reason: broken.reason },
      { ok: false, brokenAt: 2, reason: 'hash-mismatch' },
    )
    const plan = await new Client(ctx.app).get(planPath)
    assert.match(plan.body, /Historique altéré : le maillon n°2/)
    // the commitment's own page, where a journalist lands from a link, says it too
    assert.match(
      (await new Client(ctx.app).get(commitmentPath)).body,
      /<p class="chain-broken notice" role="alert">Historique altéré : le maillon n°2/,
    )
    assert.equal((await ctx.app.inject({ url: '/api/v1/territories/commune/99999/history/verify' })).statusCode, 404)
  })
  test('moving a milestone’s due date in a published plan is shown as a revision; a stale form gets a conflict', async () => {
    const [milestone] = await queryRows<{ id: string; version: number }>(
      ctx.database.db,
      sql`select id, version from milestones where title = 'Mise en ligne' and commitment_id = ${commitmentPath.split('/').pop()}`,
    )
    const form = await staff.get(`/jalons/${milestone!.id}/modifier`)
    assert.equal(form.statusCode, 200)
    assert.match(form.body, /value="2099-06-30"/)
    const fields = {
      title: 'Mise en ligne',
      deliverable: 'Page publiée',
      startDate: '',
      dueDate: '2099-09-30',
      responsible: 'DSI',
      weight: '',
    }
    const saved = await staff.post(
      `/jalons/${milestone!.id}/modifier`,
      { ...fields, version: String(milestone!.version) },
      { csrf: csrfTokenOf(form.body) },
    )
    assert.equal(saved.statusCode, 303)
    const stale = await staff.post(
      `/jalons/${milestone!.id}/modifier`,
      { ...fields, dueDate: '2099-12-31', version: String(milestone!.version) },
      { csrf: csrfTokenOf(form.body) },
    )
    assert.equal(stale.statusCode, 409)
    assert.equal(
      (await outsider.post(`/jalons/${milestone!.id}/modifier`, { ...fields, version: '99' }, { csrfFrom: '/compte' }))
        .statusCode,
      403,
    )
    const page = await new Client(ctx.app).get(commitmentPath)
    assert.match(
      page.body,
      /<th scope="row">Échéance<\/th><td><del>2099-06-30<\/del><\/td><td><ins>2099-09-30<\/ins><\/td>/,
    )
    const [row] = await queryRows<{ due_date: string }>(
      ctx.database.db,
      sql`select due_date::text from milestones where id = ${milestone!.id}`,
    )
    assert.equal(row!.due_date, '2099-09-30')
  })
  test('a progress update carries an evidence file: its digest joins the chain, it downloads safely, disguised files are refused', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')
    const send = async (filename: string, content: Buffer) => {
      const form = await staff.get(`${commitmentPath}/avancement`)
      const { payload, headers } = multipart(
        {
          _csrf: csrfTokenOf(form.body)!,
          milestoneId: '',
          status: '',
          progress: '',
          narrative: 'Compte rendu du comité de suivi.',
          evidence: '',
          nextSteps: '',
        },
        { name: filename, content },
      )
      return staff.request({ method: 'POST', url: `${commitmentPath}/avancement`, payload, headers })
    }
    const disguised = await send('rapport.pdf', Buffer.from('<html><script>alert(1)</script></html>'))
    assert.equal(disguised.statusCode, 422)
    assert.match(disguised.body, /Ce fichier n’est pas accepté/)
    const posted = await send('../../compte-rendu comité.pdf', pdf)
    assert.equal(posted.statusCode, 303)
    const [entry] = await queryRows<{ content: { files: { id: string; sha256: string; filename: string }[] } }>(
      ctx.database.db,
      sql`select content from history_entries where commitment_id = ${commitmentPath.split('/').pop()} order by seq desc limit 1`,
    )
    const file = entry!.content.files[0]!
    assert.equal(file.sha256, createHash('sha256').update(pdf).digest('hex'))
    assert.equal(file.filename, 'compte-rendu comité.pdf', 'no path in a file name')
    const download = await new Client(ctx.app).get(`/fichiers/${file.id}`)
    assert.equal(download.statusCode, 200)
    assert.equal(download.headers['content-type'], 'application/pdf')
    assert.match(
      String(download.headers['content-disposition']),
      /^attachment; filename\*=UTF-8''compte-rendu%20comit%C3%A9\.pdf$/,
    )
    assert.match(String(download.headers['content-security-policy']), /sandbox/)
    assert.equal(download.rawPayload.equals(pdf), true)
    const page = await new Client(ctx.app).get(commitmentPath)
    assert.match(page.body, new RegExp(`href="/fichiers/${file.id}"`))
    assert.equal((await ctx.app.inject({ url: '/fichiers/00000000-0000-4000-8000-000000000000' })).statusCode, 404)
  })

  test('staff add a commitment to the published plan from its page: a public revision', async () => {
    const staffPage = (await staff.get(planPath)).body
    assert.match(
      staffPage,
      new RegExp(`<a class="button" href="${planPath}/engagements/nouveau">Ajouter un engagement</a>`),
    )
    assert.match(staffPage, /l’engagement ajouté devient une révision publique du plan/)
    assert.doesNotMatch((await new Client(ctx.app).get(planPath)).body, /engagements\/nouveau/)
    assert.match((await staff.get(`${planPath}/engagements/nouveau`)).body, /<p class="notice">Le plan est publié/)
    const added = await staff.post(`${planPath}/engagements/nouveau`, commitmentForm('Budget participatif des écoles'))
    assert.equal(added.statusCode, 303)
    const id = added.headers.location!.split('/').pop()!
    const [entry] = await queryRows<{
      kind: string
      content: { changes: { field: string; after: { title: string } }[] }
    }>(ctx.database.db, sql`select kind, content from history_entries where commitment_id = ${id}`)
    assert.equal(entry!.kind, 'revision')
    assert.deepEqual(
      entry!.content.changes.map((c) => [c.field, c.after.title]),
      [['commitment', 'Budget participatif des écoles']],
    )
    assert.match((await new Client(ctx.app).get(planPath)).body, /Budget participatif des écoles/)
  })
})
