/** The scales of OGP's Independent Reporting Mechanism, in the order of the scale. */
export const OGP_VALUES = [
  'access_to_information',
  'civic_participation',
  'public_accountability',
  'technology_innovation',
] as const
export type OgpValue = (typeof OGP_VALUES)[number]

export const MOMENTS = ['inception', 'end_of_term'] as const
export type Moment = (typeof MOMENTS)[number]

export const COCREATION_LEVELS = ['yes', 'partly', 'no'] as const
export const POTENTIAL_IMPACT = ['none', 'minor', 'moderate', 'transformative'] as const
export const COMPLETION = ['not_started', 'limited', 'substantial', 'complete', 'withdrawn'] as const
export const DIOG = ['worsened', 'did_not_change', 'marginal', 'major', 'outstanding'] as const
export const DIOG_PER_VALUE = [...DIOG, 'not_applicable'] as const

/** What the IRM's sheet holds beyond the scales reviewers use here: imported, shown, never offered in the forms. */
export const COMPLETION_IMPORTED = [...COMPLETION, 'unclear'] as const
export const DIOG_IMPORTED = [...DIOG, 'no_early_results'] as const
export const POTENTIAL_RESULTS = ['unclear', 'modest', 'substantial'] as const

export type PotentialImpact = (typeof POTENTIAL_IMPACT)[number]
export type Completion = (typeof COMPLETION)[number]
export type Diog = (typeof DIOG)[number]

export function isMoment(value: unknown): value is Moment {
  return value === 'inception' || value === 'end_of_term'
}

/**
 * The OGP sheet's words for each rating, and ours — every word the sheet uses (its 2024 edition), variants
 * included. "NR" (not reviewed), "ND" (no data) and "NA" mean no rating; any other word is reported, never skipped.
 */
export const OGP_SHEET = {
  verifiable: { Yes: true, No: false, '1': true, '0': false } as Record<string, boolean>,
  relevant: { '1': true, '0': false, Yes: true, No: false } as Record<string, boolean>,
  impact: { None: 'none', Minor: 'minor', Moderate: 'moderate', Transformative: 'transformative' } as Record<
    string,
    PotentialImpact
  >,
  results: { Unclear: 'unclear', Modest: 'modest', Substantial: 'substantial' } as Record<
    string,
    (typeof POTENTIAL_RESULTS)[number]
  >,
  completion: {
    'Not Started': 'not_started',
    Limited: 'limited',
    Substantial: 'substantial',
    Complete: 'complete',
    Completed: 'complete',
    Withdrawn: 'withdrawn',
    Unclear: 'unclear',
  } as Record<string, (typeof COMPLETION_IMPORTED)[number]>,
  diog: {
    Worsened: 'worsened',
    Worsens: 'worsened',
    'Did Not Change': 'did_not_change',
    Marginal: 'marginal',
    Major: 'major',
    Outstanding: 'outstanding',
    'No early results to report yet': 'no_early_results',
    'Not Applicable': 'not_applicable',
  } as Record<string, (typeof DIOG_IMPORTED)[number] | 'not_applicable'>,
  /** the newer results reports' "early results": kept as the report's words, in its text */
  earlyResults: {
    'No notable results': 'No notable results',
    Moderate: 'Moderate',
    Significant: 'Significant',
    Outstanding: 'Outstanding',
    'No early results to report yet': 'No early results to report yet',
  } as Record<string, string>,
  none: new Set(['', 'NR', 'ND', 'NA', 'N/A', 'n/a']),
}

export { selfReportedCompletion } from '../plans/index.ts'
