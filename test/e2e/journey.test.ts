import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { linkIn, uniqueEmail } from '../helpers/app.ts'
import { browserJourney, expectAccessible, skip } from '../helpers/browser.ts'

for (const javaScript of [true, false]) {
  describe(`browser journey, JavaScript ${javaScript ? 'on' : 'off'}`, { skip }, () => {
    const journey = browserJourney({ demo: false })

    let checker: Page | undefined
    async function newPage() {
      // bypassCSP lets the test inject axe-core; the pages themselves keep their strict policy
      const context = await journey.browser.newContext({
        javaScriptEnabled: javaScript,
        bypassCSP: true,
        locale: 'fr-FR',
      })
      if (!javaScript) checker ??= await (await journey.browser.newContext({ bypassCSP: true })).newPage()
      return context.newPage()
    }
    const check = (page: Page, label: string) => expectAccessible(page, label, checker)

    test('a visitor searches a territory and opens its page', async () => {
      const page = await newPage()
      await page.goto(`${journey.base}/`)
      assert.equal(await page.title(), 'Accueil – Territoires Hautement Citoyens')
      await check(page, 'home')
      await page.locator('#home-q').fill('Renes')
      if (javaScript) {
        // htmx fills the results as the person types, without a page load
        await page.locator('#resultats a', { hasText: 'Rennes (35)' }).first().waitFor()
        // htmx pushes the search into the history (pushState: no page load to wait for)
        await page.waitForFunction(() => location.pathname === '/territoires' && location.search.includes('q=Renes'))
      } else {
        await page.locator('#home-q').press('Enter')
        await page.waitForURL(/\/territoires\?q=Renes/)
      }
      await check(page, 'search results')
      await page.locator('#resultats a', { hasText: 'Rennes (35)' }).first().click()
      await page.waitForURL(/\/territoires\/commune\/35238$/)
      assert.equal(await page.locator('h1').textContent(), 'Rennes')
      assert.match((await page.locator('main').textContent()) ?? '', /Bretagne/)
      await check(page, 'territory page')
      await page.getByRole('link', { name: 'English' }).click()
      await page.waitForURL(/\/territoires\/commune\/35238$/)
      assert.equal(await page.locator('html').getAttribute('lang'), 'en')
      assert.match((await page.locator('main').textContent()) ?? '', /Part of/)
      await check(page, 'territory page in English')
      await page.context().close()
    })

    test('a person signs up, confirms the address and signs in', async () => {
      const page = await newPage()
      const email = uniqueEmail(javaScript ? 'e2e-js' : 'e2e-nojs')
      await page.goto(`${journey.base}/`)
      await page.getByRole('link', { name: 'Créer un compte' }).click()
      await check(page, 'sign-up form')
      await page.getByRole('button', { name: 'Créer mon compte' }).click()
      assert.equal(await page.locator('.error-summary').isVisible(), true, 'errors are listed when the form is empty')
      await check(page, 'sign-up form with errors')
      await page.getByLabel('Nom affiché publiquement').fill('Inès Navigateur')
      await page.getByLabel('Adresse électronique').fill(email)
      await page.getByLabel('Mot de passe').fill('ma phrase de passe du test')
      await page.getByRole('button', { name: 'Créer mon compte' }).click()
      await page.getByText('un courriel vient d’y être envoyé').waitFor()
      await check(page, 'sign-up done')

      await journey.ctx.app.jobs.tick() // the confirmation is queued, then sent by the worker
      const mail = journey.ctx.mails.find((m) => m.to === email)
      assert.ok(mail, 'the confirmation mail was sent')
      await page.goto(journey.base + linkIn(mail))
      await page.getByText('Votre adresse est confirmée').waitFor()
      await page.getByRole('main').getByRole('link', { name: 'Se connecter' }).click()
      await check(page, 'sign-in form')
      await page.getByLabel('Adresse électronique').fill(email)
      await page.getByLabel('Mot de passe').fill('ma phrase de passe du test')
      await page.getByRole('button', { name: 'Se connecter' }).click()
      await page.waitForURL(/\/compte$/)
      assert.equal(await page.getByLabel('Nom affiché publiquement').inputValue(), 'Inès Navigateur')
      await check(page, 'account page')
      await page.getByRole('button', { name: 'Se déconnecter' }).click()
      await page.waitForURL(`${journey.base}/`)
      assert.equal(await page.getByRole('link', { name: 'Se connecter' }).count(), 1)
      await page.context().close()
    })

    test('the 404 page and the legal pages are accessible', async () => {
      const page = await newPage()
      const response = await page.goto(`${journey.base}/nulle-part`)
      assert.equal(response?.status(), 404)
      await check(page, '404')
      for (const path of ['/mentions-legales', '/accessibilite']) {
        await page.goto(journey.base + path)
        await check(page, path)
      }
      await page.context().close()
    })
  })
}
