import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { can } from '../../platform/auth/policy.ts'
import { AppError, forbidden } from '../../platform/errors.ts'
import { FormBody, formValues, translateFieldErrors } from '../../platform/http/forms.ts'
import { normalizeDays } from '../../platform/http/rules.ts'
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
} from './service.ts'
import { followBox } from '../follows/index.ts'
import { publicCommitmentsByIds } from '../plans/index.ts'
import { groupPath, NewGroupPage, GroupPage } from './views/groups.tsx'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

/** Groupes Action Projet: created on a commitment by the territory's staff, joined by anyone signed in. */
export default async function groupRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  async function commitmentOf(id: string) {
    const [row] = await publicCommitmentsByIds(db(), [id])
    if (!row) throw new AppError('NOT_FOUND', { status: 404, userMessage: 'Page introuvable.' })
    return row
  }

  app.get('/engagements/:id/groupes/nouveau', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    const actor = requireUser(req)
    const commitment = await commitmentOf(req.params.id)
    if (!can(actor, 'plan.edit', commitment.territoryId)) throw forbidden('Réservé aux agents et élus du territoire.')
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
        const id = await createGroup(db(), {
          actor,
          commitmentId: commitment.id,
          input: {
            title: values.title ?? '',
            purpose: values.purpose ?? '',
          },
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
      await setMembership(db(), {
        actor: requireUser(req),
        groupId: req.params.id,
        joined: formValues(req.body).joined !== 'false',
      })
      return reply.redirect(groupPath(req.params), 303)
    },
  )
  app.post('/groupes/:id/notes', { schema: { params: IdParams, body: FormBody, hide: true } }, async (req, reply) => {
    const values = normalizeDays(formValues(req.body), 'meetingDate')
    try {
      await writeNote(db(), {
        actor: requireUser(req),
        groupId: req.params.id,
        input: {
          meetingDate: values.meetingDate ?? '',
          body: values.body ?? '',
          publish: values.intent === 'publish',
        },
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
      const groupId = await publishNote(db(), { actor: requireUser(req), noteId: req.params.id })
      return reply.redirect(groupPath({ id: groupId }), 303)
    },
  )
  app.post('/groupes/:id/actions', { schema: { params: IdParams, body: FormBody, hide: true } }, async (req, reply) => {
    const values = normalizeDays(formValues(req.body), 'dueDate')
    try {
      await addAction(db(), {
        actor: requireUser(req),
        groupId: req.params.id,
        input: {
          title: values.title ?? '',
          ownerId: /^[0-9a-f-]{36}$/.test(values.ownerId ?? '') ? values.ownerId! : null,
          dueDate: values.dueDate || null,
        },
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
      const groupId = await setActionStatus(db(), { actor: requireUser(req), actionId: req.params.id, status })
      return reply.redirect(groupPath({ id: groupId }), 303)
    },
  )
}
