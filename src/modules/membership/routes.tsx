import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireAdmin, requireUser } from '../../platform/auth/current-user.ts'
import { assertCan } from '../../platform/auth/policy.ts'
import { AppError } from '../../platform/errors.ts'
import { sendCsv, type CsvColumn } from '../../platform/http/csv.ts'
import { FormBody, parseForm, type FieldResult } from '../../platform/http/forms.ts'
import { emailRule, optionalDateRule, optionalWebsiteRule, textRule } from '../../platform/http/rules.ts'
import { formatDate, formatNumber, isMessageKey, type MessageKey, type Translate } from '../../platform/i18n/index.ts'
import { usePage } from '../../platform/layout/context.ts'
import { ErrorSummary, Field, PostForm, type FieldErrors, type FormValues } from '../../platform/layout/forms.tsx'
import { Table } from '../../platform/layout/table.tsx'
import { findTerritoryByRef, getTerritorySummaries, territoryPath } from '../territories/index.ts'
import {
  contributionFor,
  decideMembership,
  findMembership,
  listGrid,
  listMemberships,
  markLeft,
  requestMembership,
  setGridAmount,
  SUPPORT_LEVELS,
  type DecisionInput,
  type MembershipRequestInput,
  type SupportLevel,
} from './service.ts'
import type { GridRow, MembershipRow } from './tables.ts'

const TerritoryRefParams = Type.Object({
  kind: Type.String({ pattern: '^[a-z]{4,12}$' }),
  code: Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$' }),
})
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

const requestRules = {
  requestedScope: (raw: string): FieldResult<'network' | 'programme'> =>
    raw === 'network' || raw === 'programme' ? { value: raw } : { error: 'membership.error.scope' },
  contactName: textRule(1, 200, 'membership.error.name'),
  contactEmail: emailRule,
  contactRole: textRule(0, 200, 'form.tooLong'),
  politicalCommitment: textRule(1, 10000, 'membership.error.commitment'),
  signatory: textRule(1, 300, 'membership.error.signatory'),
}

const decisionRules = {
  decision: (raw: string): FieldResult<'accept' | 'decline'> =>
    raw === 'accept' || raw === 'decline' ? { value: raw } : { error: 'membership.error.decision' },
  conventionStart: optionalDateRule('plans.error.date'),
  conventionEnd: optionalDateRule('plans.error.date'),
  conventionDocumentUrl: optionalWebsiteRule,
  supportLevel: (raw: string, form: Record<string, string>): FieldResult<SupportLevel | null> =>
    // a request to join the network alone has no support level to choose
    (SUPPORT_LEVELS as readonly string[]).includes(raw)
      ? { value: raw as SupportLevel }
      : form.decision === 'decline' || raw === ''
        ? { value: null }
        : { error: 'membership.error.level' },
  decisionNote: (raw: string, form: Record<string, string>): FieldResult<string> =>
    form.decision === 'decline' && raw.trim() === ''
      ? { error: 'membership.error.note' }
      : raw.length > 5000
        ? { error: 'form.tooLong', params: { max: 5000 } }
        : { value: raw.trim() },
}

interface TerritoryInfo {
  id: string
  kind: string
  name: string
  population: number | null
  path: string
}

async function territoriesById(app: FastifyInstance, ids: string[]): Promise<Map<string, TerritoryInfo>> {
  const list = await getTerritorySummaries(app.platform.database.db, ids)
  return new Map(
    list.map((t) => [t.id, { id: t.id, kind: t.kind, name: t.name, population: t.population, path: territoryPath(t) }]),
  )
}

const statusLabel = (t: Translate, status: string) => t(`membership.status.${status}` as MessageKey)
const euros = (locale: string, value: number | string | null) =>
  value === null
    ? '—'
    : new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
        style: 'currency',
        currency: 'EUR',
        maximumFractionDigits: 0,
      }).format(Number(value))

