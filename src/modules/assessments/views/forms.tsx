/** The reviewers' and the network's forms: appointment, OGP import, overview and ratings. */
import { Picker, type PickerChoice } from '../../../platform/layout/picker.tsx'
import type { MessageKey } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import {
  CsrfField,
  ErrorSummary,
  Field,
  PostForm,
  type FieldErrors,
  type FormValues,
} from '../../../platform/layout/forms.tsx'
import { ProblemList } from '../../../platform/layout/problems.tsx'
import {
  COCREATION_LEVELS,
  COMPLETION,
  DIOG,
  DIOG_PER_VALUE,
  OGP_VALUES,
  POTENTIAL_IMPACT,
  type Moment,
} from '../scales.ts'
import type { RatingsOutcome } from '../import.ts'
import type { AssessmentRow } from '../tables.ts'
import { assessmentPagePath, assessmentPath, label, Choice, type ReviewerView } from './shared.tsx'

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
