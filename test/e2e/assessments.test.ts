import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { queryRows } from '../../src/platform/db/index.ts'
import { createUser } from '../helpers/app.ts'
import { browserJourney, expectAccessible, signInInBrowser, skip } from '../helpers/browser.ts'

describe('independent assessment journey', { skip }, () => {
  const journey = browserJourney()
  let planId = ''
  const people: Record<string, { email: string; password: string }> = {
    admin: { email: 'admin@demo.thc.example', password: 'demo-admin-thc' },
    agent: { email: 'agent@demo.thc.example', password: 'demo-agent-thc' },
  }

  before(async () => {
    const [plan] = await queryRows<{ id: string }>(
      journey.ctx.database.db,
      sql`select p.id from action_plans p join territories t on t.id = p.territory_id where t.code = 'pays-demo' and p.status = 'published'`,
    )
    planId = plan!.id
    people.reviewer = await createUser(journey.ctx.database, { displayName: 'Rémi Relecteur' })
  })

  const signedIn = (who: string): Promise<Page> => signInInBrowser(journey.browser, journey.base, people[who]!)

  test('a visitor without JavaScript reads each commitment’s status, who set it, and the independent rating beside it', async () => {
    const context = await journey.browser.newContext({ javaScriptEnabled: false, bypassCSP: true, locale: 'fr-FR' })
    const page = await context.newPage()
    const checker = await (await journey.browser.newContext({ bypassCSP: true })).newPage()
    await page.goto(`${journey.base}/plans/${planId}`)
    const card = async (title: RegExp) =>
      (await page.locator('.commitment-card').filter({ hasText: title }).textContent())?.replace(/\s+/g, ' ') ?? ''
    const budget = await card(/Ouvrir les données budgétaires/)
    assert.match(budget, /En cours selon les jalons/, 'one milestone of three done: in progress, not “not started”')
    assert.match(budget, /50 %/)
    assert.match(
      budget,
      /Évaluation indépendante \(Évaluation des engagements à leur terme, publiée le .+\) : Niveau de réalisation : Limité — écart : le suivi du territoire correspond à « En grande partie »/,
    )
    assert.match(await card(/assemblée citoyenne/), /En retard selon les jalons.*Niveau de réalisation : Limité(?! —)/)
    const register = await card(/registre des décisions/)
    assert.match(register, /En pause fixé à la main Motif : Le logiciel du registre attend la fin du marché public/)
    assert.doesNotMatch(register, /écart/, 'paused at 0 %: not started, as the reviewer found')
    assert.equal(await page.locator('.verdict-gap').count(), 1)
    await expectAccessible(page, 'dashboard with statuses and ratings', checker)
    await page
      .getByRole('link', { name: /Ouvrir les données budgétaires/ })
      .first()
      .click()
    assert.match(
      (await page.locator('main').textContent()) ?? '',
      /écart : le suivi du territoire correspond à « En grande partie »/,
    )
    await expectAccessible(page, 'commitment with its rating', checker)
    await context.close()
  })

  test('the team appoints a reviewer, who assesses the plan; the territory replies; the report is published', async () => {
    const admin = await signedIn('admin')
    await admin.goto(`${journey.base}/plans/${planId}/evaluation/evaluateurs`)
    await expectAccessible(admin, 'appointment page')
    await admin.getByLabel('Adresse du compte').fill(people.reviewer!.email)
    await admin.getByRole('button', { name: 'Nommer' }).click()
    await admin.getByText('Évaluateur nommé.').waitFor()

    const reviewer = await signedIn('reviewer')
    await reviewer.goto(`${journey.base}/plans/${planId}`)
    await reviewer.getByRole('link', { name: 'Évaluation indépendante' }).first().click()
    await expectAccessible(reviewer, 'assessment page (reviewer, before declaring)')
    await reviewer.getByRole('button', { name: 'Enregistrer ma déclaration' }).click()
    await reviewer.getByRole('button', { name: 'Commencer : Évaluation du plan à son lancement' }).click()
    await reviewer.getByRole('link', { name: 'Appréciation d’ensemble' }).click()
    await expectAccessible(reviewer, 'overview form')
    await reviewer.getByLabel('En partie').check()
    await reviewer
      .getByLabel('Comment, et sur quoi fondez-vous cette appréciation ?')
      .fill('Deux ateliers ouverts au public.')
    await reviewer.getByRole('button', { name: 'Enregistrer' }).click()
    const links = await reviewer
      .getByRole('link', { name: /^Évaluer :/ })
      .evaluateAll((nodes) => nodes.map((n) => (n as HTMLAnchorElement).href))
    assert.equal(links.length, 3)
    for (const [i, link] of links.entries()) {
      await reviewer.goto(link)
      if (i === 0) await expectAccessible(reviewer, 'rating form')
      await reviewer
        .getByRole('group', { name: /^Vérifiable/ })
        .getByLabel('Non')
        .check()
      await reviewer.getByLabel('Vérifiable – Justification').fill('Aucun jalon mesurable à ce stade.')
      await reviewer.getByRole('button', { name: 'Enregistrer' }).click()
      await reviewer.getByText('Enregistré.').waitFor()
    }
    await reviewer.getByRole('button', { name: 'Envoyer au territoire pour sa réponse' }).click()
    await reviewer.getByText(/Rapport envoyé/).waitFor()

    const agent = await signedIn('agent')
    await agent.goto(`${journey.base}/plans/${planId}/evaluation`)
    await expectAccessible(agent, 'assessment page (territory, right of reply)')
    await agent
      .getByRole('textbox', { name: 'Réponse du territoire' })
      .fill('Nous préciserons les jalons au prochain conseil.')
    await agent.getByRole('button', { name: 'Publier la réponse du territoire' }).click()
    await agent.getByText('Réponse enregistrée.').waitFor()

    await reviewer.reload()
    await reviewer.getByRole('button', { name: 'Publier le rapport' }).click()
    await reviewer.getByText(/Rapport publié/).waitFor()

    const visitor = await (await journey.browser.newContext({ bypassCSP: true })).newPage()
    await visitor.goto(`${journey.base}/plans/${planId}/evaluation`)
    const main = (await visitor.locator('main').textContent()) ?? ''
    assert.match(main, /Nous préciserons les jalons au prochain conseil\./)
    assert.match(main, /Aucun jalon mesurable à ce stade\./)
    await expectAccessible(visitor, 'published report')
    await visitor.goto(`${journey.base}/reseau/evaluations`)
    await expectAccessible(visitor, 'network figures')
  })
})
