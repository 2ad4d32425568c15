import { LICENCE_OUVERTE, type CsvColumn } from '../../platform/http/csv.ts'
import type { CommitmentExportRow, HistoryExportRow } from './queries.ts'

interface Documented<Row> extends CsvColumn<Row> {
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime'
  description: string
}

const col = <Row>(
  name: string,
  type: Documented<Row>['type'],
  description: string,
  value: (row: Row) => unknown,
): Documented<Row> => ({ name, type, description, value })

export const HISTORY_COLUMNS: Documented<HistoryExportRow>[] = [
  col('territoire_type', 'string', 'commune, epci, ept, departement, region ou autre', (r) => r.territory_kind),
  col('territoire_code', 'string', 'code INSEE, SIREN (EPCI, EPT) ou identifiant', (r) => r.territory_code),
  col('territoire_nom', 'string', 'nom du territoire', (r) => r.territory_name),
  col('numero', 'integer', 'numéro de l’entrée dans l’historique du territoire (1, 2, 3…)', (r) => r.seq),
  col(
    'nature',
    'string',
    'update (mise à jour), correction, revision (modification du texte d’un engagement publié)',
    (r) => r.kind,
  ),
  col('date', 'datetime', 'date et heure de publication (UTC)', (r) => new Date(r.recorded_at)),
  col('plan_id', 'string', 'identifiant du plan d’action', (r) => r.plan_id),
  col('plan_titre', 'string', 'titre du plan', (r) => r.plan_title),
  col('engagement_id', 'string', 'identifiant de l’engagement', (r) => r.commitment_id),
  col('engagement_titre', 'string', 'titre actuel de l’engagement', (r) => r.commitment_title),
  col('jalon', 'string', 'jalon concerné, vide si l’entrée porte sur l’engagement', (r) => r.milestone_title),
  col(
    'etat',
    'string',
    'nouvel état annoncé : non_commence, en_cours, en_retard, en_pause, bloque, abandonne, termine',
    (r) => r.content.status,
  ),
  col('avancement', 'integer', 'avancement annoncé du jalon, en %', (r) => r.content.progress),
  col('recit', 'string', 'ce qui a été fait', (r) => r.content.narrative),
  col('preuves', 'string', 'adresses des preuves, séparées par « | »', (r) => r.content.evidence),
  col('prochaines_etapes', 'string', 'prochaines étapes', (r) => r.content.nextSteps),
  col(
    'modifications',
    'string',
    'pour une révision : champs modifiés avec avant et après (JSON)',
    (r) => r.content.changes,
  ),
  col('corrige_numero', 'integer', 'pour une correction : numéro de l’entrée corrigée', (r) => r.corrects_seq),
  col('empreinte_precedente', 'string', 'empreinte SHA-256 de l’entrée précédente (chaînage)', (r) => r.prev_hash),
  col('empreinte', 'string', 'empreinte SHA-256 de cette entrée', (r) => r.hash),
]

export const COMMITMENT_COLUMNS: Documented<CommitmentExportRow>[] = [
  col('territoire_type', 'string', 'commune, epci, ept, departement, region ou autre', (r) => r.territory_kind),
  col('territoire_code', 'string', 'code INSEE, SIREN (EPCI, EPT) ou identifiant', (r) => r.territory_code),
  col('territoire_nom', 'string', 'nom du territoire', (r) => r.territory_name),
  col('plan_id', 'string', 'identifiant du plan d’action', (r) => r.plan_id),
  col('plan_titre', 'string', 'titre du plan', (r) => r.plan_title),
  col('plan_etat', 'string', 'published (publié) ou closed (clos)', (r) => r.plan_status),
  col('engagement_id', 'string', 'identifiant de l’engagement', (r) => r.id),
  col('rang', 'integer', 'rang de l’engagement dans le plan', (r) => r.position),
  col('titre', 'string', 'titre', (r) => r.title),
  col('probleme', 'string', 'problème public', (r) => r.problem),
  col('engagement', 'string', 'description de l’engagement', (r) => r.description),
  col('contribution', 'string', 'comment il répond au problème', (r) => r.contribution),
  col(
    'valeurs_ogp',
    'string',
    'access_to_information, civic_participation, public_accountability, technology_innovation, séparées par « | »',
    (r) => r.ogp_values,
  ),
  col('impacts_attendus', 'string', 'impacts attendus', (r) => r.expected_impacts),
  col('porteur', 'string', 'service ou institution porteuse', (r) => r.lead_actor),
  col('partenaires', 'string', 'partenaires, dont société civile', (r) => r.supporting_actors),
  col('themes', 'string', 'thèmes, séparés par « | »', (r) => r.themes),
  col('debut', 'date', 'date de début', (r) => r.start_date),
  col('fin', 'date', 'date de fin', (r) => r.end_date),
  col('budget_eur', 'number', 'budget en euros', (r) => r.budget_eur),
  col('deliberation', 'string', 'adresse de la délibération d’adoption', (r) => r.deliberation_url),
  col(
    'etat',
    'string',
    'état au jour de l’export : en_pause, bloque ou abandonne fixés à la main, sinon calculé depuis les jalons (non_commence, en_cours, en_retard, termine)',
    (r) => r.status,
  ),
  col(
    'etat_fixe_a_la_main',
    'boolean',
    'true quand l’état a été fixé à la main (pause, blocage, abandon)',
    (r) => r.status_set_by_hand,
  ),
  col('motif_etat', 'string', 'motif public d’une pause, d’un blocage ou d’un abandon', (r) => r.held_reason),
  col('jalons', 'integer', 'nombre de jalons (hors abandonnés)', (r) => r.milestones),
  col('jalons_termines', 'integer', 'jalons terminés', (r) => r.milestones_done),
  col(
    'jalons_en_retard',
    'integer',
    'jalons dont l’échéance est passée sans qu’ils soient terminés, au jour de l’export',
    (r) => r.milestones_late,
  ),
  col(
    'avancement',
    'number',
    'avancement en %, calculé depuis les jalons (pondéré si tous ont un poids)',
    (r) => r.progress,
  ),
]

/** A Table Schema (frictionless, as schema.data.gouv.fr uses) describing an export's columns. */
export function tableSchema(
  title: string,
  description: string,
  columns: Documented<never>[] | Documented<HistoryExportRow>[] | Documented<CommitmentExportRow>[],
) {
  return {
    $schema: 'https://specs.frictionlessdata.io/schemas/table-schema.json',
    title,
    description,
    licenses: [{ name: 'etalab-2.0', title: 'Licence Ouverte 2.0', path: LICENCE_OUVERTE }],
    fields: (columns as Documented<unknown>[]).map((c) => ({ name: c.name, type: c.type, description: c.description })),
  }
}
