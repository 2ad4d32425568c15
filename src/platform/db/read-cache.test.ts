import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { DataChangeWatch } from './index.ts'
import { ReadCache } from './read-cache.ts'

function watchOf(state: { watching: boolean; syncs: number }): DataChangeWatch {
  return {
    watching: () => state.watching,
    sync: async () => {
      state.syncs += 1
    },
    stop: async () => {},
  }
}

test('a read is kept until the next write or its maximum age, shared while under way, and frozen', async () => {
  let now = 0
  const state = { watching: true, syncs: 0 }
  const cache = new ReadCache({ maxEntries: 2, maxAgeMs: 1000, now: () => now })
  let loads = 0
  const load = async () => {
    loads += 1
    await new Promise((resolve) => setImmediate(resolve))
    return { roles: [{ role: 'editor' }], at: new Date(0) }
  }
  // not watching yet: every read is made
  await cache.read('a', load)
  await cache.read('a', load)
  assert.equal(loads, 2)

  cache.watchWith(watchOf(state))
  const together = await Promise.all([cache.read('a', load), cache.read('a', load), cache.read('a', load)])
  assert.equal(loads, 3, 'one read for requests asking together')
  assert.equal(together[1], together[0])
  assert.equal((await cache.read('a', load)).roles[0]!.role, 'editor')
  assert.equal(loads, 3, 'kept')
  assert.ok(state.syncs >= 4, 'each read waits for the notices of earlier writes')
  assert.throws(() => {
    ;(together[0].roles as { role: string }[]).push({ role: 'moderator' })
  }, TypeError)

  cache.invalidate()
  await cache.read('a', load)
  assert.equal(loads, 4, 'read again after a write')

  // a write while a read is under way: that value is not kept
  let started = () => {}
  const loading = new Promise<void>((resolve) => {
    started = resolve
  })
  const during = cache.read('b', async () => {
    started()
    return load()
  })
  await loading
  cache.invalidate()
  await during
  await cache.read('b', load)
  assert.equal(loads, 6)

  now = 1001
  await cache.read('a', load)
  assert.equal(loads, 7, 'too old')

  await cache.read('c', load)
  await cache.read('d', load)
  assert.equal(cache.size, 2, 'the least recently used go first')

  state.watching = false // the notices cannot arrive: nothing is trusted from memory
  const before = loads
  await cache.read('d', load)
  assert.equal(loads, before + 1)
})

test('values holding bytes, maps and dates are kept', async () => {
  const cache = new ReadCache({ maxEntries: 10, maxAgeMs: 1000 })
  cache.watchWith(watchOf({ watching: true, syncs: 0 }))
  const value = await cache.read('a', async () => ({
    bytes: Buffer.from('abc'),
    byId: new Map([['x', { n: 1 }]]),
    at: new Date(0),
  }))
  assert.equal(value.bytes.toString(), 'abc')
  assert.ok(Object.isFrozen(value.byId.get('x')))
  const again = await cache.read('a', async () => ({ bytes: Buffer.from(''), byId: new Map(), at: new Date(1) }))
  assert.equal(again.at.getTime(), 0, 'the kept value')
})

test('a failed read is not kept and does not hold the next one', async () => {
  const cache = new ReadCache({ maxEntries: 10, maxAgeMs: 1000 })
  cache.watchWith(watchOf({ watching: true, syncs: 0 }))
  await assert.rejects(
    cache.read('a', async () => {
      throw new Error('database down')
    }),
    /database down/,
  )
  assert.equal(await cache.read('a', async () => 42), 42)
})

test('a read naming its tables is kept across writes to other tables, dropped by a write to one of them', async () => {
  let now = 0
  const cache = new ReadCache({ maxEntries: 10, maxAgeMs: 1000, now: () => now })
  cache.watchWith(watchOf({ watching: true, syncs: 0 }))
  let loads = 0
  let whileLoading = () => {}
  const registry = () =>
    cache.read(
      'territories:index',
      async () => {
        loads += 1
        const version = loads
        whileLoading()
        whileLoading = () => {}
        return { version }
      },
      { tables: ['territories', 'territory_parents'], maxAgeMs: 60_000 },
    )
  let pageLoads = 0
  const page = () =>
    cache.read('plans:dashboard x', async () => {
      pageLoads += 1
      return pageLoads
    })

  assert.equal((await registry()).version, 1)
  await page()
  cache.invalidate('milestones')
  assert.equal((await registry()).version, 1, 'kept: another table was written')
  await page()
  assert.equal(pageLoads, 2, 'a read naming no table is dropped by any write')

  cache.invalidate('territory_parents')
  assert.equal((await registry()).version, 2, 'one of its tables was written')

  // a write to one of its tables while it is read: that value is not kept
  cache.invalidate('territories')
  whileLoading = () => cache.invalidate('territories')
  assert.equal((await registry()).version, 3)
  assert.equal((await registry()).version, 4)

  // a write to another table while it is read does not stop it from being kept
  cache.invalidate('territories')
  whileLoading = () => cache.invalidate('comments')
  assert.equal((await registry()).version, 5)
  assert.equal((await registry()).version, 5)

  now = 30_000
  assert.equal((await registry()).version, 5, 'its own maximum age, longer than the cache default')
  now = 61_000
  assert.equal((await registry()).version, 6)

  cache.invalidate(null)
  assert.equal((await registry()).version, 7, 'a change of unknown tables drops everything')
})

test('a value its reader does not want kept (a miss) is read again each time', async () => {
  const cache = new ReadCache({ maxEntries: 10, maxAgeMs: 1000 })
  cache.watchWith(watchOf({ watching: true, syncs: 0 }))
  let loads = 0
  const find = (key: string, found: boolean) =>
    cache.read(
      key,
      async () => {
        loads += 1
        return found ? { id: key } : undefined
      },
      { keepIf: (value) => value !== undefined },
    )
  for (let i = 0; i < 5; i++) assert.equal(await find(`unknown ${i}`, false), undefined)
  assert.equal(cache.size, 0, 'no entry for a miss')
  await find('known', true)
  await find('known', true)
  assert.equal(loads, 6)
  assert.equal(cache.size, 1)
})
