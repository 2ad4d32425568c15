import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { zipSync } from 'fflate'
import {
  buildTestApp,
  Client,
  createUser,
  csrfTokenOf,
  describeEachEngine,
  signedInClient,
  type TestApp,
} from '../../../test/helpers/app.ts'
import { decomposed, utf8WithBom, windows1252 } from '../../../test/helpers/encodings.ts'
import { queryRows } from '../../platform/db/index.ts'
import { checkContent, type FicheContent } from './content.ts'
import { importRecords } from './import.ts'
import { catalogueMarkdown, readCatalogue, type SourceFile } from './import-catalogue.ts'
import { parseCompositeLinks, readParticipediaCsv } from './import-participedia.ts'
import { contentForForm } from './queries.ts'
import { resolveVocabulary, type VocabularyName } from './vocabularies.ts'

// Fixtures written from the formats' descriptions: Participedia's export order and vocabularies
// (participedia/api, api/helpers/create-csv-data-dump.js and shared-field-options.js), and the participation
// catalogue's repository (consultation-gouv/consultation.gouv.fr: _outil, _usage, _usage_citoyens, _drafts).

const IDENTITY =
  'id,type,title,url,description,featured,post_date,updated_date,creator_id,creator_name,creator_profile_url,last_updated_by_id,last_updated_by_name,last_updated_by_profile_url,original_language'
const ADDRESS = 'address1,address2,city,province,postal_code,country,latitude,longitude'

const ORGANISATION_COLUMNS = `${IDENTITY},${ADDRESS},sector,scope_of_influence_1,scope_of_influence_2,type_method_1,type_method_2,type_tool_1,specific_topics_1,general_issues_1,general_issues_2,specific_methods_tools_techniques,body,photos_count,files_count,videos_count,links_count,audio_count,collections`
const csvCell = (value: string) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value)
/** One row of an export: the named cells, the others empty, in the header's order. */
const rowOf = (header: string, cells: Record<string, string>) =>
  header
    .split(',')
    .map((column) => csvCell(cells[column] ?? ''))
    .join(',')
const organisation = (id: number, title: string, cells: Record<string, string>) =>
  rowOf(ORGANISATION_COLUMNS, {
    id: String(id),
    type: 'organization',
    title,
    url: `https://participedia.net/organization/${id}`,
    description: `${title}.`,
    featured: '0',
    post_date: '2019-01-01',
    updated_date: '2021-03-04',
    original_language: 'fr',
    ...cells,
  })

/** Participedia's organisations export, in its column order: sectors as words, methods as a list of rows. */
const ORGANISATIONS = [
  ORGANISATION_COLUMNS,
  organisation(7001, 'Institut de la Concertation', {
    address1: '5 rue X',
    city: 'Paris',
    province: 'Île-de-France',
    country: 'France',
    sector: 'Non-Profit or Non Governmental',
    scope_of_influence_1: 'national',
    scope_of_influence_2: ' regional',
    type_method_1: 'deliberative',
    type_method_2: ' collaborative',
    type_tool_1: 'facilitate',
    general_issues_1: 'educations',
    general_issues_2: ' governance',
    specific_methods_tools_techniques:
      '{"(145,method,\\"21st Century Town Meeting®\\")","(9999,method,\\"Cercle, \\"\\"inconnu\\"\\"\\")"}',
    body: 'Corps, avec "guillemets" et\r\nun saut de ligne',
  }),
  organisation(7002, 'Civic Tech SAS', {
    city: 'Lyon',
    country: 'France',
    sector: 'For Profit',
    scope_of_influence_1: 'city/town',
    type_tool_1: 'collect',
    general_issues_1: 'business',
  }),
  organisation(7003, 'Université de Nantes', {
    city: 'Nantes',
    country: 'France',
    sector: 'University or Research',
    general_issues_1: 'science',
  }),
  organisation(7004, 'Ville de Grenoble', {
    city: 'Grenoble',
    country: 'France',
    sector: 'Government',
    general_issues_1: 'planning',
  }),
].join('\r\n')

