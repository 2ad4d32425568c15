/** What the texts' pages read: texts, their versions and articles, amendments, a person's votes. */
import { sql } from 'drizzle-orm'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { can } from '../../platform/auth/policy.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { notFound } from '../../platform/errors.ts'

/**
 * Co-construction of a text: the territory's staff write a draft in articles and publish it; while it is open,
 * citizens propose amendments to an article and vote for or against them; the staff then publish new versions,
 * deciding the fate of each amendment, the last one final.
 */

import type { AmendmentDecision, TextRow, ArticleWording } from './service.ts'
const TEXT_COLUMNS = sql`id, territory_id as "territoryId", title, summary, opens_on::text as "opensOn", closes_on::text as "closesOn", commitment_id as "commitmentId", status, created_at as "createdAt"`

export async function findText(db: Db, id: string): Promise<TextRow> {
  const [row] = await queryRows<TextRow>(db, sql`select ${TEXT_COLUMNS} from cocreated_texts where id = ${id}`)
  if (!row) throw notFound()
  return row
}

/** A text as this person may see it: drafts only for the territory's staff. */
export async function visibleText(db: Db, user: CurrentUser | null, id: string): Promise<TextRow> {
  const text = await findText(db, id)
  if (text.status === 'draft' && !can(user, 'consultation.manage', text.territoryId)) throw notFound()
  return text
}

export async function listTexts(db: Db, territoryId: string, user: CurrentUser | null) {
  const staff = can(user, 'consultation.manage', territoryId)
  return queryRows<TextRow & { amendments: number; versions: number }>(
    db,
    sql`select ${TEXT_COLUMNS},
          (select count(*)::int from text_amendments a where a.text_id = t.id and a.hidden_at is null) as amendments,
          (select count(*)::int from text_versions v where v.text_id = t.id and v.published_at is not null) as versions
        from cocreated_texts t where territory_id = ${territoryId} ${staff ? sql`` : sql`and status <> 'draft'`} order by opens_on desc`,
  )
}

export interface VersionRow {
  number: number
  isFinal: boolean
  note: string
  publishedAt: string | null
  publishedByName: string | null
}

export async function versionsOf(db: Db, textId: string): Promise<VersionRow[]> {
  return queryRows<VersionRow>(
    db,
    sql`select v.number, v.is_final as "isFinal", v.note, v.published_at as "publishedAt", u.display_name as "publishedByName"
        from text_versions v left join users u on u.id = v.published_by where v.text_id = ${textId} order by v.number`,
  )
}

/** The wording of every article in a version. */
export async function articlesOf(db: Db, textId: string, number: number): Promise<ArticleWording[]> {
  return queryRows<ArticleWording>(
    db,
    sql`select article_id as "articleId", position, heading, body from text_article_versions where text_id = ${textId} and number = ${number} order by position`,
  )
}

/** The wording of every article in every version, by version number (one query). */
export async function articlesByVersion(db: Db, textId: string): Promise<Map<number, ArticleWording[]>> {
  const rows = await queryRows<ArticleWording & { number: number }>(
    db,
    sql`select number, article_id as "articleId", position, heading, body from text_article_versions where text_id = ${textId} order by number, position`,
  )
  const byVersion = new Map<number, ArticleWording[]>()
  for (const { number, ...article } of rows) byVersion.set(number, [...(byVersion.get(number) ?? []), article])
  return byVersion
}

/** The latest version the public may read (the draft itself for the staff before publication). */
export async function currentVersion(db: Db, textId: string): Promise<number> {
  const [row] = await queryRows<{ number: number }>(
    db,
    sql`select coalesce(max(number) filter (where published_at is not null), 1) as number from text_versions where text_id = ${textId}`,
  )
  return row!.number
}

export interface AmendmentRow {
  id: string
  articleId: string
  authorId: string | null
  authorName: string | null
  baseVersion: number
  baseBody: string
  proposedBody: string
  justification: string
  votesFor: number
  votesAgainst: number
  decision: AmendmentDecision | null
  decisionReason: string | null
  decidedIn: number | null
  createdAt: string
  hiddenAt: string | null
  hiddenReason: string | null
}

export async function amendmentsOf(db: Db, textId: string): Promise<AmendmentRow[]> {
  return queryRows<AmendmentRow>(
    db,
    sql`select a.id, a.article_id as "articleId", a.author_id as "authorId", case when u.deleted_at is null then u.display_name end as "authorName",
          a.base_version as "baseVersion", b.body as "baseBody", a.proposed_body as "proposedBody", a.justification,
          a.votes_for as "votesFor", a.votes_against as "votesAgainst", a.decision, a.decision_reason as "decisionReason", a.decided_in as "decidedIn",
          a.created_at as "createdAt", a.hidden_at as "hiddenAt", a.hidden_reason as "hiddenReason"
        from text_amendments a
        join text_article_versions b on b.text_id = a.text_id and b.number = a.base_version and b.article_id = a.article_id
        left join users u on u.id = a.author_id
        where a.text_id = ${textId} order by a.created_at`,
  )
}

/** This person's votes on a text's amendments: true for, false against. */
export async function votesBy(db: Db, userId: string, textId: string): Promise<Map<string, boolean>> {
  const rows = await queryRows<{ amendmentId: string; inFavour: boolean }>(
    db,
    sql`select v.amendment_id as "amendmentId", v.in_favour as "inFavour" from text_amendment_votes v join text_amendments a on a.id = v.amendment_id where a.text_id = ${textId} and v.user_id = ${userId}`,
  )
  return new Map(rows.map((r) => [r.amendmentId, r.inFavour]))
}

/** The text an amendment is to (404 for an unknown amendment). */
export async function textOfAmendment(db: Db, amendmentId: string): Promise<string> {
  const [row] = await queryRows<{ textId: string }>(
    db,
    sql`select text_id as "textId" from text_amendments where id = ${amendmentId}`,
  )
  if (!row) throw notFound()
  return row.textId
}
