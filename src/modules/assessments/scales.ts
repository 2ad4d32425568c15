/** The scales of OGP's Independent Reporting Mechanism, in the order of the scale. */
export const OGP_VALUES = ['access_to_information', 'civic_participation', 'public_accountability', 'technology_innovation'] as const
export type OgpValue = (typeof OGP_VALUES)[number]

export const MOMENTS = ['inception', 'end_of_term'] as const
export type Moment = (typeof MOMENTS)[number]

export const COCREATION_LEVELS = ['yes', 'partly', 'no'] as const
export const POTENTIAL_IMPACT = ['none', 'minor', 'moderate', 'transformative'] as const
export const COMPLETION = ['not_started', 'limited', 'substantial', 'complete', 'withdrawn'] as const
export const DIOG = ['worsened', 'did_not_change', 'marginal', 'major', 'outstanding'] as const
export const DIOG_PER_VALUE = [...DIOG, 'not_applicable'] as const

export type PotentialImpact = (typeof POTENTIAL_IMPACT)[number]
export type Completion = (typeof COMPLETION)[number]
export type Diog = (typeof DIOG)[number]

export function isMoment(value: unknown): value is Moment {
  return value === 'inception' || value === 'end_of_term'
}

/** The OGP sheet's words for each rating, and ours. */
export const OGP_SHEET: { impact: Record<string, PotentialImpact>; completion: Record<string, Completion>; diog: Record<string, Diog | 'not_applicable'> } = {
  impact: { None: 'none', Minor: 'minor', Moderate: 'moderate', Transformative: 'transformative' },
  completion: { 'Not Started': 'not_started', Limited: 'limited', Substantial: 'substantial', Complete: 'complete', Withdrawn: 'withdrawn' },
  diog: { Worsened: 'worsened', 'Did Not Change': 'did_not_change', Marginal: 'marginal', Major: 'major', Outstanding: 'outstanding', 'Not Applicable': 'not_applicable' },
}

/**
 * The completion a territory's own report implies, to set beside the reviewer's: a commitment marked
 * done is "complete", abandoned is "withdrawn", otherwise its progress decides (OGP's thresholds: limited
 * under half, substantial from half).
 */
export function selfReportedCompletion(status: string, progress: number | null): Completion {
  if (status === 'termine') return 'complete'
  if (status === 'abandonne') return 'withdrawn'
  if (status === 'non_commence' || progress === null || progress === 0) return 'not_started'
  return progress >= 50 ? 'substantial' : 'limited'
}
