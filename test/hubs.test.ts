import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { seedDemo } from '../src/demo/seed.ts'
import { queryRows } from '../src/platform/db/index.ts'
import { searchWords } from '../src/platform/search.ts'
import { buildTestApp, Client, describeEachEngine, signedInClient, type TestApp } from './helpers/app.ts'

test('a search query becomes at most six words of two characters or more', () => {
  assert.deepEqual(searchWords('  Données  budgétaires, «Pays» ! a '), ['données', 'budgétaires', 'pays'])
  assert.deepEqual(searchWords("l'école d’été"), ["l'école", 'd’été'])
  assert.equal(searchWords('un deux trois quatre cinq six sept huit').length, 6)
  assert.deepEqual(searchWords('%'), [])
})

/**
 * The demo loads, and the header's hubs show it: the site-wide search finds every kind of content, "Participer",
 * "Données" and /evenements list it. This is the one suite (with the browser journeys) whose fixture is the demo.
 */
describeEachEngine('the demo, through the site-wide search and hub pages', (engine) => {
  let ctx: TestApp
  const visitor = () => new Client(ctx.app)
  const main = (body: string) => body.slice(body.indexOf('<main'), body.indexOf('</main>'))

  before(async () => {
    ctx = await buildTestApp(engine)
    await seedDemo(ctx.database.db)
  })
  after(() => ctx.close())

  test('one query finds territories, commitments, consultations, questions, texts, assemblies, fiches and events, accents and case aside', async () => {
    const page = await visitor().get('/recherche?q=DEMONSTRATION')
    assert.equal(page.statusCode, 200)
    const body = main(page.body)
    for (const [section, title] of [
      ['territoires', 'Pays du Val-Démo'],
      ['engagements', 'Ouvrir les données budgétaires du Pays (démonstration)'],
      ['consultations', 'Quelles priorités pour les mobilités du quotidien ? (démonstration)'],
      ['questions', 'Quand la navette du marché reprendra-t-elle ? (démonstration)'],
      ['textes', 'Charte de la participation citoyenne (démonstration)'],
      ['assemblees', 'Assemblée citoyenne des mobilités (démonstration)'],
      ['referentiel', 'Atelier de quartier en marchant (démonstration)'],
      ['evenements', 'Réunion publique : plan de mobilité (démonstration)'],
    ] as const) {
      assert.match(body, new RegExp(`<h2 id="${section}">`), section)
      assert.ok(body.includes(title), `${section}: ${title}`)
    }
    assert.match(body, /role="status">\d+ résultats pour « DEMONSTRATION »/)
    const two = main((await visitor().get('/recherche?q=budgetaires%20pays')).body)
    assert.match(two, /Ouvrir les données budgétaires du Pays/, 'every word, in any order, without accents')
    assert.doesNotMatch(two, /Réunion publique/)
  })

  test('nothing unpublished is found: a draft plan’s commitment, a pending question, a draft assembly', async () => {
    const staff = await signedInClient(ctx.app, 'agent@demo.thc.example', 'demo-agent-thc')
    const plan = await staff.post('/territoires/autre/pays-demo/plans/nouveau', {
      title: 'Plan brouillon',
      periodStart: '2027-01-01',
      periodEnd: '2028-12-31',
      cocreationSummary: '',
    })
    await staff.post(`${String(plan.headers.location)}/engagements/nouveau`, {
      title: 'Zorglub engagement secret',
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
    const [territory] = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`select id from territories where code = 'pays-demo'`,
    )
    await ctx.database.db.execute(
      sql`insert into official_questions (territory_id, title, body) values (${territory!.id}, 'Zorglub question en attente', 'Pas encore modérée.')`,
    )
    await ctx.database.db.execute(
      sql`insert into assemblies (territory_id, title, purpose, panel_size) values (${territory!.id}, 'Zorglub assemblée brouillon', 'Pas encore annoncée.', 10)`,
    )
    const page = await visitor().get('/recherche?q=zorglub')
    assert.equal(page.statusCode, 200)
    assert.doesNotMatch(
      main(page.body),
      /<h2 id=|Zorglub/,
      'no section, no title (the query itself is echoed in lower case)',
    )
    assert.match(main(page.body), /Rien ne correspond à « zorglub »/)
    // even staff of the territory: the search shows public things only
    assert.doesNotMatch(main((await staff.get('/recherche?q=zorglub')).body), /<h2 id=/)
  })

  test('odd queries: wildcards are literal, an empty or one-letter query asks for more, a long one is cut, unknown parameters ignored', async () => {
    const wildcard = await visitor().get('/recherche?q=%25%25%20__')
    assert.equal(wildcard.statusCode, 200)
    assert.doesNotMatch(main(wildcard.body), /<h2 id=/, '% and _ match themselves, not everything')
    const empty = await visitor().get('/recherche')
    assert.equal(empty.statusCode, 200)
    assert.doesNotMatch(main(empty.body), /role="status"/)
    assert.match(main((await visitor().get('/recherche?q=a')).body), /au moins un mot de deux caractères/)
    const long = await visitor().get(`/recherche?q=${'mobilité '.repeat(500)}&tri=bizarre&page=-3`)
    assert.equal(long.statusCode, 200)
    const inEnglish = visitor()
    await inEnglish.get('/langue/en?next=/')
    assert.match(main((await inEnglish.get('/recherche?q=zzzzqqq')).body), /Nothing matches “zzzzqqq”/)
  })

  test('/participer lists what is open now, /donnees links only to files that answer', async () => {
    const participate = main((await visitor().get('/participer')).body)
    assert.match(
      participate,
      /Quelles priorités pour les mobilités du quotidien \? \(démonstration\)/,
      'the open consultation',
    )
    assert.match(participate, /Assemblée citoyenne des mobilités \(démonstration\)/, 'the assembly recruiting')
    assert.doesNotMatch(
      participate,
      /Assemblée citoyenne de l’alimentation/,
      'an assembly already drawn recruits no one',
    )
    assert.match(participate, /Réunion publique : plan de mobilité/)
    const data = await visitor().get('/donnees')
    assert.equal(data.statusCode, 200)
    const links = [...main(data.body).matchAll(/href="([^"#]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'))
    assert.ok(links.length >= 15)
    for (const link of links) assert.equal((await visitor().get(link)).statusCode, 200, link)
  })

  test('/evenements lists the territories’ meetings and the network’s events, filtered; an unknown filter falls back', async () => {
    const [territory] = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`select id from territories where code = 'pays-demo'`,
    )
    await ctx.database.db.execute(
      sql`insert into events (territory_id, kind, title, starts_at, ends_at) values (null, 'peer_seminar', 'Séminaire des pairs du réseau', now() + interval '10 days', now() + interval '10 days 2 hours')`,
    )
    assert.ok(territory)
    const all = main((await visitor().get('/evenements')).body)
    assert.match(all, /Réunion publique : plan de mobilité \(démonstration\)/)
    assert.match(all, /Pays du Val-Démo \(démonstration\) · /, 'a territory’s event says whose it is')
    assert.match(all, /Séminaire des pairs du réseau/)
    const network = main((await visitor().get('/evenements?qui=reseau')).body)
    assert.match(network, /Séminaire des pairs du réseau/)
    assert.doesNotMatch(network, /Réunion publique : plan de mobilité/)
    const territories = main((await visitor().get('/evenements?qui=territoires&type=public_meeting')).body)
    assert.match(territories, /Réunion publique : plan de mobilité/)
    assert.doesNotMatch(territories, /Séminaire des pairs/)
    const bogus = await visitor().get('/evenements?qui=martiens&type=%3Cscript%3E')
    assert.equal(bogus.statusCode, 200)
    assert.match(main(bogus.body), /Séminaire des pairs du réseau/)
    assert.match(main(bogus.body), /Réunion publique : plan de mobilité/)
  })

  test('the privacy page says who, why, how long and which rights, and the forms that collect personal data link to it', async () => {
    const page = main((await visitor().get('/confidentialite')).body)
    for (const heading of [
      'Responsable du traitement',
      'Pourquoi',
      'Combien de temps',
      'Ce qui est public',
      'Vos droits',
    ])
      assert.match(page, new RegExp(`<h2 id="[^"]+">${heading}</h2>`), heading)
    assert.match(page, /14 jours sans activité/)
    assert.ok(main((await visitor().get('/inscription')).body).includes('href="/confidentialite"'), 'sign-up')
    const [recruiting] = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`select id from assemblies where phase = 'recruiting' limit 1`,
    )
    assert.ok(
      main((await visitor().get(`/assemblees/${recruiting!.id}/volontariat`)).body).includes('href="/confidentialite"'),
      'volunteer form',
    )
  })

  test('a fiche names its territory and its commitment, never as a raw code or address', async () => {
    const [fiche] = await queryRows<{ slug: string }>(
      ctx.database.db,
      sql`select slug from referentiel_fiches where published_version is not null and commitment_id is not null limit 1`,
    )
    const page = main((await visitor().get(`/referentiel/fiches/${fiche!.slug}`)).body)
    assert.doesNotMatch(page, />\/engagements\/[0-9a-f-]{36}</, 'no raw address as a link text')
    assert.doesNotMatch(page, />autre\/pays-demo</, 'no raw territory reference as a link text')
    assert.match(page, /<a href="\/engagements\/[0-9a-f-]{36}">[^<]*\(démonstration\)<\/a>/)
  })

  test('a member territory’s page shows its membership: programme, since when, the convention', async () => {
    const page = main((await visitor().get('/territoires/autre/pays-demo')).body)
    assert.match(
      page,
      /<strong class="badge">Membre du programme Territoires Hautement Citoyens<\/strong> depuis le \d{1,2} \S+ \d{4} · convention d’objectifs du \d{1,2} \S+ \d{4} au \d{1,2} \S+ \d{4}/,
    )
    assert.doesNotMatch(page, /agent@demo|1500|1 500/, 'the contact and the contribution stay private')
    assert.doesNotMatch(
      main((await visitor().get('/territoires/commune/35238')).body),
      /class="badge">Membre/,
      'a territory that did not join shows nothing',
    )
  })

  test('the header names the five sections and marks the current one; /reseau and the home page link onwards', async () => {
    const page = (await visitor().get('/participer')).body
    const nav = page.slice(page.indexOf('class="main-nav"'), page.indexOf('</nav>'))
    const labels = [...nav.matchAll(/<a href="(\/[a-z]+)"( aria-current="page")?>([^<]+)</g)]
      .slice(0, 5)
      .map((m) => [m[1], m[3], Boolean(m[2])])
    assert.deepEqual(labels, [
      ['/territoires', 'Territoires', false],
      ['/participer', 'Participer', true],
      ['/reseau', 'Le réseau', false],
      ['/referentiel', 'Référentiel', false],
      ['/donnees', 'Données', false],
    ])
    assert.match(page, /<form role="search" action="\/recherche"/)
    const network = main((await visitor().get('/reseau')).body)
    for (const href of ['/membres', '/reseau/evaluations', '/evenements', '/assemblees', '/donnees'])
      assert.ok(network.includes(`href="${href}"`), href)
    const home = main((await visitor().get('/')).body)
    for (const href of ['/participer', '/reseau/evaluations', '/referentiel'])
      assert.ok(home.includes(`href="${href}"`), href)
  })
})
