import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { AppError, forbidden } from '../../platform/errors.ts'
import { secretQueryParam } from '../../platform/http/kernel.tsx'
import { FormBody, FormWithFileBody, formValues, translateFieldErrors } from '../../platform/http/forms.ts'
import { normalizeDays } from '../../platform/http/rules.ts'
import { Table } from '../../platform/layout/table.tsx'
import { formatDate, formatNumber, type MessageKey } from '../../platform/i18n/index.ts'
import { usePage } from '../../platform/layout/context.ts'
import {
  ErrorSummary,
  Field,
  Pagination,
  PostForm,
  type FieldErrors,
  type FormValues,
} from '../../platform/layout/forms.tsx'
import { TerritoryRefParams, territoryOfPage } from '../territories/index.ts'
import { commitmentPath } from '../plans/index.ts'
import {
  composition,
  feasibility,
  findDraw,
  listMembers,
  listReplacements,
  type DrawRow,
  type MemberRow,
} from './draw.ts'
import {
  fates,
  groupsOfUser,
  listGroups,
  listHearings,
  listProposals,
  listSessions,
  type GroupRow,
  type ProposalRow,
} from './deliberation.ts'
import {
  canManageAssembly,
  findAssembly,
  findVisibleAssembly,
  listAssemblies,
  listQuotas,
  listVolunteers,
  type AssemblyRow,
  type QuotaRow,
  type VolunteerRow,
} from './service.ts'
import * as service from './service.ts'
import * as draw from './draw.ts'
import * as deliberation from './deliberation.ts'
import { commitmentOf } from './sortition/lottery.ts'
import { InstanceError, parseQuotas } from './sortition/instance.ts'
import {
  AssemblyForm,
  AssemblyListPage,
  assemblyPath,
  DateRange,
  Markdown,
  percent,
  ProbabilityChart,
  proposalPath,
  QuotaEditor,
  Section,
  UploadForm,
  VolunteerConfirmed,
  VolunteerForm,
} from './views.tsx'
import { worded } from '../../platform/import/text.ts'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
const MemberParams = Type.Object({ id: Type.String({ format: 'uuid' }), member: Type.String({ format: 'uuid' }) })
const VolunteerParams = Type.Object({ id: Type.String({ format: 'uuid' }), number: Type.Integer({ minimum: 1 }) })
const GroupParams = Type.Object({ id: Type.String({ format: 'uuid' }), groupId: Type.String({ format: 'uuid' }) })
const REGISTRATION_LIMIT = { max: 10, timeWindow: '1 minute' }
/** volunteers per page of the pool on the organisers' page */
const POOL_PAGE_SIZE = 500
const PoolQuery = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })) })

type Fates = ReturnType<typeof fates>

