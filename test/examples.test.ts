import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { readContributionsFile } from '../src/modules/consultations/import.ts'
import { readPlansFile } from '../src/modules/plans/import-formats.ts'
import { readProposalsFile } from '../src/modules/assemblies/proposals.import.ts'
import { readCatalogue } from '../src/modules/referentiel/import-catalogue.ts'
import { readParticipediaCsv } from '../src/modules/referentiel/import-participedia.ts'

// The example files the README points to are accepted as they are: each read without a problem, with rows.
const EXAMPLES = join(import.meta.dirname, '..', 'docs', 'examples')
const file = (name: string) => readFileSync(join(EXAMPLES, name))

test('every example file of docs/examples imports without a problem', () => {
  for (const [name, format, plans, commitments] of [
    ['plan-modele.csv', 'modele', 1, 2],
    ['plan-ogp.csv', 'ogp', 1, 2],
    ['plan-decidim-suivi.csv', 'decidim', 1, 1],
  ] as const) {
    const read = readPlansFile(file(name), format, name)
    assert.deepEqual(read.errors, [], name)
    assert.equal(read.plans.length, plans, name)
    assert.equal(read.plans[0]!.commitments.length, commitments, name)
  }
  const contributions = readContributionsFile(
    file('consultation-decidim-propositions.csv'),
    'p.csv',
    'example-key-example-key-example-key',
  )
  assert.deepEqual(contributions.errors, [])
  assert.equal(contributions.contributions.length, 2)
  const proposals = readProposalsFile(file('assemblee-propositions.csv'), 'a.csv')
  assert.deepEqual(proposals.errors, [])
  assert.equal(proposals.proposals.length, 2)
  const participedia = readParticipediaCsv(file('referentiel-participedia-methodes.csv'), 'm.csv')
  assert.deepEqual(participedia.problems, [])
  assert.equal(participedia.records.length, 1)
  const catalogue = readCatalogue(
    readdirSync(join(EXAMPLES, 'catalogue'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => ({
        name: join(entry.parentPath, entry.name).slice(join(EXAMPLES, 'catalogue').length + 1),
        bytes: readFileSync(join(entry.parentPath, entry.name)),
      })),
  )
  assert.deepEqual(catalogue.problems, [])
  assert.equal(catalogue.records.length, 2)
})
