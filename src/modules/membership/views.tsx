import { formatDate, formatNumber, type MessageKey, type Translate } from '../../platform/i18n/index.ts'
import { usePage } from '../../platform/layout/context.ts'
import { ErrorSummary, Field, PostForm, type FieldErrors, type FormValues } from '../../platform/layout/forms.tsx'
import { Table } from '../../platform/layout/table.tsx'
import { SUPPORT_LEVELS } from './service.ts'
import type { GridRow, MembershipRow } from './tables.ts'

import type { TerritoryInfo } from './territory-info.ts'
import { numberFormat, intlTag } from '../../platform/intl.ts'

export const statusLabel = (t: Translate, status: string) => t(`membership.status.${status}` as MessageKey)
export const euros = (locale: string, value: number | string | null) =>
  value === null
    ? '—'
    : numberFormat(intlTag(locale), {
        style: 'currency',
        currency: 'EUR',
        maximumFractionDigits: 0,
      }).format(Number(value))

export function RequestPage({
  territory,
  membership,
  values,
  errors,
}: {
  territory: TerritoryInfo
  membership: MembershipRow | undefined
  values: FormValues
  errors: FieldErrors
}) {
  const { t } = usePage()
  const open = !membership || membership.status === 'left' || membership.status === 'declined'
  const labels = {
    requestedScope: t('membership.scope'),
    contactName: t('membership.contactName'),
    contactEmail: t('membership.contactEmail'),
    contactRole: t('membership.contactRole'),
    politicalCommitment: t('membership.commitment'),
    signatory: t('membership.signatory'),
  }
  return (
    <div class="narrow">
      <p class="kicker">
        <a href={territory.path}>{territory.name}</a>
      </p>
      <h1>{t('membership.title')}</h1>
      {membership && <p class="notice">{t('membership.current', { status: statusLabel(t, membership.status) })}</p>}
      {membership && membership.status === 'declined' && membership.decisionNote && (
        <p class="notice">
          {t('membership.declinedReason')} {membership.decisionNote}
        </p>
      )}
      {open && (
        <>
          <p>{t('membership.requestLead')}</p>
          <ErrorSummary errors={errors} labels={labels} />
          <PostForm action={`${territory.path}/adhesion`}>
            <Field
              name="requestedScope"
              label={labels.requestedScope}
              value={values.requestedScope ?? 'programme'}
              error={errors.requestedScope}
              options={[
                { value: 'programme', label: t('membership.scope.programme') },
                { value: 'network', label: t('membership.scope.network') },
              ]}
            />
            <Field
              name="contactName"
              label={labels.contactName}
              required
              value={values.contactName}
              error={errors.contactName}
              autocomplete="name"
            />
            <Field
              name="contactEmail"
              type="email"
              label={labels.contactEmail}
              required
              value={values.contactEmail}
              error={errors.contactEmail}
              autocomplete="email"
            />
            <Field
              name="contactRole"
              label={labels.contactRole}
              value={values.contactRole}
              error={errors.contactRole}
              autocomplete="organization-title"
            />
            <Field
              name="politicalCommitment"
              label={labels.politicalCommitment}
              required
              multiline
              value={values.politicalCommitment}
              error={errors.politicalCommitment}
              maxLength={10000}
            />
            <Field
              name="signatory"
              label={labels.signatory}
              required
              value={values.signatory}
              error={errors.signatory}
            />
            <button type="submit">{t('membership.submit')}</button>
          </PostForm>
        </>
      )}
    </div>
  )
}

export interface PublicMember {
  kind: string
  code: string
  name: string
  status: 'member' | 'in_programme'
  since: string | null
  conventionStart: string | null
  conventionEnd: string | null
  signatory: string
  politicalCommitment: string
  url: string
}

