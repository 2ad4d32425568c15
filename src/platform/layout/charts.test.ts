import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ticks } from './charts.tsx'

test('chart ticks are round steps from 0 that cover the largest value', () => {
  assert.deepEqual(ticks(1), [0, 0.2, 0.4, 0.6, 0.8, 1])
  assert.deepEqual(ticks(0.23), [0, 0.05, 0.1, 0.15, 0.2, 0.25])
  assert.deepEqual(ticks(870), [0, 200, 400, 600, 800, 1000])
  assert.deepEqual(ticks(0.003, 4), [0, 0.001, 0.002, 0.003])
  assert.deepEqual(ticks(0), [0])
})

test('counts get whole ticks only', () => {
  assert.deepEqual(ticks(1, 4, true), [0, 1])
  assert.deepEqual(ticks(3, 4, true), [0, 1, 2, 3])
  assert.deepEqual(ticks(37, 4, true), [0, 10, 20, 30, 40])
})
