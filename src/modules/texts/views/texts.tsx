/** The pages of co-constructed texts: the list of a territory's texts and the form that opens one. */
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
import type { TextPhase } from '../service.ts'
import type { listTexts } from '../queries.ts'

export const textPath = (t: { id: string }) => `/textes/${t.id}`

export const phaseLabel = (phase: TextPhase) =>
  phase === 'final' ? 'text.phase.final' : (`consult.phase.${phase}` as MessageKey)

export function TextListPage(props: {
  territory: { name: string; path: string }
  items: (Awaited<ReturnType<typeof listTexts>>[number] & { phase: TextPhase })[]
  canManage: boolean
}) {
  const { t, locale } = usePage()
  return (
    <CardListPage
      back={props.territory}
      title={t('text.title')}
      lead={t('text.lead')}
      create={props.canManage ? { href: `${props.territory.path}/textes/nouveau`, label: t('text.new') } : null}
      empty={t('text.none')}
      cards={props.items.map((item) => ({
        href: textPath(item),
        title: item.title,
        kicker: t(phaseLabel(item.phase)),
        lines: [
          {
            text: t('consult.dates', {
              start: formatIsoDate(locale, item.opensOn),
              end: formatIsoDate(locale, item.closesOn),
            }),
            meta: true,
          },
          { text: t('text.counts', { amendments: item.amendments, versions: item.versions }), meta: true },
        ],
      }))}
    />
  )
}

export function TextFormPage(props: {
  title: string
  action: string
  values: FormValues
  errors: FieldErrors
  commitments: { id: string; title: string }[]
}) {
  const { t } = usePage()
  const labels = {
    title: t('text.field.title'),
    summary: t('text.field.summary'),
    opensOn: t('text.field.opensOn'),
    closesOn: t('text.field.closesOn'),
    commitmentId: t('consult.field.commitment'),
    articlesSource: t('text.field.articles'),
  }
  return (
    <div class="narrow">
      <h1>{props.title}</h1>
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
          name="summary"
          label={labels.summary}
          multiline
          maxLength={20000}
          value={props.values.summary}
          error={props.errors.summary}
          hint="Markdown"
        />
        <Field
          name="opensOn"
          type="date"
          label={labels.opensOn}
          required
          value={props.values.opensOn}
          error={props.errors.opensOn}
        />
        <Field
          name="closesOn"
          type="date"
          label={labels.closesOn}
          required
          value={props.values.closesOn}
          error={props.errors.closesOn}
        />
        <Field
          name="commitmentId"
          label={labels.commitmentId}
          value={props.values.commitmentId}
          error={props.errors.commitmentId}
          options={[{ value: '', label: '—' }, ...props.commitments.map((c) => ({ value: c.id, label: c.title }))]}
        />
        <Field
          name="articlesSource"
          label={labels.articlesSource}
          required
          multiline
          value={props.values.articlesSource}
          error={props.errors.articlesSource}
          hint={t('text.field.articles.hint')}
        />
        <div class="actions">
          <DraftOrPublish draft={t('consult.saveDraft')} publish={t('consult.savePublish')} />
        </div>
      </PostForm>
    </div>
  )
}
