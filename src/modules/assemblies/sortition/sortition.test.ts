import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { InstanceError, parseInstance, type Instance } from './instance.ts'
import { legacyProbabilities, seededRandom } from './legacy.ts'
import { Infeasible, leximin, TimeLimitReached } from './leximin.ts'
import { Program } from './lp.ts'
import { commitmentOf, drawIndex, lotteryDigest, roundToLottery } from './lottery.ts'
import { computeLottery, computeLotteryInWorker } from './prepare.ts'
import { relaxation } from './relaxation.ts'

const INSTANCES = join(import.meta.dirname, '..', '..', '..', '..', '..', 'shared', 'sortition', 'instances')
const shared = existsSync(INSTANCES) ? false : `the sortition instances are not beside the project (${INSTANCES})`

function readInstance(name: string, panelSize: number): Instance {
  return parseInstance(
    readFileSync(join(INSTANCES, name, 'categories.csv'), 'utf8'),
    readFileSync(join(INSTANCES, name, 'respondents.csv'), 'utf8'),
    panelSize,
  )
}

const meetsQuotas = (instance: Instance, panel: number[]) =>
  panel.length === instance.panelSize &&
  (instance.households ?? []).every((household) => household.filter((i) => panel.includes(i)).length <= 1) &&
  instance.quotas.every((q) => {
    const n = panel.filter((i) => instance.people[i]![q.category] === q.feature).length
    return n >= q.min && n <= q.max
  })

describe('LEXIMIN on the reference instances', { skip: shared }, () => {
  for (const [name, k] of [
    ['example_small_20', 20],
    ['example_large_200', 200],
  ] as const) {
    test(`${name}: every volunteer gets 10.0 % (the paper's reference output)`, async () => {
      const result = await leximin(readInstance(name, k))
      assert.equal(result.probabilities.length, name === 'example_small_20' ? 200 : 2000)
      for (const p of result.probabilities) assert.ok(Math.abs(p - 0.1) < 1e-6, `probability ${p}`)
      assert.ok(Math.abs(result.weights.reduce((a, b) => a + b, 0) - 1) < 1e-9)
    })
  }
})

/** All panels of a small pool (subsets of volunteers meeting the quotas). */
function allPanels(instance: Instance): number[][] {
  const n = instance.people.length
  const panels: number[][] = []
  const pick = (start: number, chosen: number[]) => {
    if (chosen.length === instance.panelSize) {
      if (meetsQuotas(instance, chosen)) panels.push([...chosen])
      return
    }
    for (let i = start; i < n; i++) pick(i + 1, [...chosen, i])
  }
  pick(0, [])
  return panels
}

/**
 * Leximin by brute force, per volunteer over every panel: maximise the smallest probability z; then a volunteer
 * whose own probability cannot exceed z (everyone else keeping theirs) is fixed at z; again until all are fixed.
 */
async function bruteLeximin(instance: Instance): Promise<number[]> {
  const panels = allPanels(instance)
  const n = instance.people.length
  const fixed = new Map<number, number>()
  const members = [...Array(n).keys()].map((i) => panels.flatMap((panel, p) => (panel.includes(i) ? [p] : [])))
  const base = (program: Program, z: number | null) => {
    for (let i = 0; i < n; i++) {
      const terms = members[i]!.map((p) => [`p${p}`, 1] as [string, number])
      if (fixed.has(i)) program.constraint(`f${i}`, terms, '>=', fixed.get(i)! - 1e-11)
      else if (z === null) program.constraint(`u${i}`, [...terms, ['z', -1]], '>=', 0)
      else program.constraint(`u${i}`, terms, '>=', z - 1e-11)
    }
    program.constraint(
      'sum',
      panels.map((_, p) => [`p${p}`, 1]),
      '=',
      1,
    )
    return program
  }
  while (fixed.size < n) {
    const stage = base(new Program().maximize([['z', 1]]), null)
    stage.bound('z', null, null)
    const z = (await stage.solve()).objective
    let fixedNow = 0
    for (let i = 0; i < n; i++) {
      if (fixed.has(i)) continue
      const best = (await base(new Program().maximize(members[i]!.map((p) => [`p${p}`, 1])), z).solve()).objective
      if (best <= z + 1e-9) {
        fixed.set(i, z)
        fixedNow++
      }
    }
    assert.ok(fixedNow > 0, 'each stage fixes someone')
  }
  return [...Array(n).keys()].map((i) => fixed.get(i)!)
}

