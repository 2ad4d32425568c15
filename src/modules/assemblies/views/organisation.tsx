/** The organisers' page of an assembly: settings, recruitment, the pool, the draw, members and deliberation. */
import { Table } from '../../../platform/layout/table.tsx'
import { formatDate, type MessageKey } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import { ErrorSummary, Field, Pagination, PostForm } from '../../../platform/layout/forms.tsx'
import type { DrawRow } from '../draw.ts'
import type { MemberRow } from '../members.ts'
import type { listSessions, GroupRow } from '../deliberation.ts'
import type { AssemblyRow, QuotaRow } from '../service.ts'
import type { VolunteerRow } from '../volunteers.ts'
import { DeliberationSection } from './organisation-deliberation.tsx'
import { orgForms, type OrgState } from './organisation-forms.ts'
import { AssemblyForm, assemblyPath, QuotaEditor, Section, UploadForm } from '../views.tsx'

/** Volunteers a page of the pool lists. */
export const POOL_PAGE_SIZE = 500

export function OrganisationPage(props: {
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
  const { errorsOf, valuesOf, fieldsOf } = orgForms(s)
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
      <DeliberationSection
        assembly={a}
        sessions={props.sessions}
        groups={props.groups}
        hasMembers={props.members.length > 0}
        state={s}
      />
      {a.reportPublishedAt && <p class="meta">{formatDate(locale, new Date(a.reportPublishedAt))}</p>}
    </article>
  )
}
