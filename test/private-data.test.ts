import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { createAssembly, saveQuotas, setRecruitment } from '../src/modules/assemblies/index.ts'
import { queryRows } from '../src/platform/db/index.ts'
import {
  buildTestApp,
  Client,
  createUser,
  describeEachEngine,
  parisDay,
  signedInClient,
  type TestApp,
} from './helpers/app.ts'
import { buildStaff, buildTerritory, type BuiltTerritory } from './helpers/factories.ts'

/** What the public cannot see (a draft assembly, a draft plan's commitments) is absent from pages, the API and links. */
describeEachEngine('nothing private in public pages', (engine) => {
  let ctx: TestApp
  let staff: Client
  let draftCommitmentId = ''
  let territory: BuiltTerritory
  let editor: Awaited<ReturnType<typeof buildStaff>>
  let TERRITORY = ''
  const DRAFT_TITLE = 'Engagement secret du brouillon'

  before(async () => {
    ctx = await buildTestApp(engine)
    territory = await buildTerritory(ctx.database)
    TERRITORY = territory.path
    editor = await buildStaff(ctx.database, territory, 'editor')
    staff = await signedInClient(ctx.app, editor.email, editor.password)
    const plan = await staff.post(`${TERRITORY}/plans/nouveau`, {
      title: 'Plan suivant (brouillon)',
      periodStart: '2027-01-01',
      periodEnd: '2028-12-31',
      cocreationSummary: '',
    })
    const commitment = await staff.post(`${String(plan.headers.location)}/engagements/nouveau`, {
      title: DRAFT_TITLE,
      problem: '',
      description: '',
      contribution: '',
      ogpValues: '',
      expectedImpacts: '',
      leadActor: '',
      supportingActors: '',
      themes: '',
      startDate: '',
      endDate: '',
      budgetEur: '',
      deliberationUrl: '',
    })
    draftCommitmentId = String(commitment.headers.location).split('/').pop()!
  })
  after(() => ctx.close())

  test('a draft citizens’ assembly is seen by its organisers only: not in lists, pages, transparency nor the API', async () => {
    const actor = editor.actor
    const id = await createAssembly(ctx.database.db, {
      actor,
      territoryId: territory.id,
      input: {
        title: 'Assemblée pas encore annoncée',
        purpose: 'Un sujet que l’exécutif n’a pas encore rendu public.',
        panelSize: 20,
        onePerHousehold: false,
        majority: 'simple',
      },
    })
    const visitor = new Client(ctx.app)
    for (const url of [
      '/assemblees',
      `${TERRITORY}/assemblees`,
      '/api/v1/assemblies',
      `/api/v1/territories/autre/${territory.code}/assemblies`,
    ]) {
      const response = await visitor.get(url)
      assert.equal(response.statusCode, 200, url)
      assert.doesNotMatch(response.body, /pas encore annoncée|pas encore rendu public/, url)
    }
    for (const url of [
      `/assemblees/${id}`,
      `/assemblees/${id}/transparence`,
      `/assemblees/${id}/tirage.json`,
      `/assemblees/${id}/volontariat`,
      `/api/v1/assemblies/${id}`,
    ]) {
      const response = await visitor.get(url)
      assert.equal(response.statusCode, 404, url)
      assert.doesNotMatch(response.body, /pas encore annoncée/, url)
    }
    const resident = await createUser(ctx.database, { displayName: 'Habitante' })
    const citizen = await signedInClient(ctx.app, resident.email, resident.password)
    assert.equal((await citizen.get(`/assemblees/${id}`)).statusCode, 404, 'a signed-in citizen does not see it either')
    assert.match((await staff.get(`${TERRITORY}/assemblees`)).body, /pas encore annoncée/, 'its organisers do')
    assert.equal((await staff.get(`/assemblees/${id}`)).statusCode, 200)

    await saveQuotas(ctx.database.db, {
      actor,
      assemblyId: id,
      quotas: [
        { category: 'genre', feature: 'femme', populationShare: 50, min: 8, max: 12 },
        { category: 'genre', feature: 'homme', populationShare: 50, min: 8, max: 12 },
      ],
    })
    await setRecruitment(ctx.database.db, { actor, assemblyId: id, phase: 'recruiting' })
    assert.equal((await visitor.get(`/assemblees/${id}`)).statusCode, 200, 'public once recruitment opens')
    assert.match((await visitor.get('/api/v1/assemblies')).body, /pas encore annoncée/)
  })

  test('links to a draft plan’s commitment are refused (consultation, text, group), and pages never show its title', async () => {
    const consultation = await staff.post(`${TERRITORY}/consultations/nouvelle`, {
      title: 'Consultation liée au brouillon',
      question: 'Qu’en pensez-vous ?',
      context: '',
      opensOn: parisDay(0),
      closesOn: parisDay(20),
      commitmentId: draftCommitmentId,
      intent: 'publish',
    })
    assert.equal(consultation.statusCode, 422)
    const text = await staff.post(`${TERRITORY}/textes/nouveau`, {
      title: 'Texte lié au brouillon',
      summary: 'Résumé',
      opensOn: parisDay(0),
      closesOn: parisDay(20),
      commitmentId: draftCommitmentId,
      articlesSource: '## Article 1\nTexte.',
      intent: 'publish',
    })
    assert.equal(text.statusCode, 422)
    assert.equal((await staff.get(`/engagements/${draftCommitmentId}/groupes/nouveau`)).statusCode, 404)
    const group = await staff.post(`/engagements/${draftCommitmentId}/groupes`, {
      title: 'Groupe sur le brouillon',
      purpose: 'Suivre',
    })
    assert.equal(group.statusCode, 404)
    assert.equal(
      (await queryRows(ctx.database.db, sql`select 1 from action_groups where commitment_id = ${draftCommitmentId}`))
        .length,
      0,
    )

    // links made before this rule (or by hand): the pages do not name the commitment
    const [groupRow] = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`insert into action_groups (territory_id, commitment_id, title, purpose) select territory_id, id, 'Groupe ancien du brouillon', 'Suivre' from commitments where id = ${draftCommitmentId} returning id`,
    )
    const [consultationRow] = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`insert into consultations (territory_id, title, question, opens_on, closes_on, commitment_id, status) select territory_id, 'Consultation ancienne', 'Qu’en pensez-vous ?', ${parisDay(-1)}, ${parisDay(10)}, id, 'published' from commitments where id = ${draftCommitmentId} returning id`,
    )
    const visitor = new Client(ctx.app)
    for (const url of [
      `/groupes/${groupRow!.id}`,
      `/consultations/${consultationRow!.id}`,
      `/api/v1/consultations/${consultationRow!.id}`,
    ]) {
      const response = await visitor.get(url)
      assert.equal(response.statusCode, 200, url)
      assert.equal(response.body.includes(DRAFT_TITLE), false, `${url} names the draft commitment`)
    }
    assert.equal((await visitor.get(`/engagements/${draftCommitmentId}`)).statusCode, 404)
  })
})
