import { eq, inArray, sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError } from '../../platform/errors.ts'
import type { FicheKind } from './fields.ts'
import { checkContent, problemText, type FicheContent } from './content.ts'
import { findFicheByName } from './service.ts'
import { publishDirectly } from './publication.ts'
import { fiches } from './tables.ts'

/** One record read from a source file, before it is checked. */
export interface ImportRecord {
  /** where it is in the source: "ligne 12 (id 145)", "usage/decidim-angers.md" */
  position: string
  kind: FicheKind
  sourceKey: string
  values: Record<string, unknown>
  /** names of linked fiches, resolved once the fiches of the same import exist */
  linkNames?: Partial<Record<'uses' | 'involves' | 'offers', string[]>>
  /** linked fiches named by their source key ("participedia:method:145"), found before any name */
  linkKeys?: Partial<Record<'uses' | 'involves' | 'offers', { key: string; name: string }[]>>
}

/** What a source file gave: its records, the problems that stop the import, and what to check. */
export interface ReadRecords {
  records: ImportRecord[]
  problems: ImportProblem[]
  warnings: string[]
}

export interface ImportProblem {
  position: string
  reason: string
}

export interface ImportResult {
  created: number
  updated: number
  unchanged: number
  byKind: Record<FicheKind, number>
  /** what the moderators should look at: links kept as text, values dropped, fiches matched by title */
  warnings: string[]
  /** fiches whose local edit was kept where the source changed too (see the conflicts page) */
  conflicts: number
}

export class ImportFailed extends AppError {
  constructor(readonly problems: ImportProblem[]) {
    super('IMPORT_FAILED', {
      status: 422,
      userMessage: problems
        .slice(0, 20)
        .map((p) => `${p.position} : ${p.reason}`)
        .join('\n'),
    })
  }
}

// ---------------------------------------------------------------------------------------------------
// Participedia CSV exports (cases, methods, organizations)

const ORDER: Record<FicheKind, number> = { method: 0, actor: 1, experience: 2 }

const normalTitle = (title: string) =>
  title
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()

/** Thrown inside the transaction of a dry run, so that nothing it wrote stays. */
class DryRun extends Error {
  constructor(readonly result: ImportResult) {
    super('dry run')
  }
}

/**
 * Checks every record, then writes them all in one transaction: methods first, so that experiences and actors can
 * link to methods of the same file. A record already imported (same source key — or, for a file renamed at its
 * source, the same title from the same source) is updated when its content changed, and left alone otherwise; a
 * fiche edited here since its import keeps the local edit where the source changed too (publishDirectly). A link to
 * a fiche that is not there is kept as text, with a warning. Any problem: nothing is written, every problem is
 * reported with its position. `write: false` runs it all and rolls it back (a dry run, a preview).
 */