function AssemblyPage(props: {
  assembly: AssemblyRow
  manager: boolean
  sessions: Awaited<ReturnType<typeof listSessions>>
  hearings: Awaited<ReturnType<typeof listHearings>>
  groups: Awaited<ReturnType<typeof listGroups>>
  proposals: ProposalRow[]
  fateCounts: Fates
  myGroups: string[]
  values: FormValues
  errors: FieldErrors
}) {
  const { t, locale } = usePage()
  const a = props.assembly
  const territoryHref = a.territoryKind
    ? `/territoires/${a.territoryKind}/${a.territoryCode}/assemblees`
    : '/assemblees'
  const labels = { groupId: t('assembly.prop.group'), title: t('assembly.prop.title'), body: t('assembly.prop.body') }
  return (
    <article>
      <p class="kicker">
        <a href={territoryHref}>{a.territoryName ?? t('assembly.state')}</a> · {t('assembly.title')}
      </p>
      <h1>{a.title}</h1>
      <p>
        <span class="badge">{t(`assembly.phase.${a.phase}` as MessageKey)}</span>{' '}
        {t('assembly.panelOf', { count: a.panelSize })} · {t('assembly.volunteerCount', { count: a.volunteers })}
      </p>
      <p>
        {a.phase === 'recruiting' && (
          <>
            <a class="button" href={`${assemblyPath(a)}/volontariat`}>
              {t('assembly.volunteer')}
            </a>{' '}
          </>
        )}
        <a href={`${assemblyPath(a)}/transparence`}>{t('assembly.transparency')}</a>
        {props.manager && (
          <>
            {' '}
            · <a href={`${assemblyPath(a)}/organisation`}>{t('assembly.organise')}</a> ·{' '}
            <a href={`${assemblyPath(a)}/propositions/importer`}>{t('assembly.import')}</a>
          </>
        )}
      </p>
      <Markdown text={a.purpose} />
      {a.report && (
        <Section id="report" title={t('assembly.report')}>
          <Markdown text={a.report} />
        </Section>
      )}
      <Section id="fates" title={t('assembly.fates')}>
        <dl class="figures">
          {(
            [
              'total',
              'inProgress',
              'adopted',
              'rejectedByPanel',
              'awaitingAnswer',
              'accepted',
              'modified',
              'rejected',
              'referred',
              'commitments',
            ] as const
          ).map((key) => (
            <div>
              <dt>{t(`assembly.fate.${key}`)}</dt>
              <dd>{formatNumber(locale, props.fateCounts[key])}</dd>
            </div>
          ))}
        </dl>
      </Section>
      <Section id="proposals" title={t('assembly.proposals')}>
        {props.proposals.length === 0 ? (
          <p>{t('assembly.none.items')}</p>
        ) : (
          <ul class="cards">
            {props.proposals.map((p) => (
              <li class="card">
                <p class="kicker">
                  {t('assembly.prop.number', { number: p.number })}
                  {p.groupName ? ` · ${p.groupName}` : ''} · {t(`assembly.prop.status.${p.status}` as MessageKey)}
                </p>
                <h3 class="card-title">
                  <a href={proposalPath(p)}>{p.title}</a>
                </h3>
                {p.status === 'adopted' && (
                  <p class="meta">
                    {p.answer ? t(`assembly.answer.${p.answer}` as MessageKey) : t('assembly.answer.awaiting')}
                    {p.commitmentId && (
                      <>
                        {' · '}
                        {p.commitmentTitle ? (
                          <a href={commitmentPath({ id: p.commitmentId })}>
                            {t('assembly.answer.commitmentLink', { title: p.commitmentTitle })}
                          </a>
                        ) : (
                          t('assembly.answer.commitmentDraft')
                        )}
                      </>
                    )}
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
        {props.myGroups.length > 0 && (
          <>
            <h3>{t('assembly.prop.new')}</h3>
            <ErrorSummary errors={props.errors} labels={labels} idPrefix="proposal" />
            <PostForm action={`${assemblyPath(a)}/propositions`}>
              <Field
                name="groupId"
                idPrefix="proposal"
                label={labels.groupId}
                value={props.values.groupId}
                error={props.errors.groupId}
                options={props.groups
                  .filter((g) => props.myGroups.includes(g.id))
                  .map((g) => ({ value: g.id, label: g.name }))}
              />
              <Field
                name="title"
                idPrefix="proposal"
                label={labels.title}
                required
                maxLength={300}
                value={props.values.title}
                error={props.errors.title}
              />
              <Field
                name="body"
                idPrefix="proposal"
                label={labels.body}
                required
                multiline
                maxLength={50000}
                value={props.values.body}
                error={props.errors.body}
                hint="Markdown"
              />
              <button type="submit">{t('assembly.prop.draft')}</button>
            </PostForm>
          </>
        )}
      </Section>
      <Section id="sessions" title={t('assembly.sessions')}>
        {props.sessions.length === 0 ? (
          <p>{t('assembly.none.items')}</p>
        ) : (
          props.sessions.map((s) => (
            <div class="card">
              <h3 class="card-title">{s.title}</h3>
              <p class="meta">
                <DateRange from={s.startsOn} to={s.endsOn} />
                {s.place ? ` · ${s.place}` : ''}
              </p>
              {s.programme && <Markdown text={s.programme} />}
            </div>
          ))
        )}
      </Section>
      <Section id="hearings" title={t('assembly.hearings')}>
        {props.hearings.length === 0 ? (
          <p>{t('assembly.none.items')}</p>
        ) : (
          <ul class="cards">
            {props.hearings.map((h) => (
              <li class="card">
                <h3 class="card-title">{h.topic}</h3>
                <p class="meta">
                  {h.expert}
                  {h.affiliation ? ` (${h.affiliation})` : ''}
                  {h.sessionTitle ? ` · ${h.sessionTitle}` : ''}
                </p>
                {h.viewpoint && (
                  <p>
                    <strong>{t('assembly.hearing.viewpoint')} :</strong> {h.viewpoint}
                  </p>
                )}
                {h.documents && (
                  <>
                    <p>
                      <strong>{t('assembly.hearing.documents')} :</strong>
                    </p>
                    <Markdown text={h.documents} />
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section id="groups" title={t('assembly.groups')}>
        {props.groups.length === 0 ? (
          <p>{t('assembly.none.items')}</p>
        ) : (
          <ul>
            {props.groups.map((g) => (
              <li>
                <strong>{g.name}</strong> ({t('assembly.group.size', { count: g.size })})
                {g.mandate ? ` — ${g.mandate}` : ''}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </article>
  )
}

interface OrgState {
  form?: string
  values?: FormValues
  errors?: FieldErrors
  problems?: string[]
  /** the page of the pool shown */
  page?: number
  quotaRows?: { category: string; feature: string; share: string; min: string; max: string }[]
  margin?: string
}

function OrganisationPage(props: {
  assembly: AssemblyRow
  quotas: QuotaRow[]
  volunteers: VolunteerRow[]
  draw: DrawRow | null
  members: MemberRow[]
  sessions: Awaited<ReturnType<typeof listSessions>>
  groups: GroupRow[]
  state: OrgState
}) {
  const { t, locale } = usePage()
  const a = props.assembly
  const s = props.state
  const errorsOf = (form: string) => (s.form === form ? (s.errors ?? {}) : {})
  const valuesOf = (form: string, fallback: FormValues = {}) => (s.form === form ? (s.values ?? {}) : fallback)
  const categories = [...new Set(props.quotas.map((q) => q.category))]
  const quotaRows =
    s.quotaRows ??
    props.quotas.map((q) => ({
      category: q.category,
      feature: q.feature,
      share: q.populationShare === null ? '' : String(q.populationShare),
      min: String(q.min),
      max: String(q.max),
    }))
  const d = props.draw
  const sessionOptions = [{ value: '', label: '—' }, ...props.sessions.map((x) => ({ value: x.id, label: x.title }))]
  const fieldsOf = (form: string, names: Record<string, string>) => ({
    errors: errorsOf(form),
    values: valuesOf(form),
    labels: names,
  })
  const session = fieldsOf('session', {
    title: t('assembly.field.sessionTitle'),
    startsOn: t('assembly.field.startsOn'),
    endsOn: t('assembly.field.endsOn'),
    place: t('assembly.field.place'),
    programme: t('assembly.field.programme'),
  })
  const hearing = fieldsOf('hearing', {
    expert: t('assembly.field.expert'),
    affiliation: t('assembly.field.affiliation'),
    topic: t('assembly.field.topic'),
    viewpoint: t('assembly.field.viewpoint'),
    documents: t('assembly.field.documents'),
    sessionId: t('assembly.field.session'),
  })
  const group = fieldsOf('group', {
    name: t('assembly.field.groupName'),
    mandate: t('assembly.field.mandate'),
    memberNumbers: t('assembly.field.memberNumbers'),
  })
  const commit = fieldsOf('commit', { kind: t('assembly.org.commitKind'), commitment: t('assembly.org.commitment') })
  const reveal = fieldsOf('reveal', { randomness: t('assembly.org.randomness') })
  const link = fieldsOf('link', { email: t('assembly.org.accountEmail') })
  return (
    <article>
      <p class="kicker">
        <a href={assemblyPath(a)}>{a.title}</a>
      </p>
      <h1>{t('assembly.org.title')}</h1>
      <p>
        <span class="badge">{t(`assembly.phase.${a.phase}` as MessageKey)}</span>
      </p>
      {s.problems && s.problems.length > 0 && !s.form?.startsWith('quota') && (
        <div class="error-summary" role="alert" tabindex={-1}>
          <ul>
            {s.problems.map((p) => (
              <li>{p}</li>
            ))}
          </ul>
        </div>
      )}
      <Section id="settings" title={t('assembly.org.settings')}>
        <AssemblyForm
          action={`${assemblyPath(a)}/reglages`}
          submit={t('assembly.save')}
          errors={errorsOf('settings')}
          values={valuesOf('settings', {
            title: a.title,
            purpose: a.purpose,
            panelSize: String(a.panelSize),
            majority: a.majority,
            quorumPercent: String(a.quorumPercent),
            onePerHousehold: String(a.onePerHousehold),
            contactRetentionDays: String(a.contactRetentionDays),
          })}
        />
      </Section>
      {!d && (
        <QuotaEditor
          assembly={a}
          rows={quotaRows}
          errors={s.form?.startsWith('quota') ? (s.problems ?? []) : []}
          margin={s.margin ?? '1'}
        />
      )}
      <Section id="recruitment" title={t('assembly.org.recruitment')}>
        <p>
          {t('assembly.volunteerCount', { count: a.volunteers })}
          {a.pendingVolunteers > 0 ? ` · ${t('assembly.org.pendingCount', { count: a.pendingVolunteers })}` : ''}
        </p>
        {a.pendingVolunteers > 0 && <p class="hint">{t('assembly.org.pendingHint')}</p>}
        {!d && (
          <PostForm action={`${assemblyPath(a)}/recrutement`} class="inline-form">
            {a.phase === 'recruiting' ? (
              <button type="submit" name="phase" value="closed">
                {t('assembly.org.close')}
              </button>
            ) : (
              <button type="submit" name="phase" value="recruiting">
                {a.phase === 'closed' ? t('assembly.org.reopen') : t('assembly.org.open')}
              </button>
            )}
          </PostForm>
        )}{' '}
        <a href={`${assemblyPath(a)}/faisabilite`}>{t('assembly.org.feasibility')}</a>
        {!d && a.phase !== 'drawn' && (
          <UploadForm
            action={`${assemblyPath(a)}/volontaires/import`}
            label={t('assembly.org.import')}
            button={t('assembly.org.importButton')}
          />
        )}
      </Section>
      <Section id="pool" title={t('assembly.org.pool')}>
        <Table
          headings={[
            t('assembly.org.number'),
            t('assembly.form.name'),
            t('assembly.org.contact'),
            ...categories,
            t('assembly.org.source'),
            t('assembly.org.confirmation'),
            ...(d ? [] : [t('assembly.org.withdraw')]),
          ]}
        >
          {props.volunteers.map((v) => (
            <tr>
              <td>{v.number}</td>
              <th scope="row">{v.fullName}</th>
              <td>{[v.email, v.phone, v.address].filter(Boolean).join(' · ')}</td>
              {categories.map((c) => (
                <td>{v.features[c]}</td>
              ))}
              <td>{t(v.source === 'import' ? 'assembly.source.import' : 'assembly.source.form')}</td>
              <td>
                {v.confirmedAt ? (
                  t('assembly.org.confirmed')
                ) : (
                  <>
                    {t('assembly.org.unconfirmed')}
                    {!d && (
                      <PostForm action={`${assemblyPath(a)}/volontaires/${v.number}/confirmation`} class="inline-form">
                        <button type="submit" aria-label={`${t('assembly.org.confirm')} ${v.number}`}>
                          {t('assembly.org.confirm')}
                        </button>
                      </PostForm>
                    )}
                  </>
                )}
              </td>
              {!d && (
                <td>
                  <PostForm action={`${assemblyPath(a)}/volontaires/${v.number}/retrait`} class="inline-form">
                    <button type="submit" aria-label={`${t('assembly.org.withdraw')} ${v.number}`}>
                      {t('assembly.org.withdraw')}
                    </button>
                  </PostForm>
                </td>
              )}
            </tr>
          ))}
        </Table>
        <Pagination
          page={s.page ?? 1}
          pages={Math.ceil((a.volunteers + a.pendingVolunteers) / POOL_PAGE_SIZE)}
          href={(page) => `${assemblyPath(a)}/organisation?page=${page}#pool-title`}
          label={t('assembly.org.pool')}
        />
      </Section>
      <Section id="draw" title={t('assembly.org.draw')}>
        {!d ? (
          a.phase === 'closed' && (
            <PostForm action={`${assemblyPath(a)}/tirage/preparation`}>
              <p>{t('assembly.org.prepareHint')}</p>
              <Field name="panelCount" label={t('assembly.org.panelCount')} type="number" value="1000" />
              <button type="submit">{t('assembly.org.prepare')}</button>
            </PostForm>
          )
        ) : (
          <>
            <p>
              <a href={`${assemblyPath(a)}/transparence`}>{t('assembly.transparency')}</a>
            </p>
            {!d.committedAt && (
              <PostForm action={`${assemblyPath(a)}/tirage/engagement`}>
                <ErrorSummary errors={commit.errors} labels={commit.labels} idPrefix="commit" />
                <Field
                  name="kind"
                  idPrefix="commit"
                  label={commit.labels.kind!}
                  value={commit.values.kind ?? 'secret_hash'}
                  error={commit.errors.kind}
                  options={(['secret_hash', 'public_source'] as const).map((k) => ({
                    value: k,
                    label: t(`assembly.org.kind.${k}`),
                  }))}
                />
                <Field
                  name="commitment"
                  idPrefix="commit"
                  label={commit.labels.commitment!}
                  multiline
                  maxLength={2000}
                  value={commit.values.commitment}
                  error={commit.errors.commitment}
                />
                <button type="submit">{t('assembly.org.commit')}</button>
              </PostForm>
            )}
            {d.committedAt && !d.revealedAt && (
              <PostForm action={`${assemblyPath(a)}/tirage/revelation`}>
                <ErrorSummary errors={reveal.errors} labels={reveal.labels} idPrefix="reveal" />
                <Field
                  name="randomness"
                  idPrefix="reveal"
                  label={reveal.labels.randomness!}
                  maxLength={2000}
                  value={reveal.values.randomness}
                  error={reveal.errors.randomness}
                />
                <button type="submit">{t('assembly.org.reveal')}</button>
              </PostForm>
            )}
          </>
        )}
      </Section>
      {props.members.length > 0 && (
        <Section id="members" title={t('assembly.org.members')}>
          <ErrorSummary errors={link.errors} labels={link.labels} idPrefix="link" />
          <Table
            headings={[
              t('assembly.org.number'),
              t('assembly.form.name'),
              t('assembly.org.contact'),
              t('assembly.org.account'),
              t('assembly.org.drop'),
            ]}
          >
            {props.members.map((m) => (
              <tr>
                <td>
                  {m.number}
                  {m.replacementNumber !== null && (
                    <>
                      <br />
                      <span class="meta">
                        {t('assembly.org.replacementOf', { n: m.replacementNumber, of: m.replacesNumber ?? '' })}
                      </span>
                    </>
                  )}
                </td>
                <th scope="row">{m.fullName}</th>
                <td>{m.email ?? ''}</td>
                <td>
                  {m.accountName ?? (
                    <PostForm action={`${assemblyPath(a)}/membres/${m.id}/compte`} class="inline-form">
                      <Field
                        name="email"
                        idPrefix={`link-${m.id}`}
                        label={t('assembly.org.accountEmail')}
                        type="email"
                        value={m.email ?? ''}
                      />
                      <button type="submit">{t('assembly.org.linkAccount')}</button>
                    </PostForm>
                  )}
                </td>
                <td>
                  {m.status === 'active' ? (
                    <PostForm action={`${assemblyPath(a)}/membres/${m.id}/depart`} class="inline-form">
                      <Field
                        name="reason"
                        idPrefix={`drop-${m.id}`}
                        label={t('assembly.org.dropReason')}
                        maxLength={500}
                      />
                      <button type="submit">{t('assembly.org.drop')}</button>
                    </PostForm>
                  ) : (
                    <>
                      {t('assembly.org.dropped')}
                      {!props.members.some((r) => r.replacesNumber === m.number) && (
                        <PostForm action={`${assemblyPath(a)}/membres/${m.id}/remplacement`} class="inline-form">
                          <button type="submit">{t('assembly.org.replace')}</button>
                        </PostForm>
                      )}
                    </>
                  )}
                </td>
              </tr>
            ))}
          </Table>
        </Section>
      )}
      <Section id="deliberation" title={t('assembly.org.deliberation')}>
        <h3>{t('assembly.org.addSession')}</h3>
        <ErrorSummary errors={session.errors} labels={session.labels} idPrefix="session" />
        <PostForm action={`${assemblyPath(a)}/seances`}>
          <Field
            name="title"
            idPrefix="session"
            label={session.labels.title!}
            required
            maxLength={200}
            value={session.values.title}
            error={session.errors.title}
          />
          <Field
            name="startsOn"
            type="date"
            idPrefix="session"
            label={session.labels.startsOn!}
            required
            value={session.values.startsOn}
            error={session.errors.startsOn}
          />
          <Field
            name="endsOn"
            type="date"
            idPrefix="session"
            label={session.labels.endsOn!}
            required
            value={session.values.endsOn}
            error={session.errors.endsOn}
          />
          <Field
            name="place"
            idPrefix="session"
            label={session.labels.place!}
            maxLength={300}
            value={session.values.place}
            error={session.errors.place}
          />
          <Field
            name="programme"
            idPrefix="session"
            label={session.labels.programme!}
            multiline
            maxLength={20000}
            value={session.values.programme}
            error={session.errors.programme}
            hint="Markdown"
          />
          <button type="submit">{t('assembly.org.addSession')}</button>
        </PostForm>
        <h3>{t('assembly.org.addHearing')}</h3>
        <ErrorSummary errors={hearing.errors} labels={hearing.labels} idPrefix="hearing" />
        <PostForm action={`${assemblyPath(a)}/auditions`}>
          <Field
            name="sessionId"
            idPrefix="hearing"
            label={hearing.labels.sessionId!}
            value={hearing.values.sessionId}
            error={hearing.errors.sessionId}
            options={sessionOptions}
          />
          <Field
            name="expert"
            idPrefix="hearing"
            label={hearing.labels.expert!}
            required
            maxLength={200}
            value={hearing.values.expert}
            error={hearing.errors.expert}
          />
          <Field
            name="affiliation"
            idPrefix="hearing"
            label={hearing.labels.affiliation!}
            maxLength={300}
            value={hearing.values.affiliation}
            error={hearing.errors.affiliation}
          />
          <Field
            name="topic"
            idPrefix="hearing"
            label={hearing.labels.topic!}
            required
            maxLength={300}
            value={hearing.values.topic}
            error={hearing.errors.topic}
          />
          <Field
            name="viewpoint"
            idPrefix="hearing"
            label={hearing.labels.viewpoint!}
            multiline
            maxLength={2000}
            value={hearing.values.viewpoint}
            error={hearing.errors.viewpoint}
          />
          <Field
            name="documents"
            idPrefix="hearing"
            label={hearing.labels.documents!}
            multiline
            maxLength={5000}
            value={hearing.values.documents}
            error={hearing.errors.documents}
            hint="Markdown"
          />
          <button type="submit">{t('assembly.org.addHearing')}</button>
        </PostForm>
        {props.groups.map((g) => {
          const form = fieldsOf(`group-${g.id}`, group.labels)
          const prefix = `group-${g.id}`
          const values =
            s.form === prefix
              ? form.values
              : { name: g.name, mandate: g.mandate, memberNumbers: g.memberNumbers.join(', ') }
          return (
            <details id={prefix} open={s.form === prefix}>
              <summary>{t('assembly.org.editGroup', { name: g.name, count: g.size })}</summary>
              <ErrorSummary errors={form.errors} labels={form.labels} idPrefix={prefix} />
              <PostForm action={`${assemblyPath(a)}/groupes/${g.id}`}>
                <Field
                  name="name"
                  idPrefix={prefix}
                  label={form.labels.name!}
                  required
                  maxLength={200}
                  value={values.name}
                  error={form.errors.name}
                />
                <Field
                  name="mandate"
                  idPrefix={prefix}
                  label={form.labels.mandate!}
                  multiline
                  maxLength={5000}
                  value={values.mandate}
                  error={form.errors.mandate}
                />
                <Field
                  name="memberNumbers"
                  idPrefix={prefix}
                  label={form.labels.memberNumbers!}
                  value={values.memberNumbers}
                  error={form.errors.memberNumbers}
                />
                <button type="submit">
                  {t('assembly.org.saveGroup')}
                  <span class="visually-hidden"> : {g.name}</span>
                </button>
              </PostForm>
            </details>
          )
        })}
        {props.members.length > 0 && (
          <>
            <h3>{t('assembly.org.addGroup')}</h3>
            <ErrorSummary errors={group.errors} labels={group.labels} idPrefix="group" />
            <PostForm action={`${assemblyPath(a)}/groupes`}>
              <Field
                name="name"
                idPrefix="group"
                label={group.labels.name!}
                required
                maxLength={200}
                value={group.values.name}
                error={group.errors.name}
              />
              <Field
                name="mandate"
                idPrefix="group"
                label={group.labels.mandate!}
                multiline
                maxLength={5000}
                value={group.values.mandate}
                error={group.errors.mandate}
              />
              <Field
                name="memberNumbers"
                idPrefix="group"
                label={group.labels.memberNumbers!}
                value={group.values.memberNumbers}
                error={group.errors.memberNumbers}
              />
              <button type="submit">{t('assembly.org.addGroup')}</button>
            </PostForm>
          </>
        )}
        <h3>{t('assembly.org.publishReport')}</h3>
        <PostForm action={`${assemblyPath(a)}/rapport`}>
          <Field
            name="report"
            idPrefix="report"
            label={t('assembly.field.report')}
            multiline
            maxLength={200000}
            value={valuesOf('report', { report: a.report ?? '' }).report}
            error={errorsOf('report').report}
            hint="Markdown"
          />
          <button type="submit">{t('assembly.org.publishReport')}</button>
        </PostForm>
      </Section>
      {a.reportPublishedAt && <p class="meta">{formatDate(locale, new Date(a.reportPublishedAt))}</p>}
    </article>
  )
}

function FeasibilityPage({
  assembly,
  result,
}: {
  assembly: AssemblyRow
  result: Awaited<ReturnType<typeof feasibility>>
}) {
  const { t } = usePage()
  return (
    <div class="narrow">
      <p class="kicker">
        <a href={`${assemblyPath(assembly)}/organisation`}>{assembly.title}</a>
      </p>
      <h1>{t('assembly.feas.title')}</h1>
      {result.quotas.length === 0 ? (
        <p>{t('assembly.feas.noQuota')}</p>
      ) : result.changes.length === 0 ? (
        <p class="notice">{t('assembly.feas.ok', { size: assembly.panelSize, pool: result.poolSize })}</p>
      ) : (
        <>
          <p class="notice">{t('assembly.feas.ko')}</p>
          <ul>
            {result.changes.map((c) => (
              <li>
                {t('assembly.feas.change', {
                  category: c.category,
                  feature: c.feature,
                  min: c.min,
                  max: c.max,
                  newMin: c.newMin,
                  newMax: c.newMax,
                })}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  )
}

function TransparencyPage(props: {
  assembly: AssemblyRow
  rows: Awaited<ReturnType<typeof composition>>
  draw: DrawRow | null
  replacements: Awaited<ReturnType<typeof listReplacements>>
}) {
  const { t, locale } = usePage()
  const { assembly: a, draw: d } = props
  const pct = (v: number) => percent(locale, v, 2)
  return (
    <article>
      <p class="kicker">
        <a href={assemblyPath(a)}>{a.title}</a>
      </p>
      <h1>{t('assembly.tr.title')}</h1>
      <Section id="method" title={t('assembly.tr.method')}>
        <p>{t('assembly.tr.methodText', { count: formatNumber(locale, d?.panelCount ?? 1000) })}</p>
      </Section>
      <Section id="composition" title={t('assembly.tr.composition')}>
        <Table
          headings={[
            t('assembly.org.category'),
            t('assembly.org.feature'),
            t('assembly.tr.population'),
            t('assembly.tr.quota'),
            t('assembly.tr.pool'),
            t('assembly.tr.panel'),
          ]}
        >
          {props.rows.map((r) => (
            <tr>
              <td>{r.category}</td>
              <th scope="row">{r.feature}</th>
              <td>{r.populationShare === null ? '—' : `${formatNumber(locale, Number(r.populationShare))} %`}</td>
              <td>
                {r.min}–{r.max}
              </td>
              <td>{formatNumber(locale, r.pool)}</td>
              <td>{a.phase === 'drawn' ? r.panel : '—'}</td>
            </tr>
          ))}
        </Table>
      </Section>
      {!d ? (
        <p>{t('assembly.tr.notPrepared')}</p>
      ) : (
        <>
          <Section id="profile" title={t('assembly.tr.profile')}>
            <p>
              {t('assembly.tr.profileLead', {
                count: formatNumber(locale, d.poolSize),
                mean: pct(a.panelSize / d.poolSize),
              })}
            </p>
            <Table
              headings={[
                t('assembly.tr.algorithm'),
                t('assembly.tr.min'),
                t('assembly.tr.geomean'),
                t('assembly.tr.gini'),
              ]}
            >
              {(
                [
                  ['LEXIMIN', d.leximin.profile],
                  ['LEGACY', d.legacy.profile],
                ] as const
              ).map(([name, p]) => (
                <tr>
                  <th scope="row">{name}</th>
                  <td>{pct(p.min)}</td>
                  <td>{pct(p.geometricMean)}</td>
                  <td>{percent(locale, p.gini, 1)}</td>
                </tr>
              ))}
            </Table>
            <p class="meta">{t('assembly.tr.legacyNote', { runs: formatNumber(locale, d.legacy.runs) })}</p>
            <ProbabilityChart leximin={d.leximin.profile} legacy={d.legacy.profile} />
          </Section>
          <Section id="lottery" title={t('assembly.tr.lottery')}>
            <p>
              {t('assembly.tr.digest', { count: formatNumber(locale, d.panelCount) })} :{' '}
              <code class="hash">{d.lotteryDigest}</code>
            </p>
            <p>{t('assembly.tr.deviation', { value: pct(d.maxDeviation) })}</p>
            <p>
              <a href={`${assemblyPath(a)}/tirage.json`}>{t('assembly.tr.download')}</a>
            </p>
            {d.committedAt ? (
              <p>
                {t('assembly.tr.commitment', { date: formatDate(locale, new Date(d.committedAt)) })} (
                {t(`assembly.org.kind.${d.randomnessKind!}` as MessageKey)}) :{' '}
                <code class="hash">{d.randomnessCommitment}</code>
              </p>
            ) : (
              <p>{t('assembly.tr.noCommitment')}</p>
            )}
            {d.revealedAt && d.randomness !== null && d.drawnIndex !== null && (
              <>
                <p>
                  {t('assembly.tr.revealed', { date: formatDate(locale, new Date(d.revealedAt)), value: d.randomness })}
                </p>
                <p class="notice">
                  {d.randomnessKind === 'secret_hash'
                    ? commitmentOf(d.randomness) === d.randomnessCommitment
                      ? t('assembly.tr.verifiedHash')
                      : '✗'
                    : t('assembly.tr.publicSource')}
                </p>
                <p>
                  <strong>{t('assembly.tr.drawn', { index: d.drawnIndex, last: d.panelCount - 1 })}</strong>
                </p>
                <p>
                  {t('assembly.tr.panelNumbers')} : {d.lottery[d.drawnIndex]!.join(', ')}
                </p>
                <p class="meta">{t('assembly.tr.recompute', { count: d.panelCount })}</p>
              </>
            )}
          </Section>
          {props.replacements.length > 0 && (
            <Section id="replacements" title={t('assembly.tr.replacements')}>
              <ul>
                {props.replacements.map((r) => (
                  <li>
                    {t('assembly.tr.replacement', {
                      n: r.replacementNumber,
                      number: r.number,
                      of: r.replacesNumber,
                      candidates: (r.candidates ?? []).join(', '),
                    })}
                  </li>
                ))}
              </ul>
              <p class="meta">{t('assembly.tr.replacementRule')}</p>
            </Section>
          )}
        </>
      )}
    </article>
  )
}

function assemblyInput(values: Record<string, string>): service.AssemblyInput {
  return {
    title: values.title ?? '',
    purpose: values.purpose ?? '',
    panelSize: /^\d{1,5}$/.test((values.panelSize ?? '').trim()) ? Number(values.panelSize) : NaN,
    onePerHousehold: values.onePerHousehold === 'true',
    majority: (values.majority ?? 'simple') as service.Majority,
    ...(values.quorumPercent !== undefined
      ? { quorumPercent: /^\d{1,3}$/.test(values.quorumPercent.trim()) ? Number(values.quorumPercent) : NaN }
      : {}),
    ...(values.contactRetentionDays !== undefined
      ? {
          contactRetentionDays: /^\d{1,5}$/.test(values.contactRetentionDays.trim())
            ? Number(values.contactRetentionDays)
            : NaN,
        }
      : {}),
  }
}

const statusOf = (error: unknown) =>
  error instanceof AppError && error.status >= 400 && error.status < 500 && error.status !== 403 && error.status !== 404
    ? error.status
    : null

/** Citizens' assemblies: lists, the public page and volunteer form, the organisers' page, feasibility, transparency. */
export default async function assemblyRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  async function managed(req: FastifyRequest, id: string) {
    const assembly = await findAssembly(db(), id)
    if (!canManageAssembly(requireUser(req), assembly.territoryId))
      throw forbidden('Réservé aux organisateurs de cette assemblée.')
    return assembly
  }

  // ——— lists and creation ———
  app.get('/assemblees', { schema: { hide: true } }, async (req, reply) => {
    const assemblies = await listAssemblies(db(), undefined, req.user)
    return reply.page(
      req.t('assembly.title'),
      <AssemblyListPage assemblies={assemblies} newHref={req.user?.isPlatformAdmin ? '/assemblees/nouvelle' : null} />,
    )
  })
  app.get(
    '/territoires/:kind/:code/assemblees',
    { schema: { params: TerritoryRefParams, hide: true } },
    async (req, reply) => {
      const territory = await territoryOfPage(db(), req.params)
      const assemblies = await listAssemblies(db(), territory.id, req.user)
      return reply.page(
        `${req.t('assembly.title')} — ${territory.name}`,
        <AssemblyListPage
          assemblies={assemblies}
          back={territory}
          newHref={canManageAssembly(req.user, territory.id) ? `${territory.path}/assemblees/nouvelle` : null}
        />,
      )
    },
  )

  const newPage = (
    req: FastifyRequest,
    reply: FastifyReply,
    action: string,
    values: FormValues,
    errors: FieldErrors,
    status = 200,
  ) =>
    reply.page(
      req.t('assembly.new'),
      <div class="narrow">
        <h1>{req.t('assembly.new')}</h1>
        <AssemblyForm action={action} values={values} errors={errors} submit={req.t('assembly.create')} />
      </div>,
      status,
    )

  async function create(req: FastifyRequest, reply: FastifyReply, territoryId: string | null, action: string) {
    const values = formValues(req.body)
    try {
      const id = await service.createAssembly(db(), requireUser(req), territoryId, assemblyInput(values))
      return reply.redirect(`${assemblyPath({ id })}/organisation`, 303)
    } catch (error) {
      if (error instanceof AppError && error.status === 422)
        return newPage(req, reply, action, values, translateFieldErrors(req.t, error.fields), 422)
      throw error
    }
  }
  app.get('/assemblees/nouvelle', { schema: { hide: true } }, async (req, reply) => {
    if (!requireUser(req).isPlatformAdmin) throw forbidden()
    return newPage(req, reply, '/assemblees/nouvelle', { panelSize: '150' }, {})
  })
  app.post('/assemblees/nouvelle', { schema: { body: FormBody, hide: true } }, async (req, reply) =>
    create(req, reply, null, '/assemblees/nouvelle'),
  )
  app.get(
    '/territoires/:kind/:code/assemblees/nouvelle',
    { schema: { params: TerritoryRefParams, hide: true } },
    async (req, reply) => {
      const territory = await territoryOfPage(db(), req.params)
      if (!canManageAssembly(requireUser(req), territory.id))
        throw forbidden('Réservé aux agents et élus du territoire.')
      return newPage(req, reply, `${territory.path}/assemblees/nouvelle`, { panelSize: '50' }, {})
    },
  )
  app.post(
    '/territoires/:kind/:code/assemblees/nouvelle',
    { schema: { params: TerritoryRefParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const territory = await territoryOfPage(db(), req.params)
      return create(req, reply, territory.id, `${territory.path}/assemblees/nouvelle`)
    },
  )

  // ——— public page ———
  async function renderAssembly(
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    values: FormValues = {},
    errors: FieldErrors = {},
    status = 200,
  ) {
    const assembly = await findVisibleAssembly(db(), id, req.user)
    const [sessions, hearings, groups, proposals, myGroups] = await Promise.all([
      listSessions(db(), id),
      listHearings(db(), id),
      listGroups(db(), id),
      listProposals(db(), id),
      groupsOfUser(db(), id, req.user?.id),
    ])
    return reply.page(
      assembly.title,
      <AssemblyPage
        assembly={assembly}
        manager={canManageAssembly(req.user, assembly.territoryId)}
        sessions={sessions}
        hearings={hearings}
        groups={groups}
        proposals={proposals}
        fateCounts={fates(proposals)}
        myGroups={myGroups}
        values={values}
        errors={errors}
      />,
      status,
    )
  }
  app.get('/assemblees/:id', { schema: { params: IdParams, hide: true } }, async (req, reply) =>
    renderAssembly(req, reply, req.params.id),
  )

  app.post(
    '/assemblees/:id/propositions',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const values = formValues(req.body)
      const mine = await groupsOfUser(db(), req.params.id, actor.id)
      if (!mine.includes(values.groupId ?? ''))
        return renderAssembly(req, reply, req.params.id, values, { groupId: req.t('assembly.error.group') }, 422)
      try {
        const id = await deliberation.draftProposal(db(), actor, values.groupId!, {
          title: values.title ?? '',
          body: values.body ?? '',
        })
        return reply.redirect(proposalPath({ id }), 303)
      } catch (error) {
        if (error instanceof AppError && error.status === 422)
          return renderAssembly(req, reply, req.params.id, values, translateFieldErrors(req.t, error.fields), 422)
        throw error
      }
    },
  )

  // ——— volunteer form (no account needed) ———
  async function volunteerPage(
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    values: FormValues,
    errors: FieldErrors,
    registration: service.Registration | null,
    status = 200,
  ) {
    const assembly = await findVisibleAssembly(db(), id, req.user)
    const quotas = await listQuotas(db(), id)
    return reply.page(
      `${req.t('assembly.form.title')} — ${assembly.title}`,
      <VolunteerForm assembly={assembly} quotas={quotas} values={values} errors={errors} registration={registration} />,
      status,
    )
  }
  app.get('/assemblees/:id/volontariat', { schema: { params: IdParams, hide: true } }, async (req, reply) =>
    volunteerPage(req, reply, req.params.id, {}, {}, null),
  )
  app.post(
    '/assemblees/:id/volontariat',
    { schema: { params: IdParams, body: FormBody, hide: true }, config: { rateLimit: REGISTRATION_LIMIT } },
    async (req, reply) => {
      const values = formValues(req.body)
      const quotas = await listQuotas(db(), req.params.id)
      const categories = [...new Set(quotas.map((q) => q.category))]
      const features = Object.fromEntries(categories.map((c, i) => [c, values[`feature${i}`] ?? '']))
      try {
        const registration = await service.registerVolunteer(
          db(),
          app.platform.tokens,
          req.params.id,
          {
            fullName: values.fullName ?? '',
            email: values.email?.trim() || null,
            phone: values.phone?.trim() || null,
            address: values.address?.trim() || null,
            features,
            consent: values.consent === 'true',
            locale: req.locale,
          },
          req.user?.id ?? null,
        )
        app.jobs.wake()
        return volunteerPage(req, reply, req.params.id, {}, {}, registration)
      } catch (error) {
        if (error instanceof AppError && error.status === 422)
          return volunteerPage(req, reply, req.params.id, values, translateFieldErrors(req.t, error.fields), null, 422)
        throw error
      }
    },
  )
  const ConfirmQuery = Type.Object({ jeton: Type.String({ maxLength: 2000 }) })
  app.get(
    '/assemblees/volontariat/confirmer',
    {
      schema: { querystring: ConfirmQuery, hide: true },
      config: { secretQuery: ['jeton'], rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const result = await service.confirmVolunteer(db(), app.platform.tokens, secretQueryParam(req, 'jeton'))
      const assembly = result.assemblyId ? await findAssembly(db(), result.assemblyId) : null
      const message = req.t(`assembly.confirm.${result.outcome}`, { number: 'number' in result ? result.number : '' })
      return reply.page(
        req.t('assembly.confirm.title'),
        <VolunteerConfirmed
          assembly={assembly}
          message={message}
          ok={result.outcome === 'done' || result.outcome === 'already'}
        />,
        result.outcome === 'done' || result.outcome === 'already' ? 200 : 400,
      )
    },
  )

  // ——— organisers ———
  async function renderOrg(req: FastifyRequest, reply: FastifyReply, id: string, state: OrgState = {}, status = 200) {
    const assembly = await managed(req, id)
    const [quotas, volunteers, drawRow, members, sessions, groups] = await Promise.all([
      listQuotas(db(), id),
      listVolunteers(db(), id, {
        pending: true,
        limit: POOL_PAGE_SIZE,
        offset: ((state.page ?? 1) - 1) * POOL_PAGE_SIZE,
      }),
      findDraw(db(), id),
      listMembers(db(), id),
      listSessions(db(), id),
      listGroups(db(), id),
    ])
    return reply.page(
      `${req.t('assembly.org.title')} — ${assembly.title}`,
      <OrganisationPage
        assembly={assembly}
        quotas={quotas}
        volunteers={volunteers}
        draw={drawRow}
        members={members}
        sessions={sessions}
        groups={groups}
        state={state}
      />,
      status,
    )
  }
  app.get(
    '/assemblees/:id/organisation',
    { schema: { params: IdParams, querystring: PoolQuery, hide: true } },
    async (req, reply) => renderOrg(req, reply, req.params.id, { page: req.query.page }),
  )

  /** Runs an organiser's action, then back to the organisation page; a 4xx is shown on it beside the form concerned. */
  async function orgAction(
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    form: string,
    action: (actor: ReturnType<typeof requireUser>, values: Record<string, string>) => Promise<unknown>,
    anchor = '',
  ) {
    const actor = requireUser(req)
    const values = formValues(req.body)
    try {
      await action(actor, values)
    } catch (error) {
      const status = statusOf(error)
      if (status === null) throw error
      const appError = error as AppError
      return renderOrg(
        req,
        reply,
        id,
        {
          form,
          values,
          errors: translateFieldErrors(req.t, appError.fields),
          problems: appError.fields ? [] : [appError.messageIn(req.locale)],
        },
        status,
      )
    }
    return reply.redirect(`${assemblyPath({ id })}/organisation${anchor}`, 303)
  }

  app.post(
    '/assemblees/:id/reglages',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) =>
      orgAction(req, reply, req.params.id, 'settings', (actor, values) =>
        service.updateAssembly(db(), actor, req.params.id, assemblyInput(values)),
      ),
  )
  app.post(
    '/assemblees/:id/recrutement',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) =>
      orgAction(
        req,
        reply,
        req.params.id,
        'recruitment',
        (actor, values) =>
          service.setRecruitment(db(), actor, req.params.id, values.phase === 'closed' ? 'closed' : 'recruiting'),
        '#recruitment-title',
      ),
  )
  app.post(
    '/assemblees/:id/quotas',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const assembly = await managed(req, req.params.id)
      const values = formValues(req.body)
      const count = Math.min(200, Number(values.rows) || 0)
      const rows = Array.from({ length: count }, (_, i) => ({
        category: (values[`category${i}`] ?? '').trim(),
        feature: (values[`feature${i}`] ?? '').trim(),
        share: (values[`share${i}`] ?? '').trim().replace(',', '.'),
        min: (values[`min${i}`] ?? '').trim(),
        max: (values[`max${i}`] ?? '').trim(),
      })).filter((r) => r.category !== '' || r.feature !== '')
      const margin = /^\d{1,3}$/.test((values.margin ?? '').trim()) ? Number(values.margin) : 1
      const problems: string[] = []
      for (const r of rows) {
        if (!r.category || !r.feature)
          problems.push(req.t('assembly.quota.incomplete', { row: r.category || r.feature }))
        if (r.share !== '' && !/^\d{1,3}(\.\d{1,3})?$/.test(r.share))
          problems.push(req.t('assembly.quota.badShare', { quota: `${r.category} / ${r.feature}`, value: r.share }))
      }
      let quotaRows = rows
      if (problems.length === 0 && values.intent === 'compute') {
        const missing = rows.filter((r) => r.share === '')
        if (missing.length > 0)
          problems.push(
            req.t('assembly.quota.missingShares', {
              quotas: missing.map((r) => `${r.category} / ${r.feature}`).join(', '),
            }),
          )
        else {
          const computed = service.quotasFromShares(
            rows.map((r) => ({ category: r.category, feature: r.feature, populationShare: Number(r.share) })),
            assembly.panelSize,
            margin,
          )
          quotaRows = computed.map((q) => ({
            category: q.category,
            feature: q.feature,
            share: String(q.populationShare),
            min: String(q.min),
            max: String(q.max),
          }))
        }
        return renderOrg(
          req,
          reply,
          req.params.id,
          { form: 'quotas', quotaRows, margin: String(margin), problems },
          problems.length > 0 ? 422 : 200,
        )
      }
      for (const r of rows)
        if (!/^\d{1,4}$/.test(r.min) || !/^\d{1,4}$/.test(r.max))
          problems.push(req.t('assembly.quota.wholeNumbers', { quota: `${r.category} / ${r.feature}` }))
      if (problems.length === 0) {
        try {
          await service.saveQuotas(
            db(),
            requireUser(req),
            req.params.id,
            rows.map((r) => ({
              category: r.category,
              feature: r.feature,
              populationShare: r.share === '' ? null : Number(r.share),
              min: Number(r.min),
              max: Number(r.max),
            })),
          )
          return reply.redirect(`${assemblyPath(req.params)}/organisation#quotas-title`, 303)
        } catch (error) {
          if (error instanceof service.QuotaProblems) problems.push(...error.problems)
          else if (statusOf(error) !== null) problems.push((error as AppError).messageIn(req.locale))
          else throw error
        }
      }
      return renderOrg(req, reply, req.params.id, { form: 'quotas', quotaRows, margin: String(margin), problems }, 422)
    },
  )
  app.post(
    '/assemblees/:id/quotas/import',
    { schema: { params: IdParams, body: FormWithFileBody, hide: true } },
    async (req, reply) => {
      const assembly = await managed(req, req.params.id)
      const file = (req.uploads ?? []).find((u) => u.bytes.length > 0)
      let quotas: QuotaRow[] = []
      const problems: string[] = []
      if (!file) problems.push(req.t('assembly.quota.noFile'))
      else {
        try {
          quotas = parseQuotas(file.bytes).map((q) => ({ ...q, populationShare: null }))
        } catch (error) {
          if (!(error instanceof InstanceError)) throw error
          problems.push(...(error.problems.length > 0 ? error.problems.map((p) => worded(req.t, p)) : [error.message]))
        }
      }
      if (problems.length === 0) {
        try {
          await service.saveQuotas(db(), requireUser(req), assembly.id, quotas)
          return reply.redirect(`${assemblyPath(assembly)}/organisation#quotas-title`, 303)
        } catch (error) {
          if (error instanceof service.QuotaProblems) problems.push(...error.problems)
          else if (statusOf(error) !== null) problems.push((error as AppError).messageIn(req.locale))
          else throw error
        }
      }
      return renderOrg(req, reply, assembly.id, { form: 'quotas', problems }, 422)
    },
  )
  app.post(
    '/assemblees/:id/volontaires/import',
    { schema: { params: IdParams, body: FormWithFileBody, hide: true } },
    async (req, reply) => {
      await managed(req, req.params.id)
      const file = (req.uploads ?? []).find((u) => u.bytes.length > 0)
      return orgAction(
        req,
        reply,
        req.params.id,
        'import',
        async (actor) => {
          if (!file) throw new AppError('NO_FILE', { status: 422, userMessage: req.t('assembly.org.noFile') })
          const { imported, alreadyInPool } = await service.importVolunteers(
            db(),
            actor,
            req.params.id,
            file.bytes,
            req.t,
          )
          req.flash(
            'notice',
            alreadyInPool > 0
              ? req.t('assembly.org.importedKnown', { imported, known: alreadyInPool })
              : req.t('assembly.org.imported', { imported }),
          )
        },
        '#pool-title',
      )
    },
  )
  app.post(
    '/assemblees/:id/volontaires/:number/confirmation',
    { schema: { params: VolunteerParams, body: FormBody, hide: true } },
    async (req, reply) =>
      orgAction(
        req,
        reply,
        req.params.id,
        'pool',
        (actor) => service.confirmVolunteerByOrganiser(db(), actor, req.params.id, req.params.number),
        '#pool-title',
      ),
  )
  app.post(
    '/assemblees/:id/volontaires/:number/retrait',
    { schema: { params: VolunteerParams, body: FormBody, hide: true } },
    async (req, reply) =>
      orgAction(
        req,
        reply,
        req.params.id,
        'pool',
        (actor) => service.withdrawVolunteer(db(), actor, req.params.id, req.params.number),
        '#pool-title',
      ),
  )
  app.get('/assemblees/:id/faisabilite', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    const assembly = await managed(req, req.params.id)
    return reply.page(
      req.t('assembly.feas.title'),
      <FeasibilityPage assembly={assembly} result={await feasibility(db(), assembly.id)} />,
    )
  })
  app.post(
    '/assemblees/:id/tirage/preparation',
    {
      schema: { params: IdParams, body: FormBody, hide: true },
      config: { rateLimit: { max: 5, timeWindow: '1 minute' } },
    },
    async (req, reply) =>
      orgAction(
        req,
        reply,
        req.params.id,
        'draw',
        (actor, values) =>
          draw.prepareDraw(db(), actor, req.params.id, {
            panelCount: /^\d{1,6}$/.test(values.panelCount ?? '') ? Number(values.panelCount) : NaN,
          }),
        '#draw-title',
      ),
  )
  app.post(
    '/assemblees/:id/tirage/engagement',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) =>
      orgAction(
        req,
        reply,
        req.params.id,
        'commit',
        (actor, values) =>
          draw.commitRandomness(db(), actor, req.params.id, {
            kind: values.kind ?? '',
            commitment: values.commitment ?? '',
          }),
        '#draw-title',
      ),
  )
  app.post(
    '/assemblees/:id/tirage/revelation',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) =>
      orgAction(
        req,
        reply,
        req.params.id,
        'reveal',
        (actor, values) => draw.revealAndDraw(db(), actor, req.params.id, values.randomness ?? ''),
        '#members-title',
      ),
  )
  app.post(
    '/assemblees/:id/membres/:member/depart',
    { schema: { params: MemberParams, body: FormBody, hide: true } },
    async (req, reply) =>
      orgAction(
        req,
        reply,
        req.params.id,
        'members',
        (actor, values) => draw.dropMember(db(), actor, req.params.member, values.reason ?? ''),
        '#members-title',
      ),
  )
  app.post(
    '/assemblees/:id/membres/:member/remplacement',
    { schema: { params: MemberParams, body: FormBody, hide: true } },
    async (req, reply) =>
      orgAction(
        req,
        reply,
        req.params.id,
        'members',
        (actor) => draw.drawReplacement(db(), actor, req.params.member),
        '#members-title',
      ),
  )
  app.post(
    '/assemblees/:id/membres/:member/compte',
    { schema: { params: MemberParams, body: FormBody, hide: true } },
    async (req, reply) =>
      orgAction(
        req,
        reply,
        req.params.id,
        'link',
        (actor, values) => draw.linkMemberAccount(db(), actor, req.params.member, values.email ?? ''),
        '#members-title',
      ),
  )
  app.post(
    '/assemblees/:id/seances',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) =>
      orgAction(
        req,
        reply,
        req.params.id,
        'session',
        (actor, v) => {
          normalizeDays(v, 'startsOn', 'endsOn')
          return deliberation.addSession(db(), actor, req.params.id, {
            title: v.title ?? '',
            startsOn: v.startsOn ?? '',
            endsOn: v.endsOn ?? '',
            place: v.place ?? '',
            programme: v.programme ?? '',
          })
        },
        '#deliberation-title',
      ),
  )
  app.post(
    '/assemblees/:id/auditions',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) =>
      orgAction(
        req,
        reply,
        req.params.id,
        'hearing',
        (actor, v) =>
          deliberation.addHearing(db(), actor, req.params.id, {
            sessionId: /^[0-9a-f-]{36}$/.test(v.sessionId ?? '') ? v.sessionId! : null,
            expert: v.expert ?? '',
            affiliation: v.affiliation ?? '',
            topic: v.topic ?? '',
            viewpoint: v.viewpoint ?? '',
            documents: v.documents ?? '',
          }),
        '#deliberation-title',
      ),
  )
  /** A group's form: name, mandate and the members' volunteer numbers, typed as "3, 7 12". */
  const groupInput = (v: Record<string, string>): deliberation.GroupInput => {
    const raw = (v.memberNumbers ?? '').split(/[\s,;]+/).filter(Boolean)
    if (raw.some((n) => !/^\d{1,6}$/.test(n)))
      throw new AppError('INVALID', {
        status: 422,
        userMessage: 'Des champs sont à corriger.',
        fields: { memberNumbers: 'assembly.error.memberNumbers' },
      })
    return { name: v.name ?? '', mandate: v.mandate ?? '', memberNumbers: [...new Set(raw.map(Number))] }
  }
  app.post(
    '/assemblees/:id/groupes',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) =>
      orgAction(
        req,
        reply,
        req.params.id,
        'group',
        (actor, v) => deliberation.addGroup(db(), actor, req.params.id, groupInput(v)),
        '#deliberation-title',
      ),
  )
  app.post(
    '/assemblees/:id/groupes/:groupId',
    { schema: { params: GroupParams, body: FormBody, hide: true } },
    async (req, reply) =>
      orgAction(
        req,
        reply,
        req.params.id,
        `group-${req.params.groupId}`,
        (actor, v) => deliberation.updateGroup(db(), actor, req.params.id, req.params.groupId, groupInput(v)),
        `#group-${req.params.groupId}`,
      ),
  )
  app.post(
    '/assemblees/:id/rapport',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) =>
      orgAction(req, reply, req.params.id, 'report', (actor, v) =>
        deliberation.publishReport(db(), actor, req.params.id, v.report ?? ''),
      ),
  )

  // ——— transparency (public) ———
  app.get('/assemblees/:id/transparence', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    const assembly = await findVisibleAssembly(db(), req.params.id, req.user)
    const [rows, drawRow, replacements] = await Promise.all([
      composition(db(), assembly.id),
      findDraw(db(), assembly.id),
      listReplacements(db(), assembly.id),
    ])
    return reply.page(
      `${req.t('assembly.tr.title')} — ${assembly.title}`,
      <TransparencyPage assembly={assembly} rows={rows} draw={drawRow} replacements={replacements} />,
    )
  })
  app.get(
    '/assemblees/:id/tirage.json',
    {
      schema: {
        params: IdParams,
        tags: ['assemblies'],
        summary: 'The lottery of a citizens’ assembly and its verifiable draw (volunteers by number only)',
        response: {
          200: Type.Object({
            assembly: Type.String(),
            panelSize: Type.Integer(),
            poolSize: Type.Integer(),
            lotteryDigest: Type.String(),
            panelCount: Type.Integer(),
            maxDeviation: Type.Number(),
            leximinProbabilities: Type.Array(Type.Object({ number: Type.Integer(), probability: Type.Number() })),
            lottery: Type.Array(Type.Array(Type.Integer())),
            randomnessKind: Type.Union([Type.String(), Type.Null()]),
            randomnessCommitment: Type.Union([Type.String(), Type.Null()]),
            randomness: Type.Union([Type.String(), Type.Null()]),
            drawnIndex: Type.Union([Type.Integer(), Type.Null()]),
            rule: Type.String(),
          }),
        },
      },
    },
    async (req, reply) => {
      const assembly = await findVisibleAssembly(db(), req.params.id, null)
      const d = await findDraw(db(), assembly.id)
      if (!d) throw new AppError('NOT_FOUND', { status: 404, userMessage: 'Le tirage n’est pas encore préparé.' })
      reply.header('content-disposition', `attachment; filename="tirage-${assembly.id}.json"`)
      return {
        assembly: assembly.title,
        panelSize: assembly.panelSize,
        poolSize: d.poolSize,
        lotteryDigest: d.lotteryDigest,
        panelCount: d.panelCount,
        maxDeviation: d.maxDeviation,
        leximinProbabilities: d.leximin.numbers.map((number, i) => ({
          number,
          probability: d.leximin.probabilities[i]!,
        })),
        lottery: d.lottery,
        randomnessKind: d.randomnessKind,
        randomnessCommitment: d.randomnessCommitment,
        randomness: d.randomness,
        drawnIndex: d.drawnIndex,
        rule: 'lotteryDigest = SHA-256 of JSON.stringify(lottery); drawnIndex = SHA-256(lotteryDigest + "\\n" + randomness) read as a hexadecimal number, modulo panelCount; for secret_hash, SHA-256(randomness) = randomnessCommitment',
      }
    },
  )
}
