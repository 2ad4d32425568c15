import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
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
  grantTestRole,
  multipart,
  signedInClient,
  type TestApp,
} from '../../../test/helpers/app.ts'
import { checkContent } from './content.ts'
import { importRecords, ImportFailed } from './import.ts'
import { institutionKindOf, readCatalogue, type SourceFile } from './import-catalogue.ts'
import { readParticipediaCsv } from './import-participedia.ts'
import { slugify } from './slugs.ts'
import { LICENCE_URLS } from './vocabularies.ts'
import { buildPlan } from '../../../test/helpers/factories.ts'

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

const DATA = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data')
const PARTICIPEDIA = join(DATA, 'participedia', 'methods-export.csv')
const CATALOGUE = join(DATA, 'consultation-gouv')
const dataSkip =
  existsSync(PARTICIPEDIA) && existsSync(CATALOGUE)
    ? false
    : `référentiel data skipped: ${DATA} not found (../shared/data is absent)`

function catalogueFiles(): SourceFile[] {
  return ['outil', 'usage'].flatMap((dir) =>
    readdirSync(join(CATALOGUE, dir)).map((name) => ({
      name: `${dir}/${name}`,
      bytes: readFileSync(join(CATALOGUE, dir, name)),
    })),
  )
}

/** The same files, one of them changed. */
function editFile(files: SourceFile[], name: string, change: (text: string) => string): SourceFile[] {
  return files.map((f) =>
    f.name === name ? { name, bytes: Buffer.from(change(Buffer.from(f.bytes).toString('utf8'))) } : f,
  )
}

/** A small Participedia export of a case and an organization, in the official column order (FORMAT.md). */
const CASE_AND_ORG = [
  'id,type,title,url,description,featured,post_date,updated_date,creator_id,creator_name,creator_profile_url,last_updated_by_id,last_updated_by_name,last_updated_by_profile_url,original_language,general_issues_1,general_issues_2,start_date,end_date,ongoing,public_spectrum,recruitment_method,method_types_1,primary_organizer_title,specific_methods_tools_techniques_titles,sector,specific_methods_tools_techniques,city,country,approaches_1,targeted_participants_1,targeted_participants_2,staff,body',
  '9001,case,Budget participatif de Rennes,https://participedia.net/case/9001,Les habitants décident de projets.,0,2019-01-01,2020-01-01,1,Ana,,,,,fr,planning, education,2015-01-01,2021-12-31,0,empower,random,public,Ville de Rennes,Participatory Budgeting,,,Rennes,France,cogovernance,youth, students,1,Corps du texte',
  '9002,organization,Association Démo,https://participedia.net/organization/9002,Une association.,0,2019-01-01,2020-01-01,1,Ana,,,,,fr,,,,,,,,,,,non_profit_non_gov,Participatory Budgeting,Montréal,Canada,,,,,',
].join('\n')

test('slugs are lower-case, accent-free and readable', () => {
  assert.equal(slugify('L’atelier citoyen : « Œuvre » à Saint-Étienne'), 'l-atelier-citoyen-oeuvre-a-saint-etienne')
  assert.equal(slugify('!!!'), 'fiche')
})

test('fiche content is checked field by field: vocabularies, dates, addresses, required fields', () => {
  const { problems } = checkContent('experience', {
    title: '',
    summary: 'x',
    themes: 'education,nope',
    startDate: '2024-02-30',
    website: 'javascript:alert(1)',
    licence: 'etalab-2.0',
  })
  const fields = problems.map((p) => p.field).sort()
  assert.deepEqual(fields, ['startDate', 'themes', 'title', 'website'])
  const ok = checkContent('method', {
    title: 'Jury citoyen',
    summary: 'Un jury tiré au sort.',
    subtype: 'method',
    themes: 'governance',
    licence: 'etalab-2.0',
    strengths: 'a\nb\n\nb',
  })
  assert.deepEqual(ok.problems, [])
  assert.deepEqual(ok.content.strengths, ['a', 'b'])
  assert.deepEqual(ok.content.themes, ['governance'])
})

test('institution kinds are read from the names of the catalogue', () => {
  assert.equal(institutionKindOf('Ministère de la Culture et de la Communication'), 'ministry')
  assert.equal(institutionKindOf('Ville de Nanterre'), 'territory')
  assert.equal(institutionKindOf('Conseil Économique Social et Environnemental'), 'public_body')
  assert.equal(institutionKindOf('SciencePo Les Echos et Make.org'), 'other')
})

