import type { FastifyBaseLogger } from 'fastify'
import { DEMO_REVIEWER, seedDemoReviewer } from './assessment.ts'
import { seedDemoReferentiel } from './referentiel.ts'
import { sql } from 'drizzle-orm'
import { queryRows, type Db } from '../platform/db/index.ts'
import { hashPassword } from '../platform/auth/passwords.ts'
import { recordAudit } from '../platform/audit.ts'
import { createOtherTerritory, findTerritoryByRef } from '../modules/territories/index.ts'
import { grantRole } from '../modules/accounts/index.ts'
import { seedDemoPlan } from './plan.ts'
import { DEMO_CITIZENS, seedDemoParticipation } from './participation.ts'
import { seedDemoAssemblies } from './assembly.ts'

/** Demonstration accounts: written for the project, fictitious, and labelled so wherever they show. */
export const DEMO_ACCOUNTS = [
  { email: 'admin@demo.thc.example', displayName: 'Alex Admin (démonstration)', password: 'demo-admin-thc', admin: true },
  { email: 'agent@demo.thc.example', displayName: 'Sam Agent (démonstration)', password: 'demo-agent-thc', admin: false },
  { email: 'elue@demo.thc.example', displayName: 'Camille Élue (démonstration)', password: 'demo-elue-thc', admin: false },
] as const

export const DEMO_TERRITORY = { kind: 'autre', code: 'pays-demo', ref: 'autre/pays-demo' } as const

const DEMO_PRESENTATION =
  'Territoire de démonstration : le Pays du Val-Démo n’existe pas. Il montre ce que voit un visiteur quand un territoire rejoint le programme Territoires Hautement Citoyens.\n\n' +
  'Son équipe fictive (une élue et un agent) peut modifier cette présentation après s’être connectée avec les comptes de démonstration.'

/**
 * Loads the demonstration dataset once (skipped when its territory exists): a fictitious "Pays", its
 * presentation, an administrator, an editor and an elected official. Each later feature adds its part.
 */
export async function seedDemo(db: Db, log?: FastifyBaseLogger): Promise<boolean> {
  const existing = await findTerritoryByRef(db, DEMO_TERRITORY.ref)
  if (existing) {
    // each feature adds its part of the demo: bring an older demo database up to date
    const added = await seedDemoPlan(db, existing.id)
    if (added) log?.info('demonstration action plan added')
    const fiches = await seedDemoReferentiel(db, DEMO_TERRITORY.ref)
    if (fiches) log?.info('demonstration fiches of the référentiel added')
    const reviewer = await seedDemoReviewer(db, DEMO_TERRITORY.ref)
    if (reviewer) log?.info({ account: { email: DEMO_REVIEWER.email, password: DEMO_REVIEWER.password } }, 'demonstration reviewer added')
    const participation = await seedDemoParticipation(db, DEMO_TERRITORY.ref)
    if (participation) log?.info({ accounts: DEMO_CITIZENS.map((a) => ({ email: a.email, password: a.password })) }, 'demonstration participation added')
    const assemblies = await seedDemoAssemblies(db, DEMO_TERRITORY.ref)
    if (assemblies) log?.info('demonstration citizens\' assemblies added')
    return added || fiches || reviewer || participation || assemblies
  }
  const territory = await createOtherTerritory(db, {
    actor: null,
    input: { name: 'Pays du Val-Démo (démonstration)', code: DEMO_TERRITORY.code, population: 48_200, parentRefs: ['departement/35', 'region/53'] },
  })
  for (const account of DEMO_ACCOUNTS) {
    const passwordHash = await hashPassword(account.password)
    await db.transaction(async (tx) => {
      const rows = await queryRows<{ id: string }>(tx, sql`
        insert into users (email, display_name, password_hash, email_confirmed_at, is_platform_admin)
        values (${account.email}, ${account.displayName}, ${passwordHash}, now(), ${account.admin})
        on conflict (email) where email is not null do nothing returning id`)
      const id = rows[0]?.id
      if (id) await recordAudit(tx, { actorId: null, action: 'demo.account_created', subjectType: 'user', subjectId: id })
    })
  }
  await grantRole(db, null, { email: 'agent@demo.thc.example', territoryRef: DEMO_TERRITORY.ref, role: 'editor' })
  await grantRole(db, null, { email: 'elue@demo.thc.example', territoryRef: DEMO_TERRITORY.ref, role: 'elected' })
  await db.execute(sql`insert into territory_profiles (territory_id, presentation, website) values (${territory.id}, ${DEMO_PRESENTATION}, null)
    on conflict (territory_id) do nothing`)
  await seedDemoPlan(db, territory.id)
  await seedDemoReferentiel(db, DEMO_TERRITORY.ref)
  await seedDemoReviewer(db, DEMO_TERRITORY.ref)
  await seedDemoParticipation(db, DEMO_TERRITORY.ref)
  await seedDemoAssemblies(db, DEMO_TERRITORY.ref)
  log?.info({ accounts: [...DEMO_ACCOUNTS, DEMO_REVIEWER, ...DEMO_CITIZENS].map((a) => ({ email: a.email, password: a.password })) }, 'demonstration data loaded (fictitious accounts, see README)')
  return true
}
