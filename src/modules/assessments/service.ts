import { and, eq, sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, conflict, notFound, unprocessable } from '../../platform/errors.ts'
import { findPlan } from '../plans/index.ts'
import { COMPLETION, DIOG, DIOG_PER_VALUE, OGP_VALUES, POTENTIAL_IMPACT, type Moment } from './scales.ts'
import { assessments, commitmentAssessments, type AssessmentRow, type Relevance } from './tables.ts'
import { reviewerOf, assertReviewer } from './reviewers.ts'
import { findAssessment } from './queries.ts'

// ---------------------------------------------------------------------------------------------------
// Reviewers

/** An appointed reviewer opens the report of one moment (once the plan is public). */
export async function openAssessment(
  db: Db,
  options: { actor: CurrentUser; planId: string; moment: Moment },
): Promise<AssessmentRow> {
  const { actor, planId, moment } = options
  await assertReviewer(db, actor, planId)
  const plan = await findPlan(db, planId)
  if (plan.status !== 'published' && plan.status !== 'closed')
    throw conflict('PLAN_NOT_PUBLIC', 'Le plan doit être publié pour être évalué.')
  const [existing] = await db
    .select()
    .from(assessments)
    .where(and(eq(assessments.planId, planId), eq(assessments.moment, moment)))
  if (existing) return existing
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(assessments)
      .values({ planId, territoryId: plan.territoryId, moment, createdBy: actor.id })
      .onConflictDoNothing()
      .returning()
    if (!row) {
      const [raced] = await tx
        .select()
        .from(assessments)
        .where(and(eq(assessments.planId, planId), eq(assessments.moment, moment)))
      return raced!
    }
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: plan.territoryId,
      action: 'assessment.opened',
      subjectType: 'assessment',
      subjectId: row.id,
      after: { moment },
    })
    return row
  })
}

/** Runs a reviewer's change on a draft report; the rule is checked again in the write. */
export async function onDraft<T>(
  db: Db,
  actor: CurrentUser,
  assessmentId: string,
  work: (tx: Db, assessment: AssessmentRow) => Promise<T>,
): Promise<T> {
  const assessment = await findAssessment(db, assessmentId)
  await assertReviewer(db, actor, assessment.planId)
  if (assessment.status !== 'draft')
    throw conflict('NOT_DRAFT', 'Ce rapport n’est plus un brouillon : il a été envoyé au territoire ou publié.')
  return db.transaction(async (tx) => {
    const touched = await tx
      .update(assessments)
      .set({ updatedAt: new Date() })
      .where(
        and(
          eq(assessments.id, assessmentId),
          eq(assessments.status, 'draft'),
          reviewerOf(actor, sql`${assessments.planId}`),
        ),
      )
      .returning({ id: assessments.id })
    if (touched.length === 0)
      throw conflict('NOT_DRAFT', 'Ce rapport n’est plus un brouillon, ou vous ne l’évaluez plus.')
    return work(tx, assessment)
  })
}

export interface OverviewInput {
  cocreationLevel: string | null
  cocreationJustification: string
  summary: string
}

/** Co-creation (inception) and the report's general findings. */
export async function saveOverview(
  db: Db,
  options: { actor: CurrentUser; assessmentId: string; input: OverviewInput },
): Promise<void> {
  const { actor, assessmentId, input } = options
  await onDraft(db, actor, assessmentId, async (tx, assessment) => {
    if (assessment.moment === 'inception') {
      if (!input.cocreationLevel)
        throw unprocessable(
          'COCREATION_REQUIRED',
          'Dites si la société civile a été associée à l’élaboration du plan.',
          { cocreationLevel: 'assess.error.required' },
        )
      if (input.cocreationJustification.trim() === '')
        throw unprocessable('JUSTIFICATION_REQUIRED', 'Justifiez cette appréciation.', {
          cocreationJustification: 'assess.error.justification',
        })
    }
    await tx
      .update(assessments)
      .set({
        cocreationLevel: assessment.moment === 'inception' ? input.cocreationLevel : null,
        cocreationJustification: input.cocreationJustification.trim(),
        summary: input.summary.trim(),
      })
      .where(eq(assessments.id, assessmentId))
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assessment.territoryId,
      action: 'assessment.overview_saved',
      subjectType: 'assessment',
      subjectId: assessmentId,
      after: input,
    })
  })
}