/** Participedia's cases export, reduced to columns of every vocabulary. */
const CASES_HEADER = `${IDENTITY},${ADDRESS},specific_methods_tools_techniques_titles,general_issues_1,general_issues_2,general_issues_3,scope_of_influence_1,start_date,end_date,ongoing,purposes_1,approaches_1,public_spectrum,number_of_participants_1,open_limited,recruitment_method,targeted_participants_1,method_types_1,tools_techniques_types_1,facilitators,facilitator_training,facetoface_online_or_both,participants_interactions_1,learning_resources_1,decision_methods_1,if_voting_1,primary_organizer_title,organizer_types_1,funder,funder_types_1,staff,volunteers,impact_evidence,change_types_1,implementers_of_change_1,formal_evaluation,body`
const caseRow = (id: number, title: string, extra = '') =>
  `${id},case,${title},https://participedia.net/case/${id},Des habitants décident.,0,2019-01-01,2020-01-01,1,Ana,,,,,fr,,,Rennes,Bretagne,35000,France,,,Participatory Budgeting,planning, education,,city/town,2015-01-01,2021-12-31,0,make,cogovernance,empower,medium,open,random,youth,participatory,propose,1,trained,both,discussion,written,voting,plurality,Ville de Rennes,local,Ville,local,1,0,1,changes_public,lay,0,${extra || 'Corps'}`

test('the organisations export imports whole: sectors written as words, "educations", method links as rows resolved by id', () => {
  const { records, problems, warnings } = readParticipediaCsv(Buffer.from(ORGANISATIONS), 'organizations.csv')
  assert.deepEqual(problems, [])
  assert.deepEqual(warnings, [])
  assert.deepEqual(
    records.map((r) => [r.kind, r.values.sector]),
    [
      ['actor', 'non_profit_non_gov'],
      ['actor', 'for_profit'],
      ['actor', 'higher_ed'],
      ['actor', 'government'],
    ],
  )
  const institut = records[0]!
  assert.equal(institut.values.title, 'Institut de la Concertation')
  assert.deepEqual(institut.values.themes, ['education', 'governance'])
  assert.deepEqual(institut.values.scope, ['national', 'regional'])
  assert.deepEqual(institut.values.methodTypes, ['deliberative', 'collaborative'])
  assert.equal(institut.values.body, 'Corps, avec "guillemets" et\r\nun saut de ligne'.replace('\r\n', '\n'))
  assert.equal(institut.values.place, 'Paris, Île-de-France, France')
  assert.deepEqual(institut.linkKeys?.offers, [
    { key: 'participedia:method:145', name: '21st Century Town Meeting®' },
    { key: 'participedia:method:9999', name: 'Cercle, "inconnu"' },
  ])
  for (const record of records) assert.deepEqual(checkContent('actor', record.values).problems, [], record.position)
})

test('composite links: quotes, commas and escapes inside titles', () => {
  assert.deepEqual(parseCompositeLinks('{"(145,method,\\"21st Century Town Meeting®\\")","(12,method,Fishbowl)"}'), [
    { id: '145', type: 'method', title: '21st Century Town Meeting®' },
    { id: '12', type: 'method', title: 'Fishbowl' },
  ])
  assert.deepEqual(parseCompositeLinks('{}'), [])
})

