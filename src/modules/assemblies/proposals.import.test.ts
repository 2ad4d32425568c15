import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'drizzle-orm'
import {
  buildTestApp,
  type Client,
  createUser,
  csrfTokenOf,
  describeEachEngine,
  multipart,
  signedInClient,
  type TestApp,
} from '../../../test/helpers/app.ts'
import { decomposed, utf8WithBom, windows1252 } from '../../../test/helpers/encodings.ts'
import { buildPlan } from '../../../test/helpers/factories.ts'
import { queryRows } from '../../platform/db/index.ts'
import { readProposalsFile, shortTitleOf } from './proposals.import.ts'

// Shaped like the Convention Citoyenne pour le Climat's published list: a family (theme), an objective, an
// identifier (SD-A1.1), the proposal's whole wording as its title (often beyond 300 characters), then its text.
const LONG_TITLE =
  'Réduire les émissions de gaz à effet de serre liées aux déplacements domicile-travail en développant, avec les employeurs publics et privés, les plans de mobilité, le télétravail encadré, le covoiturage organisé et des aides à l’achat de vélos à assistance électrique, dans toutes les agglomérations de plus de 50 000 habitants, avant 2025.'
const CCC = [
  'Thème;Objectif;Identifiant;Proposition;Exposé des motifs;Statut;Pour;Contre;Abstention',
  `Se déplacer;Utiliser des modes de déplacement plus doux;SD-A1.1;"${LONG_TITLE}";"Les déplacements domicile-travail représentent une part majeure des émissions.\nNous proposons :\n- des plans de mobilité ;\n- le télétravail.";Adoptée;130;12;8`,
  'Se nourrir;Manger mieux, moins de produits transformés;SN-1.1;Développer les circuits courts dans la restauration collective;Les cantines servent 3 milliards de repas par an.;adoptée;140;5;5',
  'Se loger;Rénover les bâtiments;SL-1.1;Rendre obligatoire la rénovation énergétique globale des bâtiments;;Rejetée;40;100;10',
].join('\r\n')

test('the Convention’s list reads whole: long titles get a short one and lose nothing, themes, objectives, statuses and votes', () => {
  assert.ok(LONG_TITLE.length > 300)
  const read = readProposalsFile(Buffer.from(CCC), 'propositions.csv')
  assert.deepEqual(read.errors, [])
  const [mobility, food, housing] = read.proposals
  assert.ok(mobility!.title.length <= 300)
  assert.equal(mobility!.title, shortTitleOf(LONG_TITLE))
  assert.ok(mobility!.body.startsWith(LONG_TITLE), 'the whole wording opens the text')
  assert.match(mobility!.body, /- des plans de mobilité ;/)
  assert.equal(mobility!.theme, 'Se déplacer')
  assert.equal(mobility!.objective, 'Utiliser des modes de déplacement plus doux')
  assert.equal(mobility!.sourceKey, 'id:SD-A1.1')
  assert.equal(mobility!.status, 'adopted')
  assert.deepEqual(mobility!.votes, { for: 130, against: 12, abstain: 8 })
  assert.equal(food!.status, 'adopted')
  assert.equal(food!.title, 'Développer les circuits courts dans la restauration collective')
  assert.equal(housing!.status, 'rejected')
  assert.equal(housing!.body, housing!.title)
  assert.match(JSON.stringify(read.warnings), /assembly.import.shortened.*"count":1/)
  assert.match(JSON.stringify(read.warnings), /assembly.import.noBody/)
})

test('Excel’s encodings, decomposed accents, English headers and commas read the same; bad rows are refused with their lines', () => {
  const reference = readProposalsFile(Buffer.from(CCC), 'p.csv').proposals
  assert.deepEqual(readProposalsFile(windows1252(CCC), 'p.csv').proposals, reference)
  assert.deepEqual(readProposalsFile(utf8WithBom(CCC), 'p.csv').proposals, reference)
  assert.deepEqual(readProposalsFile(decomposed(CCC), 'p.csv').proposals, reference)
  const english = readProposalsFile(
    Buffer.from('title,text,theme\nMore trees in schoolyards,"Shade, and cooler playgrounds.",Nature\n'),
    'p.csv',
  )
  assert.deepEqual(english.errors, [])
  assert.equal(english.proposals[0]!.theme, 'Nature')
  assert.equal(english.proposals[0]!.status, null)
  const bad = readProposalsFile(
    Buffer.from('titre;texte;statut;pour\nProposition A;texte;peut-être;1\nAutre;texte;adoptée;beaucoup\nx;texte;;\n'),
    'p.csv',
  )
  assert.equal(bad.proposals.length, 0)
  assert.deepEqual(
    bad.errors.map((e) => [e.key, e.params?.line]),
    [
      ['assembly.import.statusValue', 2],
      ['assembly.import.votesValue', 3],
      ['assembly.import.title', 4],
    ],
  )
  assert.equal(readProposalsFile(Buffer.from('nom;prenom\nA;B\n'), 'p.csv').errors[0]!.key, 'assembly.import.columns')
  // a very long cell: refused with its line and the limit, never cut
  const long = readProposalsFile(
    Buffer.from(
      `titre;texte;objectif\nUne proposition;"${'Texte. '.repeat(8000)}";x\nAutre proposition;court;${'o'.repeat(2001)}\n`,
    ),
    'p.csv',
  )
  assert.equal(long.proposals.length, 0)
  assert.deepEqual(
    long.errors.map((e) => [e.key, e.params?.line]),
    [
      ['assembly.import.body', 2],
      ['assembly.import.long', 3],
    ],
  )
  assert.match(
    JSON.stringify(readProposalsFile(Buffer.from(CCC.slice(0, CCC.indexOf('Nous proposons'))), 'p.csv').errors),
    /import.csv.unclosedQuote/,
  )
})

