/**
 * A national-scale dataset for the benchmarks: the whole territory registry, and N territories in the
 * programme (the most populated communes) each with a published plan of 10–30 commitments, 3–8
 * milestones per commitment and 20 progress updates per commitment, hash-chained like real ones.
 * Written in bulk (multi-row inserts), with a seeded random generator: the same data every run.
 */
import { desc, eq, sql } from 'drizzle-orm'
import type { Database } from '../src/platform/db/index.ts'
import { GENESIS_HASH, hashEntry } from '../src/modules/plans/history.ts'
import { actionPlans, commitments, historyEntries, historyHeads, milestones } from '../src/modules/plans/tables.ts'
import { territories } from '../src/modules/territories/tables.ts'
import { STATUSES } from '../src/modules/plans/progress.ts'

function random(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

const day = (base: Date, offset: number) => new Date(base.getTime() + offset * 86_400_000).toISOString().slice(0, 10)

export interface NationalCounts {
  territories: number
  commitments: number
  milestones: number
  updates: number
  seconds: number
}

export async function generateNationalDataset(
  database: Database,
  options: { territories: number; updatesPerCommitment?: number },
): Promise<NationalCounts> {
  const started = performance.now()
  const db = database.db
  const rand = random(42)
  const between = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1))
  const updatesPerCommitment = options.updatesPerCommitment ?? 20
  const chosen = await db
    .select({ id: territories.id })
    .from(territories)
    .where(eq(territories.kind, 'commune'))
    .orderBy(desc(territories.population))
    .limit(options.territories)
  const start = new Date(Date.UTC(2025, 0, 1))
  const counts = { territories: chosen.length, commitments: 0, milestones: 0, updates: 0 }

  // a few territories at a time: each in one transaction, its rows in multi-row inserts
  for (const territory of chosen) {
    await db.transaction(async (tx) => {
      const [plan] = await tx
        .insert(actionPlans)
        .values({
          territoryId: territory.id,
          title: 'Plan de gouvernement ouvert (jeu de données de mesure)',
          periodStart: day(start, 0),
          periodEnd: day(start, 900),
          status: 'published',
          publishedAt: new Date(),
        })
        .returning({ id: actionPlans.id })
      const commitmentRows = Array.from({ length: between(10, 30) }, (_, i) => ({
        territoryId: territory.id,
        planId: plan!.id,
        position: i + 1,
        title: `Engagement ${i + 1} : ouvrir et associer (mesure)`,
        description: 'Texte de mesure. '.repeat(8),
        leadActor: `Direction ${between(1, 12)}`,
        themes: [['transparence', 'participation', 'budget', 'numérique', 'climat'][between(0, 4)]!],
        ogpValues: ['access_to_information'],
        status: STATUSES[between(0, 6)]!,
      }))
      const inserted = await tx.insert(commitments).values(commitmentRows).returning({ id: commitments.id })
      const milestoneRows = inserted.flatMap((c) =>
        Array.from({ length: between(3, 8) }, (_, j) => {
          const status = STATUSES[between(0, 6)]!
          const due = day(start, between(30, 900))
          return {
            territoryId: territory.id,
            commitmentId: c.id,
            position: j + 1,
            title: `Jalon ${j + 1}`,
            deliverable: 'Livrable publié',
            dueDate: due,
            responsible: 'Service',
            status,
            progress: status === 'termine' ? 100 : between(0, 90),
            completedOn: status === 'termine' ? due : null,
          }
        }),
      )
      const insertedMilestones: { id: string; commitmentId: string }[] = []
      for (let i = 0; i < milestoneRows.length; i += 500) {
        insertedMilestones.push(
          ...(await tx
            .insert(milestones)
            .values(milestoneRows.slice(i, i + 500))
            .returning({ id: milestones.id, commitmentId: milestones.commitmentId })),
        )
      }
      const byCommitment = new Map<string, string[]>()
      for (const m of insertedMilestones)
        byCommitment.set(m.commitmentId, [...(byCommitment.get(m.commitmentId) ?? []), m.id])

      let previous = GENESIS_HASH
      let seq = 0
      const entries: (typeof historyEntries.$inferInsert)[] = []
      let clock = start.getTime()
      for (const c of inserted) {
        const own = byCommitment.get(c.id) ?? []
        for (let u = 0; u < updatesPerCommitment; u++) {
          seq += 1
          clock += 3_600_000
          const entry = {
            territoryId: territory.id,
            seq,
            kind: 'update',
            planId: plan!.id,
            commitmentId: c.id,
            milestoneId: own[between(0, own.length - 1)] ?? null,
            correctsId: null,
            authorId: null,
            recordedAt: new Date(clock),
            content: {
              status: STATUSES[between(0, 6)],
              progress: between(0, 100),
              narrative: `Point d’avancement n°${u + 1} : réunion tenue, document publié, prochaine étape fixée.`,
              evidence: [],
              nextSteps: '',
            },
          }
          const hash = hashEntry(previous, entry)
          entries.push({ ...entry, prevHash: previous, hash })
          previous = hash
        }
      }
      for (let i = 0; i < entries.length; i += 500) await tx.insert(historyEntries).values(entries.slice(i, i + 500))
      await tx.insert(historyHeads).values({ territoryId: territory.id, lastSeq: seq, lastHash: previous })
      counts.commitments += inserted.length
      counts.milestones += insertedMilestones.length
      counts.updates += entries.length
    })
  }
  await db.execute(sql`analyze`)
  return { ...counts, seconds: Math.round((performance.now() - started) / 100) / 10 }
}
