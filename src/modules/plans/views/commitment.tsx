import type { Resource } from '../../../platform/resources.ts'
import type { ComponentChildren } from 'preact'
import { formatNumber, type MessageKey } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import { PostForm } from '../../../platform/layout/forms.tsx'
import type { CommitmentVerdict } from '../queries.ts'
import type { CommitmentView } from '../tree.ts'
import type { PlanRow } from '../tables.ts'

import {
  planPath,
  commitmentPath,
  formatDay,
  StatusBadge,
  CommitmentStatus,
  VerdictLine,
  ProgressBar,
} from './shared.tsx'
import { commitmentLabels } from './forms.tsx'
import { numberFormat, dateTimeFormat, intlTag } from '../../../platform/intl.ts'

export interface HistoryEntryView {
  id: string
  seq: number
  kind: string
  milestoneTitle: string | null
  correctsSeq: number | null
  correctedBySeq: number[]
  authorName: string
  recordedAt: Date
  content: {
    status?: string | null
    held?: string
    heldReason?: string
    progress?: number | null
    narrative?: string
    evidence?: string[]
    nextSteps?: string
    files?: { id: string; filename: string; contentType: string; sizeBytes: number; sha256: string }[]
    changes?: { field: string; before: unknown; after: unknown }[]
  }
}

const show = (value: unknown): string =>
  value === null || value === undefined || value === ''
    ? '—'
    : Array.isArray(value)
      ? value.join(', ')
      : typeof value === 'object'
        ? Object.values(value as object)
            .filter(Boolean)
            .join(' — ')
        : String(value)

