/** What the assessments' pages and open data read: reports, ratings, errata, network-wide figures. */
import { asc, eq, sql } from 'drizzle-orm'
import { can } from '../../platform/auth/policy.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { notFound } from '../../platform/errors.ts'
import { findPlan, type PlanRow } from '../plans/index.ts'
import { OGP_VALUES } from './scales.ts'
import { assessmentErrata, assessments, commitmentAssessments, type AssessmentRow } from './tables.ts'
import { findAppointment } from './reviewers.ts'

// ---------------------------------------------------------------------------------------------------
// Reviewers

export async function findAssessment(db: Db, id: string): Promise<AssessmentRow & { plan: PlanRow }> {
  const [row] = await db.select().from(assessments).where(eq(assessments.id, id))
  if (!row) throw notFound()
  return { ...row, plan: await findPlan(db, row.planId) }
}

export async function assessmentsOfPlan(db: Db, planId: string) {
  return db.select().from(assessments).where(eq(assessments.planId, planId)).orderBy(asc(assessments.moment))
}

export async function commitmentRatings(db: Db, assessmentId: string) {
  return db.select().from(commitmentAssessments).where(eq(commitmentAssessments.assessmentId, assessmentId))
}

export async function errataOf(db: Db, assessmentId: string) {
  return db
    .select()
    .from(assessmentErrata)
    .where(eq(assessmentErrata.assessmentId, assessmentId))
    .orderBy(asc(assessmentErrata.createdAt))
}

/** Who may read a report that is not published yet: its reviewers, the network's team, and (once sent) the territory. */
export async function canReadUnpublished(
  db: Db,
  user: CurrentUser | null,
  assessment: AssessmentRow,
): Promise<boolean> {
  if (!user) return false
  if (user.isPlatformAdmin) return true
  if (await findAppointment(db, assessment.planId, user.id)) return true
  return (
    assessment.status === 'right_of_reply' &&
    (can(user, 'plan.edit', assessment.territoryId) || can(user, 'plan.validate', assessment.territoryId))
  )
}

export interface Aggregates {
  plansAssessed: number
  inception: {
    commitments: number
    verifiable: number
    transformative: number
    moderateOrMore: number
    relevant: Record<string, number>
  }
  endOfTerm: {
    commitments: number
    complete: number
    substantialOrComplete: number
    openedGovernment: number
    outstanding: number
  }
}

/** Shares across every published report (OGP's headline figures). */
export async function aggregates(db: Db): Promise<Aggregates> {
  const [inception] = await queryRows<Record<string, number>>(
    db,
    sql`select count(*)::int as commitments,
          (count(*) filter (where ca.verifiable))::int as verifiable,
          (count(*) filter (where ca.potential_impact = 'transformative'))::int as transformative,
          (count(*) filter (where ca.potential_impact in ('moderate', 'transformative')))::int as "moderateOrMore",
          (count(*) filter (where (ca.relevance->'access_to_information'->>'relevant')::boolean))::int as access_to_information,
          (count(*) filter (where (ca.relevance->'civic_participation'->>'relevant')::boolean))::int as civic_participation,
          (count(*) filter (where (ca.relevance->'public_accountability'->>'relevant')::boolean))::int as public_accountability,
          (count(*) filter (where (ca.relevance->'technology_innovation'->>'relevant')::boolean))::int as technology_innovation
        from commitment_assessments ca join assessments a on a.id = ca.assessment_id
          join public_action_plans p on p.id = a.plan_id
        where a.status = 'published' and a.moment = 'inception'`,
  )
  const [end] = await queryRows<Record<string, number>>(
    db,
    sql`select count(*)::int as commitments,
          (count(*) filter (where ca.completion = 'complete'))::int as complete,
          (count(*) filter (where ca.completion in ('substantial', 'complete')))::int as "substantialOrComplete",
          (count(*) filter (where ca.diog_overall in ('major', 'outstanding')))::int as "openedGovernment",
          (count(*) filter (where ca.diog_overall = 'outstanding'))::int as outstanding
        from commitment_assessments ca join assessments a on a.id = ca.assessment_id
          join public_action_plans p on p.id = a.plan_id
        where a.status = 'published' and a.moment = 'end_of_term'`,
  )
  const [plans] = await queryRows<{ n: number }>(
    db,
    sql`select count(distinct a.plan_id)::int as n from assessments a join public_action_plans p on p.id = a.plan_id where a.status = 'published'`,
  )
  const i = inception!
  return {
    plansAssessed: plans!.n,
    inception: {
      commitments: i.commitments!,
      verifiable: i.verifiable!,
      transformative: i.transformative!,
      moderateOrMore: i.moderateOrMore!,
      relevant: Object.fromEntries(OGP_VALUES.map((v) => [v, i[v]!])),
    },
    endOfTerm: {
      commitments: end!.commitments!,
      complete: end!.complete!,
      substantialOrComplete: end!.substantialOrComplete!,
      openedGovernment: end!.openedGovernment!,
      outstanding: end!.outstanding!,
    },
  }
}

/** A page of every published rating, for the open-data CSV, in (assessment, commitment) order after `after`. */
export async function publishedRatingsPage(db: Db, after: { assessment_id: string; commitment_id: string } | null) {
  return queryRows<
    Record<string, unknown> & {
      assessment_id: string
      commitment_id: string
      relevance: Record<string, { relevant: boolean }>
      diog_values: Record<string, string>
    }
  >(
    db,
    sql`select ca.assessment_id, ca.commitment_id, t.kind || '/' || t.code as territoire, p.id as plan_id, p.title as plan, a.moment, a.source,
        a.published_at as publie_le, c.id as engagement_id, c.title as engagement, ca.verifiable, ca.relevance, ca.potential_impact as impact_potentiel,
        ca.completion as realisation, ca.diog_overall as ouverture_globale, ca.diog_values
      from commitment_assessments ca join assessments a on a.id = ca.assessment_id join public_action_plans p on p.id = a.plan_id
      join public_commitments c on c.id = ca.commitment_id join public_territories t on t.id = a.territory_id
      where a.status = 'published' ${after ? sql`and (ca.assessment_id, ca.commitment_id) > (${after.assessment_id}::uuid, ${after.commitment_id}::uuid)` : sql``}
      order by ca.assessment_id, ca.commitment_id limit 1000`,
  )
}
