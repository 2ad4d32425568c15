import { formatNumber, type MessageKey } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import { ErrorSummary, Field, PostForm, type FieldErrors, type FormValues } from '../../../platform/layout/forms.tsx'
import { commitmentPath } from '../../plans/index.ts'
import type { fates } from '../answers.ts'
import type { listGroups, listHearings, listSessions } from '../deliberation.ts'
import type { ProposalRow } from '../proposals.ts'
import type { AssemblyRow } from '../service.ts'
import { assemblyPath, DateRange, Markdown, proposalPath, Section } from '../views.tsx'

type Fates = ReturnType<typeof fates>

export function AssemblyPage(props: {
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
