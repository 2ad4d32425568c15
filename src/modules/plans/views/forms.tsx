import type { MessageKey, Translate } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import {
  CsrfField,
  ErrorSummary,
  Field,
  PostForm,
  type FieldErrors,
  type FormValues,
} from '../../../platform/layout/forms.tsx'
import { HELD_STATUSES, STATUSES } from '../progress.ts'
import type { CommitmentView, MilestoneView } from '../tree.ts'

import { OGP_VALUES, CommitmentStatus } from './shared.tsx'

export function PlanFormPage({
  title,
  action,
  values,
  errors,
  version,
  conflict,
}: {
  title: string
  action: string
  values: FormValues
  errors: FieldErrors
  version?: number
  conflict?: Record<string, string>
}) {
  const { t } = usePage()
  const labels = {
    title: t('plans.plan.title'),
    periodStart: t('plans.commitment.start'),
    periodEnd: t('plans.commitment.end'),
    cocreationSummary: t('plans.cocreation'),
  }
  return (
    <div class="narrow">
      <h1>{title}</h1>
      {conflict && <ConflictPanel saved={conflict} labels={labels} />}
      <ErrorSummary errors={errors} labels={labels} />
      <PostForm action={action}>
        {version !== undefined && <input type="hidden" name="version" value={String(version)} />}
        <Field name="title" label={labels.title} required value={values.title} error={errors.title} maxLength={300} />
        <Field
          name="periodStart"
          type="date"
          label={labels.periodStart}
          required
          value={values.periodStart}
          error={errors.periodStart}
        />
        <Field
          name="periodEnd"
          type="date"
          label={labels.periodEnd}
          required
          value={values.periodEnd}
          error={errors.periodEnd}
        />
        <Field
          name="cocreationSummary"
          label={labels.cocreationSummary}
          multiline
          value={values.cocreationSummary}
          error={errors.cocreationSummary}
          maxLength={10000}
        />
        <button type="submit">{t('form.save')}</button>
      </PostForm>
    </div>
  )
}

/** Shows the version someone else saved, field by field, beside the form that keeps the person's own. */
function ConflictPanel({ saved, labels }: { saved: Record<string, string>; labels: Record<string, string> }) {
  const { t } = usePage()
  return (
    <section class="conflict" role="alert" aria-labelledby="conflict-title">
      <h2 id="conflict-title">{t('plans.conflict.title')}</h2>
      <p>{t('plans.conflict.help')}</p>
      <h3>{t('plans.conflict.saved')}</h3>
      <dl>
        {Object.entries(labels).map(([field, label]) => (
          <>
            <dt>{label}</dt>
            <dd>{saved[field] || '—'}</dd>
          </>
        ))}
      </dl>
    </section>
  )
}

/** The label of each commitment field, for forms, conflicts and revision diffs. */
export function commitmentLabels(t: Translate): Record<string, string> {
  return {
    title: t('plans.commitment.title'),
    problem: t('plans.commitment.problem'),
    description: t('plans.commitment.description'),
    contribution: t('plans.commitment.contribution'),
    ogpValues: t('plans.commitment.values'),
    expectedImpacts: t('plans.commitment.impacts'),
    leadActor: t('plans.commitment.lead'),
    supportingActors: t('plans.commitment.supporting'),
    themes: t('plans.commitment.themes'),
    startDate: t('plans.commitment.start'),
    endDate: t('plans.commitment.end'),
    budgetEur: t('plans.commitment.budget'),
    deliberationUrl: t('plans.commitment.deliberation'),
    milestone: t('plans.entry.field.milestone'),
    commitment: t('plans.entry.field.commitment'),
    'milestone.title': t('plans.milestone.title'),
    'milestone.deliverable': t('plans.milestone.deliverable'),
    'milestone.startDate': t('plans.milestone.start'),
    'milestone.dueDate': t('plans.milestone.dueShort'),
    'milestone.responsible': t('plans.milestone.responsible'),
    'milestone.weight': t('plans.milestone.weight'),
  }
}