export async function importRecords(
  db: Db,
  input: {
    actorId: string | null
    source: string
    records: ImportRecord[]
    problems: ImportProblem[]
    warnings?: string[]
    write?: boolean
  },
): Promise<ImportResult> {
  const problems = [...input.problems]
  const seen = new Map<string, string>()
  const checked: { record: ImportRecord; content: FicheContent }[] = []
  for (const record of input.records) {
    const previous = seen.get(record.sourceKey)
    if (previous) problems.push({ position: record.position, reason: `même identifiant que ${previous}` })
    seen.set(record.sourceKey, record.position)
    const { content, problems: found } = checkContent(record.kind, record.values)
    for (const p of found) problems.push({ position: record.position, reason: `${p.field} : ${problemText(p, 'fr')}` })
    checked.push({ record, content })
  }
  if (problems.length > 0) throw new ImportFailed(problems)
  if (checked.length === 0) throw new ImportFailed([{ position: 'fichier', reason: 'aucune fiche à importer' }])

  checked.sort((a, b) => ORDER[a.record.kind] - ORDER[b.record.kind])
  const run = async (tx: Db): Promise<ImportResult> => {
    const keys = checked.map((c) => c.record.sourceKey)
    const existing = new Map(
      (await tx.select().from(fiches).where(inArray(fiches.sourceKey, keys))).map((f) => [f.sourceKey!, f]),
    )
    const result: ImportResult = {
      created: 0,
      updated: 0,
      unchanged: 0,
      byKind: { method: 0, experience: 0, actor: 0 },
      warnings: [...(input.warnings ?? [])],
      conflicts: 0,
    }
    // fiches of this source that this file does not name: one of them may be a record renamed at the source
    const wanted = new Set(keys)
    const renamedCandidates = new Map<string, string>()
    for (const row of await queryRows<{
      id: string
      kind: string
      title: string
      sourceName: string | null
      key: string
    }>(
      tx,
      sql`select id, kind, title, content ->> 'sourceName' as "sourceName", source_key as key from referentiel_fiches where source_key like ${`${input.source}:%`}`,
    )) {
      if (!wanted.has(row.key))
        renamedCandidates.set(`${row.kind}|${row.sourceName ?? ''}|${normalTitle(row.title)}`, row.id)
    }
    const titlesOfThisFile = new Map<string, string>()
    for (const { record, content } of checked) {
      const titleKey = `${record.kind}|${normalTitle(String(content.title ?? ''))}`
      const twin = titlesOfThisFile.get(titleKey)
      if (twin)
        result.warnings.push(
          `${record.position} : même titre que ${twin} ; deux fiches sont créées, vérifiez qu’il ne s’agit pas d’un doublon.`,
        )
      else titlesOfThisFile.set(titleKey, record.position)
      const relations = new Set([...Object.keys(record.linkNames ?? {}), ...Object.keys(record.linkKeys ?? {})]) as Set<
        'uses' | 'involves' | 'offers'
      >
      for (const relation of relations) {
        const names = record.linkNames?.[relation] ?? []
        const byKey = record.linkKeys?.[relation] ?? []
        const target: FicheKind = relation === 'involves' ? 'actor' : 'method'
        const ids: string[] = []
        const unknown: string[] = []
        if (byKey.length > 0) {
          const found = await queryRows<{ id: string; key: string }>(
            tx,
            sql`select id, source_key as key from referentiel_fiches where source_key in (${sql.join(
              byKey.map((k) => sql`${k.key}`),
              sql`, `,
            )})`,
          )
          for (const link of byKey) {
            const fiche = found.find((f) => f.key === link.key) ?? (await findFicheByName(tx, target, link.name))
            if (fiche) ids.push(fiche.id)
            else unknown.push(link.name)
          }
        }
        for (const name of names) {
          const found = await findFicheByName(tx, target, name)
          if (found) ids.push(found.id)
          else unknown.push(name)
        }
        if (ids.length === 0 && unknown.length === 0) continue
        content[relation] = [...new Set(ids)]
        // names without a fiche are kept, as text, and said
        if (unknown.length > 0) {
          content.otherMethods = [...new Set([...((content.otherMethods as string[]) ?? []), ...unknown])].slice(0, 50)
          result.warnings.push(
            `${record.position} : ${unknown.length === 1 ? 'fiche liée absente, gardée' : 'fiches liées absentes, gardées'} comme texte : ${unknown.join(', ')}.`,
          )
        }
      }
      let fiche = existing.get(record.sourceKey)
      if (!fiche) {
        // renamed at its source: the same title from the same source, under a key this file does not have, is the same fiche
        const candidateKey = `${record.kind}|${String(content.sourceName ?? '')}|${normalTitle(String(content.title ?? ''))}`
        const sameId = renamedCandidates.get(candidateKey)
        if (sameId) {
          renamedCandidates.delete(candidateKey)
          ;[fiche] = await tx.select().from(fiches).where(eq(fiches.id, sameId))
          result.warnings.push(
            `${record.position} : même titre et même source qu’une fiche déjà importée sous un autre nom (${fiche!.sourceKey!.slice(input.source.length + 1)}) : elle est mise à jour, sans doublon.`,
          )
          await tx.update(fiches).set({ sourceKey: record.sourceKey }).where(eq(fiches.id, sameId))
        }
      }
      const renamed = fiche !== undefined && fiche.sourceKey !== record.sourceKey
      const outcome = await publishDirectly(tx, {
        actorId: input.actorId,
        kind: record.kind,
        content,
        sourceKey: record.sourceKey,
        existing: fiche,
      })
      result[renamed && outcome.outcome === 'unchanged' ? 'updated' : outcome.outcome] += 1
      result.conflicts += outcome.conflicts
      result.byKind[record.kind] += 1
    }
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'referentiel.imported',
      subjectType: 'referentiel_import',
      subjectId: input.source,
      after: {
        created: result.created,
        updated: result.updated,
        unchanged: result.unchanged,
        conflicts: result.conflicts,
      },
    })
    if (input.write === false) throw new DryRun(result)
    return result
  }
  try {
    return await db.transaction(run)
  } catch (error) {
    if (error instanceof DryRun) return error.result
    throw error
  }
}
