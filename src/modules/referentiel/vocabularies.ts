import type { Locale } from '../../platform/i18n/index.ts'

/**
 * Controlled vocabularies of the référentiel. Keys are Participedia's (participedia/api,
 * `shared-field-options.js`) so that its exports import without loss; labels are ours, French first.
 * Each entry is key → [French, English].
 */
type Labels = Record<string, readonly [string, string]>

export const VOCABULARIES = {
  /** themes: Participedia's general issues */
  themes: {
    agriculture: ['Agriculture, forêts, pêche et alimentation', 'Agriculture, forestry, fishing & food'],
    arts: ['Arts, culture et loisirs', 'Arts, culture & recreation'],
    business: ['Entreprises', 'Business'],
    economics: ['Économie', 'Economics'],
    education: ['Éducation', 'Education'],
    energy: ['Énergie', 'Energy'],
    environment: ['Environnement', 'Environment'],
    governance: ['Gouvernance et institutions politiques', 'Governance & political institutions'],
    health: ['Santé', 'Health'],
    housing: ['Logement', 'Housing'],
    human: ['Droits humains et libertés', 'Human rights & civil rights'],
    identity: ['Identité et diversité', 'Identity & diversity'],
    immigration: ['Immigration et migrations', 'Immigration & migration'],
    international: ['Affaires internationales', 'International affairs'],
    labor: ['Travail et emploi', 'Labour & work'],
    law: ['Justice, sécurité et droit', 'Law enforcement, criminal justice & corrections'],
    media: ['Médias, télécommunications et information', 'Media, telecommunications & information'],
    national: ['Sécurité nationale', 'National security'],
    planning: ['Aménagement et développement', 'Planning & development'],
    science: ['Science et technologie', 'Science & technology'],
    social: ['Solidarités et action sociale', 'Social welfare'],
    transportation: ['Transports', 'Transportation'],
  },
  purposes: {
    make: [
      'Prendre, influencer ou contester des décisions publiques',
      'Make, influence, or challenge decisions of government and public bodies',
    ],
    make_influence: [
      'Prendre, influencer ou contester des décisions d’organisations privées',
      'Make, influence, or challenge decisions of private organisations',
    ],
    deliver: ['Produire des biens et des services', 'Deliver goods & services'],
    develop: [
      'Développer les capacités civiques des individus',
      'Develop the civic capacities of individuals, communities, and/or civil society organisations',
    ],
    academic: ['Recherche', 'Research or experimental purposes'],
  },
  /** IAP2 spectrum of public participation */
  iap2: {
    inform: ['Informer', 'Inform'],
    consult: ['Consulter', 'Consult'],
    involve: ['Impliquer', 'Involve'],
    collaborate: ['Collaborer', 'Collaborate'],
    empower: ['Donner le pouvoir de décider', 'Empower'],
    not: ['Non applicable', 'Not applicable'],
  },
  format: {
    facetoface: ['En présentiel', 'Face-to-face'],
    online: ['En ligne', 'Online'],
    both: ['En présentiel et en ligne', 'Both'],
  },
  methodTypes: {
    collaborative: ['Approches collaboratives', 'Collaborative approaches'],
    community: [
      'Développement, organisation et mobilisation des communautés',
      'Community development, organizing & mobilization',
    ],
    deliberative: ['Processus délibératif et de dialogue', 'Deliberative & dialogic process'],
    direct: ['Démocratie directe', 'Direct democracy'],
    evaluation: ['Évaluation, suivi et contrôle', 'Evaluation, oversight & social auditing'],
    experiential: ['Éducation expérientielle et immersive', 'Experiential & immersive education'],
    informal: ['Espaces de conversation informels', 'Informal conversation spaces'],
    informal_participation: ['Participation informelle', 'Informal participation'],
    internal: ['Processus internes aux organisations', 'Internal organisational processes'],
    longterm: ['Organes civiques permanents', 'Long-term civic bodies'],
    participantled: ['Réunions animées par les participants', 'Participant-led meetings'],
    participatory: ['Arts participatifs', 'Participatory arts'],
    planning: ['Planification participative', 'Planning'],
    protest: ['Protestation et contestation', 'Protest'],
    public: ['Budget participatif', 'Public budgeting'],
    public_meetings: ['Réunions publiques', 'Public meetings'],
    research: ['Recherche participative', 'Research'],
  },
  toolTypes: {
    manage: ['Gérer et former', 'Manage and/or train'],
    collect: ['Recueillir, analyser et diffuser des données', 'Collect, analyse and/or solicit feedback'],
    facilitate: ['Animer le dialogue et la délibération', 'Facilitate dialogue, discussion, and/or deliberation'],
    facilitate_decisionmaking: ['Faciliter la décision', 'Facilitate decision-making'],
    legislation: ['Rédiger des textes et des lois', 'Legislation, policy, or regulation'],
    recruit: ['Recruter et sélectionner des participants', 'Recruit or select participants'],
    plan: ['Planifier et cartographier', 'Plan, map and/or visualise options'],
    propose: ['Proposer et élaborer', 'Propose and/or develop policies, ideas, plans'],
    inform: ['Informer et sensibiliser', 'Inform, educate and/or raise awareness'],
  },
  participants: {
    individuals: ['Individus', 'Individuals'],
    small: ['Petits groupes (2 à 20)', 'Small groups (2–20)'],
    medium: ['Groupes moyens (21 à 100)', 'Medium-sized groups (21–100)'],
    large: ['Grands groupes (plus de 100)', 'Large groups (over 100)'],
    no_limit: ['Sans limite', 'No limit on the number of participants'],
  },
  scope: {
    organization: ['Organisation', 'Organization'],
    neighbourhood: ['Quartier', 'Neighbourhood'],
    'city/town': ['Commune', 'City/town'],
    local: ['Local', 'Local'],
    metropolitan: ['Métropole, intercommunalité', 'Metropolitan area'],
    regional: ['Région, département', 'Regional'],
    national: ['National', 'National'],
    multinational: ['Multinational', 'Multinational'],
    international: ['International', 'International'],
    no_geo: ['Sans limite géographique', 'No geographical limits'],
  },
  openLimited: {
    open: ['Ouvert à tous', 'Open to all'],
    open_to: ['Ouvert à tous, avec un recrutement ciblé', 'Open to all with special effort to recruit some groups'],
    limited: ['Limité à certains groupes', 'Limited to only some groups or individuals'],
    both: ['Mixte', 'Both'],
  },
  recruitment: {
    captive: ['Échantillon captif', 'Captive sample'],
    random: ['Tirage au sort', 'Random sample'],
    stratified: ['Tirage au sort stratifié', 'Stratified random sample'],
    appointment: ['Nomination', 'Appointment'],
    election: ['Élection', 'Election'],
    not: ['Non applicable', 'Not applicable'],
  },
  interactions: {
    acting: ['Jeux, théâtre, jeux de rôle', 'Acting, drama, or roleplay'],
    ask: ['Questions-réponses', 'Ask & answer questions'],
    discussion: ['Discussion, dialogue ou délibération', 'Discussion, dialogue, or deliberation'],
    express: ['Expression d’opinions ou de préférences', 'Express opinions/preferences only'],
    formal: ['Témoignages formels', 'Formal testimony'],
    informal: ['Interactions sociales informelles', 'Informal social activities'],
    listenwatch: ['Écoute et observation', 'Listen/watch as spectator'],
    negotiation: ['Négociation et marchandage', 'Negotiation & bargaining'],
    storytelling: ['Récits', 'Storytelling'],
    teachinginstructing: ['Enseignement', 'Teaching/instructing'],
    no_interaction: ['Pas d’interaction entre participants', 'No interaction among participants'],
  },
  decisionMethods: {
    opinion: ['Sondage d’opinion', 'Opinion survey'],
    idea: ['Recueil d’idées, ni vote ni consensus', 'Idea generation'],
    general: ['Accord général ou consensus', 'General agreement/consensus'],
    voting: ['Vote', 'Voting'],
    'n/a': ['Sans objet', 'Not applicable'],
    dont: ['Ne sait pas', 'Don’t know'],
  },
  voting: {
    preferential: ['Vote préférentiel', 'Preferential voting'],
    plurality: ['Vote à la pluralité', 'Plurality'],
    majoritarian: ['Vote majoritaire', 'Majoritarian voting'],
    supermajoritarian: ['Majorité qualifiée', 'Super-majoritarian'],
    unanimous: ['Unanimité', 'Unanimous decision'],
    dont: ['Ne sait pas', 'Don’t know'],
  },
  yesNo: {
    yes: ['Oui', 'Yes'],
    no: ['Non', 'No'],
    not_applicable: ['Sans objet', 'Not applicable'],
  },
  polarization: {
    not: ['Pas polarisé', 'Not polarized'],
    low: ['Faiblement polarisé', 'Low polarization'],
    moderate: ['Modérément polarisé', 'Moderate polarization'],
    polarized: ['Polarisé', 'Polarized'],
    high: ['Très polarisé', 'High polarization'],
  },
  complexity: {
    very_low: ['Très faible', 'Very low complexity'],
    low: ['Faible', 'Low complexity'],
    moderate: ['Modérée', 'Moderate complexity'],
    high: ['Élevée', 'High complexity'],
    very_high: ['Très élevée', 'Very high complexity'],
  },
  approaches: {
    advocacy: ['Plaidoyer', 'Advocacy'],
    citizenship: ['Formation à la citoyenneté', 'Citizenship building'],
    civil: ['Renforcement de la société civile', 'Civil society building'],
    cogovernance: ['Co-gouvernance', 'Co-governance'],
    coproduction: ['Coproduction en partenariat', 'Co-production in form of partnership'],
    coproduction_form: ['Coproduction sous contrat', 'Co-production in form of contract'],
    consultation: ['Consultation', 'Consultation'],
    direct: ['Décision directe', 'Direct decision-making'],
    independent: ['Action indépendante', 'Independent action'],
    informal: [
      'Intermédiation informelle auprès des pouvoirs publics',
      'Informal engagement by intermediaries with public authorities',
    ],
    informal_engagement: [
      'Intermédiation informelle auprès d’acteurs privés',
      'Informal engagement by intermediaries with non-public authorities',
    ],
    leadership: ['Développement du leadership', 'Leadership development'],
    evaluation: ['Évaluation, suivi et contrôle', 'Evaluation, oversight & social auditing'],
    protest: ['Protestation', 'Protest'],
    research: ['Recherche', 'Research'],
    social: ['Mobilisation sociale', 'Social mobilization'],
  },
  targetedParticipants: {
    appointed: ['Agents publics', 'Appointed public servants'],
    lgbt: ['Personnes LGBT', 'LGBT people'],
    elderly: ['Personnes âgées', 'Elderly'],
    elected: ['Élus', 'Elected public officials'],
    experts: ['Experts', 'Experts'],
    indigenous: ['Peuples autochtones', 'Indigenous people'],
    immigrants: ['Personnes immigrées', 'Immigrants'],
    lowincome: ['Personnes à faibles revenus', 'Low-income people'],
    men: ['Hommes', 'Men'],
    people: ['Personnes en situation de handicap', 'People with disabilities'],
    racialethnic: ['Minorités ethniques', 'Racial/ethnic groups'],
    religious: ['Groupes religieux', 'Religious groups'],
    stakeholder: ['Organisations parties prenantes', 'Stakeholder organizations'],
    students: ['Étudiants', 'Students'],
    women: ['Femmes', 'Women'],
    youth: ['Jeunes', 'Youth'],
  },
  changeTypes: {
    changes: [
      'Évolution des personnes (connaissances, attitudes)',
      'Changes in people’s knowledge, attitudes, and behavior',
    ],
    changes_civic: ['Évolution des capacités civiques', 'Changes in civic capacities'],
    changes_public: ['Évolution des politiques publiques', 'Changes in public policy'],
    changes_how: ['Évolution du fonctionnement des institutions', 'Changes in how institutions operate'],
    conflict: ['Transformation d’un conflit', 'Conflict transformation'],
  },
  implementers: {
    lay: ['Citoyens', 'Lay public'],
    stakeholder: ['Organisations parties prenantes', 'Stakeholder organizations'],
    elected: ['Élus', 'Elected public officials'],
    appointed: ['Agents publics', 'Appointed public servants'],
    experts: ['Experts', 'Experts'],
    corporations: ['Entreprises', 'Corporations'],
  },
  facilitatorTraining: {
    professional: ['Professionnels', 'Professional facilitators'],
    trained: ['Formés pour l’occasion', 'Trained, nonprofessional facilitators'],
    untrained: ['Non formés', 'Untrained, nonprofessional facilitators'],
  },
  learningResources: {
    expert: ['Exposés d’experts', 'Expert presentations'],
    participant: ['Présentations par des participants', 'Participant presentations'],
    site: ['Visites de terrain', 'Site visits'],
    teachins: ['Séances de formation', 'Teach-ins'],
    video: ['Vidéos', 'Video presentations'],
    written: ['Documents écrits', 'Written briefing materials'],
    no_info: ['Pas de ressources', 'Not applicable'],
  },
  /** ours: Participedia has none */
  methodSubtype: {
    method: ['Méthode', 'Method'],
    tool: ['Outil', 'Tool'],
  },
  duration: {
    hours: ['Quelques heures', 'A few hours'],
    days: ['Un à quelques jours', 'One to a few days'],
    weeks: ['Quelques semaines', 'A few weeks'],
    months: ['Quelques mois', 'A few months'],
    year: ['Un an ou plus', 'A year or more'],
    ongoing: ['Permanent', 'Ongoing'],
  },
  cost: {
    free: ['Gratuit ou presque', 'Free or nearly'],
    low: ['Moins de 5 000 €', 'Under €5,000'],
    medium: ['5 000 à 50 000 €', '€5,000 to €50,000'],
    high: ['50 000 à 250 000 €', '€50,000 to €250,000'],
    very_high: ['Plus de 250 000 €', 'Over €250,000'],
  },
  result: {
    success: ['Réussite', 'Success'],
    mixed: ['Résultats mitigés', 'Mixed results'],
    failure: ['Échec', 'Failure'],
    too_early: ['Trop tôt pour le dire', 'Too early to tell'],
  },
  institutionKind: {
    ministry: ['Ministère ou service de l’État', 'Ministry or State service'],
    public_body: ['Établissement ou autorité publics', 'Public body'],
    territory: ['Collectivité territoriale', 'Local government'],
    association: ['Association, collectif', 'Association, collective'],
    other: ['Autre', 'Other'],
  },
  /** recurrent problems, for the inventory's "what went wrong" */
  pitfalls: {
    no_follow_up: ['Pas de suite donnée aux contributions', 'No follow-up of contributions'],
    late: ['Participation trop tardive, décision déjà prise', 'Too late: the decision was already taken'],
    unclear_mandate: ['Mandat ou marges de manœuvre flous', 'Unclear mandate or room for manoeuvre'],
    low_turnout: ['Faible participation', 'Low turnout'],
    unrepresentative: ['Participants peu représentatifs', 'Unrepresentative participants'],
    digital_divide: ['Fracture numérique', 'Digital divide'],
    resources: ['Moyens ou temps insuffisants', 'Insufficient resources or time'],
    transparency: ['Manque de transparence', 'Lack of transparency'],
    capture: ['Captation par des intérêts organisés', 'Capture by organised interests'],
    internal_resistance: ['Résistances internes à l’administration', 'Internal resistance in the administration'],
  },
  /** Participedia's organizer types, for actors */
  actorKind: {
    academic: ['Établissement d’enseignement ou de recherche', 'Academic institution'],
    activist: ['Réseau militant', 'Activist network'],
    community: ['Organisation de quartier ou communautaire', 'Community-based organization'],
    faithbased: ['Organisation confessionnelle', 'Faith-based organization'],
    forprofit: ['Entreprise', 'For-profit business'],
    governmentowned: ['Entreprise publique', 'Government-owned corporation'],
    individual: ['Personne', 'Individual'],
    international: ['Organisation internationale', 'International organization'],
    local: ['Collectivité locale', 'Local government'],
    national: ['Administration de l’État', 'National government'],
    nongovernmental: ['Association, ONG', 'Non-governmental organization'],
    philanthropic: ['Fondation', 'Philanthropic organization'],
    regional: ['Collectivité régionale', 'Regional government'],
    social: ['Mouvement social', 'Social movement'],
    labortrade: ['Syndicat', 'Labour/trade union'],
  },
  sector: {
    for_profit: ['Secteur privé lucratif', 'For profit'],
    government: ['Secteur public', 'Government'],
    non_profit_non_gov: ['Secteur associatif', 'Non-profit / non-governmental'],
    higher_ed: ['Enseignement supérieur', 'Higher education'],
  },
  licence: {
    'etalab-2.0': ['Licence Ouverte 2.0 (Etalab)', 'Open Licence 2.0 (Etalab)'],
    'odbl-1.0': ['ODbL 1.0', 'ODbL 1.0'],
    'cc-by-4.0': ['CC BY 4.0', 'CC BY 4.0'],
    'cc-by-sa-4.0': ['CC BY-SA 4.0', 'CC BY-SA 4.0'],
    'cc-by-nc-sa-3.0': ['CC BY-NC-SA 3.0 (Participedia)', 'CC BY-NC-SA 3.0 (Participedia)'],
    mit: ['Licence MIT', 'MIT Licence'],
  },
} as const satisfies Record<string, Labels>