export function CommitmentFormPage(props: {
  title: string
  action: string
  values: FormValues
  errors: FieldErrors
  version?: number
  conflict?: Record<string, string>
  publishedPlan?: boolean
}) {
  const { t } = usePage()
  const { values, errors } = props
  const { milestone: _milestone, ...labels } = commitmentLabels(t)
  const chosen = new Set((values.ogpValues ?? '').split(',').filter(Boolean))
  return (
    <div class="narrow">
      <h1>{props.title}</h1>
      {props.publishedPlan && <p class="notice">{t('plans.commitment.newRevision')}</p>}
      {props.conflict && <ConflictPanel saved={props.conflict} labels={labels} />}
      <ErrorSummary errors={errors} labels={labels} />
      <PostForm action={props.action}>
        {props.version !== undefined && <input type="hidden" name="version" value={String(props.version)} />}
        <Field name="title" label={labels.title!} required value={values.title} error={errors.title} maxLength={300} />
        <Field name="problem" label={labels.problem!} multiline value={values.problem} error={errors.problem} />
        <Field
          name="description"
          label={labels.description!}
          multiline
          value={values.description}
          error={errors.description}
        />
        <Field
          name="contribution"
          label={labels.contribution!}
          multiline
          value={values.contribution}
          error={errors.contribution}
        />
        <fieldset class="field" id="field-ogpValues">
          <legend>{t('plans.commitment.values')}</legend>
          {errors.ogpValues && <p class="error-message">{errors.ogpValues}</p>}
          {OGP_VALUES.map((value) => (
            <label class="checkbox">
              <input type="checkbox" name="ogpValues" value={value} checked={chosen.has(value)} />{' '}
              {t(`plans.value.${value}` as MessageKey)}
            </label>
          ))}
        </fieldset>
        <Field
          name="expectedImpacts"
          label={labels.expectedImpacts!}
          multiline
          value={values.expectedImpacts}
          error={errors.expectedImpacts}
        />
        <Field
          name="leadActor"
          label={labels.leadActor!}
          value={values.leadActor}
          error={errors.leadActor}
          maxLength={300}
        />
        <Field
          name="supportingActors"
          label={labels.supportingActors!}
          value={values.supportingActors}
          error={errors.supportingActors}
          maxLength={1000}
        />
        <Field name="themes" label={labels.themes!} value={values.themes} error={errors.themes} maxLength={500} />
        <Field
          name="startDate"
          type="date"
          label={labels.startDate!}
          value={values.startDate}
          error={errors.startDate}
        />
        <Field name="endDate" type="date" label={labels.endDate!} value={values.endDate} error={errors.endDate} />
        <Field name="budgetEur" label={labels.budgetEur!} value={values.budgetEur} error={errors.budgetEur} />
        <Field
          name="deliberationUrl"
          type="url"
          label={labels.deliberationUrl!}
          value={values.deliberationUrl}
          error={errors.deliberationUrl}
        />
        <button type="submit">{t('form.save')}</button>
      </PostForm>
    </div>
  )
}

export function MilestoneFormPage({
  title,
  action,
  values,
  errors,
  version,
  conflict,
}: {
  title: string
  action: string
  values: FormValues
  errors: FieldErrors
  version?: number
  conflict?: Record<string, string>
}) {
  const { t } = usePage()
  const labels = {
    title: t('plans.milestone.title'),
    deliverable: t('plans.milestone.deliverable'),
    startDate: t('plans.milestone.start'),
    dueDate: t('plans.milestone.due'),
    responsible: t('plans.milestone.responsible'),
    weight: t('plans.milestone.weight'),
  }
  return (
    <div class="narrow">
      <h1>{title}</h1>
      {conflict && <ConflictPanel saved={conflict} labels={labels} />}
      <ErrorSummary errors={errors} labels={labels} />
      <PostForm action={action}>
        {version !== undefined && <input type="hidden" name="version" value={String(version)} />}
        <Field name="title" label={labels.title} required value={values.title} error={errors.title} maxLength={300} />
        <Field
          name="deliverable"
          label={labels.deliverable}
          value={values.deliverable}
          error={errors.deliverable}
          maxLength={1000}
        />
        <Field
          name="startDate"
          type="date"
          label={labels.startDate}
          value={values.startDate}
          error={errors.startDate}
        />
        <Field
          name="dueDate"
          type="date"
          label={labels.dueDate}
          required
          value={values.dueDate}
          error={errors.dueDate}
        />
        <Field
          name="responsible"
          label={labels.responsible}
          value={values.responsible}
          error={errors.responsible}
          maxLength={300}
        />
        <Field name="weight" label={labels.weight} value={values.weight} error={errors.weight} />
        <button type="submit">{t('form.save')}</button>
      </PostForm>
    </div>
  )
}