describeEachEngine('assembly proposals import', (engine) => {
  let ctx: TestApp
  let agent: Client
  let elected: Client
  let assemblyId = ''
  const url = () => `/assemblees/${assemblyId}/propositions/importer`
  const upload = async (client: Client, content: string | Buffer, status = 'adopted') => {
    const { payload, headers } = multipart(
      { _csrf: csrfTokenOf((await client.get(url())).body)!, status },
      { name: 'propositions.csv', content },
    )
    return client.request({ method: 'POST', url: url(), payload, headers })
  }
  const confirm = async (client: Client, preview: { body: string }) => {
    const action = /action="([^"]+\/confirmer)"/.exec(preview.body)![1]!
    return client.request({
      method: 'POST',
      url: action,
      payload: new URLSearchParams({ _csrf: csrfTokenOf(preview.body)! }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
  }
  const stored = () =>
    queryRows<{
      id: string
      number: number
      title: string
      status: string
      theme: string | null
      votes_for: number | null
    }>(
      ctx.database.db,
      sql`select id, number, title, status, theme, votes_for from assembly_proposals where assembly_id = ${assemblyId} order by number`,
    )

  before(async () => {
    ctx = await buildTestApp(engine)
    const built = await buildPlan(ctx.database)
    agent = await signedInClient(ctx.app, built.editor.email, built.editor.password)
    elected = await signedInClient(ctx.app, built.elected.email, built.elected.password)
    const created = await agent.post(`${built.territory.path}/assemblees/nouvelle`, {
      title: 'Convention du Val-Démo',
      purpose: 'Réduire les émissions.',
      panelSize: '12',
      majority: 'simple',
    })
    assert.equal(created.statusCode, 303)
    assemblyId = created.headers.location!.split('/')[2]!
  })
  after(async () => ctx?.close())

  test('organisers preview and confirm; the proposals then take the answer workflow; a second import changes only what changed', async () => {
    const someone = await createUser(ctx.database)
    assert.equal((await (await signedInClient(ctx.app, someone.email, someone.password)).get(url())).statusCode, 403)
    const preview = await upload(agent, windows1252(CCC))
    assert.equal(preview.statusCode, 200)
    assert.match(preview.body, /3 propositions à créer, 0 à mettre à jour, 0 inchangée/)
    assert.match(preview.body, /un titre court en est tiré/)
    assert.equal((await stored()).length, 0)
    assert.equal((await confirm(agent, preview)).statusCode, 303)
    const rows = await stored()
    assert.deepEqual(
      rows.map((r) => [r.number, r.status, r.theme, r.votes_for]),
      [
        [1, 'adopted', 'Se déplacer', 130],
        [2, 'adopted', 'Se nourrir', 140],
        [3, 'rejected', 'Se loger', 40],
      ],
    )
    const page = (await agent.get(`/propositions-assemblee/${rows[0]!.id}`)).body
    assert.match(page, /Utiliser des modes de déplacement plus doux/)
    assert.ok(page.includes('avant 2025.'), 'the whole title is shown')
    const answered = await elected.post(
      `/propositions-assemblee/${rows[1]!.id}/reponse`,
      { answer: 'accepted', text: 'Nous l’appliquons dès la rentrée 2027.' },
      { csrfFrom: `/propositions-assemblee/${rows[1]!.id}` },
    )
    assert.equal(answered.statusCode, 303)
    // the same list later, one vote count corrected: one update; the answered proposal is never touched
    const again = await upload(
      agent,
      CCC.replace(';130;', ';131;').replace('restauration collective;Les', 'restauration collective;Autre texte. Les'),
    )
    assert.match(again.body, /0 proposition à créer, 1 à mettre à jour, 1 inchangée/)
    assert.match(
      again.body,
      /1 proposition déjà en cours d’amendement, de vote ou répondue n’est pas modifiée par l’import/,
    )
    assert.equal((await confirm(agent, again)).statusCode, 303)
    assert.deepEqual(
      (await stored()).map((r) => r.votes_for),
      [131, 140, 40],
    )
    const [audit] = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from audit_events where action = 'assembly.proposals_imported' and subject_id = ${assemblyId}`,
    )
    assert.equal(audit!.n, 2)
  })

  test('a refused file writes nothing and says which line to change', async () => {
    const before = (await stored()).length
    const refused = await upload(agent, 'titre;statut\nUne proposition;peut-être\n')
    assert.equal(refused.statusCode, 422)
    assert.match(refused.body, /Ligne 2 : le statut « peut-être » n’est pas connu/)
    assert.equal((await stored()).length, before)
  })
})
