/** What every organisers' route of an assembly shares: the organisation page, and a form that runs an action then returns to it. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { TSchema } from 'typebox'
import { requireUser, type CurrentUser } from '../../platform/auth/current-user.ts'
import { AppError, forbidden } from '../../platform/errors.ts'
import { FormBody, formValues, translateFieldErrors } from '../../platform/http/forms.ts'
import { findDraw } from './draw.ts'
import { listMembers } from './members.ts'
import { listGroups, listSessions } from './deliberation.ts'
import { canManageAssembly, findAssembly } from './service.ts'
import { listVolunteers } from './volunteers.ts'
import { listQuotas } from './quotas.ts'
import { assemblyPath } from './views.tsx'

import { OrganisationPage, POOL_PAGE_SIZE } from './views/organisation.tsx'
import type { OrgState } from './views/organisation-forms.ts'

/** A 4xx the organisers' page shows beside the form concerned; anything else goes on as an error. */
export const statusOf = (error: unknown) =>
  error instanceof AppError && error.status >= 400 && error.status < 500 && error.status !== 403 && error.status !== 404
    ? error.status
    : null

type OrgParams = { id: string; member: string; number: number; groupId: string }
type PerParams = string | ((params: OrgParams) => string)

/** The organisers' page and form actions, registered on `app` (a plugin behind the organisers' hook). */
export function organiserActions(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  async function managed(req: FastifyRequest, id: string) {
    const assembly = await findAssembly(db(), id)
    if (!canManageAssembly(requireUser(req), assembly.territoryId))
      throw forbidden('Réservé aux organisateurs de cette assemblée.')
    return assembly
  }

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

  /** Runs an organiser's action, then back to the organisation page; a 4xx is shown on it beside the form concerned. */
  async function orgAction(
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    form: string,
    action: (actor: CurrentUser, values: Record<string, string>) => Promise<unknown>,
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

  /** An organiser's form posted to `path`: `run`, then back to the organisation page at `anchor`. */
  function orgPost(
    path: string,
    params: TSchema,
    form: PerParams,
    run: (actor: CurrentUser, values: Record<string, string>, params: OrgParams) => Promise<unknown>,
    anchor: PerParams = '',
    config: { rateLimit?: { max: number; timeWindow: string } } = {},
  ) {
    const named = (value: PerParams, p: OrgParams) => (typeof value === 'string' ? value : value(p))
    typed.post(path, { schema: { params, body: FormBody, hide: true }, config }, async (req, reply) => {
      const p = req.params as OrgParams
      return orgAction(req, reply, p.id, named(form, p), (actor, values) => run(actor, values, p), named(anchor, p))
    })
  }
  return { managed, renderOrg, orgAction, orgPost }
}
