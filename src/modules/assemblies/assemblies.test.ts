import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { after, before, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.ts'
import {
  buildTestApp,
  Client,
  createUser,
  csrfTokenOf,
  describeEachEngine,
  linkIn,
  multipart,
  signedInClient,
  type TestApp,
} from '../../../test/helpers/app.ts'
import { utf8WithBom, windows1252 } from '../../../test/helpers/encodings.ts'
import { buildPlan, type BuiltTerritory } from '../../../test/helpers/factories.ts'
import { replacementIndex } from './members.ts'
import { eraseExpiredVolunteerContacts } from './volunteers.ts'
import { drawIndex, lotteryDigest } from './sortition/lottery.ts'

const GENDERS = ['femme', 'homme']
const AGES = ['18-34', '35-64', '65+']

/** 60 volunteers: every gender × age, unequally; names and e-mails to check they stay private. */
function poolCsv(): string {
  const lines = ['nom,email,adresse,genre,age']
  for (let i = 1; i <= 60; i++)
    lines.push(
      `Volontaire Privé ${i},vol${i}@example.org,${i} rue des Lilas,${GENDERS[i % 2]},${AGES[i % 3 === 0 ? 2 : i % 5 === 0 ? 0 : 1]}`,
    )
  return lines.join('\n')
}

describeEachEngine('Citizens’ assemblies', (engine) => {
  let ctx: TestApp
  let territory: BuiltTerritory
  /** the territory's pages */
  let T = ''
  let agent: Client
  let elected: Client
  let anonymous: Client
  let outsider: Client
  let assemblyId = ''
  const page = () => `/assemblees/${assemblyId}`
  const org = () => `/assemblees/${assemblyId}/organisation`
  const secret = 'secret tenu par l’huissier 8c1f'

  /** the mails sent to an address since the last call, once the queue ran */
  async function mailsTo(to: string) {
    await ctx.app.jobs.tick()
    const mine = ctx.mails.filter((m) => m.to === to)
    ctx.mails.splice(0, ctx.mails.length, ...ctx.mails.filter((m) => m.to !== to))
    return mine
  }

  async function upload(client: Client, url: string, from: string, name: string, content: string | Buffer) {
    const token = csrfTokenOf((await client.get(from)).body)!
    const { payload, headers } = multipart({ _csrf: token }, { name, content })
    return client.request({ method: 'POST', url, payload, headers })
  }

  before(async () => {
    ctx = await buildTestApp(engine)
    // a territory with a running published plan, its editor and its elected official
    const built = await buildPlan(ctx.database)
    territory = built.territory
    T = territory.path
    agent = await signedInClient(ctx.app, built.editor.email, built.editor.password)
    elected = await signedInClient(ctx.app, built.elected.email, built.elected.password)
    anonymous = new Client(ctx.app)
    const o = await createUser(ctx.database, { displayName: 'Oscar Extérieur' })
    outsider = await signedInClient(ctx.app, o.email, o.password)
  })
  after(async () => ctx?.close())

  test('the territory’s staff convene an assembly; quotas are computed from population shares and adjusted by hand', async () => {
    assert.equal(
      (
        await outsider.post(
          `${T}/assemblees/nouvelle`,
          { title: 'Assemblée', purpose: 'x', panelSize: '12', majority: 'simple' },
          { csrfFrom: `${T}/assemblees` },
        )
      ).statusCode,
      403,
    )
    const bad = await agent.post(`${T}/assemblees/nouvelle`, {
      title: 'A',
      purpose: '',
      panelSize: '1',
      majority: 'simple',
    })
    assert.equal(bad.statusCode, 422)
    assert.match(bad.body, /Un nombre entier entre 2 et 1 000/)
    const created = await agent.post(`${T}/assemblees/nouvelle`, {
      title: 'Convention citoyenne pour le climat du Val-Démo',
      purpose: 'Comment réduire de 40 % les émissions du territoire ?',
      panelSize: '12',
      majority: 'simple',
      onePerHousehold: 'true',
    })
    assert.equal(created.statusCode, 303)
    assemblyId = created.headers.location!.split('/')[2]!
    // compute from shares: 12 × 51 % = 6.12 → 6–7 widened by the margin of 1 → 5–8
    const rows = {
      rows: '5',
      margin: '1',
      category0: 'genre',
      feature0: 'femme',
      share0: '51',
      category1: 'genre',
      feature1: 'homme',
      share1: '49',
      category2: 'age',
      feature2: '18-34',
      share2: '25',
      category3: 'age',
      feature3: '35-64',
      share3: '50',
      category4: 'age',
      feature4: '65+',
      share4: '25',
    }
    const noShare = await agent.post(
      `${page()}/quotas`,
      { ...rows, share4: '', intent: 'compute' },
      { csrfFrom: org() },
    )
    assert.equal(noShare.statusCode, 422)
    assert.match(noShare.body, /Indiquez la part de population de : age \/ 65\+/)
    const computed = await agent.post(`${page()}/quotas`, { ...rows, intent: 'compute' }, { csrfFrom: org() })
    assert.equal(computed.statusCode, 200)
    assert.match(computed.body, /name="min0" value="5"/)
    assert.match(computed.body, /name="max0" value="8"/)
    // saved by hand: an impossible sum is refused with its reason, and nothing is written
    const impossible = await agent.post(
      `${page()}/quotas`,
      {
        ...rows,
        intent: 'save',
        min0: '7',
        max0: '8',
        min1: '7',
        max1: '8',
        min2: '2',
        max2: '4',
        min3: '5',
        max3: '7',
        min4: '2',
        max4: '4',
      },
      { csrfFrom: org() },
    )
    assert.equal(impossible.statusCode, 422)
    assert.match(impossible.body, /genre : la somme des minimums \(14\) dépasse la taille du panel \(12\)/)
    assert.equal(
      (await queryRows(ctx.database.db, sql`select 1 from assembly_quotas where assembly_id = ${assemblyId}`)).length,
      0,
    )
    const saved = await agent.post(
      `${page()}/quotas`,
      {
        ...rows,
        intent: 'save',
        min0: '5',
        max0: '7',
        min1: '5',
        max1: '7',
        min2: '2',
        max2: '4',
        min3: '5',
        max3: '7',
        min4: '2',
        max4: '4',
      },
      { csrfFrom: org() },
    )
    assert.equal(saved.statusCode, 303)
    const quotas = await queryRows<{ feature: string; min: number; max: number; share: string }>(
      ctx.database.db,
      sql`select feature, min, max, population_share::text as share from assembly_quotas where assembly_id = ${assemblyId} order by position`,
    )
    assert.deepEqual(
      quotas.map((q) => [q.feature, q.min, q.max]),
      [
        ['femme', 5, 7],
        ['homme', 5, 7],
        ['18-34', 2, 4],
        ['35-64', 5, 7],
        ['65+', 2, 4],
      ],
    )
    assert.equal(Number(quotas[0]!.share), 51)
  })

  test('volunteers register through the public form without an account (consent, private contact) or are imported from CSV', async () => {
    assert.equal(
      (await agent.post(`${page()}/recrutement`, { phase: 'recruiting' }, { csrfFrom: org() })).statusCode,
      303,
    )
    const form = `${page()}/volontariat`
    const formPage = await anonymous.get(form)
    assert.match(formPage.body, /Se porter volontaire/)
    const noConsent = await anonymous.post(form, {
      fullName: 'Nina Sans-Accord',
      email: 'nina@example.org',
      address: '3 place du Marché',
      feature0: 'femme',
      feature1: '18-34',
    })
    assert.equal(noConsent.statusCode, 422)
    assert.match(noConsent.body, /Votre accord est nécessaire/)
    const badFeature = await anonymous.post(form, {
      fullName: 'Nina',
      email: 'nina@example.org',
      address: '3 place du Marché',
      feature0: 'autre',
      feature1: '18-34',
      consent: 'true',
    })
    assert.equal(badFeature.statusCode, 422)
    assert.equal(
      (await queryRows(ctx.database.db, sql`select 1 from assembly_volunteers where assembly_id = ${assemblyId}`))
        .length,
      0,
    )
    const ok = await anonymous.post(form, {
      fullName: 'Nina Volontaire-Secrète',
      email: 'nina@example.org',
      phone: '06 12 34 56 78',
      address: '3 place du Marché',
      feature0: 'femme',
      feature1: '18-34',
      consent: 'true',
    })
    assert.equal(ok.statusCode, 200)
    assert.match(ok.body, /Un message vient d’être envoyé à nina@example\.org/)
    // the registration counts once the address is confirmed from the mail
    const pending = await queryRows<{ number: number; confirmed: boolean }>(
      ctx.database.db,
      sql`select number, confirmed_at is not null as confirmed from assembly_volunteers where assembly_id = ${assemblyId}`,
    )
    assert.deepEqual(pending, [{ number: 1, confirmed: false }])
    assert.match((await anonymous.get(page())).body, /0 volontaire confirmé/)
    const [confirmMail] = await mailsTo('nina@example.org')
    assert.equal(confirmMail!.subject, 'Confirmez votre inscription : Convention citoyenne pour le climat du Val-Démo')
    assert.match(confirmMail!.text, /volontaire n° 1/)
    const link = linkIn(confirmMail!)
    assert.equal((await anonymous.get(link.replace(/jeton=[^&]+/, 'jeton=abc.def'))).statusCode, 400)
    const confirmed = await anonymous.get(link)
    assert.equal(confirmed.statusCode, 200)
    assert.match(confirmed.body, /Votre inscription est confirmée : vous êtes volontaire n° 1/)
    assert.match((await anonymous.get(link)).body, /déjà confirmée/)
    assert.match((await anonymous.get(page())).body, /1 volontaire confirmé/)
    // the same address again: the same page (it does not tell who volunteered), a mail to the address, no new row
    const twice = await anonymous.post(form, {
      fullName: 'Nina bis',
      email: 'NINA@example.org',
      address: '4 place du Marché',
      feature0: 'femme',
      feature1: '18-34',
      consent: 'true',
    })
    assert.equal(twice.statusCode, 200)
    assert.match(twice.body, /Un message vient d’être envoyé à nina@example\.org/)
    assert.deepEqual(
      (await mailsTo('nina@example.org')).map((m) => m.subject),
      ['Vous êtes déjà inscrit·e : Convention citoyenne pour le climat du Val-Démo'],
    )
    // someone else's address: the registration stays unconfirmed, out of the draw, until its owner opens the link
    await anonymous.post(form, {
      fullName: 'Usurpateur',
      email: 'victime@example.org',
      address: '9 rue Fausse',
      feature0: 'homme',
      feature1: '65+',
      consent: 'true',
    })
    assert.equal((await mailsTo('victime@example.org')).length, 1)
    // without e-mail: the organisers call back and confirm by hand
    const byPhone = await anonymous.post(form, {
      fullName: 'Paul Sans-Mail',
      phone: '06 99 88 77 66',
      address: '1 rue du Puits',
      feature0: 'homme',
      feature1: '35-64',
      consent: 'true',
    })
    assert.match(byPhone.body, /volontaire n° 3\. Sans adresse e-mail, les organisateurs vous appelleront/)
    const orgPage = (await agent.get(org())).body
    assert.match(orgPage, /2 inscriptions à confirmer/)
    assert.equal(
      (await outsider.post(`${page()}/volontaires/3/confirmation`, {}, { csrfFrom: page() })).statusCode,
      403,
    )
    assert.equal((await agent.post(`${page()}/volontaires/3/confirmation`, {}, { csrfFrom: org() })).statusCode, 303)
    assert.deepEqual(
      await queryRows(
        ctx.database.db,
        sql`select number, confirmed_at is not null as confirmed from assembly_volunteers where assembly_id = ${assemblyId} order by number`,
      ),
      [
        { number: 1, confirmed: true },
        { number: 2, confirmed: false },
        { number: 3, confirmed: true },
      ],
    )
    // the impostor's registration leaves the pool so the rest of the journey counts confirmed people only
    assert.equal((await agent.post(`${page()}/volontaires/2/retrait`, {}, { csrfFrom: org() })).statusCode, 303)
    assert.equal((await agent.post(`${page()}/volontaires/3/retrait`, {}, { csrfFrom: org() })).statusCode, 303)

    const imported = await upload(agent, `${page()}/volontaires/import`, org(), 'vivier.csv', poolCsv())
    assert.equal(imported.statusCode, 303)
    const badCsv = await upload(
      agent,
      `${page()}/volontaires/import`,
      org(),
      'vivier.csv',
      'nom,genre,age\nX,femme,12-17\n',
    )
    assert.equal(badCsv.statusCode, 422)
    assert.match(badCsv.body, /Ligne 2 : « 12-17 » n’est pas une modalité de age/)
    const noAddress = await upload(
      agent,
      `${page()}/volontaires/import`,
      org(),
      'vivier.csv',
      'nom,adresse,genre,age\nX,,femme,18-34\n',
    )
    assert.equal(noAddress.statusCode, 422)
    assert.match(noAddress.body, /Ligne 2 : la règle « une personne par foyer » demande l’adresse/)
    const [{ count }] = (await queryRows<{ count: number }>(
      ctx.database.db,
      sql`select count(*)::int as count from assembly_volunteers where assembly_id = ${assemblyId}`,
    )) as [{ count: number }]
    assert.equal(count, 63)

    // contact data: organisers only
    assert.match((await agent.get(org())).body, /Nina Volontaire-Secrète/)
    for (const client of [anonymous, outsider, elected]) {
      for (const url of [page(), `${page()}/transparence`])
        assert.doesNotMatch(
          (await client.get(url)).body,
          /Volontaire-Secrète|nina@example|06 12 34|place du Marché|Volontaire Privé/,
        )
    }
    assert.equal((await outsider.get(org())).statusCode, 403)
    assert.notEqual((await anonymous.get(org())).statusCode, 200)
    assert.equal((await outsider.post(`${page()}/volontaires/1/retrait`, {}, { csrfFrom: page() })).statusCode, 403)
  })

  test('every route of the organisers’ area refuses anyone but the organisers, before reading the form', async () => {
    const here = new URL('.', import.meta.url)
    const declared = ['routes.staff.tsx', 'routes.deliberation.tsx', 'routes.import.tsx'].flatMap((file) =>
      [...readFileSync(new URL(file, here), 'utf8').matchAll(/(?:app\.(get|post)|orgPost)\(\s*'([^']+)'/g)].map(
        ([, method, path]) => ({ method: (method ?? 'post').toUpperCase(), path: path! }),
      ),
    )
    assert.ok(declared.length >= 20, `only ${declared.length} routes found`)
    const zero = '00000000-0000-4000-8000-000000000000'
    for (const { method, path } of declared) {
      const url = path
        .replace(':id', assemblyId)
        .replace(/:(member|groupId|pending)/, zero)
        .replace(':number', '1')
      // no body at all: a route that read the form first would answer 400 or 422
      const asOutsider = await outsider.request({ method: method as 'GET' | 'POST', url })
      assert.equal(asOutsider.statusCode, 403, `${method} ${path} let an outsider in`)
      const asAnonymous = await anonymous.request({ method: method as 'GET' | 'POST', url })
      if (method === 'GET') {
        assert.equal(asAnonymous.statusCode, 303, `${method} ${path} let an anonymous visitor in`)
        assert.match(String(asAnonymous.headers.location), /^\/connexion/)
      } else assert.equal(asAnonymous.statusCode, 401, `${method} ${path} let an anonymous visitor in`)
    }
    assert.equal((await outsider.get(`/assemblees/${zero}/organisation`)).statusCode, 404)
  })

  test('feasibility: infeasible quotas name the smallest relaxation; the draw is prepared, committed, revealed and reproducible', async () => {
    assert.equal((await agent.post(`${page()}/recrutement`, { phase: 'closed' }, { csrfFrom: org() })).statusCode, 303)
    const feasible = await agent.get(`${page()}/faisabilite`)
    assert.match(feasible.body, /Au moins un panel de 12 personnes respecte tous les quotas/)
    assert.equal((await outsider.get(`${page()}/faisabilite`)).statusCode, 403)

    // the commitment cannot come before the lottery is published
    assert.equal(
      (
        await agent.post(
          `${page()}/tirage/engagement`,
          { kind: 'secret_hash', commitment: createHash('sha256').update(secret).digest('hex') },
          { csrfFrom: org() },
        )
      ).statusCode,
      409,
    )
    const prepared = await agent.post(`${page()}/tirage/preparation`, { panelCount: '200' }, { csrfFrom: org() })
    assert.equal(prepared.statusCode, 303)
    const transparency = await anonymous.get(`${page()}/transparence`)
    assert.match(transparency.body, /LEXIMIN/)
    assert.match(transparency.body, /LEGACY/)
    assert.match(transparency.body, /Coefficient de Gini/)
    assert.match(transparency.body, /<svg/)
    // the chart has its axes and units, its figures in a table, and no inline style (the CSP would block it)
    assert.match(transparency.body, />Probabilité d’être tiré<\/text>/)
    assert.match(transparency.body, />Volontaires, du moins au plus probable \(part du vivier\)<\/text>/)
    assert.match(transparency.body, /<summary>Les chiffres du graphique<\/summary>/)
    assert.match(transparency.body, /<th scope="row">LEXIMIN<\/th><td>[\d,\s\u202f]+%<\/td>/)
    assert.doesNotMatch(transparency.body, /\sstyle="/)
    const before = JSON.parse((await anonymous.get(`${page()}/tirage.json`)).body)
    assert.equal(before.lottery.length, 200)
    assert.equal(lotteryDigest(before.lottery), before.lotteryDigest)
    assert.equal(before.randomness, null)
    const total = before.leximinProbabilities.reduce(
      (sum: number, p: { probability: number }) => sum + p.probability,
      0,
    )
    assert.ok(Math.abs(total - 12) < 1e-6)
    assert.doesNotMatch(JSON.stringify(before), /Privé|example\.org|rue des Lilas/)

    const badHash = await agent.post(
      `${page()}/tirage/engagement`,
      { kind: 'secret_hash', commitment: 'abc' },
      { csrfFrom: org() },
    )
    assert.equal(badHash.statusCode, 422)
    assert.equal(
      (
        await agent.post(
          `${page()}/tirage/engagement`,
          { kind: 'secret_hash', commitment: createHash('sha256').update(secret).digest('hex') },
          { csrfFrom: org() },
        )
      ).statusCode,
      303,
    )
    const wrong = await agent.post(
      `${page()}/tirage/revelation`,
      { randomness: 'un autre secret' },
      { csrfFrom: org() },
    )
    assert.equal(wrong.statusCode, 422)
    assert.match(wrong.body, /ne correspond pas à l’empreinte publiée/)
    assert.equal(
      (await queryRows(ctx.database.db, sql`select 1 from assembly_members where assembly_id = ${assemblyId}`)).length,
      0,
    )
    assert.equal(
      (await outsider.post(`${page()}/tirage/revelation`, { randomness: secret }, { csrfFrom: page() })).statusCode,
      403,
    )
    assert.equal(
      (await agent.post(`${page()}/tirage/revelation`, { randomness: secret }, { csrfFrom: org() })).statusCode,
      303,
    )

    const published = JSON.parse((await anonymous.get(`${page()}/tirage.json`)).body)
    const index = drawIndex(published.lotteryDigest, published.randomness, published.panelCount)
    assert.equal(published.drawnIndex, index)
    const seated = await queryRows<{ number: number }>(
      ctx.database.db,
      sql`select v.number from assembly_members m join assembly_volunteers v on v.id = m.volunteer_id where m.assembly_id = ${assemblyId} order by v.number`,
    )
    assert.deepEqual(
      seated.map((s) => s.number),
      [...published.lottery[index]].sort((a: number, b: number) => a - b),
    )
    const page2 = await anonymous.get(`${page()}/transparence`)
    assert.match(page2.body, /Vérifié : l’empreinte SHA-256 de cette valeur est celle publiée/)
    // the panel meets the quotas: panel column of the composition table
    const composition = await queryRows<{ feature: string; panel: number; min: number; max: number }>(
      ctx.database.db,
      sql`select q.feature, q.min, q.max, (select count(*)::int from assembly_members m join assembly_volunteers v on v.id = m.volunteer_id where m.assembly_id = q.assembly_id and m.status = 'active' and v.features ->> q.category = q.feature) as panel from assembly_quotas q where q.assembly_id = ${assemblyId}`,
    )
    for (const c of composition) assert.ok(c.panel >= c.min && c.panel <= c.max, `${c.feature}: ${c.panel}`)
    // once drawn, no second reveal
    assert.equal(
      (await agent.post(`${page()}/tirage/revelation`, { randomness: secret }, { csrfFrom: org() })).statusCode,
      409,
    )
    // every confirmed volunteer with an address learns the result: drawn or kept in reserve
    await ctx.app.jobs.tick()
    const results = ctx.mails.filter((m) => m.subject.endsWith(': Convention citoyenne pour le climat du Val-Démo'))
    assert.equal(results.filter((m) => m.subject.startsWith('Vous avez été tiré·e au sort')).length, 12)
    assert.equal(results.filter((m) => m.subject.startsWith('Vous êtes sur la liste de réserve')).length, 61 - 12)
    assert.ok(!results.some((m) => m.to === 'victime@example.org'), 'an unconfirmed registration gets no result')
    const seatedEmail = (
      await queryRows<{ email: string }>(
        ctx.database.db,
        sql`select v.email from assembly_members m join assembly_volunteers v on v.id = m.volunteer_id where m.assembly_id = ${assemblyId} order by v.number limit 1`,
      )
    )[0]!.email
    assert.match(results.find((m) => m.to === seatedEmail)!.text, /membre du panel/)
    ctx.mails.length = 0
  })

  test('a member who leaves is replaced by a volunteer who keeps the quotas, verifiably', async () => {
    const [member] = await queryRows<{ id: string; number: number; features: Record<string, string> }>(
      ctx.database.db,
      sql`select m.id, v.number, v.features from assembly_members m join assembly_volunteers v on v.id = m.volunteer_id where m.assembly_id = ${assemblyId} order by v.number limit 1`,
    )
    assert.equal(
      (
        await agent.post(
          `${org().replace('/organisation', '')}/membres/${member!.id}/remplacement`,
          {},
          { csrfFrom: org() },
        )
      ).statusCode,
      409,
    )
    assert.equal(
      (await agent.post(`${page()}/membres/${member!.id}/depart`, { reason: 'Déménagement' }, { csrfFrom: org() }))
        .statusCode,
      303,
    )
    assert.equal(
      (await agent.post(`${page()}/membres/${member!.id}/remplacement`, {}, { csrfFrom: org() })).statusCode,
      303,
    )
    const [replacement] = await queryRows<{ number: number; features: Record<string, string> }>(
      ctx.database.db,
      sql`select v.number, v.features from assembly_members m join assembly_volunteers v on v.id = m.volunteer_id where m.replaces = ${member!.id}`,
    )
    const [audit] = await queryRows<{ after: { candidates: number[]; number: number } }>(
      ctx.database.db,
      sql`select after from audit_events where action = 'assembly.replacement_drawn' and subject_id = ${assemblyId}`,
    )
    assert.equal(replacement!.number, audit!.after.candidates[replacementIndex(secret, 1, audit!.after.candidates)])
    const composition = await queryRows<{ panel: number; min: number; max: number }>(
      ctx.database.db,
      sql`select q.min, q.max, (select count(*)::int from assembly_members m join assembly_volunteers v on v.id = m.volunteer_id where m.assembly_id = q.assembly_id and m.status = 'active' and v.features ->> q.category = q.feature) as panel from assembly_quotas q where q.assembly_id = ${assemblyId}`,
    )
    for (const c of composition) assert.ok(c.panel >= c.min && c.panel <= c.max)
    assert.equal(
      (
        await queryRows(
          ctx.database.db,
          sql`select 1 from assembly_members where assembly_id = ${assemblyId} and status = 'active'`,
        )
      ).length,
      12,
    )
    assert.match(
      (await anonymous.get(`${page()}/transparence`)).body,
      new RegExp(`Remplaçant n° 1 : volontaire n° ${replacement!.number}, à la place du n° ${member!.number}`),
    )
    const [chosen] = await queryRows<{ email: string }>(
      ctx.database.db,
      sql`select email from assembly_volunteers where assembly_id = ${assemblyId} and number = ${replacement!.number}`,
    )
    assert.deepEqual(
      (await mailsTo(chosen!.email)).map((m) => m.subject),
      ['Vous rejoignez le panel : Convention citoyenne pour le climat du Val-Démo'],
    )
  })

  test('deliberation: groups draft, members amend and vote secretly under the majority rule; the executive answers and accepted proposals become commitments', async () => {
    // members vote with accounts: link three of them
    const members = await queryRows<{ id: string; email: string; number: number }>(
      ctx.database.db,
      sql`select m.id, v.email, v.number from assembly_members m join assembly_volunteers v on v.id = m.volunteer_id where m.assembly_id = ${assemblyId} and m.status = 'active' order by v.number limit 3`,
    )
    const clients: Client[] = []
    for (const [i, m] of members.entries()) {
      const user = await createUser(ctx.database, { email: m.email, displayName: `Membre ${i + 1}` })
      assert.equal(
        (await agent.post(`${page()}/membres/${m.id}/compte`, { email: m.email }, { csrfFrom: org() })).statusCode,
        303,
      )
      const client = await signedInClient(ctx.app, user.email, user.password)
      clients.push(client)
    }
    const [drafter, second, third] = clients as [Client, Client, Client]
    // an account whose address is not confirmed may belong to someone else: it is not linked
    const [fourth] = await queryRows<{ id: string; email: string }>(
      ctx.database.db,
      sql`select m.id, v.email from assembly_members m join assembly_volunteers v on v.id = m.volunteer_id where m.assembly_id = ${assemblyId} and m.status = 'active' and m.user_id is null order by v.number limit 1`,
    )
    await ctx.database.db.execute(
      sql`insert into users (email, display_name, password_hash) values (${fourth!.email}, 'Usurpateur', 'x')`,
    )
    const refused = await agent.post(
      `${page()}/membres/${fourth!.id}/compte`,
      { email: fourth!.email },
      { csrfFrom: org() },
    )
    assert.equal(refused.statusCode, 422)
    assert.match(refused.body, /Aucun compte confirmé/)
    assert.equal(
      (
        await agent.post(
          `${page()}/seances`,
          {
            title: 'Premier week-end',
            startsOn: '2026-12-05',
            endsOn: '2026-12-06',
            place: 'Salle des fêtes',
            programme: 'Accueil, auditions.',
          },
          { csrfFrom: org() },
        )
      ).statusCode,
      303,
    )
    assert.equal(
      (
        await agent.post(
          `${page()}/auditions`,
          {
            expert: 'Dr Anne Climat',
            affiliation: 'Université',
            topic: 'Émissions du territoire',
            viewpoint: 'Sobriété',
            documents: 'https://example.org/rapport.pdf',
          },
          { csrfFrom: org() },
        )
      ).statusCode,
      303,
    )
    assert.equal(
      (
        await agent.post(
          `${page()}/groupes`,
          { name: 'Se déplacer', mandate: 'Mobilités', memberNumbers: '99999' },
          { csrfFrom: org() },
        )
      ).statusCode,
      422,
    )
    assert.equal(
      (
        await agent.post(
          `${page()}/groupes`,
          { name: 'Se déplacer', mandate: 'Mobilités', memberNumbers: `${members[0]!.number}` },
          { csrfFrom: org() },
        )
      ).statusCode,
      303,
    )
    const [group] = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`select id from assembly_groups where assembly_id = ${assemblyId}`,
    )
    // the group is edited after its creation: renamed, a member added then the list corrected; an unknown number keeps the form
    const groupUrl = `${page()}/groupes/${group!.id}`
    const typo = await agent.post(
      groupUrl,
      { name: 'Se déplacer autrement', mandate: 'Mobilités', memberNumbers: `${members[0]!.number}, 99999` },
      { csrfFrom: org() },
    )
    assert.equal(typo.statusCode, 422)
    assert.match(typo.body, new RegExp(`<details id="group-${group!.id}" open`))
    assert.match(typo.body, /value="Se déplacer autrement"/)
    assert.equal(
      (await outsider.post(groupUrl, { name: 'Pris', mandate: '', memberNumbers: '' }, { csrfFrom: page() }))
        .statusCode,
      403,
    )
    assert.equal(
      (
        await agent.post(
          groupUrl,
          {
            name: 'Se déplacer autrement',
            mandate: 'Mobilités du quotidien',
            memberNumbers: `${members[0]!.number}; ${members[1]!.number}`,
          },
          { csrfFrom: org() },
        )
      ).statusCode,
      303,
    )
    assert.equal(
      (
        await agent.post(
          groupUrl,
          { name: 'Se déplacer', mandate: 'Mobilités', memberNumbers: `${members[0]!.number}` },
          { csrfFrom: org() },
        )
      ).statusCode,
      303,
    )
    const groupMembers = await queryRows<{ number: number }>(
      ctx.database.db,
      sql`select v.number from assembly_group_members gm join assembly_members m on m.id = gm.member_id join assembly_volunteers v on v.id = m.volunteer_id where gm.group_id = ${group!.id}`,
    )
    assert.deepEqual(
      groupMembers.map((m) => m.number),
      [members[0]!.number],
    )
    const edits = await queryRows<{ after: { name: string; memberNumbers: number[] } }>(
      ctx.database.db,
      sql`select after from audit_events where action = 'assembly.group_updated' order by id`,
    )
    assert.deepEqual(
      edits.map((e) => [e.after.name, e.after.memberNumbers]),
      [
        ['Se déplacer autrement', [members[0]!.number, members[1]!.number]],
        ['Se déplacer', [members[0]!.number]],
      ],
    )
    const publicPage = (await anonymous.get(page())).body
    assert.match(publicPage, /Premier week-end/)
    assert.match(publicPage, /Dr Anne Climat/)

    assert.equal(
      (
        await second.post(
          `${page()}/propositions`,
          { groupId: group!.id, title: 'Bus gratuit', body: 'Rendre le bus gratuit.' },
          { csrfFrom: page() },
        )
      ).statusCode,
      422,
    )
    const drafted = await drafter.post(
      `${page()}/propositions`,
      { groupId: group!.id, title: 'Bus gratuit le week-end', body: 'Rendre le bus gratuit le week-end.' },
      { csrfFrom: page() },
    )
    assert.equal(drafted.statusCode, 303)
    const proposalUrl = drafted.headers.location!
    const proposalId = proposalUrl.split('/').pop()!
    assert.equal(
      (await agent.post(`${proposalUrl}/amendements/ouverture`, {}, { csrfFrom: proposalUrl })).statusCode,
      303,
    )
    assert.equal(
      (await outsider.post(`${proposalUrl}/amendements`, { body: 'Intrusion', reason: '' }, { csrfFrom: proposalUrl }))
        .statusCode,
      403,
    )
    assert.equal(
      (
        await second.post(
          `${proposalUrl}/amendements`,
          { body: 'Rendre le bus gratuit tous les jours pour les moins de 26 ans.', reason: 'Plus juste' },
          { csrfFrom: proposalUrl },
        )
      ).statusCode,
      303,
    )
    const [amendment] = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`select id from assembly_amendments where proposal_id = ${proposalId}`,
    )
    // the proposal's vote waits for its amendments
    assert.equal(
      (await agent.post(`/votes-assemblee/${proposalId}/ouverture`, {}, { csrfFrom: proposalUrl })).statusCode,
      409,
    )
    // a quorum per vote: this one needs 10 % of the panel (the assembly's rule is 50 %); a share over 100 is refused
    const badQuorum = await agent.post(
      `/votes-assemblee/${amendment!.id}/ouverture`,
      { quorumPercent: '150' },
      { csrfFrom: proposalUrl },
    )
    assert.equal(badQuorum.statusCode, 422)
    assert.match(badQuorum.body, /Un pourcentage entier, de 0 à 100/)
    assert.match(badQuorum.body, /value="150"/)
    assert.equal(
      (
        await agent.post(
          `/votes-assemblee/${amendment!.id}/ouverture`,
          { quorumPercent: '10' },
          { csrfFrom: proposalUrl },
        )
      ).statusCode,
      303,
    )
    const [{ panel }] = (await queryRows<{ panel: number }>(
      ctx.database.db,
      sql`select count(*)::int as panel from assembly_members where assembly_id = ${assemblyId} and status = 'active'`,
    )) as [{ panel: number }]
    assert.match(
      (await anonymous.get(proposalUrl)).body,
      new RegExp(`Quorum : 10 % du panel, soit ${Math.ceil(panel / 10)} votants? sur ${panel} membres`),
    )
    assert.equal(
      (await outsider.post(`/votes-assemblee/${amendment!.id}/bulletin`, { choice: 'for' }, { csrfFrom: proposalUrl }))
        .statusCode,
      403,
    )
    assert.equal(
      (await elected.post(`/votes-assemblee/${amendment!.id}/bulletin`, { choice: 'for' }, { csrfFrom: proposalUrl }))
        .statusCode,
      403,
    )
    assert.equal(
      (await drafter.post(`/votes-assemblee/${amendment!.id}/bulletin`, { choice: 'for' }, { csrfFrom: proposalUrl }))
        .statusCode,
      303,
    )
    assert.equal(
      (
        await drafter.post(
          `/votes-assemblee/${amendment!.id}/bulletin`,
          { choice: 'against' },
          { csrfFrom: proposalUrl },
        )
      ).statusCode,
      409,
    )
    assert.equal(
      (await second.post(`/votes-assemblee/${amendment!.id}/bulletin`, { choice: 'for' }, { csrfFrom: proposalUrl }))
        .statusCode,
      303,
    )
    assert.equal(
      (await third.post(`/votes-assemblee/${amendment!.id}/bulletin`, { choice: 'against' }, { csrfFrom: proposalUrl }))
        .statusCode,
      303,
    )
    // secrecy: who voted is known, what each chose is not stored anywhere next to them
    const voters = await queryRows<Record<string, unknown>>(
      ctx.database.db,
      sql`select * from assembly_ballot_voters where subject_id = ${amendment!.id}`,
    )
    assert.equal(voters.length, 3)
    for (const v of voters) assert.deepEqual(Object.keys(v).sort(), ['member_id', 'subject_id', 'territory_id'])
    const traces = await queryRows<{ after: unknown }>(
      ctx.database.db,
      sql`select after from audit_events where action = 'assembly.vote_cast' and subject_id = ${amendment!.id}`,
    )
    assert.equal(traces.length, 3)
    for (const trace of traces) assert.equal(trace.after, null)
    assert.doesNotMatch((await agent.get(proposalUrl)).body, /Membre 1[^<]*(Pour|Contre)/)
    // no join links a voter to a choice: the only rows written with a voter's (same xmin) are sealed, equal in
    // length whatever the choice, and open only with the server's secret, which the database does not hold
    const sameTransaction = await queryRows<{ sealed: string }>(
      ctx.database.db,
      sql`select encode(b.sealed, 'hex') as sealed from assembly_ballot_voters v join assembly_sealed_ballots b on b.xmin = v.xmin where v.subject_id = ${amendment!.id}`,
    )
    assert.equal(sameTransaction.length, 3)
    assert.equal(
      new Set(sameTransaction.map((r) => r.sealed.length)).size,
      1,
      'every sealed ballot has the same length',
    )
    const { Sealer } = await import('../../platform/auth/sealing.ts')
    for (const row of sameTransaction) {
      assert.equal(
        new Sealer('another-secret-another-secret-another-secret', 'ballots').open(
          Buffer.from(row.sealed, 'hex'),
          amendment!.id,
        ),
        null,
        'unreadable without the secret',
      )
      assert.equal(
        ctx.app.platform.ballots.open(Buffer.from(row.sealed, 'hex'), proposalId),
        null,
        'bound to its subject',
      )
    }
    const countTables = await queryRows(
      ctx.database.db,
      sql`select 1 from assembly_ballot_counts where subject_id = ${amendment!.id}`,
    )
    assert.equal(countTables.length, 0, 'no running count shares a row version with a voter')
    assert.equal(
      (await drafter.post(`/votes-assemblee/${amendment!.id}/cloture`, {}, { csrfFrom: proposalUrl })).statusCode,
      403,
    )
    assert.equal(
      (await agent.post(`/votes-assemblee/${amendment!.id}/cloture`, {}, { csrfFrom: proposalUrl })).statusCode,
      303,
    )
    const [afterAmendment] = await queryRows<{ body: string; version: number }>(
      ctx.database.db,
      sql`select body, version from assembly_proposals where id = ${proposalId}`,
    )
    assert.deepEqual(afterAmendment, {
      body: 'Rendre le bus gratuit tous les jours pour les moins de 26 ans.',
      version: 2,
    })
    assert.match((await anonymous.get(proposalUrl)).body, /Pour : 2 · Contre : 1 · Abstention : 0/)
    assert.match(
      (await anonymous.get(proposalUrl)).body,
      new RegExp(`3 votants sur ${panel} membres du panel : quorum de 10 % atteint`),
    )
    assert.equal(
      (await queryRows(ctx.database.db, sql`select 1 from assembly_sealed_ballots where subject_id = ${amendment!.id}`))
        .length,
      0,
      'opened ballots are deleted at the close',
    )
    const auditChoices = await queryRows(
      ctx.database.db,
      sql`select 1 from assembly_ballot_voters v join audit_events e on e.subject_id = v.subject_id::text and e.action = 'assembly.vote_cast'
          where v.subject_id = ${amendment!.id} and (e.after is not null or e.before is not null)`,
    )
    assert.equal(auditChoices.length, 0, 'the audit trail holds no choice')

    // under the assembly's 50 % quorum, one voter adopts nothing, whatever the majority
    assert.equal(
      (
        await third.post(
          `${proposalUrl}/amendements`,
          { body: 'Rendre le bus gratuit pour tous.', reason: '' },
          { csrfFrom: proposalUrl },
        )
      ).statusCode,
      303,
    )
    const [lone] = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`select id from assembly_amendments where proposal_id = ${proposalId} and status = 'proposed'`,
    )
    assert.equal(
      (await agent.post(`/votes-assemblee/${lone!.id}/ouverture`, {}, { csrfFrom: proposalUrl })).statusCode,
      303,
    )
    assert.equal(
      (await third.post(`/votes-assemblee/${lone!.id}/bulletin`, { choice: 'for' }, { csrfFrom: proposalUrl }))
        .statusCode,
      303,
    )
    assert.equal(
      (await agent.post(`/votes-assemblee/${lone!.id}/cloture`, {}, { csrfFrom: proposalUrl })).statusCode,
      303,
    )
    assert.deepEqual(
      await queryRows(
        ctx.database.db,
        sql`select status, quorum_percent, panel_size_at_close, quorum_met from assembly_amendments where id = ${lone!.id}`,
      ),
      [{ status: 'rejected', quorum_percent: 50, panel_size_at_close: panel, quorum_met: false }],
    )
    assert.match(
      (await anonymous.get(proposalUrl)).body,
      new RegExp(
        `1 votant sur ${panel} membres du panel : quorum de 50 % non atteint \\(${Math.ceil(panel / 2)} votants au moins\\) ; rien n’est adopté`,
      ),
    )
    assert.equal(
      (
        await queryRows<{ version: number }>(
          ctx.database.db,
          sql`select version from assembly_proposals where id = ${proposalId}`,
        )
      )[0]!.version,
      2,
    )
    const assemblyJson = (await anonymous.get(`/api/v1/assemblies/${assemblyId}`)).json() as { quorumPercent: number }
    assert.equal(assemblyJson.quorumPercent, 50)

    assert.equal(
      (await agent.post(`/votes-assemblee/${proposalId}/ouverture`, { quorumPercent: '10' }, { csrfFrom: proposalUrl }))
        .statusCode,
      303,
    )
    for (const client of [drafter, second])
      assert.equal(
        (await client.post(`/votes-assemblee/${proposalId}/bulletin`, { choice: 'for' }, { csrfFrom: proposalUrl }))
          .statusCode,
        303,
      )
    assert.equal(
      (await third.post(`/votes-assemblee/${proposalId}/bulletin`, { choice: 'maybe' }, { csrfFrom: proposalUrl }))
        .statusCode,
      422,
    )
    assert.equal(
      (await agent.post(`/votes-assemblee/${proposalId}/cloture`, {}, { csrfFrom: proposalUrl })).statusCode,
      303,
    )
    assert.equal(
      (await third.post(`/votes-assemblee/${proposalId}/bulletin`, { choice: 'for' }, { csrfFrom: proposalUrl }))
        .statusCode,
      409,
    )
    const [closed] = await queryRows<{ status: string }>(
      ctx.database.db,
      sql`select status from assembly_proposals where id = ${proposalId}`,
    )
    assert.equal(closed!.status, 'adopted')

    // hand-over: the elected official answers; the editor cannot; the accepted proposal becomes a commitment of a draft plan
    const [plan] = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`insert into action_plans (territory_id, title, period_start, period_end) select id, 'Plan 2027 (brouillon)', '2027-01-01', '2028-12-31' from territories where id = ${territory.id} returning id`,
    )
    assert.equal(
      (
        await agent.post(
          `${proposalUrl}/reponse`,
          { answer: 'accepted', text: 'Nous acceptons cette proposition.', planId: plan!.id },
          { csrfFrom: proposalUrl },
        )
      ).statusCode,
      403,
    )
    assert.equal(
      (await elected.post(`${proposalUrl}/reponse`, { answer: 'rejected', text: 'court', planId: plan!.id }))
        .statusCode,
      422,
    )
    const answered = await elected.post(`${proposalUrl}/reponse`, {
      answer: 'modified',
      text: 'Acceptée pour les moins de 26 ans, à partir de septembre 2027.',
      planId: plan!.id,
    })
    assert.equal(answered.statusCode, 303)
    const [linked] = await queryRows<{ title: string; planId: string }>(
      ctx.database.db,
      sql`select c.title, c.plan_id as "planId" from assembly_proposals p join commitments c on c.id = p.commitment_id where p.id = ${proposalId}`,
    )
    assert.deepEqual(linked, { title: 'Bus gratuit le week-end', planId: plan!.id })
    // the link holds: no second commitment, no turning the answer into a rejection
    assert.equal(
      (
        await elected.post(`${proposalUrl}/reponse`, {
          answer: 'accepted',
          text: 'Acceptée, une seconde fois.',
          planId: plan!.id,
        })
      ).statusCode,
      422,
    )
    assert.equal(
      (await elected.post(`${proposalUrl}/reponse`, { answer: 'rejected', text: 'Finalement rejetée.' })).statusCode,
      422,
    )
    assert.equal(
      (await queryRows(ctx.database.db, sql`select 1 from commitments where plan_id = ${plan!.id}`)).length,
      1,
    )
    const assemblyPage = (await anonymous.get(page())).body
    assert.match(assemblyPage, /Acceptées avec modifications<\/dt>\s*<dd>1<\/dd>/)
    assert.match(assemblyPage, /Devenues engagements du plan d’action<\/dt>\s*<dd>1<\/dd>/)
    // the commitment is in a draft plan: named only once the plan is published
    assert.match(assemblyPage, /Devient un engagement du plan d’action en préparation/)
    assert.doesNotMatch(assemblyPage, /Suivie dans le plan d’action/)
    await ctx.database.db.execute(
      sql`update action_plans set status = 'published', published_at = now() where id = ${plan!.id}`,
    )
    assert.match((await anonymous.get(page())).body, /Suivie dans le plan d’action : Bus gratuit le week-end/)

    assert.equal(
      (await agent.post(`${page()}/rapport`, { report: '## Rapport\n\nNos 1 proposition.' }, { csrfFrom: org() }))
        .statusCode,
      303,
    )
    assert.match((await anonymous.get(page())).body, /Nos 1 proposition/)

    // the same as open data, without a volunteer's name, contact or features
    const api = await anonymous.get(`/api/v1/assemblies/${assemblyId}`)
    assert.equal(api.statusCode, 200)
    const json = JSON.parse(api.body)
    assert.equal(json.draw.randomness, secret)
    assert.equal(json.draw.replacements.length, 1)
    assert.deepEqual(
      json.composition.map((c: { feature: string; min: number; max: number }) => [c.feature, c.min, c.max]),
      [
        ['femme', 5, 7],
        ['homme', 5, 7],
        ['18-34', 2, 4],
        ['35-64', 5, 7],
        ['65+', 2, 4],
      ],
    )
    assert.equal(json.proposals[0].answer, 'modified')
    assert.deepEqual(json.proposals[0].vote, {
      for: 2,
      against: 0,
      abstain: 0,
      quorum: { percent: 10, panelSize: 12, met: true },
    })
    assert.ok(json.proposals[0].commitmentId)
    assert.equal(json.fates.commitments, 1)
    assert.match(json.report, /Nos 1 proposition/)
    assert.doesNotMatch(api.body, /Privé|@example\.org|rue des Lilas|Volontaire-Secrète/)
    const list = JSON.parse((await anonymous.get(`/api/v1/territories/autre/${territory.code}/assemblies`)).body)
    assert.ok(list.some((a: { id: string; phase: string }) => a.id === assemblyId && a.phase === 'drawn'))
    assert.equal((await anonymous.get('/api/v1/assemblies/00000000-0000-4000-8000-000000000000')).statusCode, 404)
    assert.equal((await anonymous.get('/api/v1/assemblies/pas-un-id')).statusCode, 400)
    assert.match((await anonymous.get('/api/docs/json')).body, /\/api\/v1\/assemblies\/\{id\}/)
  })

  test('the volunteers’ names and contacts are erased once the assembly’s retention period is over; the draw stays verifiable', async () => {
    const bad = await agent.post(
      `${page()}/reglages`,
      {
        title: 'Convention citoyenne pour le climat du Val-Démo',
        purpose: 'Comment réduire de 40 % les émissions du territoire ?',
        panelSize: '12',
        majority: 'simple',
        onePerHousehold: 'true',
        contactRetentionDays: '5',
      },
      { csrfFrom: org() },
    )
    assert.equal(bad.statusCode, 422)
    assert.match(bad.body, /Un nombre entier de jours, de 30 à 1 095/)
    assert.equal(
      (
        await agent.post(
          `${page()}/reglages`,
          {
            title: 'Convention citoyenne pour le climat du Val-Démo',
            purpose: 'Comment réduire de 40 % les émissions du territoire ?',
            panelSize: '12',
            majority: 'simple',
            onePerHousehold: 'true',
            contactRetentionDays: '30',
          },
          { csrfFrom: org() },
        )
      ).statusCode,
      303,
    )
    const drawBefore = (await anonymous.get(`${page()}/tirage.json`)).body
    // the assembly ended with its report or the day after its last session, whichever is later: 29 days after,
    // nothing is erased; 31 days after, everything is
    const [{ report, lastDay }] = (await queryRows<{ report: Date; lastDay: string }>(
      ctx.database.db,
      sql`select report_published_at as report, (select max(ends_on)::text from assembly_sessions where assembly_id = ${assemblyId}) as "lastDay" from assemblies where id = ${assemblyId}`,
    )) as [{ report: Date; lastDay: string }]
    const ended = Math.max(new Date(report).getTime(), Date.parse(`${lastDay}T00:00:00Z`) + 86_400_000)
    assert.equal(await eraseExpiredVolunteerContacts(ctx.database.db, new Date(ended + 29 * 86_400_000)), 0)
    assert.equal(await eraseExpiredVolunteerContacts(ctx.database.db, new Date(ended + 31 * 86_400_000)), 63)
    assert.equal(await eraseExpiredVolunteerContacts(ctx.database.db, new Date(ended + 32 * 86_400_000)), 0)
    const left = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from assembly_volunteers where assembly_id = ${assemblyId} and (email is not null or phone is not null or address is not null or full_name not like 'Volontaire n° %')`,
    )
    assert.equal(left[0]!.n, 0)
    const orgPage = (await agent.get(org())).body
    assert.doesNotMatch(orgPage, /Volontaire-Secrète|nina@example|rue des Lilas/)
    assert.match(orgPage, /Volontaire n° 1/)
    assert.equal((await anonymous.get(`${page()}/tirage.json`)).body, drawBefore)
    const [audit] = await queryRows<{ after: { count: number } }>(
      ctx.database.db,
      sql`select after from audit_events where action = 'assembly.volunteer_contacts_erased' and subject_id = ${assemblyId}`,
    )
    assert.equal(audit!.after.count, 63)
  })

  test('an accepted proposal joins the running published plan as a visible revision, names its proposal, and warns when no plan can take it', async () => {
    const db = ctx.database.db
    const [{ territoryId, published }] = (await queryRows<{ territoryId: string; published: string }>(
      db,
      sql`select a.territory_id as "territoryId", (select p.id from action_plans p where p.territory_id = a.territory_id and p.status = 'published' order by p.created_at limit 1) as published from assemblies a where a.id = ${assemblyId}`,
    )) as [{ territoryId: string; published: string }]
    const adopted = async (number: number, title: string) =>
      (
        await queryRows<{ id: string }>(
          db,
          sql`insert into assembly_proposals (assembly_id, territory_id, number, title, body, status, theme) values (${assemblyId}, ${territoryId}, ${number}, ${title}, 'Le texte adopté par le panel.', 'adopted', 'Se déplacer') returning id`,
        )
      )[0]!.id
    const first = await adopted(90, 'Une navette entre les villages le samedi')
    const url = `/propositions-assemblee/${first}`
    const form = (await elected.get(url)).body
    assert.match(form, /\(publié : ajout visible dans son historique\)/, 'the published plan is offered')
    assert.equal(
      (
        await elected.post(`${url}/reponse`, {
          answer: 'accepted',
          text: 'Acceptée : la navette roulera dès le printemps.',
          planId: published,
        })
      ).statusCode,
      303,
    )
    const [commitment] = await queryRows<{ id: string; themes: string[] }>(
      db,
      sql`select c.id, c.themes from commitments c join assembly_proposals p on p.commitment_id = c.id where p.id = ${first}`,
    )
    assert.deepEqual(commitment!.themes, ['Se déplacer'])
    const [revision] = await queryRows<{
      kind: string
      content: { changes: { field: string; after: { title: string; origin: string } }[] }
    }>(db, sql`select kind, content from history_entries where commitment_id = ${commitment!.id}`)
    assert.equal(revision!.kind, 'revision')
    assert.equal(revision!.content.changes[0]!.field, 'commitment')
    assert.match(revision!.content.changes[0]!.after.origin, /Proposition n° 90 de l’assemblée citoyenne/)
    const commitmentPage = (await anonymous.get(`/engagements/${commitment!.id}`)).body
    assert.match(commitmentPage, /Propositions d’assemblées citoyennes que porte cet engagement/)
    assert.ok(commitmentPage.includes(`href="${url}"`), 'the commitment links back to the proposal')
    assert.match(commitmentPage, /Engagement ajouté au plan/, 'the revision shows in the public history')
    assert.match(
      (await anonymous.get(url)).body,
      /Suivie dans le plan d’action : Une navette entre les villages le samedi/,
    )

    // no plan left to take it: the form says so, and the answer says no commitment carries it yet
    await db.execute(
      sql`update action_plans set status = 'closed' where territory_id = ${territoryId} and status in ('draft', 'published')`,
    )
    const second = await adopted(91, 'Des bancs le long des chemins')
    const alone = (await elected.get(`/propositions-assemblee/${second}`)).body
    assert.match(alone, /n’a pas de plan d’action en brouillon ni publié/)
    const answered = await elected.post(`/propositions-assemblee/${second}/reponse`, {
      answer: 'accepted',
      text: 'Acceptée, à inscrire au prochain plan.',
    })
    assert.equal(answered.statusCode, 303)
    assert.match(
      (await elected.get(`/propositions-assemblee/${second}`)).body,
      /Aucun engagement ne porte encore cette proposition/,
    )
    await db.execute(sql`update action_plans set status = 'published' where id = ${published}`)
  })

  test('quotas the pool cannot meet: the feasibility page names the relaxation, and preparing the draw is refused without writing anything', async () => {
    const created = await agent.post(`${T}/assemblees/nouvelle`, {
      title: 'Panel de quartier',
      purpose: 'Que faire de la friche ?',
      panelSize: '2',
      majority: 'simple',
    })
    assert.equal(created.statusCode, 303)
    const id = created.headers.location!.split('/')[2]!
    const base = `/assemblees/${id}`
    const quotas = {
      rows: '2',
      margin: '0',
      category0: 'genre',
      feature0: 'femme',
      share0: '50',
      category1: 'genre',
      feature1: 'homme',
      share1: '50',
      min0: '2',
      max0: '2',
      min1: '0',
      max1: '2',
      intent: 'save',
    }
    assert.equal((await agent.post(`${base}/quotas`, quotas, { csrfFrom: `${base}/organisation` })).statusCode, 303)
    assert.equal(
      (await agent.post(`${base}/recrutement`, { phase: 'recruiting' }, { csrfFrom: `${base}/organisation` }))
        .statusCode,
      303,
    )
    const men = 'nom,email,genre\nA,a@example.org,homme\nB,b@example.org,homme\nC,c@example.org,homme\n'
    assert.equal(
      (await upload(agent, `${base}/volontaires/import`, `${base}/organisation`, 'vivier.csv', men)).statusCode,
      303,
    )
    assert.equal(
      (await agent.post(`${base}/recrutement`, { phase: 'closed' }, { csrfFrom: `${base}/organisation` })).statusCode,
      303,
    )
    const feasibility = await agent.get(`${base}/faisabilite`)
    assert.match(feasibility.body, /Aucun panel ne respecte ces quotas avec ce vivier/)
    assert.match(feasibility.body, /genre \/ femme : de 2–2 à 0–2/)
    const refused = await agent.post(
      `${base}/tirage/preparation`,
      { panelCount: '100' },
      { csrfFrom: `${base}/organisation` },
    )
    assert.equal(refused.statusCode, 409)
    assert.match(refused.body, /Aucun panel ne respecte ces quotas : la page de faisabilité indique lesquels assouplir/)
    assert.equal(
      (await queryRows(ctx.database.db, sql`select 1 from assembly_draws where assembly_id = ${id}`)).length,
      0,
    )
  })

  test('a volunteers’ file as spreadsheets save it is read; importing it again adds only new people; a broken file changes nothing', async () => {
    const created = await agent.post(`${T}/assemblees/nouvelle`, {
      title: 'Panel des écoles',
      purpose: 'Quels horaires pour les écoles ?',
      panelSize: '2',
      majority: 'simple',
    })
    assert.equal(created.statusCode, 303)
    const id = created.headers.location!.split('/')[2]!
    const base = `/assemblees/${id}`
    const org = `${base}/organisation`
    const quotas = {
      rows: '4',
      margin: '0',
      intent: 'save',
      category0: 'genre',
      feature0: 'femme',
      share0: '50',
      min0: '0',
      max0: '2',
      category1: 'genre',
      feature1: 'homme',
      share1: '50',
      min1: '0',
      max1: '2',
      category2: 'quartier',
      feature2: 'Saint-Éloi',
      share2: '50',
      min2: '0',
      max2: '2',
      category3: 'quartier',
      feature3: 'Bourg',
      share3: '50',
      min3: '0',
      max3: '2',
    }
    assert.equal((await agent.post(`${base}/quotas`, quotas, { csrfFrom: org })).statusCode, 303)
    assert.equal((await agent.post(`${base}/recrutement`, { phase: 'recruiting' }, { csrfFrom: org })).statusCode, 303)
    const pool = () =>
      queryRows<{
        fullName: string
        email: string | null
        phone: string | null
        address: string | null
        features: Record<string, string>
      }>(
        ctx.database.db,
        sql`select full_name as "fullName", email, phone, address, features from assembly_volunteers where assembly_id = ${id} order by number`,
      )
    const flash = async () =>
      /<div class="flash flash-notice"[^>]*><strong>[^<]*<\/strong>([^<]*)</.exec((await agent.get(org)).body)?.[1]

    // Excel in France: Windows-1252, semicolons, CRLF, headings capitalised
    const excel = windows1252(
      'Nom;Courriel;Téléphone;Adresse;Genre;Quartier\r\nÉloïse Müller;eloise@example.org;06 11 22 33 44;3 rue de l’Église;femme;Saint-Éloi\r\nGaël Côté;gael@example.org;;12 place du Marché;homme;Bourg\r\n',
    )
    assert.equal((await upload(agent, `${base}/volontaires/import`, org, 'vivier.csv', excel)).statusCode, 303)
    assert.equal(await flash(), '2 volontaires importés.')
    assert.deepEqual(await pool(), [
      {
        fullName: 'Éloïse Müller',
        email: 'eloise@example.org',
        phone: '06 11 22 33 44',
        address: '3 rue de l’Église',
        features: { genre: 'femme', quartier: 'Saint-Éloi' },
      },
      {
        fullName: 'Gaël Côté',
        email: 'gael@example.org',
        phone: null,
        address: '12 place du Marché',
        features: { genre: 'homme', quartier: 'Bourg' },
      },
    ])

    // the same file again, then an updated export (UTF-8 with BOM, commas) holding one known and one new person
    assert.equal((await upload(agent, `${base}/volontaires/import`, org, 'vivier.csv', excel)).statusCode, 303)
    assert.equal(await flash(), '0 volontaire importé ; 2 déjà dans le vivier, laissés tels quels.')
    const updated = utf8WithBom(
      'nom,email,genre,quartier\nÉloïse Müller,ELOISE@example.org,femme,Saint-Éloi\nZoé Lefèvre,zoe@example.org,femme,Bourg\n',
    )
    assert.equal((await upload(agent, `${base}/volontaires/import`, org, 'vivier.csv', updated)).statusCode, 303)
    assert.equal(await flash(), '1 volontaire importé ; 1 déjà dans le vivier, laissé tel quel.')
    assert.deepEqual(
      (await pool()).map((v) => v.fullName),
      ['Éloïse Müller', 'Gaël Côté', 'Zoé Lefèvre'],
    )

    // refused whole, with the line, and nothing written
    const refusals: [string, string | Buffer, RegExp][] = [
      [
        'a quote never closed (a truncated file)',
        'nom,email,genre,quartier\nAna,ana@example.org,femme,Bourg\n"Bruno,bruno@example.org,homme,Bourg\n',
        /ligne 3 : un champ ouvert par des guillemets n’est jamais refermé/,
      ],
      [
        'a name too long',
        `nom,email,genre,quartier\n${'A'.repeat(201)},long@example.org,femme,Bourg\n`,
        /Ligne 2 : le nom dépasse 200 caractères/,
      ],
      [
        'a phone too long',
        `nom,téléphone,genre,quartier\nAna,${'0'.repeat(41)},femme,Bourg\n`,
        /Ligne 2 : le téléphone dépasse 40 caractères/,
      ],
      [
        'an address too long',
        `nom,adresse,genre,quartier\nAna,${'rue '.repeat(130)},femme,Bourg\n`,
        /Ligne 2 : l’adresse dépasse 500 caractères/,
      ],
      [
        'the same e-mail twice',
        'nom,email,genre,quartier\nAna,ana@example.org,femme,Bourg\nAna B.,Ana@Example.org,femme,Bourg\n',
        /Ligne 3 : cette adresse e-mail figure déjà ligne 2/,
      ],
      [
        'the same row twice',
        'nom,genre,quartier\nAna,femme,Bourg\nAna,femme,Bourg\n',
        /Ligne 3 : la même personne figure déjà ligne 2/,
      ],
      [
        'an unknown value',
        'nom,genre,quartier\nAna,femme,Centre\n',
        /Ligne 2 : « Centre » n’est pas une modalité de quartier/,
      ],
      [
        'a missing category',
        'nom,genre\nAna,femme\n',
        /Ligne 1 : la colonne « quartier » \(une catégorie des quotas\) manque/,
      ],
      ['no volunteer', 'nom,genre,quartier\r\n', /Le fichier ne contient aucun volontaire/],
    ]
    for (const [what, file, message] of refusals) {
      const refused = await upload(agent, `${base}/volontaires/import`, org, 'vivier.csv', file)
      assert.equal(refused.statusCode, 422, what)
      assert.match(refused.body, message, what)
    }
    assert.equal((await pool()).length, 3)
    const audits = await queryRows<{ after: unknown }>(
      ctx.database.db,
      sql`select after from audit_events where action = 'assembly.volunteers_imported' and subject_id = ${id} order by id`,
    )
    assert.deepEqual(
      audits.map((a) => a.after),
      [
        { imported: 2, alreadyInPool: 0 },
        { imported: 0, alreadyInPool: 2 },
        { imported: 1, alreadyInPool: 1 },
      ],
    )
  })
})