test('every value of every Participedia vocabulary (FORMAT.md) resolves, keys and labels alike', () => {
  const lists: [VocabularyName, string][] = [
    [
      'themes',
      'agriculture arts business economics education energy environment governance health housing human identity immigration international labor law media national planning science social transportation educations',
    ],
    ['purposes', 'make make_influence deliver develop academic'],
    [
      'approaches',
      'advocacy citizenship civil cogovernance coproduction coproduction_form consultation direct independent informal informal_engagement leadership evaluation protest research social',
    ],
    ['iap2', 'inform consult involve collaborate empower not'],
    ['scope', 'organization neighbourhood city/town metropolitan regional national multinational no_geo'],
    ['participants', 'individuals small medium large no_limit'],
    ['openLimited', 'open open_to limited both'],
    ['recruitment', 'captive random stratified appointment election not'],
    [
      'targetedParticipants',
      'appointed lgbt elderly elected experts indigenous immigrants lowincome men people racialethnic religious stakeholder students women youth',
    ],
    [
      'methodTypes',
      'collaborative community deliberative direct evaluation experiential informal informal_participation internal longterm participantled participatory planning protest public public_meetings research',
    ],
    ['toolTypes', 'manage collect facilitate facilitate_decisionmaking legislation recruit plan propose inform'],
    [
      'interactions',
      'acting ask discussion express formal informal listenwatch negotiation storytelling teachinginstructing no_interaction',
    ],
    ['learningResources', 'expert participant site teachins video written no_info'],
    ['decisionMethods', 'opinion idea general voting n/a'],
    ['voting', 'preferential plurality majoritarian supermajoritarian unanimous'],
    [
      'actorKind',
      'academic activist community faithbased forprofit governmentowned individual international local national nongovernmental philanthropic regional social labortrade',
    ],
    ['changeTypes', 'changes changes_civic changes_public changes_how conflict'],
    ['implementers', 'lay stakeholder elected appointed experts corporations'],
    ['sector', 'for_profit government non_profit_non_gov higher_ed'],
    ['polarization', 'not low moderate polarized high'],
    ['complexity', 'very_low low moderate high very_high'],
    ['facilitatorTraining', 'professional trained untrained'],
    ['format', 'facetoface online both'],
    ['yesNo', 'yes no 1 0 true false'],
  ]
  const missing = lists.flatMap(([vocabulary, values]) =>
    values
      .split(' ')
      .filter((value) => resolveVocabulary(vocabulary, value) === null)
      .map((v) => `${vocabulary}:${v}`),
  )
  assert.deepEqual(missing, [])
  // labels as the exports write them
  assert.equal(resolveVocabulary('sector', 'Non-Profit or Non Governmental'), 'non_profit_non_gov')
  assert.equal(resolveVocabulary('themes', 'Éducation'), 'education')
  assert.equal(resolveVocabulary('themes', 'Nonsense'), null)
})

test('a Participedia export saved by Excel in France (Windows-1252, ";", CRLF) reads the same, and says it was converted', () => {
  const utf8 = [CASES_HEADER, caseRow(9001, 'Budget participatif de Rennes — 2015')].join('\n')
  const excel = windows1252(utf8.replaceAll(',', ';').replaceAll('\n', '\r\n').replace('city/town', 'city/town'))
  const reference = readParticipediaCsv(Buffer.from(utf8), 'cases.csv')
  assert.deepEqual(reference.problems, [])
  for (const [bytes, converted] of [
    [excel, true],
    [utf8WithBom(utf8.replaceAll('\n', '\r\n')), false],
    [decomposed(utf8), false],
  ] as const) {
    const read = readParticipediaCsv(bytes, 'cases.csv')
    assert.deepEqual(read.problems, [])
    assert.deepEqual(read.records[0]!.values, reference.records[0]!.values)
    assert.ok(!JSON.stringify(read.records).includes('\ufffd'))
    assert.equal(
      read.warnings.some((w) => /Windows-1252/.test(w)),
      converted,
    )
  }
  const record = reference.records[0]!
  assert.equal(record.kind, 'experience')
  assert.equal(record.values.title, 'Budget participatif de Rennes — 2015')
  assert.deepEqual(record.values.themes, ['planning', 'education'])
  assert.equal(record.values.iap2, 'empower')
  assert.equal(record.values.ongoing, 'no')
  assert.equal(record.values.staff, 'yes')
  assert.deepEqual(record.linkNames?.uses, ['Participatory Budgeting'])
  assert.deepEqual(checkContent('experience', record.values).problems, [])
})

test('a truncated export, an unclosed quote, a wrong column count: refused with the line, nothing read', () => {
  const whole = [
    CASES_HEADER,
    caseRow(9001, 'Premier'),
    caseRow(9002, '"Second, avec virgule"'),
    caseRow(9003, 'Troisième'),
  ].join('\n')
  const unclosed = readParticipediaCsv(
    Buffer.from(whole.replace('"Second, avec virgule"', '"Second, avec virgule')),
    'cases.csv',
  )
  assert.deepEqual(unclosed.records, [])
  assert.match(
    unclosed.problems.map((p) => p.reason).join(' '),
    /ligne 3 : un champ ouvert par des guillemets n’est jamais refermé/,
  )
  const cut = readParticipediaCsv(Buffer.from(whole.slice(0, whole.length - 40)), 'cases.csv')
  assert.deepEqual(cut.records, [])
  assert.match(cut.problems.map((p) => p.reason).join(' '), /ligne 4/)
  const notParticipedia = readParticipediaCsv(Buffer.from('titre;porteur\nx;y\n'), 'plan.csv')
  assert.match(notParticipedia.problems[0]!.reason, /pas un export de Participedia/)
})