function randomInstance(random: () => number): Instance {
  const n = 7 + Math.floor(random() * 9) // 7–15
  const panelSize = 2 + Math.floor(random() * (n <= 12 ? 3 : 2)) // 2–4, or 2–3 in the largest pools (all panels enumerable)
  const categories = ['gender', 'age', 'area'].slice(0, 2 + Math.floor(random() * 2))
  const featuresOf = { gender: ['f', 'm'], age: ['young', 'middle', 'old'], area: ['urban', 'rural'] } as Record<
    string,
    string[]
  >
  const people = [...Array(n)].map(() =>
    Object.fromEntries(categories.map((c) => [c, featuresOf[c]![Math.floor(random() * featuresOf[c]!.length)]!])),
  )
  const quotas = categories.flatMap((c) =>
    featuresOf[c]!.map((feature) => {
      const share = people.filter((p) => p[c] === feature).length / n
      const centre = share * panelSize
      return {
        category: c,
        feature,
        min: Math.max(0, Math.floor(centre - random() * 1.5)),
        max: Math.min(panelSize, Math.ceil(centre + random() * 1.5)),
      }
    }),
  )
  return { panelSize, categories, quotas, people }
}

describe('LEXIMIN against brute force', () => {
  test('on 200 random small pools (7–15 volunteers, every panel enumerable), probabilities equal the brute-force leximin to 1e-9', async () => {
    const random = seededRandom(2021)
    let compared = 0
    let infeasible = 0
    for (let run = 0; run < 200; run++) {
      const instance = randomInstance(random)
      if (allPanels(instance).length === 0) {
        infeasible++
        await assert.rejects(leximin(instance), Infeasible)
        assert.ok((await relaxation(instance)).length > 0)
        continue
      }
      const [fast, brute] = await Promise.all([leximin(instance), bruteLeximin(instance)])
      fast.probabilities.forEach((p, i) => {
        assert.ok(Math.abs(p - brute[i]!) < 1e-9, `run ${run}, volunteer ${i}: ${p} vs ${brute[i]}`)
      })
      // column generation, the route taken when the relaxation's leximin is no lottery of panels, checked alone too
      if (run % 3 === 0) {
        const columns = await leximin(instance, { onlyColumnGeneration: true })
        assert.equal(columns.method, 'column generation')
        columns.probabilities.forEach((p, i) => {
          assert.ok(
            Math.abs(p - brute[i]!) < 1e-9,
            `run ${run} (column generation), volunteer ${i}: ${p} vs ${brute[i]}`,
          )
        })
      }
      compared++
    }
    assert.ok(compared > 150, `${compared} feasible instances compared (${infeasible} infeasible)`)
  })

  // three categories whose quotas take one person of each feature: the four first volunteers pair up only in
  // fractions (each with each half of the time), while (0, 4) is the only real panel
  const parity: Instance = {
    panelSize: 2,
    categories: ['gender', 'age', 'area'],
    quotas: ['gender:f', 'gender:m', 'age:young', 'age:old', 'area:urban', 'area:rural'].map((q) => ({
      category: q.split(':')[0]!,
      feature: q.split(':')[1]!,
      min: 1,
      max: 1,
    })),
    people: [
      { gender: 'f', age: 'young', area: 'urban' },
      { gender: 'f', age: 'old', area: 'rural' },
      { gender: 'm', age: 'young', area: 'rural' },
      { gender: 'm', age: 'old', area: 'urban' },
      { gender: 'm', age: 'old', area: 'rural' },
    ],
  }

  test('when the relaxation promises more than real panels give, column generation finds the true LEXIMIN', async () => {
    const result = await leximin(parity)
    assert.equal(result.method, 'column generation')
    assert.deepEqual(
      result.probabilities.map((p) => Math.round(p * 1e9) / 1e9),
      [1, 0, 0, 0, 1],
    )
    assert.deepEqual(await bruteLeximin(parity), [1, 0, 0, 0, 1])
    // without the fifth volunteer no panel exists, though fractions of panels do
    await assert.rejects(leximin({ ...parity, people: parity.people.slice(0, 4) }), Infeasible)
  })

  test('on a pool of 400 in 4 categories, the relaxation route and column generation alone give the same probabilities', async () => {
    const random = seededRandom(7)
    const featuresOf: Record<string, string[]> = {
      gender: ['f', 'm'],
      age: ['18-29', '30-44', '45-64', '65+'],
      area: ['urban', 'suburban', 'rural'],
      education: ['none', 'secondary', 'higher'],
    }
    const categories = Object.keys(featuresOf)
    // skewed pools, as self-selection makes them: the first features are more frequent
    const people = [...Array(400)].map(() =>
      Object.fromEntries(
        categories.map((c) => [c, featuresOf[c]![Math.floor(random() ** 1.6 * featuresOf[c]!.length)]!]),
      ),
    )
    const quotas = categories.flatMap((c) =>
      featuresOf[c]!.map((feature) => {
        const centre = (30 * 1) / featuresOf[c]!.length
        return { category: c, feature, min: Math.max(0, Math.floor(centre) - 2), max: Math.ceil(centre) + 2 }
      }),
    )
    const instance: Instance = { panelSize: 30, categories, quotas, people }
    const [fast, columns] = [await leximin(instance), await leximin(instance, { onlyColumnGeneration: true })]
    assert.equal(fast.method, 'relaxation')
    assert.equal(columns.method, 'column generation')
    fast.probabilities.forEach((p, i) => {
      assert.ok(Math.abs(p - columns.probabilities[i]!) < 1e-7, `volunteer ${i}: ${p} vs ${columns.probabilities[i]}`)
    })
    assert.ok(new Set(fast.probabilities.map((p) => p.toFixed(6))).size > 3, 'several levels of probability')
  })
})