function RequestPage({
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

/** Public members, with public fields only (never the contact). */
async function publicMembers(app: FastifyInstance): Promise<PublicMember[]> {
  const rows = await listMemberships(app.platform.database.db, ['member', 'in_programme'])
  const list = await getTerritorySummaries(
    app.platform.database.db,
    rows.map((r) => r.territoryId),
  )
  const byId = new Map(list.map((t) => [t.id, t]))
  return rows
    .flatMap((r) => {
      const territory = byId.get(r.territoryId)
      if (!territory) return []
      return [
        {
          kind: territory.kind,
          code: territory.code,
          name: territory.name,
          status: r.status as PublicMember['status'],
          since: r.decidedAt ? r.decidedAt.toISOString().slice(0, 10) : null,
          conventionStart: r.conventionStart,
          conventionEnd: r.conventionEnd,
          signatory: r.signatory,
          politicalCommitment: r.politicalCommitment,
          url: territoryPath(territory),
        },
      ]
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'))
}

function MembersPage({ members }: { members: PublicMember[] }) {
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

function AdminPage(props: {
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

function GridPage({ rows, error }: { rows: GridRow[]; error?: string }) {
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

const MemberSchema = Type.Object({
  kind: Type.String(),
  code: Type.String(),
  name: Type.String(),
  status: Type.Union([Type.Literal('member'), Type.Literal('in_programme')]),
  since: Type.Union([Type.String(), Type.Null()]),
  conventionStart: Type.Union([Type.String(), Type.Null()]),
  conventionEnd: Type.Union([Type.String(), Type.Null()]),
  signatory: Type.String(),
  politicalCommitment: Type.String(),
  url: Type.String(),
})

const MEMBER_COLUMNS: CsvColumn<PublicMember>[] = [
  { name: 'territoire_type', value: (m) => m.kind },
  { name: 'territoire_code', value: (m) => m.code },
  { name: 'territoire_nom', value: (m) => m.name },
  { name: 'statut', value: (m) => m.status },
  { name: 'depuis', value: (m) => m.since },
  { name: 'convention_debut', value: (m) => m.conventionStart },
  { name: 'convention_fin', value: (m) => m.conventionEnd },
  { name: 'signataire', value: (m) => m.signatory },
  { name: 'engagement_politique', value: (m) => m.politicalCommitment },
]

/** Joining the network: the territory's request, the team's decisions and grid, the public list of members. */
export default async function membershipRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  async function territoryFromParams(params: { kind: string; code: string }): Promise<TerritoryInfo> {
    const row = await findTerritoryByRef(db(), `${params.kind}/${params.code}`)
    if (!row) throw new AppError('NOT_FOUND', { status: 404, userMessage: 'Page introuvable.' })
    return { id: row.id, kind: row.kind, name: row.name, population: row.population, path: territoryPath(row) }
  }

  app.get(
    '/territoires/:kind/:code/adhesion',
    { schema: { params: TerritoryRefParams, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const territory = await territoryFromParams(req.params)
      assertCan(actor, 'membership.request', territory.id)
      return reply.page(
        req.t('membership.title'),
        <RequestPage
          territory={territory}
          membership={await findMembership(db(), territory.id)}
          values={{}}
          errors={{}}
        />,
      )
    },
  )

  app.post(
    '/territoires/:kind/:code/adhesion',
    { schema: { params: TerritoryRefParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const territory = await territoryFromParams(req.params)
      assertCan(actor, 'membership.request', territory.id)
      const parsed = parseForm<MembershipRequestInput>(requestRules, req.body, req.t)
      if (!parsed.ok)
        return reply.page(
          req.t('membership.title'),
          <RequestPage
            territory={territory}
            membership={await findMembership(db(), territory.id)}
            values={parsed.values}
            errors={parsed.errors}
          />,
          422,
        )
      await requestMembership(db(), { actor, territoryId: territory.id, input: parsed.data })
      req.flash('notice', req.t('membership.sent'))
      return reply.redirect(`${territory.path}/adhesion`, 303)
    },
  )

  app.get('/membres', { schema: { hide: true } }, async (req, reply) =>
    reply.page(req.t('membership.members'), <MembersPage members={await publicMembers(app)} />),
  )

  app.get(
    '/api/v1/members',
    {
      schema: {
        tags: ['network'],
        summary: 'Member territories of the network and the THC programme (public fields only)',
        response: { 200: Type.Object({ licence: Type.String(), items: Type.Array(MemberSchema) }) },
      },
    },
    async () => ({
      licence: 'etalab-2.0',
      items: await publicMembers(app),
    }),
  )

  app.get(
    '/api/v1/members.csv',
    {
      schema: {
        tags: ['network'],
        summary: 'Member territories as CSV',
        produces: ['text/csv'],
        response: { 200: Type.String() },
      },
    },
    async (_req, reply) => {
      const members = await publicMembers(app)
      return sendCsv(reply, {
        filename: 'territoires-membres.csv',
        columns: MEMBER_COLUMNS,
        nextPage: async (after) => (after ? [] : members),
      })
    },
  )

  // ——— the network team's back office ———
  async function renderAdmin(
    req: FastifyRequest,
    reply: FastifyReply,
    errors: Record<string, FieldErrors> = {},
    values: Record<string, FormValues> = {},
    status = 200,
  ) {
    const rows = await listMemberships(db(), ['candidate', 'member', 'in_programme'])
    const territories = await territoriesById(
      app,
      rows.map((r) => r.territoryId),
    )
    const withTerritory = rows.flatMap((r) =>
      territories.get(r.territoryId) ? [{ ...r, territory: territories.get(r.territoryId)! }] : [],
    )
    const candidates = await Promise.all(
      withTerritory
        .filter((r) => r.status === 'candidate')
        .map(async (r) => ({
          ...r,
          preview: {
            reseau: await contributionFor(db(), {
              territoryKind: r.territory.kind,
              population: r.territory.population,
              supportLevel: 'reseau',
            }),
            essentiel: await contributionFor(db(), {
              territoryKind: r.territory.kind,
              population: r.territory.population,
              supportLevel: 'essentiel',
            }),
            renforce: await contributionFor(db(), {
              territoryKind: r.territory.kind,
              population: r.territory.population,
              supportLevel: 'renforce',
            }),
          },
        })),
    )
    return reply.page(
      req.t('membership.admin'),
      <AdminPage
        candidates={candidates}
        active={withTerritory.filter((r) => r.status !== 'candidate')}
        errors={errors}
        values={values}
      />,
      status,
    )
  }

  app.get('/admin/adhesions', { schema: { hide: true } }, async (req, reply) => {
    requireAdmin(req)
    return renderAdmin(req, reply)
  })

  app.post(
    '/admin/adhesions/:id/decision',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireAdmin(req)
      const parsed = parseForm<DecisionInput>(decisionRules, req.body, req.t)
      if (!parsed.ok)
        return renderAdmin(req, reply, { [req.params.id]: parsed.errors }, { [req.params.id]: parsed.values }, 422)
      try {
        await decideMembership(db(), { actor, membershipId: req.params.id, input: parsed.data })
      } catch (error) {
        if (error instanceof AppError && error.fields) {
          const fieldErrors = Object.fromEntries(
            Object.entries(error.fields).map(([f, key]) => [f, isMessageKey(key) ? req.t(key) : key]),
          )
          return renderAdmin(req, reply, { [req.params.id]: fieldErrors }, { [req.params.id]: parsed.values }, 422)
        }
        throw error
      }
      req.flash('notice', req.t('membership.decision.done'))
      return reply.redirect('/admin/adhesions', 303)
    },
  )

  app.post(
    '/admin/adhesions/:id/depart',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireAdmin(req)
      await markLeft(db(), { actor, membershipId: req.params.id })
      req.flash('notice', req.t('membership.left'))
      return reply.redirect('/admin/adhesions', 303)
    },
  )

  app.get('/admin/adhesions/grille', { schema: { hide: true } }, async (req, reply) => {
    requireAdmin(req)
    return reply.page(req.t('membership.grid'), <GridPage rows={await listGrid(db())} />)
  })

  app.post('/admin/adhesions/grille', { schema: { body: FormBody, hide: true } }, async (req, reply) => {
    const actor = requireAdmin(req)
    const parsed = parseForm(
      {
        territoryKind: textRule(1, 30, 'membership.error.amount'),
        populationMin: (raw: string): FieldResult<number> =>
          /^\d{1,9}$/.test(raw) ? { value: Number(raw) } : { error: 'membership.error.amount' },
        supportLevel: textRule(1, 30, 'membership.error.level'),
        amountEur: (raw: string): FieldResult<string> => {
          const value = raw
            .trim()
            .replace(/[\s\u202f\u00a0]/g, '')
            .replace(',', '.')
          return /^\d{1,9}(\.\d{1,2})?$/.test(value) ? { value } : { error: 'membership.error.amount' }
        },
      },
      req.body,
      req.t,
    )
    if (!parsed.ok)
      return reply.page(
        req.t('membership.grid'),
        <GridPage rows={await listGrid(db())} error={Object.values(parsed.errors).join(' ')} />,
        422,
      )
    await setGridAmount(db(), { actor, ...parsed.data })
    req.flash('notice', req.t('membership.grid.saved'))
    return reply.redirect('/admin/adhesions/grille', 303)
  })
}
