import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { queryRows } from '../../src/platform/db/index.ts'
import { createUser, linkIn } from '../helpers/app.ts'
import { browserJourney, expectAccessible, signInInBrowser, skip } from '../helpers/browser.ts'

describe('citizens’ assembly journey', { skip }, () => {
  const journey = browserJourney()
  const agentAccount = { email: 'agent@demo.thc.example', password: 'demo-agent-thc' }

  test('on a phone without JavaScript or account, a citizen volunteers; the public sees the transparent draw', async () => {
    const context = await journey.browser.newContext({
      javaScriptEnabled: false,
      locale: 'fr-FR',
      viewport: { width: 390, height: 844 },
    })
    const phone = await context.newPage()
    const checker = await (await journey.browser.newContext({ bypassCSP: true })).newPage()
    await phone.goto(`${journey.base}/territoires/autre/pays-demo`)
    await phone.getByRole('link', { name: 'Assemblées citoyennes' }).click()
    await phone.getByRole('link', { name: 'Assemblée citoyenne des mobilités (démonstration)' }).click()
    await phone.getByRole('link', { name: 'Se porter volontaire' }).click()
    await expectAccessible(phone, 'volunteer form (phone, JS off)', checker)
    await phone.getByLabel('Nom et prénom').fill('Maëlle Volontaire')
    await phone.getByLabel('Adresse e-mail').fill('maelle@example.org')
    await phone.getByRole('button', { name: 'M’inscrire comme volontaire' }).click()
    // no consent, no address, no answers: every problem is listed and linked, nothing is saved
    await phone.getByText('Votre accord est nécessaire pour vous inscrire.').first().waitFor()
    await expectAccessible(phone, 'volunteer form with errors', checker)
    await phone.getByLabel('Adresse postale').fill('12 rue du Moulin, Val-Démo')
    await phone.getByLabel('genre').selectOption('femme')
    await phone.getByLabel('âge').selectOption('18-34')
    await phone.getByLabel('lieu de vie').selectOption('campagne')
    await phone.getByLabel('J’accepte que ces données servent au tirage au sort').check()
    await phone.getByRole('button', { name: 'M’inscrire comme volontaire' }).click()
    await phone.getByText(/Un message vient d’être envoyé à maelle@example\.org/).waitFor()
    await expectAccessible(phone, 'volunteer registered, to confirm', checker)
    const [row] = await queryRows<{ email: string; features: Record<string, string>; confirmed: boolean }>(
      journey.ctx.database.db,
      sql`select email, features, confirmed_at is not null as confirmed from assembly_volunteers where full_name = 'Maëlle Volontaire'`,
    )
    assert.deepEqual(row, {
      email: 'maelle@example.org',
      features: { genre: 'femme', âge: '18-34', 'lieu de vie': 'campagne' },
      confirmed: false,
    })
    // the link of the mail, opened on the phone, confirms the registration
    await journey.ctx.app.jobs.tick()
    const mail = journey.ctx.mails.find((m) => m.to === 'maelle@example.org')
    assert.ok(mail, 'the confirmation mail was sent')
    await phone.goto(journey.base + linkIn(mail))
    await phone.getByText(/Votre inscription est confirmée : vous êtes volontaire n° 1/).waitFor()
    await expectAccessible(phone, 'volunteer confirmed', checker)

    await phone.goto(`${journey.base}/territoires/autre/pays-demo/assemblees`)
    await phone.getByRole('link', { name: 'Assemblée citoyenne de l’alimentation (démonstration)' }).click()
    await phone.getByRole('link', { name: 'Transparence du tirage' }).click()
    await phone.getByText('Vérifié : l’empreinte SHA-256 de cette valeur est celle publiée avant le tirage.').waitFor()
    assert.equal(await phone.locator('svg[role=img]').count(), 1)
    assert.equal(await phone.getByText('Volontaire fictif').count(), 0)
    await expectAccessible(phone, 'transparency page', checker)
  })

  test('organisers seat a member on an account; the member drafts a proposal and votes secretly; the page stays accessible', async () => {
    const [assembly] = await queryRows<{ id: string }>(
      journey.ctx.database.db,
      sql`select id from assemblies where title = 'Assemblée citoyenne de l’alimentation (démonstration)'`,
    )
    const [member] = await queryRows<{ email: string; number: number }>(
      journey.ctx.database.db,
      sql`select v.email, v.number from assembly_members m join assembly_volunteers v on v.id = m.volunteer_id where m.assembly_id = ${assembly!.id} order by v.number limit 1`,
    )
    const person = await createUser(journey.ctx.database, { email: member!.email, displayName: 'Jo Membre du panel' })
    const agent = await signInInBrowser(journey.browser, journey.base, agentAccount)
    await agent.goto(`${journey.base}/assemblees/${assembly!.id}/organisation`)
    await expectAccessible(agent, 'organisation page')
    await agent
      .locator('form', { has: agent.locator(`input[value="${member!.email}"]`) })
      .getByRole('button', { name: 'Lier au compte' })
      .click()
    await agent.getByRole('cell', { name: 'Jo Membre du panel' }).waitFor()
    await agent.getByLabel('Nom du groupe').fill('Manger local')
    await agent.getByLabel('Membres (numéros de volontaire').fill(String(member!.number))
    await Promise.all([
      agent.waitForURL(/organisation#deliberation-title$/),
      agent.getByRole('button', { name: 'Créer un groupe de travail' }).click(),
    ])

    const citizen = await signInInBrowser(journey.browser, journey.base, person, { javaScript: false })
    await citizen.goto(`${journey.base}/assemblees/${assembly!.id}`)
    await citizen.getByLabel(/^Titre/).fill('Une cantine 100 % locale')
    await citizen
      .getByLabel('Texte de la proposition')
      .fill('Servir dans les cantines des produits des fermes du territoire.')
    await citizen.getByRole('button', { name: 'Enregistrer le brouillon' }).click()
    await citizen.getByRole('heading', { name: 'Une cantine 100 % locale' }).waitFor()
    const proposalUrl = citizen.url()

    await agent.goto(proposalUrl)
    await agent.getByRole('button', { name: 'Ouvrir aux amendements' }).click()
    // the assembly's quorum (50 %) is offered; this vote asks 5 % of the panel
    const quorum = agent.getByLabel('Quorum de ce vote (% du panel)')
    assert.equal(await quorum.inputValue(), '50')
    await quorum.fill('5')
    await agent.getByRole('button', { name: 'Ouvrir le vote' }).click()
    await agent.getByRole('button', { name: 'Clore le vote et publier le résultat' }).waitFor()
    await agent.getByText(/^Quorum : 5 % du panel, soit 1 votant sur \d+ membres\.$/).waitFor()

    await citizen.goto(proposalUrl)
    await citizen.getByLabel('Pour').check()
    await citizen.getByRole('button', { name: 'Voter' }).click()
    await citizen.getByText('Vous avez voté.').waitFor()
    const checker = await (await journey.browser.newContext({ bypassCSP: true })).newPage()
    await expectAccessible(citizen, 'proposal page after voting (JS off)', checker)

    await agent.goto(proposalUrl)
    await agent.getByRole('button', { name: 'Clore le vote et publier le résultat' }).click()
    await agent.getByText('Pour : 1 · Contre : 0 · Abstention : 0').waitFor()
    await agent.getByText(/^1 votant sur \d+ membres du panel : quorum de 5 % atteint\.$/).waitFor()
    await agent.getByText('Adoptée par le panel').first().waitFor()

    // the elected official accepts it into the running, published plan; the commitment and the proposal link both ways
    const elected = await signInInBrowser(
      journey.browser,
      journey.base,
      { email: 'elue@demo.thc.example', password: 'demo-elue-thc' },
      { javaScript: false },
    )
    await elected.goto(proposalUrl)
    await elected.getByLabel('Réponse', { exact: true }).selectOption('accepted')
    await elected
      .getByLabel('Réponse motivée (publique)')
      .fill('Le conseil inscrit la cantine locale au plan d’action, avec un budget dès la rentrée.')
    const planChoice = elected.getByLabel('Inscrire comme nouvel engagement dans un plan d’action')
    const published = await planChoice
      .locator('option', { hasText: 'publié : ajout visible dans son historique' })
      .first()
      .getAttribute('value')
    await planChoice.selectOption(published!)
    await elected.getByRole('button', { name: 'Publier la réponse' }).click()
    const link = elected.getByRole('link', { name: /^Suivie dans le plan d’action : Une cantine 100 % locale/ })
    await link.waitFor()
    await expectAccessible(elected, 'answered proposal (JS off)', checker)
    await link.click()
    await elected.getByRole('heading', { name: 'Une cantine 100 % locale', level: 1 }).waitFor()
    await elected
      .getByRole('link', { name: /Une cantine 100 % locale/ })
      .first()
      .waitFor()
    assert.ok(
      await elected
        .locator(`section[aria-labelledby="assemblies-title"] a[href="${new URL(proposalUrl).pathname}"]`)
        .count(),
      'the commitment links back to the proposal',
    )
    await expectAccessible(elected, 'commitment carried by the proposal', checker)
    const [entry] = await queryRows<{ kind: string }>(
      journey.ctx.database.db,
      sql`select h.kind from history_entries h join commitments c on c.id = h.commitment_id where c.title = 'Une cantine 100 % locale'`,
    )
    assert.equal(entry?.kind, 'revision', 'added to the published plan as a visible revision')
  })
})
