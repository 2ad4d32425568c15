import assert from 'node:assert/strict'
import { test } from 'node:test'
import { en } from './en.ts'
import { fr } from './fr.ts'
import { translator } from './index.ts'

test('counts take real plurals in both languages (French counts 0 and 1 as singular), never "(s)"', () => {
  const t = translator('fr')
  assert.equal(t('consult.supports', { count: 0 }), '0 soutien')
  assert.equal(t('consult.supports', { count: 1 }), '1 soutien')
  assert.equal(t('consult.supports', { count: 2 }), '2 soutiens')
  assert.match(t('consult.supports', { count: 1500 }), /^1\s500 soutiens$/)
  assert.equal(
    t('follow.digest.daily.lead', { count: 1 }),
    'Voici la 1 nouveauté d’hier et d’aujourd’hui dans ce que vous suivez :',
  )
  const e = translator('en')
  assert.equal(e('consult.supports', { count: 0 }), '0 supports')
  assert.equal(e('consult.supports', { count: 1 }), '1 support')
  assert.equal(e('event.seatsUnlimited', { registered: 3 }), '3 registered')
  assert.equal(
    t('plans.import.done', { plans: 1, commitments: 2, milestones: 0 }),
    'Import appliqué : 1 plan créé, 2 engagements et 0 jalon créés ou mis à jour.',
  )
  assert.equal(e('consult.import.withdrawn', { count: 1 }), '1 proposal withdrawn by its author is not imported.')
  // no message of either language writes "(s)" or "(e)" for a plural or a gender
  for (const [language, messages] of [
    ['fr', fr],
    ['en', en],
  ] as const) {
    for (const [key, text] of Object.entries(messages))
      assert.doesNotMatch(text, /\((s|e|es|x)\)/, `${language} ${key}`)
  }
})
