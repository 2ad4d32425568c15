import { eq } from 'drizzle-orm'
import { loadCurrentUser, type CurrentUser } from '../platform/auth/current-user.ts'
import { users } from '../platform/auth/tables.ts'
import type { Db } from '../platform/db/index.ts'
import {
  addCommitment,
  addMilestone,
  createPlan,
  findPlanByTitle,
  postUpdate,
  transitionPlan,
  type CommitmentInput,
} from '../modules/plans/index.ts'

const PLAN_TITLE = 'Plan d’action de gouvernement ouvert (démonstration)'

async function demoUser(db: Db, email: string): Promise<CurrentUser> {
  const [row] = await db.select({ id: users.id, sv: users.sessionVersion }).from(users).where(eq(users.email, email))
  const user = row && (await loadCurrentUser(db, row.id, row.sv))
  if (!user) throw new Error(`demo account ${email} missing`)
  return user
}

const commitment = (c: Partial<CommitmentInput> & Pick<CommitmentInput, 'title'>): CommitmentInput => ({
  problem: '',
  description: '',
  contribution: '',
  ogpValues: [],
  expectedImpacts: '',
  leadActor: '',
  supportingActors: '',
  themes: [],
  startDate: day(-300),
  endDate: day(600),
  budgetEur: null,
  deliberationUrl: null,
  ...c,
})

/** A date this many days from today (YYYY-MM-DD): the demo stays current whenever it is loaded. */
function day(offset: number): string {
  const date = new Date()
  date.setUTCDate(date.getUTCDate() + offset)
  return date.toISOString().slice(0, 10)
}

/**
 * The demonstration action plan of the fictitious Pays du Val-Démo: three commitments, milestones done,
 * late and upcoming, and a few progress updates including a correction. Loaded once.
 */
export async function seedDemoPlan(db: Db, territoryId: string): Promise<boolean> {
  if (await findPlanByTitle(db, territoryId, PLAN_TITLE)) return false
  const agent = await demoUser(db, 'agent@demo.thc.example')
  const elue = await demoUser(db, 'elue@demo.thc.example')
  const plan = await createPlan(db, {
    actor: agent,
    territoryId,
    input: {
      title: PLAN_TITLE,
      periodStart: day(-320),
      periodEnd: day(620),
      cocreationSummary:
        'Texte de démonstration. Le plan a été co-construit lors de quatre ateliers ouverts à tous (180 participants), d’une consultation en ligne (640 contributions) et de deux réunions avec le conseil de développement.',
    },
  })
  const budget = await addCommitment(db, {
    actor: agent,
    planId: plan.id,
    input: commitment({
      title: 'Ouvrir les données budgétaires du Pays (démonstration)',
      problem: 'Les habitants ne peuvent pas suivre où va l’argent public.',
      description:
        'Publier chaque année le budget et le compte administratif en données ouvertes, avec une version expliquée.',
      contribution: 'Chacun peut vérifier les dépenses et en débattre sur des chiffres communs.',
      ogpValues: ['access_to_information', 'public_accountability'],
      expectedImpacts: 'Des débats budgétaires mieux informés.',
      leadActor: 'Direction des finances',
      supportingActors: 'Association Données Citoyennes (démonstration)',
      themes: ['finances', 'données ouvertes'],
      budgetEur: '45000',
    }),
  })
  const assembly = await addCommitment(db, {
    actor: agent,
    planId: plan.id,
    input: commitment({
      title: 'Réunir une assemblée citoyenne tirée au sort sur les mobilités (démonstration)',
      problem: 'Les choix de mobilité sont faits sans les habitants des communes rurales.',
      description:
        'Tirer au sort 40 habitants représentatifs, les former, et répondre publiquement à chacune de leurs propositions.',
      ogpValues: ['civic_participation'],
      leadActor: 'Mission démocratie participative',
      themes: ['mobilités', 'participation'],
    }),
  })
  const register = await addCommitment(db, {
    actor: agent,
    planId: plan.id,
    input: commitment({
      title: 'Publier le registre des décisions du bureau (démonstration)',
      ogpValues: ['access_to_information'],
      leadActor: 'Secrétariat général',
      themes: ['transparence'],
    }),
  })
  const m = async (commitmentId: string, title: string, dueDate: string, responsible: string) =>
    addMilestone(db, {
      actor: agent,
      commitmentId,
      input: {
        title,
        deliverable: `${title} : livrable publié en ligne`,
        startDate: null,
        dueDate,
        responsible,
        weight: null,
      },
    })
  const budget1 = await m(budget.id, 'Inventaire des jeux de données', day(-200), 'Direction des finances')
  const budget2 = await m(budget.id, 'Publication du budget primitif', day(45), 'Direction des finances')
  await m(budget.id, 'Budget expliqué en ligne', day(250), 'Service communication')
  const assembly1 = await m(assembly.id, 'Tirage au sort des 40 membres', day(-20), 'Mission démocratie participative')
  await m(assembly.id, 'Réponse publique aux propositions', day(400), 'Bureau du Pays')
  await m(register.id, 'Mise en ligne du registre', day(70), 'Secrétariat général')
  await transitionPlan(db, { actor: agent, planId: plan.id, transition: 'submit' })
  await transitionPlan(db, { actor: elue, planId: plan.id, transition: 'validate' })
  await transitionPlan(db, { actor: agent, planId: plan.id, transition: 'publish' })
  await postUpdate(db, {
    actor: agent,
    commitmentId: budget.id,
    input: {
      milestoneId: budget1.id,
      status: 'termine',
      progress: null,
      narrative: 'Inventaire terminé : 14 jeux de données identifiés (texte de démonstration).',
      evidence: ['https://example.org/demo/inventaire'],
      nextSteps: 'Préparer la publication du budget primitif.',
      correctsId: null,
    },
  })
  const wrong = await postUpdate(db, {
    actor: agent,
    commitmentId: budget.id,
    input: {
      milestoneId: budget2.id,
      status: 'en_cours',
      progress: 60,
      narrative: 'Le budget primitif sera publié le mois prochain (texte de démonstration).',
      evidence: [],
      nextSteps: '',
      correctsId: null,
    },
  })
  await postUpdate(db, {
    actor: elue,
    commitmentId: budget.id,
    input: {
      milestoneId: budget2.id,
      status: null,
      progress: 50,
      narrative:
        'Correction : la publication est prévue dans six semaines, pas le mois prochain (texte de démonstration).',
      evidence: [],
      nextSteps: '',
      correctsId: wrong.id,
    },
  })
  await postUpdate(db, {
    actor: agent,
    commitmentId: assembly.id,
    input: {
      milestoneId: assembly1.id,
      status: 'en_cours',
      progress: 30,
      narrative: 'Le panel de volontaires est constitué ; le tirage au sort a pris du retard (texte de démonstration).',
      evidence: [],
      nextSteps: 'Tirage public prévu à la rentrée.',
      correctsId: null,
    },
  })
  await postUpdate(db, {
    actor: agent,
    commitmentId: register.id,
    input: {
      milestoneId: null,
      status: null,
      progress: null,
      held: 'en_pause',
      heldReason:
        'Le logiciel du registre attend la fin du marché public, attendue au printemps (texte de démonstration).',
      narrative: 'Mise en pause le temps du marché public (texte de démonstration).',
      evidence: [],
      nextSteps: 'Reprise à l’attribution du marché.',
      correctsId: null,
    },
  })
  return true
}
