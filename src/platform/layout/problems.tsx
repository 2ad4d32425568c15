import type { ComponentChildren } from 'preact'
import { CsrfField } from './forms.tsx'
import { usePage } from './context.ts'

/** The problems that stopped an import (or a form of files), first a hundred, then how many more. */
export function ProblemList({ title, problems, total }: { title: string; problems: string[]; total?: number }) {
  const { t } = usePage()
  if (problems.length === 0) return null
  return (
    <div class="error-summary" role="alert" tabIndex={-1}>
      <p>{title}</p>
      <ul>
        {problems.map((p) => (
          <li>{p}</li>
        ))}
      </ul>
      {total !== undefined && total > problems.length && (
        <p>{t('import.andMore', { count: total - problems.length })}</p>
      )}
    </div>
  )
}

/** The upload form of an import (a file and the module's own fields), with the problems of a file refused. */
export function ImportUploadPage(props: {
  title: string
  lead: string
  action: string
  fileLabel: string
  accept: string
  errors: string[]
  errorTotal?: number
  fields?: ComponentChildren
  back: string
}) {
  const { t } = usePage()
  return (
    <div class="narrow">
      <h1>{props.title}</h1>
      <p>{props.lead}</p>
      <ProblemList
        title={t('plans.import.failed')}
        problems={props.errors}
        {...(props.errorTotal !== undefined ? { total: props.errorTotal } : {})}
      />
      {/* multipart bodies are read before the CSRF check, so the token travels as a field like elsewhere */}
      <form method="post" action={props.action} enctype="multipart/form-data">
        <CsrfField />
        {props.fields}
        <div class="field">
          <label for="field-file">{props.fileLabel}</label>
          <input type="file" id="field-file" name="file" accept={props.accept} required />
        </div>
        <button type="submit">{t('plans.import.preview')}</button> <a href={props.back}>{t('plans.import.cancel')}</a>
      </form>
    </div>
  )
}

/** How many changes a preview lists one by one (its summary counts them all). */
const LISTED_CHANGES = 300

/** What an import will do, before anything is written: the counts, the warnings, each change, and the confirmation. */
export function ImportPreviewPage(props: {
  title: string
  summary: string
  warnings: string[]
  changes: { line: number; action: 'create' | 'update'; title: string }[]
  confirm: string
  cancel: string
}) {
  const { t } = usePage()
  const nothing = props.changes.length === 0
  return (
    <div>
      <h1>{props.title}</h1>
      <p class="lead">{t(nothing ? 'plans.import.nothingToDo' : 'plans.import.previewLead')}</p>
      <p>{props.summary}</p>
      {props.warnings.length > 0 && (
        <section class="panel" aria-labelledby="import-warnings">
          <h2 id="import-warnings">{t('plans.import.warnings')}</h2>
          <ul>
            {props.warnings.map((w) => (
              <li>{w}</li>
            ))}
          </ul>
        </section>
      )}
      {!nothing && (
        <form method="post" action={props.confirm}>
          <CsrfField />
          <button type="submit">{t('plans.import.confirm')}</button>{' '}
          <a href={props.cancel}>{t('plans.import.cancel')}</a>
        </form>
      )}
      {!nothing && (
        <>
          <h2>{t('plans.import.details')}</h2>
          <ul class="import-changes">
            {props.changes.slice(0, LISTED_CHANGES).map((change) => (
              <li class={`import-${change.action}`}>
                <strong>{t(`plans.import.action.${change.action}`)}</strong> (
                {t('plans.import.line', { line: change.line })}) : {change.title}
              </li>
            ))}
          </ul>
          {props.changes.length > LISTED_CHANGES && (
            <p>{t('import.andMore', { count: props.changes.length - LISTED_CHANGES })}</p>
          )}
        </>
      )}
      {nothing && (
        <p>
          <a href={props.cancel}>{t('plans.import.cancel')}</a>
        </p>
      )}
    </div>
  )
}
