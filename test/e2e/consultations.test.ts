import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { queryRows } from '../../src/platform/db/index.ts'
import { createUser, parisDay } from '../helpers/app.ts'
import { browserJourney, expectAccessible, signInInBrowser, skip } from '../helpers/browser.ts'

describe('consultation journey', { skip }, () => {
  const journey = browserJourney()
  const people: Record<string, { email: string; password: string }> = {
    agent: { email: 'agent@demo.thc.example', password: 'demo-agent-thc' },
  }
  const day = parisDay

  before(async () => {
    people.citizen = await createUser(journey.ctx.database, { displayName: 'Inès Habitante' })
  })

  const signedIn = (who: string, javaScript = true): Promise<Page> =>
    signInInBrowser(journey.browser, journey.base, people[who]!, { javaScript })

  test('staff open a consultation, a citizen contributes and supports, the staff answer and link it to a commitment', async () => {
    const agent = await signedIn('agent')
    await agent.goto(`${journey.base}/territoires/autre/pays-demo`)
    await agent.getByRole('link', { name: 'Consultations' }).click()
    await agent.getByRole('link', { name: 'Ouvrir une consultation' }).click()
    await expectAccessible(agent, 'new consultation form')
    await agent.getByLabel('Titre').fill('Quels horaires pour la médiathèque ?')
    await agent.getByLabel('Question posée').fill('À quelles heures la médiathèque devrait-elle ouvrir ?')
    await agent.getByLabel('Ouverture').fill(day(0))
    await agent.getByLabel('Clôture').fill(day(14))
    await agent.getByRole('button', { name: 'Publier' }).click()
    await agent.getByRole('heading', { name: 'Quels horaires pour la médiathèque ?' }).waitFor()
    const consultationUrl = agent.url()

    const citizen = await signedIn('citizen', false)
    await citizen.goto(consultationUrl)
    await citizen.getByLabel('Titre').fill('Ouvrir le dimanche matin')
    await citizen.getByLabel('Votre contribution').fill('Beaucoup de familles sont disponibles le dimanche.')
    await citizen.getByRole('button', { name: 'Publier ma contribution' }).click()
    await citizen.getByText('Contribution publiée.').waitFor()
    await citizen.getByRole('button', { name: /^Soutenir/ }).click()
    await citizen.getByText(/· 1 soutien$/).waitFor()
    const checker = await (await journey.browser.newContext({ bypassCSP: true })).newPage()
    await expectAccessible(citizen, 'consultation page (citizen, JS off)', checker)

    // the consultation closes; the staff answer
    const [row] = await queryRows<{ id: string }>(
      journey.ctx.database.db,
      sql`select id from consultations where title = 'Quels horaires pour la médiathèque ?'`,
    )
    await journey.ctx.database.db.execute(
      sql`update consultations set opens_on = ${day(-20)}, closes_on = ${day(-1)} where id = ${row!.id}`,
    )
    await agent.goto(consultationUrl)
    await agent.getByText('Réponse du territoire').first().click()
    await agent.getByLabel('Réponse motivée').fill('Retenue : ouverture le dimanche de 10 h à 13 h dès janvier.')
    await agent.getByLabel('Engagement où elle est reprise (facultatif)').selectOption({ index: 1 })
    await agent.getByRole('button', { name: 'Publier la réponse' }).click()
    await agent.getByText(/Reprise dans l’engagement/).waitFor()
    await expectAccessible(agent, 'consultation page (staff, closed)')

    await citizen.goto(consultationUrl)
    const main = (await citizen.locator('main').textContent()) ?? ''
    assert.match(main, /Retenue : ouverture le dimanche de 10 h à 13 h dès janvier\./)
    await citizen.getByRole('link', { name: /Reprise dans l’engagement/ }).click()
    assert.match((await citizen.locator('main').textContent()) ?? '', /Ouvrir le dimanche matin/)
    await expectAccessible(citizen, 'commitment page with the citizens’ contribution', checker)
  })

  test('staff extend a consultation and close it early; a moderator hides a contribution from its page (JS off)', async () => {
    const agent = await signedIn('agent', false)
    await agent.goto(`${journey.base}/territoires/autre/pays-demo/consultations/nouvelle`)
    await agent.getByLabel('Titre').fill('Où planter les arbres du quartier ?')
    await agent.getByLabel('Question posée').fill('Quelles rues manquent le plus d’ombre ?')
    await agent.getByLabel('Ouverture').fill(day(-1))
    await agent.getByLabel('Clôture').fill(day(10))
    await agent.getByRole('button', { name: 'Publier' }).click()
    await agent.getByRole('heading', { name: 'Où planter les arbres du quartier ?' }).waitFor()
    const consultationUrl = agent.url()

    const citizen = await signedIn('citizen', false)
    await citizen.goto(consultationUrl)
    await citizen.getByLabel('Titre').fill('Rue des Lilas')
    await citizen.getByLabel('Votre contribution').fill('Un texte hors sujet que la modération masquera.')
    await citizen.getByRole('button', { name: 'Publier ma contribution' }).click()
    await citizen.getByText('Contribution publiée.').waitFor()

    // the moderator hides it from the page, without any report, with a public reason
    const moderator = await signInInBrowser(
      journey.browser,
      journey.base,
      { email: 'moderation@demo.thc.example', password: 'demo-moderation-thc' },
      { javaScript: false },
    )
    await moderator.goto(consultationUrl)
    await moderator.getByText('Masquer (modération)').first().click()
    await moderator.getByLabel('Raison publique').first().fill('Hors sujet : voir la charte.')
    await moderator.getByRole('button', { name: 'Masquer', exact: true }).first().click()
    await moderator.getByText('Masqué par la modération : Hors sujet : voir la charte.').waitFor()
    const checker = await (await journey.browser.newContext({ bypassCSP: true })).newPage()
    await expectAccessible(moderator, 'consultation page (moderator, JS off)', checker)

    // the staff extend it, then close it early; both changes show in the public history
    await agent.goto(consultationUrl)
    await agent.getByRole('link', { name: 'Modifier, prolonger ou avancer la clôture' }).click()
    await expectAccessible(agent, 'edit form of a published consultation (JS off)', checker)
    await agent.getByLabel('Clôture').fill(day(20))
    await agent.getByLabel('Raison de la modification').fill('Plus de temps pour les familles.')
    await agent.getByRole('button', { name: 'Enregistrer les modifications' }).click()
    await agent.getByText('Modifications enregistrées.').waitFor()
    await agent.getByText('Clore la consultation aujourd’hui').click()
    await agent.getByLabel('Raison de la clôture anticipée').fill('Le conseil a tranché.')
    await agent.getByRole('button', { name: 'Clore maintenant' }).click()
    await agent.getByText('La consultation est close.').waitFor()

    await citizen.goto(consultationUrl)
    const main = (await citizen.locator('main').textContent()) ?? ''
    assert.match(main, /Historique des modifications/)
    assert.match(main, /Raison : Plus de temps pour les familles\./)
    assert.match(main, /Raison : Le conseil a tranché\./)
    assert.doesNotMatch(main, /Un texte hors sujet/)
    assert.equal(
      await citizen.getByRole('button', { name: 'Publier ma contribution' }).count(),
      0,
      'closed: no more contributions',
    )
    await expectAccessible(citizen, 'consultation closed early, with its history (citizen, JS off)', checker)
  })
})

