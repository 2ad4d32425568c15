import assert from 'node:assert/strict'
import { test } from 'node:test'
import { dateRule, normalizeDay, normalizeDays } from './rules.ts'

test('a day is read as people type it, day first, and refused when it is not a real day', () => {
  const rule = dateRule('plans.error.date')
  for (const [typed, day] of [
    ['2027-01-31', '2027-01-31'],
    [' 31/01/2027 ', '2027-01-31'],
    ['1/2/2027', '2027-02-01'],
    ['01-02-2027', '2027-02-01'],
    ['01.02.2027', '2027-02-01'],
    ['29/02/2028', '2028-02-29'],
    ['01/02/27', '2027-02-01'],
  ] as const) {
    assert.deepEqual(rule(typed, {}), { value: day }, typed)
  }
  for (const typed of [
    '31/02/2027',
    '2027-02-30',
    '13/13/2027',
    '1/1/2027/1',
    '01/01/227',
    '2027/01/01',
    'demain',
    '',
    '01/01/2027 10:00',
  ]) {
    assert.deepEqual(rule(typed, {}), { error: 'plans.error.date' }, typed)
  }
  assert.equal(normalizeDay('pas une date'), 'pas une date')
  const values: Record<string, string | undefined> = { opensOn: '01/03/2027', title: '01/03/2027' }
  assert.deepEqual(
    normalizeDays(values, 'opensOn', 'closesOn'),
    { opensOn: '2027-03-01', title: '01/03/2027' },
    'only the named fields, and only those present',
  )
})
