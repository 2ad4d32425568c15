import { usePage } from '../../../platform/layout/context.ts'
import { ErrorSummary, Field, PostForm, type FieldErrors, type FormValues } from '../../../platform/layout/forms.tsx'
import type { ContributionRow } from '../tables.ts'
import { consultationPath } from './shared.tsx'
import type { ContributionView } from './contributions.tsx'

/** The staff's answer to a contribution; refused, it comes back open with what was written and the messages. */
export function AnswerForm(props: {
  contribution: ContributionView
  form: { values: FormValues; errors: FieldErrors } | null
  sort: 'supports' | 'recent'
  page: number
  planCommitments: { id: string; title: string }[]
  planMilestones: { id: string; title: string; commitmentId: string; commitmentTitle: string }[]
}) {
  const { t } = usePage()
  const { contribution: k, form } = props
  const value = (name: 'decision' | 'answer' | 'commitmentId' | 'milestoneId', saved: string | null) =>
    form ? (form.values[name] ?? '') : (saved ?? '')
  const labels = {
    decision: t('consult.answer.decision'),
    answer: t('consult.answer.text'),
    commitmentId: t('consult.answer.commitment'),
    milestoneId: t('consult.answer.milestone'),
  }
  const prefix = `answer-${k.id}`
  return (
    <details open={!!form}>
      <summary>{t('consult.answer')}</summary>
      {form && <ErrorSummary errors={form.errors} labels={labels} idPrefix={prefix} />}
      <PostForm action={`/contributions/${k.id}/reponse`}>
        <input type="hidden" name="tri" value={props.sort === 'recent' ? 'recentes' : 'soutiens'} />
        <input type="hidden" name="page" value={String(props.page)} />
        <Field
          name="decision"
          idPrefix={prefix}
          label={labels.decision}
          value={value('decision', k.decision ?? 'retained')}
          options={[
            { value: 'retained', label: t('consult.answer.retained') },
            { value: 'not_retained', label: t('consult.answer.not_retained') },
          ]}
        />
        <Field
          name="answer"
          idPrefix={prefix}
          label={labels.answer}
          required
          multiline
          maxLength={10000}
          value={value('answer', k.answer)}
          error={form?.errors.answer}
        />
        <Field
          name="commitmentId"
          idPrefix={prefix}
          label={labels.commitmentId}
          value={value('commitmentId', k.commitmentId)}
          error={form?.errors.commitmentId}
          options={[{ value: '', label: '—' }, ...props.planCommitments.map((p) => ({ value: p.id, label: p.title }))]}
        />
        {props.planMilestones.length > 0 && (
          <Field
            name="milestoneId"
            idPrefix={prefix}
            label={labels.milestoneId}
            value={value('milestoneId', k.milestoneId)}
            error={form?.errors.milestoneId}
            options={[
              { value: '', label: '—' },
              ...props.planMilestones.map((m) => ({ value: m.id, label: `${m.commitmentTitle} → ${m.title}` })),
            ]}
          />
        )}
        <button type="submit">{t('consult.answer.submit')}</button>
      </PostForm>
    </details>
  )
}

export function ContributionEditPage(props: {
  contribution: ContributionRow
  values: FormValues
  errors: FieldErrors
}) {
  const { t } = usePage()
  const labels = {
    kind: t('consult.contribute.kind'),
    title: t('consult.contribute.title'),
    body: t('consult.contribute.body'),
  }
  return (
    <div class="narrow">
      <p class="kicker">
        <a href={consultationPath({ id: props.contribution.consultationId })}>{t('consult.title')}</a>
      </p>
      <h1>{t('consult.edit')}</h1>
      <ErrorSummary errors={props.errors} labels={labels} />
      <PostForm action={`/contributions/${props.contribution.id}/modifier`}>
        <Field
          name="kind"
          label={labels.kind}
          value={props.values.kind}
          error={props.errors.kind}
          options={(['idea', 'opinion', 'critique'] as const).map((k) => ({ value: k, label: t(`consult.kind.${k}`) }))}
        />
        <Field
          name="title"
          label={labels.title}
          required
          maxLength={200}
          value={props.values.title}
          error={props.errors.title}
        />
        <Field
          name="body"
          label={labels.body}
          required
          multiline
          maxLength={10000}
          value={props.values.body}
          error={props.errors.body}
        />
        <button type="submit">{t('consult.save')}</button>
      </PostForm>
    </div>
  )
}
