import { formatDate } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import { Field, PostForm } from '../../../platform/layout/forms.tsx'
import { commitmentPath, planPath, ProgressBar, CommitmentStatus, type CommitmentView } from '../../plans/index.ts'
import { OGP_VALUES, selfReportedCompletion, type Moment } from '../scales.ts'
import type { CommitmentAssessmentRow } from '../tables.ts'
import { assessmentPagePath, assessmentPath, label, type ReviewerView, type ReportView } from './shared.tsx'

export function CommitmentReport({
  moment,
  commitment,
  rating,
  errata,
}: {
  moment: Moment
  commitment: CommitmentView
  rating: CommitmentAssessmentRow | undefined
  errata: ReportView['errata']
}) {
  const { t, locale } = usePage()
  const implied = selfReportedCompletion(commitment.status, commitment.progress)
  const gap = moment === 'end_of_term' && rating?.completion && rating.completion !== implied
  return (
    <li class="card assessment-card">
      <h4 class="card-title">
        <a href={commitmentPath(commitment)}>{commitment.title}</a>
      </h4>
      <div class="assessment-columns">
        <div>
          <p class="kicker">{t('assess.selfReported')}</p>
          <p>
            <CommitmentStatus commitment={commitment} /> <ProgressBar value={commitment.progress} />
          </p>
        </div>
        <div>
          <p class="kicker">{t('assess.reviewerView')}</p>
          {!rating ? (
            <p>{t('assess.notRated')}</p>
          ) : moment === 'inception' ? (
            <dl class="ratings">
              <dt>{t('assess.verifiable')}</dt>
              <dd>
                {rating.verifiable ? t('assess.yes') : t('assess.no')}
                {rating.verifiableJustification && <span class="hint"> — {rating.verifiableJustification}</span>}
              </dd>
              {rating.verifiable &&
                OGP_VALUES.map((value) => (
                  <>
                    <dt>{label(t, `assess.value.${value}`)}</dt>
                    <dd>
                      {rating.relevance[value]?.relevant ? t('assess.relevant') : t('assess.notRelevant')}
                      {rating.relevance[value]?.justification && (
                        <span class="hint"> — {rating.relevance[value]!.justification}</span>
                      )}
                    </dd>
                  </>
                ))}
              {rating.potentialImpact && (
                <>
                  <dt>{t('assess.potentialImpact')}</dt>
                  <dd>
                    <strong>{label(t, `assess.impact.${rating.potentialImpact}`)}</strong>
                    {rating.impactJustification && <span class="hint"> — {rating.impactJustification}</span>}
                  </dd>
                </>
              )}
              {rating.potentialResults && (
                <>
                  <dt>{t('assess.potentialResults')}</dt>
                  <dd>
                    <strong>{label(t, `assess.results.${rating.potentialResults}`)}</strong>
                  </dd>
                </>
              )}
              {rating.completion && (
                <>
                  <dt>{t('assess.completion')}</dt>
                  <dd>
                    <strong>{label(t, `assess.completion.${rating.completion}`)}</strong>
                  </dd>
                </>
              )}
            </dl>
          ) : (
            <dl class="ratings">
              <dt>{t('assess.completion')}</dt>
              <dd>
                <strong>{label(t, `assess.completion.${rating.completion}`)}</strong>
                {rating.completionJustification && <span class="hint"> — {rating.completionJustification}</span>}
              </dd>
              <dt>{t('assess.diog')}</dt>
              <dd>
                <strong>{label(t, `assess.diog.${rating.diogOverall}`)}</strong>
                {rating.diogJustification && <span class="hint"> — {rating.diogJustification}</span>}
              </dd>
              {OGP_VALUES.map((value) => (
                <>
                  <dt>{t('assess.diogValue', { value: label(t, `assess.value.${value}`) })}</dt>
                  <dd>{label(t, `assess.diog.${rating.diogValues[value] ?? 'not_applicable'}`)}</dd>
                </>
              ))}
              {rating.earlyResults && (
                <>
                  <dt>{t('assess.earlyResults')}</dt>
                  <dd>{rating.earlyResults}</dd>
                </>
              )}
              {rating.lessons && (
                <>
                  <dt>{t('assess.lessons')}</dt>
                  <dd>{rating.lessons}</dd>
                </>
              )}
              {rating.evidenceLinks.length > 0 && (
                <>
                  <dt>{t('assess.evidence.label')}</dt>
                  <dd>
                    <ul>
                      {rating.evidenceLinks.map((link) => (
                        <li>
                          <a href={link} rel="nofollow noopener">
                            {link}
                          </a>
                        </li>
                      ))}
                    </ul>
                  </dd>
                </>
              )}
            </dl>
          )}
          {rating?.recommendations && (
            <p>
              {t('assess.recommendations')} : {rating.recommendations}
            </p>
          )}
        </div>
      </div>
      {gap && (
        <p class="notice gap">
          {t('assess.gap')} : {label(t, `assess.completion.${implied}`)} →{' '}
          {label(t, `assess.completion.${rating!.completion}`)}
        </p>
      )}
      {errata.map((e) => (
        <p class="notice">
          {t('assess.errata')} ({formatDate(locale, e.createdAt)}) : {e.text}
        </p>
      ))}
    </li>
  )
}

