import type { ComponentChildren } from 'preact'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { can } from '../../platform/auth/policy.ts'
import { AppError } from '../../platform/errors.ts'
import { FormBody, formValues, translateFieldErrors } from '../../platform/http/forms.ts'
import { normalizeDays } from '../../platform/http/rules.ts'
import { formatDate, type MessageKey } from '../../platform/i18n/index.ts'
import { usePage } from '../../platform/layout/context.ts'
import { ErrorSummary, Field, PostForm, type FieldErrors, type FormValues } from '../../platform/layout/forms.tsx'
import { renderMarkdown } from '../../platform/markdown.ts'
import { commitmentPath } from '../plans/index.ts'
import {
  actions,
  addAction,
  createGroup,
  findGroup,
  isGroupMember,
  members,
  notes,
  publishNote,
  setActionStatus,
  setMembership,
  writeNote,
  type GroupRow,
} from './groups.ts'
import { queryRows } from '../../platform/db/index.ts'
import { sql } from 'drizzle-orm'
import { followBox } from '../follows/index.ts'
import { DraftOrPublish } from './views.tsx'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
const groupPath = (g: { id: string }) => `/groupes/${g.id}`

function NewGroupPage({
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

function GroupPage(props: {
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

/** Groupes Action Projet: created on a commitment by the territory's staff, joined by anyone signed in. */
export default async function groupRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  async function commitmentOf(id: string) {
    const [row] = await queryRows<{ id: string; title: string; territoryId: string }>(
      db(),
      sql`select id, title, territory_id as "territoryId" from public_commitments where id = ${id}`,
    )
    if (!row) throw new AppError('NOT_FOUND', { status: 404, userMessage: 'Page introuvable.' })
    return row
  }

  app.get('/engagements/:id/groupes/nouveau', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    const actor = requireUser(req)
    const commitment = await commitmentOf(req.params.id)
    if (!can(actor, 'plan.edit', commitment.territoryId))
      throw new AppError('FORBIDDEN', { status: 403, userMessage: 'Réservé aux agents et élus du territoire.' })
    return reply.page(req.t('group.new'), <NewGroupPage commitment={commitment} values={{}} errors={{}} />)
  })
  app.post(
    '/engagements/:id/groupes',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const commitment = await commitmentOf(req.params.id)
      const values = formValues(req.body)
      try {
        const id = await createGroup(db(), actor, commitment.id, {
          title: values.title ?? '',
          purpose: values.purpose ?? '',
        })
        return reply.redirect(groupPath({ id }), 303)
      } catch (error) {
        if (error instanceof AppError && error.status === 422)
          return reply.page(
            req.t('group.new'),
            <NewGroupPage commitment={commitment} values={values} errors={translateFieldErrors(req.t, error.fields)} />,
            422,
          )
        throw error
      }
    },
  )

  async function render(
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    values: Record<string, string>,
    errors: Record<string, string>,
    status = 200,
  ) {
    const group = await findGroup(db(), id)
    const member = req.user ? await isGroupMember(db(), req.user.id, id) : false
    const [memberList, noteList, actionList] = await Promise.all([
      members(db(), id),
      notes(db(), id, member),
      actions(db(), id),
    ])
    return reply.page(
      group.title,
      <GroupPage
        group={group}
        memberList={memberList}
        noteList={noteList}
        actionList={actionList}
        member={member}
        signedIn={!!req.user}
        values={values}
        errors={errors}
        follow={await followBox(db(), req.user, 'group', group.id, groupPath(group))}
      />,
      status,
    )
  }

  app.get('/groupes/:id', { schema: { params: IdParams, hide: true } }, async (req, reply) =>
    render(req, reply, req.params.id, {}, {}),
  )

  app.post(
    '/groupes/:id/adhesion',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      await setMembership(db(), requireUser(req), req.params.id, formValues(req.body).joined !== 'false')
      return reply.redirect(groupPath(req.params), 303)
    },
  )
  app.post('/groupes/:id/notes', { schema: { params: IdParams, body: FormBody, hide: true } }, async (req, reply) => {
    const values = normalizeDays(formValues(req.body), 'meetingDate')
    try {
      await writeNote(db(), requireUser(req), req.params.id, {
        meetingDate: values.meetingDate ?? '',
        body: values.body ?? '',
        publish: values.intent === 'publish',
      })
    } catch (error) {
      if (error instanceof AppError && error.status === 422)
        return render(req, reply, req.params.id, values, translateFieldErrors(req.t, error.fields), 422)
      throw error
    }
    return reply.redirect(groupPath(req.params), 303)
  })
  app.post(
    '/notes-groupe/:id/publication',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const groupId = await publishNote(db(), requireUser(req), req.params.id)
      return reply.redirect(groupPath({ id: groupId }), 303)
    },
  )
  app.post('/groupes/:id/actions', { schema: { params: IdParams, body: FormBody, hide: true } }, async (req, reply) => {
    const values = normalizeDays(formValues(req.body), 'dueDate')
    try {
      await addAction(db(), requireUser(req), req.params.id, {
        title: values.title ?? '',
        ownerId: /^[0-9a-f-]{36}$/.test(values.ownerId ?? '') ? values.ownerId! : null,
        dueDate: values.dueDate || null,
      })
    } catch (error) {
      if (error instanceof AppError && error.status === 422)
        return render(req, reply, req.params.id, values, translateFieldErrors(req.t, error.fields), 422)
      throw error
    }
    return reply.redirect(groupPath(req.params), 303)
  })
  app.post(
    '/actions-groupe/:id/etat',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const status = formValues(req.body).status
      if (status !== 'todo' && status !== 'doing' && status !== 'done')
        throw new AppError('BAD_REQUEST', { status: 400, userMessage: 'État inconnu.' })
      const groupId = await setActionStatus(db(), requireUser(req), req.params.id, status)
      return reply.redirect(groupPath({ id: groupId }), 303)
    },
  )
}
