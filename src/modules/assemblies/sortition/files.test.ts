import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { InstanceError, parseInstance, parseInstanceFiles } from './instance.ts'
import { legacyProbabilities, upperConfidenceBound } from './legacy.ts'

const ROOT = join(import.meta.dirname, '..', '..', '..', '..')
const CATEGORIES = 'category,feature,min,max\nâge,18-34,1,2\nâge,35+,1,2\nrégion,Orléans,1,2\nrégion,Tours,1,2\n'
const RESPONDENTS =
  'id,âge,région,adresse\n1,18-34,Orléans,1 rue A\n2,35+,Tours,2 rue B\n3,18-34,Tours,2 Rue  B\n4,35+,Orléans,4 rue D\n5,18-34,Orléans,\n'
const latin1 = (text: string) => Buffer.from(text, 'latin1')
const cli = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
  })

test('sortition files: Latin-1 read with a warning, decomposed accents matched, ; and CRLF, a household column', () => {
  const reference = parseInstance(CATEGORIES, RESPONDENTS, 3)
  const excel = parseInstanceFiles(
    latin1(CATEGORIES),
    latin1(RESPONDENTS.replaceAll(',', ';').replaceAll('\n', '\r\n')),
    3,
  )
  assert.deepEqual(excel.instance, reference)
  assert.equal(excel.warnings.length, 2)
  assert.match(excel.warnings[0]!, /categories\.csv was not UTF-8: it was read as Windows-1252/)
  const mac = parseInstance(CATEGORIES, RESPONDENTS.normalize('NFD'), 3)
  assert.deepEqual(mac, reference, 'accents written decomposed match the categories')
  const households = parseInstance(CATEGORIES, RESPONDENTS, 3, { householdColumn: 'adresse' })
  assert.deepEqual(
    households.households,
    [[1, 2]],
    '"2 rue B" and "2 Rue  B" are one household; an empty address is none',
  )
  assert.throws(
    () => parseInstance(CATEGORIES, RESPONDENTS, 3, { householdColumn: 'foyer' }),
    /no column "foyer" for the households/,
  )
})

test('a column named twice is refused, whichever would have counted', () => {
  const twice = 'gender,age,gender\nfemale,30,male\n'
  assert.throws(
    () => parseInstance('category,feature,min,max\ngender,female,0,1\ngender,male,0,1\n', twice, 1),
    (error: unknown) =>
      error instanceof InstanceError &&
      /respondents\.csv: column “gender” appears twice in the header \(columns 1 and 3\)/.test(error.message),
  )
  assert.throws(
    () => parseInstance('category,feature,min,max\nâge,18,0,1\n', 'âge\n"18\n', 1),
    /respondents\.csv, line 2: a field opened with a quote is never closed/,
  )
})

test('LEGACY reports the 99 % upper confidence bound of its minimum beside the sample minimum', () => {
  // no success in n draws: the bound is 1 − 0.01^(1/n)
  assert.ok(Math.abs(upperConfidenceBound(0, 10_000) - (1 - 0.01 ** (1 / 10_000))) < 1e-9)
  // the bound p makes k or fewer successes a 1 % event (Clopper–Pearson)
  for (const [k, n] of [
    [3, 100],
    [40, 1000],
    [0, 5],
  ] as const) {
    const p = upperConfidenceBound(k, n)
    let cdf = 0
    for (let i = 0; i <= k; i++) {
      let logChoose = 0
      for (let j = 0; j < i; j++) logChoose += Math.log(n - j) - Math.log(j + 1)
      cdf += Math.exp(logChoose + i * Math.log(p) + (n - i) * Math.log(1 - p))
    }
    assert.ok(Math.abs(cdf - 0.01) < 1e-6, `k=${k} n=${n}: P(X ≤ k) = ${cdf}`)
    assert.ok(p > k / n)
  }
  const result = legacyProbabilities(parseInstance(CATEGORIES, RESPONDENTS, 3), 200)
  assert.ok(result.minimumUpperBound >= Math.min(...result.probabilities))
})

test('the sortition command: LEGACY on quotas no panel meets exits 1 with the relaxation; --household; warnings on stderr', () => {
  const folder = mkdtempSync(join(tmpdir(), 'thc-sortition-files-'))
  try {
    writeFileSync(join(folder, 'respondents.csv'), RESPONDENTS)
    writeFileSync(join(folder, 'categories.csv'), 'category,feature,min,max\nâge,18-34,4,4\nâge,35+,0,3\n')
    const impossible = cli(['sortition', folder, '--panel-size', '4', '--algorithm', 'legacy', '--runs', '50'])
    assert.equal(impossible.status, 1)
    assert.match(
      impossible.stderr,
      /no panel meets the quotas; the smallest relaxation:\n {2}âge\/18-34: 4–4 → 3–4/,
      'four young people are needed, the pool has three',
    )
    writeFileSync(join(folder, 'categories.csv'), latin1(CATEGORIES))
    const ok = cli([
      'sortition',
      folder,
      '--panel-size',
      '2',
      '--algorithm',
      'legacy',
      '--runs',
      '200',
      '--household',
      'adresse',
    ])
    assert.equal(ok.status, 0, ok.stderr)
    assert.match(ok.stderr, /Warning: categories\.csv was not UTF-8/)
    const json = JSON.parse(ok.stdout)
    assert.equal(json.households, 1)
    assert.ok(json.minimumUpperBound99 >= json.minimum)
    const leximin = JSON.parse(cli(['sortition', folder, '--panel-size', '2', '--household', 'adresse']).stdout)
    assert.equal(leximin.households, 1)
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
})
