import { sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, conflict, forbidden } from '../../platform/errors.ts'
import { parseCsv } from '../../platform/http/csv-parse.ts'
import { findPlan } from '../plans/index.ts'
import { OGP_SHEET, OGP_VALUES, type Moment } from './scales.ts'
import type { Relevance } from './tables.ts'

/** The sheet's value columns, in the order of OGP_VALUES (the end-of-term sheet has no technology column). */
const RELEVANCE_COLUMNS = ['OGP Value Access To Information', 'OGP Value Civic Participation', 'OGP Value Public Accountability', 'OGP Value Technology']
const DIOG_COLUMNS = ['Did It Open Government (Access To Information)', 'Did It Open Government (Civic Participation)', 'Did It Open Government: Public Accountability', null]

export interface ImportedRatings {
  inception: number
  endOfTerm: number
}

/**
 * Imports the ratings that OGP's Independent Reporting Mechanism published for a plan's commitments (OGP's
 * commitment sheet): matched to the plan's commitments by their OGP identifier (kept by the plan import in
 * each commitment's text) or their exact title, and published as reports whose source is "ogp". All or
 * nothing; a plan that already has a report of that moment is refused.
 */
export async function importOgpRatings(db: Db, actor: CurrentUser, planId: string, text: string): Promise<ImportedRatings> {
  if (!actor.isPlatformAdmin) throw forbidden()
  const plan = await findPlan(db, planId)
  if (plan.status !== 'published' && plan.status !== 'closed') throw conflict('PLAN_NOT_PUBLIC', 'Publiez d’abord le plan : ses appréciations importées sont publiques.')
  const rows = parseCsv(text)
  const header = rows[0] ?? []
  if (!header.includes('Commitment Unique Identifier') || !header.includes('Verifiable')) {
    throw new AppError('NOT_OGP_SHEET', { status: 422, userMessage: 'Ce fichier n’est pas la fiche des engagements de l’OGP (colonnes « Commitment Unique Identifier » et « Verifiable » attendues).' })
  }
  const commitments = await queryRows<{ id: string; title: string; description: string }>(db, sql`select id, title, description from commitments where plan_id = ${plan.id}`)
  const problems: string[] = []
  const inception: { commitmentId: string; verifiable: boolean; relevance: Relevance; impact: string | null; note: string }[] = []
  const endOfTerm: { commitmentId: string; completion: string; diog: string | null; values: Record<string, string>; note: string }[] = []
  rows.slice(1).forEach((cells, index) => {
    const row = Object.fromEntries(header.map((name, i) => [name, (cells[i] ?? '').trim()]))
    const line = `ligne ${index + 2}`
    const id = row['Commitment Unique Identifier'] ?? ''
    const title = row['Commitment Title'] || row['Short Title'] || ''
    const commitment = commitments.find((c) => id && c.description.includes(`engagement OGP ${id}`)) ?? commitments.find((c) => c.title === title)
    const verifiable = row.Verifiable === 'Yes' ? true : row.Verifiable === 'No' ? false : null
    const completion = OGP_SHEET.completion[row['Completion (End Of Term)'] ?? ''] ?? null
    if (verifiable === null && completion === null) return // no IRM rating on this row
    if (!commitment) {
      problems.push(`${line} (${id || title}) : aucun engagement de ce plan ne correspond`)
      return
    }
    if (verifiable !== null) {
      const progressYear = row['Report Publication Year (Progress Report)']
      inception.push({
        commitmentId: commitment.id,
        verifiable,
        relevance: Object.fromEntries(
          OGP_VALUES.flatMap((value, i) => {
            const cell = row[RELEVANCE_COLUMNS[i]!]
            return cell === '1' || cell === '0' ? [[value, { relevant: cell === '1', justification: 'Appréciation de l’IRM.' }]] : []
          }),
        ),
        impact: OGP_SHEET.impact[row['Potential Impact'] ?? ''] ?? null,
        note: `Appréciation publiée par l’IRM${/^\d{4}$/.test(progressYear ?? '') ? ` (rapport ${progressYear})` : ''}.`,
      })
    }
    if (completion !== null) {
      const year = row['Report Publication Year (End Of Term)']
      const diog = OGP_SHEET.diog[row['Did It Open Government (Overall)'] ?? '']
      endOfTerm.push({
        commitmentId: commitment.id,
        completion,
        diog: diog && diog !== 'not_applicable' ? diog : null,
        values: Object.fromEntries(OGP_VALUES.map((value, i) => [value, (DIOG_COLUMNS[i] && OGP_SHEET.diog[row[DIOG_COLUMNS[i]!] ?? '']) || 'not_applicable'])),
        note: `Appréciation publiée par l’IRM${/^\d{4}$/.test(year ?? '') ? ` (rapport de fin de mandat ${year})` : ''}.`,
      })
    }
  })
  if (problems.length > 0) throw new AppError('IMPORT_FAILED', { status: 422, userMessage: problems.slice(0, 50).join('\n') })
  if (inception.length === 0 && endOfTerm.length === 0) throw new AppError('NO_RATINGS', { status: 422, userMessage: 'Aucune appréciation de l’IRM dans ce fichier pour ce plan.' })

  return db.transaction(async (tx) => {
    const create = async (moment: Moment) => {
      const [existing] = await queryRows<{ id: string }>(tx, sql`select id from assessments where plan_id = ${plan.id} and moment = ${moment}`)
      if (existing) throw conflict('ALREADY_ASSESSED', 'Ce plan a déjà un rapport pour ce moment : les appréciations de l’IRM ne s’y ajoutent pas.')
      const [row] = await queryRows<{ id: string }>(
        tx,
        sql`insert into assessments (territory_id, plan_id, moment, source, summary, created_by)
            values (${plan.territoryId}, ${plan.id}, ${moment}, 'ogp', 'Appréciations publiées par le mécanisme d’évaluation indépendant (IRM) du Partenariat pour un gouvernement ouvert.', ${actor.id})
            returning id`,
      )
      return row!.id
    }
    if (inception.length > 0) {
      const id = await create('inception')
      for (const r of inception) {
        await tx.execute(sql`insert into commitment_assessments (assessment_id, commitment_id, territory_id, verifiable, verifiable_justification, relevance, potential_impact, impact_justification)
          values (${id}, ${r.commitmentId}, ${plan.territoryId}, ${r.verifiable}, ${r.note}, ${JSON.stringify(r.relevance)}::jsonb, ${r.impact}, ${r.impact ? r.note : ''})`)
      }
      await tx.execute(sql`update assessments set status = 'published', published_at = now(), published_by = ${actor.id} where id = ${id}`)
    }
    if (endOfTerm.length > 0) {
      const id = await create('end_of_term')
      for (const r of endOfTerm) {
        await tx.execute(sql`insert into commitment_assessments (assessment_id, commitment_id, territory_id, completion, completion_justification, diog_overall, diog_values, diog_justification)
          values (${id}, ${r.commitmentId}, ${plan.territoryId}, ${r.completion}, ${r.note}, ${r.diog}, ${JSON.stringify(r.values)}::jsonb, ${r.diog ? r.note : ''})`)
      }
      await tx.execute(sql`update assessments set status = 'published', published_at = now(), published_by = ${actor.id} where id = ${id}`)
    }
    await recordAudit(tx, { actorId: actor.id, territoryId: plan.territoryId, action: 'assessment.ogp_imported', subjectType: 'action_plan', subjectId: plan.id, after: { inception: inception.length, endOfTerm: endOfTerm.length } })
    return { inception: inception.length, endOfTerm: endOfTerm.length }
  })
}