test('very long cells are kept whole; an unknown value is a warning with its lines, never a refusal; defused cells come back', () => {
  const long = 'Un texte très long. '.repeat(20_000)
  const rows = [
    CASES_HEADER,
    caseRow(9001, "'=Cercle"),
    caseRow(9002, 'Long', `"${long}"`),
    caseRow(9003, 'Inconnu').replace(',cogovernance,', ',telepathy,'),
  ]
  const read = readParticipediaCsv(Buffer.from(rows.join('\n')), 'cases.csv')
  assert.deepEqual(read.problems, [])
  assert.equal(read.records[0]!.values.title, '=Cercle')
  assert.equal(read.records[1]!.values.body, long.trim())
  assert.equal(read.records[2]!.values.approaches, undefined)
  assert.match(read.warnings.join('\n'), /approaches « telepathy », 1 fois \(lignes 4\)/)
})

// ——— the participation catalogue as its repository holds it ———

const md = (text: string): Uint8Array => Buffer.from(text)
const DECIDIM = `---
title: Decidim
tagline: La démocratie n'a jamais été aussi réelle
categorie: outil
doc_tech: https://docs.example.org/
domain: https://meta.decidim.org/
contract: Logiciel libre - AGPLv3
owner: Open Source Politics
date: '2017-04-04T15:57:58.478+00:00'
details_techniques:
- name: Demo
  link: https://demo.example.org/
  content: https://demo.example.org/
- name: Langues
  content: en,es,fr
atouts:
- Open Source
layout: outil
---

Décidé à Barcelone.
`
const USAGE_AFB = `---
title: Concertation sur le mode de participation
link:
description: Consultation menée par l'Agence Française de la Biodiversité
organisateur : l'Agence Française de la Biodiversité
methodes:
- Decidim
- Les ateliers participatifs
date: 2019-01-15 09:29:08 +0000
in_progress: true
note-citoyenne: 5
---

**Pour en savoir plus**
* <a href="https://www.afbiodiversite.fr/actualites">Une actualité</a>
* <a href="/usage/afb.html">En savoir plus sur la démarche</a>
`
const CITIZENS_AFB = `---
title: Pour une participation sincère et pérenne des citoyens
organisateur: Consultation menée par l'Agence Française de la Biodiversité
link:
img-bg: mur-vert.png
date-banniere: "démarche close le 18/07/2019"
devoir_de_suite: /usage_citoyens/afb.html

presentation: |-

    Dès 2017, l’AFB a lancé des ateliers.

    <a href="/usage/afb.html">En savoir plus sur la démarche</a>

engagements:

resultats: |-
    * Phase 1 : 50 participants
    {: .md-4 }

devoir: |-
    #### Le devoir de suite a-t-il été tenu ?

    Oui.
---
`
/** A tool without `categorie`: its folder says what it is. */
const NO_CATEGORY = `---
title: Atelier du futur
tagline: Imaginer ensemble
---
Corps.
`

function repository(prefix = 'consultation.gouv.fr-master/'): SourceFile[] {
  return [
    { name: `${prefix}_outil/decidim.md`, bytes: md(DECIDIM) },
    { name: `${prefix}_outil/atelier du futur.md`, bytes: md(NO_CATEGORY) },
    { name: `${prefix}_usage/afb.md`, bytes: md(USAGE_AFB) },
    { name: `${prefix}_usage_citoyens/afb.md`, bytes: md(CITIZENS_AFB) },
    { name: `${prefix}_drafts/_usage/brouillon.md`, bytes: md('---\ntitle: Brouillon\n---\n') },
    { name: `${prefix}README.md`, bytes: md('# Le catalogue\n') },
    { name: `${prefix}Grenoble.md`, bytes: md('---\nlayout: pages\n---\n') },
    { name: `${prefix}_outil/assembl.md.rej`, bytes: md('rejected patch') },
  ]
}

