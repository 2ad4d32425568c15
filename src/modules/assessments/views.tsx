import { Picker, type PickerChoice } from '../../platform/layout/picker.tsx'
import { formatDate, formatNumber, type MessageKey, type Translate } from '../../platform/i18n/index.ts'
import { usePage } from '../../platform/layout/context.ts'
import {
  CsrfField,
  ErrorSummary,
  Field,
  PostForm,
  type FieldErrors,
  type FormValues,
} from '../../platform/layout/forms.tsx'
import { ProblemList } from '../../platform/layout/problems.tsx'
import { commitmentPath, planPath, ProgressBar, CommitmentStatus, type CommitmentView } from '../plans/index.ts'
import {
  COCREATION_LEVELS,
  COMPLETION,
  DIOG,
  DIOG_PER_VALUE,
  OGP_VALUES,
  POTENTIAL_IMPACT,
  selfReportedCompletion,
  type Moment,
} from './scales.ts'
import type { RatingsOutcome } from './import.ts'
import type { Aggregates } from './service.ts'
import type { AssessmentRow, CommitmentAssessmentRow } from './tables.ts'

export const assessmentPagePath = (plan: { id: string }) => `/plans/${plan.id}/evaluation`
export const assessmentPath = (a: { id: string }) => `/evaluations/${a.id}`
const label = (t: Translate, key: string) => t(key as MessageKey)

export interface ReviewerView {
  userId: string
  displayName: string | null
  email: string | null
  conflictsDeclaredAt: string | null
  hasConflict: boolean | null
  conflictsStatement: string
}

export interface ReportView {
  assessment: AssessmentRow
  ratings: Map<string, CommitmentAssessmentRow>
  errata: { id: string; text: string; commitmentId: string | null; createdAt: Date }[]
  readable: boolean
}

