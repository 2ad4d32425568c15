import { formatDate, type MessageKey } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import { ErrorSummary, Field, PostForm, type FieldErrors, type FormValues } from '../../../platform/layout/forms.tsx'
import { commitmentPath } from '../../plans/index.ts'
import * as proposals from '../proposals.ts'
import { votersNeeded } from '../votes.ts'
import type { AmendmentRow, ProposalRow } from '../proposals.ts'
import type { AssemblyRow } from '../service.ts'
import { assemblyPath, Markdown, proposalPath, Section } from '../views.tsx'

export type VoteState =
  | Pick<
      AmendmentRow,
      | 'id'
      | 'status'
      | 'votesFor'
      | 'votesAgainst'
      | 'votesAbstain'
      | 'quorumPercent'
      | 'panelSizeAtClose'
      | 'quorumMet'
    >
  | Pick<
      ProposalRow,
      | 'id'
      | 'status'
      | 'votesFor'
      | 'votesAgainst'
      | 'votesAbstain'
      | 'quorumPercent'
      | 'panelSizeAtClose'
      | 'quorumMet'
    >

/** The result with its quorum once closed; while open, the quorum it needs and the ballot or the close button. */
export function VoteBox({
  vote,
  voted,
  member,
  manager,
  panelSize,
}: {
  vote: VoteState
  voted: boolean
  member: boolean
  manager: boolean
  panelSize: number
}) {
  const { t } = usePage()
  const subjectId = vote.id
  const status = vote.status
  const counts = { for: vote.votesFor, against: vote.votesAgainst, abstain: vote.votesAbstain }
  const cast = (vote.votesFor ?? 0) + (vote.votesAgainst ?? 0) + (vote.votesAbstain ?? 0)
  return (
    <>
      {counts.for !== null && (
        <p>
          {t('assembly.vote.result', { for: counts.for, against: counts.against ?? 0, abstain: counts.abstain ?? 0 })}
        </p>
      )}
      {vote.quorumMet !== null &&
        vote.panelSizeAtClose !== null &&
        vote.quorumPercent !== null &&
        vote.quorumPercent > 0 && (
          <p class={vote.quorumMet ? 'meta' : 'notice'}>
            {t(vote.quorumMet ? 'assembly.vote.quorumMet' : 'assembly.vote.quorumMissed', {
              cast,
              panel: vote.panelSizeAtClose,
              quorum: vote.quorumPercent,
              needed: votersNeeded(vote.quorumPercent, vote.panelSizeAtClose),
            })}
          </p>
        )}
      {status === 'voting' && vote.quorumPercent !== null && vote.quorumPercent > 0 && (
        <p class="meta">
          {t('assembly.vote.quorumNeeded', {
            quorum: vote.quorumPercent,
            needed: votersNeeded(vote.quorumPercent, panelSize),
            panel: panelSize,
          })}
        </p>
      )}
      {status === 'voting' &&
        (member ? (
          voted ? (
            <p class="notice">{t('assembly.vote.done')}</p>
          ) : (
            <PostForm action={`/votes-assemblee/${subjectId}/bulletin`}>
              <fieldset>
                <legend>{t('assembly.vote.choice')}</legend>
                <p class="hint">{t('assembly.vote.secret')}</p>
                {(['for', 'against', 'abstain'] as const).map((choice) => (
                  <div>
                    <input type="radio" name="choice" value={choice} id={`vote-${subjectId}-${choice}`} required />{' '}
                    <label for={`vote-${subjectId}-${choice}`}>{t(`assembly.vote.${choice}`)}</label>
                  </div>
                ))}
              </fieldset>
              <button type="submit">{t('assembly.vote.submit')}</button>
            </PostForm>
          )
        ) : (
          <p class="meta">{t('assembly.vote.membersOnly')}</p>
        ))}
      {manager && status === 'voting' && (
        <PostForm action={`/votes-assemblee/${subjectId}/cloture`} class="inline-form">
          <button type="submit">{t('assembly.vote.close')}</button>
        </PostForm>
      )}
    </>
  )
}

/** The organisers open a vote, with the assembly's quorum or another for this vote. */
export function OpenVoteForm({
  subjectId,
  quorum,
  error,
}: {
  subjectId: string
  quorum: string
  error?: string | undefined
}) {
  const { t } = usePage()
  return (
    <PostForm action={`/votes-assemblee/${subjectId}/ouverture`} class="open-vote">
      <Field
        name="quorumPercent"
        idPrefix={`vote-${subjectId}`}
        label={t('assembly.vote.quorumField')}
        type="number"
        value={quorum}
        error={error}
        hint={t('assembly.field.quorumHint')}
      />
      <button type="submit">{t('assembly.vote.open')}</button>
    </PostForm>
  )
}