export function UpdateFormPage(props: {
  title: string
  action: string
  commitment: Pick<CommitmentView, 'status' | 'heldStatus' | 'heldReason' | 'heldAt'>
  milestones: MilestoneView[]
  entries: { id: string; seq: number }[]
  values: FormValues
  errors: FieldErrors
}) {
  const { t } = usePage()
  const { values, errors } = props
  const labels = {
    milestoneId: t('plans.update.target'),
    status: t('plans.update.status'),
    held: t('plans.update.held'),
    heldReason: t('plans.update.heldReason'),
    progress: t('plans.update.progress'),
    narrative: t('plans.update.narrative'),
    evidence: t('plans.update.evidence'),
    nextSteps: t('plans.update.nextSteps'),
    correctsId: t('plans.update.corrects'),
  }
  return (
    <div class="narrow">
      <h1>{props.title}</h1>
      <ErrorSummary errors={errors} labels={labels} />
      <form method="post" action={props.action} enctype="multipart/form-data" noValidate>
        <CsrfField />
        <Field
          name="milestoneId"
          label={labels.milestoneId}
          value={values.milestoneId}
          error={errors.milestoneId}
          options={[
            { value: '', label: t('plans.update.targetCommitment') },
            ...props.milestones.map((m) => ({ value: m.id, label: m.title })),
          ]}
        />
        <Field
          name="status"
          label={labels.status}
          hint={t('plans.update.statusHint')}
          value={values.status}
          error={errors.status}
          options={[
            { value: '', label: t('plans.update.keepStatus') },
            ...STATUSES.map((s) => ({ value: s, label: t(`status.${s}` as MessageKey) })),
          ]}
        />
        <fieldset>
          <legend>{t('plans.update.heldLegend')}</legend>
          <p>
            {t('plans.update.heldNow')} <CommitmentStatus commitment={props.commitment} full />
          </p>
          <Field
            name="held"
            label={labels.held}
            value={values.held}
            error={errors.held}
            options={[
              { value: '', label: t('plans.update.keepStatus') },
              ...HELD_STATUSES.map((s) => ({ value: s, label: t(`status.${s}` as MessageKey) })),
              ...(props.commitment.heldStatus ? [{ value: 'calcule', label: t('plans.update.release') }] : []),
            ]}
          />
          <Field
            name="heldReason"
            label={labels.heldReason}
            hint={t('plans.update.heldReasonHint')}
            multiline
            value={values.heldReason}
            error={errors.heldReason}
            maxLength={2000}
          />
        </fieldset>
        <Field name="progress" type="number" label={labels.progress} value={values.progress} error={errors.progress} />
        <Field
          name="narrative"
          label={labels.narrative}
          required
          multiline
          value={values.narrative}
          error={errors.narrative}
          maxLength={10000}
        />
        <Field name="evidence" label={labels.evidence} multiline value={values.evidence} error={errors.evidence} />
        <Field
          name="nextSteps"
          label={labels.nextSteps}
          multiline
          value={values.nextSteps}
          error={errors.nextSteps}
          maxLength={5000}
        />
        <div class={`field${errors.file ? ' field-error' : ''}`}>
          <label for="field-file">{t('plans.update.file')}</label>
          <p class="hint" id="field-file-hint">
            {t('plans.update.fileHint')}
          </p>
          {errors.file && (
            <p class="error-message" id="field-file-error">
              {errors.file}
            </p>
          )}
          <input
            type="file"
            id="field-file"
            name="file"
            accept=".pdf,.png,.jpg,.jpeg,.odt,.ods,.docx,.xlsx,.csv,.txt"
            aria-describedby={errors.file ? 'field-file-hint field-file-error' : 'field-file-hint'}
          />
        </div>
        {props.entries.length > 0 && (
          <Field
            name="correctsId"
            label={labels.correctsId}
            value={values.correctsId}
            error={errors.correctsId}
            options={[{ value: '', label: '—' }, ...props.entries.map((e) => ({ value: e.id, label: `n°${e.seq}` }))]}
          />
        )}
        <button type="submit">{t('form.save')}</button>
      </form>
    </div>
  )
}
