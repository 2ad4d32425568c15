import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import type { Browser, Page } from 'playwright-core'
import { buildTestApp, createUser, type TestApp } from '../helpers/app.ts'
import { expectAccessible, launchBrowser, serveForBrowser, signInInBrowser, skip } from '../helpers/browser.ts'

describe('référentiel journey', { skip }, () => {
  let ctx: TestApp
  let browser: Browser
  let base: string
  const people: Record<string, { id: string; email: string; password: string }> = {}

  before(async () => {
    ctx = await buildTestApp('pglite')
    people.contributor = await createUser(ctx.database, { displayName: 'Camille Veille' })
    people.moderator = await createUser(ctx.database, { displayName: 'Morgan Relecture' })
    await ctx.database.db.execute(sql`insert into platform_roles (user_id, role) values (${people.moderator.id}, 'referentiel_moderator')`)
    base = await serveForBrowser(ctx.app)
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await ctx?.close()
  })

  const signedIn = (who: string): Promise<Page> => signInInBrowser(browser, base, people[who]!)

  test('a contributor drafts a method, a moderator publishes it, a visitor finds it by search', async () => {
    const contributor = await signedIn('contributor')
    await contributor.goto(base + '/referentiel')
    await expectAccessible(contributor, 'référentiel search page')
    await contributor.getByRole('link', { name: 'Proposer une fiche' }).first().click()
    await contributor.getByRole('link', { name: 'Outil ou méthode' }).click()
    await expectAccessible(contributor, 'new fiche form')
    await contributor.getByLabel('Titre').fill('Le jury citoyen participatif')
    await contributor.getByLabel('Outil ou méthode').selectOption('method')
    await contributor.getByLabel('Résumé').fill('Quinze habitants tirés au sort rendent un avis argumenté après avoir entendu des experts.')
    await contributor.getByLabel('Processus délibératif et de dialogue').check()
    await contributor.getByLabel('Gouvernance et institutions politiques').check()
    await contributor.getByLabel('Atouts').fill('Un avis éclairé\nUne diversité de profils')
    await contributor.getByRole('button', { name: 'Enregistrer et soumettre à la modération' }).click()
    await contributor.getByText('Proposition soumise').waitFor()
    await expectAccessible(contributor, 'submitted version page')

    const moderator = await signedIn('moderator')
    await moderator.goto(base + '/referentiel/moderation')
    await expectAccessible(moderator, 'moderation queue')
    await moderator.getByRole('link', { name: /Le jury citoyen participatif/ }).click()
    await moderator.getByLabel('Publier').check()
    await moderator.getByRole('button', { name: 'Enregistrer la décision' }).click()
    await moderator.getByText('Version publiée.').waitFor()

    const visitor = await (await browser.newContext({ bypassCSP: true, javaScriptEnabled: false })).newPage()
    await visitor.goto(base + '/')
    await visitor.getByRole('link', { name: 'Référentiel' }).click()
    await visitor.getByRole('searchbox', { name: 'Rechercher dans le référentiel' }).fill('participation deliberatif')
    await visitor.getByRole('search', { name: 'Rechercher dans le référentiel' }).getByRole('button', { name: 'Rechercher' }).click()
    await visitor.getByRole('link', { name: 'Le jury citoyen participatif' }).click()
    const main = (await visitor.locator('main').textContent()) ?? ''
    assert.match(main, /Une diversité de profils/)
    assert.match(main, /Camille Veille/)
    assert.match(main, /Licence Ouverte 2\.0/)
    const checker = await (await browser.newContext({ bypassCSP: true })).newPage()
    await expectAccessible(visitor, 'published fiche', checker)
    await visitor.goto(base + '/referentiel/inventaire')
    await expectAccessible(visitor, 'inventory report', checker)
  })
})
