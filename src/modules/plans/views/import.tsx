import type { MessageKey } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import { CsrfField, Field } from '../../../platform/layout/forms.tsx'
import { ProblemList } from '../../../platform/layout/problems.tsx'
import type { ChangeAction, ImportOutcome, PlannedChange } from '../import-apply.ts'
import type { ImportFormat } from '../import-formats.ts'
import { commitmentLabels } from '../views.tsx'

const LEVELS: PlannedChange['level'][] = ['plan', 'commitment', 'milestone']
const ACTIONS: ChangeAction[] = ['create', 'update', 'unchanged', 'locked']
/** How many changes a preview lists one by one (the counts cover them all). */
const LISTED = 300

function Warnings({ warnings }: { warnings: string[] }) {
  const { t } = usePage()
  if (warnings.length === 0) return null
  return (
    <section class="panel" aria-labelledby="import-warnings">
      <h2 id="import-warnings">{t('plans.import.warnings')}</h2>
      <ul>
        {warnings.map((w) => (
          <li>{w}</li>
        ))}
      </ul>
    </section>
  )
}

/** The upload form of a plan import, with the problems of a file refused. */
export function ImportPage({
  action,
  errors,
  errorTotal,
  format,
  intoPlan,
}: {
  action: string
  errors: string[]
  errorTotal?: number
  format: string
  intoPlan: boolean
}) {
  const { t } = usePage()
  const formats: { value: ImportFormat; label: string }[] = [
    { value: 'modele', label: t('plans.import.format.modele') },
    { value: 'ogp', label: t('plans.import.format.ogp') },
    { value: 'decidim', label: t('plans.import.format.decidim') },
  ]
  return (
    <div class="narrow">
      <h1>{t(intoPlan ? 'plans.import' : 'plans.import.territory')}</h1>
      <p>{t('plans.import.lead')}</p>
      <p>
        <a href="/plans/modele-engagements.csv">{t('plans.import.template')}</a> ·{' '}
        <a href="/api/v1/schemas/commitments.json">{t('plans.opendata.schema')}</a>
      </p>
      <ProblemList
        title={t('plans.import.failed')}
        problems={errors}
        {...(errorTotal !== undefined ? { total: errorTotal } : {})}
      />
      {/* multipart bodies are read before the CSRF check, so the token travels as a field like elsewhere */}
      <form method="post" action={action} enctype="multipart/form-data">
        <CsrfField />
        <Field name="format" label={t('plans.import.format')} value={format} options={formats} />
        <div class="field">
          <label for="field-file">{t('plans.import.file')}</label>
          <input type="file" id="field-file" name="file" accept=".csv,text/csv,text/plain" required />
        </div>
        <button type="submit">{t('plans.import.preview')}</button>
      </form>
    </div>
  )
}

/** A file with several plans (OGP's sheet): which ones to import. */
export function ImportChoosePage({
  action,
  plans,
  warnings,
  intoPlan,
}: {
  action: string
  plans: { key: string; label: string; commitments: number }[]
  warnings: string[]
  intoPlan: boolean
}) {
  const { t } = usePage()
  return (
    <div class="narrow">
      <h1>{t('plans.import.choose')}</h1>
      <p>{t(intoPlan ? 'plans.import.chooseOneLead' : 'plans.import.chooseLead', { count: plans.length })}</p>
      <Warnings warnings={warnings} />
      <form method="post" action={action}>
        <CsrfField />
        <fieldset>
          <legend>{t('plans.import.plansInFile')}</legend>
          {plans.map((plan, i) => (
            <div class="choice">
              <input
                type={intoPlan ? 'radio' : 'checkbox'}
                id={`plan-${i}`}
                name="plan"
                value={plan.key}
                required={intoPlan}
              />
              <label for={`plan-${i}`}>
                {plan.label} — {t('plans.import.commitmentsCount', { count: plan.commitments })}
              </label>
            </div>
          ))}
        </fieldset>
        <button type="submit">{t('plans.import.preview')}</button>
      </form>
    </div>
  )
}

/** What an import would do, before it does it; confirming applies exactly this. */
export function ImportPreviewPage({
  confirm,
  outcome,
  warnings,
  chosen,
  cancel,
}: {
  confirm: string
  outcome: ImportOutcome
  warnings: string[]
  chosen: string[]
  cancel: string
}) {
  const { t } = usePage()
  const label = (change: PlannedChange) => t(`plans.import.action.${change.action}` as MessageKey)
  const fieldLabels: Record<string, string> = {
    ...commitmentLabels(t),
    sourceKey: t('plans.import.sourceKey'),
    sourceUrl: t('plans.import.sourceUrl'),
    status: t('plans.milestone.status'),
    progress: t('plans.milestone.progress'),
    dueDate: t('plans.milestone.due'),
    deliverable: t('plans.milestone.deliverable'),
    responsible: t('plans.milestone.responsible'),
    weight: t('plans.milestone.weight'),
  }
  const nothing = outcome.changes.every((c) => c.action === 'unchanged' || c.action === 'locked')
  return (
    <div>
      <h1>{t('plans.import.previewTitle')}</h1>
      <p class="lead">{t(nothing ? 'plans.import.nothingToDo' : 'plans.import.previewLead')}</p>
      <table>
        <caption>{t('plans.import.counts')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('plans.import.level')}</th>
            {ACTIONS.map((action) => (
              <th scope="col">{t(`plans.import.action.${action}` as MessageKey)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {LEVELS.map((level) => (
            <tr>
              <th scope="row">{t(`plans.import.level.${level}` as MessageKey)}</th>
              {ACTIONS.map((action) => (
                <td>{outcome.counts[`${level}.${action}`] ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <Warnings warnings={warnings} />
      {!nothing && (
        <form method="post" action={confirm}>
          <CsrfField />
          {chosen.map((key) => (
            <input type="hidden" name="plan" value={key} />
          ))}
          <button type="submit">{t('plans.import.confirm')}</button> <a href={cancel}>{t('plans.import.cancel')}</a>
        </form>
      )}
      <h2>{t('plans.import.details')}</h2>
      <ul class="import-changes">
        {outcome.changes.slice(0, LISTED).map((change) => (
          <li class={`import-${change.action}`}>
            <strong>{label(change)}</strong> · {t(`plans.import.level.${change.level}` as MessageKey)}{' '}
            {change.line ? `(${t('plans.import.line', { line: change.line })}) ` : ''}: {change.title}
            {change.fields &&
              ` — ${t('plans.import.fields', { fields: change.fields.map((f) => fieldLabels[f] ?? f).join(', ') })}`}
          </li>
        ))}
      </ul>
      {outcome.changes.length > LISTED && <p>{t('import.andMore', { count: outcome.changes.length - LISTED })}</p>}
    </div>
  )
}
