import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.ts'
import {
  buildTestApp,
  Client,
  createUser,
  describeEachEngine,
  grantTestRole,
  signedInClient,
  type TestApp,
} from '../../../test/helpers/app.ts'
import { loadRegistry, readRegistry } from './registry.ts'
import { keptNameIndex } from './name-index.ts'
import { looksLikeCode, normalizeName } from './normalize.ts'
import * as queries from './queries.ts'
import { searchTerritories } from './service.ts'

async function searchApi(ctx: TestApp, q: string, extra = '') {
  const response = await ctx.app.inject({
    method: 'GET',
    url: `/api/v1/territories?q=${encodeURIComponent(q)}${extra}`,
  })
  assert.equal(response.statusCode, 200)
  return JSON.parse(response.body) as {
    total: number
    items: { kind: string; code: string; name: string; departements: string[]; population: number | null }[]
  }
}

async function profileOf(ctx: TestApp, kind: string, code: string) {
  const [row] = await queryRows<{ presentation: string }>(
    ctx.database.db,
    sql`select p.presentation from territory_profiles p join territories t on t.id = p.territory_id where t.kind = ${kind} and t.code = ${code}`,
  )
  return row?.presentation ?? null
}

test('normalizeName folds accents, punctuation and saint abbreviations', () => {
  assert.equal(normalizeName("L'Haÿ-les-Roses"), 'l hay les roses')
  assert.equal(normalizeName('St-Étienne'), 'saint etienne')
  assert.equal(normalizeName('Ste-Marie-aux-Mines'), 'sainte marie aux mines')
  assert.equal(normalizeName('Œuilly'), 'oeuilly')
})

test('readRegistry reads every kind of the official geography with parents and populations', () => {
  const data = readRegistry()
  const count = (kind: string) => data.territories.filter((t) => t.kind === kind).length
  assert.ok(count('commune') > 34_000, `communes: ${count('commune')}`)
  assert.ok(count('epci') > 1_200)
  assert.equal(count('ept'), 11)
  assert.ok(count('departement') >= 101)
  assert.ok(count('region') >= 18)
  const rennes = data.territories.find((t) => t.kind === 'commune' && t.code === '35238')!
  assert.equal(rennes.name, 'Rennes')
  assert.ok(rennes.population! > 200_000)
  const links = new Set(data.links.map(([c, p]) => `${c}>${p}`))
  assert.ok(links.has('commune/35238>departement/35'))
  assert.ok(links.has('commune/35238>epci/243500139'), 'Rennes belongs to Rennes Métropole')
  assert.ok(links.has('departement/35>region/53'))
  const bretagne = data.territories.find((t) => t.kind === 'region' && t.code === '53')!
  assert.ok(bretagne.population! > 3_000_000, 'a région’s population is the sum of its communes')
})

