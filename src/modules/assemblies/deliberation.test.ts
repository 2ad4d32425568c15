import assert from 'node:assert/strict'
import { test } from 'node:test'
import { adopted, quorumMet, votersNeeded } from './votes.ts'

test('a quorum counts every ballot cast, abstentions included, against the active panel', () => {
  const counts = (forVotes: number, against: number, abstain: number) => ({ for: forVotes, against, abstain })
  assert.equal(votersNeeded(50, 12), 6)
  assert.equal(votersNeeded(50, 13), 7, 'a half voter is a whole one')
  assert.equal(votersNeeded(0, 12), 0)
  assert.equal(quorumMet(50, counts(3, 1, 1), 12), false, '5 of 12')
  assert.equal(quorumMet(50, counts(3, 1, 2), 12), true, '6 of 12, two abstaining')
  assert.equal(quorumMet(50, counts(3, 3, 0), 13), false, '6 of 13 is under half')
  assert.equal(quorumMet(0, counts(0, 0, 0), 20), true, 'no quorum')
  assert.equal(quorumMet(100, counts(19, 0, 0), 20), false)
  // the quorum and the majority are separate tests: 3 for, 0 against wins the simple majority, not a 50 % quorum of 20
  assert.equal(adopted('simple', counts(3, 0, 0), 20), true)
  assert.equal(quorumMet(50, counts(3, 0, 0), 20), false)
})
