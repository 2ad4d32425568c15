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
    const [plan] = await queryRows<{ id: string }>(journey.ctx.database.db, sql`select p.id from action_plans p join territories t on t.id = p.territory_id where t.code = 'pays-demo' and p.status = 'published'`)
    planId = plan!.id
    people.reviewer = await createUser(journey.ctx.database, { displayName: 'Rémi Relecteur' })
  })

  const signedIn = (who: string): Promise<Page> => signInInBrowser(journey.browser, journey.base, people[who]!)

  test('the team appoints a reviewer, who assesses the plan; the territory replies; the report is published', async () => {
    const admin = await signedIn('admin')
    await admin.goto(`${journey.base}/plans/${planId}/evaluation/evaluateurs`)
    await expectAccessible(admin, 'appointment page')
    await admin.getByLabel('Adresse du compte').fill(people.reviewer!.email)
    await admin.getByRole('button', { name: 'Nommer' }).click()
    await admin.getByText('Évaluateur nommé.').waitFor()

    const reviewer = await signedIn('reviewer')
    await reviewer.goto(`${journey.base}/plans/${planId}`)
    await reviewer.getByRole('link', { name: 'Évaluation indépendante' }).click()
    await expectAccessible(reviewer, 'assessment page (reviewer, before declaring)')
    await reviewer.getByRole('button', { name: 'Enregistrer ma déclaration' }).click()
    await reviewer.getByRole('button', { name: 'Commencer : Évaluation du plan à son lancement' }).click()
    await reviewer.getByRole('link', { name: 'Appréciation d’ensemble' }).click()
    await expectAccessible(reviewer, 'overview form')
    await reviewer.getByLabel('En partie').check()
    await reviewer.getByLabel('Comment, et sur quoi fondez-vous cette appréciation ?').fill('Deux ateliers ouverts au public.')
    await reviewer.getByRole('button', { name: 'Enregistrer' }).click()
    const links = await reviewer.getByRole('link', { name: /^Évaluer :/ }).evaluateAll((nodes) => nodes.map((n) => (n as HTMLAnchorElement).href))
    assert.equal(links.length, 3)
    for (const [i, link] of links.entries()) {
      await reviewer.goto(link)
      if (i === 0) await expectAccessible(reviewer, 'rating form')
      await reviewer.getByRole('group', { name: /^Vérifiable/ }).getByLabel('Non').check()
      await reviewer.getByLabel('Vérifiable – Justification').fill('Aucun jalon mesurable à ce stade.')
      await reviewer.getByRole('button', { name: 'Enregistrer' }).click()
      await reviewer.getByText('Enregistré.').waitFor()
    }
    await reviewer.getByRole('button', { name: 'Envoyer au territoire pour sa réponse' }).click()
    await reviewer.getByText(/Rapport envoyé/).waitFor()

    const agent = await signedIn('agent')
    await agent.goto(`${journey.base}/plans/${planId}/evaluation`)
    await expectAccessible(agent, 'assessment page (territory, right of reply)')
    await agent.getByRole('textbox', { name: 'Réponse du territoire' }).fill('Nous préciserons les jalons au prochain conseil.')
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
