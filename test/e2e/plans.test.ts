import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { createUser, grantTestRole } from '../helpers/app.ts'
import { browserJourney, expectAccessible, signInInBrowser, skip } from '../helpers/browser.ts'

for (const javaScript of [true, false]) {
  describe(`action plan journey, JavaScript ${javaScript ? 'on' : 'off'}`, { skip }, () => {
    const journey = browserJourney({ demo: false })
    let checker: Page | undefined
    const people: Record<'editor' | 'elected', { email: string; password: string }> = {} as never

    before(async () => {
      for (const role of ['editor', 'elected'] as const) {
        const user = await createUser(journey.ctx.database, {
          displayName: role === 'editor' ? 'Agent Test' : 'Élue Test',
        })
        await grantTestRole(journey.ctx.database, user.id, { kind: 'commune', code: '35238' }, role)
        people[role] = user
      }
      if (!javaScript) checker = await (await journey.browser.newContext({ bypassCSP: true })).newPage()
    })

    const signedIn = (role: 'editor' | 'elected') =>
      signInInBrowser(journey.browser, journey.base, people[role], { javaScript })
    const check = (page: Page, label: string) => expectAccessible(page, label, checker)
    let planUrl = ''

    test('staff create a plan with two commitments and milestones', async () => {
      const page = await signedIn('editor')
      await page.goto(`${journey.base}/territoires/commune/35238`)
      await page.getByRole('link', { name: 'Plans d’action' }).click()
      await check(page, 'plan list')
      await page.getByRole('link', { name: 'Nouveau plan d’action' }).click()
      await check(page, 'new plan form')
      await page.getByLabel('Intitulé du plan').fill('Rennes, ville ouverte')
      await page.getByLabel('Début').fill('2026-01-01')
      await page.getByLabel('Fin').fill('2027-12-31')
      await page.getByLabel('Co-construction').fill('Six ateliers de quartier.')
      await page.getByRole('button', { name: 'Enregistrer' }).click()
      await page.waitForURL(/\/plans\/[0-9a-f-]{36}$/)
      planUrl = page.url()
      for (const [title, milestone, due] of [
        ['Budget participatif ouvert', 'Vote des projets', '2099-10-15'],
        ['Données des marchés publics', 'Premier jeu de données', '2099-03-01'],
      ] as const) {
        await page.goto(planUrl)
        await page.getByRole('link', { name: 'Ajouter un engagement' }).click()
        await page.getByLabel('Intitulé de l’engagement').fill(title)
        await page.getByLabel('Porteur (service ou institution)').fill('Direction de la citoyenneté')
        await page.getByLabel('Participation citoyenne').check()
        await page.getByLabel('Thèmes (séparés par des virgules)').fill('participation')
        await check(page, 'commitment form')
        await page.getByRole('button', { name: 'Enregistrer' }).click()
        await page.waitForURL(/\/engagements\/[0-9a-f-]{36}$/)
        await page.getByRole('link', { name: 'Ajouter un jalon' }).click()
        await page.locator('#field-title').fill(milestone)
        await page.getByLabel('Échéance').fill(due)
        await page.getByRole('button', { name: 'Enregistrer' }).click()
        await page.waitForURL(/\/engagements\/[0-9a-f-]{36}$/)
        assert.match((await page.locator('main').textContent()) ?? '', new RegExp(milestone))
        await check(page, 'commitment page (staff)')
      }
      await page.goto(planUrl)
      await page.getByRole('link', { name: 'Importer des engagements' }).click()
      await check(page, 'import form')
      await page.goto(planUrl)
      await page.getByRole('button', { name: 'Soumettre à la validation des élus' }).click()
      await page.getByText('Le plan est maintenant : Soumis à validation.').waitFor()
      await check(page, 'submitted plan')
      await page.context().close()
    })

    test('an elected official validates it, staff publish it and post an update', async () => {
      const elected = await signedIn('elected')
      await elected.goto(planUrl)
      await elected.getByRole('button', { name: 'Valider le plan (engagement de l’exécutif)' }).click()
      await elected.getByText('Le plan est maintenant : Validé par l’exécutif.').waitFor()
      await elected.context().close()

      const page = await signedIn('editor')
      await page.goto(planUrl)
      await page.getByRole('button', { name: 'Publier le plan' }).click()
      await page.getByText('Le plan est maintenant : Publié.').waitFor()
      await page.getByRole('link', { name: 'Budget participatif ouvert' }).first().click()
      await page.getByRole('link', { name: 'Rendre compte de l’avancement' }).click()
      await check(page, 'update form')
      await page.getByLabel('Sur quoi porte cette mise à jour').selectOption({ label: 'Vote des projets' })
      await page.getByLabel('Nouvel état du jalon (facultatif)').selectOption({ label: 'En cours' })
      await page.getByLabel('Avancement du jalon en % (facultatif)').fill('40')
      await page.getByLabel('Ce qui a été fait').fill('Les 85 projets déposés sont en cours d’étude.')
      await page.getByLabel('Preuves : adresses, une par ligne').fill('https://example.org/projets')
      await page.getByRole('button', { name: 'Enregistrer' }).click()
      await page.getByText('La mise à jour est publiée.').waitFor()

      // the other commitment is put on hold by hand: a status without a milestone is refused, the text kept
      await page.goto(planUrl)
      await page.getByRole('link', { name: 'Données des marchés publics' }).first().click()
      await page.getByRole('link', { name: 'Rendre compte de l’avancement' }).click()
      await page.getByLabel('Nouvel état du jalon (facultatif)').selectOption({ label: 'Terminé' })
      await page.getByLabel('Ce qui a été fait').fill('Le prestataire a fait faillite.')
      await page.getByRole('button', { name: 'Enregistrer' }).click()
      await page.locator('#field-status-error').waitFor()
      assert.match((await page.locator('#field-status-error').textContent()) ?? '', /suit ses jalons/)
      assert.equal(
        await page.getByLabel('Ce qui a été fait').inputValue(),
        'Le prestataire a fait faillite.',
        'the text is kept',
      )
      await check(page, 'update refused')
      await page.getByLabel('Nouvel état du jalon (facultatif)').selectOption({ label: 'Inchangé' })
      await page.getByLabel('Mettre l’engagement').selectOption({ label: 'En pause' })
      await page.getByRole('button', { name: 'Enregistrer' }).click()
      await page.locator('#field-heldReason-error').waitFor()
      await page.getByLabel('Motif, publié').fill('Le marché est à relancer après la faillite du prestataire.')
      await page.getByRole('button', { name: 'Enregistrer' }).click()
      await page.getByText('La mise à jour est publiée.').waitFor()
      await page.context().close()
    })

    test('a visitor sees the plan on the dashboard and the update in the history', async () => {
      const context = await journey.browser.newContext({
        javaScriptEnabled: javaScript,
        bypassCSP: true,
        locale: 'fr-FR',
      })
      const page = await context.newPage()
      await page.goto(`${journey.base}/territoires/commune/35238`)
      await page.getByRole('link', { name: 'Tableau de bord' }).click()
      await page.waitForURL(planUrl)
      assert.equal(await page.locator('h1').textContent(), 'Rennes, ville ouverte')
      assert.match((await page.locator('.figures').textContent()) ?? '', /2\s*Engagements/)
      assert.match((await page.locator('.facts').textContent()) ?? '', /20 %/, 'plan progress: (40 + 0) / 2')
      await check(page, 'dashboard')
      const cards = page.locator('.commitment-card')
      assert.match(
        (await cards.filter({ hasText: 'Budget participatif ouvert' }).textContent()) ?? '',
        /En cours\s*selon les jalons/,
        'its milestone started, so the commitment did',
      )
      assert.match(
        (await cards.filter({ hasText: 'Données des marchés publics' }).textContent()) ?? '',
        /En pause\s*fixé à la main\s*Motif : Le marché est à relancer après la faillite du prestataire\./,
      )
      assert.match((await page.locator('.chart-table').first().textContent()) ?? '', /En cours\s*1.*En pause\s*1/s)
      await page.locator('#field-status').selectOption({ label: 'En cours' })
      await page.getByRole('button', { name: 'Filtrer' }).click()
      await page.waitForURL(/status=en_cours/)
      assert.deepEqual(await page.locator('.commitment-card h3').allTextContents(), ['Budget participatif ouvert'])
      await page.goto(planUrl)
      await page.getByRole('link', { name: 'Budget participatif ouvert' }).first().click()
      const main = (await page.locator('main').textContent()) ?? ''
      assert.match(main, /Les 85 projets déposés sont en cours d’étude\./)
      assert.match(main, /par Agent Test/)
      assert.match(main, /40 %/, 'its only milestone is at 40 %')
      await check(page, 'commitment page (visitor)')
      await page.getByRole('link', { name: 'Le réseau' }).click()
      await page.waitForURL(/\/reseau$/)
      await page.getByRole('link', { name: 'Avancement' }).click()
      await page.waitForURL(/tri=avancement/)
      assert.match((await page.locator('table.network').textContent()) ?? '', /Rennes/)
      await check(page, 'network overview')
      await context.close()
    })
  })
}
