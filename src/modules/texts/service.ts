import { sql } from 'drizzle-orm'
import { recordActivity } from '../../platform/activity.ts'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { assertCan, authorizedIn, can } from '../../platform/auth/policy.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors.ts'
import { isIsoDate } from '../../platform/http/rules.ts'
import { datedPhase, type DatedPhase } from '../../platform/phase.ts'

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

const announceText = (
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

/** SQL: the text is open to amendments and votes today. */
const openToday = (textId: unknown, today: string) =>
  sql`exists (select 1 from cocreated_texts t where t.id = ${textId} and t.status = 'published' and t.opens_on <= ${today} and t.closes_on >= ${today})`

export async function proposeAmendment(
  db: Db,
  options: {
    actor: CurrentUser
    textId: string
    input: { articleId: string; proposedBody: string; justification: string }
    /** Paris date: the text must be open to amendments */
    today: string
  },
): Promise<string> {
  const { actor, textId, input, today } = options
  const text = await findText(db, textId)
  if (textPhase(text, today) !== 'open') throw conflict('NOT_OPEN', 'Ce texte n’est pas ouvert aux amendements.')
  const base = await currentVersion(db, textId)
  const [article] = (await articlesOf(db, textId, base)).filter((a) => a.articleId === input.articleId)
  const errors: Record<string, string> = {}
  if (!article) errors.articleId = 'text.error.article'
  const proposed = input.proposedBody.replace(/\r\n?/g, '\n').trim()
  if (proposed === '' || proposed.length > 50000) errors.proposedBody = 'text.error.proposed'
  else if (article && proposed === article.body.trim()) errors.proposedBody = 'text.error.unchanged'
  if (input.justification.trim() === '' || input.justification.length > 5000)
    errors.justification = 'text.error.justification'
  if (Object.keys(errors).length > 0) throw invalid(errors)
  return db.transaction(async (tx) => {
    const [row] = await queryRows<{ id: string }>(
      tx,
      sql`insert into text_amendments (text_id, article_id, territory_id, author_id, base_version, proposed_body, justification)
          select ${textId}, ${input.articleId}, ${text.territoryId}, ${actor.id}, ${base}, ${proposed}, ${input.justification.trim()}
          where ${openToday(textId, today)} returning id`,
    )
    if (!row) throw conflict('NOT_OPEN', 'Ce texte vient de fermer aux amendements.')
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: text.territoryId,
      action: 'amendment.created',
      subjectType: 'amendment',
      subjectId: row.id,
      after: { articleId: input.articleId, proposedBody: proposed, justification: input.justification.trim() },
    })
    await recordActivity(tx, {
      territoryId: text.territoryId,
      territoryWide: false,
      subjects: { text: textId },
      kind: 'amendment.created',
      title: article!.heading,
      path: `/textes/${textId}#amendment-${row.id}`,
      actorId: actor.id,
      source: `amendment:${row.id}`,
    })
    return row.id
  })
}

/**
 * One vote per person and amendment (for, against, or withdrawn). The amendment's row is locked while the vote
 * changes so that its counts stay exact when many people vote at once.
 */
