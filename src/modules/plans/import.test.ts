import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.ts'
import { csvField } from '../../platform/http/csv.ts'
import { readDate } from '../../platform/import/dates.ts'
import {
  buildTestApp,
  type Client,
  createUser,
  csrfTokenOf,
  describeEachEngine,
  grantTestRole,
  multipart,
  signedInClient,
  type TestApp,
} from '../../../test/helpers/app.ts'
import { readPlansFile } from './import-formats.ts'
import { ogpPolicyAreas } from './import-ogp.ts'

const OGP_SAMPLE = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data', 'ogp', 'commitments-sample.csv')
const ogpSkip = existsSync(OGP_SAMPLE)
  ? false
  : `OGP sample skipped: ${OGP_SAMPLE} not found (../shared/data is absent)`

// ——— fixtures built from the formats' descriptions ———

const TEMPLATE_HEADER =
  'identifiant,titre,probleme,engagement,contribution,valeurs_ogp,impacts_attendus,porteur,partenaires,themes,debut,fin,budget_eur,deliberation'
const templateRow = (cells: string[]) => cells.map(csvField).join(',')

/** OGP's sheet, as its 2024 columns go: identity, text, dates, institutions, then the policy areas, then the IRM. */
const OGP_AREAS = [
  'Anti-Corruption and Integrity',
  'Right To Information',
  'Open Data',
  'Public Participation',
  'Health & Nutrition',
  'Gender',
  'Youth',
  'Subnational',
  'Open Parliaments',
  'Democratizing Decision-Making',
]
const OGP_HEADER = [
  'Commitment Unique Identifier',
  'Country/Locality',
  'Action Plan Number',
  'Year Of Submission',
  'Action Plan End Year',
  'Commitment Title',
  'Short Title',
  'Full Text',
  'Start Date',
  'End Date',
  'Lead Institution',
  'Supporting Institution(s)',
  ...OGP_AREAS,
  'Report Publication Year (Progress Report)',
  'Verifiable',
  'OGP Value Access To Information',
  'OGP Value Civic Participation',
  'OGP Value Public Accountability',
  'OGP Value Technology',
  'URL',
  'Action Plan ID',
]
function ogpSheet(rows: Record<string, string>[]): string {
  return `${[OGP_HEADER.map(csvField).join(','), ...rows.map((row) => OGP_HEADER.map((column) => csvField(row[column] ?? '')).join(','))].join('\r\n')}\r\n`
}
const ogpRow = (id: string, plan: string, country: string, extra: Record<string, string> = {}) => ({
  'Commitment Unique Identifier': id,
  'Country/Locality': country,
  'Action Plan Number': plan.slice(-1),
  'Year Of Submission': '2018',
  'Action Plan End Year': '2020',
  'Commitment Title': `Engagement ${id}`,
  'Full Text': `Texte complet de ${id}.`,
  'Start Date': '1/15/2018',
  'End Date': '6/30/2020',
  'Lead Institution': 'Ministère',
  'Action Plan ID': plan,
  URL: `https://www.opengovpartnership.org/members/x/commitments/${id}/`,
  ...extra,
})

const DECIDIM_HEADER =
  'id;category/id;category/name/fr;category/name/en;scope/id;scope/name/fr;parent/id;title/fr;title/en;description/fr;description/en;start_date;end_date;status/id;status/key;status/name/fr;progress;created_at;url;component/id;proposal_urls'
const decidim = (rows: string[]) => `${[DECIDIM_HEADER, ...rows].join('\n')}\n`

