import { ZxcvbnFactory } from '@zxcvbn-ts/core'
import * as common from '@zxcvbn-ts/language-common'
import * as en from '@zxcvbn-ts/language-en'
import * as fr from '@zxcvbn-ts/language-fr'

/**
 * How guessable a password is, by zxcvbn (pattern matching over common passwords, French and English words,
 * names, keyboard rows of AZERTY and QWERTY, dates, repeats and sequences). Its feedback comes back as a reason
 * code, worded by the platform's dictionaries in the reader's language.
 */

export type WeakReason = 'common' | 'keyboard' | 'repeat' | 'sequence' | 'dates' | 'names' | 'personal' | 'guessable'

/** zxcvbn's scores: 0 too guessable … 4 very unguessable; 3 is "safely unguessable" (about 10^10 guesses). */
export const MIN_SCORE = 3

const identity = <T extends Record<string, string>>(keys: T): T =>
  Object.fromEntries(Object.keys(keys).map((k) => [k, k])) as T

let factory: ZxcvbnFactory | null = null
function checker(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...fr.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    // the warning comes back as its key, which the platform words itself
    translations: {
      warnings: identity(fr.translations.warnings),
      suggestions: identity(fr.translations.suggestions),
      timeEstimation: identity(fr.translations.timeEstimation),
    },
    // fewer l33t substitutions tried: a check stays around 20–50 ms instead of 80–250 ms, with the same verdicts on common passwords
    l33tMaxSubstitutions: 8,
    maxLength: 100,
  })
  return factory
}

const REASONS: Record<string, WeakReason> = {
  topTen: 'common',
  topHundred: 'common',
  common: 'common',
  similarToCommon: 'common',
  pwned: 'common',
  straightRow: 'keyboard',
  keyPattern: 'keyboard',
  simpleRepeat: 'repeat',
  extendedRepeat: 'repeat',
  sequences: 'sequence',
  recentYears: 'dates',
  dates: 'dates',
  wordByItself: 'names',
  namesByThemselves: 'names',
  commonNames: 'names',
  userInputs: 'personal',
}

/** Words of the platform and of the person that a password should not be built on. */
const PLATFORM_WORDS = [
  'territoires',
  'hautement',
  'citoyens',
  'thc',
  'democratie',
  'ouverte',
  'plateforme',
  'participation',
]

/** null when the password is hard enough to guess; else why not. `personal` holds the person's address and name. */
export function passwordWeakness(password: string, personal: string[] = []): WeakReason | null {
  const inputs = [
    ...PLATFORM_WORDS,
    ...personal.flatMap((value) => [value, ...value.split(/[@.\s_-]+/)]).filter((word) => word.length >= 3),
  ]
  const result = checker().check(password, inputs)
  if (result.score >= MIN_SCORE) return null
  return REASONS[result.feedback.warning ?? ''] ?? 'guessable'
}