export async function voteOnAmendment(
  db: Db,
  options: { actor: CurrentUser; amendmentId: string; vote: 'for' | 'against' | 'none'; today: string },
): Promise<void> {
  const { actor, amendmentId, vote, today } = options
  const [amendment] = await queryRows<{
    textId: string
    territoryId: string
    authorId: string | null
    hiddenAt: string | null
  }>(
    db,
    sql`select text_id as "textId", territory_id as "territoryId", author_id as "authorId", hidden_at as "hiddenAt" from text_amendments where id = ${amendmentId}`,
  )
  if (!amendment) throw notFound()
  if (amendment.hiddenAt) throw conflict('HIDDEN', 'Cet amendement est masqué par la modération.')
  await db.transaction(async (tx) => {
    const open = await queryRows(
      tx,
      sql`select id from text_amendments where id = ${amendmentId} and ${openToday(amendment.textId, today)} for update`,
    )
    if (open.length === 0) throw conflict('NOT_OPEN', 'Ce texte n’est pas ouvert aux votes.')
    if (vote === 'none')
      await tx.execute(
        sql`delete from text_amendment_votes where amendment_id = ${amendmentId} and user_id = ${actor.id}`,
      )
    else
      await tx.execute(
        sql`insert into text_amendment_votes (amendment_id, user_id, territory_id, in_favour) values (${amendmentId}, ${actor.id}, ${amendment.territoryId}, ${vote === 'for'})
            on conflict (amendment_id, user_id) do update set in_favour = excluded.in_favour, created_at = now()`,
      )
    await tx.execute(
      sql`update text_amendments set
            votes_for = (select count(*) from text_amendment_votes v where v.amendment_id = ${amendmentId} and v.in_favour),
            votes_against = (select count(*) from text_amendment_votes v where v.amendment_id = ${amendmentId} and not v.in_favour)
          where id = ${amendmentId}`,
    )
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: amendment.territoryId,
      action: 'amendment.voted',
      subjectType: 'amendment',
      subjectId: amendmentId,
      after: { vote },
    })
  })
}

export interface VersionInput {
  /** the new wording of each article, by article id (every article of the current version) */
  articles: Map<string, { heading: string; body: string }>
  /** the fate of amendments not yet decided; those left out stay pending (not allowed in the final version) */
  decisions: Map<string, { decision: AmendmentDecision; reason: string }>
  note: string
  final: boolean
}

const normalizedBody = (body: string) => body.replace(/\r\n?/g, '\n').trim()

/**
 * Each article's body in the new version: what the staff wrote, or — where they left the article as it was — the
 * wording of the amendment they accept for it, applied for them. An accepted amendment written on an older wording,
 * or two accepted for one article, cannot be applied blindly: the staff are asked to write the article themselves.
 */
export function acceptedWordings(
  articles: ArticleWording[],
  pending: AmendmentRow[],
  input: VersionInput,
  errors: Record<string, string>,
): Map<string, string> {
  const bodies = new Map<string, string>()
  for (const article of articles) {
    const written = normalizedBody(input.articles.get(article.articleId)?.body ?? '')
    bodies.set(article.articleId, written)
    if (written !== normalizedBody(article.body)) continue
    const accepted = pending.filter(
      (a) => a.articleId === article.articleId && input.decisions.get(a.id)?.decision === 'accepted',
    )
    if (accepted.length > 1) errors[`body.${article.articleId}`] = 'text.error.twoAccepted'
    else if (accepted.length === 1 && normalizedBody(accepted[0]!.baseBody) !== normalizedBody(article.body))
      errors[`body.${article.articleId}`] = 'text.error.acceptedStale'
    else if (accepted.length === 1) bodies.set(article.articleId, normalizedBody(accepted[0]!.proposedBody))
  }
  return bodies
}

/**
 * The staff publish a new version of a published text. The final version closes it: it can be published only
 * once amendments are closed, and every visible amendment must have its fate. An accepted amendment is applied to
 * its article unless the staff wrote the article themselves (`acceptedWordings`).
 */
