import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { createUser } from '../helpers/app.ts'
import { browserJourney, expectAccessible, signInInBrowser, skip } from '../helpers/browser.ts'

describe('référentiel journey', { skip }, () => {
  const journey = browserJourney({ demo: false })
  const people: Record<string, { id: string; email: string; password: string }> = {}

  before(async () => {
    people.contributor = await createUser(journey.ctx.database, { displayName: 'Camille Veille' })
    people.moderator = await createUser(journey.ctx.database, { displayName: 'Morgan Relecture' })
    await journey.ctx.database.db.execute(
      sql`insert into platform_roles (user_id, role) values (${people.moderator.id}, 'referentiel_moderator')`,
    )
  })

  const signedIn = (who: string): Promise<Page> => signInInBrowser(journey.browser, journey.base, people[who]!)

  test('a contributor drafts a method, a moderator publishes it, a visitor finds it by search', async () => {
    const contributor = await signedIn('contributor')
    await contributor.goto(`${journey.base}/referentiel`)
    await expectAccessible(contributor, 'référentiel search page')
    await contributor.getByRole('link', { name: 'Proposer une fiche' }).first().click()
    await contributor.getByRole('link', { name: 'Outil ou méthode' }).click()
    await expectAccessible(contributor, 'new fiche form')
    await contributor.getByLabel('Titre').fill('Le jury citoyen participatif')
    await contributor.getByLabel('Outil ou méthode').selectOption('method')
    await contributor
      .getByLabel('Résumé')
      .fill('Quinze habitants tirés au sort rendent un avis argumenté après avoir entendu des experts.')
    await contributor.locator('summary', { hasText: 'Mise en œuvre' }).click()
    await contributor.getByLabel('Processus délibératif et de dialogue').check()
    await contributor.getByLabel('Gouvernance et institutions politiques').check()
    await contributor.getByLabel('Atouts').fill('Un avis éclairé\nUne diversité de profils')
    await contributor.getByRole('button', { name: 'Enregistrer et soumettre à la modération' }).click()
    await contributor.getByText('Proposition soumise').waitFor()
    await expectAccessible(contributor, 'submitted version page')

    const moderator = await signedIn('moderator')
    await moderator.goto(`${journey.base}/referentiel/moderation`)
    await expectAccessible(moderator, 'moderation queue')
    await moderator.getByRole('link', { name: /Le jury citoyen participatif/ }).click()
    await moderator.getByLabel('Publier').check()
    await moderator.getByRole('button', { name: 'Enregistrer la décision' }).click()
    await moderator.getByText('Version publiée.').waitFor()

    const visitor = await (await journey.browser.newContext({ bypassCSP: true, javaScriptEnabled: false })).newPage()
    await visitor.goto(`${journey.base}/`)
    await visitor.getByRole('link', { name: 'Référentiel', exact: true }).click()
    await visitor.getByRole('searchbox', { name: 'Rechercher dans le référentiel' }).fill('participation deliberatif')
    await visitor
      .getByRole('search', { name: 'Rechercher dans le référentiel' })
      .getByRole('button', { name: 'Rechercher' })
      .click()
    await visitor.getByRole('link', { name: 'Le jury citoyen participatif' }).click()
    const main = (await visitor.locator('main').textContent()) ?? ''
    assert.match(main, /Une diversité de profils/)
    assert.match(main, /Camille Veille/)
    assert.match(main, /Licence Ouverte 2\.0/)
    const checker = await (await journey.browser.newContext({ bypassCSP: true })).newPage()
    await expectAccessible(visitor, 'published fiche', checker)
    await visitor.goto(`${journey.base}/referentiel/inventaire`)
    await expectAccessible(visitor, 'inventory report', checker)
  })

  test('the territory of an experience is chosen by search: suggestions with JavaScript, a choice to tick without', async () => {
    const withScript = await signedIn('contributor')
    await withScript.goto(`${journey.base}/referentiel/nouvelle?nature=experience`)
    await withScript.getByLabel('Territoire', { exact: true }).pressSequentially('saint-deni')
    await withScript
      .locator('datalist#field-territory-suggestions option[value="Saint-Denis (commune/93066)"]')
      .waitFor({ state: 'attached' })

    const page = await signInInBrowser(journey.browser, journey.base, people.contributor!, { javaScript: false })
    await page.goto(`${journey.base}/referentiel/nouvelle?nature=experience`)
    await page.getByLabel('Titre').fill('Une marche exploratoire à Saint-Denis')
    await page.getByLabel('Résumé').fill('Des habitantes relèvent les lieux à changer dans leur quartier.')
    await page.getByLabel('Territoire', { exact: true }).fill('Saint-Denis')
    await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click()
    await page.getByText('Plusieurs territoires correspondent : cochez le bon').first().waitFor()
    const checker = await (await journey.browser.newContext({ bypassCSP: true })).newPage()
    await expectAccessible(page, 'fiche form asking which territory', checker)
    await page.getByLabel('Saint-Denis — commune 93066 (93)').check()
    await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click()
    await page.getByText('Brouillon enregistré').first().waitFor()
    assert.match((await page.locator('main').textContent()) ?? '', /Saint-Denis/)
  })
})
