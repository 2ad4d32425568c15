import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'drizzle-orm'
import {
  buildTestApp,
  Client,
  createUser,
  csrfTokenOf,
  describeEachEngine,
  multipart,
  parisDay,
  signedInClient,
  type TestApp,
} from '../../../test/helpers/app.ts'
import { utf8WithBom, windows1252 } from '../../../test/helpers/encodings.ts'
import { buildPlan } from '../../../test/helpers/factories.ts'
import { queryRows } from '../../platform/db/index.ts'
import { pseudonymOf, readContributionsFile } from './import.ts'

// Fixtures written from Decidim's export serializers (decidim-proposals ProposalSerializer, decidim-debates
// DebateSerializer): nested fields flattened with "/", one column per locale, `;` as the CSV separator, HTML bodies.

const PROPOSAL_COLUMNS = [
  'id',
  'category/id',
  'category/name/fr',
  'category/name/en',
  'scope/id',
  'scope/name/fr',
  'participatory_space/id',
  'participatory_space/url',
  'component/id',
  'title/fr',
  'title/en',
  'title/machine_translations/en',
  'body/fr',
  'body/en',
  'address',
  'latitude',
  'longitude',
  'state',
  'reference',
  'answer/fr',
  'supports',
  'endorsements/total_count',
  'comments',
  'attachments',
  'followers',
  'published_at',
  'url',
  'meeting_urls',
  'related_proposals',
  'is_amend',
  'original_proposal/title',
  'original_proposal/url',
  'withdrawn',
  'withdrawn_at',
  'author/name',
  'author/url',
]
const cell = (value: string) => (/[";\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value)
const row = (columns: string[], cells: Record<string, string>) => columns.map((c) => cell(cells[c] ?? '')).join(';')
const proposal = (id: number, cells: Record<string, string>) =>
  row(PROPOSAL_COLUMNS, {
    id: String(id),
    'component/id': '42',
    'participatory_space/id': '7',
    published_at: '2024-03-12 14:03:22 UTC',
    url: `https://participer.example.fr/processes/budget/f/42/proposals/${id}`,
    ...cells,
  })

const PROPOSALS = [
  PROPOSAL_COLUMNS.join(';'),
  proposal(101, {
    'category/name/fr': 'Mobilités',
    'category/name/en': 'Mobility',
    'title/fr': 'Des pistes cyclables sûres rue Émile-Zola',
    'body/fr':
      '<p>Séparer les vélos des voitures, avec des <strong>bordures</strong>.</p><ul><li>côté école</li><li>côté marché</li></ul>',
    supports: '57',
    state: 'accepted',
    'answer/fr': '<p>Retenue : travaux en 2025.</p>',
    'author/name': 'Jeanne Martin',
  }),
  proposal(102, {
    'title/en': 'Trees in the square',
    'body/en': '<p>More shade; "cool islands".</p>\r\n<p>Second paragraph.</p>',
    supports: '3',
    state: 'rejected',
    'answer/fr': 'Non retenue : le square est classé.',
    'author/name': 'Jeanne Martin',
  }),
  proposal(103, { 'title/fr': 'Retirée par son autrice', 'body/fr': 'x', state: 'withdrawn', 'author/name': 'Paul' }),
  proposal(104, {
    'scope/name/fr': 'Quartier Nord',
    'title/fr': 'Un composteur partagé',
    'body/fr': '',
    supports: '',
    state: 'evaluating',
    'author/name': 'Karim Benali',
  }),
].join('\r\n')

const DEBATE_COLUMNS = [
  'id',
  'author/id',
  'author/name',
  'author/url',
  'title/fr',
  'description/fr',
  'instructions/fr',
  'start_time',
  'end_time',
  'information_updates/fr',
  'category/id',
  'category/name/fr',
  'scope/id',
  'participatory_space/id',
  'participatory_space/url',
  'component/id',
  'reference',
  'comments',
  'followers_count',
  'url',
  'last_comment_at',
  'comments_enabled',
  'conclusions/fr',
  'closed_at',
]
const DEBATES = [
  DEBATE_COLUMNS.join(';'),
  row(DEBATE_COLUMNS, {
    id: '9',
    'author/id': '311',
    'author/name': 'Lucie',
    'title/fr': 'Faut-il piétonniser le centre ?',
    'description/fr': '<p>Le débat du printemps.</p>',
    'category/name/fr': 'Centre-ville',
    'component/id': '55',
    'conclusions/fr': '<p>Oui, le samedi.</p>',
    start_time: '2024-04-02T18:30:00+02:00',
  }),
].join('\n')

const KEY = 'a-test-key-of-more-than-thirty-two-characters'

test('a Decidim proposals export reads whole: locales, HTML, votes, answers, withdrawn skipped, authors pseudonymised', () => {
  const read = readContributionsFile(Buffer.from(PROPOSALS), 'proposals.csv', KEY)
  assert.deepEqual(read.errors, [])
  assert.equal(read.source, 'decidim-proposals')
  assert.equal(read.contributions.length, 3)
  const [bikes, trees, compost] = read.contributions
  assert.equal(bikes!.title, 'Des pistes cyclables sûres rue Émile-Zola')
  assert.match(bikes!.body, /\*\*bordures\*\*/)
  assert.match(bikes!.body, /- côté école/)
  assert.equal(bikes!.votes, 57)
  assert.equal(bikes!.theme, 'Mobilités')
  assert.equal(bikes!.decision, 'retained')
  assert.equal(bikes!.answer, 'Retenue : travaux en 2025.')
  assert.equal(bikes!.createdAt?.toISOString(), '2024-03-12T14:03:22.000Z')
  assert.equal(bikes!.sourceKey, 'decidim-proposals:42/101')
  // English when French is absent; the same author, the same pseudonym; no name anywhere
  assert.equal(trees!.title, 'Trees in the square')
  assert.equal(trees!.decision, 'not_retained')
  assert.equal(bikes!.author, trees!.author)
  assert.equal(bikes!.author, pseudonymOf(KEY, 'decidim:Jeanne Martin'))
  assert.notEqual(compost!.author, bikes!.author)
  assert.doesNotMatch(JSON.stringify(read.contributions), /Jeanne|Karim|Martin/)
  // evaluating is no answer yet; an empty body takes the title; the scope stands for a missing category
  assert.equal(compost!.decision, null)
  assert.equal(compost!.body, 'Un composteur partagé')
  assert.equal(compost!.theme, 'Quartier Nord')
  assert.equal(compost!.votes, 0)
  const warnings = JSON.stringify(read.warnings)
  assert.match(warnings, /consult.import.withdrawn/)
  assert.match(warnings, /consult.import.bodyFromTitle/)
})

test('the same export saved by Excel (Windows-1252, or UTF-8 with BOM) or as JSON reads the same', () => {
  const reference = readContributionsFile(Buffer.from(PROPOSALS), 'proposals.csv', KEY).contributions
  const latin = readContributionsFile(windows1252(PROPOSALS), 'proposals.csv', KEY)
  assert.equal(latin.encoding, 'windows-1252')
  assert.match(JSON.stringify(latin.warnings), /import.convertedFrom1252/)
  assert.deepEqual(latin.contributions, reference)
  assert.deepEqual(readContributionsFile(utf8WithBom(PROPOSALS), 'proposals.csv', KEY).contributions, reference)
  const json = JSON.stringify([
    {
      id: 101,
      category: { id: 1, name: { fr: 'Mobilités', en: 'Mobility' } },
      component: { id: 42 },
      title: { fr: 'Des pistes cyclables sûres rue Émile-Zola' },
      body: { fr: '<p>Séparer.</p>' },
      supports: 57,
      state: 'accepted',
      answer: { fr: 'Retenue.' },
      published_at: '2024-03-12T15:03:22+01:00',
      author: { name: 'Jeanne Martin' },
    },
  ])
  const fromJson = readContributionsFile(Buffer.from(json), 'proposals.json', KEY)
  assert.deepEqual(fromJson.errors, [])
  assert.equal(fromJson.contributions[0]!.sourceKey, reference[0]!.sourceKey)
  assert.equal(fromJson.contributions[0]!.author, reference[0]!.author)
  assert.equal(fromJson.contributions[0]!.createdAt?.toISOString(), '2024-03-12T14:03:22.000Z')
  assert.equal(fromJson.contributions[0]!.theme, 'Mobilités')
})

test('a debates export becomes opinions, with their conclusions', () => {
  const read = readContributionsFile(Buffer.from(DEBATES), 'debates.csv', KEY)
  assert.deepEqual(read.errors, [])
  assert.equal(read.source, 'decidim-debates')
  const [debate] = read.contributions
  assert.equal(debate!.kind, 'opinion')
  assert.match(debate!.body, /Le débat du printemps\.\n\n\*\*Conclusions\*\* : Oui, le samedi\./)
  assert.equal(debate!.createdAt?.toISOString(), '2024-04-02T16:30:00.000Z')
  assert.equal(debate!.sourceKey, 'decidim-debates:55/9')
})

test('a file cut short, a title too long, a bad count, a duplicate id or another kind of file is refused with its line', () => {
  const cut = readContributionsFile(
    Buffer.from(PROPOSALS.slice(0, PROPOSALS.indexOf('Trees') + 30)),
    'proposals.csv',
    KEY,
  )
  assert.equal(cut.contributions.length, 0)
  assert.match(JSON.stringify(cut.errors), /import.csv.(unclosedQuote|columnCount)/)
  const long = readContributionsFile(
    Buffer.from(
      [
        PROPOSAL_COLUMNS.join(';'),
        proposal(1, { 'title/fr': 'T'.repeat(201), 'body/fr': 'x' }),
        proposal(2, { 'title/fr': 'Correct', 'body/fr': 'x', supports: '-3' }),
        proposal(3, { 'title/fr': 'Correcte', 'body/fr': 'x' }),
        proposal(3, { 'title/fr': 'Doublon', 'body/fr': 'x' }),
      ].join('\n'),
    ),
    'p.csv',
    KEY,
  )
  assert.equal(long.contributions.length, 0)
  assert.equal(long.errorCount, 3)
  assert.deepEqual(
    long.errors.map((e) => [e.key, e.params?.line]),
    [
      ['consult.import.title', 2],
      ['consult.import.votes', 3],
      ['consult.import.duplicate', 5],
    ],
  )
  const other = readContributionsFile(Buffer.from('nom;prenom\nA;B\n'), 'x.csv', KEY)
  assert.equal(other.errors[0]!.key, 'consult.import.notDecidim')
  assert.equal(readContributionsFile(Buffer.from('[{"id": 1,'), 'x.json', KEY).errors[0]!.key, 'consult.import.json')
})

describeEachEngine('contributions import', (engine) => {
  let ctx: TestApp
  let agent: Client
  let consultationId = ''
  const url = () => `/consultations/${consultationId}/importer`
  const upload = async (client: Client, content: string | Buffer, name = 'proposals.csv') => {
    const { payload, headers } = multipart({ _csrf: csrfTokenOf((await client.get(url())).body)! }, { name, content })
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
      title: string
      author_id: string | null
      source_author: string | null
      source_votes: number
      support_count: number
      theme: string | null
      decision: string | null
    }>(
      ctx.database.db,
      sql`select title, author_id, source_author, source_votes, support_count, theme, decision from contributions where consultation_id = ${consultationId} order by source_key`,
    )

  before(async () => {
    ctx = await buildTestApp(engine)
    const built = await buildPlan(ctx.database)
    agent = await signedInClient(ctx.app, built.editor.email, built.editor.password)
    const created = await agent.post(`${built.territory.path}/consultations/nouvelle`, {
      title: 'Budget 2024 (Decidim)',
      question: 'Quels projets pour le quartier ?',
      context: '',
      opensOn: parisDay(-30),
      closesOn: parisDay(-1),
      commitmentId: '',
      intent: 'publish',
    })
    assert.equal(created.statusCode, 303)
    consultationId = created.headers.location!.split('/').pop()!
  })
  after(async () => ctx?.close())

  test('staff preview, confirm, and the public page shows pseudonyms, votes, themes and answers; a second import changes only what changed', async () => {
    const citizen = await createUser(ctx.database)
    const outsider = await signedInClient(ctx.app, citizen.email, citizen.password)
    assert.equal((await outsider.get(url())).statusCode, 403)
    const preview = await upload(agent, windows1252(PROPOSALS))
    assert.equal(preview.statusCode, 200)
    assert.match(preview.body, /3 contributions à créer, 0 à mettre à jour, 0 inchangée/)
    assert.match(preview.body, /Windows-1252/)
    assert.match(preview.body, /1 proposition retirée par son auteur n’est pas importée/)
    assert.equal((await stored()).length, 0, 'nothing is written before the confirmation')
    const done = await confirm(agent, preview)
    assert.equal(done.statusCode, 303)
    const rows = await stored()
    assert.equal(rows.length, 3)
    assert.ok(rows.every((r) => r.author_id === null && r.source_author?.startsWith('Participant·e ')))
    assert.deepEqual(
      rows.map((r) => [r.source_votes, r.support_count, r.theme, r.decision]),
      [
        [57, 57, 'Mobilités', 'retained'],
        [3, 3, null, 'not_retained'],
        [0, 0, 'Quartier Nord', null],
      ],
    )
    const page = (await new Client(ctx.app).get(`/consultations/${consultationId}`)).body
    assert.match(page, /Des pistes cyclables sûres rue Émile-Zola/)
    assert.match(page, /57 soutiens \(dont 57 sur Decidim\)/)
    assert.match(page, /Thème : Mobilités/)
    assert.match(page, /importée de Decidim/)
    assert.match(page, /Retenue : travaux en 2025\./)
    assert.doesNotMatch(page, /Jeanne|Karim/)
    const [audit] = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from audit_events where action = 'contributions.imported' and subject_id = ${consultationId}`,
    )
    assert.equal(audit!.n, 1)
    const [count] = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`select contribution_count as n from consultations where id = ${consultationId}`,
    )
    assert.equal(count!.n, 3)

    // the same export later: one more vote on one proposal, the rest as it was
    const again = await upload(agent, PROPOSALS.replace(';57;', ';58;'))
    assert.match(again.body, /0 contribution à créer, 1 à mettre à jour, 2 inchangées/)
    assert.equal((await confirm(agent, again)).statusCode, 303)
    assert.deepEqual(
      (await stored()).map((r) => r.support_count),
      [58, 3, 0],
    )
    assert.equal((await stored()).length, 3)
  })

  test('a refused file says why and writes nothing; the CSRF token and the uploader are checked', async () => {
    const before = (await stored()).length
    const refused = await upload(agent, PROPOSALS.slice(0, PROPOSALS.indexOf('Trees') + 30))
    assert.equal(refused.statusCode, 422)
    assert.match(refused.body, /Rien n’a été importé/)
    assert.match(refused.body, /ligne \d+/)
    assert.equal((await stored()).length, before)
    const { payload, headers } = multipart({ _csrf: 'forged' }, { name: 'p.csv', content: PROPOSALS })
    assert.equal((await agent.request({ method: 'POST', url: url(), payload, headers })).statusCode, 403)
  })
})