export async function publishVersion(
  db: Db,
  options: { actor: CurrentUser; textId: string; input: VersionInput; today: string },
): Promise<number> {
  const { actor, textId, input, today } = options
  const text = await findText(db, textId)
  assertCan(actor, 'consultation.manage', text.territoryId)
  const phase = textPhase(text, today)
  if (phase === 'draft') throw conflict('NOT_PUBLISHED', 'Publiez d’abord le projet de texte.')
  if (phase === 'final') throw conflict('FINAL', 'La version finale de ce texte est déjà publiée.')
  if (input.final && phase !== 'closed')
    throw new AppError('STILL_OPEN', {
      status: 422,
      userMessage: 'La version finale se publie une fois la période d’amendement close.',
      fields: { final: 'text.error.finalBeforeClose' },
    })
  const current = await currentVersion(db, textId)
  const articles = await articlesOf(db, textId, current)
  const pending = (await amendmentsOf(db, textId)).filter((a) => a.decision === null)
  const errors: Record<string, string> = {}
  for (const article of articles) {
    const wording = input.articles.get(article.articleId)
    if (!wording || wording.heading.trim() === '' || wording.heading.length > 300)
      errors[`heading.${article.articleId}`] = 'text.error.heading'
    if (!wording || wording.body.trim() === '' || wording.body.length > 50000)
      errors[`body.${article.articleId}`] = 'text.error.proposed'
  }
  for (const [amendmentId, decision] of input.decisions) {
    if (!pending.some((a) => a.id === amendmentId)) errors[`decision.${amendmentId}`] = 'text.error.decided'
    else if (!(DECISIONS as readonly string[]).includes(decision.decision))
      errors[`decision.${amendmentId}`] = 'text.error.decision'
    else if (decision.decision === 'rejected' && decision.reason.trim() === '')
      errors[`reason.${amendmentId}`] = 'text.error.reason'
    else if (decision.reason.length > 5000) errors[`reason.${amendmentId}`] = 'text.error.reason'
  }
  if (input.final)
    for (const a of pending)
      if (!a.hiddenAt && !input.decisions.has(a.id)) errors[`decision.${a.id}`] = 'text.error.undecided'
  if (input.note.length > 10000) errors.note = 'text.error.summary'
  const bodies = acceptedWordings(articles, pending, input, errors)
  if (Object.keys(errors).length > 0) throw invalid(errors)
  const number = current + 1
  await db.transaction(async (tx) => {
    // the text row is the lock: two staff members publishing at once get two versions in turn, never one number twice
    const locked = await queryRows(
      tx,
      sql`select id from cocreated_texts where id = ${textId} and status = 'published' and ${authorizedIn(actor, 'consultation.manage', sql`territory_id`)} for update`,
    )
    if (locked.length === 0) throw forbidden()
    const [latest] = await queryRows<{ number: number }>(
      tx,
      sql`select max(number) as number from text_versions where text_id = ${textId}`,
    )
    if (latest!.number !== current)
      throw conflict('STALE', 'Une autre version vient d’être publiée : rechargez la page.')
    await tx.execute(
      sql`insert into text_versions (text_id, number, territory_id, is_final, note, published_by, published_at) values (${textId}, ${number}, ${text.territoryId}, ${input.final}, ${input.note.trim()}, ${actor.id}, now())`,
    )
    for (const article of articles) {
      const wording = input.articles.get(article.articleId)!
      await tx.execute(
        sql`insert into text_article_versions (text_id, number, article_id, territory_id, position, heading, body)
            values (${textId}, ${number}, ${article.articleId}, ${text.territoryId}, ${article.position}, ${wording.heading.trim()}, ${bodies.get(article.articleId)!})`,
      )
    }
    for (const [amendmentId, decision] of input.decisions) {
      const done = await queryRows(
        tx,
        sql`update text_amendments set decision = ${decision.decision}, decision_reason = ${decision.reason.trim() || null}, decided_in = ${number}, decided_by = ${actor.id}
            where id = ${amendmentId} and text_id = ${textId} and decision is null returning id`,
      )
      if (done.length === 0) throw conflict('STALE', 'Un amendement vient d’être décidé : rechargez la page.')
    }
    if (input.final) {
      // amendments hidden by moderation and left undecided are closed as rejected, with moderation as the reason
      await tx.execute(
        sql`update text_amendments set decision = 'rejected', decision_reason = ${'Masqué par la modération : '} || coalesce(hidden_reason, ''), decided_in = ${number}, decided_by = ${actor.id}
            where text_id = ${textId} and decision is null and hidden_at is not null`,
      )
      await tx.execute(sql`update cocreated_texts set status = 'final', updated_at = now() where id = ${textId}`)
    }
    await recordAudit(tx, {
      actorId: actor.id,
      territoryId: text.territoryId,
      action: input.final ? 'text.final_version' : 'text.version',
      subjectType: 'cocreated_text',
      subjectId: textId,
      after: { number, note: input.note.trim(), decisions: Object.fromEntries(input.decisions) },
    })
    await announceText(
      tx,
      text,
      input.final ? 'text.final_version' : 'text.version',
      actor.id,
      `/textes/${textId}/versions/${number}`,
    )
  })
  return number
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