export function CommitmentPage(props: {
  territory: { name: string; path: string }
  plan: PlanRow
  commitment: CommitmentView
  history: HistoryEntryView[]
  canEdit: boolean
  canReport: boolean
  /**
   * What other modules attach to it, by type: `group` (Groupes Action Projet working on it), `assembly-proposal`
   * (proposals of citizens' assemblies it carries), `contribution` (citizens' contributions taken up in it),
   * `fiche` (experiences of the référentiel that tell of it)
   */
  attached?: Map<string, Resource[]>
  /** the box to follow the commitment */
  follow?: ComponentChildren
  /** the territory's history chain no longer matches what was published, from this link on (the dashboard says it too) */
  chainBrokenAt?: number | null
  /** the latest published independent rating of the commitment */
  verdict?: CommitmentVerdict
}) {
  const { t, locale } = usePage()
  const { commitment: c, plan } = props
  const attached = (type: string) => props.attached?.get(type) ?? []
  const [groups, proposals, contributions, practices] = ['group', 'assembly-proposal', 'contribution', 'fiche'].map(
    attached,
  ) as [Resource[], Resource[], Resource[], Resource[]]
  const field = (key: MessageKey, value: string) =>
    value ? (
      <>
        <h3>{t(key)}</h3>
        {value.split(/\n{2,}/).map((p) => (
          <p>{p}</p>
        ))}
      </>
    ) : null
  return (
    <article class="commitment">
      <p class="kicker">
        <a href={props.territory.path}>{props.territory.name}</a> · <a href={planPath(plan)}>{plan.title}</a>
      </p>
      <h1>{c.title}</h1>
      {props.chainBrokenAt !== undefined && props.chainBrokenAt !== null && (
        <p class="chain-broken notice" role="alert">
          {t('plans.chain.broken', { seq: props.chainBrokenAt })}{' '}
          <a href={`${planPath(plan)}#chain-title`}>{t('plans.chain')}</a>
        </p>
      )}
      {props.follow}
      <p>
        <CommitmentStatus commitment={c} full /> <ProgressBar value={c.progress} />
      </p>
      <VerdictLine verdict={props.verdict} commitment={c} planHref={planPath(plan)} />
      <div class="staff-actions">
        {props.canEdit && (plan.status === 'draft' || plan.status === 'published') && (
          <>
            <a class="button" href={`${commitmentPath(c)}/modifier`}>
              {t('plans.commitment.edit')}
            </a>
            <a class="button" href={`${commitmentPath(c)}/jalons/nouveau`}>
              {t('plans.milestone.new')}
            </a>
          </>
        )}
        {props.canEdit && plan.status === 'draft' && (
          <PostForm action={`${commitmentPath(c)}/supprimer`} class="inline-form">
            <button type="submit" class="danger">
              {t('plans.commitment.delete')}
            </button>
          </PostForm>
        )}
        {props.canReport && plan.status === 'published' && (
          <a class="button" href={`${commitmentPath(c)}/avancement`}>
            {t('plans.update.new')}
          </a>
        )}
      </div>
      <dl class="facts">
        <div>
          <dt>{t('plans.commitment.lead')}</dt>
          <dd>{c.leadActor || '—'}</dd>
        </div>
        <div>
          <dt>{t('plans.commitment.dates')}</dt>
          <dd>
            {t('plans.periodFromTo', { start: formatDay(locale, c.startDate), end: formatDay(locale, c.endDate) })}
          </dd>
        </div>
        {c.budgetEur && (
          <div>
            <dt>{t('plans.commitment.budgetValue')}</dt>
            <dd>
              {numberFormat(intlTag(locale), {
                style: 'currency',
                currency: 'EUR',
                maximumFractionDigits: 0,
              }).format(Number(c.budgetEur))}
            </dd>
          </div>
        )}
      </dl>
      {field('plans.commitment.problem', c.problem)}
      {field('plans.commitment.description', c.description)}
      {field('plans.commitment.contribution', c.contribution)}
      {c.ogpValues.length > 0 && (
        <>
          <h3>{t('plans.commitment.values')}</h3>
          <ul>
            {c.ogpValues.map((v) => (
              <li>{t(`plans.value.${v}` as MessageKey)}</li>
            ))}
          </ul>
        </>
      )}
      {field('plans.commitment.impacts', c.expectedImpacts)}
      {field('plans.commitment.supporting', c.supportingActors)}
      {c.deliberationUrl && (
        <p>
          <a href={c.deliberationUrl} rel="noopener nofollow">
            {t('plans.commitment.deliberation')}
          </a>
        </p>
      )}

      <section aria-labelledby="milestones-title">
        <h2 id="milestones-title">{t('plans.milestones')}</h2>
        {c.milestones.length === 0 ? (
          <p>{t('plans.noMilestone')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('plans.milestone.title')}</th>
                <th scope="col">{t('plans.milestone.deliverable')}</th>
                <th scope="col">{t('plans.milestone.responsible')}</th>
                <th scope="col">{t('plans.milestone.dueShort')}</th>
                <th scope="col">{t('plans.filter.status')}</th>
                <th scope="col">{t('plans.progress')}</th>
              </tr>
            </thead>
            <tbody>
              {c.milestones.map((m) => (
                <tr>
                  <th scope="row">
                    {m.title}
                    {props.canEdit && (plan.status === 'draft' || plan.status === 'published') && (
                      <>
                        {' '}
                        <a href={`/jalons/${m.id}/modifier`} class="small-link">
                          {t('plans.milestone.edit')}
                          <span class="visually-hidden"> : {m.title}</span>
                        </a>
                      </>
                    )}
                    {props.canEdit && plan.status === 'draft' && (
                      <PostForm action={`/jalons/${m.id}/supprimer`} class="inline-form">
                        {' '}
                        <button type="submit" class="link-button small-link">
                          {t('plans.milestone.delete')}
                          <span class="visually-hidden"> : {m.title}</span>
                        </button>
                      </PostForm>
                    )}
                  </th>
                  <td>{m.deliverable}</td>
                  <td>{m.responsible}</td>
                  <td>
                    <time dateTime={m.dueDate}>{formatDay(locale, m.dueDate)}</time>
                  </td>
                  <td>
                    <StatusBadge status={m.shownStatus} />
                  </td>
                  <td>{t('plans.progressValue', { value: formatNumber(locale, m.effectiveProgress) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {(groups.length > 0 || props.canEdit) && (
        <section aria-labelledby="groups-title">
          <h2 id="groups-title">{t('group.title')}</h2>
          <ul>
            {groups.map((g) => (
              <li>
                <a href={g.path}>{g.title}</a> ({t('group.members', { count: Number(g.facts?.members ?? 0) })})
              </li>
            ))}
          </ul>
          {props.canEdit && (
            <p>
              <a href={`${commitmentPath(c)}/groupes/nouveau`}>{t('group.new')}</a>
            </p>
          )}
        </section>
      )}
      {proposals.length > 0 && (
        <section aria-labelledby="assemblies-title">
          <h2 id="assemblies-title">{t('plans.commitment.fromAssemblies')}</h2>
          <ul>
            {proposals.map((p) => (
              <li>
                <a href={p.path}>
                  {t('plans.commitment.assemblyProposal', {
                    number: p.facts?.number ?? '',
                    title: p.title,
                    assembly: p.facts?.assembly ?? '',
                  })}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {contributions.length > 0 && (
        <section aria-labelledby="citizens-title">
          <h2 id="citizens-title">{t('consult.fromCitizens')}</h2>
          <ul>
            {contributions.map((k) => (
              <li>
                <a href={k.path}>{k.title}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      {practices.length > 0 && (
        <section aria-labelledby="practices-title">
          <h2 id="practices-title">{t('plans.commitment.practices')}</h2>
          <ul>
            {practices.map((p) => (
              <li>
                <a href={p.path}>{p.title}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="history-title">
        <h2 id="history-title">{t('plans.history')}</h2>
        {props.history.length === 0 ? (
          <p>{t('plans.noHistory')}</p>
        ) : (
          <ol class="history">
            {[...props.history].reverse().map((entry) => (
              <li id={`entree-${entry.seq}`} class={`entry entry-${entry.kind}`}>
                <p class="entry-head">
                  <strong>
                    n°{entry.seq} · {t(`plans.entry.${entry.kind}` as MessageKey)}
                  </strong>{' '}
                  <time dateTime={entry.recordedAt.toISOString()}>
                    {dateTimeFormat(intlTag(locale), {
                      dateStyle: 'long',
                      timeStyle: 'short',
                      timeZone: 'Europe/Paris',
                    }).format(entry.recordedAt)}
                  </time>{' '}
                  {t('plans.entry.by', { name: entry.authorName })}
                  {entry.milestoneTitle ? ` · ${entry.milestoneTitle}` : ''}
                  {entry.correctsSeq !== null && (
                    <>
                      {' · '}
                      <a href={`#entree-${entry.correctsSeq}`}>
                        {t('plans.entry.correctsLink', { seq: entry.correctsSeq })}
                      </a>
                    </>
                  )}
                  {entry.correctedBySeq.map((seq) => (
                    <>
                      {' · '}
                      <a href={`#entree-${seq}`}>{t('plans.entry.correctedBy', { seq })}</a>
                    </>
                  ))}
                </p>
                {entry.content.status && (
                  <p>
                    <StatusBadge status={entry.content.status} />
                    {typeof entry.content.progress === 'number'
                      ? ` ${t('plans.progressValue', { value: entry.content.progress })}`
                      : ''}
                  </p>
                )}
                {entry.content.held && (
                  <p>
                    {entry.content.held === 'calcule' ? (
                      t('plans.entry.released')
                    ) : (
                      <>
                        {t('plans.entry.held')} <StatusBadge status={entry.content.held} />{' '}
                        {entry.content.heldReason
                          ? t('plans.status.heldReason', { reason: entry.content.heldReason })
                          : ''}
                      </>
                    )}
                  </p>
                )}
                {entry.content.narrative && <p>{entry.content.narrative}</p>}
                {entry.content.evidence && entry.content.evidence.length > 0 && (
                  <p>
                    {t('plans.entry.evidence')} :{' '}
                    {entry.content.evidence.map((url, i) => (
                      <>
                        {i > 0 ? ', ' : ''}
                        <a href={url} rel="noopener nofollow">
                          {url}
                        </a>
                      </>
                    ))}
                  </p>
                )}
                {entry.content.files && entry.content.files.length > 0 && (
                  <ul class="files">
                    {entry.content.files.map((file) => (
                      <li>
                        <a href={`/fichiers/${file.id}`} download={file.filename}>
                          {file.filename}
                        </a>{' '}
                        <span class="hint">
                          ({formatNumber(locale, Math.max(1, Math.round(file.sizeBytes / 1024)))} Ko, SHA-256{' '}
                          <code>{file.sha256.slice(0, 12)}…</code>)
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
                {entry.content.nextSteps && (
                  <p>
                    {t('plans.entry.nextSteps')} : {entry.content.nextSteps}
                  </p>
                )}
                {entry.content.changes && (
                  <table class="diff">
                    <thead>
                      <tr>
                        <th scope="col">{t('plans.entry.field')}</th>
                        <th scope="col">{t('plans.entry.before')}</th>
                        <th scope="col">{t('plans.entry.after')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {entry.content.changes.map((change) => (
                        <tr>
                          <th scope="row">{commitmentLabels(t)[change.field] ?? change.field}</th>
                          <td>
                            <del>{show(change.before)}</del>
                          </td>
                          <td>
                            <ins>{show(change.after)}</ins>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>
    </article>
  )
}