test('dates as the field writes them: both orders, two-digit years, Excel serials, periods, free text', () => {
  const known = { end: false, order: 'dmy' as const, orderKnown: true }
  assert.deepEqual(readDate('25/12/2019', known), { kind: 'exact', iso: '2019-12-25' })
  assert.deepEqual(
    readDate('12/25/2019', { ...known, order: 'dmy' }),
    { kind: 'exact', iso: '2019-12-25' },
    'a second number above 12 is a day',
  )
  assert.deepEqual(readDate('3/4/19', { end: false, order: 'mdy', orderKnown: false }), {
    kind: 'ambiguous',
    iso: '2019-03-04',
  })
  assert.deepEqual(readDate('43466', known), { kind: 'exact', iso: '2019-01-01' }, 'Excel serial')
  assert.deepEqual(readDate('Quarter 4 2016', { ...known, end: true }), { kind: 'period', iso: '2016-12-31' })
  assert.deepEqual(readDate('juillet 2014', known), { kind: 'period', iso: '2014-07-01' })
  assert.deepEqual(
    readDate('2023-05-17 10:20:30 UTC', known),
    { kind: 'exact', iso: '2023-05-17' },
    'Decidim’s timestamps',
  )
  assert.deepEqual(readDate('31/02/2019', known), { kind: 'unread', raw: '31/02/2019' })
  assert.deepEqual(readDate('Ongoing', known), { kind: 'unread', raw: 'Ongoing' })
  assert.deepEqual(readDate('NA', known), { kind: 'empty' })
})

test('OGP’s sheet read whole: one plan per Action Plan ID, every policy area, every date form, long texts kept', () => {
  const longText = 'Un texte de la source. '.repeat(1400) // 32,200 characters: OGP's full texts run long
  const sheet = ogpSheet([
    ogpRow('FR0001', 'AP_FRA01', 'France', {
      'Full Text': longText,
      'Anti-Corruption and Integrity': '1',
      'Open Data': '1',
      Youth: '1',
      Gender: '1',
      'Health & Nutrition': '1',
      Subnational: '1',
      'Open Parliaments': '1',
      'Right To Information': '1',
      'Public Participation': '1',
      'Democratizing Decision-Making': '1',
      'OGP Value Access To Information': '1',
    }),
    ogpRow('FR0002', 'AP_FRA01', 'France', {
      'Start Date': 'Quarter 1 2018',
      'End Date': 'Ongoing',
      'Lead Institution': 'Direction interministérielle '.repeat(20),
    }),
    ogpRow('FR0003', 'AP_FRA02', 'France', {
      'Year Of Submission': '2021',
      'Action Plan End Year': '2023',
      'Start Date': '43466',
      'End Date': '12/31/23',
    }),
    ogpRow('MA0001', 'AP_MAR01', 'Morocco', { 'Start Date': '25/12/2019', 'End Date': '3/4/2020' }),
  ])
  const read = readPlansFile(Buffer.from(sheet), 'ogp', 'ogp.csv')
  assert.deepEqual(read.errors, [])
  assert.deepEqual(
    read.plans.map((p) => [p.sourceKey, p.commitments.length, p.periodStart, p.periodEnd]),
    [
      ['ogp-plan:AP_FRA01', 2, '2018-01-01', '2020-12-31'],
      ['ogp-plan:AP_FRA02', 1, '2021-01-01', '2023-12-31'],
      ['ogp-plan:AP_MAR01', 1, '2018-01-01', '2020-12-31'],
    ],
  )
  const [first, second] = read.plans[0]!.commitments
  assert.equal(first!.input.description, longText.trim(), 'the whole text, not cut at 10,000')
  assert.equal(first!.input.themes.length, 10, 'every policy area flagged, not the first ten of 26 known')
  assert.equal(first!.sourceKey, 'ogp:FR0001')
  assert.match(first!.sourceUrl!, /commitments\/FR0001/)
  assert.doesNotMatch(first!.input.description, /Source : engagement OGP/, 'the identifier is a column, not text')
  assert.equal(second!.input.startDate, '2018-01-01')
  assert.equal(second!.input.endDate, null)
  assert.match(second!.input.description, /Dates indiquées par la source : « Ongoing »/)
  assert.ok(second!.input.leadActor.length > 300, 'the lead institution whole')
  assert.equal(read.plans[1]!.commitments[0]!.input.startDate, '2019-01-01', 'Excel serial')
  assert.equal(read.plans[1]!.commitments[0]!.input.endDate, '2023-12-31', 'two-digit year')
  const morocco = read.plans[2]!.commitments[0]!
  assert.deepEqual(
    [morocco.input.startDate, morocco.input.endDate],
    ['2019-12-25', '2020-04-03'],
    'Morocco writes day/month: 3/4/2020 is the 3rd of April',
  )
  const warnings = read.warnings.map((w) => w.key)
  assert.ok(warnings.includes('plans.import.datePeriod') && warnings.includes('plans.import.dateUnread'))
  assert.deepEqual(ogpPolicyAreas(OGP_HEADER), OGP_AREAS)
})