test('Participedia methods export: every row read, keys mapped (legacy keys included)', { skip: dataSkip }, () => {
  const { records, problems } = readParticipediaCsv(readFileSync(PARTICIPEDIA))
  assert.deepEqual(problems, [])
  assert.equal(records.length, 373)
  const town = records.find((r) => r.sourceKey === 'participedia:method:145')!
  assert.equal(town.values.title, '21st Century Town Meeting®')
  assert.equal(town.values.iap2, 'consult')
  assert.equal(town.values.recruitment, 'stratified')
  assert.equal(town.values.openLimited, 'open_to')
  assert.deepEqual(town.values.methodTypes, ['deliberative', 'collaborative'])
  assert.deepEqual(town.values.participants, ['small', 'medium'])
  assert.deepEqual(town.values.scope, ['regional', 'city/town', 'national'])
  assert.deepEqual(town.values.purposes, ['make', 'develop'])
  assert.equal(town.values.facilitators, 'yes')
  assert.equal(town.values.licence, 'cc-by-nc-sa-3.0')
  assert.equal(town.values.sourceUrl, 'https://participedia.net/method/145')
  // legacy keys of older records are mapped, not lost
  const captive = records.filter((r) => r.values.recruitment === 'captive').length
  assert.equal(captive, 17) // 15 "captive" + 2 "captive_sample"
  assert.ok(records.every((r) => checkContent('method', r.values).problems.length === 0))
})

test('Participedia cases and organizations map to experiences and actors', () => {
  const { records, problems } = readParticipediaCsv(Buffer.from(CASE_AND_ORG))
  assert.deepEqual(problems, [])
  const [caseRecord, org] = records
  assert.equal(caseRecord!.kind, 'experience')
  assert.deepEqual(caseRecord!.values.themes, ['planning', 'education'])
  assert.equal(caseRecord!.values.iap2, 'empower')
  assert.equal(caseRecord!.values.startDate, '2015-01-01')
  assert.equal(caseRecord!.values.ongoing, 'no')
  assert.deepEqual(caseRecord!.linkNames?.uses, ['Participatory Budgeting'])
  assert.deepEqual(caseRecord!.values.approaches, ['cogovernance'])
  assert.deepEqual(caseRecord!.values.targetedParticipants, ['youth', 'students'])
  assert.equal(caseRecord!.values.staff, 'yes')
  assert.equal(caseRecord!.values.place, 'Rennes, France')
  assert.deepEqual(checkContent('experience', caseRecord!.values).problems, [])
  assert.equal(org!.kind, 'actor')
  assert.equal(org!.values.sector, 'non_profit_non_gov')
  assert.equal(org!.values.place, 'Montréal, Canada')
})

test('a bad Participedia row is reported with its line and id', () => {
  const bad = CASE_AND_ORG.replace('9002,organization', '9002,petition')
  const { problems } = readParticipediaCsv(Buffer.from(bad))
  assert.equal(problems.length, 1)
  assert.match(problems[0]!.position, /ligne 3 \(id 9002\)/)
  assert.match(problems[0]!.reason, /type inconnu/)
})

