import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { readFileSync } from 'node:fs'
import ICAL from 'ical.js'
import type { Browser } from 'playwright-core'
import { seedDemo } from '../../src/demo/seed.ts'
import { buildTestApp, createUser, parisDay, type TestApp } from '../helpers/app.ts'
import { expectAccessible, launchBrowser, serveForBrowser, signInInBrowser, skip } from '../helpers/browser.ts'

describe('event journey', { skip }, () => {
  let ctx: TestApp
  let browser: Browser
  let base: string
  const people: Record<string, { email: string; password: string }> = { agent: { email: 'agent@demo.thc.example', password: 'demo-agent-thc' } }
  const day = parisDay

  before(async () => {
    ctx = await buildTestApp('pglite')
    await seedDemo(ctx.database.db)
    people.citizen = await createUser(ctx.database, { displayName: 'Lina Habitante' })
    base = await serveForBrowser(ctx.app)
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await ctx?.close()
  })

  test('staff schedule a meeting; a person registers and downloads the .ics', async () => {
    const agent = await signInInBrowser(browser, base, people.agent!)
    await agent.goto(`${base}/territoires/autre/pays-demo/evenements`)
    await agent.getByRole('link', { name: 'Programmer un événement' }).click()
    await expectAccessible(agent, 'event form')
    await agent.getByLabel('Titre').fill('Atelier budget participatif')
    await agent.getByLabel('Date (AAAA-MM-JJ)').fill(day(3))
    await agent.getByLabel('Début (HH:MM, heure de Paris)').fill('18:00')
    await agent.getByLabel('Fin (HH:MM, heure de Paris)').fill('20:00')
    await agent.getByLabel('Lieu').fill('Médiathèque')
    await agent.getByRole('button', { name: 'Programmer' }).click()
    await agent.getByRole('heading', { name: 'Atelier budget participatif' }).waitFor()
    const url = agent.url()

    const citizen = await signInInBrowser(browser, base, people.citizen!, { javaScript: false })
    await citizen.goto(url)
    await citizen.getByRole('button', { name: 'M’inscrire' }).click()
    await citizen.getByText('Vous êtes inscrit.').first().waitFor()
    const checker = await (await browser.newContext({ bypassCSP: true })).newPage()
    await expectAccessible(citizen, 'event page (registered, JS off)', checker)
    const [download] = await Promise.all([citizen.waitForEvent('download'), citizen.getByRole('link', { name: 'Ajouter à mon agenda (.ics)' }).click()])
    const text = readFileSync(await download.path(), 'utf8')
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!)
    assert.equal(event.summary, 'Atelier budget participatif')
    assert.equal(event.startDate.toString(), `${day(3)}T18:00:00`)
  })
})
