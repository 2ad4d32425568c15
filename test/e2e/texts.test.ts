import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { queryRows } from '../../src/platform/db/index.ts'
import { createUser, parisDay } from '../helpers/app.ts'
import { browserJourney, expectAccessible, signInInBrowser, skip } from '../helpers/browser.ts'

describe('co-construction journey, with following', { skip }, () => {
  const journey = browserJourney()
  const people: Record<string, { email: string; password: string }> = {
    agent: { email: 'agent@demo.thc.example', password: 'demo-agent-thc' },
  }

  before(async () => {
    people.citizen = await createUser(journey.ctx.database, { displayName: 'Inès Habitante' })
  })

  const signedIn = (who: string, javaScript = true): Promise<Page> =>
    signInInBrowser(journey.browser, journey.base, people[who]!, { javaScript })

  test('staff publish a draft charter; a citizen follows it, amends an article and votes; the final version shows the fate; the mail’s link unsubscribes', async () => {
    const agent = await signedIn('agent')
    await agent.goto(`${journey.base}/territoires/autre/pays-demo`)
    await agent.getByRole('link', { name: 'Textes en co-construction' }).click()
    await agent.getByRole('link', { name: 'Proposer un texte à la co-construction' }).click()
    await expectAccessible(agent, 'new text form')
    await agent.getByLabel('Titre du texte').fill('Charte de la participation')
    await agent.getByLabel('Ouverture des amendements').fill(parisDay(0))
    await agent.getByLabel('Clôture des amendements').fill(parisDay(14))
    await agent
      .getByLabel('Articles')
      .fill(
        '## Article 1 – Objet\nLa charte organise la participation des habitants.\n\n## Article 2 – Budget\nLe budget participatif est voté par le conseil.',
      )
    await agent.getByRole('button', { name: 'Publier' }).click()
    await agent.getByRole('heading', { name: 'Charte de la participation' }).waitFor()
    const textUrl = agent.url()

    const citizen = await signedIn('citizen', false)
    await citizen.goto(textUrl)
    await citizen.getByLabel('Recevoir').selectOption('immediate')
    await citizen.getByRole('button', { name: 'Suivre' }).click()
    await citizen.getByText('Vous suivez : un courriel à chaque nouveauté.').waitFor()
    await citizen.getByText('Proposer un amendement à cet article : Article 2 – Budget').click()
    const article2 = citizen.locator('section', { has: citizen.getByRole('heading', { name: 'Article 2 – Budget' }) })
    await article2
      .getByLabel('Rédaction proposée pour l’article')
      .fill('Le budget participatif est voté par les habitants.')
    await article2.getByLabel('Exposé des motifs').fill('Les habitants décident de leur budget.')
    await article2.getByRole('button', { name: 'Déposer l’amendement' }).click()
    await citizen.getByText('Votre amendement est déposé.').waitFor()
    await citizen.getByRole('button', { name: /^Voter pour/ }).click()
    await citizen.getByText('1 pour · 0 contre').waitFor()
    assert.equal(await citizen.locator('ins').first().textContent(), 'les habitants')
    const checker = await (await journey.browser.newContext({ bypassCSP: true })).newPage()
    await expectAccessible(citizen, 'text page with an amendment (citizen, JS off)', checker)
    await citizen.goto(`${journey.base}/compte/abonnements`)
    await citizen.getByRole('link', { name: 'Charte de la participation' }).waitFor()
    await expectAccessible(citizen, 'subscriptions page (JS off)', checker)

    // amendments close; the staff publish the final version, rejecting the amendment with a reason
    const [row] = await queryRows<{ id: string }>(
      journey.ctx.database.db,
      sql`select id from cocreated_texts where title = 'Charte de la participation'`,
    )
    await journey.ctx.database.db.execute(
      sql`update cocreated_texts set opens_on = ${parisDay(-20)}, closes_on = ${parisDay(-1)} where id = ${row!.id}`,
    )
    await agent.goto(textUrl)
    await agent.getByRole('link', { name: 'Publier une nouvelle version' }).click()
    await expectAccessible(agent, 'new version form')
    await agent.getByLabel('Sort de l’amendement').selectOption('rejected')
    await agent.getByLabel('Motif (obligatoire en cas de rejet)').fill('Le vote du budget relève du conseil municipal.')
    await agent.getByLabel('Version finale (clôt la co-construction)').check()
    await agent.getByRole('button', { name: 'Publier la version' }).click()
    await agent.getByRole('heading', { name: /Version 2 — Version finale/ }).waitFor()

    await citizen.goto(textUrl)
    assert.match(
      (await citizen.locator('main').textContent()) ?? '',
      /Rejeté dans la version 2 : Le vote du budget relève du conseil municipal\./,
    )
    await citizen.getByRole('link', { name: /Version 2/ }).click()
    await expectAccessible(citizen, 'final version page (JS off)', checker)

    // the final version reached the citizen by mail; its link unsubscribes in one click on the page
    await journey.ctx.app.jobs.tick()
    const mail = journey.ctx.mails.find(
      (m) => m.to === people.citizen!.email && /Version finale du texte/.test(m.subject),
    )
    assert.ok(mail, 'the follower is mailed')
    const link = /http:\/\/localhost:3000(\/abonnements\/desinscription\?jeton=\S+)/.exec(mail.text)![1]!
    await citizen.goto(`${journey.base}${link}`)
    await expectAccessible(citizen, 'unsubscribe page (JS off)', checker)
    await citizen.getByRole('button', { name: 'Me désabonner' }).click()
    await citizen.getByText('C’est fait : vous ne recevrez plus ces courriels.').waitFor()
    const [follows] = await queryRows<{ n: number }>(
      journey.ctx.database.db,
      sql`select count(*)::int as n from follows where subject_id = ${row!.id}`,
    )
    assert.equal(follows!.n, 0)
  })
})
