import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { after, before } from 'node:test'
import { chromium, type Browser, type Page } from 'playwright-core'
import { seedDemo } from '../../src/demo/seed.ts'
import { buildTestApp, type TestApp } from './app.ts'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const skip = existsSync(CHROMIUM)
  ? false
  : `Browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`
const AXE_SOURCE = existsSync(CHROMIUM)
  ? readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
  : ''

interface AxeViolation {
  id: string
  help: string
  nodes: { target: string[] }[]
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page; fails with the list of violations. A page
 * without JavaScript cannot run axe itself: its HTML is checked in a scripting page on the same origin.
 */
export async function expectAccessible(page: Page, label: string, checker?: Page) {
  let target = page
  if (checker) {
    const html = await page.content()
    await checker.goto(new URL('/healthz', page.url()).toString())
    await checker.setContent(html, { waitUntil: 'load' })
    target = checker
  }
  await target.addScriptTag({ content: AXE_SOURCE })
  const violations = await target.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }
    ).axe
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    })
    return result.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }))
  })
  assert.deepEqual(violations, [], `${label}: ${JSON.stringify(violations, null, 2)}`)
}

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** A new browser context signed in through the real sign-in form; returns its page on /compte. */
export async function signInInBrowser(
  browser: Browser,
  base: string,
  who: { email: string; password: string },
  options: { javaScript?: boolean } = {},
): Promise<Page> {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScript ?? true,
    bypassCSP: true,
    locale: 'fr-FR',
  })
  const page = await context.newPage()
  await page.goto(`${base}/connexion`)
  await page.getByLabel('Adresse électronique').fill(who.email)
  await page.getByLabel('Mot de passe').fill(who.password)
  await page.getByRole('button', { name: 'Se connecter' }).click()
  await page.waitForURL(/\/compte$/)
  return page
}

/** Serves a test app on a free loopback port; returns its base URL. */
export async function serveForBrowser(app: {
  listen(o: { port: number; host: string }): Promise<string>
}): Promise<string> {
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  return address.replace('localhost', '127.0.0.1')
}

export interface Journey {
  ctx: TestApp
  browser: Browser
  /** the served app's origin, e.g. http://127.0.0.1:40123 */
  base: string
}

/**
 * The hooks every browser journey needs, registered in the calling `describe`: a test app on PGlite (with the demo
 * data unless `demo` is false) served on a free loopback port, and Chromium; both closed after the suite. The fields
 * are set before the suite's own `before` hooks run, so that those can add people and data.
 */
export function browserJourney(options: { demo?: boolean } = {}): Journey {
  const journey = {} as Journey
  before(async () => {
    journey.ctx = await buildTestApp('pglite')
    if (options.demo !== false) await seedDemo(journey.ctx.database.db)
    journey.base = await serveForBrowser(journey.ctx.app)
    journey.browser = await launchBrowser()
  })
  after(async () => {
    await journey.browser?.close()
    await journey.ctx?.close()
  })
  return journey
}
