import { sql } from 'drizzle-orm'
import { recordAudit } from '../platform/audit.ts'
import { hashPassword } from '../platform/auth/passwords.ts'
import { queryRows, type Db } from '../platform/db/index.ts'
import { findTerritoryByRef } from '../modules/territories/index.ts'

export const DEMO_REVIEWER = { email: 'evaluateur@demo.thc.example', displayName: 'Dominique Évaluateur (démonstration)', password: 'demo-evaluateur-thc' } as const

/**
 * A demonstration reviewer, appointed to the demo territory's published plan, who has not declared their
 * interests nor assessed anything yet: signing in as them walks through the whole assessment. Idempotent.
 */
export async function seedDemoReviewer(db: Db, territoryRef: string): Promise<boolean> {
  const [existing] = await queryRows<{ id: string }>(db, sql`select id from users where email = ${DEMO_REVIEWER.email}`)
  if (existing) return false
  const territory = await findTerritoryByRef(db, territoryRef)
  if (!territory) return false
  const [plan] = await queryRows<{ id: string; territory_id: string }>(
    db,
    sql`select id, territory_id from action_plans where territory_id = ${territory.id} and status in ('published', 'closed') order by created_at limit 1`,
  )
  if (!plan) return false
  const passwordHash = await hashPassword(DEMO_REVIEWER.password)
  await db.transaction(async (tx) => {
    const [user] = await queryRows<{ id: string }>(
      tx,
      sql`insert into users (email, display_name, password_hash, email_confirmed_at) values (${DEMO_REVIEWER.email}, ${DEMO_REVIEWER.displayName}, ${passwordHash}, now()) returning id`,
    )
    await tx.execute(sql`insert into plan_reviewers (plan_id, territory_id, user_id) values (${plan.id}, ${plan.territory_id}, ${user!.id})`)
    await recordAudit(tx, { actorId: null, territoryId: plan.territory_id, action: 'demo.reviewer_appointed', subjectType: 'action_plan', subjectId: plan.id, after: { userId: user!.id } })
  })
  return true
}
