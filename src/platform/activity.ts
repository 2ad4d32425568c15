import { sql } from 'drizzle-orm'
import { queryRows, textArray, type Db } from './db/index.ts'
import { enqueueJob } from './jobs.ts'

/** What people can follow; an activity names every subject it concerns. */
export const FOLLOWABLE = ['territory', 'commitment', 'consultation', 'group', 'text'] as const
export type Followable = (typeof FOLLOWABLE)[number]

export interface Activity {
  territoryId: string
  /** the subjects it concerns besides its territory (which every activity concerns) */
  subjects: Partial<Record<Exclude<Followable, 'territory'>, string | null>>
  /** whether followers of the territory itself hear of it (not of every contribution, say) */
  territoryWide: boolean
  kind: string
  /** one line, as a person reads it in a mail */
  title: string
  /** the page it leads to, on this site */
  path: string
  actorId: string | null
  /** the content it announces (`contribution:<id>`), so that content hidden meanwhile is not sent */
  source?: string
}

export const NOTIFY_JOB = 'notify.activity'

/**
 * Records a public activity that followers hear of, and queues its immediate mails. Call it inside the
 * transaction of the change it announces.
 */
export async function recordActivity(tx: Db, activity: Activity): Promise<void> {
  const subjects = Object.entries(activity.subjects)
    .filter(([, id]) => id)
    .map(([type, id]) => `${type}:${id}`)
  if (activity.territoryWide) subjects.push(`territory:${activity.territoryId}`)
  if (subjects.length === 0) return
  const [row] = await queryRows<{ id: number }>(
    tx,
    sql`insert into activities (territory_id, subjects, kind, title, path, actor_id, source)
        values (${activity.territoryId}, ${textArray(subjects)}, ${activity.kind}, ${activity.title.slice(0, 500)}, ${activity.path}, ${activity.actorId}, ${activity.source ?? null}) returning id`,
  )
  await enqueueJob(tx, { kind: NOTIFY_JOB, payload: { activityId: row!.id } })
}

/**
 * Marks the activities announcing these contents (`contribution:<id>`) as hidden by moderation, or visible again,
 * so that no mail sends what a moderator hid. Call it inside the moderation's transaction.
 */
export async function setActivitySourcesHidden(tx: Db, sources: string[], hidden: boolean): Promise<void> {
  if (sources.length === 0) return
  await tx.execute(
    sql`update activities set source_hidden = ${hidden} where source = any(${textArray(sources)}) and source_hidden <> ${hidden}`,
  )
}
