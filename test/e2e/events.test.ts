import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import { readFileSync } from 'node:fs'
import ICAL from 'ical.js'
import { createUser, parisDay } from '../helpers/app.ts'
import { browserJourney, expectAccessible, signInInBrowser, skip } from '../helpers/browser.ts'

describe('event journey', { skip }, () => {
  const journey = browserJourney()
  const people: Record<string, { email: string; password: string }> = {
    agent: { email: 'agent@demo.thc.example', password: 'demo-agent-thc' },
  }
  const day = parisDay

  before(async () => {
    people.citizen = await createUser(journey.ctx.database, { displayName: 'Lina Habitante' })
  })

  test('staff schedule a meeting; a person registers and downloads the .ics', async () => {
    const agent = await signInInBrowser(journey.browser, journey.base, people.agent!)
    await agent.goto(`${journey.base}/territoires/autre/pays-demo/evenements`)
    await agent.getByRole('link', { name: 'Programmer un événement' }).click()
    await expectAccessible(agent, 'event form')
    await agent.getByLabel('Titre').fill('Atelier budget participatif')
    await agent.getByLabel('Date').fill(day(3))
    await agent.getByLabel('Début (HH:MM, heure de Paris)').fill('18:00')
    await agent.getByLabel('Fin (HH:MM, heure de Paris)').fill('20:00')
    await agent.getByLabel('Lieu').fill('Médiathèque')
    await agent.getByRole('button', { name: 'Programmer' }).click()
    await agent.getByRole('heading', { name: 'Atelier budget participatif' }).waitFor()
    const url = agent.url()

    const citizen = await signInInBrowser(journey.browser, journey.base, people.citizen!, { javaScript: false })
    await citizen.goto(url)
    await citizen.getByRole('button', { name: 'M’inscrire' }).click()
    await citizen.getByText('Vous êtes inscrit.').first().waitFor()
    const checker = await (await journey.browser.newContext({ bypassCSP: true })).newPage()
    await expectAccessible(citizen, 'event page (registered, JS off)', checker)
    const [download] = await Promise.all([
      citizen.waitForEvent('download'),
      citizen.getByRole('link', { name: 'Ajouter à mon agenda (.ics)' }).click(),
    ])
    const text = readFileSync(await download.path(), 'utf8')
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!)
    assert.equal(event.summary, 'Atelier budget participatif')
    assert.equal(event.startDate.toString(), `${day(3)}T18:00:00`)

    // the organiser sees the registrant, downloads the list and writes to everyone registered
    await agent.goto(url)
    await agent.getByRole('link', { name: 'Inscrits et message' }).click()
    await agent.getByRole('cell', { name: people.citizen!.email }).waitFor()
    await expectAccessible(agent, 'registrants page')
    const [list] = await Promise.all([
      agent.waitForEvent('download'),
      agent.getByRole('link', { name: 'Télécharger la liste (CSV)' }).click(),
    ])
    assert.match(
      readFileSync(await list.path(), 'utf8'),
      new RegExp(`Lina Habitante,${people.citizen!.email.replace('.', '\\.')},inscrit,`),
    )
    await agent.getByLabel('Objet').fill('Apportez vos idées')
    await agent.getByLabel('Message').fill('Venez avec une idée de projet pour le quartier.')
    await agent.getByRole('button', { name: 'Envoyer le message' }).click()
    await agent.getByText('Message envoyé à 1 personne.').waitFor()
    await journey.ctx.app.jobs.tick()
    assert.ok(
      journey.ctx.mails.some(
        (m) => m.to === people.citizen!.email && m.subject === 'Atelier budget participatif : Apportez vos idées',
      ),
    )
  })
})
