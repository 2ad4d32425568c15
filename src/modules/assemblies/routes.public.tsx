import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { AppError, forbidden } from '../../platform/errors.ts'
import { assemblyInput } from './forms.ts'
import { secretQueryParam } from '../../platform/http/kernel.tsx'
import { FormBody, formValues, translateFieldErrors } from '../../platform/http/forms.ts'
import type { FieldErrors, FormValues } from '../../platform/layout/forms.tsx'
import { TerritoryRefParams, territoryOfPage } from '../territories/index.ts'
import { findDraw } from './draw.ts'
import { composition, listReplacements } from './members.ts'
import { groupsOfUser, listGroups, listHearings, listSessions } from './deliberation.ts'
import { fates } from './answers.ts'
import { draftProposal, listProposals } from './proposals.ts'
import { canManageAssembly, findAssembly, findVisibleAssembly, listAssemblies } from './service.ts'
import { listQuotas } from './quotas.ts'
import * as service from './service.ts'
import { AssemblyForm, AssemblyListPage, assemblyPath, proposalPath } from './views.tsx'
import { VolunteerConfirmed, VolunteerForm } from './views/volunteer.tsx'

import { AssemblyPage } from './views/assembly.tsx'
import { TransparencyPage } from './views/transparency.tsx'
import { type Registration, confirmVolunteer, registerVolunteer } from './volunteers.ts'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
const REGISTRATION_LIMIT = { max: 10, timeWindow: '1 minute' }

/** Citizens' assemblies read by everyone: lists, creation, the public page, the volunteer form, transparency. */
export default async function assemblyPublicRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

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
      const id = await service.createAssembly(db(), {
        actor: requireUser(req),
        territoryId,
        input: assemblyInput(values),
      })
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
        const id = await draftProposal(db(), {
          actor,
          groupId: values.groupId!,
          input: {
            title: values.title ?? '',
            body: values.body ?? '',
          },
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
    registration: Registration | null,
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
        const registration = await registerVolunteer(db(), {
          tokens: app.platform.tokens,
          assemblyId: req.params.id,
          input: {
            fullName: values.fullName ?? '',
            email: values.email?.trim() || null,
            phone: values.phone?.trim() || null,
            address: values.address?.trim() || null,
            features,
            consent: values.consent === 'true',
            locale: req.locale,
          },
          actorId: req.user?.id ?? null,
        })
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
      const result = await confirmVolunteer(db(), app.platform.tokens, secretQueryParam(req, 'jeton'))
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

  // ——— transparency (public) ———
  app.get('/assemblees/:id/transparence', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    const assembly = await findVisibleAssembly(db(), req.params.id, req.user)
    // once the assembly is known visible to the reader, the same for every reader between two writes
    const [rows, drawRow, replacements] = await app.platform.reads.read(`assemblies:transparency ${assembly.id}`, () =>
      Promise.all([composition(db(), assembly.id), findDraw(db(), assembly.id), listReplacements(db(), assembly.id)]),
    )
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
