import type { Locale } from '../../platform/i18n/index.ts'
import type { VocabularyName } from './vocabularies.ts'

export const FICHE_KINDS = ['method', 'experience', 'actor'] as const

export type FicheKind = (typeof FICHE_KINDS)[number]

export function isFicheKind(value: unknown): value is FicheKind {
  return typeof value === 'string' && (FICHE_KINDS as readonly string[]).includes(value)
}

type FieldType =
  | 'text' // one line
  | 'longtext' // paragraphs, plain text
  | 'markdown' // the body: Markdown, rendered sanitised
  | 'lines' // a list, one item a line
  | 'choice' // one key of a vocabulary
  | 'choices' // keys of a vocabulary
  | 'date'
  | 'integer'
  | 'url'
  | 'urls' // one address a line
  | 'fiches' // links to other fiches of `target` kind (stored as ids)
  | 'territory' // a territory reference "kind/code" (typed as a name or a code, resolved by the service)
  | 'commitment' // the id of a commitment of an action plan

export interface FieldSpec {
  name: string
  kinds: readonly FicheKind[]
  type: FieldType
  label: readonly [string, string]
  hint?: readonly [string, string]
  vocabulary?: VocabularyName
  required?: boolean
  /** maximum length of text (characters) or of a list (items) */
  max?: number
  target?: FicheKind
  group: 'identity' | 'practice' | 'outcome' | 'source'
}

const ALL = FICHE_KINDS

const M = ['method'] as const

const E = ['experience'] as const

const A = ['actor'] as const

const ME = ['method', 'experience'] as const

const EA = ['experience', 'actor'] as const

