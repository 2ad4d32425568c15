import assert from 'node:assert/strict'
import { before, describe, test } from 'node:test'
import type { Page } from 'playwright-core'
import { createUser, grantTestRole } from '../helpers/app.ts'
import { browserJourney, expectAccessible, signInInBrowser, skip } from '../helpers/browser.ts'

describe('membership journey', { skip }, () => {
  const journey = browserJourney({ demo: false })
  const people: Record<string, { id: string; email: string; password: string }> = {}

  before(async () => {
    people.elected = await createUser(journey.ctx.database)
    await grantTestRole(journey.ctx.database, people.elected.id, { kind: 'commune', code: '35238' }, 'elected')
    people.admin = await createUser(journey.ctx.database, { admin: true })
  })

  const signedIn = (who: string): Promise<Page> => signInInBrowser(journey.browser, journey.base, people[who]!)

  test('an elected official asks to join, the team accepts, the territory shows among the members', async () => {
    const elected = await signedIn('elected')
    await elected.goto(`${journey.base}/territoires/commune/35238`)
    await elected.getByRole('link', { name: 'Rejoindre le réseau' }).click()
    await expectAccessible(elected, 'membership request form')
    await elected.getByLabel('Personne à contacter').fill('Claire Dupont')
    await elected.getByLabel('Son adresse électronique (non publiée)').fill('claire@example.org')
    await elected
      .getByLabel('Engagement politique de l’exécutif (publié)')
      .fill('Nous nous engageons à ouvrir l’action publique.')
    await elected.getByLabel('Signataire (nom et qualité, publié)').fill('Maire de Rennes')
    await elected.getByRole('button', { name: 'Envoyer la demande' }).click()
    await elected.getByText('La demande d’adhésion est envoyée').waitFor()

    const admin = await signedIn('admin')
    await admin.goto(`${journey.base}/admin/adhesions`)
    await expectAccessible(admin, 'memberships back office')
    await admin.getByLabel('Début de la convention').fill('2026-01-01')
    await admin.getByRole('button', { name: 'Enregistrer' }).click()
    await admin.getByText('La décision est enregistrée.').waitFor()
    await admin.goto(`${journey.base}/admin/adhesions/grille`)
    await expectAccessible(admin, 'contribution grid')

    const visitor = await (await journey.browser.newContext({ bypassCSP: true })).newPage()
    await visitor.goto(`${journey.base}/`)
    await visitor.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Le réseau' }).click()
    await visitor.getByRole('link', { name: 'Membres' }).click()
    assert.match(
      (await visitor.locator('main').textContent()) ?? '',
      /Nous nous engageons à ouvrir l’action publique\./,
    )
    await expectAccessible(visitor, 'members list')
  })
})
