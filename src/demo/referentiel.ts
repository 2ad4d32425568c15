import { sql } from 'drizzle-orm'
import { queryRows, type Db } from '../platform/db/index.ts'
import { importRecords, type ImportRecord } from '../modules/referentiel/import.ts'
import { findTerritoryByRef } from '../modules/territories/index.ts'

const DEMO_SOURCE = 'Démonstration de la plateforme'

/**
 * Three demonstration fiches of the référentiel (written for the demo, marked as such): a method, an
 * experience of the demo territory tied to a commitment of its plan, and an actor. Idempotent.
 */
export async function seedDemoReferentiel(db: Db, territoryRef: string): Promise<boolean> {
  // already there: nothing to do (this runs at every start of a demo platform)
  const [present] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from referentiel_fiches where source_key like 'demo:%'`,
  )
  if (present!.n >= 3) return false
  const territory = await findTerritoryByRef(db, territoryRef)
  if (!territory) return false
  const [commitment] = await queryRows<{ id: string }>(
    db,
    sql`select c.id from commitments c join action_plans p on p.id = c.plan_id
        where p.territory_id = ${territory.id} and p.status in ('published', 'closed') order by c.position limit 1`,
  )
  const common = { licence: 'etalab-2.0', sourceName: DEMO_SOURCE, language: 'fr' }
  const records: ImportRecord[] = [
    {
      position: 'demo:method',
      kind: 'method',
      sourceKey: 'demo:methode/atelier-de-quartier',
      values: {
        ...common,
        title: 'Atelier de quartier en marchant (démonstration)',
        subtype: 'method',
        summary:
          'Une marche exploratoire suivie d’un atelier : les habitants repèrent sur place ce qui doit changer, puis hiérarchisent leurs propositions.',
        body: 'Fiche de **démonstration**.\n\n1. Une marche d’une heure dans le quartier, par groupes de dix.\n2. Un atelier de deux heures pour classer les constats.\n3. Un compte rendu public sous quinze jours.',
        purposes: ['make'],
        iap2: 'involve',
        format: 'facetoface',
        methodTypes: ['planning', 'deliberative'],
        participants: ['small', 'medium'],
        themes: ['planning', 'transportation'],
        duration: 'days',
        cost: 'low',
        strengths: ['Des constats concrets, vus ensemble', 'Accessible sans outil numérique'],
        weaknesses: ['Peu de participants par séance'],
        qualityConditions: ['Annoncer ce que la commune fera des propositions', 'Un parcours accessible aux fauteuils'],
      },
    },
    {
      position: 'demo:actor',
      kind: 'actor',
      sourceKey: 'demo:acteur/collectif-val-demo',
      values: {
        ...common,
        title: 'Collectif citoyen du Val-Démo (démonstration)',
        summary: 'Association d’habitants qui anime des marches exploratoires.',
        actorKind: 'community',
        sector: 'non_profit_non_gov',
        territory: territoryRef,
      },
      linkNames: { offers: ['Atelier de quartier en marchant (démonstration)'] },
    },
    {
      position: 'demo:experience',
      kind: 'experience',
      sourceKey: 'demo:experience/plan-mobilite',
      values: {
        ...common,
        title: 'Les habitants redessinent les trajets vers l’école (démonstration)',
        summary: 'Six marches exploratoires et deux ateliers ont nourri le plan de mobilité douce du Pays du Val-Démo.',
        institution: 'Pays du Val-Démo (démonstration)',
        institutionKind: 'territory',
        territory: territoryRef,
        themes: ['transportation', 'education'],
        startDate: '2026-03-01',
        endDate: '2026-06-30',
        ongoing: 'no',
        participantsCount: 180,
        recruitment: 'captive',
        iap2: 'involve',
        format: 'facetoface',
        result: 'mixed',
        decisionsOutcomes: 'Douze propositions retenues sur vingt, inscrites au plan d’action.',
        whatWorked: 'La participation des enfants et de leurs parents.',
        whatFailed: 'Les personnes âgées sont peu venues : les horaires étaient en journée de travail.',
        pitfalls: ['unrepresentative'],
        lessons: 'Proposer des marches le samedi matin et annoncer la suite donnée dès le départ.',
        ...(commitment ? { commitment: commitment.id } : {}),
      },
      linkNames: {
        uses: ['Atelier de quartier en marchant (démonstration)'],
        involves: ['Collectif citoyen du Val-Démo (démonstration)'],
      },
    },
  ]
  const result = await importRecords(db, { actorId: null, source: 'demo', records, problems: [] })
  return result.created > 0 || result.updated > 0
}