describe('households (at most one person per address)', () => {
  test('on 60 random small pools with shared addresses, LEXIMIN equals the brute force over panels with one person per household, and LEGACY never seats two housemates', async () => {
    const random = seededRandom(1789)
    let compared = 0
    for (let run = 0; run < 60; run++) {
      const instance = randomInstance(random)
      const n = instance.people.length
      // two or three households of 2–3 people
      const order = [...Array(n).keys()].sort(() => random() - 0.5)
      const households: number[][] = []
      for (let h = 0, at = 0; h < 2 + Math.floor(random() * 2); h++) {
        const size = 2 + Math.floor(random() * 2)
        households.push(order.slice(at, at + size))
        at += size
      }
      instance.households = households
      if (allPanels(instance).length === 0) {
        await assert.rejects(leximin(instance), Infeasible)
        continue
      }
      const [fast, brute] = await Promise.all([leximin(instance), bruteLeximin(instance)])
      fast.probabilities.forEach((p, i) => {
        assert.ok(Math.abs(p - brute[i]!) < 1e-9, `run ${run}, volunteer ${i}: ${p} vs ${brute[i]}`)
      })
      for (const household of households)
        assert.ok(household.reduce((sum, i) => sum + fast.probabilities[i]!, 0) <= 1 + 1e-9)
      const lottery = await roundToLottery(fast, fast.types, 100)
      for (const panel of lottery.panels)
        assert.ok(meetsQuotas(instance, panel), `run ${run}: a listed panel breaks a quota or a household`)
      const legacy = legacyProbabilities(instance, 50, run)
      for (const household of households)
        assert.ok(household.reduce((sum, i) => sum + legacy.probabilities[i]!, 0) <= 1 + 1e-9)
      compared++
    }
    assert.ok(compared > 30, `${compared} feasible instances compared`)
  })
})

