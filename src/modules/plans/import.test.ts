import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.ts'
import { parseCsv } from '../../platform/http/csv-parse.ts'
import { buildTestApp, Client, createUser, csrfTokenOf, describeEachEngine, grantTestRole, multipart, signedInClient, type TestApp } from '../../../test/helpers/app.ts'
import { ogpDate } from './import.ts'

const OGP_SAMPLE = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'ogp', 'commitments-sample.csv')
const ogpSkip = existsSync(OGP_SAMPLE) ? false : `OGP sample skipped: ${OGP_SAMPLE} not found (../shared/data is absent)`

test('CSV parsing handles quotes, line breaks in fields, semicolons and a byte-order mark', () => {
  assert.deepEqual(parseCsv('\uFEFFa;b\r\n"x;1";"dit ""oui""\nsur deux lignes"\r\n\r\n'), [
    ['a', 'b'],
    ['x;1', 'dit "oui"\nsur deux lignes'],
  ])
})

test('OGP dates: month/day/year, month and year, quarters, years, missing', () => {
  assert.equal(ogpDate('1/31/2018', false), '2018-01-31')
  assert.equal(ogpDate('July 2014', false), '2014-07-01')
  assert.equal(ogpDate('February 2024', true), '2024-02-29')
  assert.equal(ogpDate('Quarter 4 2016', true), '2016-12-31')
  assert.equal(ogpDate('Q2 2020', false), '2020-04-01')
  assert.equal(ogpDate('2013', true), '2013-12-31')
  assert.equal(ogpDate('NA', true), '')
  assert.equal(ogpDate('someday', true), 'someday')
})

describeEachEngine('importing commitments', (engine) => {
  let ctx: TestApp
  let staff: Client
  let planPath = ''
  const count = async () => (await queryRows<{ n: number }>(ctx.database.db, sql`select count(*)::int as n from commitments where plan_id = ${planPath.split('/').pop()}`))[0]!.n
  const upload = async (format: string, content: string | Buffer | null) => {
    const page = await staff.get(`${planPath}/import`)
    const { payload, headers } = multipart({ _csrf: csrfTokenOf(page.body)!, format }, content === null ? null : { name: 'engagements.csv', content })
    return staff.request({ method: 'POST', url: `${planPath}/import`, payload, headers })
  }

  before(async () => {
    ctx = await buildTestApp(engine)
    const user = await createUser(ctx.database)
    await grantTestRole(ctx.database, user.id, { kind: 'commune', code: '35238' }, 'editor')
    staff = await signedInClient(ctx.app, user.email, user.password)
    const created = await staff.post('/territoires/commune/35238/plans/nouveau', { title: 'Plan importé', periodStart: '2026-01-01', periodEnd: '2027-12-31', cocreationSummary: '' })
    planPath = String(created.headers.location)
  })
  after(async () => {
    await ctx.close()
  })

  test('the platform’s template imports as it is downloaded', async () => {
    const template = await staff.get('/plans/modele-engagements.csv')
    assert.equal(template.statusCode, 200)
    const imported = await upload('modele', template.body)
    assert.equal(imported.statusCode, 303)
    assert.equal(await count(), 1)
    const [row] = await queryRows<{ title: string; ogp_values: string[]; themes: string[]; budget_eur: string }>(ctx.database.db, sql`select title, ogp_values, themes, budget_eur::text from commitments where plan_id = ${planPath.split('/').pop()}`)
    assert.deepEqual(row, { title: 'Ouvrir les données budgétaires', ogp_values: ['access_to_information', 'public_accountability'], themes: ['finances', 'données ouvertes'], budget_eur: '45000.00' })
  })

  test('a file with bad rows imports nothing and names each bad line', async () => {
    const before = await count()
    const csv = 'titre;probleme;engagement;contribution;valeurs_ogp;impacts_attendus;porteur;partenaires;themes;debut;fin;budget_eur;deliberation\n' +
      'Bon engagement;;;;;;;;;2026-01-01;2026-12-31;;\n' +
      ';;;;;;;;;2026-13-01;;;\n' +
      'Budget faux;;;;;;;;;;;-3;\n'
    const response = await upload('modele', csv)
    assert.equal(response.statusCode, 422)
    assert.match(response.body, /Rien n’a été importé/)
    assert.match(response.body, /Ligne 3 : Intitulé de l’engagement — Indiquez un titre/)
    assert.match(response.body, /Ligne 3 : Début \(AAAA-MM-JJ\) — Saisissez une date/)
    assert.match(response.body, /Ligne 4 : Budget en euros \(facultatif\) — Indiquez un montant positif/)
    assert.equal(await count(), before, 'not even the good row')
    const notUtf8 = await upload('modele', Buffer.from([0x74, 0x69, 0x74, 0x72, 0x65, 0x0a, 0xe9, 0x74, 0xe9, 0x0a]))
    assert.equal(notUtf8.statusCode, 422)
    assert.match(notUtf8.body, /pas en UTF-8/)
    const noFile = await upload('modele', null)
    assert.equal(noFile.statusCode, 422)
    const wrongColumns = await upload('modele', 'name,description\nx,y\n')
    assert.match(wrongColumns.body, /Colonnes manquantes : titre/)
    const badFormat = await upload('xlsx', 'titre\nx\n')
    assert.equal(badFormat.statusCode, 400)
    assert.equal(await count(), before)
  })

  test('OGP’s commitment sheet maps into the plan: titles, text, dates, institutions, values, policy areas', { skip: ogpSkip }, async () => {
    const before = await count()
    const response = await upload('ogp', readFileSync(OGP_SAMPLE))
    assert.equal(response.statusCode, 303)
    assert.equal(await count(), before + 73)
    const [row] = await queryRows<{ title: string; start_date: string; end_date: string; ogp_values: string[]; themes: string[]; description: string }>(
      ctx.database.db,
      sql`select title, start_date::text, end_date::text, ogp_values, themes, description from commitments where plan_id = ${planPath.split('/').pop()} and title = 'Open data and participation in the Legislature.'`,
    )
    assert.equal(row!.start_date, '2018-01-01')
    assert.equal(row!.end_date, '2019-12-31')
    assert.deepEqual(row!.ogp_values, ['access_to_information', 'civic_participation', 'technology_innovation'])
    assert.ok(row!.themes.includes('democratizing decision-making') && row!.themes.includes('open data'))
    assert.match(row!.description, /Source : engagement OGP BUE0009 — https:\/\/opengovpartnership\.org\//)
    const [audit] = await queryRows<{ after: { count: number; source: string } }>(ctx.database.db, sql`select after from audit_events where action = 'commitments.imported' order by id desc limit 1`)
    assert.deepEqual({ count: audit!.after.count, source: audit!.after.source }, { count: 73, source: 'ogp' })
  })

  test('another territory’s editor cannot import', async () => {
    const other = await createUser(ctx.database)
    await grantTestRole(ctx.database, other.id, { kind: 'commune', code: '44109' }, 'editor')
    const client = await signedInClient(ctx.app, other.email, other.password)
    assert.equal((await client.get(`${planPath}/import`)).statusCode, 403)
    const token = csrfTokenOf((await client.get('/compte')).body)!
    const { payload, headers } = multipart({ _csrf: token, format: 'modele' }, { name: 'x.csv', content: 'titre\nIntrus\n' })
    const before = await count()
    assert.equal((await client.request({ method: 'POST', url: `${planPath}/import`, payload, headers })).statusCode, 403)
    assert.equal(await count(), before)
  })
})
