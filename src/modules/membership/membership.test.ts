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
  signedInClient,
  type TestApp,
} from '../../../test/helpers/app.ts'

const REQUEST = {
  requestedScope: 'programme',
  contactName: 'Claire Dupont',
  contactEmail: 'claire.dupont@example.org',
  contactRole: 'Directrice de la citoyenneté',
  politicalCommitment: 'La Ville s’engage à co-construire et publier un plan d’action de gouvernement ouvert.',
  signatory: 'Maire de Rennes',
}

describeEachEngine('joining the network and the programme', (engine) => {
  let ctx: TestApp
  let staff: Client
  let admin: Client
  let outsider: Client
  const status = async (code: string) =>
    (
      await queryRows<{ status: string; contribution_eur: string | null; support_level: string | null }>(
        ctx.database.db,
        sql`select m.status, m.contribution_eur::text, m.support_level from programme_memberships m join territories t on t.id = m.territory_id where t.kind = 'commune' and t.code = ${code}`,
      )
    )[0]

  before(async () => {
    ctx = await buildTestApp(engine)
    const as = async (role: string | null, code = '35238') => {
      const user = await createUser(ctx.database, { admin: role === null })
      if (role) await grantTestRole(ctx.database, user.id, { kind: 'commune', code }, role)
      const client = await signedInClient(ctx.app, user.email, user.password)
      return client
    }
    staff = await as('elected')
    admin = await as(null)
    outsider = await as('editor', '44109')
  })
  after(async () => {
    await ctx.close()
  })

  test('a territory’s elected official asks to join; bad input gets 422; another territory’s staff get 403', async () => {
    const url = '/territoires/commune/35238/adhesion'
    assert.equal((await outsider.get(url)).statusCode, 403)
    assert.equal((await outsider.post(url, REQUEST, { csrfFrom: '/compte' })).statusCode, 403)
    assert.equal(await status('35238'), undefined)
    const invalid = await staff.post(url, {
      ...REQUEST,
      contactEmail: 'nope',
      politicalCommitment: '',
      requestedScope: 'moon',
    })
    assert.equal(invalid.statusCode, 422)
    assert.match(invalid.body, /Le formulaire contient 3 erreur/)
    const sent = await staff.post(url, REQUEST)
    assert.equal(sent.statusCode, 303)
    assert.equal((await status('35238'))!.status, 'candidate')
    const page = await staff.get(url)
    assert.match(page.body, /État de l’adhésion : Candidat/)
    assert.doesNotMatch(page.body, /Envoyer la demande/, 'no second request while one is pending')
    const again = await staff.post(url, REQUEST, { csrf: csrfTokenOf(page.body) })
    assert.equal(again.statusCode, 409)
  })

  test('the network team accepts it with a convention; the contribution comes from the grid', async () => {
    assert.equal((await staff.get('/admin/adhesions')).statusCode, 403)
    const list = await admin.get('/admin/adhesions')
    assert.equal(list.statusCode, 200)
    assert.match(list.body, /Rennes<\/a> — Au programme Territoires Hautement Citoyens/)
    assert.match(list.body, /claire\.dupont@example\.org/)
    assert.match(
      list.body,
      /Contribution selon la grille : 9[\s\u202f]000[\s\u202f]€ \(essentiel\) ou 18[\s\u202f]000[\s\u202f]€ \(renforcé\)/,
    )
    const id = /action="\/admin\/adhesions\/([0-9a-f-]{36})\/decision"/.exec(list.body)![1]!
    const declineWithoutReason = await admin.post(
      `/admin/adhesions/${id}/decision`,
      { decision: 'decline', decisionNote: '' },
      { csrf: csrfTokenOf(list.body) },
    )
    assert.equal(declineWithoutReason.statusCode, 422)
    assert.match(declineWithoutReason.body, /Donnez le motif du refus/)
    // a convention that ends before it starts: the form comes back with the values and the message at the field
    const backwards = await admin.post(
      `/admin/adhesions/${id}/decision`,
      {
        decision: 'accept',
        conventionStart: '01/01/2027',
        conventionEnd: '31/12/2026',
        conventionDocumentUrl: 'https://example.org/convention.pdf',
        supportLevel: 'renforce',
        decisionNote: '',
      },
      { csrf: csrfTokenOf(list.body) },
    )
    assert.equal(backwards.statusCode, 422)
    assert.match(
      backwards.body,
      /id="[^"]*conventionEnd-error">La fin de la convention vient le jour de son début ou après\./,
    )
    assert.match(backwards.body, /value="2027-01-01"/)
    assert.match(backwards.body, /value="https:\/\/example\.org\/convention\.pdf"/)
    assert.equal((await status('35238'))?.status, 'candidate')
    const accepted = await admin.post(
      `/admin/adhesions/${id}/decision`,
      {
        decision: 'accept',
        conventionStart: '2026-01-01',
        conventionEnd: '2028-12-31',
        conventionDocumentUrl: 'https://example.org/convention.pdf',
        supportLevel: 'renforce',
        decisionNote: '',
      },
      { csrf: csrfTokenOf(list.body) },
    )
    assert.equal(accepted.statusCode, 303)
    assert.deepEqual(await status('35238'), {
      status: 'in_programme',
      contribution_eur: '18000.00',
      support_level: 'renforce',
    })
    const twice = await admin.post(
      `/admin/adhesions/${id}/decision`,
      { decision: 'accept', supportLevel: 'essentiel' },
      { csrf: csrfTokenOf(list.body) },
    )
    assert.equal(twice.statusCode, 409)
  })

  test('the public list of members shows the commitment, never the contact', async () => {
    const page = await new Client(ctx.app).get('/membres')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Rennes/)
    assert.match(page.body, /Dans le programme THC/)
    assert.match(page.body, /La Ville s’engage à co-construire/)
    assert.match(page.body, /— Maire de Rennes/)
    const json = await ctx.app.inject({ url: '/api/v1/members' })
    const csv = await ctx.app.inject({ url: '/api/v1/members.csv' })
    for (const body of [page.body, json.body, csv.body]) {
      assert.doesNotMatch(
        body,
        /claire|Dupont|Directrice|18000|18 000/,
        'no private field in public pages or open data',
      )
    }
    assert.equal(JSON.parse(json.body).items[0].status, 'in_programme')
    assert.match(csv.body, /^territoire_type,territoire_code,territoire_nom,statut,depuis/)
  })

  test('the team sets the grid; bad amounts get 422; others get 403', async () => {
    const grid = await admin.get('/admin/adhesions/grille')
    assert.equal(grid.statusCode, 200)
    const fields = { territoryKind: 'commune', populationMin: '200000', supportLevel: 'essentiel' }
    const bad = await admin.post(
      '/admin/adhesions/grille',
      { ...fields, amountEur: 'beaucoup' },
      { csrf: csrfTokenOf(grid.body) },
    )
    assert.equal(bad.statusCode, 422)
    const saved = await admin.post(
      '/admin/adhesions/grille',
      { ...fields, amountEur: '9 500' },
      { csrf: csrfTokenOf(grid.body) },
    )
    assert.equal(saved.statusCode, 303)
    const [row] = await queryRows<{ amount: string }>(
      ctx.database.db,
      sql`select amount_eur::text as amount from contribution_grid where territory_kind = 'commune' and population_min = 200000 and support_level = 'essentiel'`,
    )
    assert.equal(row!.amount, '9500.00')
    assert.equal(
      (await staff.post('/admin/adhesions/grille', { ...fields, amountEur: '1' }, { csrfFrom: '/compte' })).statusCode,
      403,
    )
  })

  test('a member that leaves disappears from the public list and may ask again', async () => {
    const list = await admin.get('/admin/adhesions')
    const id = /action="\/admin\/adhesions\/([0-9a-f-]{36})\/depart"/.exec(list.body)![1]!
    assert.equal(
      (await admin.post(`/admin/adhesions/${id}/depart`, {}, { csrf: csrfTokenOf(list.body) })).statusCode,
      303,
    )
    assert.equal((await status('35238'))!.status, 'left')
    assert.doesNotMatch((await new Client(ctx.app).get('/membres')).body, /Maire de Rennes/)
    assert.equal((await staff.post('/territoires/commune/35238/adhesion', REQUEST)).statusCode, 303)
    assert.equal((await status('35238'))!.status, 'candidate')
  })

  test('joining the network alone has its own rows in the grid and no support level', async () => {
    const grid = (await admin.get('/admin/adhesions/grille')).body
    assert.match(grid, /<h2 id="grid-network">Au réseau Démocratie Ouverte<\/h2>/)
    assert.match(grid, /<h2 id="grid-programme">Au programme Territoires Hautement Citoyens<\/h2>/)
    const networkTable = grid.slice(grid.indexOf('id="grid-network"'), grid.indexOf('id="grid-programme"'))
    assert.match(networkTable, /name="supportLevel" value="reseau"/)
    assert.doesNotMatch(networkTable, /value="essentiel"/, 'the network table has no support level')
    const fields = { territoryKind: 'commune', populationMin: '200000', supportLevel: 'reseau' }
    assert.equal(
      (await admin.post('/admin/adhesions/grille', { ...fields, amountEur: '2 400' }, { csrf: csrfTokenOf(grid) }))
        .statusCode,
      303,
    )

    const nantesUser = await createUser(ctx.database)
    await grantTestRole(ctx.database, nantesUser.id, { kind: 'commune', code: '44109' }, 'elected')
    const nantes = await signedInClient(ctx.app, nantesUser.email, nantesUser.password)
    assert.equal(
      (
        await nantes.post('/territoires/commune/44109/adhesion', {
          ...REQUEST,
          requestedScope: 'network',
          signatory: 'Maire de Nantes',
        })
      ).statusCode,
      303,
    )
    const list = await admin.get('/admin/adhesions')
    const card = list.body.slice(list.body.indexOf('Nantes</a> — Au réseau Démocratie Ouverte'))
    assert.match(card, /Contribution selon la grille \(réseau seul\) : 2[\s\u202f]400[\s\u202f]€\./)
    const form = card.slice(0, card.indexOf('</form>'))
    assert.doesNotMatch(form, /name="supportLevel"/, 'no support level to choose for the network alone')
    const id = /action="\/admin\/adhesions\/([0-9a-f-]{36})\/decision"/.exec(card)![1]!
    assert.equal(
      (
        await admin.post(
          `/admin/adhesions/${id}/decision`,
          { decision: 'accept', conventionStart: '', conventionEnd: '', conventionDocumentUrl: '', decisionNote: '' },
          { csrf: csrfTokenOf(list.body) },
        )
      ).statusCode,
      303,
    )
    const [row] = await queryRows<{ status: string; contribution: string; level: string | null }>(
      ctx.database.db,
      sql`select m.status, m.contribution_eur::text as contribution, m.support_level as level from programme_memberships m join territories t on t.id = m.territory_id where t.code = '44109'`,
    )
    assert.deepEqual(row, { status: 'member', contribution: '2400.00', level: null })
  })
})
