import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { buildTestApp, createUser, grantTestRole, type TestApp } from '../helpers/app.ts'
import { expectAccessible, launchBrowser, serveForBrowser, signInInBrowser, skip } from '../helpers/browser.ts'

describe('membership journey', { skip }, () => {
  let ctx: TestApp
  let browser: Browser
  let base: string
  const people: Record<string, { id: string; email: string; password: string }> = {}

  before(async () => {
    ctx = await buildTestApp('pglite')
    people.elected = await createUser(ctx.database)
    await grantTestRole(ctx.database, people.elected.id, { kind: 'commune', code: '35238' }, 'elected')
    people.admin = await createUser(ctx.database, { admin: true })
    base = await serveForBrowser(ctx.app)
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await ctx?.close()
  })

  const signedIn = (who: string): Promise<Page> => signInInBrowser(browser, base, people[who]!)

  test('an elected official asks to join, the team accepts, the territory shows among the members', async () => {
    const elected = await signedIn('elected')
    await elected.goto(base + '/territoires/commune/35238')
    await elected.getByRole('link', { name: 'Rejoindre le réseau' }).click()
    await expectAccessible(elected, 'membership request form')
    await elected.getByLabel('Personne à contacter').fill('Claire Dupont')
    await elected.getByLabel('Son adresse électronique (non publiée)').fill('claire@example.org')
    await elected.getByLabel('Engagement politique de l’exécutif (publié)').fill('Nous nous engageons à ouvrir l’action publique.')
    await elected.getByLabel('Signataire (nom et qualité, publié)').fill('Maire de Rennes')
    await elected.getByRole('button', { name: 'Envoyer la demande' }).click()
    await elected.getByText('La demande d’adhésion est envoyée').waitFor()

    const admin = await signedIn('admin')
    await admin.goto(base + '/admin/adhesions')
    await expectAccessible(admin, 'memberships back office')
    await admin.getByLabel('Début de la convention (AAAA-MM-JJ)').fill('2026-01-01')
    await admin.getByRole('button', { name: 'Enregistrer' }).click()
    await admin.getByText('La décision est enregistrée.').waitFor()
    await admin.goto(base + '/admin/adhesions/grille')
    await expectAccessible(admin, 'contribution grid')

    const visitor = await (await browser.newContext({ bypassCSP: true })).newPage()
    await visitor.goto(base + '/')
    await visitor.getByRole('link', { name: 'Membres' }).click()
    assert.match((await visitor.locator('main').textContent()) ?? '', /Nous nous engageons à ouvrir l’action publique\./)
    await expectAccessible(visitor, 'members list')
  })
})
