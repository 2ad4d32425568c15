/** The organisers' deliberation section: sessions, hearings, working groups and the final report. */
import { usePage } from '../../../platform/layout/context.ts'
import { ErrorSummary, Field, PostForm } from '../../../platform/layout/forms.tsx'
import type { listSessions, GroupRow } from '../deliberation.ts'
import type { AssemblyRow } from '../service.ts'
import { assemblyPath, Section } from '../views.tsx'
import { orgForms, type OrgState } from './organisation-forms.ts'

export function DeliberationSection(props: {
  assembly: AssemblyRow
  sessions: Awaited<ReturnType<typeof listSessions>>
  groups: GroupRow[]
  hasMembers: boolean
  state: OrgState
}) {
  const { t } = usePage()
  const a = props.assembly
  const s = props.state
  const { errorsOf, valuesOf, fieldsOf } = orgForms(s)
  const sessionOptions = [{ value: '', label: '—' }, ...props.sessions.map((x) => ({ value: x.id, label: x.title }))]
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
  return (
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
      {props.hasMembers && (
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
  )
}