describe('infeasible quotas', () => {
  test('the smallest relaxation is named, quota by quota', async () => {
    const people = [...Array(10)].map((_, i) => ({ gender: i < 3 ? 'f' : 'm' }))
    const instance: Instance = {
      panelSize: 6,
      categories: ['gender'],
      people,
      quotas: [
        { category: 'gender', feature: 'f', min: 3, max: 6 },
        { category: 'gender', feature: 'm', min: 5, max: 6 },
      ],
    }
    // 3 women at most (all of them) and 5 men at least make 8 > 6: at least two people of relaxation
    await assert.rejects(leximin(instance), Infeasible)
    const changes = await relaxation(instance)
    const total = changes.reduce((sum, c) => sum + (c.min - c.newMin) + (c.newMax - c.max), 0)
    assert.equal(total, 2)
    const relaxed = {
      ...instance,
      quotas: instance.quotas.map((q) => {
        const c = changes.find((x) => x.category === q.category && x.feature === q.feature)
        return c ? { ...q, min: c.newMin, max: c.newMax } : q
      }),
    }
    assert.equal((await relaxation(relaxed)).length, 0)
    const result = await leximin(relaxed)
    assert.ok(Math.abs(result.probabilities.reduce((a, b) => a + b, 0) - 6) < 1e-9)
  })

  test('bad files are refused with their line and reason', () => {
    assert.throws(
      () => parseInstance('category,feature,min,max\ngender,f,3,2\n', 'gender\nf\n', 1),
      (e: Error) => e instanceof InstanceError && /line 2: min \(3\) is above max \(2\)/.test(e.message),
    )
    assert.throws(
      () => parseInstance('category,feature,min,max\ngender,f,0,2\n', 'gender\nx\n', 1),
      /respondents.csv line 2: "x" is not a feature of gender/,
    )
    assert.throws(() => parseInstance('category,feature,min,max\ngender,f,0,2\n', 'age\n30\n', 1), /no column "gender"/)
  })
})

describe('transparent lottery', { skip: shared }, () => {
  test('1,000 panels meeting the quotas, whose marginals stay within the reported bound, drawn reproducibly', async () => {
    const instance = readInstance('example_small_20', 20)
    const result = await leximin(instance)
    const lottery = await roundToLottery(result, result.types, 1000)
    assert.equal(lottery.panels.length, 1000)
    for (const panel of lottery.panels) assert.ok(meetsQuotas(instance, panel))
    const counts = instance.people.map(() => 0)
    for (const panel of lottery.panels) for (const i of panel) counts[i]!++
    const deviation = Math.max(...counts.map((c, i) => Math.abs(c / 1000 - result.probabilities[i]!)))
    assert.ok(Math.abs(deviation - lottery.maxDeviation) < 1e-12)
    assert.ok(lottery.maxDeviation <= 0.002, `max deviation ${lottery.maxDeviation}`)
    assert.equal(lottery.digest, lotteryDigest(lottery.panels))
    const secret = 'graine publiée après le tirage 7f3a'
    const index = drawIndex(lottery.digest, secret, 1000)
    assert.equal(index, drawIndex(lottery.digest, secret, 1000))
    assert.ok(index >= 0 && index < 1000)
    assert.equal(commitmentOf(secret), commitmentOf(secret))
  })

  test('LEGACY, estimated by simulation, leaves some volunteers below the LEXIMIN minimum', {
    skip: shared,
  }, async () => {
    const instance = readInstance('example_small_20', 20)
    const legacy = legacyProbabilities(instance, 2000, 7)
    assert.equal(legacy.failures, 0)
    assert.ok(Math.abs(legacy.probabilities.reduce((a, b) => a + b, 0) - 20) < 1e-9)
  })
})

describe('the draw computed in a worker thread (the server keeps answering meanwhile)', () => {
  test('gives the same lottery as in the calling thread, and reports infeasible quotas and the time limit as such', async () => {
    const random = seededRandom(99)
    let instance = randomInstance(random)
    while (allPanels(instance).length < 5) instance = randomInstance(random)
    const options = { panelCount: 100, legacyRuns: 200, timeLimitSeconds: 60 }
    const [inWorker, here] = [await computeLotteryInWorker(instance, options), await computeLottery(instance, options)]
    // the same but for the running time
    assert.deepEqual(
      { ...inWorker, leximin: { ...inWorker.leximin, seconds: 0 } },
      { ...here, leximin: { ...here.leximin, seconds: 0 } },
    )
    assert.equal(inWorker.lottery.panels.length, 100)
    for (const panel of inWorker.lottery.panels) assert.ok(meetsQuotas(instance, panel))
    const noPanel: Instance = {
      ...instance,
      quotas: instance.quotas.map((q) => ({ ...q, min: instance.panelSize, max: instance.panelSize })),
    }
    await assert.rejects(computeLotteryInWorker(noPanel, options), Infeasible)
    await assert.rejects(computeLotteryInWorker(instance, { ...options, timeLimitSeconds: 0 }), TimeLimitReached)
  })
})
