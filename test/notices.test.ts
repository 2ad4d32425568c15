import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'drizzle-orm'
import type { CurrentUser } from '../src/platform/auth/current-user.ts'
import { queryRows } from '../src/platform/db/index.ts'
import { answerQuestion, askQuestion, moderateQuestion } from '../src/modules/questions/index.ts'
import { answerContribution, contribute } from '../src/modules/consultations/contributions.ts'
import { hideContent } from '../src/modules/moderation/service.ts'
import { createEvent, register } from '../src/modules/events/index.ts'
import { unregister } from '../src/modules/events/registrations.ts'
import { decideMembership, requestMembership } from '../src/modules/membership/service.ts'
import { appointReviewer } from '../src/modules/assessments/reviewers.ts'
import { buildTestApp, createUser, describeEachEngine, signedInClient, type TestApp } from './helpers/app.ts'
import { actorOf, buildConsultation, buildPlan, buildStaff, dayFromToday } from './helpers/factories.ts'

/** Mail to the people a decision concerns, in their language, once the decision is committed. */
describeEachEngine('mail to the people concerned', (engine) => {
  let ctx: TestApp
  let territoryId = ''
  let planId = ''
  let moderator: CurrentUser
  let agent: CurrentUser
  let elected: CurrentUser
  let admin: CurrentUser
  /** a resident with an account (a new one for each call), as the services see them */
  const resident = async (displayName: string) => {
    const user = await createUser(ctx.database, { displayName })
    return { email: user.email, actor: await actorOf(ctx.database, user.id) }
  }
  /** a contribution of `author` to an open consultation of the territory */
  const contributionBy = async (author: CurrentUser, title: string) => {
    const consultation = await buildConsultation(ctx.database, {
      territory: built.territory,
      editor: built.editor,
    })
    return (
      await contribute(ctx.database.db, {
        actor: author,
        consultationId: consultation.id,
        input: { kind: 'idea', title, body: 'Le détail de la contribution.' },
        today: dayFromToday(0),
      })
    ).id
  }
  let built: Awaited<ReturnType<typeof buildPlan>>
  /** the mails sent to an address since the last call, after the queue ran */
  const sent = async (to: string) => {
    await ctx.app.jobs.tick()
    const mine = ctx.mails.filter((m) => m.to === to)
    ctx.mails.splice(0, ctx.mails.length, ...ctx.mails.filter((m) => m.to !== to))
    return mine
  }

  before(async () => {
    ctx = await buildTestApp(engine)
    built = await buildPlan(ctx.database)
    territoryId = built.territory.id
    planId = built.plan.id
    agent = built.editor.actor
    elected = built.elected.actor
    moderator = (await buildStaff(ctx.database, built.territory, 'moderator', 'Modération')).actor
    const network = await createUser(ctx.database, { displayName: 'Équipe du réseau', admin: true })
    admin = await actorOf(ctx.database, network.id)
    await ctx.app.jobs.tick()
    ctx.mails.length = 0
  })
  after(() => ctx.close())

  test('a question’s author learns it is refused (with the reason), published, answered — in their own language', async () => {
    const db = ctx.database.db
    const { email, actor: citizen } = await resident('Voisin')
    const refused = await askQuestion(db, {
      actor: citizen,
      territoryId,
      input: {
        addresseeId: null,
        title: 'Une question hors charte',
        body: 'Des propos que la charte refuse.',
      },
    })
    await moderateQuestion(db, {
      actor: moderator,
      questionId: refused,
      decision: 'reject',
      reason: 'Elle vise une personne nommément.',
    })
    const [refusal] = await sent(email)
    assert.equal(refusal!.subject, 'Votre question n’a pas été publiée : Une question hors charte')
    assert.match(refusal!.text, /Motif donné par la modération : Elle vise une personne nommément\./)
    assert.match(refusal!.text, new RegExp(`http://localhost:3000/questions/${refused}`))

    await db.execute(sql`update users set locale = 'en' where id = ${citizen.id}`)
    const kept = await askQuestion(db, {
      actor: citizen,
      territoryId,
      input: {
        addresseeId: null,
        title: 'Quand ouvrira la médiathèque ?',
        body: 'Les travaux semblent finis.',
      },
    })
    await moderateQuestion(db, { actor: moderator, questionId: kept, decision: 'publish', reason: '' })
    assert.deepEqual(
      (await sent(email)).map((m) => m.subject),
      ['Your question is published: Quand ouvrira la médiathèque ?'],
    )
    await answerQuestion(db, { actor: elected, questionId: kept, answer: 'Elle ouvrira le 3 mars.' })
    const [answered] = await sent(email)
    assert.equal(answered!.subject, 'Answer to your question: Quand ouvrira la médiathèque ?')
    assert.match(answered!.text, /Elle ouvrira le 3 mars\./)
    assert.match(answered!.text, /something you did on the Territoires Hautement Citoyens platform/)
  })

  test('a refusal that fails writes no mail: the notice leaves with the decision or not at all', async () => {
    const db = ctx.database.db
    const { actor: citizen } = await resident('Questionneur')
    const published = await askQuestion(db, {
      actor: citizen,
      territoryId,
      input: { addresseeId: null, title: 'Une question publiée', body: 'Elle est dans la charte.' },
    })
    await moderateQuestion(db, { actor: moderator, questionId: published, decision: 'publish', reason: '' })
    await ctx.app.jobs.tick()
    ctx.mails.length = 0
    await assert.rejects(
      moderateQuestion(db, { actor: moderator, questionId: published, decision: 'reject', reason: 'Trop tard.' }),
    )
    await ctx.app.jobs.tick()
    assert.equal(ctx.mails.length, 0)
  })

  test('a contributor learns the territory’s answer', async () => {
    const db = ctx.database.db
    const { email, actor: author } = await resident('Habitante')
    const bike = await contributionBy(author, 'Une piste cyclable entre la gare et le collège')
    await answerContribution(db, {
      actor: agent,
      contributionId: bike,
      input: {
        decision: 'retained',
        answer: 'Retenue : elle entre dans le plan vélo.',
        commitmentId: null,
        milestoneId: null,
      },
      today: '2099-01-01',
    })
    const [mail] = await sent(email)
    assert.equal(mail!.subject, 'Réponse à votre contribution : Une piste cyclable entre la gare et le collège')
    assert.match(mail!.text, /Le territoire retient votre contribution/)
    assert.match(mail!.text, /Retenue : elle entre dans le plan vélo\./)
  })

  test('registering for an event sends its .ics; the person waiting learns a seat freed up, with the .ics too', async () => {
    const db = ctx.database.db
    const { email: firstEmail, actor: first } = await resident('Première')
    const { email: secondEmail, actor: second } = await resident('Seconde')
    const startsAt = new Date(Date.now() + 7 * 86_400_000)
    const eventId = await createEvent(db, {
      actor: agent,
      territoryId,
      input: {
        kind: 'workshop',
        title: 'Atelier budget',
        description: '',
        startsAt,
        endsAt: new Date(startsAt.getTime() + 7_200_000),
        place: 'Salle des fêtes',
        onlineUrl: null,
        audience: '',
        capacity: 1,
      },
    })
    assert.equal(await register(db, { actor: first, eventId, baseUrl: 'http://localhost:3000' }), 'registered')
    const [confirmed] = await sent(firstEmail)
    assert.equal(confirmed!.subject, 'Inscription confirmée : Atelier budget')
    assert.match(confirmed!.text, /\(Salle des fêtes\)/)
    assert.equal(confirmed!.attachments?.[0]?.filename, `evenement-${eventId}.ics`)
    assert.match(confirmed!.attachments![0]!.content, /BEGIN:VEVENT[\s\S]*SUMMARY:Atelier budget/)
    assert.equal(await register(db, { actor: second, eventId, baseUrl: 'http://localhost:3000' }), 'waiting')
    const [waiting] = await sent(secondEmail)
    assert.equal(waiting!.subject, 'Liste d’attente : Atelier budget')
    assert.equal(waiting!.attachments, undefined)
    await unregister(db, { actor: first, eventId, baseUrl: 'http://localhost:3000' })
    const [promoted] = await sent(secondEmail)
    assert.equal(promoted!.subject, 'Une place s’est libérée : Atelier budget')
    assert.ok(promoted!.attachments?.[0]?.content.includes('Atelier budget'))
  })

  test('a membership applicant learns the decision; a refusal’s reason reaches them and their territory’s page', async () => {
    const db = ctx.database.db
    const applicant = await createUser(ctx.database, { displayName: 'Agente Rennes' })
    const [rennes] = await queryRows<{ id: string }>(
      db,
      sql`select id from territories where kind = 'commune' and code = '35238'`,
    )
    await db.execute(
      sql`insert into territory_roles (territory_id, user_id, role) values (${rennes!.id}, ${applicant.id}, 'editor')`,
    )
    const actor = await actorOf(ctx.database, applicant.id)
    const request = await requestMembership(db, {
      actor,
      territoryId: rennes!.id,
      input: {
        requestedScope: 'programme',
        contactName: 'Agente',
        contactEmail: applicant.email,
        contactRole: '',
        politicalCommitment: 'Nous nous engageons.',
        signatory: 'La maire',
      },
    })
    await decideMembership(db, {
      actor: admin,
      membershipId: request.id,
      input: {
        decision: 'decline',
        conventionStart: null,
        conventionEnd: null,
        conventionDocumentUrl: null,
        supportLevel: null,
        decisionNote: 'La délibération du conseil manque au dossier.',
      },
    })
    const [mail] = await sent(applicant.email)
    assert.equal(mail!.subject, 'Adhésion non retenue : Rennes')
    assert.match(mail!.text, /Motif : La délibération du conseil manque au dossier\./)
    const client = await signedInClient(ctx.app, applicant.email, applicant.password)
    assert.match(
      (await client.get('/territoires/commune/35238/adhesion')).body,
      /Motif donné par l’équipe du réseau : La délibération du conseil manque au dossier\./,
    )
  })

  test('a reviewer learns of their appointment; the author of hidden content learns why', async () => {
    const db = ctx.database.db
    const reviewer = await createUser(ctx.database, { displayName: 'Revue Indépendante' })
    await appointReviewer(db, { actor: admin, planId, email: reviewer.email })
    const [appointed] = await sent(reviewer.email)
    assert.match(appointed!.subject, /^Vous êtes nommé·e évaluateur·rice : /)
    assert.match(appointed!.text, new RegExp(`/plans/${planId}/evaluation`))

    const { email, actor: author } = await resident('Voisine')
    const bus = await contributionBy(author, 'Le bus du samedi passe trop tôt')
    await ctx.app.jobs.tick()
    ctx.mails.length = 0
    await hideContent(db, {
      resources: ctx.app.platform.resources,
      actor: moderator,
      type: 'contribution',
      id: bus,
      reason: 'Propos injurieux envers un agent.',
    })
    const [hidden] = await sent(email)
    assert.equal(hidden!.subject, 'Votre contenu a été masqué')
    assert.match(
      hidden!.text,
      /« Le bus du samedi passe trop tôt »[\s\S]*Motif public : Propos injurieux envers un agent\./,
    )
  })
})