describeEachEngine('référentiel', (engine) => {
  let ctx: TestApp
  let contributor: Client
  let moderator: Client
  let nobody: Client
  let otherModerator: Client
  let localModerator: Client
  let admin: Client
  const count = async (where = sql`true`) =>
    (
      await queryRows<{ n: number }>(
        ctx.database.db,
        sql`select count(*)::int as n from referentiel_fiches where ${where}`,
      )
    )[0]!.n

  before(async () => {
    ctx = await buildTestApp(engine)
    const make = async (name: string, setup?: (id: string) => Promise<void>, isAdmin = false) => {
      const user = await createUser(ctx.database, { displayName: name, admin: isAdmin })
      if (setup) await setup(user.id)
      const client = await signedInClient(ctx.app, user.email, user.password)
      return client
    }
    contributor = await make('Camille Contributrice')
    moderator = await make('Morgan Modérateur', async (id) => {
      await ctx.database.db.execute(
        sql`insert into platform_roles (user_id, role) values (${id}, 'referentiel_moderator')`,
      )
    })
    nobody = await make('Nadia Sansrôle')
    otherModerator = await make('Olivier Autreterritoire', (id) =>
      grantTestRole(ctx.database, id, { kind: 'commune', code: '44109' }, 'moderator'),
    )
    localModerator = await make('Louise Rennes', (id) =>
      grantTestRole(ctx.database, id, { kind: 'commune', code: '35238' }, 'moderator'),
    )
    admin = await make('Ada Admin', undefined, true)
  })
  after(async () => ctx?.close())

  test('both importers load the real files, all or nothing, and re-importing updates instead of duplicating', {
    skip: dataSkip,
  }, async () => {
    const db = ctx.database.db
    const first = await importRecords(db, {
      actorId: null,
      source: 'participedia',
      ...readParticipediaCsv(readFileSync(PARTICIPEDIA)),
    })
    assert.deepEqual(
      { ...first, warnings: [] },
      {
        created: 373,
        updated: 0,
        unchanged: 0,
        byKind: { method: 373, experience: 0, actor: 0 },
        warnings: [],
        conflicts: 0,
      },
    )
    const catalogue = await importRecords(db, {
      actorId: null,
      source: 'consultation-gouv',
      ...readCatalogue(catalogueFiles()),
    })
    assert.deepEqual(catalogue.byKind, { method: 12, experience: 40, actor: 5 })
    assert.equal(catalogue.created, 57)
    assert.equal(await count(), 430)

    const again = await importRecords(db, {
      actorId: null,
      source: 'consultation-gouv',
      ...readCatalogue(catalogueFiles()),
    })
    assert.equal(again.unchanged, 57)
    assert.equal(await count(), 430)

    // spot checks of mapped fields
    const [decidim] = await queryRows<{
      subtype: string
      licence: string
      content: Record<string, unknown>
      slug: string
    }>(
      db,
      sql`select subtype, licence, content, slug from referentiel_fiches where source_key = 'consultation-gouv:outil/decidim'`,
    )
    assert.equal(decidim!.subtype, 'tool')
    assert.equal(decidim!.licence, 'mit')
    assert.equal(decidim!.content.softwareLicence, 'Logiciel libre - AGPLv3')
    assert.equal((decidim!.content.strengths as string[]).length, 3)
    const [climate] = await queryRows<{
      institution: string
      institution_kind: string
      result: string | null
      ongoing: string
      uses: string[]
    }>(
      db,
      sql`select f.institution, f.institution_kind, f.result, f.content ->> 'ongoing' as ongoing, array(select m.slug from referentiel_links l join referentiel_fiches m on m.id = l.to_id where l.from_id = f.id order by 1) as uses
          from referentiel_fiches f where source_key = 'consultation-gouv:usage/convention-climat'`,
    )
    assert.equal(climate!.institution, 'Conseil Économique Social et Environnemental')
    assert.equal(climate!.institution_kind, 'public_body')
    // in_progress says the experience was running when the catalogue described it (2018), not that it is too early to judge
    assert.equal(climate!.result, null)
    assert.equal(climate!.ongoing, 'yes')
    assert.deepEqual(climate!.uses, ['decidim'])
    const [osp] = await queryRows<{ offers: string[] }>(
      db,
      sql`select array(select m.title from referentiel_links l join referentiel_fiches m on m.id = l.to_id where l.from_id = f.id) as offers from referentiel_fiches f where f.kind = 'actor' and f.title = 'Open Source Politics'`,
    )
    assert.deepEqual(osp!.offers.sort(), ['Decidim', 'DemocracyOS'])
    // a tool named in a use case without a fiche of its own is kept as text
    const [grand] = await queryRows<{ other: string[] }>(
      db,
      sql`select array(select jsonb_array_elements_text(content->'otherMethods')) as other from referentiel_fiches where source_key = 'consultation-gouv:usage/assembl_cities'`,
    )
    assert.ok(grand!.other.includes('Assembl'))

    // a changed record updates its fiche: a new published version, with the old one kept
    const changed = editFile(catalogueFiles(), 'outil/decidim.md', (text) =>
      text.replace("tagline: La démocratie n'a jamais été aussi réelle", 'tagline: La démocratie, en vrai'),
    )
    const update = await importRecords(db, { actorId: null, source: 'consultation-gouv', ...readCatalogue(changed) })
    assert.equal(update.updated, 1)
    assert.equal(update.unchanged, 56)
    const versions = await queryRows<{ number: number; summary: string }>(
      db,
      sql`select v.number, v.content->>'summary' as summary from referentiel_versions v join referentiel_fiches f on f.id = v.fiche_id where f.slug = ${decidim!.slug} order by 1`,
    )
    assert.deepEqual(
      versions.map((v) => v.number),
      [1, 2],
    )
    assert.equal(versions[1]!.summary, 'La démocratie, en vrai')

    // one bad record: nothing of that import is written, and the reason names the file
    const broken = editFile(
      editFile(changed, 'usage/rua.md', (text) => text.replace(/^title: .*$/m, 'title: ""')),
      'outil/decidim.md',
      (text) => text.replace('La démocratie, en vrai', 'Encore autre chose'),
    )
    await assert.rejects(
      () => importRecords(db, { actorId: null, source: 'consultation-gouv', ...readCatalogue(broken) }),
      (error: unknown) =>
        error instanceof ImportFailed &&
        error.problems.some((p) => p.position === 'usage/rua.md' && /title/.test(p.reason)),
    )
    const [still] = await queryRows<{ summary: string; n: number }>(
      db,
      sql`select summary, (select count(*)::int from referentiel_versions v where v.fiche_id = f.id) as n from referentiel_fiches f where f.slug = ${decidim!.slug}`,
    )
    assert.equal(still!.summary, 'La démocratie, en vrai')
    assert.equal(still!.n, 2)
  })

  let versionId = ''
  let slug = ''

  test('a contributor drafts an experience; it stays private until a moderator publishes it', async () => {
    const form = {
      title: 'Le conseil des écoles participatif de Rennes',
      summary: 'Des élèves et des parents co-construisent la rénovation des cours d’école.',
      institution: 'Ville de Rennes',
      institutionKind: 'territory',
      territory: 'commune/35238',
      themes: 'education,planning',
      result: 'success',
      licence: 'etalab-2.0',
      whatWorked: 'La présence des enfants.',
      pitfalls: 'late',
      intent: 'submit',
    }
    const created = await contributor.post('/referentiel/nouvelle?nature=experience', form)
    assert.equal(created.statusCode, 303)
    versionId = created.headers.location!.split('/').pop()!
    const [row] = await queryRows<{ status: string; slug: string; published: number | null }>(
      ctx.database.db,
      sql`select v.status, f.slug, f.published_version as published from referentiel_versions v join referentiel_fiches f on f.id = v.fiche_id where v.id = ${versionId}`,
    )
    assert.equal(row!.status, 'submitted')
    assert.equal(row!.published, null)
    slug = row!.slug
    assert.equal(slug, 'le-conseil-des-ecoles-participatif-de-rennes')

    // private: not on the public page, not in search, not in exports
    assert.equal((await new Client(ctx.app).get(`/referentiel/fiches/${slug}`)).statusCode, 404)
    const anonymous = await new Client(ctx.app).get(`/referentiel/versions/${versionId}`)
    assert.equal(anonymous.statusCode, 303)
    assert.match(anonymous.headers.location!, /^\/connexion/)
    assert.equal((await nobody.get(`/referentiel/versions/${versionId}`)).statusCode, 404)
    const search = JSON.parse((await new Client(ctx.app).get('/api/v1/referentiel/fiches?q=ecoles%20Rennes')).body)
    assert.equal(
      search.items.some((i: { slug: string }) => i.slug === slug),
      false,
    )

    // invalid input: 422 with the reason, nothing written
    const before = await count()
    const bad = await contributor.post('/referentiel/nouvelle?nature=experience', {
      ...form,
      title: '',
      themes: 'pas-un-theme',
    })
    assert.equal(bad.statusCode, 422)
    assert.match(bad.body, /valeur inconnue : pas-un-theme/)
    assert.equal(await count(), before)
    // a contributor may not relabel content under a licence not allowed here
    const relabelled = await contributor.post('/referentiel/nouvelle?nature=experience', {
      ...form,
      licence: 'cc-by-nc-sa-3.0',
    })
    assert.equal(relabelled.statusCode, 422)
  })

  test('only moderators of the fiche may decide: not its author, not a moderator of nothing, not another territory’s', async () => {
    const page = `/referentiel/versions/${versionId}`
    const decideAs = (client: Client, fields: Record<string, string>) =>
      client.post(`${page}/decision`, fields, { csrfFrom: '/referentiel' })
    assert.equal((await decideAs(contributor, { decision: 'publish' })).statusCode, 403)
    assert.equal((await decideAs(nobody, { decision: 'publish' })).statusCode, 403)
    assert.equal((await nobody.get('/referentiel/moderation')).statusCode, 403)
    assert.equal((await decideAs(otherModerator, { decision: 'publish' })).statusCode, 403)
    assert.equal((await otherModerator.get(page)).statusCode, 404)
    const [row] = await queryRows<{ status: string }>(
      ctx.database.db,
      sql`select status from referentiel_versions where id = ${versionId}`,
    )
    assert.equal(row!.status, 'submitted')

    // asking for changes needs a reason
    const noReason = await decideAs(moderator, { decision: 'request_changes', note: '' })
    assert.equal(noReason.statusCode, 422)
    assert.match(noReason.body, /Donnez la raison/)
    const queue = await moderator.get('/referentiel/moderation')
    assert.match(queue.body, /Le conseil des écoles participatif de Rennes/)
    assert.equal(
      (await decideAs(moderator, { decision: 'request_changes', note: 'Ajoutez le nombre de participants.' }))
        .statusCode,
      303,
    )
    const mine = await contributor.get('/referentiel/mes-contributions')
    assert.match(mine.body, /Ajoutez le nombre de participants/)

    // the author edits and resubmits; the territory's own moderator publishes
    const edit = await contributor.post(`${page}/modifier`, {
      title: 'Le conseil des écoles participatif de Rennes',
      summary: 'Des élèves et des parents co-construisent la rénovation des cours d’école.',
      institution: 'Ville de Rennes',
      institutionKind: 'territory',
      territory: 'commune/35238',
      themes: 'education,planning',
      result: 'success',
      licence: 'etalab-2.0',
      participantsCount: '240',
      whatWorked: 'La présence des enfants.',
      pitfalls: 'late',
      intent: 'submit',
    })
    assert.equal(edit.statusCode, 303)
    assert.equal((await decideAs(localModerator, { decision: 'publish' })).statusCode, 303)
    const fiche = await new Client(ctx.app).get(`/referentiel/fiches/${slug}`)
    assert.equal(fiche.statusCode, 200)
    assert.match(fiche.body, /Camille Contributrice/)
    assert.match(fiche.body, /Licence Ouverte 2\.0/)
    assert.match(fiche.body, /240/)
    const [audit] = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from audit_events where subject_id = ${versionId} and action = 'fiche.published'`,
    )
    assert.equal(audit!.n, 1)
  })

  test('French search: stemming and accents; facets; related fiches', async () => {
    const visitor = new Client(ctx.app)
    const find = async (q: string) =>
      JSON.parse((await visitor.get(`/api/v1/referentiel/fiches?q=${encodeURIComponent(q)}&pageSize=100`)).body) as {
        total: number
        items: { slug: string }[]
        facets: Record<string, { value: string; count: number }[]>
      }
    assert.ok(
      (await find('participation')).items.some((i) => i.slug === slug),
      '"participation" finds "participatif"',
    )
    assert.ok(
      (await find('ecole')).items.some((i) => i.slug === slug),
      '"ecole" finds "écoles"',
    )
    assert.ok((await find('Écoles')).items.some((i) => i.slug === slug))
    assert.ok((await find('renovation des cours')).items.some((i) => i.slug === slug))
    const facetted = JSON.parse(
      (await visitor.get('/api/v1/referentiel/fiches?kind=experience&theme=education&result=success')).body,
    )
    assert.ok(facetted.items.some((i: { slug: string }) => i.slug === slug))
    assert.ok(
      facetted.items.every(
        (i: { kind: string; result: string; themes: string[] }) =>
          i.kind === 'experience' && i.result === 'success' && i.themes.includes('education'),
      ),
    )
    assert.deepEqual(facetted.facets.region, [{ value: '53', count: facetted.total }]) // Bretagne
    assert.equal((await visitor.get('/api/v1/referentiel/fiches?theme=nope')).statusCode, 400)
    const page = await visitor.get('/referentiel?q=ecole&department=35')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Le conseil des écoles participatif de Rennes/)
    assert.match(page.body, /Ille-et-Vilaine/)
  })

  test('a proposed change gets a readable diff; every published version is kept, and cannot be altered', async () => {
    const proposal = await nobody.post(
      `/referentiel/fiches/${slug}/proposition`,
      {},
      { csrfFrom: `/referentiel/fiches/${slug}` },
    )
    assert.equal(proposal.statusCode, 303)
    const editPath = proposal.headers.location!
    const secondId = editPath.split('/')[3]!
    const form = await nobody.get(editPath)
    assert.match(form.body, /Le conseil des écoles participatif de Rennes/)
    // another person cannot open a second proposal meanwhile
    assert.equal(
      (
        await contributor.post(
          `/referentiel/fiches/${slug}/proposition`,
          {},
          { csrfFrom: `/referentiel/fiches/${slug}` },
        )
      ).statusCode,
      409,
    )
    const saved = await nobody.post(editPath, {
      title: 'Le conseil des écoles participatif de Rennes',
      summary: 'Des élèves, des parents et des agents co-construisent la rénovation des cours d’école.',
      institution: 'Ville de Rennes',
      institutionKind: 'territory',
      territory: 'commune/35238',
      themes: 'education,environment',
      result: 'success',
      licence: 'etalab-2.0',
      participantsCount: '240',
      whatWorked: 'La présence des enfants.',
      pitfalls: 'late',
      intent: 'submit',
    })
    assert.equal(saved.statusCode, 303)
    const review = await moderator.get(`/referentiel/versions/${secondId}`)
    assert.match(review.body, /<ins>et des agents <\/ins>/)
    assert.match(review.body, /<del>Aménagement et développement<\/del>/)
    assert.match(review.body, /<ins>Environnement<\/ins>/)
    assert.equal(
      (
        await moderator.post(
          `/referentiel/versions/${secondId}/decision`,
          { decision: 'publish' },
          { csrfFrom: '/referentiel' },
        )
      ).statusCode,
      303,
    )
    const api = JSON.parse((await new Client(ctx.app).get(`/api/v1/referentiel/fiches/${slug}`)).body)
    assert.equal(api.version, 2)
    assert.deepEqual(
      api.versions.map((v: { number: number }) => v.number),
      [2, 1],
    )
    assert.deepEqual(api.content.themes, ['education', 'environment'])
    assert.equal((await new Client(ctx.app).get(`/referentiel/versions/${versionId}`)).statusCode, 200)
    await assert.rejects(() =>
      ctx.database.db.execute(sql`update referentiel_versions set content = '{}'::jsonb where id = ${versionId}`),
    )
    await assert.rejects(() => ctx.database.db.execute(sql`delete from referentiel_versions where id = ${versionId}`))
  })

  test('exports round-trip: CSV and JSON of a kind hold the same fiches and values; JSON-LD names the fiche', async () => {
    const visitor = new Client(ctx.app)
    const csv = await visitor.get('/referentiel/donnees/experience.csv')
    assert.equal(csv.statusCode, 200)
    const rows = parseCsv(csv.body)
    const header = rows[0]!
    const json = JSON.parse((await visitor.get('/referentiel/donnees/experience.json')).body) as Record<
      string,
      unknown
    >[]
    assert.equal(rows.length - 1, json.length)
    // the historical address holds the platform's own data only, under the licence its header declares
    assert.equal(
      json.length,
      await count(sql`kind = 'experience' and published_version is not null and licence = 'etalab-2.0'`),
    )
    assert.match(
      String(csv.headers.link),
      /^<https:\/\/www\.etalab\.gouv\.fr\/licence-ouverte-open-licence\/>; rel="license"$/,
    )
    const record = json.find((r) => r.slug === slug)!
    const line = rows.find((r) => r[header.indexOf('slug')] === slug)!
    for (const name of ['title', 'summary', 'institution', 'result', 'licence'])
      assert.equal(line[header.indexOf(name)], record[name])
    assert.equal(line[header.indexOf('themes')], (record.themes as string[]).join(' | '))
    assert.equal(record.participantsCount, 240)
    const schema = JSON.parse((await visitor.get('/api/v1/schemas/referentiel-experience.json')).body)
    assert.deepEqual(
      schema.fields.map((f: { name: string }) => f.name),
      header,
    )
    assert.deepEqual(schema.fields.find((f: { name: string }) => f.name === 'result').constraints.enum, [
      'success',
      'mixed',
      'failure',
      'too_early',
    ])
    const ld = await visitor.get(`/referentiel/fiches/${slug}/jsonld`)
    assert.match(ld.headers['content-type'] as string, /application\/ld\+json/)
    const doc = JSON.parse(ld.body)
    assert.equal(doc['@context'], 'https://schema.org')
    assert.equal(doc.name, 'Le conseil des écoles participatif de Rennes')
    assert.equal(doc.license, 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/')
    const openapi = JSON.parse((await visitor.get('/api/docs/json')).body)
    assert.ok(openapi.paths['/api/v1/referentiel/fiches'])
    assert.ok(openapi.paths['/api/v1/referentiel/inventory'])
  })

  test('each dataset holds one licence and declares it: third-party content apart from the platform’s own', {
    skip: dataSkip,
  }, async () => {
    const visitor = new Client(ctx.app)
    const counts = await queryRows<{ licence: string; kind: string; n: number }>(
      ctx.database.db,
      sql`select licence, kind, count(*)::int as n from referentiel_fiches where published_version is not null group by 1, 2`,
    )
    assert.ok(
      counts.some((c) => c.licence === 'cc-by-nc-sa-3.0') &&
        counts.some((c) => c.licence === 'mit') &&
        counts.some((c) => c.licence === 'etalab-2.0'),
    )
    for (const { licence, kind, n } of counts) {
      for (const format of ['csv', 'json']) {
        const file = await visitor.get(`/referentiel/donnees/${licence}/${kind}.${format}`)
        assert.equal(file.statusCode, 200)
        assert.equal(file.headers.link, `<${LICENCE_URLS[licence]}>; rel="license"`)
        const licences =
          format === 'json'
            ? (JSON.parse(file.body) as { licence: string }[]).map((r) => r.licence)
            : (([header, ...rows]) => rows.map((row) => row[header!.indexOf('licence')]!))(parseCsv(file.body))
        assert.equal(licences.length, n, `${licence} ${kind} ${format}`)
        assert.deepEqual([...new Set(licences)], [licence])
      }
    }
    const page = await visitor.get('/referentiel/donnees')
    assert.match(
      page.body,
      /<a href="https:\/\/creativecommons\.org\/licenses\/by-nc-sa\/3\.0\/" rel="license">CC BY-NC-SA 3\.0 \(Participedia\)<\/a>/,
    )
    assert.match(page.body, /href="\/referentiel\/donnees\/cc-by-nc-sa-3\.0\/method\.csv"/)
    const descriptor = JSON.parse((await visitor.get('/referentiel/donnees/datapackage.json')).body) as {
      resources: { path: string; licenses: { name: string; path: string }[]; count: number }[]
    }
    const participedia = descriptor.resources.find((r) =>
      r.path.endsWith('/referentiel/donnees/cc-by-nc-sa-3.0/method.csv'),
    )!
    assert.deepEqual(
      participedia.licenses.map((l) => l.path),
      ['https://creativecommons.org/licenses/by-nc-sa/3.0/'],
    )
    assert.equal(participedia.count, counts.find((c) => c.licence === 'cc-by-nc-sa-3.0' && c.kind === 'method')!.n)
    assert.equal((await visitor.get('/referentiel/donnees/gpl-3.0/method.csv')).statusCode, 400)
  })

  test('the inventory (FR0110) counts declared practices by institution, result and problem', async () => {
    const report = JSON.parse(
      (await new Client(ctx.app).get('/referentiel/inventaire.json?institutionKind=territory')).body,
    )
    const rennes = report.byInstitution.find((r: { institution: string }) => r.institution === 'Ville de Rennes')
    assert.deepEqual({ total: rennes.total, success: rennes.success }, { total: 1, success: 1 })
    assert.ok(report.pitfalls.some((p: { value: string; count: number }) => p.value === 'late' && p.count >= 1))
    assert.ok(report.inspiring.some((p: { slug: string }) => p.slug === slug))
    const page = await new Client(ctx.app).get('/referentiel/inventaire')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /<svg/)
    assert.match(page.body, /Participation trop tardive/)
    assert.equal((await new Client(ctx.app).get('/referentiel/inventaire?institutionKind=bogus')).statusCode, 400)
  })

  test('an experience tied to a commitment shows on the commitment’s page, and links back to it', async () => {
    const built = await buildPlan(ctx.database)
    const commitment = built.commitments[0]!
    const visitor = new Client(ctx.app)

    // the territory and the commitment are chosen by search, not typed as a code or an address
    const picked = `${commitment.title} — ${built.territory.name}`
    const words = commitment.title.split(' ').slice(-2).join(' ')
    const suggested = await visitor.get(`/engagements/suggestions?commitment=${encodeURIComponent(words)}`)
    assert.match(suggested.body, new RegExp(`<option value="${escapeRegExp(picked)}">`))
    const draft = await buildPlan(ctx.database, { published: false })
    const draftWords = draft.commitments[0]!.title.split(' ').slice(-2).join(' ')
    assert.doesNotMatch(
      (await visitor.get(`/engagements/suggestions?commitment=${encodeURIComponent(draftWords)}`)).body,
      /<option/,
      'nothing of a draft plan',
    )
    const form = {
      title: 'Une marche exploratoire à Saint-Denis',
      summary: 'Des habitantes relèvent les lieux à changer.',
      themes: 'planning',
      result: 'success',
      licence: 'etalab-2.0',
      territory: 'Saint-Denis',
      commitment: words,
      intent: 'save',
    }
    const ambiguous = await contributor.post('/referentiel/nouvelle?nature=experience', form)
    assert.equal(ambiguous.statusCode, 422)
    assert.match(ambiguous.body, /plusieurs territoires correspondent : cochez le bon/)
    assert.match(
      ambiguous.body,
      /name="territory.choix" value="commune\/93066"\/><label [^>]*>Saint-Denis — commune 93066 \(93\)</,
    )
    assert.match(ambiguous.body, /value="Saint-Denis"/, 'the typed text stays')
    // a long form in parts, each saying how much is filled; a part with an error comes back open
    assert.match(
      ambiguous.body,
      /<a href="#section-identity">Présentation<\/a> — 4 champs remplis sur \d+<strong class="error-message"> · 1 erreur<\/strong>/,
    )
    assert.match(ambiguous.body, /<details class="form-group" id="section-identity" open(="")?>/)
    assert.match(ambiguous.body, /<details class="form-group" id="section-practice">/)
    const saved = await contributor.post('/referentiel/nouvelle?nature=experience', {
      ...form,
      'territory.choix': 'commune/93066',
      commitment: picked,
    })
    assert.equal(saved.statusCode, 303)
    const [stored] = await queryRows<{ territory: string; commitment: string }>(
      ctx.database.db,
      sql`select v.content->>'territory' as territory, v.content->>'commitment' as commitment from referentiel_versions v where v.id = ${saved.headers.location!.split('/').pop()!}`,
    )
    assert.deepEqual(stored, { territory: 'commune/93066', commitment: commitment.id })
    const editForm = await contributor.get(`${saved.headers.location!}/modifier`)
    assert.match(editForm.body, /value="Saint-Denis \(commune\/93066\)"/, 'the form names what was chosen')
    const unknown = await contributor.post('/referentiel/nouvelle?nature=experience', {
      ...form,
      territory: 'Zzyzx',
      commitment: 'rien de tel nulle part',
    })
    assert.match(unknown.body, /territoire inconnu : Zzyzx/)
    assert.match(unknown.body, /aucun engagement publié ne correspond à « rien de tel nulle part »/)

    // once published, the experience and the commitment link to each other
    const submitted = await contributor.post('/referentiel/nouvelle?nature=experience', {
      ...form,
      title: 'Une marche exploratoire publiée',
      'territory.choix': 'commune/93066',
      commitment: picked,
      intent: 'submit',
    })
    assert.equal(submitted.statusCode, 303)
    const versionPage = submitted.headers.location!
    assert.equal(
      (await moderator.post(`${versionPage}/decision`, { decision: 'publish' }, { csrfFrom: '/referentiel' }))
        .statusCode,
      303,
    )
    const [fiche] = await queryRows<{ slug: string }>(
      ctx.database.db,
      sql`select f.slug from referentiel_fiches f join referentiel_versions v on v.fiche_id = f.id where v.id = ${versionPage.split('/').pop()!}`,
    )
    const commitmentPage = await visitor.get(`/engagements/${commitment.id}`)
    assert.equal(commitmentPage.statusCode, 200)
    assert.match(commitmentPage.body, new RegExp(`href="/referentiel/fiches/${fiche!.slug}"`))
    const fichePage = await visitor.get(`/referentiel/fiches/${fiche!.slug}`)
    assert.match(fichePage.body, new RegExp(`href="/engagements/${commitment.id}"`))
    assert.match(fichePage.body, /Une marche exploratoire publiée/)
  })

  test('the admin import page: administrators only, all or nothing with the reason', async () => {
    assert.equal((await contributor.get('/admin/referentiel/import')).statusCode, 403)
    // files are read into memory before the route: never for visitors, one at a time except for administrators
    const twoFiles = (token: string) => {
      const boundary = '----thc-two'
      const part = (name: string) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${name}"\r\nContent-Type: text/markdown\r\n\r\n---\ntitle: x\n---\r\n`
      const payload = `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n${part('a.md')}${part('b.md')}--${boundary}--\r\n`
      return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
    }
    const visitor = new Client(ctx.app)
    const anonymous = await visitor.request({ method: 'POST', url: '/admin/referentiel/import', ...twoFiles('x') })
    assert.equal(anonymous.statusCode, 401)
    assert.match(anonymous.body, /Erreur 401/)
    const token = csrfTokenOf((await contributor.get('/referentiel')).body)!
    // a signed-in non-administrator is refused when the request arrives, before any file is read
    assert.equal(
      (await contributor.request({ method: 'POST', url: '/admin/referentiel/import', ...twoFiles(token) })).statusCode,
      403,
    )
    const upload = async (content: string) => {
      const page = await admin.get('/admin/referentiel/import')
      const { payload, headers } = multipart(
        { _csrf: csrfTokenOf(page.body)!, format: 'participedia' },
        { name: 'export.csv', content },
      )
      return admin.request({ method: 'POST', url: '/admin/referentiel/import', payload, headers })
    }
    const before = await count()
    const bad = await upload(CASE_AND_ORG.replace('9002,organization', '9002,petition'))
    assert.equal(bad.statusCode, 422)
    assert.match(bad.body, /ligne 3 \(id 9002\)/)
    assert.equal(await count(), before)
    // a link to a fiche that is absent is a warning, not a refusal; the preview writes nothing
    const preview = await upload(CASE_AND_ORG.replace(/Participatory Budgeting/g, 'Cercle de parole introuvable'))
    assert.equal(preview.statusCode, 200, /error-summary[\s\S]*?<\/ul>/.exec(preview.body)?.[0])
    assert.match(preview.body, /Aperçu de l’import de fiches/)
    assert.match(preview.body, /absentes?, gardées? comme texte : Cercle de parole introuvable/)
    assert.equal(await count(), before)
    const confirm = /action="(\/admin\/referentiel\/import\/[0-9a-f-]{36}\/confirmer)"/.exec(preview.body)![1]!
    // only the one who sent it confirms it
    assert.equal((await moderator.post(confirm, {}, { csrfFrom: '/referentiel' })).statusCode, 403)
    const done = await admin.post(confirm, {}, { csrfFrom: '/referentiel' })
    assert.equal(done.statusCode, 303)
    assert.match((await admin.get(done.headers.location!)).body, /2 créées/)
    assert.equal((await admin.post(confirm, {}, { csrfFrom: '/referentiel' })).statusCode, 404) // applied once
    assert.equal(await count(), before + 2)
  })
})