export function MembersPage({ members }: { members: PublicMember[] }) {
  const { t, locale } = usePage()
  return (
    <>
      <h1>{t('membership.members')}</h1>
      <p class="lead">{t('membership.membersLead')}</p>
      {members.length === 0 ? (
        <p>{t('membership.none')}</p>
      ) : (
        <ul class="commitment-list">
          {members.map((m) => (
            <li class="commitment-card">
              <h2 class="card-title">
                <a href={m.url}>{m.name}</a>
              </h2>
              <p>
                <span class="status">{statusLabel(t, m.status)}</span>{' '}
                {m.since && `· ${t('membership.since')} ${formatDate(locale, new Date(`${m.since}T12:00:00Z`))}`}
              </p>
              <blockquote>
                <p>{m.politicalCommitment}</p>
                <footer>— {m.signatory}</footer>
              </blockquote>
              <p>
                <a href={`${m.url}/tableau-de-bord`}>{t('plans.dashboard')}</a>
              </p>
            </li>
          ))}
        </ul>
      )}
      <p>
        {t('plans.opendata')} : <a href="/api/v1/members.csv">CSV</a> · <a href="/api/v1/members">JSON</a> —{' '}
        {t('plans.opendata.licence')}
      </p>
    </>
  )
}

export function AdminPage(props: {
  candidates: (MembershipRow & {
    territory: TerritoryInfo
    preview: { reseau: number | null; essentiel: number | null; renforce: number | null }
  })[]
  active: (MembershipRow & { territory: TerritoryInfo })[]
  errors: Record<string, FieldErrors>
  values: Record<string, FormValues>
}) {
  const { t, locale } = usePage()
  return (
    <>
      <h1>{t('membership.admin')}</h1>
      <p>
        <a href="/admin/adhesions/grille">{t('membership.grid')}</a>
      </p>
      <h2>{t('membership.admin.candidates')}</h2>
      {props.candidates.length === 0 && <p>{t('membership.admin.noCandidate')}</p>}
      {props.candidates.map((m) => {
        const errors = props.errors[m.id] ?? {}
        const values = props.values[m.id] ?? {}
        const prefix = `m-${m.id.slice(0, 8)}`
        return (
          <section class="commitment-card" aria-labelledby={`${prefix}-title`}>
            <h3 id={`${prefix}-title`}>
              <a href={m.territory.path}>{m.territory.name}</a> —{' '}
              {t(`membership.scope.${m.requestedScope}` as MessageKey)}
            </h3>
            <p>
              {m.contactName} ({m.contactRole}) — <a href={`mailto:${m.contactEmail}`}>{m.contactEmail}</a>
            </p>
            <blockquote>
              <p>{m.politicalCommitment}</p>
              <footer>— {m.signatory}</footer>
            </blockquote>
            <p class="hint">
              {m.requestedScope === 'network'
                ? t('membership.contributionPreview.network', { amount: euros(locale, m.preview.reseau) })
                : t('membership.contributionPreview', {
                    essentiel: euros(locale, m.preview.essentiel),
                    renforce: euros(locale, m.preview.renforce),
                  })}
            </p>
            <ErrorSummary errors={errors} labels={{}} idPrefix={prefix} />
            <PostForm action={`/admin/adhesions/${m.id}/decision`}>
              <fieldset class="field">
                <legend>{t('membership.decision')}</legend>
                <label class="checkbox">
                  <input
                    type="radio"
                    id={`${prefix}-decision`}
                    name="decision"
                    value="accept"
                    checked={values.decision !== 'decline'}
                  />{' '}
                  {t('membership.decision.accept')}
                </label>
                <label class="checkbox">
                  <input type="radio" name="decision" value="decline" checked={values.decision === 'decline'} />{' '}
                  {t('membership.decision.decline')}
                </label>
              </fieldset>
              <Field
                idPrefix={prefix}
                name="conventionStart"
                type="date"
                label={t('membership.conventionStart')}
                value={values.conventionStart}
                error={errors.conventionStart}
              />
              <Field
                idPrefix={prefix}
                name="conventionEnd"
                type="date"
                label={t('membership.conventionEnd')}
                value={values.conventionEnd}
                error={errors.conventionEnd}
              />
              <Field
                idPrefix={prefix}
                name="conventionDocumentUrl"
                type="url"
                label={t('membership.conventionUrl')}
                value={values.conventionDocumentUrl}
                error={errors.conventionDocumentUrl}
              />
              {m.requestedScope === 'programme' && (
                <Field
                  idPrefix={prefix}
                  name="supportLevel"
                  label={t('membership.supportLevel')}
                  value={values.supportLevel ?? 'essentiel'}
                  error={errors.supportLevel}
                  options={SUPPORT_LEVELS.map((l) => ({ value: l, label: t(`membership.level.${l}` as MessageKey) }))}
                />
              )}
              <Field
                idPrefix={prefix}
                name="decisionNote"
                label={t('membership.note')}
                multiline
                value={values.decisionNote}
                error={errors.decisionNote}
              />
              <button type="submit">{t('form.save')}</button>
            </PostForm>
          </section>
        )
      })}
      <h2>{t('membership.admin.active')}</h2>
      <Table
        headings={[
          t('network.territory'),
          t('membership.status'),
          t('membership.convention'),
          t('membership.contribution'),
          <span class="visually-hidden">{t('membership.markLeft')}</span>,
        ]}
      >
        {props.active.map((m) => (
          <tr>
            <th scope="row">
              <a href={m.territory.path}>{m.territory.name}</a>
            </th>
            <td>{statusLabel(t, m.status)}</td>
            <td>
              {m.conventionStart ?? '—'} → {m.conventionEnd ?? '—'}
              {m.conventionDocumentUrl && (
                <>
                  {' '}
                  <a href={m.conventionDocumentUrl} rel="noopener nofollow">
                    PDF
                  </a>
                </>
              )}
            </td>
            <td>
              {euros(locale, m.contributionEur)} (
              {m.supportLevel ? t(`membership.level.${m.supportLevel}` as MessageKey) : '—'})
            </td>
            <td>
              <PostForm action={`/admin/adhesions/${m.id}/depart`} class="inline-form">
                <button type="submit" class="link-button">
                  {t('membership.markLeft')}
                  <span class="visually-hidden"> : {m.territory.name}</span>
                </button>
              </PostForm>
            </td>
          </tr>
        ))}
      </Table>
    </>
  )
}