test('OGP rows the rules refuse are all named, with their value and the total', () => {
  const rows = Array.from({ length: 130 }, (_, i) =>
    ogpRow(`XX${String(i).padStart(4, '0')}`, 'AP_X01', 'X', { 'Commitment Title': 'T'.repeat(301) }),
  )
  const read = readPlansFile(Buffer.from(ogpSheet(rows)), 'ogp', 'ogp.csv')
  assert.equal(read.plans.length, 0)
  assert.equal(read.errorCount, 130)
  assert.equal(read.errors.length, 100)
  assert.equal(read.errors[0]!.params!.line, 2)
})

test('Decidim’s accountability export: `;`, title/<locale> with fallback, HTML to Markdown, results and sub-results', () => {
  const file = decidim([
    '10;3;Mobilités;Mobility;;;;Pistes cyclables;Bike lanes;<p>Relier les <strong>écoles</strong>.</p><script>alert(1)</script>;;2024-01-01;2025-12-31;1;in_progress;En cours;40;2024-01-02 10:00:00 UTC;https://decidim.example/processes/a/f/7/results/10;7;',
    '11;3;Mobilités;Mobility;;;10;Étude de tracé;;;;2024-01-01;2024-06-30;2;completed;Terminé;100;2024-01-02 10:00:00 UTC;https://decidim.example/r/11;7;',
    '12;;;;;;10;;Works;;;2024-07-01;;1;in_progress;En cours;20;2024-01-02 10:00:00 UTC;https://decidim.example/r/12;7;',
    '13;;;;;;12;Rue du Marché;;;;2024-09-01;2024-12-31;;;;0;2024-01-02 10:00:00 UTC;https://decidim.example/r/13;7;',
  ])
  const read = readPlansFile(Buffer.from(file), 'decidim', 'resultats.csv')
  assert.deepEqual(read.errors, [])
  assert.equal(read.plans[0]!.sourceKey, 'decidim-component:7')
  const [commitment] = read.plans[0]!.commitments
  assert.equal(commitment!.input.title, 'Pistes cyclables')
  assert.equal(commitment!.input.description, 'Relier les **écoles**.')
  assert.deepEqual(commitment!.input.themes, ['mobilités'])
  assert.equal(commitment!.sourceKey, 'decidim:7/10')
  assert.deepEqual(
    commitment!.milestones.map((m) => [m.input.title, m.input.dueDate, m.status, m.progress]),
    [
      ['Étude de tracé', '2024-06-30', 'termine', 100],
      ['Works', '2025-12-31', 'en_cours', 20],
      ['Rue du Marché', '2024-12-31', 'non_commence', 0],
    ],
    'English title when no French one; a missing end date takes the commitment’s; the third level joins the commitment',
  )
})

