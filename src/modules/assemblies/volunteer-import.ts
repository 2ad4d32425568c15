/** Volunteers imported from the organiser's file (a call campaign, a paper form). */
import { sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, conflict } from '../../platform/errors.ts'
import { MalformedCsv, readCsv } from '../../platform/import/csv.ts'
import { UnreadableFile, worded } from '../../platform/import/text.ts'
import type { Translate } from '../../platform/i18n/index.ts'
import { isEmail, normalizeEmail } from '../../platform/http/rules.ts'
import { listQuotas } from './quotas.ts'

import { assertManager, findAssembly } from './service.ts'
import { type VolunteerInput, householdKey, insertVolunteer } from './volunteers.ts'
/** Problems of a volunteers' CSV file, each with its line. */
export class ImportProblems extends AppError {
  constructor(readonly problems: string[]) {
    super('INVALID_IMPORT', { status: 422, userMessage: problems.slice(0, 20).join(' ') })
  }
}

const CONTACT_COLUMNS = {
  fullName: ['name', 'nom', 'full_name'],
  email: ['email', 'e-mail', 'courriel'],
  phone: ['phone', 'telephone', 'téléphone'],
  address: ['address', 'adresse'],
}

/** The longest contact value a volunteer's row may hold (the table checks the same lengths). */
const CONTACT_MAX = { fullName: 200, email: 320, phone: 40, address: 500 } as const

/** What an import did: rows added, and rows skipped because the same person is already in the pool. */
export interface VolunteersImported {
  imported: number
  alreadyInPool: number
}

/** Who a row is, to recognise a person imported twice: the e-mail address, or without one every value of the row. */
function personKey(input: VolunteerInput): string {
  if (input.email) return `email:${normalizeEmail(input.email)}`
  const features = Object.keys(input.features)
    .sort()
    .map((c) => [c, input.features[c]])
  return `row:${JSON.stringify([input.fullName.trim().toLowerCase(), input.phone?.replace(/\s+/g, '') ?? '', input.address?.trim().toLowerCase() ?? '', features])}`
}

/**
 * Imports volunteers from a CSV with one column per quota category (as `respondents.csv`), and optionally name,
 * email, phone and address columns. All rows or none; every problem names its line. Importing the same file again
 * (or an updated export of the same register) adds only the people not yet in the pool.
 */
export async function importVolunteers(
  db: Db,
  options: { actor: CurrentUser; assemblyId: string; file: Uint8Array; t: Translate },
): Promise<VolunteersImported> {
  const { actor, assemblyId, file, t } = options
  const assembly = await findAssembly(db, assemblyId)
  const quotas = await listQuotas(db, assemblyId)
  if (quotas.length === 0) throw conflict('NO_QUOTAS', t('assembly.import.noQuotas'))
  let table
  try {
    table = readCsv(file, { name: 'volontaires.csv', caseInsensitiveHeader: true })
  } catch (error) {
    if (error instanceof MalformedCsv) throw new ImportProblems(error.problems.map((p) => worded(t, p)))
    if (error instanceof UnreadableFile) throw new ImportProblems([worded(t, error.problem)])
    throw error
  }
  // headings as spreadsheets write them: « Genre » is the category genre
  const header = table.header.map((h) => h.toLowerCase())
  const categories = [...new Set(quotas.map((q) => q.category))]
  const categoryColumn = new Map(categories.map((c) => [c, header.indexOf(c.toLowerCase())]))
  const problems: string[] = []
  for (const c of categories)
    if (categoryColumn.get(c)! < 0) problems.push(t('assembly.import.missingColumn', { column: c }))
  if (problems.length > 0) throw new ImportProblems(problems)
  const columnOf = (names: string[]) => header.findIndex((h) => names.includes(h))
  const contact = Object.fromEntries(
    Object.entries(CONTACT_COLUMNS).map(([key, names]) => [key, columnOf(names)]),
  ) as Record<keyof typeof CONTACT_COLUMNS, number>
  const inputs: { input: VolunteerInput; key: string }[] = []
  const firstLineOf = new Map<string, number>()
  for (const row of table.rows) {
    const line = row.line
    const cell = (at: number) => (at >= 0 ? (row.cells[at] ?? '').trim() : '')
    const features = Object.fromEntries(categories.map((c) => [c, cell(categoryColumn.get(c)!)]))
    for (const c of categories)
      if (!quotas.some((q) => q.category === c && q.feature === features[c]))
        problems.push(t('assembly.import.unknownFeature', { line, value: features[c]!, category: c }))
    const input: VolunteerInput = {
      fullName: cell(contact.fullName) || t('assembly.import.unnamed', { line }),
      email: cell(contact.email) || null,
      phone: cell(contact.phone) || null,
      address: cell(contact.address) || null,
      features,
    }
    for (const field of ['fullName', 'email', 'phone', 'address'] as const) {
      const value = input[field]
      if (value && value.length > CONTACT_MAX[field])
        problems.push(
          t('assembly.import.tooLong', { line, field: t(`assembly.import.field.${field}`), max: CONTACT_MAX[field] }),
        )
    }
    if (input.email && !isEmail(normalizeEmail(input.email))) problems.push(t('assembly.import.badEmail', { line }))
    if (assembly.onePerHousehold && householdKey(input.address) === null)
      problems.push(t('assembly.import.needsAddress', { line }))
    const key = personKey(input)
    const first = firstLineOf.get(key)
    if (first !== undefined)
      problems.push(t(input.email ? 'assembly.import.sameEmail' : 'assembly.import.sameRow', { line, first }))
    else {
      firstLineOf.set(key, line)
      inputs.push({ input, key })
    }
  }
  if (table.rows.length === 0) problems.push(t('assembly.import.empty'))
  if (table.rows.length > 20000) problems.push(t('assembly.import.tooMany', { max: 20000 }))
  if (problems.length > 0) throw new ImportProblems([...new Set(problems)])
  return db.transaction(async (tx) => {
    await assertManager(tx, actor, assemblyId)
    const [locked] = await queryRows<{ phase: string }>(
      tx,
      sql`select phase from assemblies where id = ${assemblyId} for update`,
    )
    if (
      locked!.phase === 'drawn' ||
      (await queryRows(tx, sql`select 1 from assembly_draws where assembly_id = ${assemblyId}`)).length > 0
    )
      throw conflict('DRAW_PREPARED', t('assembly.import.drawPrepared'))
    const pool = await queryRows<VolunteerInput>(
      tx,
      sql`select full_name as "fullName", email, phone, address, features from assembly_volunteers
          where assembly_id = ${assemblyId} and withdrawn_at is null and contact_erased_at is null`,
    )
    const known = new Set(pool.map(personKey))
    const fresh = inputs.filter(({ key }) => !known.has(key))
    for (const { input } of fresh) await insertVolunteer(tx, { assembly, input, source: 'import' })
    const outcome = { imported: fresh.length, alreadyInPool: inputs.length - fresh.length }
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: assembly.territoryId,
      action: 'assembly.volunteers_imported',
      subjectType: 'assembly',
      subjectId: assemblyId,
      after: outcome,
    })
    return outcome
  })
}
