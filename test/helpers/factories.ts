/**
 * Test factories: each test builds the territory, people, plan, consultation or group it needs through the
 * services (so the rows are what the platform itself writes), with names unique to the call. A test that uses
 * them runs alone, and a failure in one does not leave the next without its data.
 */
import { randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { createConsultation } from '../../src/modules/consultations/index.ts'
import { createGroup } from '../../src/modules/groups/index.ts'
import {
  addCommitment,
  addMilestone,
  createPlan,
  transitionPlan,
  type CommitmentInput,
} from '../../src/modules/plans/index.ts'
import { createOtherTerritory } from '../../src/modules/territories/index.ts'
import { loadCurrentUser, type CurrentUser } from '../../src/platform/auth/current-user.ts'
import { queryRows, type Database } from '../../src/platform/db/index.ts'
import { todayInParis } from '../../src/platform/paris-time.ts'
import { createUser, grantTestRole } from './app.ts'

const unique = () => randomUUID().slice(0, 8)

/** A day `offset` days from today, as `YYYY-MM-DD` (Paris). */
export function dayFromToday(offset: number): string {
  const day = new Date(`${todayInParis()}T12:00:00Z`)
  day.setUTCDate(day.getUTCDate() + offset)
  return day.toISOString().slice(0, 10)
}

/** The person as the services see them once signed in. */
export async function actorOf(database: Database, userId: string): Promise<CurrentUser> {
  const [row] = await queryRows<{ sessionVersion: number }>(
    database.db,
    sql`select session_version as "sessionVersion" from users where id = ${userId}`,
  )
  const actor = row ? await loadCurrentUser(database.db, userId, row.sessionVersion) : null
  if (!actor) throw new Error(`no active user ${userId}`)
  return actor
}

export interface BuiltTerritory {
  id: string
  kind: 'autre'
  code: string
  name: string
  /** `/territoires/autre/<code>` */
  path: string
}

/** A territory of its own (kind `autre`), so that nothing else of the test database is in it. */
export async function buildTerritory(database: Database, name = `Pays test ${unique()}`): Promise<BuiltTerritory> {
  const code = `test-${unique()}`
  const created = await createOtherTerritory(database.db, {
    actor: null,
    input: { name, code, population: 12_000, parentRefs: [] },
  })
  return { id: created.id, kind: 'autre', code, name, path: `/territoires/autre/${code}` }
}

/** Someone with a role in the territory (editor by default), with their password and their actor. */
export async function buildStaff(
  database: Database,
  territory: BuiltTerritory,
  role: 'editor' | 'elected' | 'moderator' = 'editor',
  displayName = `Agent ${unique()}`,
) {
  const user = await createUser(database, { displayName })
  await grantTestRole(database, user.id, territory, role)
  return { ...user, actor: await actorOf(database, user.id) }
}

const commitmentInput = (title: string, extra: Partial<CommitmentInput> = {}): CommitmentInput => ({
  title,
  problem: '',
  description: 'Un engagement de test.',
  contribution: '',
  ogpValues: ['civic_participation'],
  expectedImpacts: '',
  leadActor: 'Service test',
  supportingActors: '',
  themes: ['participation'],
  startDate: dayFromToday(-30),
  endDate: dayFromToday(300),
  budgetEur: null,
  deliberationUrl: null,
  ...extra,
})

/**
 * An action plan in a territory (a new one unless given), drafted by an editor and, unless `published` is false,
 * validated by an elected official and published; each commitment has `milestones` milestones, due from 30 days
 * ago on, one a month.
 */
export async function buildPlan(
  database: Database,
  options: { territory?: BuiltTerritory; published?: boolean; commitments?: number; milestones?: number } = {},
) {
  const territory = options.territory ?? (await buildTerritory(database))
  const editor = await buildStaff(database, territory, 'editor')
  const elected = await buildStaff(database, territory, 'elected')
  const plan = await createPlan(database.db, {
    actor: editor.actor,
    territoryId: territory.id,
    input: {
      title: `Plan de test ${unique()}`,
      periodStart: dayFromToday(-60),
      periodEnd: dayFromToday(600),
      cocreationSummary: 'Co-construit pour le test.',
    },
  })
  const commitments = []
  for (let i = 1; i <= (options.commitments ?? 1); i++) {
    const commitment = await addCommitment(database.db, {
      actor: editor.actor,
      planId: plan.id,
      input: commitmentInput(`Engagement de test ${i} ${unique()}`),
    })
    const milestones = []
    for (let m = 0; m < (options.milestones ?? 1); m++)
      milestones.push(
        await addMilestone(database.db, {
          actor: editor.actor,
          commitmentId: commitment.id,
          input: {
            title: `Jalon ${m + 1}`,
            deliverable: 'Un livrable publié',
            startDate: null,
            dueDate: dayFromToday(-30 + 30 * m),
            responsible: 'Service test',
            weight: null,
          },
        }),
      )
    commitments.push({ ...commitment, milestones })
  }
  if (options.published ?? true) {
    await transitionPlan(database.db, { actor: editor.actor, planId: plan.id, transition: 'submit' })
    await transitionPlan(database.db, { actor: elected.actor, planId: plan.id, transition: 'validate' })
    await transitionPlan(database.db, { actor: editor.actor, planId: plan.id, transition: 'publish' })
  }
  return { territory, editor, elected, plan, commitments }
}

/** A consultation of the territory, open from `opensOn` to `closesOn` (today to 30 days on), published unless said. */
export async function buildConsultation(
  database: Database,
  options: {
    territory: BuiltTerritory
    editor: { actor: CurrentUser }
    commitmentId?: string | null
    opensOn?: string
    closesOn?: string
    publish?: boolean
  },
) {
  return createConsultation(database.db, {
    actor: options.editor.actor,
    territoryId: options.territory.id,
    input: {
      title: `Consultation de test ${unique()}`,
      question: 'Que proposez-vous ?',
      context: '',
      opensOn: options.opensOn ?? dayFromToday(0),
      closesOn: options.closesOn ?? dayFromToday(30),
      commitmentId: options.commitmentId ?? null,
    },
    publish: options.publish ?? true,
  })
}

/** A Groupe Action Projet on a public commitment, started by the territory's editor (its coordinator). */
export async function buildGroup(
  database: Database,
  options: { commitmentId: string; editor: { actor: CurrentUser }; title?: string },
) {
  const id = await createGroup(database.db, {
    actor: options.editor.actor,
    commitmentId: options.commitmentId,
    input: {
      title: options.title ?? `Groupe de test ${unique()}`,
      purpose: 'Avancer ensemble sur cet engagement.',
    },
  })
  return { id, path: `/groupes/${id}` }
}
