import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'drizzle-orm'
import ICAL from 'ical.js'
import { queryRows } from '../../platform/db/index.ts'
import {
  buildTestApp,
  Client,
  createUser,
  describeEachEngine,
  parisDay,
  signedInClient,
  type TestApp,
} from '../../../test/helpers/app.ts'
import { buildStaff, buildTerritory, type BuiltTerritory } from '../../../test/helpers/factories.ts'
import { parisInstant } from './service.ts'
import { sendReminders } from './registrations.ts'

test('Paris local times become the right instants in winter and summer', () => {
  assert.equal(parisInstant('2026-12-03', '18:30')!.toISOString(), '2026-12-03T17:30:00.000Z')
  assert.equal(parisInstant('2026-07-14', '09:00')!.toISOString(), '2026-07-14T07:00:00.000Z')
  assert.equal(parisInstant('2026-02-30', '09:00'), null)
  assert.equal(parisInstant('2026-07-14', '9h'), null)
})

describeEachEngine('events', (engine) => {
  let ctx: TestApp
  let agent: Client
  let admin: Client
  let territory: BuiltTerritory
  const people: { client: Client; id: string; email: string }[] = []
  let eventId = ''
  const day = parisDay
  const statuses = async () =>
    Object.fromEntries(
      (
        await queryRows<{ user_id: string; status: string }>(
          ctx.database.db,
          sql`select user_id, status from event_registrations where event_id = ${eventId}`,
        )
      ).map((r) => [r.user_id, r.status]),
    )

  before(async () => {
    ctx = await buildTestApp(engine)
    territory = await buildTerritory(ctx.database)
    const editor = await buildStaff(ctx.database, territory)
    agent = await signedInClient(ctx.app, editor.email, editor.password)
    const team = await createUser(ctx.database, { admin: true })
    admin = await signedInClient(ctx.app, team.email, team.password)
    for (const name of ['Anne', 'Basile', 'Célia']) {
      const user = await createUser(ctx.database, { displayName: name })
      const client = await signedInClient(ctx.app, user.email, user.password)
      people.push({ client, id: user.id, email: user.email })
    }
  })
  after(async () => ctx?.close())

  test('the territory’s staff schedule a public meeting; citizens cannot; network events are the team’s', async () => {
    const url = `${territory.path}/evenements/nouveau`
    const fields = {
      kind: 'public_meeting',
      title: 'Réunion publique sur le plan vélo',
      description: 'Présentation puis échanges.',
      // three days ahead: further than the scheduled job's 24 hours, whatever the hour the suite runs
      day: day(3),
      start: '18:30',
      end: '20:00',
      place: 'Salle des fêtes',
      audience: 'Tout public',
      capacity: '2',
    }
    assert.equal((await people[0]!.client.post(url, fields, { csrfFrom: '/evenements' })).statusCode, 403)
    assert.equal((await agent.post(url, { ...fields, end: '17:00' })).statusCode, 422)
    const created = await agent.post(url, fields)
    assert.equal(created.statusCode, 303)
    eventId = created.headers.location!.split('/').pop()!
    assert.equal(
      (await agent.post('/evenements/nouveau', { ...fields, kind: 'field_visit' }, { csrfFrom: '/evenements' }))
        .statusCode,
      403,
    )
    assert.equal(
      (
        await admin.post('/evenements/nouveau', {
          ...fields,
          kind: 'field_visit',
          title: 'Visite de terrain à Saillans',
          capacity: '',
        })
      ).statusCode,
      303,
    )
  })

  test('registration up to capacity, then a waiting list; a cancellation gives the seat to the first waiting', async () => {
    const page = `/evenements/${eventId}`
    for (const p of people)
      assert.equal((await p.client.post(`${page}/inscription`, {}, { csrfFrom: page })).statusCode, 303)
    assert.deepEqual(await statuses(), {
      [people[0]!.id]: 'registered',
      [people[1]!.id]: 'registered',
      [people[2]!.id]: 'waiting',
    })
    assert.match((await people[2]!.client.get(page)).body, /liste d’attente/)
    assert.equal((await people[0]!.client.post(`${page}/desinscription`, {}, { csrfFrom: page })).statusCode, 303)
    assert.deepEqual(await statuses(), {
      [people[0]!.id]: 'cancelled',
      [people[1]!.id]: 'registered',
      [people[2]!.id]: 'registered',
    })
    // registering again goes to the end of the line
    assert.equal((await people[0]!.client.post(`${page}/inscription`, {}, { csrfFrom: page })).statusCode, 303)
    assert.equal((await statuses())[people[0]!.id], 'waiting')
  })

  test('the organisers see who registered or waits, download the list, and write to them; nobody else does', async () => {
    const page = `/evenements/${eventId}`
    const list = `${page}/inscrits`
    assert.match((await agent.get(page)).body, new RegExp(`href="${list}"`))
    assert.doesNotMatch((await people[1]!.client.get(page)).body, /inscrits"/)
    for (const url of [list, `${list}.csv`]) {
      assert.equal((await people[1]!.client.get(url)).statusCode, 403, url)
      assert.notEqual((await new Client(ctx.app).get(url)).statusCode, 200, url)
    }
    const html = (await agent.get(list)).body
    assert.match(html, /2 inscrits, 1 en attente/)
    for (const p of people) assert.ok(html.includes(p.email), p.email)
    const csv = await agent.get(`${list}.csv`)
    assert.equal(csv.statusCode, 200)
    assert.match(String(csv.headers['cache-control']), /no-store/)
    const lines = csv.body.trim().split(/\r\n/)
    assert.equal(lines[0], 'nom,email,statut,inscrit_le')
    assert.deepEqual(
      lines.slice(1).map((l) => l.split(',').slice(1, 3)),
      [
        [people[1]!.email, 'inscrit'],
        [people[2]!.email, 'inscrit'],
        [people[0]!.email, 'en_attente'],
      ],
    )

    await ctx.app.jobs.tick()
    ctx.mails.length = 0
    const empty = await agent.post(
      `${page}/message`,
      { audience: 'all', subject: 'Salle', body: '' },
      { csrfFrom: list },
    )
    assert.equal(empty.statusCode, 422)
    assert.match(empty.body, /Un message de 3 à 10 000 caractères/)
    assert.match(empty.body, /value="Salle"/)
    assert.match(empty.body, /<option value="all" selected/)
    assert.equal(
      (
        await people[1]!.client.post(
          `${page}/message`,
          { audience: 'all', subject: 'Pirate', body: 'Message pirate' },
          { csrfFrom: page },
        )
      ).statusCode,
      403,
    )
    const sent = await agent.post(
      `${page}/message`,
      { audience: 'registered', subject: 'Changement de salle', body: 'Rendez-vous salle B, au premier étage.' },
      { csrfFrom: list },
    )
    assert.equal(sent.statusCode, 303)
    await ctx.app.jobs.tick()
    const mails = ctx.mails.filter((m) => m.subject === 'Réunion publique sur le plan vélo : Changement de salle')
    assert.deepEqual(
      mails.map((m) => m.to).sort(),
      [people[1]!.email, people[2]!.email].sort(),
      'the registered only, not the waiting',
    )
    assert.match(mails[0]!.text, /Rendez-vous salle B, au premier étage\./)
    const [audit] = await queryRows<{ after: { count: number } }>(
      ctx.database.db,
      sql`select after from audit_events where action = 'event.message_sent' and subject_id = ${eventId}`,
    )
    assert.equal(audit!.after.count, 2)
    ctx.mails.length = 0
  })

  test('a visio’s link is for the people registered and the organisers: not on the public page nor in the calendar', async () => {
    const link = 'https://visio.example.org/salle-secrete-48c1'
    // the day as a browser without a date picker sends it, typed the French way
    const created = await agent.post(`${territory.path}/evenements/nouveau`, {
      kind: 'public_meeting',
      title: 'Atelier en ligne',
      description: '',
      day: day(2).split('-').reverse().join('/'),
      start: '18:00',
      end: '19:00',
      place: '',
      onlineUrl: link,
      audience: '',
      capacity: '',
    })
    assert.equal(created.statusCode, 303)
    const page = created.headers.location!
    const [stored] = await queryRows<{ day: string }>(
      ctx.database.db,
      sql`select to_char(starts_at at time zone 'Europe/Paris', 'YYYY-MM-DD HH24:MI') as day from events where id = ${page.split('/').pop()!}`,
    )
    assert.equal(stored!.day, `${day(2)} 18:00`)
    const anonymous = (await new Client(ctx.app).get(page)).body
    assert.ok(!anonymous.includes(link), 'anonymous visitors do not get the link')
    assert.match(anonymous, /le lien est donné aux personnes inscrites/)
    assert.match(anonymous, /<dt>Date<\/dt>/, 'a display label, not the form’s hint')
    assert.ok(
      !(await new Client(ctx.app).get(`${page}/agenda.ics`)).body.includes('salle-secrete'),
      'nor the public calendar',
    )
    assert.ok(!(await people[1]!.client.get(page)).body.includes(link), 'nor a signed-in person not registered')
    assert.equal((await people[1]!.client.post(`${page}/inscription`, {}, { csrfFrom: page })).statusCode, 303)
    assert.ok((await people[1]!.client.get(page)).body.includes(link), 'the registered get it')
    assert.ok((await agent.get(page)).body.includes(link), 'the organisers too')
  })

  test('the .ics file and the feeds parse with the right times in Europe/Paris and link back to the page', async () => {
    const ics = await new Client(ctx.app).get(`/evenements/${eventId}/agenda.ics`)
    assert.match(ics.headers['content-type'] as string, /text\/calendar/)
    const vevent = new ICAL.Component(ICAL.parse(ics.body)).getFirstSubcomponent('vevent')!
    const event = new ICAL.Event(vevent)
    assert.equal(event.summary, 'Réunion publique sur le plan vélo')
    assert.equal(vevent.getFirstProperty('dtstart')!.getParameter('tzid'), 'Europe/Paris')
    assert.equal(event.startDate.toString(), `${day(3)}T18:30:00`)
    assert.equal(event.startDate.toJSDate().toISOString(), parisInstant(day(3), '18:30')!.toISOString())
    assert.equal(vevent.getFirstPropertyValue('url'), `http://localhost:3000/evenements/${eventId}`)
    assert.equal(event.location, 'Salle des fêtes')
    const feed = new ICAL.Component(
      ICAL.parse((await new Client(ctx.app).get(`${territory.path}/evenements.ics`)).body),
    )
    const uids = feed.getAllSubcomponents('vevent').map((v) => String(v.getFirstPropertyValue('url')))
    assert.ok(uids.includes(`http://localhost:3000/evenements/${eventId}`))
    const [inTerritory] = await queryRows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from events e join territories t on t.id = e.territory_id where t.code = ${territory.code}`,
    )
    assert.equal(uids.length, inTerritory!.n, 'every event of the territory, and only them')
    const network = new ICAL.Component(ICAL.parse((await new Client(ctx.app).get('/reseau/evenements.ics')).body))
    assert.deepEqual(
      network.getAllSubcomponents('vevent').map((v) => v.getFirstPropertyValue('summary')),
      ['Visite de terrain à Saillans'],
    )
  })

  test('reminders go once to those registered; a cancelled event says so in its calendar', async () => {
    await ctx.app.jobs.tick()
    ctx.mails.length = 0
    // a reader who chose English gets it in English
    await ctx.database.db.execute(sql`update users set locale = 'en' where id = ${people[2]!.id}`)
    // the reminders as they go two days before: the clock is set 40 hours before the meeting
    const twoDaysBefore = new Date(parisInstant(day(3), '18:30')!.getTime() - 40 * 3_600_000)
    const sent = await sendReminders(ctx.database.db, 48, twoDaysBefore)
    assert.ok(sent >= 2)
    await ctx.app.jobs.tick()
    const ours = ctx.mails
      .filter((m) => /^(Rappel|Reminder) ?: Réunion publique sur le plan vélo$/.test(m.subject))
      .map((m) => [m.to, m.subject])
    assert.deepEqual(
      ours.sort(),
      [
        [people[1]!.email, 'Rappel : Réunion publique sur le plan vélo'],
        [people[2]!.email, 'Reminder: Réunion publique sur le plan vélo'],
      ].sort(),
    )
    const french = ctx.mails.find(
      (m) => m.to === people[1]!.email && m.subject === 'Rappel : Réunion publique sur le plan vélo',
    )!
    assert.match(french.text, /a lieu le \p{L}+ \d{1,2} \p{L}+ \d{4} à \d{2}:\d{2}/u)
    assert.match(french.text, new RegExp(`/evenements/${eventId}`))
    assert.equal(await sendReminders(ctx.database.db, 48, twoDaysBefore), 0, 'once only')
    ctx.mails.length = 0
    const page = `/evenements/${eventId}`
    assert.equal(
      (await people[1]!.client.post(`${page}/annulation`, { reason: 'x' }, { csrfFrom: page })).statusCode,
      403,
    )
    assert.equal((await agent.post(`${page}/annulation`, { reason: '' }, { csrfFrom: page })).statusCode, 422)
    assert.equal(
      (await agent.post(`${page}/annulation`, { reason: 'Salle indisponible.' }, { csrfFrom: page })).statusCode,
      303,
    )
    // the people registered learn it, with the reason; a second cancellation is refused
    await ctx.app.jobs.tick()
    const cancelled = ctx.mails.filter((m) => m.to === people[1]!.email)
    assert.deepEqual(
      cancelled.map((m) => m.subject),
      ['Événement annulé : Réunion publique sur le plan vélo'],
    )
    assert.match(cancelled[0]!.text, /Raison donnée par les organisateurs : Salle indisponible\./)
    assert.equal((await agent.post(`${page}/annulation`, { reason: 'Encore.' }, { csrfFrom: page })).statusCode, 409)
    const vevent = new ICAL.Component(
      ICAL.parse((await new Client(ctx.app).get(`${page}/agenda.ics`)).body),
    ).getFirstSubcomponent('vevent')!
    assert.equal(vevent.getFirstPropertyValue('status'), 'CANCELLED')
    assert.equal((await people[0]!.client.post(`${page}/inscription`, {}, { csrfFrom: page })).statusCode, 409)
  })
})