export function ProposalPage(props: {
  assembly: AssemblyRow
  proposal: ProposalRow
  amendments: AmendmentRow[]
  voted: Set<string>
  member: boolean
  inGroup: boolean
  manager: boolean
  /** active panel members now, for the quorum of an open vote */
  panelSize: number
  answerer: boolean
  plans: { id: string; title: string; status: string }[]
  /** the territory's plans page, to create one when it has none to take the proposal */
  plansPath: string | null
  commitments: { id: string; title: string }[]
  form: string | null
  values: FormValues
  errors: FieldErrors
}) {
  const { t, locale } = usePage()
  const p = props.proposal
  const a = props.assembly
  const errorsOf = (form: string) => (props.form === form ? props.errors : {})
  const valuesOf = (form: string, fallback: FormValues = {}) => (props.form === form ? props.values : fallback)
  const amendLabels = { body: t('assembly.prop.amendBody'), reason: t('assembly.prop.amendReason') }
  const editLabels = { title: t('assembly.prop.title'), body: t('assembly.prop.body') }
  // a refused quorum re-renders the form of the vote it was typed for
  const quorumValue = (id: string) =>
    props.form === `vote-${id}` ? (props.values.quorumPercent ?? '') : String(a.quorumPercent)
  const quorumError = (id: string) => (props.form === `vote-${id}` ? props.errors.quorumPercent : undefined)
  const answerLabels = {
    answer: t('assembly.answer.kind'),
    text: t('assembly.answer.text'),
    planId: t('assembly.answer.plan'),
    commitmentId: t('assembly.answer.commitment'),
  }
  return (
    <article>
      <p class="kicker">
        <a href={assemblyPath(a)}>{a.title}</a> · {t('assembly.prop.number', { number: p.number })}
        {p.groupName ? ` · ${p.groupName}` : ''}
      </p>
      <h1>{p.title}</h1>
      <p>
        <span class="badge">{t(`assembly.prop.status.${p.status}` as MessageKey)}</span> v{p.version}
      </p>
      {(p.theme || p.objective) && (
        <dl class="facts">
          {p.theme && (
            <>
              <dt>{t('assembly.prop.theme')}</dt>
              <dd>{p.theme}</dd>
            </>
          )}
          {p.objective && (
            <>
              <dt>{t('assembly.prop.objective')}</dt>
              <dd>{p.objective}</dd>
            </>
          )}
        </dl>
      )}
      <Markdown text={p.body} />
      {props.form === 'general' && Object.keys(props.errors).length > 0 && (
        <div class="error-summary" role="alert" tabindex={-1}>
          <ul>
            {Object.values(props.errors).map((e) => (
              <li>{e}</li>
            ))}
          </ul>
        </div>
      )}
      <VoteBox
        vote={p}
        voted={props.voted.has(p.id)}
        member={props.member}
        manager={props.manager}
        panelSize={props.panelSize}
      />
      {props.manager && p.status === 'drafted' && (
        <PostForm action={`${proposalPath(p)}/amendements/ouverture`} class="inline-form">
          <button type="submit">{t('assembly.prop.openAmendments')}</button>
        </PostForm>
      )}
      {props.manager && p.status === 'amending' && (
        <OpenVoteForm subjectId={p.id} quorum={quorumValue(p.id)} error={quorumError(p.id)} />
      )}
      {props.inGroup && p.status === 'drafted' && (
        <Section id="edit" title={t('assembly.prop.edit')}>
          <ErrorSummary errors={errorsOf('edit')} labels={editLabels} idPrefix="edit" />
          <PostForm action={`${proposalPath(p)}/modifier`}>
            <Field
              name="title"
              idPrefix="edit"
              label={editLabels.title}
              required
              maxLength={300}
              value={valuesOf('edit', { title: p.title }).title}
              error={errorsOf('edit').title}
            />
            <Field
              name="body"
              idPrefix="edit"
              label={editLabels.body}
              required
              multiline
              maxLength={50000}
              value={valuesOf('edit', { body: p.body }).body}
              error={errorsOf('edit').body}
              hint="Markdown"
            />
            <button type="submit">{t('assembly.prop.draft')}</button>
          </PostForm>
        </Section>
      )}
      {(p.status !== 'drafted' || props.amendments.length > 0) && (
        <Section id="amendments" title={t('assembly.prop.amendments')}>
          {props.amendments.length === 0 ? (
            <p>{t('assembly.none.items')}</p>
          ) : (
            props.amendments.map((am) => (
              <div class="card">
                <p class="kicker">
                  {t('assembly.prop.amendBy', { number: am.authorNumber ?? '—', version: am.basedOn })} ·{' '}
                  {t(`assembly.amend.status.${am.status}` as MessageKey)}
                </p>
                <Markdown text={am.body} />
                {am.reason && <p class="meta">{am.reason}</p>}
                <VoteBox
                  vote={am}
                  voted={props.voted.has(am.id)}
                  member={props.member}
                  manager={props.manager}
                  panelSize={props.panelSize}
                />
                {props.manager && am.status === 'proposed' && p.status === 'amending' && (
                  <OpenVoteForm subjectId={am.id} quorum={quorumValue(am.id)} error={quorumError(am.id)} />
                )}
              </div>
            ))
          )}
          {props.member && p.status === 'amending' && (
            <>
              <h3>{t('assembly.prop.amend')}</h3>
              <ErrorSummary errors={errorsOf('amend')} labels={amendLabels} idPrefix="amend" />
              <PostForm action={`${proposalPath(p)}/amendements`}>
                <Field
                  name="body"
                  idPrefix="amend"
                  label={amendLabels.body}
                  required
                  multiline
                  maxLength={50000}
                  value={valuesOf('amend', { body: p.body }).body}
                  error={errorsOf('amend').body}
                  hint="Markdown"
                />
                <Field
                  name="reason"
                  idPrefix="amend"
                  label={amendLabels.reason}
                  multiline
                  maxLength={5000}
                  value={valuesOf('amend').reason}
                  error={errorsOf('amend').reason}
                />
                <button type="submit">{t('assembly.prop.amendSubmit')}</button>
              </PostForm>
            </>
          )}
        </Section>
      )}
      {p.status === 'adopted' && (
        <Section id="answer" title={t('assembly.answer.title')}>
          {p.answer ? (
            <>
              <p>
                <span class="badge">{t(`assembly.answer.${p.answer}` as MessageKey)}</span>{' '}
                {p.answeredAt ? t('assembly.answer.on', { date: formatDate(locale, new Date(p.answeredAt)) }) : ''}
              </p>
              <Markdown text={p.answerText ?? ''} />
              {p.commitmentId && (
                <p>
                  {p.commitmentTitle ? (
                    <a href={commitmentPath({ id: p.commitmentId })}>
                      {t('assembly.answer.commitmentLink', { title: p.commitmentTitle })}
                    </a>
                  ) : (
                    t('assembly.answer.commitmentDraft')
                  )}
                </p>
              )}
            </>
          ) : (
            <p>{t('assembly.answer.awaiting')}</p>
          )}
          {props.answerer && (
            <>
              <ErrorSummary errors={errorsOf('answer')} labels={answerLabels} idPrefix="answer" />
              <PostForm action={`${proposalPath(p)}/reponse`}>
                <Field
                  name="answer"
                  idPrefix="answer"
                  label={answerLabels.answer}
                  value={valuesOf('answer', { answer: p.answer ?? 'accepted' }).answer}
                  error={errorsOf('answer').answer}
                  options={proposals.ANSWERS.map((x) => ({ value: x, label: t(`assembly.answer.${x}`) }))}
                />
                <Field
                  name="text"
                  idPrefix="answer"
                  label={answerLabels.text}
                  required
                  multiline
                  maxLength={20000}
                  value={valuesOf('answer', { text: p.answerText ?? '' }).text}
                  error={errorsOf('answer').text}
                  hint="Markdown"
                />
                {!p.commitmentId && props.plans.length > 0 && (
                  <Field
                    name="planId"
                    idPrefix="answer"
                    label={answerLabels.planId}
                    value={valuesOf('answer').planId ?? ''}
                    error={errorsOf('answer').planId}
                    options={[
                      { value: '', label: t('assembly.answer.none') },
                      ...props.plans.map((x) => ({
                        value: x.id,
                        label: t(x.status === 'draft' ? 'assembly.answer.planDraft' : 'assembly.answer.planPublished', {
                          title: x.title,
                        }),
                      })),
                    ]}
                  />
                )}
                {!p.commitmentId && props.plans.length === 0 && (
                  <p class="notice" role="note">
                    {t('assembly.answer.noPlan')}{' '}
                    {props.plansPath && <a href={props.plansPath}>{t('assembly.answer.noPlanLink')}</a>}
                  </p>
                )}
                {!p.commitmentId && props.commitments.length > 0 && (
                  <Field
                    name="commitmentId"
                    idPrefix="answer"
                    label={answerLabels.commitmentId}
                    value={valuesOf('answer').commitmentId ?? ''}
                    error={errorsOf('answer').commitmentId}
                    options={[
                      { value: '', label: t('assembly.answer.none') },
                      ...props.commitments.map((x) => ({ value: x.id, label: x.title })),
                    ]}
                  />
                )}
                <button type="submit">{t('assembly.answer.submit')}</button>
              </PostForm>
            </>
          )}
        </Section>
      )}
    </article>
  )
}