describeEachEngine('territories', (engine) => {
  let ctx: TestApp
  before(async () => {
    ctx = await buildTestApp(engine)
  })
  after(async () => {
    await ctx.close()
  })

  test('finds territories by name without accents, with a typo, by abbreviation and by code', async () => {
    assert.equal((await searchApi(ctx, 'beziers')).items[0]!.name, 'Béziers')
    assert.equal((await searchApi(ctx, 'Bordaux')).items[0]!.name, 'Bordeaux')
    assert.equal((await searchApi(ctx, 'montpelier')).items[0]!.name, 'Montpellier')
    const stEtienne = (await searchApi(ctx, 'st etienne')).items[0]!
    assert.deepEqual([stEtienne.name, stEtienne.departements], ['Saint-Étienne', ['42']])
    assert.deepEqual((await searchApi(ctx, '35238')).items[0]!.name, 'Rennes')
    assert.deepEqual((await searchApi(ctx, '2a004')).items[0]!.name, 'Ajaccio')
    assert.deepEqual((await searchApi(ctx, '243500139')).items[0]!.name, 'Rennes Métropole')
    const epciOnly = await searchApi(ctx, 'rennes', '&kind=epci')
    assert.ok(epciOnly.items.every((t) => t.kind === 'epci'))
    assert.equal((await searchApi(ctx, 'x')).total, 0, 'one character finds nothing')
    assert.equal((await searchApi(ctx, 'zzzzqqqq')).total, 0)
  })

  test('the name search kept in memory finds what the database finds, in the same order', async () => {
    const db = ctx.database.db
    assert.ok(await keptNameIndex(db), 'the web application keeps the index')
    const typed = ['saint denis', 'bordeaux', 'rennes', 'la', 'sur mer', '35', '2a', '243500139', 'paris']
    const typos = ['mulhuse', 'bordaux', 'montpelier', 'strasbour', 'grenobel', 'marseile', 'toulouze', 'lile']
    for (const q of [...typed, ...typos])
      for (const kind of [null, 'commune', 'epci'] as const)
        for (const page of [1, 2]) {
          const fromIndex = await searchTerritories(db, { q, kind, page })
          const options = {
            nameQuery: normalizeName(q),
            codeQuery: looksLikeCode(q) ? q : null,
            kind,
            limit: 20,
            offset: (page - 1) * 20,
          }
          const fromDatabase = await queries.searchTerritories(db, options)
          const ids = (items: { id: string }[]) => items.map((item) => item.id)
          const where = `${q} (${kind ?? 'any kind'}, page ${page})`
          const [exact] = await queryRows<{ n: number }>(
            db,
            sql`select count(*)::int as n from territories where (name_search like ${`%${options.nameQuery}%`}
              or (${options.codeQuery}::text is not null and code like ${`${q.toUpperCase()}%`}))
              and (${kind}::text is null or kind = ${kind})`,
          )
          if (exact!.n >= 20) {
            // the text as typed fills a page: no near-miss is looked for, and the two agree exactly
            assert.equal(fromIndex.total, fromDatabase.total, where)
            // names equally ranked and equally populated may come in another order: compare what orders them
            assert.deepEqual(
              fromIndex.items.map((item) => `${item.population} ${item.retired}`),
              fromDatabase.items.map((item) => `${item.population} ${item.retired}`),
              where,
            )
          } else if (page === 1) {
            assert.equal(fromIndex.items[0]?.id, fromDatabase.items[0]?.id, where)
            // pg_trgm approximates the closest run of a name, the index computes it: near-misses may differ in order
            for (const id of ids(fromDatabase.items).slice(0, 5)) assert.ok(ids(fromIndex.items).includes(id), where)
            assert.ok(fromIndex.total >= fromDatabase.total, where)
          }
          const first = fromDatabase.items[0]
          if (first)
            assert.deepEqual(
              fromIndex.items.find((item) => item.id === first.id),
              first,
              `${where}: the same summary`,
            )
        }
  })

  test('a territory added or renamed in the database is found at the next search', async () => {
    assert.equal((await searchApi(ctx, 'Bordaux')).items[0]!.name, 'Bordeaux') // the index is kept now
    await ctx.database.db.execute(
      sql`insert into territories (kind, code, name, name_search, source) values ('autre', 'bordoville', 'Bordoville', 'bordoville', 'manual')`,
    )
    assert.ok((await searchApi(ctx, 'bordoville')).items.some((t) => t.code === 'bordoville'))
    await ctx.database.db.execute(
      sql`update territories set name = 'Quimperlé-sur-Vague', name_search = 'quimperle sur vague' where kind = 'commune' and code = '29233'`,
    )
    const renamed = await searchApi(ctx, 'quimperle sur vague')
    assert.deepEqual([renamed.items[0]!.code, renamed.items[0]!.name], ['29233', 'Quimperlé-sur-Vague'])
    await ctx.database.db.execute(
      sql`update territories set name = 'Quimperlé', name_search = 'quimperle' where kind = 'commune' and code = '29233'`,
    )
    await ctx.database.db.execute(sql`delete from territories where code = 'bordoville'`)
    assert.equal(
      (await searchApi(ctx, 'bordoville')).items.some((t) => t.code === 'bordoville'),
      false,
    )
  })

  test('shows the search page with results, and a results fragment to htmx', async () => {
    const page = await ctx.app.inject({ url: '/territoires?q=Nantes' })
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /<h1>Territoires<\/h1>/)
    assert.match(page.body, /href="\/territoires\/commune\/44109">Nantes \(44\)/)
    const fragment = await ctx.app.inject({ url: '/territoires?q=Nantes', headers: { 'hx-request': 'true' } })
    assert.doesNotMatch(fragment.body, /<html/)
    assert.match(fragment.body, /id="resultats"/)
    const none = await ctx.app.inject({ url: '/territoires?q=qqqqzzzz' })
    assert.match(none.body, /Aucun territoire ne correspond/)
    const badKind = await ctx.app.inject({ url: '/territoires?q=Nantes&kind=planet' })
    assert.equal(badKind.statusCode, 400)
  })

  test('shows a territory page with its kind, code, parents up to the région, population and members', async () => {
    const rennes = await ctx.app.inject({ url: '/territoires/commune/35238' })
    assert.equal(rennes.statusCode, 200)
    assert.match(rennes.body, /<h1>Rennes<\/h1>/)
    assert.match(rennes.body, /Code INSEE<\/dt><dd>35238/)
    assert.match(rennes.body, /Rennes Métropole/)
    assert.match(rennes.body, /Ille-et-Vilaine/)
    assert.match(rennes.body, /Bretagne/)
    assert.match(rennes.body, /\d{3}[\s\u202f]\d{3} habitants/)
    const metropole = await ctx.app.inject({ url: '/territoires/epci/243500139' })
    assert.match(metropole.body, /Métropole<\/dd>/)
    assert.match(metropole.body, /Composé de : 43 territoires membres/)
    const region = await ctx.app.inject({ url: '/territoires/region/53' })
    assert.match(region.body, /Finistère/)
    const corsica = await ctx.app.inject({ url: '/territoires/commune/2a004' })
    assert.equal(corsica.statusCode, 200, 'codes are case-insensitive')
    const missing = await ctx.app.inject({ url: '/territoires/commune/99999' })
    assert.equal(missing.statusCode, 404)
    assert.match(missing.body, /Page introuvable/)
  })

  test('serves one territory as JSON with its parents', async () => {
    const response = await ctx.app.inject({ url: '/api/v1/territories/commune/35238' })
    assert.equal(response.statusCode, 200)
    const body = JSON.parse(response.body)
    assert.equal(body.name, 'Rennes')
    assert.deepEqual(body.parents.map((p: { kind: string; code: string }) => `${p.kind}/${p.code}`).sort(), [
      'departement/35',
      'epci/243500139',
      'region/53',
    ])
    const missing = await ctx.app.inject({ url: '/api/v1/territories/commune/99999' })
    assert.equal(missing.statusCode, 404)
    assert.deepEqual(JSON.parse(missing.body).error.code, 'NOT_FOUND')
  })

  test('an editor of a territory edits its presentation; the page shows it; the change is audited', async () => {
    const editor = await createUser(ctx.database)
    await grantTestRole(ctx.database, editor.id, { kind: 'commune', code: '44109' }, 'editor')
    const client = await signedInClient(ctx.app, editor.email, editor.password)
    const page = await client.get('/territoires/commune/44109')
    assert.match(page.body, /Modifier la présentation/)
    const invalid = await client.post('/territoires/commune/44109/presentation', {
      presentation: 'Texte',
      website: 'pas une adresse',
      publicContactEmail: '',
    })
    assert.equal(invalid.statusCode, 422)
    assert.match(invalid.body, /commençant par https/)
    assert.equal(await profileOf(ctx, 'commune', '44109'), null)
    const saved = await client.post('/territoires/commune/44109/presentation', {
      presentation:
        '## Nantes, ville ouverte\n\nNantes s’engage pour un gouvernement ouvert :\n\n- budget participatif\n- données ouvertes\n\n<script>alert(1)</script>',
      website: 'https://metropole.nantes.fr',
      publicContactEmail: 'contact@example.org',
    })
    assert.equal(saved.statusCode, 303)
    const shown = await new Client(ctx.app).get('/territoires/commune/44109')
    assert.match(shown.body, /Nantes s’engage pour un gouvernement ouvert/)
    // Markdown rendered like the other Markdown fields, and cleaned
    assert.match(shown.body, /<h3>Nantes, ville ouverte<\/h3>/, "headings sit under the section's own")
    assert.match(shown.body, /<li>budget participatif<\/li>/)
    assert.doesNotMatch(shown.body, /## Nantes|<script>alert/)
    assert.match(shown.body, /https:\/\/metropole\.nantes\.fr/)
    assert.doesNotMatch(shown.body, /Modifier la présentation/, 'a visitor gets no edit link')
    const [audit] = await queryRows<{ actor_id: string; action: string }>(
      ctx.database.db,
      sql`select actor_id, action from audit_events where action = 'territory.profile_updated' order by id desc limit 1`,
    )
    assert.equal(audit!.actor_id, editor.id)
  })

  test('returns 403 and changes nothing when an editor of territory A edits territory B', async () => {
    const editor = await createUser(ctx.database)
    await grantTestRole(ctx.database, editor.id, { kind: 'commune', code: '35238' }, 'editor')
    const client = await signedInClient(ctx.app, editor.email, editor.password)
    const form = await client.get('/territoires/commune/33063/presentation')
    assert.equal(form.statusCode, 403)
    const [auditBefore] = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from audit_events`,
    )
    const post = await client.post(
      '/territoires/commune/33063/presentation',
      { presentation: 'Piratage', website: '', publicContactEmail: '' },
      { csrfFrom: '/compte' },
    )
    assert.equal(post.statusCode, 403)
    assert.match(post.body, /pas le droit/)
    assert.equal(await profileOf(ctx, 'commune', '33063'), null)
    const [auditAfter] = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from audit_events`,
    )
    assert.equal(auditAfter!.n, auditBefore!.n)
    const visitor = await new Client(ctx.app).get('/territoires/commune/33063/presentation')
    assert.equal(visitor.statusCode, 303, 'a visitor is sent to sign in')
    assert.match(String(visitor.headers.location), /^\/connexion\?next=/)
  })

  test('the write itself refuses when the role was revoked after the page was checked', async () => {
    const { updateTerritoryProfile } = await import('./service.ts')
    const [nantes] = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`select id from territories where kind = 'commune' and code = '44109'`,
    )
    const stale = {
      id: '00000000-0000-4000-8000-000000000000',
      email: 'x@example.org',
      displayName: 'X',
      isPlatformAdmin: false,
      locale: 'fr' as const,
      sessionVersion: 1,
      createdAt: new Date(),
      roles: [{ territoryId: nantes!.id, role: 'editor' as const }],
      platformRoles: [],
      sessionId: null,
    }
    const before = await profileOf(ctx, 'commune', '44109')
    await assert.rejects(
      updateTerritoryProfile(ctx.database.db, {
        actor: stale,
        territoryId: nantes!.id,
        input: { presentation: 'Écrasé', website: null, publicContactEmail: null },
      }),
      /FORBIDDEN/,
    )
    assert.equal(await profileOf(ctx, 'commune', '44109'), before)
  })

  test('an administrator creates a territory of kind "autre" with parents; others cannot', async () => {
    const admin = await createUser(ctx.database, { admin: true })
    const client = await signedInClient(ctx.app, admin.email, admin.password)
    const bad = await client.post('/admin/territoires', {
      name: 'Pays de Test',
      code: 'pays test!',
      population: '-3',
      parentRefs: 'departement/35',
    })
    assert.equal(bad.statusCode, 422)
    const unknownParent = await client.post('/admin/territoires', {
      name: 'Pays de Test',
      code: 'pays-test',
      population: '',
      parentRefs: 'departement/999',
    })
    assert.equal(unknownParent.statusCode, 422)
    assert.match(unknownParent.body, /Territoire introuvable : departement\/999/)
    const created = await client.post('/admin/territoires', {
      name: 'Pays de Brocéliande (test)',
      code: 'pays-broceliande-test',
      population: '67 000',
      parentRefs: 'departement/35\nregion/53',
    })
    assert.equal(created.statusCode, 303)
    assert.equal(created.headers.location, '/territoires/autre/pays-broceliande-test')
    const page = await client.get('/territoires/autre/pays-broceliande-test')
    assert.match(page.body, /Pays de Brocéliande \(test\)/)
    assert.match(page.body, /Ille-et-Vilaine/)
    assert.match(page.body, /67[\s\u202f]000 habitants/)
    assert.equal((await searchApi(ctx, 'broceliande')).items[0]!.code, 'pays-broceliande-test')
    const taken = await client.post('/admin/territoires', {
      name: 'Autre',
      code: 'pays-broceliande-test',
      population: '',
      parentRefs: '',
    })
    assert.equal(taken.statusCode, 422)
    assert.match(taken.body, /déjà pris/)

    const someone = await createUser(ctx.database)
    const other = await signedInClient(ctx.app, someone.email, someone.password)
    assert.equal((await other.get('/admin/territoires')).statusCode, 403)
    const denied = await other.post(
      '/admin/territoires',
      { name: 'Pays Pirate', code: 'pays-pirate', population: '', parentRefs: '' },
      { csrfFrom: '/compte' },
    )
    assert.equal(denied.statusCode, 403)
    assert.equal(
      (await searchApi(ctx, 'pays pirate')).items.some((t) => t.code === 'pays-pirate'),
      false,
    )
  })

  test('loading the registry again changes nothing, keeps other territories, and retires vanished communes', async () => {
    const count = async () =>
      (
        await queryRows<{ n: number }>(
          ctx.database.db,
          sql`select count(*)::int as n from territories where retired_at is null`,
        )
      )[0]!.n
    const links = async () =>
      (await queryRows<{ n: number }>(ctx.database.db, sql`select count(*)::int as n from territory_parents`))[0]!.n
    const [territoriesBefore, linksBefore] = [await count(), await links()]
    const data = readRegistry()
    const again = await loadRegistry(ctx.database.db, data)
    assert.equal(again.retired, 0)
    assert.deepEqual([await count(), await links()], [territoriesBefore, linksBefore])

    const withoutOne = {
      territories: data.territories.filter((t) => !(t.kind === 'commune' && t.code === '01001')),
      links: data.links,
    }
    const result = await loadRegistry(ctx.database.db, withoutOne)
    assert.equal(result.retired, 1)
    const page = await ctx.app.inject({ url: '/territoires/commune/01001' })
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /n’existe plus dans le code officiel/)
    await loadRegistry(ctx.database.db, data)
    assert.equal(await count(), territoriesBefore)
  })
})