export function GridPage({ rows, error }: { rows: GridRow[]; error?: string }) {
  const { t, locale } = usePage()
  const kindLabel = (kind: string) =>
    kind === 'intercommunalite' ? t('membership.grid.kind.intercommunalite') : t(`kind.${kind}` as MessageKey)
  const amountRow = (row: GridRow, withLevel: boolean) => {
    const id = `amount-${row.territoryKind}-${row.supportLevel}-${row.populationMin}`
    const band = `${formatNumber(locale, row.populationMin)} – ${row.populationMax === null ? '…' : formatNumber(locale, row.populationMax - 1)}`
    const level = t(`membership.level.${row.supportLevel}` as MessageKey)
    return (
      <tr>
        <th scope="row">{kindLabel(row.territoryKind)}</th>
        {withLevel && <td>{level}</td>}
        <td>{band}</td>
        <td>
          <PostForm action="/admin/adhesions/grille" class="inline-form">
            <input type="hidden" name="territoryKind" value={row.territoryKind} />
            <input type="hidden" name="populationMin" value={String(row.populationMin)} />
            <input type="hidden" name="supportLevel" value={row.supportLevel} />
            <label for={id} class="visually-hidden">
              {t('membership.grid.amount')} — {kindLabel(row.territoryKind)}, {band}, {level}
            </label>
            <input id={id} name="amountEur" value={String(Number(row.amountEur))} inputMode="decimal" size={8} />{' '}
            <button type="submit">{t('form.save')}</button>
          </PostForm>
        </td>
      </tr>
    )
  }
  return (
    <>
      <h1>{t('membership.grid')}</h1>
      <p>{t('membership.gridLead')}</p>
      {error && (
        <p class="flash flash-error" role="alert">
          {error}
        </p>
      )}
      <section aria-labelledby="grid-network">
        <h2 id="grid-network">{t('membership.scope.network')}</h2>
        <p>{t('membership.grid.networkLead')}</p>
        <Table headings={[t('membership.grid.kind'), t('membership.grid.band'), t('membership.grid.amount')]}>
          {rows.filter((row) => row.supportLevel === 'reseau').map((row) => amountRow(row, false))}
        </Table>
      </section>
      <section aria-labelledby="grid-programme">
        <h2 id="grid-programme">{t('membership.grid.programme')}</h2>
        <p>{t('membership.grid.programmeLead')}</p>
        <Table
          headings={[
            t('membership.grid.kind'),
            t('membership.supportLevel'),
            t('membership.grid.band'),
            t('membership.grid.amount'),
          ]}
        >
          {rows.filter((row) => row.supportLevel !== 'reseau').map((row) => amountRow(row, true))}
        </Table>
      </section>
    </>
  )
}
