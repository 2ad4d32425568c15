import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { browserJourney, expectAccessible, skip } from '../helpers/browser.ts'

for (const javaScript of [false, true]) {
  describe(`finding one's way, JavaScript ${javaScript ? 'on' : 'off'}`, { skip }, () => {
    const journey = browserJourney()

    test('a citizen on a phone goes from the header to what is open, searches the site, and reaches the data', async () => {
      const context = await journey.browser.newContext({
        javaScriptEnabled: javaScript,
        bypassCSP: true,
        locale: 'fr-FR',
        viewport: { width: 390, height: 844 },
      })
      const checker = javaScript ? undefined : await (await journey.browser.newContext({ bypassCSP: true })).newPage()
      const page = await context.newPage()
      await page.goto(`${journey.base}/`)
      await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Participer' }).click()
      await page.waitForURL(/\/participer$/)
      assert.equal(await page.getByRole('link', { name: 'Participer' }).getAttribute('aria-current'), 'page')
      await expectAccessible(page, 'participer', checker)
      await page.getByRole('link', { name: /Quelles priorités pour les mobilités du quotidien/ }).click()
      await page.waitForURL(/\/consultations\/[0-9a-f-]{36}$/)

      await page.getByRole('searchbox', { name: 'Rechercher sur le site' }).fill('données budgétaires')
      await page
        .getByRole('search', { name: 'Rechercher sur le site' })
        .getByRole('button', { name: 'Rechercher' })
        .click()
      await page.waitForURL(/\/recherche\?q=/)
      assert.match((await page.getByRole('status').textContent()) ?? '', /résultats? pour « données budgétaires »/)
      await expectAccessible(page, 'search results', checker)
      await page.getByRole('link', { name: 'Ouvrir les données budgétaires du Pays (démonstration)' }).click()
      await page.waitForURL(/\/engagements\/[0-9a-f-]{36}$/)
      assert.match((await page.locator('main').textContent()) ?? '', /selon les jalons/)

      await page.getByRole('link', { name: 'Le réseau' }).first().click()
      await page.getByRole('link', { name: 'Événements' }).click()
      await page.waitForURL(/\/evenements$/)
      await page.getByLabel('Organisés par').selectOption({ label: 'Les territoires' })
      await page.getByRole('button', { name: 'Filtrer' }).click()
      await page.waitForURL(/qui=territoires/)
      assert.match(
        (await page.locator('main').textContent()) ?? '',
        /Pays du Val-Démo \(démonstration\) · Réunion publique/,
      )
      await expectAccessible(page, 'events', checker)

      await page.getByRole('link', { name: 'Données' }).first().click()
      await page.waitForURL(/\/donnees$/)
      await expectAccessible(page, 'open data', checker)
      await page.getByRole('contentinfo').getByRole('link', { name: 'Vos données personnelles' }).click()
      await page.waitForURL(/\/confidentialite$/)
      await expectAccessible(page, 'privacy', checker)
      await context.close()
    })
  })
}
