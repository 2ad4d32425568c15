/** Amendments to a text: proposed, voted on, and the next version published from those accepted. */
import { sql } from 'drizzle-orm'
import { recordActivity } from '../../platform/activity.ts'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import { assertCan, authorizedIn } from '../../platform/auth/policy.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors.ts'
import { findText, articlesOf, currentVersion, type AmendmentRow, amendmentsOf } from './queries.ts'

/**
 * Co-construction of a text: the territory's staff write a draft in articles and publish it; while it is open,
 * citizens propose amendments to an article and vote for or against them; the staff then publish new versions,
 * deciding the fate of each amendment, the last one final.
 */

import { DECISIONS, type AmendmentDecision, type ArticleWording, textPhase, announceText } from './service.ts'
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
