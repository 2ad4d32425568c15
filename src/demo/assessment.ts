import { sql } from 'drizzle-orm'
import { recordAudit } from '../platform/audit.ts'
import { hashPassword } from '../platform/auth/passwords.ts'
import { queryRows, type Db } from '../platform/db/index.ts'
import { findTerritoryByRef } from '../modules/territories/index.ts'

export const DEMO_REVIEWER = {
  email: 'evaluateur@demo.thc.example',
  displayName: 'Dominique Évaluateur (démonstration)',
  password: 'demo-evaluateur-thc',
} as const

/** The demo territory's first public plan, if the plan step has run. */
async function demoPublicPlan(db: Db, territoryRef: string) {
  const territory = await findTerritoryByRef(db, territoryRef)
  if (!territory) return undefined
  const [plan] = await queryRows<{ id: string; territory_id: string }>(
    db,
    sql`select id, territory_id from action_plans where territory_id = ${territory.id} and status in ('published', 'closed') order by created_at limit 1`,
  )
  return plan
}

/**
 * A demonstration reviewer, appointed to the demo territory's published plan, who has not declared their
 * interests nor assessed anything yet: signing in as them walks through the whole assessment. Idempotent.
 */
export async function seedDemoReviewer(db: Db, territoryRef: string): Promise<boolean> {
  const [existing] = await queryRows<{ id: string }>(db, sql`select id from users where email = ${DEMO_REVIEWER.email}`)
  if (existing) return false
  const plan = await demoPublicPlan(db, territoryRef)
  if (!plan) return false
  const passwordHash = await hashPassword(DEMO_REVIEWER.password)
  await db.transaction(async (tx) => {
    const [user] = await queryRows<{ id: string }>(
      tx,
      sql`insert into users (email, display_name, password_hash, email_confirmed_at) values (${DEMO_REVIEWER.email}, ${DEMO_REVIEWER.displayName}, ${passwordHash}, now()) returning id`,
    )
    await tx.execute(
      sql`insert into plan_reviewers (plan_id, territory_id, user_id) values (${plan.id}, ${plan.territory_id}, ${user!.id})`,
    )
    await recordAudit(tx, {
      actorId: null,
      territoryId: plan.territory_id,
      action: 'demo.reviewer_appointed',
      subjectType: 'action_plan',
      subjectId: plan.id,
      after: { userId: user!.id },
    })
  })
  return true
}

const DEMO_END_REVIEWER = {
  email: 'evaluatrice@demo.thc.example',
  displayName: 'Camille Évaluatrice (démonstration)',
} as const

/**
 * A published end-of-commitment report on the demo plan, by a second reviewer (an account without a password):
 * the dashboard shows each commitment's independent rating beside the territory's own status, one of them
 * diverging. The demo reviewer above still has the inception report to write. Idempotent.
 */
export async function seedDemoAssessmentReport(db: Db, territoryRef: string): Promise<boolean> {
  const plan = await demoPublicPlan(db, territoryRef)
  if (!plan) return false
  if (
    (await queryRows(db, sql`select 1 from assessments where plan_id = ${plan.id} and moment = 'end_of_term'`)).length >
    0
  )
    return false
  const [reviewer] = [
    ...(await queryRows<{ id: string }>(db, sql`select id from users where email = ${DEMO_END_REVIEWER.email}`)),
    ...(await queryRows<{ id: string }>(
      db,
      sql`insert into users (email, display_name, email_confirmed_at) select ${DEMO_END_REVIEWER.email}, ${DEMO_END_REVIEWER.displayName}, now()
        where not exists (select 1 from users where email = ${DEMO_END_REVIEWER.email}) returning id`,
    )),
  ]
  await db.execute(
    sql`insert into plan_reviewers (plan_id, territory_id, user_id, conflicts_declared_at, has_conflict) values (${plan.id}, ${plan.territory_id}, ${reviewer!.id}, now(), false) on conflict do nothing`,
  )
  const [report] = await queryRows<{ id: string }>(
    db,
    sql`insert into assessments (territory_id, plan_id, moment, summary, sent_at, reply_due, territory_reply, replied_at, created_by)
        values (${plan.territory_id}, ${plan.id}, 'end_of_term', 'Un plan suivi avec sérieux ; la publication budgétaire avance moins vite que le tableau de bord ne le dit (texte de démonstration).',
          now(), current_date + 15, 'Nous publierons le budget primitif avant l’été (texte de démonstration).', now(), ${reviewer!.id}) returning id`,
  )
  const commitments = await queryRows<{ id: string; title: string }>(
    db,
    sql`select id, title from commitments where plan_id = ${plan.id} order by position`,
  )
  // budget: the territory's figures imply "substantial", the reviewer found "limited"; the others agree with the dashboard
  const ratings: Record<number, [string, string, string]> = {
    0: [
      'limited',
      'Seul l’inventaire est publié ; le budget primitif ne l’est pas encore (texte de démonstration).',
      'marginal',
    ],
    1: ['limited', 'Le panel est constitué, le tirage au sort a du retard (texte de démonstration).', 'marginal'],
    2: ['not_started', 'Le registre attend son logiciel (texte de démonstration).', 'did_not_change'],
  }
  for (const [i, c] of commitments.entries()) {
    const [completion, justification, diog] = ratings[i] ?? ['not_started', 'Texte de démonstration.', 'did_not_change']
    await db.execute(sql`insert into commitment_assessments (assessment_id, commitment_id, territory_id, completion, completion_justification, diog_overall, diog_values, diog_justification)
      values (${report!.id}, ${c.id}, ${plan.territory_id}, ${completion}, ${justification}, ${diog},
        ${JSON.stringify({ access_to_information: diog, civic_participation: 'not_applicable', public_accountability: diog, technology_innovation: 'not_applicable' })}::jsonb, 'Texte de démonstration.')`)
  }
  await db.execute(
    sql`update assessments set status = 'published', published_at = now(), published_by = ${reviewer!.id} where id = ${report!.id}`,
  )
  await recordAudit(db, {
    actorId: null,
    territoryId: plan.territory_id,
    action: 'demo.assessment_published',
    subjectType: 'assessment',
    subjectId: report!.id,
  })
  return true
}