export function AssessmentPage(props: {
  plan: { id: string; title: string; status: string }
  territory: { name: string; path: string }
  commitments: CommitmentView[]
  reviewers: ReviewerView[]
  reports: Record<Moment, ReportView | null>
  isAdmin: boolean
  appointment: { conflictsDeclaredAt: string | null } | null
  canReply: boolean
  today: string
}) {
  const { t, locale } = usePage()
  const reviewer = !!props.appointment
  const declared = !!props.appointment?.conflictsDeclaredAt
  return (
    <article class="assessment">
      <p class="kicker">
        <a href={props.territory.path}>{props.territory.name}</a> ·{' '}
        <a href={planPath(props.plan)}>{props.plan.title}</a>
      </p>
      <h1>{t('assess.title')}</h1>
      <p class="lead">{t('assess.lead')}</p>
      <section aria-labelledby="reviewers-title">
        <h2 id="reviewers-title">{t('assess.reviewers')}</h2>
        {props.reviewers.length === 0 ? (
          <p>{t('assess.noReviewer')}</p>
        ) : (
          <ul>
            {props.reviewers.map((r) => (
              <li>
                {r.displayName ?? '—'} —{' '}
                {!r.conflictsDeclaredAt
                  ? t('assess.conflicts.pending')
                  : r.hasConflict
                    ? t('assess.conflicts.declared', { statement: r.conflictsStatement })
                    : t('assess.conflicts.none')}
              </li>
            ))}
          </ul>
        )}
        {props.isAdmin && (
          <p>
            <a href={`${assessmentPagePath(props.plan)}/evaluateurs`}>{t('assess.appoint')}</a> ·{' '}
            <a href={`${assessmentPagePath(props.plan)}/import-ogp`}>{t('assess.importOgp')}</a>
          </p>
        )}
        {reviewer && (
          <div class="panel">
            <h3>{t('assess.conflicts')}</h3>
            <PostForm action={`${assessmentPagePath(props.plan)}/conflits`}>
              <div class="checkbox">
                <input type="checkbox" id="field-hasConflict" name="hasConflict" value="yes" />
                <label for="field-hasConflict">{t('assess.conflicts.has')}</label>
              </div>
              <Field name="statement" label={t('assess.conflicts.statement')} multiline maxLength={5000} />
              <button type="submit">{t('assess.conflicts.submit')}</button>
            </PostForm>
          </div>
        )}
      </section>
      {(['inception', 'end_of_term'] as const).map((moment) => {
        const report = props.reports[moment]
        const a = report?.assessment
        return (
          <section aria-labelledby={`moment-${moment}`}>
            <h2 id={`moment-${moment}`}>{t(`assess.moment.${moment}`)}</h2>
            {!a ? (
              reviewer && declared && (props.plan.status === 'published' || props.plan.status === 'closed') ? (
                <PostForm
                  action={`${assessmentPagePath(props.plan)}/${moment === 'inception' ? 'lancement' : 'terme'}`}
                >
                  <button type="submit">{t('assess.open', { moment: t(`assess.moment.${moment}`) })}</button>
                </PostForm>
              ) : (
                <p>{t('assess.none')}</p>
              )
            ) : !report!.readable ? (
              <p>{t('assess.none')}</p>
            ) : (
              <>
                <p>
                  <span class="status">{label(t, `assess.status.${a.status}`)}</span>
                  {a.publishedAt ? ` · ${t('assess.publishedOn', { date: formatDate(locale, a.publishedAt) })}` : ''}
                  {a.status === 'right_of_reply' && a.replyDue
                    ? ` · ${t('assess.replyDue', { date: formatDate(locale, new Date(`${a.replyDue}T12:00:00Z`)) })}`
                    : ''}
                </p>
                {a.source === 'ogp' && <p class="hint">{t('assess.source.ogp')}</p>}
                {moment === 'inception' && a.cocreationLevel && (
                  <p>
                    <strong>{t('assess.cocreation')}</strong> {label(t, `assess.cocreation.${a.cocreationLevel}`)} —{' '}
                    {a.cocreationJustification}
                  </p>
                )}
                {a.summary && (
                  <>
                    <h3>{t('assess.summary')}</h3>
                    <p class="pre-line">{a.summary}</p>
                  </>
                )}
                {reviewer && a.status === 'draft' && (
                  <p class="staff-actions">
                    <a class="button" href={`${assessmentPath(a)}/ensemble`}>
                      {t('assess.overview')}
                    </a>
                  </p>
                )}
                <ol class="assessment-list">
                  {props.commitments.map((c) => (
                    <>
                      <CommitmentReport
                        moment={moment}
                        commitment={c}
                        rating={report!.ratings.get(c.id)}
                        errata={report!.errata.filter((e) => e.commitmentId === c.id)}
                      />
                      {reviewer && a.status === 'draft' && (
                        <li class="staff-actions">
                          <a href={`${assessmentPath(a)}/engagements/${c.id}`}>
                            {t('assess.rate')} : {c.title}
                          </a>
                        </li>
                      )}
                    </>
                  ))}
                </ol>
                {a.status !== 'draft' && (
                  <section aria-labelledby={`reply-${moment}`}>
                    <h3 id={`reply-${moment}`}>{t('assess.reply')}</h3>
                    {a.territoryReply ? (
                      <p class="pre-line">{a.territoryReply}</p>
                    ) : a.status === 'published' ? (
                      <p>{t('assess.noReply')}</p>
                    ) : null}
                    {props.canReply && a.status === 'right_of_reply' && !a.territoryReply && (
                      <PostForm action={`${assessmentPath(a)}/reponse`}>
                        <p class="hint">{t('assess.replyLead')}</p>
                        <Field
                          name="reply"
                          idPrefix={`reply-${moment}`}
                          label={t('assess.reply')}
                          multiline
                          maxLength={20000}
                        />
                        <button type="submit">{t('assess.replySubmit')}</button>
                      </PostForm>
                    )}
                  </section>
                )}
                {report!.errata.filter((e) => !e.commitmentId).length > 0 && (
                  <section aria-labelledby={`errata-${moment}`}>
                    <h3 id={`errata-${moment}`}>{t('assess.errata')}</h3>
                    <ul>
                      {report!.errata
                        .filter((e) => !e.commitmentId)
                        .map((e) => (
                          <li>
                            {formatDate(locale, e.createdAt)} : {e.text}
                          </li>
                        ))}
                    </ul>
                  </section>
                )}
                {reviewer && a.status === 'draft' && (
                  <PostForm action={`${assessmentPath(a)}/envoi`}>
                    <button type="submit">{t('assess.send')}</button>
                  </PostForm>
                )}
                {reviewer && a.status === 'right_of_reply' && (
                  <PostForm action={`${assessmentPath(a)}/publication`}>
                    <button type="submit">{t('assess.publish')}</button>
                  </PostForm>
                )}
                {(reviewer || props.isAdmin) && a.status === 'published' && (
                  <PostForm action={`${assessmentPath(a)}/errata`}>
                    <Field
                      name="text"
                      idPrefix={`erratum-${moment}`}
                      label={t('assess.erratum')}
                      multiline
                      maxLength={5000}
                    />
                    <Field
                      name="commitmentId"
                      idPrefix={`erratum-${moment}`}
                      label={t('assess.commitment')}
                      options={[
                        { value: '', label: '—' },
                        ...props.commitments.map((c) => ({ value: c.id, label: c.title })),
                      ]}
                    />
                    <button type="submit">{t('assess.save')}</button>
                  </PostForm>
                )}
              </>
            )}
          </section>
        )
      })}
      <p>
        <a href={`/api/v1/plans/${props.plan.id}/assessments`}>JSON</a> ·{' '}
        <a href="/reseau/evaluations">{t('assess.network')}</a>
      </p>
    </article>
  )
}
