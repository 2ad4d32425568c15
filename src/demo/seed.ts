import type { FastifyBaseLogger } from 'fastify'
import { DEMO_REVIEWER, seedDemoAssessmentReport, seedDemoReviewer } from './assessment.ts'
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
  {
    email: 'admin@demo.thc.example',
    displayName: 'Alex Admin (démonstration)',
    password: 'demo-admin-thc',
    admin: true,
  },
  {
    email: 'agent@demo.thc.example',
    displayName: 'Sam Agent (démonstration)',
    password: 'demo-agent-thc',
    admin: false,
  },
  {
    email: 'elue@demo.thc.example',
    displayName: 'Camille Élue (démonstration)',
    password: 'demo-elue-thc',
    admin: false,
  },
] as const

export const DEMO_TERRITORY = { kind: 'autre', code: 'pays-demo', ref: 'autre/pays-demo' } as const

const DEMO_PRESENTATION =
  'Territoire de démonstration : le Pays du Val-Démo n’existe pas. Il montre ce que voit un visiteur quand un territoire rejoint le programme Territoires Hautement Citoyens.\n\n' +
  'Son équipe fictive (une élue et un agent) peut modifier cette présentation après s’être connectée avec les comptes de démonstration.'

/** The territory, its team's accounts and roles, and its presentation; completes whatever an earlier start left out. */
async function seedDemoTerritory(db: Db): Promise<boolean> {
  let added = false
  let territory = await findTerritoryByRef(db, DEMO_TERRITORY.ref)
  if (!territory) {
    territory = await createOtherTerritory(db, {
      actor: null,
      input: {
        name: 'Pays du Val-Démo (démonstration)',
        code: DEMO_TERRITORY.code,
        population: 48_200,
        parentRefs: ['departement/35', 'region/53'],
      },
    })
    added = true
  }
  for (const account of DEMO_ACCOUNTS) {
    const [present] = await queryRows<{ id: string }>(db, sql`select id from users where email = ${account.email}`)
    if (present) continue
    const passwordHash = await hashPassword(account.password)
    const [created] = await queryRows<{ id: string }>(
      db,
      sql`
      insert into users (email, display_name, password_hash, email_confirmed_at, is_platform_admin)
      values (${account.email}, ${account.displayName}, ${passwordHash}, now(), ${account.admin}) returning id`,
    )
    await recordAudit(db, {
      actorId: null,
      action: 'demo.account_created',
      subjectType: 'user',
      subjectId: created!.id,
    })
    added = true
  }
  added =
    (await grantRole(db, null, {
      email: 'agent@demo.thc.example',
      territoryRef: DEMO_TERRITORY.ref,
      role: 'editor',
    })) || added
  added =
    (await grantRole(db, null, {
      email: 'elue@demo.thc.example',
      territoryRef: DEMO_TERRITORY.ref,
      role: 'elected',
    })) || added
  const profile = await queryRows(
    db,
    sql`insert into territory_profiles (territory_id, presentation, website) values (${territory.id}, ${DEMO_PRESENTATION}, null)
    on conflict (territory_id) do nothing returning territory_id`,
  )
  return added || profile.length > 0
}

/** One part of the demonstration data: written in one transaction, skipped when it is already there. */
export interface DemoStep {
  name: string
  run(db: Db): Promise<boolean>
  logged: (log: FastifyBaseLogger) => void
}

const demoTerritoryId = async (db: Db) => (await findTerritoryByRef(db, DEMO_TERRITORY.ref))!.id

export const DEMO_MODERATOR = {
  email: 'moderation@demo.thc.example',
  displayName: 'Dominique Modération (démonstration)',
  password: 'demo-moderation-thc',
} as const

/** A moderator of the demo territory: reviews reports, hides with a public reason, publishes or refuses questions. */
async function seedDemoModerator(db: Db): Promise<boolean> {
  if ((await queryRows(db, sql`select 1 from users where email = ${DEMO_MODERATOR.email}`)).length > 0) return false
  const passwordHash = await hashPassword(DEMO_MODERATOR.password)
  const [created] = await queryRows<{ id: string }>(
    db,
    sql`insert into users (email, display_name, password_hash, email_confirmed_at) values (${DEMO_MODERATOR.email}, ${DEMO_MODERATOR.displayName}, ${passwordHash}, now()) returning id`,
  )
  await recordAudit(db, { actorId: null, action: 'demo.account_created', subjectType: 'user', subjectId: created!.id })
  await grantRole(db, null, { email: DEMO_MODERATOR.email, territoryRef: DEMO_TERRITORY.ref, role: 'moderator' })
  return true
}

