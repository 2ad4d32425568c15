import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { AppError, forbidden } from '../../platform/errors.ts'
import { secretQueryParam } from '../../platform/http/kernel.tsx'
import { FormBody, FormWithFileBody, formValues, translateFieldErrors } from '../../platform/http/forms.ts'
import { normalizeDays } from '../../platform/http/rules.ts'
import type { FieldErrors, FormValues } from '../../platform/layout/forms.tsx'
import { TerritoryRefParams, territoryOfPage } from '../territories/index.ts'
import { composition, feasibility, findDraw, listMembers, listReplacements } from './draw.ts'
import { fates, groupsOfUser, listGroups, listHearings, listProposals, listSessions } from './deliberation.ts'
import {
  canManageAssembly,
  findAssembly,
  findVisibleAssembly,
  listAssemblies,
  listQuotas,
  listVolunteers,
  type QuotaRow,
} from './service.ts'
import * as service from './service.ts'
import * as draw from './draw.ts'
import * as deliberation from './deliberation.ts'
import { InstanceError, parseQuotas } from './sortition/instance.ts'
import {
  AssemblyForm,
  AssemblyListPage,
  assemblyPath,
  proposalPath,
  VolunteerConfirmed,
  VolunteerForm,
} from './views.tsx'
import { worded } from '../../platform/import/text.ts'

import { AssemblyPage } from './views/assembly.tsx'
import { OrganisationPage, POOL_PAGE_SIZE, type OrgState } from './views/organisation.tsx'
import { FeasibilityPage, TransparencyPage } from './views/transparency.tsx'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
const MemberParams = Type.Object({ id: Type.String({ format: 'uuid' }), member: Type.String({ format: 'uuid' }) })
const VolunteerParams = Type.Object({ id: Type.String({ format: 'uuid' }), number: Type.Integer({ minimum: 1 }) })
const GroupParams = Type.Object({ id: Type.String({ format: 'uuid' }), groupId: Type.String({ format: 'uuid' }) })
const REGISTRATION_LIMIT = { max: 10, timeWindow: '1 minute' }
/** volunteers per page of the pool on the organisers' page */
const PoolQuery = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })) })

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