export type VocabularyName = keyof typeof VOCABULARIES

/** Licences a contributor may choose for a fiche written here (the law allows these two for public data). */
export const CONTRIBUTOR_LICENCES = ['etalab-2.0', 'odbl-1.0'] as const

export const LICENCE_URLS: Record<string, string> = {
  'etalab-2.0': 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
  'odbl-1.0': 'https://opendatacommons.org/licenses/odbl/1-0/',
  'cc-by-4.0': 'https://creativecommons.org/licenses/by/4.0/',
  'cc-by-sa-4.0': 'https://creativecommons.org/licenses/by-sa/4.0/',
  'cc-by-nc-sa-3.0': 'https://creativecommons.org/licenses/by-nc-sa/3.0/',
  mit: 'https://opensource.org/license/mit',
}

/** Older or variant keys found in Participedia's exports, and the key they mean. */
export const PARTICIPEDIA_ALIASES: Partial<Record<VocabularyName, Record<string, string>>> = {
  recruitment: { captive_sample: 'captive' },
  polarization: {
    moderate_polarization: 'moderate',
    not_polarized: 'not',
    low_polarization: 'low',
    high_polarization: 'high',
  },
  decisionMethods: { not_applicable: 'n/a', 'general_agreement/consensus': 'general' },
  yesNo: { '1': 'yes', '0': 'no', true: 'yes', false: 'no' },
  // the organisations export writes its sectors as words
  sector: {
    'for profit': 'for_profit',
    'non-profit or non governmental': 'non_profit_non_gov',
    'non profit or non governmental': 'non_profit_non_gov',
    'university or research': 'higher_ed',
    'higher education': 'higher_ed',
    government: 'government',
  },
}