function Choice({
  name,
  legend,
  options,
  value,
  error,
}: {
  name: string
  legend: string
  options: { value: string; label: string }[]
  value: string | undefined
  error?: string | undefined
}) {
  const id = `field-${name}`
  return (
    <fieldset
      class={`field${error ? ' field-error' : ''}`}
      id={id}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend>{legend}</legend>
      {error && (
        <p class="error-message" id={`${id}-error`}>
          {error}
        </p>
      )}
      {options.map((o) => (
        <div class="checkbox">
          <input type="radio" id={`${id}-${o.value}`} name={name} value={o.value} checked={value === o.value} />
          <label for={`${id}-${o.value}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  )
}

/** One commitment's ratings, beside what the territory reports of it. */
function CommitmentReport({
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

export function AppointPage(props: {
  plan: { id: string; title: string }
  reviewers: ReviewerView[]
  values: FormValues
  errors: FieldErrors
  choices?: PickerChoice[]
}) {
  const { t } = usePage()
  return (
    <div class="narrow">
      <p class="kicker">
        <a href={assessmentPagePath(props.plan)}>{props.plan.title}</a>
      </p>
      <h1>{t('assess.reviewers')}</h1>
      <p>{t('assess.appointLead')}</p>
      <ErrorSummary errors={props.errors} labels={{ email: t('admin.field.userEmail') }} />
      <PostForm action={`${assessmentPagePath(props.plan)}/evaluateurs`}>
        <Picker
          name="email"
          label={t('admin.field.userEmail')}
          hint={t('admin.field.userEmail.hint')}
          required
          value={props.values.email}
          error={props.errors.email}
          suggest="/admin/comptes/suggestions"
          choices={props.choices}
        />
        <button type="submit">{t('assess.appoint')}</button>
      </PostForm>
      <ul>
        {props.reviewers.map((r) => (
          <li>
            {r.displayName} — {r.email}{' '}
            <PostForm action={`${assessmentPagePath(props.plan)}/evaluateurs/${r.userId}/retrait`} class="inline-form">
              <button type="submit" class="link-button">
                {t('assess.revoke')}
                <span class="visually-hidden"> {r.displayName}</span>
              </button>
            </PostForm>
          </li>
        ))}
      </ul>
    </div>
  )
}

/** The upload form of the IRM's ratings: of one plan, or (`plan` null) of the whole network. */
export function ImportOgpPage({
  plan,
  action,
  problems,
  total,
}: {
  plan: { id: string; title: string } | null
  action: string
  problems: string[]
  total?: number
}) {
  const { t } = usePage()
  return (
    <div class="narrow">
      {plan && (
        <p class="kicker">
          <a href={assessmentPagePath(plan)}>{plan.title}</a>
        </p>
      )}
      <h1>{t('assess.importOgp')}</h1>
      <p>{t(plan ? 'assess.importOgp.lead' : 'assess.importOgp.networkLead')}</p>
      <ProblemList title={t('ref.import.failed')} problems={problems} {...(total !== undefined ? { total } : {})} />
      <form method="post" action={action} enctype="multipart/form-data" noValidate>
        <CsrfField />
        <div class="field">
          <label for="field-file">{t('assess.importOgp.file')}</label>
          <input id="field-file" type="file" name="file" accept=".csv,text/csv" />
        </div>
        <button type="submit">{t('plans.import.preview')}</button>
      </form>
    </div>
  )
}

/** What importing the IRM's ratings would do, plan by plan, before it does it. */
export function RatingsPreviewPage({
  outcome,
  confirm,
  cancel,
  warnings,
}: {
  outcome: RatingsOutcome
  confirm: string
  cancel: string
  warnings: string[]
}) {
  const { t } = usePage()
  const changes = outcome.plans.some((p) => p.action === 'create' || p.action === 'erratum')
  return (
    <div>
      <h1>{t('assess.importOgp.preview')}</h1>
      <p class="lead">{t(changes ? 'plans.import.previewLead' : 'plans.import.nothingToDo')}</p>
      {outcome.plans.length > 0 && (
        <table>
          <caption>{t('assess.importOgp.plans', { count: outcome.plans.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('assess.importOgp.plan')}</th>
              <th scope="col">{t('assess.moment.inception')}</th>
              <th scope="col">{t('assess.moment.end_of_term')}</th>
              <th scope="col">{t('assess.importOgp.action')}</th>
            </tr>
          </thead>
          <tbody>
            {outcome.plans.map((p) => (
              <tr>
                <td>
                  <a href={assessmentPagePath({ id: p.planId })}>{p.title}</a> ({p.territoryName})
                </td>
                <td>{p.inception}</td>
                <td>{p.endOfTerm}</td>
                <td>{t(`assess.importOgp.action.${p.action}` as MessageKey)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ul>
        <li>
          {t('assess.importOgp.notOnPlatform', {
            count: outcome.notOnPlatform.count,
            ids: outcome.notOnPlatform.ids.join(', ') || '—',
          })}
        </li>
        <li>{t('assess.importOgp.unrated', { count: outcome.unrated })}</li>
        {warnings.map((w) => (
          <li>{w}</li>
        ))}
      </ul>
      {changes && (
        <form method="post" action={confirm}>
          <CsrfField />
          <button type="submit">{t('plans.import.confirm')}</button> <a href={cancel}>{t('plans.import.cancel')}</a>
        </form>
      )}
    </div>
  )
}

export function OverviewFormPage(props: {
  assessment: AssessmentRow
  plan: { id: string; title: string }
  values: FormValues
  errors: FieldErrors
}) {
  const { t } = usePage()
  const inception = props.assessment.moment === 'inception'
  return (
    <div class="narrow">
      <p class="kicker">
        <a href={assessmentPagePath(props.plan)}>{props.plan.title}</a>
      </p>
      <h1>{t('assess.overview')}</h1>
      <ErrorSummary
        errors={props.errors}
        labels={{
          cocreationLevel: t('assess.cocreation'),
          cocreationJustification: t('assess.cocreationJustification'),
          summary: t('assess.summary'),
        }}
      />
      <PostForm action={`${assessmentPath(props.assessment)}/ensemble`}>
        {inception && (
          <>
            <Choice
              name="cocreationLevel"
              legend={t('assess.cocreation')}
              options={COCREATION_LEVELS.map((v) => ({ value: v, label: label(t, `assess.cocreation.${v}`) }))}
              value={props.values.cocreationLevel}
              error={props.errors.cocreationLevel}
            />
            <Field
              name="cocreationJustification"
              label={t('assess.cocreationJustification')}
              multiline
              maxLength={20000}
              value={props.values.cocreationJustification}
              error={props.errors.cocreationJustification}
            />
          </>
        )}
        <Field
          name="summary"
          label={t('assess.summary')}
          multiline
          maxLength={20000}
          value={props.values.summary}
          error={props.errors.summary}
        />
        <button type="submit">{t('assess.save')}</button>
      </PostForm>
    </div>
  )
}

export function RatingFormPage(props: {
  assessment: AssessmentRow
  plan: { id: string; title: string }
  commitment: { id: string; title: string }
  values: FormValues
  errors: FieldErrors
}) {
  const { t } = usePage()
  const { values, errors } = props
  const inception = props.assessment.moment === 'inception'
  const yesNo = [
    { value: 'yes', label: t('assess.yes') },
    { value: 'no', label: t('assess.no') },
  ]
  const labels: Record<string, string> = {
    verifiable: t('assess.verifiable'),
    verifiableJustification: t('assess.justification'),
    potentialImpact: t('assess.potentialImpact'),
    impactJustification: t('assess.justification'),
    completion: t('assess.completion'),
    completionJustification: t('assess.justification'),
    diogOverall: t('assess.diog'),
    diogJustification: t('assess.justification'),
    evidenceLinks: t('assess.evidence'),
    ...Object.fromEntries(
      OGP_VALUES.flatMap((v) => [
        [`relevance_${v}`, label(t, `assess.value.${v}`)],
        [`relevance_${v}_justification`, `${label(t, `assess.value.${v}`)} – ${t('assess.justification')}`],
        [`diog_${v}`, t('assess.diogValue', { value: label(t, `assess.value.${v}`) })],
      ]),
    ),
  }
  return (
    <div class="narrow">
      <p class="kicker">
        <a href={assessmentPagePath(props.plan)}>{props.plan.title}</a> ·{' '}
        {t(`assess.moment.${props.assessment.moment as Moment}`)}
      </p>
      <h1>{props.commitment.title}</h1>
      <ErrorSummary errors={errors} labels={labels} />
      <PostForm action={`${assessmentPath(props.assessment)}/engagements/${props.commitment.id}`}>
        {inception ? (
          <>
            <Choice
              name="verifiable"
              legend={`${t('assess.verifiable')} (${t('assess.verifiable.hint')})`}
              options={yesNo}
              value={values.verifiable}
              error={errors.verifiable}
            />
            <Field
              name="verifiableJustification"
              label={`${t('assess.verifiable')} – ${t('assess.justification')}`}
              multiline
              value={values.verifiableJustification}
              error={errors.verifiableJustification}
            />
            <fieldset class="form-group">
              <legend>{t('assess.relevance')}</legend>
              {OGP_VALUES.map((v) => (
                <>
                  <Choice
                    name={`relevance_${v}`}
                    legend={label(t, `assess.value.${v}`)}
                    options={[
                      { value: 'yes', label: t('assess.relevant') },
                      { value: 'no', label: t('assess.notRelevant') },
                    ]}
                    value={values[`relevance_${v}`]}
                    error={errors[`relevance_${v}`]}
                  />
                  <Field
                    name={`relevance_${v}_justification`}
                    label={labels[`relevance_${v}_justification`]!}
                    value={values[`relevance_${v}_justification`]}
                    error={errors[`relevance_${v}_justification`]}
                  />
                </>
              ))}
            </fieldset>
            <Choice
              name="potentialImpact"
              legend={t('assess.potentialImpact')}
              options={POTENTIAL_IMPACT.map((v) => ({ value: v, label: label(t, `assess.impact.${v}`) }))}
              value={values.potentialImpact}
              error={errors.potentialImpact}
            />
            <Field
              name="impactJustification"
              label={`${t('assess.potentialImpact')} – ${t('assess.justification')}`}
              multiline
              value={values.impactJustification}
              error={errors.impactJustification}
            />
          </>
        ) : (
          <>
            <Choice
              name="completion"
              legend={t('assess.completion')}
              options={COMPLETION.map((v) => ({ value: v, label: label(t, `assess.completion.${v}`) }))}
              value={values.completion}
              error={errors.completion}
            />
            <Field
              name="completionJustification"
              label={`${t('assess.completion')} – ${t('assess.justification')}`}
              multiline
              value={values.completionJustification}
              error={errors.completionJustification}
            />
            <Choice
              name="diogOverall"
              legend={t('assess.diog')}
              options={DIOG.map((v) => ({ value: v, label: label(t, `assess.diog.${v}`) }))}
              value={values.diogOverall}
              error={errors.diogOverall}
            />
            <Field
              name="diogJustification"
              label={`${t('assess.diog')} – ${t('assess.justification')}`}
              multiline
              value={values.diogJustification}
              error={errors.diogJustification}
            />
            {OGP_VALUES.map((v) => (
              <Field
                name={`diog_${v}`}
                label={labels[`diog_${v}`]!}
                value={values[`diog_${v}`] ?? 'not_applicable'}
                error={errors[`diog_${v}`]}
                options={DIOG_PER_VALUE.map((d) => ({ value: d, label: label(t, `assess.diog.${d}`) }))}
              />
            ))}
            <Field name="earlyResults" label={t('assess.earlyResults')} multiline value={values.earlyResults} />
            <Field name="lessons" label={t('assess.lessons')} multiline value={values.lessons} />
            <Field
              name="evidenceLinks"
              label={t('assess.evidence')}
              multiline
              value={values.evidenceLinks}
              error={errors.evidenceLinks}
            />
          </>
        )}
        <Field name="recommendations" label={t('assess.recommendations')} multiline value={values.recommendations} />
        <button type="submit">{t('assess.save')}</button>
      </PostForm>
    </div>
  )
}

function share(t: Translate, locale: string, count: number, total: number) {
  const percent =
    total === 0
      ? '—'
      : new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
          style: 'percent',
          maximumFractionDigits: 0,
        }).format(count / total)
  return t('assess.network.share', { count, total, percent })
}

export function NetworkAssessmentsPage({ figures }: { figures: Aggregates }) {
  const { t, locale, user } = usePage()
  const i = figures.inception
  const e = figures.endOfTerm
  return (
    <article>
      <h1>{t('assess.network')}</h1>
      <p class="lead">{t('assess.network.lead')}</p>
      {user?.isPlatformAdmin && (
        <p>
          <a href="/evaluations/import-ogp">{t('assess.importOgp')}</a>
        </p>
      )}
      <p class="figure">
        {t('assess.network.plans')} : {formatNumber(locale, figures.plansAssessed)}
      </p>
      <div class="table-scroll">
        <table>
          <caption>{t('assess.moment.inception')}</caption>
          <tbody>
            <tr>
              <th scope="row">{t('assess.network.verifiable')}</th>
              <td>{share(t, locale, i.verifiable, i.commitments)}</td>
            </tr>
            {OGP_VALUES.map((v) => (
              <tr>
                <th scope="row">
                  {t('assess.relevant')} : {label(t, `assess.value.${v}`)}
                </th>
                <td>{share(t, locale, i.relevant[v] ?? 0, i.verifiable)}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t('assess.network.moderate')}</th>
              <td>{share(t, locale, i.moderateOrMore, i.commitments)}</td>
            </tr>
            <tr>
              <th scope="row">{t('assess.network.transformative')}</th>
              <td>{share(t, locale, i.transformative, i.commitments)}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <div class="table-scroll">
        <table>
          <caption>{t('assess.moment.end_of_term')}</caption>
          <tbody>
            <tr>
              <th scope="row">{t('assess.network.substantial')}</th>
              <td>{share(t, locale, e.substantialOrComplete, e.commitments)}</td>
            </tr>
            <tr>
              <th scope="row">{t('assess.network.complete')}</th>
              <td>{share(t, locale, e.complete, e.commitments)}</td>
            </tr>
            <tr>
              <th scope="row">{t('assess.network.opened')}</th>
              <td>{share(t, locale, e.openedGovernment, e.commitments)}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <p>
        <a href="/api/v1/assessments/aggregates">JSON</a> · <a href="/api/v1/assessments.csv">CSV</a>
      </p>
    </article>
  )
}
