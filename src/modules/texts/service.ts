import { sql } from 'drizzle-orm'
import { recordActivity } from '../../platform/activity.ts'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { assertCan, authorizedIn } from '../../platform/auth/policy.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { conflict, forbidden, invalid } from '../../platform/errors.ts'
import { isIsoDate } from '../../platform/http/rules.ts'
import { datedPhase, type DatedPhase } from '../../platform/phase.ts'
import { findText } from './queries.ts'

/**
 * Co-construction of a text: the territory's staff write a draft in articles and publish it; while it is open,
 * citizens propose amendments to an article and vote for or against them; the staff then publish new versions,
 * deciding the fate of each amendment, the last one final.
 */

export const DECISIONS = ['accepted', 'merged', 'rejected'] as const

export type AmendmentDecision = (typeof DECISIONS)[number]

export type TextPhase = Exclude<DatedPhase, 'answered'> | 'final'

export interface TextRow {
  id: string
  territoryId: string
  title: string
  summary: string
  opensOn: string
  closesOn: string
  commitmentId: string | null
  status: 'draft' | 'published' | 'final'
  createdAt: string
}

export interface ArticleWording {
  articleId: string
  position: number
  heading: string
  body: string
}

export interface TextInput {
  title: string
  summary: string
  opensOn: string
  closesOn: string
  commitmentId: string | null
  /** the articles, each starting with a line "## heading" */
  articlesSource: string
}

export function textPhase(text: Pick<TextRow, 'status' | 'opensOn' | 'closesOn'>, today: string): TextPhase {
  if (text.status === 'final') return 'final'
  return datedPhase(
    { status: text.status === 'draft' ? 'draft' : 'published', opensOn: text.opensOn, closesOn: text.closesOn },
    today,
  ) as TextPhase
}

/** Splits a draft written as "## heading" lines each followed by the article's wording. */
export function parseArticles(source: string): { heading: string; body: string }[] | null {
  const articles: { heading: string; body: string[] }[] = []
  for (const line of source.replace(/\r\n?/g, '\n').split('\n')) {
    const heading = /^##\s+(.+?)\s*$/.exec(line)
    if (heading) articles.push({ heading: heading[1]!, body: [] })
    else if (articles.length > 0) articles.at(-1)!.body.push(line)
    else if (line.trim() !== '') return null // text before the first article
  }
  if (articles.length === 0 || articles.length > 200) return null
  const parsed = articles.map((a) => ({ heading: a.heading.slice(0, 300), body: a.body.join('\n').trim() }))
  return parsed.some((a) => a.body === '' || a.body.length > 50000) ? null : parsed
}

export function articlesSource(articles: { heading: string; body: string }[]): string {
  return articles.map((a) => `## ${a.heading}\n${a.body}`).join('\n\n')
}

async function checkInput(db: Db, territoryId: string, input: TextInput) {
  const errors: Record<string, string> = {}
  if (input.title.trim().length < 3 || input.title.length > 200) errors.title = 'consult.error.title'
  if (input.summary.length > 20000) errors.summary = 'text.error.summary'
  if (!isIsoDate(input.opensOn)) errors.opensOn = 'consult.error.dates'
  if (!isIsoDate(input.closesOn) || input.closesOn < input.opensOn) errors.closesOn = 'consult.error.dates'
  const articles = parseArticles(input.articlesSource)
  if (!articles) errors.articlesSource = 'text.error.articles'
  if (input.commitmentId) {
    const [row] = await queryRows(
      db,
      sql`select id from public_commitments where id = ${input.commitmentId} and territory_id = ${territoryId}`,
    )
    if (!row) errors.commitmentId = 'consult.error.commitment'
  }
  if (Object.keys(errors).length > 0) throw invalid(errors)
  return articles!
}

async function insertDraftArticles(
  tx: Db,
  textId: string,
  territoryId: string,
  articles: { heading: string; body: string }[],
) {
  for (const [index, article] of articles.entries()) {
    const [row] = await queryRows<{ id: string }>(
      tx,
      sql`insert into text_articles (text_id, territory_id) values (${textId}, ${territoryId}) returning id`,
    )
    await tx.execute(
      sql`insert into text_article_versions (text_id, number, article_id, territory_id, position, heading, body) values (${textId}, 1, ${row!.id}, ${territoryId}, ${index + 1}, ${article.heading}, ${article.body})`,
    )
  }
}