export interface CommitmentRatingInput {
  verifiable: boolean | null
  verifiableJustification: string
  relevance: Relevance
  potentialImpact: string | null
  impactJustification: string
  completion: string | null
  completionJustification: string
  diogOverall: string | null
  diogValues: Record<string, string>
  diogJustification: string
  earlyResults: string
  lessons: string
  recommendations: string
  evidenceLinks: string[]
}

/** Checks one commitment's ratings for a moment; returns the problems by field (message keys). */
export function checkRatings(moment: Moment, input: CommitmentRatingInput): Record<string, string> {
  const errors: Record<string, string> = {}
  const needs = (value: string, field: string) => {
    if (value.trim() === '') errors[field] = 'assess.error.justification'
  }
  if (moment === 'inception') {
    if (input.verifiable === null) errors.verifiable = 'assess.error.required'
    else needs(input.verifiableJustification, 'verifiableJustification')
    if (input.verifiable) {
      for (const value of OGP_VALUES) {
        const rating = input.relevance[value]
        if (!rating) errors[`relevance_${value}`] = 'assess.error.required'
        else needs(rating.justification, `relevance_${value}_justification`)
      }
      if (!input.potentialImpact || !(POTENTIAL_IMPACT as readonly string[]).includes(input.potentialImpact))
        errors.potentialImpact = 'assess.error.required'
      else needs(input.impactJustification, 'impactJustification')
    }
  } else {
    if (!input.completion || !(COMPLETION as readonly string[]).includes(input.completion))
      errors.completion = 'assess.error.required'
    else needs(input.completionJustification, 'completionJustification')
    if (!input.diogOverall || !(DIOG as readonly string[]).includes(input.diogOverall))
      errors.diogOverall = 'assess.error.required'
    else needs(input.diogJustification, 'diogJustification')
    for (const value of OGP_VALUES) {
      if (!(DIOG_PER_VALUE as readonly string[]).includes(input.diogValues[value] ?? ''))
        errors[`diog_${value}`] = 'assess.error.required'
    }
    if (input.evidenceLinks.some((link) => !/^https?:\/\/\S+$/.test(link))) errors.evidenceLinks = 'form.invalidUrl'
  }
  return errors
}

/** A reviewer rates one commitment. A commitment that is not verifiable is not assessed further. */
export async function rateCommitment(
  db: Db,
  options: { actor: CurrentUser; assessmentId: string; commitmentId: string; input: CommitmentRatingInput },
): Promise<void> {
  const { actor, assessmentId, commitmentId, input } = options
  await onDraft(db, actor, assessmentId, async (tx, assessment) => {
    const [commitment] = await queryRows<{ id: string }>(
      tx,
      sql`select id from public_commitments where id = ${commitmentId} and plan_id = ${assessment.planId}`,
    )
    if (!commitment) throw notFound()
    const errors = checkRatings(assessment.moment as Moment, input)
    if (Object.keys(errors).length > 0)
      throw new AppError('INVALID_RATINGS', {
        status: 422,
        userMessage: 'Des appréciations manquent ou ne sont pas justifiées.',
        fields: errors,
      })
    const inception = assessment.moment === 'inception'
    const assessed = inception && input.verifiable === true
    const values = {
      assessmentId,
      commitmentId,
      territoryId: assessment.territoryId,
      verifiable: inception ? input.verifiable : null,
      verifiableJustification: inception ? input.verifiableJustification.trim() : '',
      relevance: assessed ? input.relevance : {},
      potentialImpact: assessed ? input.potentialImpact : null,
      impactJustification: assessed ? input.impactJustification.trim() : '',
      completion: inception ? null : input.completion,
      completionJustification: inception ? '' : input.completionJustification.trim(),
      diogOverall: inception ? null : input.diogOverall,
      diogValues: inception ? {} : input.diogValues,
      diogJustification: inception ? '' : input.diogJustification.trim(),
      earlyResults: inception ? '' : input.earlyResults.trim(),
      lessons: inception ? '' : input.lessons.trim(),
      recommendations: input.recommendations.trim(),
      evidenceLinks: inception ? [] : input.evidenceLinks,
      updatedAt: new Date(),
    }
    await tx
      .insert(commitmentAssessments)
      .values(values)
      .onConflictDoUpdate({
        target: [commitmentAssessments.assessmentId, commitmentAssessments.commitmentId],
        set: { ...values },
      })
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assessment.territoryId,
      action: 'assessment.commitment_rated',
      subjectType: 'assessment',
      subjectId: assessmentId,
      after: values,
    })
  })
}
