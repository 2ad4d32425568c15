import { sql, type SQL } from 'drizzle-orm'
import { queryRows, textArray, type Db } from './db/index.ts'

/** One content as the moderation sees it, whatever module holds it. */
export interface ModeratedItem {
  type: string
  id: string
  territoryId: string
  authorId: string | null
  authorName: string | null
  /** a few words that let a moderator, or the author in a mail, recognise it */
  text: string
  hiddenAt: Date | string | null
  hiddenReason: string | null
  /** the public page that shows it, anchored on it */
  path: string
}

/** Why and by whom a content is hidden; `by` is null when the reports' threshold hid it. */
export interface Hiding {
  reason: string
  by: string | null
}

/**
 * What a module tells the moderation about one type of its contents (contributions, comments, amendments…). The
 * moderation module keeps the reports, the rules (threshold, reasons, rights), the audit and the notices; the
 * owner reads and writes its own table. `guard` is the SQL condition that the moderator may moderate the row's
 * territory (`authorizedIn`), to put in the writing statement's `where`.
 */
export interface ModeratedSource {
  type: string
  find(db: Db, id: string): Promise<ModeratedItem | null>
  /** hides (`hiding`) or shows again (`null`) one content; returns whether a row was written */
  setHidden(tx: Db, id: string, hiding: Hiding | null, guard: (territory: SQL) => SQL): Promise<boolean>
  /** hides every visible content of an author in a territory; returns the ids hidden */
  hideByAuthor(
    tx: Db,
    territoryId: string,
    authorId: string,
    hiding: Hiding,
    guard: (territory: SQL) => SQL,
  ): Promise<string[]>
  /** the territory's contents that are hidden, or among `reportedIds` */
  forReview(db: Db, territoryId: string, reportedIds: string[]): Promise<ModeratedItem[]>
}

/**
 * A moderated source over a table with the usual columns (`id`, `territory_id`, `author_id`, `hidden_at`,
 * `hidden_reason`, `hidden_by`), read as `x`: `text` and `path` are SQL over `x` and what `joins` adds.
 */
export function moderatedTable(spec: { type: string; table: SQL; text: SQL; path: SQL; joins?: SQL }): ModeratedSource {
  const joins = spec.joins ?? sql``
  const columns = sql`${spec.type} as type, x.id, x.territory_id as "territoryId", x.author_id as "authorId",
    u.display_name as "authorName", ${spec.text} as text, x.hidden_at as "hiddenAt", x.hidden_reason as "hiddenReason",
    ${spec.path} as path`
  const from = sql`${spec.table} x ${joins} left join users u on u.id = x.author_id`
  return {
    type: spec.type,
    async find(db, id) {
      const [row] = await queryRows<ModeratedItem>(db, sql`select ${columns} from ${from} where x.id = ${id}`)
      return row ?? null
    },
    async setHidden(tx, id, hiding, guard) {
      const rows = await queryRows(
        tx,
        hiding
          ? // a threshold (no moderator) never overwrites a moderator's reason
            sql`update ${spec.table} set hidden_at = now(), hidden_reason = ${hiding.reason}, hidden_by = ${hiding.by}
                where id = ${id} and ${guard(sql`territory_id`)} ${hiding.by === null ? sql`and hidden_at is null` : sql``}
                returning id`
          : sql`update ${spec.table} set hidden_at = null, hidden_reason = null, hidden_by = null
                where id = ${id} and ${guard(sql`territory_id`)} returning id`,
      )
      return rows.length > 0
    },
    async hideByAuthor(tx, territoryId, authorId, hiding, guard) {
      const rows = await queryRows<{ id: string }>(
        tx,
        sql`update ${spec.table} set hidden_at = now(), hidden_reason = ${hiding.reason}, hidden_by = ${hiding.by}
            where territory_id = ${territoryId} and author_id = ${authorId} and hidden_at is null
              and ${guard(sql`territory_id`)} returning id`,
      )
      return rows.map((r) => r.id)
    },
    forReview: (db, territoryId, reportedIds) =>
      queryRows<ModeratedItem>(
        db,
        sql`select ${columns} from ${from}
            where x.territory_id = ${territoryId}
              and (x.hidden_at is not null ${reportedIds.length > 0 ? sql`or x.id = any(${textArray(reportedIds)}::uuid[])` : sql``})
            order by x.hidden_at desc nulls first limit 200`,
      ),
  }
}