test('the catalogue as its repository holds it: identity by folder and name, kind from the folder, drafts and pages left out', () => {
  const { records, problems, warnings } = readCatalogue(repository())
  assert.deepEqual(problems, [])
  assert.deepEqual(records.map((r) => [r.sourceKey, r.kind]).sort(), [
    ['consultation-gouv:acteur/open-source-politics', 'actor'],
    ['consultation-gouv:outil/atelier du futur', 'method'],
    ['consultation-gouv:outil/decidim', 'method'],
    ['consultation-gouv:usage/afb', 'experience'],
    ['consultation-gouv:usage_citoyens/afb', 'experience'],
  ])
  assert.match(warnings.join('\n'), /1 brouillon du catalogue .*_drafts\/_usage\/brouillon\.md/)
  assert.match(warnings.join('\n'), /2 fichiers hors des dossiers .*README\.md/)
  for (const record of records) assert.deepEqual(checkContent(record.kind, record.values).problems, [], record.position)

  const decidim = records.find((r) => r.sourceKey === 'consultation-gouv:outil/decidim')!
  assert.equal(decidim.values.sourceDate, '2017-04-04')
  assert.equal(decidim.values.subtype, 'tool')
  assert.doesNotMatch(String(decidim.values.body), /object Object/)
  assert.match(
    String(decidim.values.body),
    /## Détails techniques\n\n- Demo : https:\/\/demo\.example\.org\/\n- Langues : en,es,fr/,
  )
  assert.equal(
    records.find((r) => r.sourceKey === 'consultation-gouv:outil/atelier du futur')!.values.subtype,
    'method',
  )

  const usage = records.find((r) => r.sourceKey === 'consultation-gouv:usage/afb')!
  // in_progress: the experience was running when the catalogue described it, in 2019; it says nothing of its outcome
  assert.equal(usage.values.ongoing, 'yes')
  assert.equal(usage.values.result, undefined)
  assert.equal(usage.values.sourceDate, '2019-01-15')
  assert.equal(usage.values.institution, "l'Agence Française de la Biodiversité")
  assert.deepEqual(usage.linkNames?.uses, ['Decidim', 'Les ateliers participatifs'])
  assert.match(String(usage.values.body), /\[Une actualité\]\(https:\/\/www\.afbiodiversite\.fr\/actualites\)/)
  assert.match(String(usage.values.body), /\* En savoir plus sur la démarche$/m)

  const citizens = records.find((r) => r.sourceKey === 'consultation-gouv:usage_citoyens/afb')!
  const body = String(citizens.values.body)
  assert.match(body, /## Présentation\n\nDès 2017, l’AFB a lancé des ateliers\./)
  assert.match(body, /## Résultats\n\n\* Phase 1 : 50 participants/)
  assert.match(body, /## Devoir de suite\n\n#### Le devoir de suite a-t-il été tenu \?/)
  assert.match(body, /## Calendrier\n\ndémarche close le 18\/07\/2019/)
  assert.doesNotMatch(body, /\{:|usage_citoyens\/afb\.html|mur-vert/)
  assert.deepEqual(citizens.values.organiserTypes, ['community'])
})

test('the repository’s ZIP archive reads as its folder; a damaged archive is refused with its name', () => {
  const folder = readCatalogue(repository())
  const archive = zipSync(Object.fromEntries(repository().map((f) => [f.name, f.bytes])))
  const zipped = readCatalogue([{ name: 'consultation.gouv.fr-master.zip', bytes: archive }])
  assert.deepEqual(zipped, folder)
  const damaged = readCatalogue([{ name: 'catalogue.zip', bytes: archive.subarray(0, 200) }])
  assert.deepEqual(damaged.records, [])
  assert.match(damaged.problems[0]!.reason, /catalogue\.zip n’est pas une archive ZIP lisible/)
})

test('catalogue files saved in Windows-1252 or with decomposed accents read the same; a broken front matter names its file', () => {
  const reference = readCatalogue([{ name: '_usage/afb.md', bytes: md(USAGE_AFB) }]).records[0]!
  for (const bytes of [windows1252(USAGE_AFB.replace('’', "'")), decomposed(USAGE_AFB)]) {
    const read = readCatalogue([{ name: '_usage/afb.md', bytes }])
    assert.deepEqual(read.problems, [])
    assert.equal(read.records[0]!.values.title, reference.values.title)
    assert.equal(read.records[0]!.values.institution, reference.values.institution)
  }
  const broken = readCatalogue([{ name: '_usage/afb.md', bytes: md('---\ntitle: [unclosed\n---\n') }])
  assert.equal(broken.problems[0]!.position, '_usage/afb.md')
  assert.match(broken.problems[0]!.reason, /en-tête YAML illisible/)
  assert.match(readCatalogue([{ name: 'photo.png', bytes: md('x') }]).problems[0]!.reason, /aucun fichier Markdown/)
})

test('catalogue Markdown: HTML links become Markdown links, Jekyll marks go', () => {
  assert.equal(
    catalogueMarkdown(
      '<a href="https://a.fr/x">Le site</a> et <a href=\'/y.html\'>ici</a>\n{: .text-center }\nfin {: .md-4 }',
    ),
    '[Le site](https://a.fr/x) et ici\n\nfin',
  )
})

// ——— writing imports: both engines ———

/** A Participedia methods export of two methods, to link to by id. */
const METHODS = [
  'id,type,title,url,description,featured,post_date,updated_date,original_language,facilitators,body',
  '145,method,21st Century Town Meeting®,https://participedia.net/method/145,Des forums publics.,0,2009-07-29,2020-08-31,en,1,Corps',
  '146,method,Decidim,https://participedia.net/method/146,Une plateforme.,0,2018-01-01,2020-08-31,en,1,Corps',
].join('\n')

describeEachEngine('référentiel imports', (engine) => {
  let ctx: TestApp
  let moderator: Client
  let nobody: Client
  let admin: Client
  const logs: string[] = []
  const count = async (table: string) =>
    (await queryRows<{ n: number }>(ctx.database.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!
      .n
  const ficheOf = async (key: string) =>
    (
      await queryRows<{ id: string; slug: string; summary: string; content: Record<string, unknown> }>(
        ctx.database.db,
        sql`select id, slug, summary, content from referentiel_fiches where source_key = ${key}`,
      )
    )[0]
  const renamedRepository = () =>
    repository().map((f) =>
      f.name.endsWith('_outil/decidim.md') ? { ...f, name: f.name.replace('decidim.md', 'decidim-plateforme.md') } : f,
    )
  const importCatalogue = (files: SourceFile[], write = true) =>
    importRecords(ctx.database.db, { actorId: null, source: 'consultation-gouv', ...readCatalogue(files), write })

  before(async () => {
    ctx = await buildTestApp(engine, { LOG_LEVEL: 'error' }, logs)
    const make = async (name: string, role: string | null, isAdmin = false) => {
      const user = await createUser(ctx.database, { displayName: name, admin: isAdmin })
      if (role)
        await ctx.database.db.execute(sql`insert into platform_roles (user_id, role) values (${user.id}, ${role})`)
      return signedInClient(ctx.app, user.email, user.password)
    }
    moderator = await make('Morgan Modérateur', 'referentiel_moderator')
    nobody = await make('Nadia Sansrôle', null)
    admin = await make('Ada Admin', null, true)
  })
  after(async () => ctx?.close())

  test('a dry run says what would change and writes nothing: no fiche, version, link, conflict or audit row', async () => {
    const tables = [
      'referentiel_fiches',
      'referentiel_versions',
      'referentiel_links',
      'referentiel_import_conflicts',
      'audit_events',
    ]
    const before = await Promise.all(tables.map(count))
    const result = await importCatalogue(repository(), false)
    assert.equal(result.created, 5)
    assert.deepEqual(await Promise.all(tables.map(count)), before)
  })

  test('a local edit survives a re-import: the conflict is listed for a moderator, who decides', async () => {
    const db = ctx.database.db
    assert.equal((await importCatalogue(repository())).created, 5)
    const afb = (await ficheOf('consultation-gouv:usage/afb'))!
    // a moderator edits the published fiche here, through the usual proposal
    const proposal = await moderator.post(
      `/referentiel/fiches/${afb.slug}/proposition`,
      {},
      { csrfFrom: `/referentiel/fiches/${afb.slug}` },
    )
    assert.equal(proposal.statusCode, 303)
    const values = await contentForForm(db, 'experience', afb.content as FicheContent)
    const saved = await moderator.post(proposal.headers.location!, {
      ...values,
      summary: 'Résumé réécrit par le réseau.',
      intent: 'submit',
    })
    assert.equal(saved.statusCode, 303)
    const versionId = proposal.headers.location!.split('/')[3]!
    assert.equal(
      (
        await moderator.post(
          `/referentiel/versions/${versionId}/decision`,
          { decision: 'publish' },
          { csrfFrom: '/referentiel' },
        )
      ).statusCode,
      303,
    )

    // the source changes the same field, and another one
    const changed = repository().map((f) =>
      f.name.endsWith('_usage/afb.md')
        ? {
            ...f,
            bytes: md(
              USAGE_AFB.replace(
                "description: Consultation menée par l'Agence Française de la Biodiversité",
                'description: Consultation de l’AFB, 2019',
              ).replace('link:\n', 'link: https://www.ofb.gouv.fr/\n'),
            ),
          }
        : f,
    )
    const preview = await importCatalogue(changed, false)
    assert.deepEqual([preview.updated, preview.conflicts], [1, 1])
    assert.equal(await count('referentiel_import_conflicts'), 0)
    const reimport = await importCatalogue(changed)
    assert.deepEqual([reimport.updated, reimport.unchanged, reimport.conflicts], [1, 4, 1])
    const after = (await ficheOf('consultation-gouv:usage/afb'))!
    assert.equal(after.summary, 'Résumé réécrit par le réseau.') // the local edit stays
    assert.equal(after.content.website, 'https://www.ofb.gouv.fr/') // the source's other change is taken
    // the same file again opens no second conflict
    assert.equal((await importCatalogue(changed)).conflicts, 0)

    assert.equal((await nobody.get('/referentiel/conflits')).statusCode, 403)
    const page = await moderator.get('/referentiel/conflits')
    assert.equal(page.statusCode, 200, logs.join('\n').slice(-3000))
    assert.match(page.body, /Résumé/)
    assert.match(page.body, /Consultation de l’AFB, 2019/)
    assert.match(page.body, /Résumé réécrit par le réseau\./)
    const action = /action="(\/referentiel\/conflits\/[0-9a-f-]{36})"/.exec(page.body)![1]!
    assert.equal((await nobody.post(action, { choice: 'source' }, { csrfFrom: '/referentiel' })).statusCode, 403)
    assert.equal(
      (await moderator.post(action, { choice: 'source' }, { csrfFrom: '/referentiel/conflits' })).statusCode,
      303,
    )
    assert.equal((await ficheOf('consultation-gouv:usage/afb'))!.summary, 'Consultation de l’AFB, 2019')
    assert.equal(
      (await moderator.post(action, { choice: 'local' }, { csrfFrom: '/referentiel/conflits' })).statusCode,
      409,
    ) // decided once
    assert.match((await moderator.get('/referentiel/conflits')).body, /Aucun conflit en attente/)
    const [audit] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from audit_events where action = 'referentiel.conflict_resolved' and subject_id = ${afb.id}`,
    )
    assert.equal(audit!.n, 1)
  })

  test('a file renamed at its source updates its fiche instead of creating a second one', async () => {
    const before = await count('referentiel_fiches')
    const result = await importCatalogue(renamedRepository())
    assert.equal(result.created, 0)
    assert.match(
      result.warnings.join('\n'),
      /même titre et même source qu’une fiche déjà importée sous un autre nom \(outil\/decidim\)/,
    )
    assert.equal(await count('referentiel_fiches'), before)
    assert.ok(await ficheOf('consultation-gouv:outil/decidim-plateforme'))
    assert.equal(await ficheOf('consultation-gouv:outil/decidim'), undefined)
  })

  test('organisations link to methods by their Participedia id; an absent method is kept as text with a warning', async () => {
    const db = ctx.database.db
    assert.equal(
      (
        await importRecords(db, {
          actorId: null,
          source: 'participedia',
          ...readParticipediaCsv(Buffer.from(METHODS), 'methods.csv'),
        })
      ).created,
      2,
    )
    const result = await importRecords(db, {
      actorId: null,
      source: 'participedia',
      ...readParticipediaCsv(Buffer.from(ORGANISATIONS), 'organizations.csv'),
    })
    assert.equal(result.created, 4)
    assert.match(
      result.warnings.join('\n'),
      /ligne 2 \(id 7001\) : fiche liée absente, gardée comme texte : Cercle, "inconnu"/,
    )
    const institut = (await ficheOf('participedia:organization:7001'))!
    assert.deepEqual(institut.content.otherMethods, ['Cercle, "inconnu"'])
    const [offers] = await queryRows<{ titles: string[] }>(
      db,
      sql`select array(select m.title from referentiel_links l join referentiel_fiches m on m.id = l.to_id where l.from_id = ${institut.id}) as titles`,
    )
    assert.deepEqual(offers!.titles, ['21st Century Town Meeting®'])
  })

  test('the same method from two sources: each fiche links to the other', async () => {
    const catalogue = (await ficheOf('consultation-gouv:outil/decidim-plateforme'))!
    const participedia = (await ficheOf('participedia:method:146'))!
    const page = await new Client(ctx.app).get(`/referentiel/fiches/${catalogue.slug}`)
    assert.match(
      page.body,
      new RegExp(
        `La même fiche dans une autre source</h2><ul><li><a href="/referentiel/fiches/${participedia.slug}">Decidim</a> <span class="meta">\\(Participedia\\)`,
      ),
    )
    const other = await new Client(ctx.app).get(`/referentiel/fiches/${participedia.slug}`)
    assert.match(
      other.body,
      new RegExp(
        `href="/referentiel/fiches/${catalogue.slug}">Decidim</a> <span class="meta">\\(Catalogue de la participation citoyenne`,
      ),
    )
  })

  test('the back office takes the repository as a folder (paths kept, images skipped unread) or as its ZIP, and previews before writing', async () => {
    const page = await admin.get('/admin/referentiel/import')
    assert.match(page.body, /webkitdirectory/)
    const token = csrfTokenOf(page.body)!
    const send = (parts: { name: string; bytes: Uint8Array }[], format = 'catalogue') => {
      const boundary = '----thc-folder'
      const chunks: Buffer[] = [
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n--${boundary}\r\nContent-Disposition: form-data; name="format"\r\n\r\n${format}\r\n`,
        ),
      ]
      for (const part of parts)
        chunks.push(
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="folder"; filename="${part.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
          ),
          Buffer.from(part.bytes),
          Buffer.from('\r\n'),
        )
      chunks.push(Buffer.from(`--${boundary}--\r\n`))
      return admin.request({
        method: 'POST',
        url: '/admin/referentiel/import',
        payload: Buffer.concat(chunks),
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      })
    }
    const images = Array.from({ length: 120 }, (_, i) => ({
      name: `consultation.gouv.fr-master/assets/img/photo-${i}.png`,
      bytes: Buffer.alloc(2048, i),
    }))
    const folder = await send([...renamedRepository(), ...images])
    assert.equal(folder.statusCode, 200, /error-summary[\s\S]*?<\/ul>/.exec(folder.body)?.[0])
    assert.match(folder.body, /Aperçu de l’import de fiches/)
    assert.match(folder.body, /1 brouillon du catalogue/)
    assert.match(folder.body, /Rien à faire/) // all imported already
    assert.doesNotMatch(folder.body, /confirmer/)
    const edited = renamedRepository().map((f) =>
      f.name.endsWith('_outil/atelier du futur.md')
        ? { ...f, bytes: md(NO_CATEGORY.replace('Imaginer ensemble', 'Imaginer demain ensemble')) }
        : f,
    )
    const archive = await send([
      {
        name: 'consultation.gouv.fr-master.zip',
        bytes: zipSync(Object.fromEntries(edited.map((f) => [f.name, f.bytes]))),
      },
    ])
    assert.equal(archive.statusCode, 200)
    assert.match(archive.body, /<dt>Modifié<\/dt><dd>1<\/dd>/)
    const versions = await count('referentiel_versions')
    const confirm = /action="(\/admin\/referentiel\/import\/[0-9a-f-]{36}\/confirmer)"/.exec(archive.body)![1]!
    assert.equal((await admin.post(confirm, {}, { csrfFrom: '/referentiel' })).statusCode, 303)
    assert.equal(await count('referentiel_versions'), versions + 1)
    assert.equal((await ficheOf('consultation-gouv:outil/atelier du futur'))!.summary, 'Imaginer demain ensemble')
    // a Participedia import is one CSV
    assert.equal(
      (
        await send(
          [
            { name: 'a.csv', bytes: Buffer.from(METHODS) },
            { name: 'b.csv', bytes: Buffer.from(METHODS) },
          ],
          'participedia',
        )
      ).statusCode,
      422,
    )
  })
})
