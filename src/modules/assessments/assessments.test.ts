import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.ts'
import { parseCsv } from '../../platform/http/csv-parse.ts'
import {
  buildTestApp,
  Client,
  createUser,
  csrfTokenOf,
  describeEachEngine,
  multipart,
  signedInClient,
  type TestApp,
} from '../../../test/helpers/app.ts'
import { buildPlan, type BuiltTerritory } from '../../../test/helpers/factories.ts'
import { checkRatings } from './service.ts'
import { selfReportedCompletion } from './scales.ts'

const OGP_SAMPLE = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'ogp', 'commitments-sample.csv')
const ogpSkip = existsSync(OGP_SAMPLE)
  ? false
  : `OGP sample skipped: ${OGP_SAMPLE} not found (../shared/data is absent)`

test('the completion a territory’s own report implies', () => {
  assert.equal(selfReportedCompletion('termine', 40), 'complete')
  assert.equal(selfReportedCompletion('abandonne', 40), 'withdrawn')
  assert.equal(selfReportedCompletion('en_cours', 0), 'not_started')
  assert.equal(selfReportedCompletion('en_cours', 49.9), 'limited')
  assert.equal(selfReportedCompletion('en_retard', 50), 'substantial')
})

test('ratings need a justification each; a commitment that is not verifiable needs nothing more', () => {
  const empty = {
    verifiable: null,
    verifiableJustification: '',
    relevance: {},
    potentialImpact: null,
    impactJustification: '',
    completion: null,
    completionJustification: '',
    diogOverall: null,
    diogValues: {},
    diogJustification: '',
    earlyResults: '',
    lessons: '',
    recommendations: '',
    evidenceLinks: [],
  }
  assert.deepEqual(Object.keys(checkRatings('inception', empty)), ['verifiable'])
  assert.deepEqual(
    checkRatings('inception', { ...empty, verifiable: false, verifiableJustification: 'Aucun jalon mesurable.' }),
    {},
  )
  const verifiable = checkRatings('inception', {
    ...empty,
    verifiable: true,
    verifiableJustification: 'Jalons datés.',
    potentialImpact: 'major',
  })
  assert.ok(verifiable.relevance_access_to_information && verifiable.potentialImpact)
  assert.deepEqual(
    Object.keys(
      checkRatings('end_of_term', {
        ...empty,
        completion: 'limited',
        completionJustification: 'x',
        diogOverall: 'marginal',
        diogJustification: '',
        diogValues: { access_to_information: 'major' },
      }),
    ).sort(),
    ['diogJustification', 'diog_civic_participation', 'diog_public_accountability', 'diog_technology_innovation'],
  )
})