describeEachEngine('importing action plans over HTTP', (engine) => {
  let ctx: TestApp
  let staff: Client
  let planPath = ''
  const planId = () => planPath.split('/').pop()!
  const count = async (where = planId()) =>
    (
      await queryRows<{ n: number }>(
        ctx.database.db,
        sql`select count(*)::int as n from commitments where plan_id = ${where}`,
      )
    )[0]!.n
  const upload = async (url: string, format: string, content: string | Buffer | null, name = 'engagements.csv') => {
    const page = await staff.get(url)
    const { payload, headers } = multipart(
      { _csrf: csrfTokenOf(page.body)!, format },
      content === null ? null : { name, content },
    )
    return staff.request({ method: 'POST', url, payload, headers })
  }
  /** Submits the form of a preview or choice page, with these plans ticked. */
  const submit = async (page: { body: string }, plans: string[] = []) => {
    const action = /<form method="post" action="([^"]+)"/.exec(page.body.slice(page.body.indexOf('<main')))![1]!
    const body = new URLSearchParams([
      ['_csrf', csrfTokenOf(page.body)!],
      ...plans.map((p) => ['plan', p] as [string, string]),
    ])
    return staff.request({
      method: 'POST',
      url: action.replaceAll('&amp;', '&'),
      payload: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
  }

  before(async () => {
    ctx = await buildTestApp(engine)
    const user = await createUser(ctx.database)
    await grantTestRole(ctx.database, user.id, { kind: 'commune', code: '35238' }, 'editor')
    staff = await signedInClient(ctx.app, user.email, user.password)
    const created = await staff.post('/territoires/commune/35238/plans/nouveau', {
      title: 'Plan importé',
      periodStart: '2026-01-01',
      periodEnd: '2027-12-31',
      cocreationSummary: '',
    })
    planPath = String(created.headers.location)
  })
  after(() => ctx.close())

  test('the template as downloaded: a preview first, then one commitment; the same file again changes nothing', async () => {
    const template = await staff.get('/plans/modele-engagements.csv')
    const preview = await upload(`${planPath}/import`, 'modele', template.body)
    assert.equal(preview.statusCode, 200)
    assert.match(preview.body, /Aperçu de l’import/)
    assert.equal(await count(), 0, 'nothing written by the preview')
    const done = await submit(preview)
    assert.equal(done.statusCode, 303)
    assert.equal(await count(), 1)
    const [row] = await queryRows<{
      title: string
      ogp_values: string[]
      themes: string[]
      budget_eur: string
      source_key: string
    }>(
      ctx.database.db,
      sql`select title, ogp_values, themes, budget_eur::text, source_key from commitments where plan_id = ${planId()}`,
    )
    assert.deepEqual(row, {
      title: 'Ouvrir les données budgétaires',
      ogp_values: ['access_to_information', 'public_accountability'],
      themes: ['finances', 'données ouvertes'],
      budget_eur: '45000.00',
      source_key: 'modele:ENG-1',
    })
    const again = await upload(`${planPath}/import`, 'modele', template.body)
    assert.match(again.body, /Le fichier ne change rien/)
    assert.doesNotMatch(again.body, /Confirmer l’import/)
    const [pending] = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from pending_imports`,
    )
    assert.ok(pending!.n >= 1)
  })

  test('a template saved by Excel in France (Windows-1252, `;`, CRLF, dd/mm/yyyy) updates by its identifier and says what changes', async () => {
    const text = `${TEMPLATE_HEADER.replaceAll(',', ';')}\r\nENG-1;Ouvrir les données budgétaires;;Publier le budget, expliqué;;access_to_information;;Direction des finances;;finances;01/02/2026;31/12/2027;45 000;\r\nENG-2;Écouter les habitants;;;;;;;;;15/03/2026;30/06/2026;;\r\n`
    const bytes = Buffer.from([...text].map((c) => ({ é: 0xe9, É: 0xc9, è: 0xe8 })[c] ?? c.charCodeAt(0)))
    const preview = await upload(`${planPath}/import`, 'modele', bytes)
    assert.equal(preview.statusCode, 200)
    assert.match(preview.body, /lu comme du Windows-1252/)
    assert.match(
      preview.body,
      /Modifié<\/strong> · Engagement \(ligne 2\) : Ouvrir les données budgétaires — champs modifiés : [^<]*L’engagement[^<]*Valeurs du gouvernement ouvert[^<]*Début/,
    )
    assert.match(preview.body, /Créé<\/strong> · Engagement \(ligne 3\) : Écouter les habitants/)
    await submit(preview)
    assert.equal(await count(), 2, 'updated in place, not duplicated')
    const [row] = await queryRows<{ description: string; start_date: string }>(
      ctx.database.db,
      sql`select description, start_date::text from commitments where plan_id = ${planId()} and source_key = 'modele:ENG-2'`,
    )
    assert.equal(row!.start_date, '2026-03-15')
  })

  test('a bad file writes nothing and names every problem: rows refused with their value, a cut file, an unclosed quote', async () => {
    const before = await count()
    const csv = `${TEMPLATE_HEADER}\n${templateRow(['A', 'Bon', '', '', '', '', '', '', '', '', '2026-01-01', '2026-12-31', '', ''])}\n${templateRow(['B', '', '', '', '', '', '', '', '', '', '2026-13-01', '', '', ''])}\n${templateRow(['C', 'Budget faux', '', '', '', 'world_peace', '', '', '', '', '', '', '-3', ''])}\n`
    const response = await upload(`${planPath}/import`, 'modele', csv)
    assert.equal(response.statusCode, 422)
    assert.match(response.body, /Rien n’a été importé/)
    assert.match(response.body, /Ligne 3, Intitulé de l’engagement : «\s+» — Indiquez un titre/)
    assert.match(response.body, /Ligne 4, Valeurs du gouvernement ouvert : « world_peace »/)
    assert.match(response.body, /Ligne 4, Budget en euros \(facultatif\) : « -3 » — Indiquez un montant positif/)
    const cut = await upload(
      `${planPath}/import`,
      'modele',
      `${TEMPLATE_HEADER}\nA,Bon,,,,,,,,,2026-01-01,2026-12-31,,\nB,Coupé,,,`,
    )
    assert.match(cut.body, /ligne 3 : 5 valeurs au lieu de 14/)
    const quote = await upload(
      `${planPath}/import`,
      'modele',
      `${TEMPLATE_HEADER}\nA,"Jamais fermé,,,,,,,,,,,,\nB,Suite,,,,,,,,,,,,\n`,
    )
    assert.match(quote.body, /ligne 2 : un champ ouvert par des guillemets n’est jamais refermé/)
    assert.equal((await upload(`${planPath}/import`, 'modele', null)).statusCode, 422)
    assert.match(
      (await upload(`${planPath}/import`, 'modele', 'name,description\nx,y\n')).body,
      /Colonnes manquantes : titre/,
    )
    assert.equal((await upload(`${planPath}/import`, 'xlsx', 'titre\nx\n')).statusCode, 400)
    assert.equal(await count(), before)
  })

  test('OGP’s sheet into a territory: choose its plans, each a draft plan; a second import updates, a published plan is left alone', async () => {
    const sheet = ogpSheet([
      ogpRow('FR0001', 'AP_FRA01', 'France'),
      ogpRow('FR0002', 'AP_FRA01', 'France'),
      ogpRow('FR0003', 'AP_FRA02', 'France'),
      ogpRow('MA0001', 'AP_MAR01', 'Morocco'),
    ])
    const url = '/territoires/commune/35238/plans/importer'
    const choose = await upload(url, 'ogp', sheet, 'ogp.csv')
    assert.equal(choose.statusCode, 200)
    assert.match(choose.body, /Le fichier contient 3 plans d’action/)
    const preview = await submit(choose, ['ogp-plan:AP_FRA01', 'ogp-plan:AP_FRA02'])
    assert.match(preview.body, /Créé<\/strong> · Plan : Plan d’action OGP — France n° 1/)
    const done = await submit(preview, ['ogp-plan:AP_FRA01', 'ogp-plan:AP_FRA02'])
    assert.equal(done.statusCode, 303)
    const plans = await queryRows<{ id: string; source_key: string; status: string; n: number }>(
      ctx.database.db,
      sql`select p.id, p.source_key, p.status, (select count(*)::int from commitments c where c.plan_id = p.id) as n from action_plans p where p.source_key like 'ogp-plan:%' order by p.source_key`,
    )
    assert.deepEqual(
      plans.map((p) => [p.source_key, p.status, p.n]),
      [
        ['ogp-plan:AP_FRA01', 'draft', 2],
        ['ogp-plan:AP_FRA02', 'draft', 1],
      ],
    )
    // the first plan is published meanwhile: a second import does not touch it, and updates the draft
    await ctx.database.db.execute(
      sql`update action_plans set status = 'published', published_at = now() where id = ${plans[0]!.id}`,
    )
    const changed = ogpSheet([
      ogpRow('FR0001', 'AP_FRA01', 'France', { 'Commitment Title': 'Changé' }),
      ogpRow('FR0003', 'AP_FRA02', 'France', { 'Commitment Title': 'Engagement FR0003 révisé' }),
    ])
    const again = await submit(await upload(url, 'ogp', changed, 'ogp.csv'), ['ogp-plan:AP_FRA01', 'ogp-plan:AP_FRA02'])
    assert.match(again.body, /Non modifiable \(plan publié\)<\/strong> · Plan : Plan d’action OGP — France n° 1/)
    assert.match(again.body, /Modifié<\/strong> · Engagement \(ligne 3\) : Engagement FR0003 révisé/)
    await submit(again, ['ogp-plan:AP_FRA01', 'ogp-plan:AP_FRA02'])
    assert.equal((await queryRows(ctx.database.db, sql`select 1 from commitments where title = 'Changé'`)).length, 0)
    assert.equal(
      (await queryRows(ctx.database.db, sql`select 1 from commitments where title = 'Engagement FR0003 révisé'`))
        .length,
      1,
    )
    assert.equal(await count(plans[1]!.id), 1, 'updated, not duplicated')
    // into one plan, a file of several plans asks which one
    const into = await upload(`${planPath}/import`, 'ogp', sheet, 'ogp.csv')
    assert.match(into.body, /choisissez celui dont les engagements rejoignent ce plan/)
    const refused = await submit(into, [])
    assert.equal(refused.statusCode, 422)
  })

  test('the whole OGP sample into a territory: 73 commitments, every policy-area flag kept', {
    skip: ogpSkip,
  }, async () => {
    const bytes = readFileSync(OGP_SAMPLE)
    const read = readPlansFile(bytes, 'ogp', 'sample.csv')
    assert.deepEqual(read.errors, [])
    const flags = read.plans.flatMap((p) => p.commitments).reduce((sum, c) => sum + c.input.themes.length, 0)
    // counted apart from the importer: every "1" in the sheet's 86 policy-area columns (Subnational included)
    const { readCsv } = await import('../../platform/import/csv.ts')
    const sheet = readCsv(bytes)
    const areas = sheet.header.slice(
      sheet.header.indexOf('Supporting Institution(s)') + 1,
      sheet.header.indexOf('Report Publication Year (Progress Report)'),
    )
    assert.equal(areas.length, 86)
    const inSheet = sheet.rows.reduce((sum, row) => sum + areas.filter((a) => row.record[a] === '1').length, 0)
    assert.equal(flags, inSheet, 'every flag of the sheet is a theme')
    const [other] = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`select id from territories where kind = 'commune' and code = '44109'`,
    )
    const user = await createUser(ctx.database)
    await grantTestRole(ctx.database, user.id, { kind: 'commune', code: '44109' }, 'editor')
    const nantes = await signedInClient(ctx.app, user.email, user.password)
    const url = '/territoires/commune/44109/plans/importer'
    const { payload, headers } = multipart(
      { _csrf: csrfTokenOf((await nantes.get(url)).body)!, format: 'ogp' },
      { name: 'sample.csv', content: bytes },
    )
    const choose = await nantes.request({ method: 'POST', url, payload, headers })
    const keys = [...choose.body.matchAll(/name="plan" value="([^"]+)"/g)].map((m) => m[1]!)
    assert.equal(keys.length, read.plans.length)
    const action = /action="([^"]+\/apercu)"/.exec(choose.body)![1]!
    const preview = await nantes.request({
      method: 'POST',
      url: action,
      payload: new URLSearchParams([
        ['_csrf', csrfTokenOf(choose.body)!],
        ...keys.map((k) => ['plan', k] as [string, string]),
      ]).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    const confirm = /action="([^"]+\/confirmer)"/.exec(preview.body)![1]!
    assert.equal(
      (
        await nantes.request({
          method: 'POST',
          url: confirm,
          payload: new URLSearchParams([
            ['_csrf', csrfTokenOf(preview.body)!],
            ...keys.map((k) => ['plan', k] as [string, string]),
          ]).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).statusCode,
      303,
    )
    const [stored] = await queryRows<{ n: number; flags: number }>(
      ctx.database.db,
      sql`select count(*)::int as n, coalesce(sum(cardinality(themes)), 0)::int as flags from commitments where territory_id = ${other!.id}`,
    )
    assert.deepEqual(stored, { n: 73, flags })
  })

  test('Decidim’s results into a plan: commitments with their milestones, statuses and progress; idempotent', async () => {
    const file = decidim([
      '20;;;;;;;Pistes cyclables;;<p>Relier les écoles.</p>;;2026-01-01;2027-06-30;;;;40;2024-01-02 10:00:00 UTC;https://decidim.example/r/20;9;',
      '21;;;;;;20;Étude;;;;2026-01-01;2026-03-31;;completed;Terminé;100;2024-01-02 10:00:00 UTC;https://decidim.example/r/21;9;',
      '22;;;;;;20;Travaux;;;;2026-04-01;2027-06-30;;in_progress;En cours;10;2024-01-02 10:00:00 UTC;https://decidim.example/r/22;9;',
    ])
    const created = await staff.post('/territoires/commune/35238/plans/nouveau', {
      title: 'Plan Decidim',
      periodStart: '2026-01-01',
      periodEnd: '2027-12-31',
      cocreationSummary: '',
    })
    const path = String(created.headers.location)
    await submit(await upload(`${path}/import`, 'decidim', file, 'resultats.csv'))
    const rows = await queryRows<{ title: string; status: string; progress: number; completed_on: string | null }>(
      ctx.database.db,
      sql`select m.title, m.status, m.progress, m.completed_on::text from milestones m join commitments c on c.id = m.commitment_id where c.plan_id = ${path.split('/').pop()} order by m.position`,
    )
    assert.deepEqual(rows, [
      { title: 'Étude', status: 'termine', progress: 100, completed_on: '2026-03-31' },
      { title: 'Travaux', status: 'en_cours', progress: 10, completed_on: null },
    ])
    const again = await upload(`${path}/import`, 'decidim', file, 'resultats.csv')
    assert.match(again.body, /Le fichier ne change rien/)
  })

  test('another territory’s editor can neither import nor confirm someone else’s pending import', async () => {
    const other = await createUser(ctx.database)
    await grantTestRole(ctx.database, other.id, { kind: 'commune', code: '44109' }, 'editor')
    const client = await signedInClient(ctx.app, other.email, other.password)
    assert.equal((await client.get(`${planPath}/import`)).statusCode, 403)
    const token = csrfTokenOf((await client.get('/compte')).body)!
    const { payload, headers } = multipart(
      { _csrf: token, format: 'modele' },
      { name: 'x.csv', content: 'titre\nIntrus\n' },
    )
    const before = await count()
    assert.equal(
      (await client.request({ method: 'POST', url: `${planPath}/import`, payload, headers })).statusCode,
      403,
    )
    const preview = await upload(`${planPath}/import`, 'modele', `titre\nÀ confirmer par son auteur\n`)
    const confirm = /action="([^"]+\/confirmer)"/.exec(preview.body)![1]!
    const [pending] = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`select id from pending_imports order by created_at desc limit 1`,
    )
    assert.ok(confirm.includes(pending!.id))
    const sameTerritory = await createUser(ctx.database)
    await grantTestRole(ctx.database, sameTerritory.id, { kind: 'commune', code: '35238' }, 'editor')
    const colleague = await signedInClient(ctx.app, sameTerritory.email, sameTerritory.password)
    const stolen = await colleague.request({
      method: 'POST',
      url: confirm,
      payload: `_csrf=${encodeURIComponent(csrfTokenOf((await colleague.get('/compte')).body)!)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    assert.equal(stolen.statusCode, 404, 'a pending import is its uploader’s')
    assert.equal(await count(), before)
  })
})
