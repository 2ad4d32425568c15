/** The pages of Groupes Action Projet: a new group, a group with its members, actions and notes. */
import type { ComponentChildren } from 'preact'
import { formatDate, type MessageKey } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import {
  DraftOrPublish,
  ErrorSummary,
  Field,
  PostForm,
  type FieldErrors,
  type FormValues,
} from '../../../platform/layout/forms.tsx'
import { renderMarkdown } from '../../../platform/markdown.ts'
import { commitmentPath } from '../../plans/index.ts'
import type { actions, members, notes, GroupRow } from '../service.ts'

export const groupPath = (g: { id: string }) => `/groupes/${g.id}`

export function NewGroupPage({
  commitment,
  values,
  errors,
}: {
  commitment: { id: string; title: string }
  values: FormValues
  errors: FieldErrors
}) {
  const { t } = usePage()
  const labels = { title: t('group.field.title'), purpose: t('group.field.purpose') }
  return (
    <div class="narrow">
      <p class="kicker">
        <a href={commitmentPath(commitment)}>{commitment.title}</a>
      </p>
      <h1>{t('group.new')}</h1>
      <p>{t('group.lead')}</p>
      <ErrorSummary errors={errors} labels={labels} />
      <PostForm action={`/engagements/${commitment.id}/groupes`}>
        <Field name="title" label={labels.title} required maxLength={200} value={values.title} error={errors.title} />
        <Field
          name="purpose"
          label={labels.purpose}
          required
          multiline
          maxLength={10000}
          value={values.purpose}
          error={errors.purpose}
          hint="Markdown"
        />
        <button type="submit">{t('group.create')}</button>
      </PostForm>
    </div>
  )
}

export function GroupPage(props: {
  group: GroupRow
  memberList: Awaited<ReturnType<typeof members>>
  noteList: Awaited<ReturnType<typeof notes>>
  actionList: Awaited<ReturnType<typeof actions>>
  member: boolean
  signedIn: boolean
  values: FormValues
  errors: FieldErrors
  follow?: ComponentChildren
}) {
  const { t, locale } = usePage()
  const g = props.group
  const labels = {
    meetingDate: t('group.note.date'),
    body: t('group.note.body'),
    title: t('group.action.title'),
    ownerId: t('group.action.owner'),
    dueDate: t('group.action.due'),
  }
  return (
    <article>
      <p class="kicker">
        {t('group.title')}
        {g.commitmentTitle && (
          <>
            {' · '}
            <a href={commitmentPath({ id: g.commitmentId })}>{t('group.commitment', { title: g.commitmentTitle })}</a>
          </>
        )}
      </p>
      <h1>{g.title}</h1>
      {props.follow}
      <div class="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(g.purpose) }} />
      <p>{t('group.coordinator', { name: g.coordinatorName ?? '—' })}</p>
      {props.signedIn ? (
        <PostForm action={`${groupPath(g)}/adhesion`}>
          <input type="hidden" name="joined" value={props.member ? 'false' : 'true'} />
          <button type="submit">{props.member ? t('group.leave') : t('group.join')}</button>
        </PostForm>
      ) : (
        <p>
          <a href={`/connexion?next=${encodeURIComponent(groupPath(g))}`}>{t('group.signin')}</a>
        </p>
      )}
      <section aria-labelledby="members-title">
        <h2 id="members-title">{t('group.members', { count: props.memberList.length })}</h2>
        <ul>
          {props.memberList.map((m) => (
            <li>{m.name ?? t('consult.deletedAccount')}</li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="actions-title">
        <h2 id="actions-title">{t('group.actions')}</h2>
        {props.actionList.length === 0 ? (
          <p>{t('group.none')}</p>
        ) : (
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('group.action.title')}</th>
                  <th scope="col">{t('group.action.owner')}</th>
                  <th scope="col">{t('group.action.due')}</th>
                  <th scope="col">{t('group.action.set')}</th>
                </tr>
              </thead>
              <tbody>
                {props.actionList.map((a) => (
                  <tr>
                    <th scope="row">{a.title}</th>
                    <td>{a.ownerName ?? '—'}</td>
                    <td>{a.dueDate ? formatDate(locale, new Date(`${a.dueDate}T12:00:00Z`)) : '—'}</td>
                    <td>
                      {props.member ? (
                        <PostForm action={`/actions-groupe/${a.id}/etat`} class="inline-form">
                          <Field
                            name="status"
                            idPrefix={`status-${a.id}`}
                            label={t('group.action.set')}
                            value={a.status}
                            options={(['todo', 'doing', 'done'] as const).map((s) => ({
                              value: s,
                              label: t(`group.action.${s}`),
                            }))}
                          />
                          <button type="submit">{t('group.action.set')}</button>
                        </PostForm>
                      ) : (
                        t(`group.action.${a.status}` as MessageKey)
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {props.member && (
          <PostForm action={`${groupPath(g)}/actions`}>
            <ErrorSummary errors={props.errors} labels={labels} idPrefix="action" />
            <Field
              name="title"
              idPrefix="action"
              label={labels.title}
              maxLength={300}
              value={props.values.title}
              error={props.errors.title}
            />
            <Field
              name="ownerId"
              idPrefix="action"
              label={labels.ownerId}
              value={props.values.ownerId ?? ''}
              error={props.errors.ownerId}
              options={[
                { value: '', label: '—' },
                ...props.memberList.map((m) => ({ value: m.userId, label: m.name ?? '—' })),
              ]}
            />
            <Field
              name="dueDate"
              type="date"
              idPrefix="action"
              label={labels.dueDate}
              value={props.values.dueDate}
              error={props.errors.dueDate}
            />
            <button type="submit">{t('group.action.add')}</button>
          </PostForm>
        )}
      </section>
      <section aria-labelledby="notes-title">
        <h2 id="notes-title">{t('group.notes')}</h2>
        {props.noteList.length === 0 ? (
          <p>{t('group.none')}</p>
        ) : (
          props.noteList.map((n) => (
            <div class="card">
              <h3 class="card-title">{formatDate(locale, new Date(`${n.meetingDate}T12:00:00Z`))}</h3>
              {n.status === 'draft' && (
                <p class="notice">
                  {t('group.note.isDraft')}{' '}
                  <PostForm action={`/notes-groupe/${n.id}/publication`} class="inline-form">
                    <button type="submit">{t('group.note.publish')}</button>
                  </PostForm>
                </p>
              )}
              <div class="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(n.body) }} />
              <p class="meta">{n.authorName ?? t('consult.deletedAccount')}</p>
            </div>
          ))
        )}
        {props.member && (
          <PostForm action={`${groupPath(g)}/notes`}>
            <Field
              name="meetingDate"
              type="date"
              idPrefix="note"
              label={labels.meetingDate}
              value={props.values.meetingDate}
              error={props.errors.meetingDate}
            />
            <Field
              name="body"
              idPrefix="note"
              label={labels.body}
              multiline
              maxLength={50000}
              value={props.values.body}
              error={props.errors.body}
              hint="Markdown"
            />
            <DraftOrPublish draft={t('group.note.draft')} publish={t('group.note.publish')} />
          </PostForm>
        )}
      </section>
    </article>
  )
}