/** The demo territory is in the programme, with a convention of objectives, as the network's team accepted it. */
async function seedDemoMembership(db: Db): Promise<boolean> {
  const territoryId = await demoTerritoryId(db)
  const rows = await queryRows<{ id: string }>(
    db,
    sql`insert into programme_memberships (territory_id, requested_scope, status, contact_name, contact_email, political_commitment, signatory, requested_by, requested_at, decided_by, decided_at, convention_start, convention_end, support_level, contribution_eur)
        select ${territoryId}, 'programme', 'in_programme', 'Agent du Pays (démonstration)', 'agent@demo.thc.example',
          'L’exécutif du Pays s’engage à co-construire un plan de gouvernement ouvert et à en rendre compte publiquement (texte de démonstration).',
          'Le président du Pays (démonstration)', (select id from users where email = 'agent@demo.thc.example'), now() - interval '200 days',
          (select id from users where email = 'admin@demo.thc.example'), now() - interval '180 days', current_date - 180, current_date + 550, 'essentiel', 1500
        where not exists (select 1 from programme_memberships where territory_id = ${territoryId})
        returning id`,
  )
  return rows.length > 0
}

export const DEMO_STEPS: readonly DemoStep[] = [
  {
    name: 'territory',
    run: seedDemoTerritory,
    logged: (log) =>
      log.info(
        { accounts: DEMO_ACCOUNTS.map((a) => ({ email: a.email, password: a.password })) },
        'demonstration territory and accounts added',
      ),
  },
  {
    name: 'moderator',
    run: seedDemoModerator,
    logged: (log) =>
      log.info(
        { account: { email: DEMO_MODERATOR.email, password: DEMO_MODERATOR.password } },
        'demonstration moderator added',
      ),
  },
  {
    name: 'membership',
    run: seedDemoMembership,
    logged: (log) => log.info('demonstration territory joined the programme'),
  },
  {
    name: 'plan',
    run: async (db) => seedDemoPlan(db, await demoTerritoryId(db)),
    logged: (log) => log.info('demonstration action plan added'),
  },
  {
    name: 'referentiel',
    run: (db) => seedDemoReferentiel(db, DEMO_TERRITORY.ref),
    logged: (log) => log.info('demonstration fiches of the référentiel added'),
  },
  {
    name: 'reviewer',
    run: (db) => seedDemoReviewer(db, DEMO_TERRITORY.ref),
    logged: (log) =>
      log.info(
        { account: { email: DEMO_REVIEWER.email, password: DEMO_REVIEWER.password } },
        'demonstration reviewer added',
      ),
  },
  {
    name: 'assessment-report',
    run: (db) => seedDemoAssessmentReport(db, DEMO_TERRITORY.ref),
    logged: (log) => log.info('demonstration end-of-commitment report published'),
  },
  {
    name: 'participation',
    run: (db) => seedDemoParticipation(db, DEMO_TERRITORY.ref),
    logged: (log) =>
      log.info(
        { accounts: DEMO_CITIZENS.map((a) => ({ email: a.email, password: a.password })) },
        'demonstration participation added',
      ),
  },
  {
    name: 'assemblies',
    run: (db) => seedDemoAssemblies(db, DEMO_TERRITORY.ref),
    logged: (log) => log.info("demonstration citizens' assemblies added"),
  },
]

/** Test hooks: throwing from one stops the start there, as a crash would (inside a step: its transaction rolls back). */
export interface SeedHooks {
  /** Called inside a demo step's transaction, its work done, before the commit. */
  beforeCommit?(name: string): Promise<void> | void
  /** Called once a step is committed. */
  afterStep?(name: string): Promise<void> | void
}

/**
 * Loads the demonstration dataset, or completes it: a fictitious "Pays", its team, action plan, fiches, reviewer,
 * participation and assemblies. Each part is written in one transaction and skipped when already there, so a start
 * stopped at any point (a kill, a full disk) is completed by the next one, and an older demo gains the newer parts.
 * Returns whether anything was added.
 */
export async function seedDemo(db: Db, log?: FastifyBaseLogger, hooks: SeedHooks = {}): Promise<boolean> {
  let added = false
  for (const step of DEMO_STEPS) {
    const done = await db.transaction(async (tx) => {
      const wrote = await step.run(tx)
      await hooks.beforeCommit?.(step.name)
      return wrote
    })
    if (done && log) step.logged(log)
    added ||= done
    await hooks.afterStep?.(step.name)
  }
  return added
}