describeEachEngine('independent assessment', (engine) => {
  let ctx: TestApp
  let admin: Client
  let agent: Client
  let elected: Client
  let reviewer: Client
  let otherReviewer: Client
  let reviewerEmail = ''
  let planId = ''
  let commitments: { id: string; title: string }[] = []
  let territory: BuiltTerritory
  /** the territory's editor and elected official, who are told of the reports */
  let staffEmails: string[] = []
  let electedEmail = ''
  const page = () => `/plans/${planId}/evaluation`
  const rows = async (table: string) =>
    (await queryRows<{ n: number }>(ctx.database.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!
      .n

  before(async () => {
    ctx = await buildTestApp(engine)
    // a published plan of three commitments, not assessed yet: this suite writes both reports itself
    const built = await buildPlan(ctx.database, { commitments: 3, milestones: 2 })
    territory = built.territory
    planId = built.plan.id
    commitments = built.commitments.map(({ id, title }) => ({ id, title }))
    staffEmails = [built.editor.email, built.elected.email].sort()
    const login = async (email: string, password: string) => {
      const client = await signedInClient(ctx.app, email, password)
      return client
    }
    const network = await createUser(ctx.database, { displayName: 'Équipe du réseau', admin: true })
    admin = await login(network.email, network.password)
    agent = await login(built.editor.email, built.editor.password)
    elected = await login(built.elected.email, built.elected.password)
    electedEmail = built.elected.email
    const r = await createUser(ctx.database, { displayName: 'Rita Évaluatrice' })
    reviewerEmail = r.email
    reviewer = await login(r.email, r.password)
    // a reviewer of another territory's plan
    const other = await createUser(ctx.database, { displayName: 'Oscar Ailleurs' })
    await ctx.database.db.execute(sql`with p as (insert into action_plans (territory_id, title, period_start, period_end)
        select id, 'Autre plan', '2026-01-01', '2027-12-31' from territories where kind = 'commune' and code = '35238' returning id, territory_id)
      insert into plan_reviewers (plan_id, territory_id, user_id, conflicts_declared_at) select id, territory_id, ${other.id}, now() from p`)
    otherReviewer = await login(other.email, other.password)
  })
  after(async () => ctx?.close())

  const rate = (client: Client, assessmentId: string, commitmentId: string, fields: Record<string, string>) =>
    client.post(`/evaluations/${assessmentId}/engagements/${commitmentId}`, fields, { csrfFrom: page() })
  const inception = async () =>
    (
      await queryRows<{ id: string; status: string; reply_due: string | null }>(
        ctx.database.db,
        sql`select id, status, reply_due::text from assessments where plan_id = ${planId} and moment = 'inception'`,
      )
    )[0]
  const relevance = (yes: boolean) =>
    Object.fromEntries(
      ['access_to_information', 'civic_participation', 'public_accountability', 'technology_innovation'].flatMap(
        (v) => [
          [`relevance_${v}`, yes ? 'yes' : 'no'],
          [`relevance_${v}_justification`, `Justification ${v}.`],
        ],
      ),
    )

  test('the network’s team appoints a reviewer, never one of the territory’s own people', async () => {
    const refused = await admin.post(`${page()}/evaluateurs`, { email: electedEmail })
    assert.equal(refused.statusCode, 422)
    assert.match(refused.body, /élue ou chargée du plan dans ce territoire/)
    assert.equal(await rows('plan_reviewers'), 1) // the other plan's
    assert.equal(
      (await agent.post(`${page()}/evaluateurs`, { email: reviewerEmail }, { csrfFrom: page() })).statusCode,
      403,
    )
    assert.equal((await admin.post(`${page()}/evaluateurs`, { email: reviewerEmail })).statusCode, 303)
    assert.equal(await rows('plan_reviewers'), 2)
    // and once a reviewer, never made editor of that territory
    const grant = await admin.post(
      '/admin/roles',
      { email: reviewerEmail, territoryRef: `autre/${territory.code}`, role: 'editor' },
      { csrfFrom: '/admin' },
    )
    assert.equal(grant.statusCode, 422)
    assert.match(grant.body, /évalue un plan de ce territoire/)
  })

  test('a reviewer declares conflicts of interest before assessing; others cannot assess', async () => {
    const early = await reviewer.post(`${page()}/lancement`, {}, { csrfFrom: page() })
    assert.equal(early.statusCode, 409)
    assert.equal((await reviewer.post(`${page()}/conflits`, { statement: '' }, { csrfFrom: page() })).statusCode, 303)
    assert.equal((await reviewer.post(`${page()}/lancement`, {}, { csrfFrom: page() })).statusCode, 303)
    const a = (await inception())!
    assert.equal(a.status, 'draft')
    // a reviewer of another plan, and the territory's staff: refused, nothing written
    assert.equal(
      (await rate(otherReviewer, a.id, commitments[0]!.id, { verifiable: 'no', verifiableJustification: 'x' }))
        .statusCode,
      403,
    )
    assert.equal(
      (await rate(agent, a.id, commitments[0]!.id, { verifiable: 'no', verifiableJustification: 'x' })).statusCode,
      403,
    )
    assert.equal(await rows('commitment_assessments'), 0)
    // the draft is not public
    assert.doesNotMatch((await new Client(ctx.app).get(page())).body, /Brouillon de l’évaluateur/)
  })

  test('inception: ratings with justifications, right of reply, publication, then only errata', async () => {
    const a = (await inception())!
    const missing = await rate(reviewer, a.id, commitments[0]!.id, {
      verifiable: 'yes',
      verifiableJustification: 'Jalons datés.',
    })
    assert.equal(missing.statusCode, 422)
    assert.match(missing.body, /Choisissez une appréciation/)
    assert.equal(await rows('commitment_assessments'), 0)
    assert.equal(
      (
        await rate(reviewer, a.id, commitments[0]!.id, {
          verifiable: 'yes',
          verifiableJustification: 'Jalons datés.',
          ...relevance(true),
          potentialImpact: 'transformative',
          impactJustification: 'Change la façon de décider.',
        })
      ).statusCode,
      303,
    )
    assert.equal(
      (
        await rate(reviewer, a.id, commitments[1]!.id, {
          verifiable: 'yes',
          verifiableJustification: 'Livrables précis.',
          ...relevance(false),
          potentialImpact: 'minor',
          impactJustification: 'Portée limitée.',
        })
      ).statusCode,
      303,
    )
    // sent too early: back to the report, which names what is left to rate, and nothing changes
    const early = await reviewer.post(`/evaluations/${a.id}/envoi`, {}, { csrfFrom: page() })
    assert.equal(early.statusCode, 303)
    assert.match(early.headers.location!, /#moment-inception$/)
    const reportPage = (await reviewer.get(early.headers.location!.replace(/#.*/, ''))).body
    assert.match(
      reportPage,
      new RegExp(
        `Le rapport n’est pas envoyé : 1 engagement n’est pas encore évalué \\(${commitments[2]!.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`,
      ),
    )
    assert.match(reportPage, /la co-création du plan n’est pas encore appréciée/)
    assert.equal((await inception())!.status, 'draft')
    // not verifiable: nothing more is kept, whatever was sent
    assert.equal(
      (
        await rate(reviewer, a.id, commitments[2]!.id, {
          verifiable: 'no',
          verifiableJustification: 'Aucun résultat mesurable.',
          potentialImpact: 'moderate',
          impactJustification: 'x',
        })
      ).statusCode,
      303,
    )
    const [third] = await queryRows<{ potential_impact: string | null }>(
      ctx.database.db,
      sql`select potential_impact from commitment_assessments where commitment_id = ${commitments[2]!.id}`,
    )
    assert.equal(third!.potential_impact, null)

    // co-creation must be assessed before sending
    assert.equal((await reviewer.post(`/evaluations/${a.id}/envoi`, {}, { csrfFrom: page() })).statusCode, 303)
    assert.equal((await inception())!.status, 'draft')
    assert.equal(
      (await reviewer.post(`/evaluations/${a.id}/ensemble`, { cocreationLevel: 'partly', cocreationJustification: '' }))
        .statusCode,
      422,
    )
    assert.equal(
      (
        await reviewer.post(`/evaluations/${a.id}/ensemble`, {
          cocreationLevel: 'partly',
          cocreationJustification: 'Deux ateliers ouverts, pas de retour.',
          summary: 'Un plan ambitieux sur la participation.',
        })
      ).statusCode,
      303,
    )
    assert.equal((await reviewer.post(`/evaluations/${a.id}/envoi`, {}, { csrfFrom: page() })).statusCode, 303)
    const sent = (await inception())!
    assert.equal(sent.status, 'right_of_reply')
    const due = new Date(
      `${new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date())}T12:00:00Z`,
    )
    due.setUTCDate(due.getUTCDate() + 15)
    assert.equal(sent.reply_due, due.toISOString().slice(0, 10))
    // the territory's editors and elected officials are told, with the deadline
    ctx.mails.length = 0
    await ctx.app.jobs.tick()
    const told = ctx.mails.filter((m) => m.subject.startsWith('Évaluation indépendante à relire'))
    assert.deepEqual(told.map((m) => m.to).sort(), staffEmails)
    assert.match(told[0]!.text, /répondre publiquement jusqu’au \d{1,2} \S+ \d{4}/)

    // the territory sees it and replies; the public does not see it yet; no publication before the reply or the deadline
    assert.match((await agent.get(page())).body, /Envoyé au territoire pour sa réponse/)
    assert.doesNotMatch((await new Client(ctx.app).get(page())).body, /Un plan ambitieux/)
    const tooEarly = await reviewer.post(`/evaluations/${a.id}/publication`, {}, { csrfFrom: page() })
    assert.equal(tooEarly.statusCode, 409)
    assert.match(tooEarly.body, /peut répondre jusqu’au/)
    assert.equal(
      (await otherReviewer.post(`/evaluations/${a.id}/reponse`, { reply: 'Intrus' }, { csrfFrom: page() })).statusCode,
      403,
    )
    assert.equal(
      (
        await agent.post(
          `/evaluations/${a.id}/reponse`,
          { reply: 'Le territoire prend acte et complétera la co-création.' },
          { csrfFrom: page() },
        )
      ).statusCode,
      303,
    )
    assert.equal(
      (await elected.post(`/evaluations/${a.id}/reponse`, { reply: 'Seconde réponse' }, { csrfFrom: page() }))
        .statusCode,
      409,
    )
    assert.equal((await reviewer.post(`/evaluations/${a.id}/publication`, {}, { csrfFrom: page() })).statusCode, 303)

    const visitor = await new Client(ctx.app).get(page())
    assert.equal(visitor.statusCode, 200)
    assert.match(visitor.body, /Transformateur/)
    assert.match(visitor.body, /Le territoire prend acte et complétera la co-création\./)
    assert.match(visitor.body, /Rita Évaluatrice/)
    assert.match(visitor.body, /Aucun lien d’intérêts déclaré/)

    // published: immutable, except by a dated erratum
    assert.equal(
      (await rate(reviewer, a.id, commitments[0]!.id, { verifiable: 'no', verifiableJustification: 'Revu' }))
        .statusCode,
      409,
    )
    await assert.rejects(() =>
      ctx.database.db.execute(sql`update assessments set summary = 'Réécrit' where id = ${a.id}`),
    )
    await assert.rejects(() =>
      ctx.database.db.execute(
        sql`update commitment_assessments set potential_impact = 'none' where assessment_id = ${a.id}`,
      ),
    )
    assert.equal(
      (await agent.post(`/evaluations/${a.id}/errata`, { text: 'Par le territoire' }, { csrfFrom: page() })).statusCode,
      403,
    )
    assert.equal(
      (
        await reviewer.post(
          `/evaluations/${a.id}/errata`,
          { text: 'L’impact du premier engagement porte sur 2027, non 2026.', commitmentId: commitments[0]!.id },
          { csrfFrom: page() },
        )
      ).statusCode,
      303,
    )
    assert.match((await new Client(ctx.app).get(page())).body, /porte sur 2027, non 2026/)
    await assert.rejects(() => ctx.database.db.execute(sql`delete from assessment_errata`))
  })

  test('end of commitment: ratings beside the self-reported progress, gaps shown; published without reply after the period', async () => {
    assert.equal((await reviewer.post(`${page()}/terme`, {}, { csrfFrom: page() })).statusCode, 303)
    const [end] = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`select id from assessments where plan_id = ${planId} and moment = 'end_of_term'`,
    )
    const diog = (overall: string) => ({
      diogOverall: overall,
      diogJustification: 'Constat sur pièces.',
      diog_access_to_information: 'major',
      diog_civic_participation: 'not_applicable',
      diog_public_accountability: 'marginal',
      diog_technology_innovation: 'not_applicable',
    })
    const bad = await rate(reviewer, end!.id, commitments[0]!.id, {
      completion: 'complete',
      completionJustification: 'Tout est publié.',
      ...diog('major'),
      evidenceLinks: 'pas une adresse',
    })
    assert.equal(bad.statusCode, 422)
    assert.equal(
      (
        await rate(reviewer, end!.id, commitments[0]!.id, {
          completion: 'complete',
          completionJustification: 'Tout est publié.',
          ...diog('major'),
          evidenceLinks: 'https://example.org/preuve',
        })
      ).statusCode,
      303,
    )
    assert.equal(
      (
        await rate(reviewer, end!.id, commitments[1]!.id, {
          completion: 'not_started',
          completionJustification: 'Rien de livré.',
          ...diog('did_not_change'),
        })
      ).statusCode,
      303,
    )
    assert.equal(
      (
        await rate(reviewer, end!.id, commitments[2]!.id, {
          completion: 'not_started',
          completionJustification: 'Rien de livré.',
          ...diog('did_not_change'),
        })
      ).statusCode,
      303,
    )
    assert.equal((await reviewer.post(`/evaluations/${end!.id}/envoi`, {}, { csrfFrom: page() })).statusCode, 303)
    // three days before the end, still no reply: the reminder goes (the inception's did not: it was answered)
    ctx.mails.length = 0
    await ctx.database.db.execute(
      sql`update jobs set run_at = now() where unique_key like 'assessment-reply-reminder:%' and done_at is null`,
    )
    await ctx.app.jobs.tick()
    const reminders = ctx.mails.filter((m) => m.subject.startsWith('Plus que trois jours'))
    assert.deepEqual(reminders.map((m) => m.to).sort(), staffEmails)
    // the period ends without a reply
    await ctx.database.db.execute(sql`update assessments set reply_due = current_date - 1 where id = ${end!.id}`)
    const late = await agent.post(`/evaluations/${end!.id}/reponse`, { reply: 'Trop tard' }, { csrfFrom: page() })
    assert.equal(late.statusCode, 409)
    assert.equal((await reviewer.post(`/evaluations/${end!.id}/publication`, {}, { csrfFrom: page() })).statusCode, 303)
    const body = (await new Client(ctx.app).get(page())).body
    assert.match(body, /Le territoire n’a pas répondu dans le délai/)
    assert.match(body, /Écart entre le suivi du territoire et l’évaluation/)
    const json = JSON.parse((await new Client(ctx.app).get(`/api/v1/plans/${planId}/assessments`)).body)
    assert.deepEqual(json.map((r: { moment: string }) => r.moment).sort(), ['end_of_term', 'inception'])
    const endReport = json.find((r: { moment: string }) => r.moment === 'end_of_term')
    assert.equal(endReport.commitments.length, 3)
    assert.equal(endReport.commitments[0].completion, 'complete')
    assert.equal(typeof endReport.commitments[0].selfReportedStatus, 'string')
  })

  test('network figures are computed right on the known set, and exported', async () => {
    const figures = JSON.parse((await new Client(ctx.app).get('/api/v1/assessments/aggregates')).body)
    assert.equal(figures.plansAssessed, 1)
    assert.deepEqual(figures.inception, {
      commitments: 3,
      verifiable: 2,
      transformative: 1,
      moderateOrMore: 1,
      relevant: {
        access_to_information: 1,
        civic_participation: 1,
        public_accountability: 1,
        technology_innovation: 1,
      },
    })
    assert.deepEqual(figures.endOfTerm, {
      commitments: 3,
      complete: 1,
      substantialOrComplete: 1,
      openedGovernment: 1,
      outstanding: 0,
    })
    assert.deepEqual(figures.shares.verifiable, { count: 2, total: 3 })
    const pageBody = (await new Client(ctx.app).get('/reseau/evaluations')).body
    assert.match(pageBody, /2 sur 3 \(67\s?%\)/)
    const csv = parseCsv((await new Client(ctx.app).get('/api/v1/assessments.csv')).body)
    assert.equal(csv.length, 1 + 6)
    assert.ok(csv[0]!.includes('impact_potentiel'))
    const openapi = JSON.parse((await new Client(ctx.app).get('/api/docs/json')).body)
    assert.ok(openapi.paths['/api/v1/assessments/aggregates'])
    assert.ok(openapi.paths['/api/v1/plans/{id}/assessments'])
  })

  test('the IRM’s ratings of OGP’s whole sheet go to the plans holding their commitments; a second import adds errata, never a lock', {
    skip: ogpSkip,
  }, async () => {
    const sheet = readFileSync(OGP_SAMPLE)
    const form = async (client: Client, url: string, fields: Record<string, string>, content: Buffer) => {
      const page = await client.get(url)
      const { payload, headers } = multipart(
        { _csrf: csrfTokenOf(page.body) ?? '', ...fields },
        { name: 'commitments.csv', content },
      )
      return client.request({ method: 'POST', url, payload, headers })
    }
    const post = (client: Client, page: { body: string }, action: RegExp, fields: [string, string][] = []) =>
      client.request({
        method: 'POST',
        url: action.exec(page.body)![1]!,
        payload: new URLSearchParams([['_csrf', csrfTokenOf(page.body)!], ...fields]).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
    // the sheet's plans, imported into the territory, then published
    const chosen = await form(admin, '/territoires/commune/35238/plans/importer', { format: 'ogp' }, sheet)
    const keys = [...chosen.body.matchAll(/name="plan" value="([^"]+)"/g)].map((m): [string, string] => ['plan', m[1]!])
    const planPreview = await post(admin, chosen, /action="([^"]+\/apercu)"/, keys)
    assert.equal((await post(admin, planPreview, /action="([^"]+\/confirmer)"/, keys)).statusCode, 303)
    const plans = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`select id from action_plans where source_key like 'ogp-plan:%'`,
    )
    assert.equal(plans.length, keys.length)

    // not public yet: the preview says so and offers nothing to confirm
    const early = await form(admin, '/evaluations/import-ogp', {}, sheet)
    assert.equal(early.statusCode, 200)
    assert.match(early.body, /le plan n’est pas publié/)
    assert.doesNotMatch(early.body, /Confirmer l’import/)
    await ctx.database.db.execute(
      sql`update action_plans set status = 'published', published_at = now() where source_key like 'ogp-plan:%'`,
    )
    assert.equal((await form(agent, '/evaluations/import-ogp', {}, sheet)).statusCode, 403)

    // a cut file, or a word not on the IRM's scale, is refused whole
    const cut = await form(admin, '/evaluations/import-ogp', {}, sheet.subarray(0, Math.floor(sheet.length * 0.6)))
    assert.equal(cut.statusCode, 422)
    const text = sheet.toString('utf8')
    const strange = await form(
      admin,
      '/evaluations/import-ogp',
      {},
      Buffer.from(text.replace(',Transformative,', ',Revolutionary,')),
    )
    assert.equal(strange.statusCode, 422)
    assert.match(
      strange.body,
      /colonne « Potential Impact » : « Revolutionary » n’est pas un mot de l’échelle de l’IRM/,
    )
    assert.equal((await queryRows(ctx.database.db, sql`select 1 from assessments where source = 'ogp'`)).length, 0)

    const preview = await form(admin, '/evaluations/import-ogp', {}, sheet)
    assert.match(preview.body, /Rapports de l’IRM publiés/)
    assert.equal((await post(admin, preview, /action="([^"]+\/confirmer)"/)).statusCode, 303)
    // counted apart from the importer: a row is rated at a moment when one of its IRM columns says something
    const { readCsv } = await import('../../platform/import/csv.ts')
    const rows = readCsv(sheet).rows.map((r) => r.record)
    const said = (v: string | undefined) => !['', 'NR', 'ND', 'NA'].includes((v ?? '').trim())
    const inception = rows.filter((r) =>
      [
        'Verifiable',
        'OGP Value Access To Information',
        'OGP Value Civic Participation',
        'OGP Value Public Accountability',
        'OGP Value Technology',
        'Potential Impact',
        'Potential for Results',
        'Completion (Progress Report)',
      ].some((c) => said(r[c])),
    ).length
    const endOfTerm = rows.filter(
      (r) =>
        said(r['Completion (End Of Term)']) ||
        said(r['Early Results']) ||
        (said(r['Did It Open Government (Overall)']) && r['Did It Open Government (Overall)'] !== 'Not Applicable'),
    ).length
    const counts = await queryRows<{ moment: string; n: number }>(
      ctx.database.db,
      sql`select a.moment, count(*)::int as n from assessments a join commitment_assessments ca on ca.assessment_id = a.id where a.source = 'ogp' and a.status = 'published' group by 1 order by 1`,
    )
    assert.deepEqual(counts, [
      { moment: 'end_of_term', n: endOfTerm },
      { moment: 'inception', n: inception },
    ])
    const [spot] = await queryRows<{
      verifiable: boolean
      potential_impact: string
      completion: string
      diog_overall: string
    }>(
      ctx.database.db,
      sql`select i.verifiable, i.potential_impact, e.completion, e.diog_overall from commitments c
          join commitment_assessments i on i.commitment_id = c.id join assessments ai on ai.id = i.assessment_id and ai.moment = 'inception'
          join commitment_assessments e on e.commitment_id = c.id join assessments ae on ae.id = e.assessment_id and ae.moment = 'end_of_term'
          where c.title = 'Open data and participation in the Legislature.'`,
    )
    assert.ok(spot, 'the sheet’s legislature commitment carries both ratings')
    const [unclear] = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from commitment_assessments where potential_results = 'unclear'`,
    )
    assert.equal(
      unclear!.n,
      rows.filter((r) => r['Potential for Results'] === 'Unclear').length,
      '“Unclear” kept, not skipped',
    )

    // the same sheet again changes nothing; a rating changed since becomes a dated erratum
    const same = await form(admin, '/evaluations/import-ogp', {}, sheet)
    assert.match(same.body, /Rien : déjà à jour/)
    assert.doesNotMatch(same.body, /Erratum daté|Rapports de l’IRM publiés|Confirmer l’import/)
    const table = readCsv(sheet)
    const target = table.rows.find((r) => r.record['Commitment Unique Identifier'] === 'BUE0009')!
    assert.equal(target.record['Completion (End Of Term)'], 'Substantial')
    const column = table.header.indexOf('Completion (End Of Term)')
    const { csvField } = await import('../../platform/http/csv.ts')
    const changed = [
      table.header,
      ...table.rows.map((r) => (r === target ? r.cells.map((c, i) => (i === column ? 'Complete' : c)) : r.cells)),
    ]
      .map((cells) => cells.map(csvField).join(','))
      .join('\r\n')
    const again = await form(admin, '/evaluations/import-ogp', {}, Buffer.from(changed))
    assert.match(again.body, /Erratum daté sur les rapports de l’IRM/)
    await post(admin, again, /action="([^"]+\/confirmer)"/)
    const [erratum] = await queryRows<{ text: string }>(
      ctx.database.db,
      sql`select text from assessment_errata order by created_at desc limit 1`,
    )
    assert.match(erratum!.text, /BUE0009\) dit désormais : completion : "substantial" → "complete"/)
    const figures = JSON.parse((await new Client(ctx.app).get('/api/v1/assessments/aggregates')).body)
    assert.ok(figures.plansAssessed >= 2)
  })
})
