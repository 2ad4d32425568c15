import { formatIsoDate, type MessageKey } from '../../../platform/i18n/index.ts'
import { CardListPage } from '../../../platform/layout/cards.tsx'
import { usePage } from '../../../platform/layout/context.ts'
import {
  DraftOrPublish,
  ErrorSummary,
  Field,
  PostForm,
  type FieldErrors,
  type FormValues,
} from '../../../platform/layout/forms.tsx'
import type { Phase } from '../service.ts'
import type { ConsultationRow } from '../tables.ts'
import { consultationPath } from './shared.tsx'

export function ConsultationListPage(props: {
  territory: { name: string; path: string }
  items: (ConsultationRow & { phase: Phase })[]
  canManage: boolean
}) {
  const { t, locale } = usePage()
  return (
    <CardListPage
      back={props.territory}
      title={t('consult.title')}
      lead={t('consult.lead')}
      create={
        props.canManage ? { href: `${props.territory.path}/consultations/nouvelle`, label: t('consult.new') } : null
      }
      empty={t('consult.none')}
      cards={props.items.map((c) => ({
        href: consultationPath(c),
        title: c.title,
        kicker: t(`consult.phase.${c.phase}` as MessageKey),
        lines: [
          { text: c.question },
          {
            text: t('consult.dates', {
              start: formatIsoDate(locale, c.opensOn),
              end: formatIsoDate(locale, c.closesOn),
            }),
            meta: true,
          },
        ],
      }))}
    />
  )
}

/**
 * A new consultation, or the edit of one (`edit`): a published one shows the opening day as fixed once it has
 * opened, asks why it changes (the reason goes into its public history) and has a single save button.
 */
export function ConsultationFormPage(props: {
  action: string
  values: FormValues
  errors: FieldErrors
  commitments: { id: string; title: string }[]
  edit?: { consultation: ConsultationRow; phase: Phase }
}) {
  const { t, locale } = usePage()
  const labels = {
    title: t('consult.field.title'),
    question: t('consult.field.question'),
    context: t('consult.field.context'),
    opensOn: t('consult.field.opensOn'),
    closesOn: t('consult.field.closesOn'),
    commitmentId: t('consult.field.commitment'),
    reason: t('consult.field.reason'),
  }
  const edit = props.edit
  const published = edit !== undefined && edit.consultation.status !== 'draft'
  const openingFixed = published && edit.phase !== 'upcoming'
  return (
    <div class="narrow">
      {edit && (
        <p class="kicker">
          <a href={consultationPath(edit.consultation)}>{edit.consultation.title}</a>
        </p>
      )}
      <h1>{edit ? t('consult.editConsultation') : t('consult.new')}</h1>
      {published && <p>{t('consult.edit.lead')}</p>}
      <ErrorSummary errors={props.errors} labels={labels} />
      <PostForm action={props.action}>
        <Field
          name="title"
          label={labels.title}
          required
          maxLength={200}
          value={props.values.title}
          error={props.errors.title}
        />
        <Field
          name="question"
          label={labels.question}
          required
          multiline
          maxLength={1000}
          value={props.values.question}
          error={props.errors.question}
        />
        <Field
          name="context"
          label={labels.context}
          multiline
          maxLength={20000}
          value={props.values.context}
          error={props.errors.context}
          hint="Markdown"
        />
        {openingFixed ? (
          <p>
            <input type="hidden" name="opensOn" value={edit.consultation.opensOn} />
            {t('consult.edit.openedOn', { date: formatIsoDate(locale, edit.consultation.opensOn) })}
          </p>
        ) : (
          <Field
            name="opensOn"
            type="date"
            label={labels.opensOn}
            required
            value={props.values.opensOn}
            error={props.errors.opensOn}
          />
        )}
        <Field
          name="closesOn"
          type="date"
          label={labels.closesOn}
          required
          value={props.values.closesOn}
          error={props.errors.closesOn}
          {...(published ? { hint: t('consult.edit.closesHint') } : {})}
        />
        <Field
          name="commitmentId"
          label={labels.commitmentId}
          value={props.values.commitmentId}
          error={props.errors.commitmentId}
          options={[{ value: '', label: '—' }, ...props.commitments.map((c) => ({ value: c.id, label: c.title }))]}
        />
        {published && (
          <Field
            name="reason"
            label={labels.reason}
            multiline
            maxLength={2000}
            value={props.values.reason}
            error={props.errors.reason}
            hint={t('consult.edit.reasonHint')}
          />
        )}
        <div class="actions">
          {edit ? (
            <button type="submit">{t('consult.edit.save')}</button>
          ) : (
            <DraftOrPublish draft={t('consult.saveDraft')} publish={t('consult.savePublish')} />
          )}
        </div>
      </PostForm>
    </div>
  )
}
