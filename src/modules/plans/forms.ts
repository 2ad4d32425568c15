import type { FieldResult, FieldRule } from '../../platform/http/forms.ts'
import {
  dateRule,
  isIsoDate,
  normalizeDay,
  optionalDateRule,
  optionalWebsiteRule,
  textRule,
  isUuid,
} from '../../platform/http/rules.ts'
import { isHeldStatus, isStatus, type HeldStatus, type Status } from './progress.ts'
import { OGP_VALUES } from './views.tsx'
import type { CommitmentInput, MilestoneInput, PlanInput, UpdateInput } from './service.ts'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../../platform/errors.ts'
import { formValues, parseForm } from '../../platform/http/forms.ts'

const endAfter =
  (startField: string): FieldRule<string> =>
  (raw, form) => {
    const value = normalizeDay(raw)
    if (!isIsoDate(value)) return { error: 'plans.error.date' }
    const start = normalizeDay(form[startField] ?? '')
    return start && isIsoDate(start) && value < start ? { error: 'plans.error.period' } : { value }
  }

const optionalEndAfter =
  (startField: string): FieldRule<string | null> =>
  (raw, form) =>
    raw.trim() === '' ? { value: null } : endAfter(startField)(raw, form)

const optionalPositive =
  (error: 'plans.error.budget' | 'plans.error.weight'): FieldRule<string | null> =>
  (raw) => {
    const value = raw
      .trim()
      .replace(/[\s\u202f\u00a0]/g, '')
      .replace(',', '.')
    if (value === '') return { value: null }
    return /^\d{1,12}(\.\d{1,2})?$/.test(value) && Number(value) > 0 ? { value } : { error }
  }

export const planRules: { [K in keyof PlanInput]: FieldRule<PlanInput[K]> } = {
  title: textRule(1, 300, 'plans.error.title'),
  periodStart: dateRule('plans.error.date'),
  periodEnd: endAfter('periodStart'),
  cocreationSummary: textRule(0, 10000, 'form.tooLong'),
}

// long enough for what sources hold (OGP's full texts reach 20,000 characters): an import stores the text whole
export const commitmentRules: { [K in keyof CommitmentInput]: FieldRule<CommitmentInput[K]> } = {
  title: textRule(1, 300, 'plans.error.title'),
  problem: textRule(0, 20000, 'form.tooLong'),
  description: textRule(0, 100000, 'form.tooLong'),
  contribution: textRule(0, 20000, 'form.tooLong'),
  ogpValues: (raw): FieldResult<string[]> => {
    const values = [
      ...new Set(
        raw
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean),
      ),
    ]
    return values.every((v) => (OGP_VALUES as readonly string[]).includes(v))
      ? { value: values }
      : { error: 'plans.error.values' }
  },
  expectedImpacts: textRule(0, 20000, 'form.tooLong'),
  leadActor: textRule(0, 1000, 'form.tooLong'),
  supportingActors: textRule(0, 5000, 'form.tooLong'),
  // OGP's sheet has 86 policy areas, any number of which a commitment may address
  themes: (raw): FieldResult<string[]> => {
    const themes = [
      ...new Set(
        raw
          .split(',')
          .map((v) => v.trim().toLowerCase())
          .filter(Boolean),
      ),
    ]
    return themes.length <= 100 && themes.every((v) => v.length <= 80)
      ? { value: themes }
      : { error: 'form.tooLong', params: { max: 80 } }
  },
  startDate: optionalDateRule('plans.error.date'),
  endDate: optionalEndAfter('startDate'),
  budgetEur: optionalPositive('plans.error.budget'),
  deliberationUrl: optionalWebsiteRule,
}

export const milestoneRules: { [K in keyof MilestoneInput]: FieldRule<MilestoneInput[K]> } = {
  title: textRule(1, 300, 'plans.error.title'),
  deliverable: textRule(0, 1000, 'form.tooLong'),
  startDate: optionalDateRule('plans.error.date'),
  dueDate: dateRule('plans.error.date'),
  responsible: textRule(0, 300, 'form.tooLong'),
  weight: optionalPositive('plans.error.weight'),
}

const optionalId =
  (error: 'plans.error.milestone' | 'plans.error.corrects'): FieldRule<string | null> =>
  (raw) =>
    raw.trim() === '' ? { value: null } : isUuid(raw.trim()) ? { value: raw.trim() } : { error }

export const updateRules: { [K in keyof UpdateInput]: FieldRule<UpdateInput[K]> } = {
  milestoneId: optionalId('plans.error.milestone'),
  status: (raw): FieldResult<Status | null> =>
    raw === '' ? { value: null } : isStatus(raw) ? { value: raw } : { error: 'plans.error.status' },
  held: (raw): FieldResult<HeldStatus | 'calcule' | null> =>
    raw === ''
      ? { value: null }
      : raw === 'calcule' || isHeldStatus(raw)
        ? { value: raw }
        : { error: 'plans.error.status' },
  heldReason: textRule(0, 2000, 'form.tooLong'),
  progress: (raw): FieldResult<number | null> => {
    const value = raw.trim()
    if (value === '') return { value: null }
    return /^\d{1,3}$/.test(value) && Number(value) <= 100
      ? { value: Number(value) }
      : { error: 'plans.error.progress' }
  },
  narrative: textRule(1, 10000, 'plans.error.narrative'),
  evidence: (raw): FieldResult<string[]> => {
    const lines = raw
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
    const urls: string[] = []
    for (const line of lines) {
      const checked = optionalWebsiteRule(line, {})
      if ('error' in checked || !checked.value) return { error: 'plans.error.evidence' }
      urls.push(checked.value)
    }
    return urls.length <= 20 ? { value: urls } : { error: 'plans.error.evidence' }
  },
  nextSteps: textRule(0, 5000, 'form.tooLong'),
  correctsId: optionalId('plans.error.corrects'),
}

/** A saved row as form values (to fill an edit form or show the saved side of a conflict). */
export function asFormValues(row: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {}
  for (const [key, value] of Object.entries(row)) {
    if (value === null || value === undefined) values[key] = ''
    else if (Array.isArray(value)) values[key] = value.join(',')
    else if (value instanceof Date) values[key] = value.toISOString()
    else values[key] = String(value)
  }
  return values
}

/** The version a form was opened on; a missing or garbled one counts as a conflict, never as "latest". */
function formVersion(body: unknown): number {
  const raw = formValues(body).version ?? ''
  return /^\d{1,9}$/.test(raw) ? Number(raw) : -1
}

interface VersionedForm {
  values: Record<string, string>
  errors: Record<string, string>
  version: number
  conflict?: Record<string, string>
}

/**
 * Saves an edit form opened on a given version. Invalid input re-renders with 422; if someone saved
 * first, the form comes back with 409, the person's own values, and the saved version beside them
 * (whose number the next save will carry). Returns null once saved.
 */
export async function saveVersioned<T extends object>(
  req: FastifyRequest,
  rules: Parameters<typeof parseForm<T>>[0],
  save: (input: T, version: number) => Promise<unknown>,
  render: (form: VersionedForm, status: number) => FastifyReply,
): Promise<FastifyReply | null> {
  const version = formVersion(req.body)
  const parsed = parseForm<T>(rules, req.body, req.t)
  if (!parsed.ok) return render({ values: parsed.values, errors: parsed.errors, version }, 422)
  try {
    await save(parsed.data, version)
    return null
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'EDIT_CONFLICT') throw error
    const saved = error.details as Record<string, unknown> & { version: number }
    return render({ values: parsed.values, errors: {}, version: saved.version, conflict: asFormValues(saved) }, 409)
  }
}