describe('question journey', { skip }, () => {
  const journey = browserJourney()
  const people: Record<string, { email: string; password: string }> = {
    admin: { email: 'admin@demo.thc.example', password: 'demo-admin-thc' },
    elected: { email: 'elue@demo.thc.example', password: 'demo-elue-thc' },
  }

  before(async () => {
    people.citizen = await createUser(journey.ctx.database, { displayName: 'Hugo Habitant' })
  })

  test('a citizen questions an elected official, moderation publishes it, the official answers in public', async () => {
    const citizen = await signInInBrowser(journey.browser, journey.base, people.citizen!)
    await citizen.goto(`${journey.base}/territoires/autre/pays-demo`)
    await citizen.getByRole('link', { name: 'Questions aux élus' }).click()
    await expectAccessible(citizen, 'questions page (citizen)')
    await citizen.getByLabel('À qui').selectOption({ label: 'Camille Élue (démonstration)' })
    await citizen.getByLabel('Votre question en une phrase').fill('Quand rouvre la piscine ?')
    await citizen.getByLabel('Précisions').fill('Elle est fermée depuis l’été.')
    await citizen.getByRole('button', { name: 'Envoyer ma question' }).click()
    await citizen.getByText('Question envoyée').waitFor()

    const admin = await signInInBrowser(journey.browser, journey.base, people.admin!)
    await admin.goto(`${journey.base}/territoires/autre/pays-demo/questions`)
    await expectAccessible(admin, 'questions page (moderation)')
    await admin.getByRole('button', { name: 'Publier' }).click()

    const elected = await signInInBrowser(journey.browser, journey.base, people.elected!)
    await elected.goto(`${journey.base}/territoires/autre/pays-demo/questions`)
    await elected.getByRole('link', { name: 'Quand rouvre la piscine ?' }).click()
    await elected.getByLabel('Réponse').fill('Réouverture prévue le 1er février après travaux.')
    await elected.getByRole('button', { name: 'Répondre publiquement' }).click()
    await elected.getByText('Réouverture prévue le 1er février après travaux.').waitFor()
    await expectAccessible(elected, 'answered question')

    const visitor = await (await journey.browser.newContext({ bypassCSP: true })).newPage()
    await visitor.goto(`${journey.base}/territoires/autre/pays-demo/questions`)
    const main = (await visitor.locator('main').textContent()) ?? ''
    assert.match(main, /Quand rouvre la piscine \?/)
    assert.match(main, /Répondue/)
  })
})

