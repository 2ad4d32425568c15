import { sql } from 'drizzle-orm'
import { loadCurrentUser } from '../platform/auth/current-user.ts'
import { queryRows, type Db } from '../platform/db/index.ts'
import { translator } from '../platform/i18n/index.ts'
import {
  commitmentOf,
  commitRandomness,
  createAssembly,
  importVolunteers,
  prepareDraw,
  revealAndDraw,
  saveQuotas,
  setRecruitment,
} from '../modules/assemblies/index.ts'

const DRAWN_TITLE = 'Assemblée citoyenne de l’alimentation (démonstration)'
const RECRUITING_TITLE = 'Assemblée citoyenne des mobilités (démonstration)'
const GENDERS = ['femme', 'homme']
const AGES = ['18-34', '35-64', '65+']
const AREAS = ['bourg', 'campagne']

const QUOTAS = [
  { category: 'genre', feature: 'femme', populationShare: 51, min: 5, max: 7 },
  { category: 'genre', feature: 'homme', populationShare: 49, min: 5, max: 7 },
  { category: 'âge', feature: '18-34', populationShare: 25, min: 2, max: 4 },
  { category: 'âge', feature: '35-64', populationShare: 50, min: 5, max: 7 },
  { category: 'âge', feature: '65+', populationShare: 25, min: 2, max: 4 },
  { category: 'lieu de vie', feature: 'bourg', populationShare: 60, min: 6, max: 8 },
  { category: 'lieu de vie', feature: 'campagne', populationShare: 40, min: 4, max: 6 },
]

/** 80 fictitious volunteers whose mix differs from the population's, as real pools do (more retired people, fewer young ones). */
function demoPool(): string {
  const lines = ['name,email,genre,âge,lieu de vie']
  for (let i = 1; i <= 80; i++)
    lines.push(
      `Volontaire fictif ${i},volontaire${i}@demo.thc.example,${GENDERS[i % 2]},${AGES[i % 7 === 0 ? 0 : i % 3 === 0 ? 1 : 2]},${AREAS[i % 5 < 3 ? 0 : 1]}`,
    )
  return lines.join('\n')
}

/**
 * Two assemblies in the demo territory (once): one drawn in public (lottery, commitment, reveal) whose transparency
 * page shows LEXIMIN beside LEGACY, one recruiting volunteers through its public form.
 */
export async function seedDemoAssemblies(db: Db, territoryRef: string): Promise<boolean> {
  const [territory] = await queryRows<{ id: string }>(
    db,
    sql`select id from territories where kind || '/' || code = ${territoryRef}`,
  )
  if (!territory) return false
  if (
    (await queryRows(db, sql`select 1 from assemblies where territory_id = ${territory.id} and title = ${DRAWN_TITLE}`))
      .length > 0
  )
    return false
  const [row] = await queryRows<{ id: string; sessionVersion: number }>(
    db,
    sql`select id, session_version as "sessionVersion" from users where email = 'agent@demo.thc.example'`,
  )
  const agent = row ? await loadCurrentUser(db, row.id, row.sessionVersion) : null
  if (!agent) return false
  const purpose = (topic: string) =>
    `Comment le Pays du Val-Démo peut-il ${topic} ? Douze habitantes et habitants tirés au sort délibèrent sur trois week-ends et remettent leurs propositions à l’exécutif, qui répond à chacune publiquement.`
  const drawn = await createAssembly(db, {
    actor: agent,
    territoryId: territory.id,
    input: {
      title: DRAWN_TITLE,
      purpose: purpose('mieux nourrir ses habitants avec les produits de ses fermes'),
      panelSize: 12,
      onePerHousehold: false,
      majority: 'two_thirds',
    },
  })
  await saveQuotas(db, { actor: agent, assemblyId: drawn, quotas: QUOTAS })
  await setRecruitment(db, { actor: agent, assemblyId: drawn, phase: 'recruiting' })
  await importVolunteers(db, { actor: agent, assemblyId: drawn, file: Buffer.from(demoPool()), t: translator('fr') })
  await setRecruitment(db, { actor: agent, assemblyId: drawn, phase: 'closed' })
  await prepareDraw(db, { actor: agent, assemblyId: drawn, panelCount: 1000 })
  const secret = 'secret de démonstration remis à l’huissier'
  await commitRandomness(db, {
    actor: agent,
    assemblyId: drawn,
    input: { kind: 'secret_hash', commitment: commitmentOf(secret) },
  })
  await revealAndDraw(db, { actor: agent, assemblyId: drawn, rawRandomness: secret })

  const recruiting = await createAssembly(db, {
    actor: agent,
    territoryId: territory.id,
    input: {
      title: RECRUITING_TITLE,
      purpose: purpose('réduire la place de la voiture sans isoler ses villages'),
      panelSize: 12,
      onePerHousehold: true,
      majority: 'simple',
    },
  })
  await saveQuotas(db, { actor: agent, assemblyId: recruiting, quotas: QUOTAS })
  await setRecruitment(db, { actor: agent, assemblyId: recruiting, phase: 'recruiting' })
  return true
}