export async function createText(
  db: Db,
  options: { actor: CurrentUser; territoryId: string; input: TextInput; publish: boolean },
): Promise<string> {
  const { actor, territoryId, input, publish } = options
  assertCan(actor, 'consultation.manage', territoryId)
  const articles = await checkInput(db, territoryId, input)
  return db.transaction(async (tx) => {
    const [row] = await queryRows<{ id: string }>(
      tx,
      sql`insert into cocreated_texts (territory_id, title, summary, opens_on, closes_on, commitment_id, status, created_by)
          select ${territoryId}, ${input.title.trim()}, ${input.summary.trim()}, ${input.opensOn}, ${input.closesOn}, ${input.commitmentId}, ${publish ? 'published' : 'draft'}, ${actor.id}
          where ${authorizedIn(actor, 'consultation.manage', sql`${territoryId}::uuid`)} returning id`,
    )
    if (!row) throw forbidden()
    await tx.execute(
      sql`insert into text_versions (text_id, number, territory_id, published_by, published_at) values (${row.id}, 1, ${territoryId}, ${publish ? actor.id : null}, ${publish ? sql`now()` : null})`,
    )
    await insertDraftArticles(tx, row.id, territoryId, articles)
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId,
      action: 'text.created',
      subjectType: 'cocreated_text',
      subjectId: row.id,
      after: { ...input, status: publish ? 'published' : 'draft' },
    })
    if (publish)
      await announceText(
        tx,
        { id: row.id, territoryId, commitmentId: input.commitmentId, title: input.title.trim() },
        'text.published',
        actor.id,
      )
    return row.id
  })
}

/** While a text is a draft, its staff rewrite it (articles included) and may publish it. */
export async function updateDraftText(
  db: Db,
  options: { actor: CurrentUser; textId: string; input: TextInput; publish: boolean },
): Promise<void> {
  const { actor, textId: id, input, publish } = options
  const text = await findText(db, id)
  assertCan(actor, 'consultation.manage', text.territoryId)
  if (text.status !== 'draft') throw conflict('NOT_DRAFT', 'Ce texte est publié : il évolue désormais par versions.')
  const articles = await checkInput(db, text.territoryId, input)
  await db.transaction(async (tx) => {
    const done = await queryRows(
      tx,
      sql`update cocreated_texts set title = ${input.title.trim()}, summary = ${input.summary.trim()}, opens_on = ${input.opensOn}, closes_on = ${input.closesOn},
            commitment_id = ${input.commitmentId}, status = ${publish ? 'published' : 'draft'}, updated_at = now()
          where id = ${id} and status = 'draft' and ${authorizedIn(actor, 'consultation.manage', sql`territory_id`)} returning id`,
    )
    if (done.length === 0) throw conflict('NOT_DRAFT', 'Ce texte vient d’être publié.')
    await tx.execute(sql`delete from text_article_versions where text_id = ${id}`)
    await tx.execute(sql`delete from text_articles where text_id = ${id}`)
    await insertDraftArticles(tx, id, text.territoryId, articles)
    if (publish) {
      await tx.execute(
        sql`update text_versions set published_by = ${actor.id}, published_at = now() where text_id = ${id} and number = 1`,
      )
      await announceText(
        tx,
        { id, territoryId: text.territoryId, commitmentId: input.commitmentId, title: input.title.trim() },
        'text.published',
        actor.id,
      )
    }
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: text.territoryId,
      action: publish ? 'text.published' : 'text.updated',
      subjectType: 'cocreated_text',
      subjectId: id,
      before: { title: text.title, summary: text.summary, opensOn: text.opensOn, closesOn: text.closesOn },
      after: input,
    })
  })
}

export const announceText = (
  tx: Db,
  text: Pick<TextRow, 'id' | 'territoryId' | 'commitmentId' | 'title'>,
  kind: string,
  actorId: string,
  path = `/textes/${text.id}`,
) =>
  recordActivity(tx, {
    territoryId: text.territoryId,
    territoryWide: true,
    subjects: { text: text.id, commitment: text.commitmentId },
    kind,
    title: text.title,
    path,
    actorId,
  })