describe('Groupe Action Projet journey', { skip }, () => {
  const journey = browserJourney()
  const people: Record<string, { email: string; password: string }> = {
    agent: { email: 'agent@demo.thc.example', password: 'demo-agent-thc' },
  }

  before(async () => {
    people.citizen = await createUser(journey.ctx.database, { displayName: 'Gaëlle Porteuse' })
  })

  test('staff start a group on a commitment; a citizen joins and adds an action', async () => {
    const [commitment] = await queryRows<{ id: string }>(
      journey.ctx.database.db,
      sql`select c.id from commitments c join territories t on t.id = c.territory_id where t.code = 'pays-demo' order by c.position limit 1`,
    )
    const agent = await signInInBrowser(journey.browser, journey.base, people.agent!)
    await agent.goto(`${journey.base}/engagements/${commitment!.id}`)
    await agent.getByRole('link', { name: 'Créer un Groupe Action Projet' }).click()
    await expectAccessible(agent, 'new group form')
    await agent.getByLabel('Nom du groupe').fill('Groupe jardins partagés')
    await agent.getByLabel('Objet du groupe').fill('Créer trois jardins partagés.')
    await agent.getByRole('button', { name: 'Créer le groupe' }).click()
    await agent.getByRole('heading', { name: 'Groupe jardins partagés' }).waitFor()
    const url = agent.url()

    const citizen = await signInInBrowser(journey.browser, journey.base, people.citizen!, { javaScript: false })
    await citizen.goto(url)
    await citizen.getByRole('button', { name: 'Rejoindre le groupe' }).click()
    await citizen.getByLabel('Action', { exact: true }).fill('Trouver une parcelle')
    await citizen.getByLabel('Responsable (membre du groupe)').selectOption({ label: 'Gaëlle Porteuse' })
    await citizen.getByLabel('Échéance').fill('2027-03-01')
    await citizen.getByRole('button', { name: 'Ajouter l’action' }).click()
    await citizen.getByRole('rowheader', { name: 'Trouver une parcelle' }).waitFor()
    const checker = await (await journey.browser.newContext({ bypassCSP: true })).newPage()
    await expectAccessible(citizen, 'group page (member, JS off)', checker)
  })
})