/** A key, a label or an alias, compared without case, accents, punctuation or a plural's final s. */
const normalised = (value: string) =>
  value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '')

const resolvers = new Map<VocabularyName, Map<string, string>>()
function resolverOf(vocabulary: VocabularyName): Map<string, string> {
  let resolver = resolvers.get(vocabulary)
  if (!resolver) {
    resolver = new Map()
    const add = (form: string, key: string) => {
      const n = normalised(form)
      if (n && !resolver!.has(n)) resolver!.set(n, key)
    }
    for (const [key, labels] of Object.entries(VOCABULARIES[vocabulary] as Labels)) {
      add(key, key)
      add(labels[1], key)
      add(labels[0], key)
    }
    for (const [alias, key] of Object.entries(PARTICIPEDIA_ALIASES[vocabulary] ?? {})) add(alias, key)
    resolvers.set(vocabulary, resolver)
  }
  return resolver
}

/**
 * The key a source's value stands for — the key itself, a legacy alias, or the English or French label as exports
 * write them ("For Profit", "educations") — or null when it is none of these.
 */
export function resolveVocabulary(vocabulary: VocabularyName, raw: string): string | null {
  const value = raw.trim()
  if (value === '') return null
  if (isVocabularyKey(vocabulary, value)) return value
  const alias = PARTICIPEDIA_ALIASES[vocabulary]?.[value] ?? PARTICIPEDIA_ALIASES[vocabulary]?.[value.toLowerCase()]
  if (alias) return alias
  const resolver = resolverOf(vocabulary)
  const n = normalised(value)
  return resolver.get(n) ?? (n.endsWith('s') ? (resolver.get(n.slice(0, -1)) ?? null) : null)
}

export function isVocabularyKey(vocabulary: VocabularyName, key: string): boolean {
  return Object.hasOwn(VOCABULARIES[vocabulary], key)
}

export function vocabularyKeys(vocabulary: VocabularyName): string[] {
  return Object.keys(VOCABULARIES[vocabulary])
}

/** The label of a key in the reader's language (the key itself when unknown). */
export function vocabularyLabel(vocabulary: VocabularyName, key: string, locale: Locale): string {
  const labels = (VOCABULARIES[vocabulary] as Labels)[key]
  return labels ? labels[locale === 'fr' ? 0 : 1] : key
}

export function vocabularyOptions(vocabulary: VocabularyName, locale: Locale): { value: string; label: string }[] {
  return vocabularyKeys(vocabulary).map((key) => ({ value: key, label: vocabularyLabel(vocabulary, key, locale) }))
}