/** Every field of a fiche, in the order forms and pages show them. */
export const FIELDS: readonly FieldSpec[] = [
  { name: 'title', kinds: ALL, type: 'text', required: true, max: 200, label: ['Titre', 'Title'], group: 'identity' },
  {
    name: 'subtype',
    kinds: M,
    type: 'choice',
    vocabulary: 'methodSubtype',
    required: true,
    label: ['Outil ou méthode', 'Tool or method'],
    group: 'identity',
  },
  {
    name: 'actorKind',
    kinds: A,
    type: 'choice',
    vocabulary: 'actorKind',
    label: ['Nature de l’acteur', 'Kind of actor'],
    group: 'identity',
  },
  { name: 'sector', kinds: A, type: 'choice', vocabulary: 'sector', label: ['Secteur', 'Sector'], group: 'identity' },
  {
    name: 'summary',
    kinds: ALL,
    type: 'longtext',
    required: true,
    max: 1000,
    label: ['Résumé', 'Summary'],
    hint: [
      'En deux ou trois phrases : à quoi cela sert, ce qui s’est passé.',
      'Two or three sentences: what it is for, what happened.',
    ],
    group: 'identity',
  },
  {
    name: 'institution',
    kinds: E,
    type: 'text',
    max: 300,
    label: ['Institution qui porte la démarche', 'Institution running it'],
    hint: ['Ministère, établissement public ou collectivité.', 'Ministry, public body or local government.'],
    group: 'identity',
  },
  {
    name: 'institutionKind',
    kinds: E,
    type: 'choice',
    vocabulary: 'institutionKind',
    label: ['Nature de l’institution', 'Kind of institution'],
    group: 'identity',
  },
  {
    name: 'territory',
    kinds: EA,
    type: 'territory',
    label: ['Territoire', 'Territory'],
    hint: ['Son nom ou son code, par exemple Rennes ou 35238.', 'Its name or its code, for example Rennes or 35238.'],
    group: 'identity',
  },
  { name: 'themes', kinds: ALL, type: 'choices', vocabulary: 'themes', label: ['Thèmes', 'Themes'], group: 'identity' },
  { name: 'website', kinds: ALL, type: 'url', label: ['Site web', 'Website'], group: 'identity' },
  {
    name: 'body',
    kinds: ALL,
    type: 'markdown',
    max: 100000,
    label: ['Description détaillée', 'Full description'],
    hint: [
      'Markdown : **gras**, *italique*, listes avec « - », liens [texte](https://…).',
      'Markdown: **bold**, *italics*, lists with “-”, links [text](https://…).',
    ],
    group: 'identity',
  },

  { name: 'organisers', kinds: E, type: 'text', max: 500, label: ['Organisateurs', 'Organisers'], group: 'practice' },
  { name: 'startDate', kinds: E, type: 'date', label: ['Début', 'Start'], group: 'practice' },
  { name: 'endDate', kinds: E, type: 'date', label: ['Fin', 'End'], group: 'practice' },
  { name: 'ongoing', kinds: E, type: 'choice', vocabulary: 'yesNo', label: ['En cours', 'Ongoing'], group: 'practice' },
  {
    name: 'purposes',
    kinds: ME,
    type: 'choices',
    vocabulary: 'purposes',
    label: ['À quoi cela sert', 'What it is for'],
    group: 'practice',
  },
  {
    name: 'priorities',
    kinds: M,
    type: 'lines',
    max: 30,
    label: ['Objectifs', 'Objectives'],
    hint: ['Un objectif par ligne.', 'One objective a line.'],
    group: 'practice',
  },
  {
    name: 'iap2',
    kinds: ME,
    type: 'choice',
    vocabulary: 'iap2',
    label: ['Niveau de participation (échelle IAP2)', 'Level of participation (IAP2 spectrum)'],
    group: 'practice',
  },
  { name: 'format', kinds: ME, type: 'choice', vocabulary: 'format', label: ['Format', 'Format'], group: 'practice' },
  {
    name: 'methodTypes',
    kinds: ALL,
    type: 'choices',
    vocabulary: 'methodTypes',
    label: ['Types de méthode', 'Method types'],
    group: 'practice',
  },
  {
    name: 'toolTypes',
    kinds: ['method', 'actor'] as const,
    type: 'choices',
    vocabulary: 'toolTypes',
    label: ['Fonctions de l’outil', 'What the tool does'],
    group: 'practice',
  },
  {
    name: 'uses',
    kinds: E,
    type: 'fiches',
    target: 'method',
    max: 30,
    label: ['Méthodes et outils utilisés', 'Methods and tools used'],
    hint: [
      'Une fiche par ligne : son titre exact ou son adresse (par exemple budget-participatif).',
      'One fiche a line: its exact title or its address (e.g. budget-participatif).',
    ],
    group: 'practice',
  },
  {
    name: 'otherMethods',
    kinds: EA,
    type: 'lines',
    max: 50,
    label: ['Autres méthodes et outils (sans fiche)', 'Other methods and tools (no fiche yet)'],
    hint: ['Un par ligne.', 'One a line.'],
    group: 'practice',
  },
  {
    name: 'involves',
    kinds: E,
    type: 'fiches',
    target: 'actor',
    max: 30,
    label: ['Acteurs impliqués', 'Actors involved'],
    hint: [
      'Une fiche par ligne : son titre exact ou son adresse.',
      'One fiche a line: its exact title or its address.',
    ],
    group: 'practice',
  },
  {
    name: 'offers',
    kinds: A,
    type: 'fiches',
    target: 'method',
    max: 50,
    label: ['Méthodes et outils proposés', 'Methods and tools offered'],
    hint: [
      'Une fiche par ligne : son titre exact ou son adresse.',
      'One fiche a line: its exact title or its address.',
    ],
    group: 'practice',
  },
  {
    name: 'participants',
    kinds: ME,
    type: 'choices',
    vocabulary: 'participants',
    label: ['Nombre de participants', 'Number of participants'],
    group: 'practice',
  },
  {
    name: 'participantsCount',
    kinds: E,
    type: 'integer',
    label: ['Nombre de participants', 'Number of participants'],
    group: 'practice',
  },
  {
    name: 'openLimited',
    kinds: ME,
    type: 'choice',
    vocabulary: 'openLimited',
    label: ['Ouverture', 'Open or limited'],
    group: 'practice',
  },
  {
    name: 'recruitment',
    kinds: ME,
    type: 'choice',
    vocabulary: 'recruitment',
    label: ['Sélection des participants', 'Selection of participants'],
    group: 'practice',
  },
  {
    name: 'interactions',
    kinds: ME,
    type: 'choices',
    vocabulary: 'interactions',
    label: ['Interactions entre participants', 'Interactions among participants'],
    group: 'practice',
  },
  {
    name: 'decisionMethods',
    kinds: ME,
    type: 'choices',
    vocabulary: 'decisionMethods',
    label: ['Modes de décision', 'Decision methods'],
    group: 'practice',
  },
  {
    name: 'voting',
    kinds: ME,
    type: 'choices',
    vocabulary: 'voting',
    label: ['Modes de vote', 'Voting methods'],
    group: 'practice',
  },
  {
    name: 'scope',
    kinds: ALL,
    type: 'choices',
    vocabulary: 'scope',
    label: ['Échelle', 'Scope of influence'],
    group: 'practice',
  },
  {
    name: 'facilitators',
    kinds: ME,
    type: 'choice',
    vocabulary: 'yesNo',
    label: ['Animation par des facilitateurs', 'Facilitators'],
    group: 'practice',
  },
  {
    name: 'polarization',
    kinds: M,
    type: 'choice',
    vocabulary: 'polarization',
    label: ['Sujets polarisés', 'Level of polarization'],
    group: 'practice',
  },
  {
    name: 'complexity',
    kinds: M,
    type: 'choice',
    vocabulary: 'complexity',
    label: ['Complexité des sujets', 'Level of complexity'],
    group: 'practice',
  },
  {
    name: 'duration',
    kinds: M,
    type: 'choice',
    vocabulary: 'duration',
    label: ['Durée', 'Duration'],
    group: 'practice',
  },
  { name: 'cost', kinds: M, type: 'choice', vocabulary: 'cost', label: ['Coût', 'Cost'], group: 'practice' },
  {
    name: 'softwareLicence',
    kinds: M,
    type: 'text',
    max: 200,
    label: ['Licence du logiciel (outils)', 'Software licence (tools)'],
    group: 'practice',
  },
  {
    name: 'strengths',
    kinds: M,
    type: 'lines',
    max: 30,
    label: ['Atouts', 'Strengths'],
    hint: ['Un atout par ligne.', 'One a line.'],
    group: 'practice',
  },
  {
    name: 'weaknesses',
    kinds: M,
    type: 'lines',
    max: 30,
    label: ['Limites', 'Weaknesses'],
    hint: ['Une limite par ligne.', 'One a line.'],
    group: 'practice',
  },
  {
    name: 'qualityConditions',
    kinds: M,
    type: 'lines',
    max: 30,
    label: ['Conditions de qualité', 'Conditions of quality'],
    hint: ['Une condition par ligne.', 'One a line.'],
    group: 'practice',
  },

  {
    name: 'approaches',
    kinds: E,
    type: 'choices',
    vocabulary: 'approaches',
    label: ['Approches', 'Approaches'],
    group: 'practice',
  },
  {
    name: 'targetedParticipants',
    kinds: E,
    type: 'choices',
    vocabulary: 'targetedParticipants',
    label: ['Publics visés', 'Targeted participants'],
    group: 'practice',
  },
  {
    name: 'facilitatorTraining',
    kinds: E,
    type: 'choice',
    vocabulary: 'facilitatorTraining',
    label: ['Formation des facilitateurs', 'Facilitator training'],
    group: 'practice',
  },
  {
    name: 'learningResources',
    kinds: E,
    type: 'choices',
    vocabulary: 'learningResources',
    label: ['Ressources d’information', 'Learning resources'],
    group: 'practice',
  },
  {
    name: 'organiserTypes',
    kinds: E,
    type: 'choices',
    vocabulary: 'actorKind',
    label: ['Types d’organisateurs', 'Types of organisers'],
    group: 'practice',
  },
  { name: 'funder', kinds: E, type: 'text', max: 500, label: ['Financeurs', 'Funders'], group: 'practice' },
  {
    name: 'funderTypes',
    kinds: E,
    type: 'choices',
    vocabulary: 'actorKind',
    label: ['Types de financeurs', 'Types of funders'],
    group: 'practice',
  },
  {
    name: 'staff',
    kinds: E,
    type: 'choice',
    vocabulary: 'yesNo',
    label: ['Personnel rémunéré', 'Paid staff'],
    group: 'practice',
  },
  {
    name: 'volunteers',
    kinds: E,
    type: 'choice',
    vocabulary: 'yesNo',
    label: ['Bénévoles', 'Volunteers'],
    group: 'practice',
  },
  {
    name: 'topics',
    kinds: E,
    type: 'lines',
    max: 30,
    label: ['Sujets précis', 'Specific topics'],
    hint: ['Un par ligne.', 'One a line.'],
    group: 'practice',
  },
  {
    name: 'place',
    kinds: EA,
    type: 'text',
    max: 300,
    label: ['Lieu (ville, région, pays)', 'Place (city, region, country)'],
    group: 'identity',
  },
  {
    name: 'decisionsOutcomes',
    kinds: E,
    type: 'longtext',
    max: 10000,
    label: ['Décisions et effets', 'Decisions and outcomes'],
    group: 'outcome',
  },
  { name: 'result', kinds: E, type: 'choice', vocabulary: 'result', label: ['Résultat', 'Result'], group: 'outcome' },
  {
    name: 'whatWorked',
    kinds: E,
    type: 'longtext',
    max: 10000,
    label: ['Ce qui a marché', 'What worked'],
    group: 'outcome',
  },
  {
    name: 'whatFailed',
    kinds: E,
    type: 'longtext',
    max: 10000,
    label: ['Ce qui n’a pas marché', 'What failed'],
    group: 'outcome',
  },
  {
    name: 'pitfalls',
    kinds: E,
    type: 'choices',
    vocabulary: 'pitfalls',
    label: ['Difficultés rencontrées', 'Problems met'],
    group: 'outcome',
  },
  { name: 'lessons', kinds: E, type: 'longtext', max: 10000, label: ['Leçons', 'Lessons'], group: 'outcome' },
  {
    name: 'changeTypes',
    kinds: E,
    type: 'choices',
    vocabulary: 'changeTypes',
    label: ['Types de changements', 'Types of change'],
    group: 'outcome',
  },
  {
    name: 'implementers',
    kinds: E,
    type: 'choices',
    vocabulary: 'implementers',
    label: ['Qui met en œuvre les changements', 'Implementers of change'],
    group: 'outcome',
  },
  {
    name: 'impactEvidence',
    kinds: E,
    type: 'choice',
    vocabulary: 'yesNo',
    label: ['Preuves d’impact', 'Evidence of impact'],
    group: 'outcome',
  },
  {
    name: 'formalEvaluation',
    kinds: E,
    type: 'choice',
    vocabulary: 'yesNo',
    label: ['Évaluation formelle', 'Formal evaluation'],
    group: 'outcome',
  },
  {
    name: 'evaluationLinks',
    kinds: E,
    type: 'urls',
    max: 20,
    label: ['Évaluations', 'Evaluations'],
    hint: ['Une adresse par ligne.', 'One address a line.'],
    group: 'outcome',
  },
  {
    name: 'openDataUrl',
    kinds: E,
    type: 'url',
    label: ['Données ouvertes de la démarche', 'Open data of the process'],
    group: 'outcome',
  },
  {
    name: 'commitment',
    kinds: E,
    type: 'commitment',
    label: ['Engagement d’un plan d’action', 'Commitment of an action plan'],
    hint: ['Des mots de son titre, ou l’adresse de sa page.', 'Words of its title, or the address of its page.'],
    group: 'outcome',
  },

  {
    name: 'licence',
    kinds: ALL,
    type: 'choice',
    vocabulary: 'licence',
    required: true,
    label: ['Licence', 'Licence'],
    group: 'source',
  },
  { name: 'sourceName', kinds: ALL, type: 'text', max: 300, label: ['Source', 'Source'], group: 'source' },
  { name: 'sourceUrl', kinds: ALL, type: 'url', label: ['Adresse de la source', 'Source address'], group: 'source' },
  {
    name: 'originalAuthors',
    kinds: ALL,
    type: 'text',
    max: 500,
    label: ['Auteurs à la source', 'Authors at the source'],
    group: 'source',
  },
  { name: 'language', kinds: ALL, type: 'text', max: 10, label: ['Langue (code)', 'Language (code)'], group: 'source' },
  {
    name: 'sourceDate',
    kinds: ALL,
    type: 'date',
    label: ['Date de la fiche dans la source', 'Date of the fiche at the source'],
    group: 'source',
  },
]

export const FIELD_BY_NAME = new Map(FIELDS.map((f) => [f.name, f]))

export function fieldsOf(kind: FicheKind): FieldSpec[] {
  return FIELDS.filter((f) => f.kinds.includes(kind))
}

export function fieldLabel(field: FieldSpec, locale: Locale): string {
  return field.label[locale === 'fr' ? 0 : 1]
}
