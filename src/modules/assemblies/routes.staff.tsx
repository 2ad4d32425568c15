import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { AppError, notFound } from '../../platform/errors.ts'
import { assemblyInput } from './forms.ts'
import { FormBody, FormWithFileBody, formValues } from '../../platform/http/forms.ts'
import { isUuid } from '../../platform/http/rules.ts'
import { feasibility } from './draw.ts'
import type { QuotaRow } from './service.ts'
import * as service from './service.ts'
import * as draw from './draw.ts'
import { InstanceError, parseQuotas } from './sortition/instance.ts'
import { assemblyPath } from './views.tsx'
import { worded } from '../../platform/import/text.ts'
import proposalImportRoutes from './routes.import.tsx'
import assemblyDeliberationRoutes from './routes.deliberation.tsx'
import { organiserActions, statusOf } from './organiser-actions.tsx'

import { FeasibilityPage } from './views/transparency.tsx'
import { drawReplacement, dropMember, linkMemberAccount } from './members.ts'
import { confirmVolunteerByOrganiser, withdrawVolunteer } from './volunteers.ts'
import { importVolunteers } from './volunteer-import.ts'
import { QuotaProblems, quotasFromShares, saveQuotas } from './quotas.ts'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
const MemberParams = Type.Object({ id: Type.String({ format: 'uuid' }), member: Type.String({ format: 'uuid' }) })
const VolunteerParams = Type.Object({ id: Type.String({ format: 'uuid' }), number: Type.Integer({ minimum: 1 }) })
/** volunteers per page of the pool on the organisers' page */
const PoolQuery = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })) })

/**
 * The organisers' area of an assembly: every route names it as `:id`, and one hook admits only its organisers
 * (the territory's staff, or the network's administrators for the State's assemblies) before any body is read,
 * so a route added here cannot be left open by a forgotten check. The services check again.
 */
export default async function assemblyStaffRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  const { managed, renderOrg, orgAction, orgPost } = organiserActions(app)
  app.addHook('onRequest', async (req) => {
    const { id } = req.params as { id?: string }
    if (!id || !isUuid(id)) throw notFound()
    await managed(req, id)
  })
  await app.register(proposalImportRoutes)
  await app.register(assemblyDeliberationRoutes)

  // ——— organisers ———
  app.get(
    '/assemblees/:id/organisation',
    { schema: { params: IdParams, querystring: PoolQuery, hide: true } },
    async (req, reply) => renderOrg(req, reply, req.params.id, { page: req.query.page }),
  )

  orgPost('/assemblees/:id/reglages', IdParams, 'settings', (actor, values, p) =>
    service.updateAssembly(db(), { actor, assemblyId: p.id, input: assemblyInput(values) }),
  )
  orgPost(
    '/assemblees/:id/recrutement',
    IdParams,
    'recruitment',
    (actor, values, p) =>
      service.setRecruitment(db(), {
        actor,
        assemblyId: p.id,
        phase: values.phase === 'closed' ? 'closed' : 'recruiting',
      }),
    '#recruitment-title',
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
          const computed = quotasFromShares(
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
          await saveQuotas(db(), {
            actor: requireUser(req),
            assemblyId: req.params.id,
            quotas: rows.map((r) => ({
              category: r.category,
              feature: r.feature,
              populationShare: r.share === '' ? null : Number(r.share),
              min: Number(r.min),
              max: Number(r.max),
            })),
          })
          return reply.redirect(`${assemblyPath(req.params)}/organisation#quotas-title`, 303)
        } catch (error) {
          if (error instanceof QuotaProblems) problems.push(...error.problems)
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
          await saveQuotas(db(), { actor: requireUser(req), assemblyId: assembly.id, quotas })
          return reply.redirect(`${assemblyPath(assembly)}/organisation#quotas-title`, 303)
        } catch (error) {
          if (error instanceof QuotaProblems) problems.push(...error.problems)
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
          const { imported, alreadyInPool } = await importVolunteers(db(), {
            actor,
            assemblyId: req.params.id,
            file: file.bytes,
            t: req.t,
          })
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
  orgPost(
    '/assemblees/:id/volontaires/:number/confirmation',
    VolunteerParams,
    'pool',
    (actor, _values, p) => confirmVolunteerByOrganiser(db(), { actor, assemblyId: p.id, number: p.number }),
    '#pool-title',
  )
  orgPost(
    '/assemblees/:id/volontaires/:number/retrait',
    VolunteerParams,
    'pool',
    (actor, _values, p) => withdrawVolunteer(db(), { actor, assemblyId: p.id, number: p.number }),
    '#pool-title',
  )
  app.get('/assemblees/:id/faisabilite', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    const assembly = await managed(req, req.params.id)
    return reply.page(
      req.t('assembly.feas.title'),
      <FeasibilityPage assembly={assembly} result={await feasibility(db(), assembly.id)} />,
    )
  })
  orgPost(
    '/assemblees/:id/tirage/preparation',
    IdParams,
    'draw',
    (actor, values, p) =>
      draw.prepareDraw(db(), {
        actor,
        assemblyId: p.id,
        panelCount: /^\d{1,6}$/.test(values.panelCount ?? '') ? Number(values.panelCount) : NaN,
      }),
    '#draw-title',
    { rateLimit: { max: 5, timeWindow: '1 minute' } },
  )
  orgPost(
    '/assemblees/:id/tirage/engagement',
    IdParams,
    'commit',
    (actor, values, p) =>
      draw.commitRandomness(db(), {
        actor,
        assemblyId: p.id,
        input: {
          kind: values.kind ?? '',
          commitment: values.commitment ?? '',
        },
      }),
    '#draw-title',
  )
  orgPost(
    '/assemblees/:id/tirage/revelation',
    IdParams,
    'reveal',
    (actor, values, p) => draw.revealAndDraw(db(), { actor, assemblyId: p.id, rawRandomness: values.randomness ?? '' }),
    '#members-title',
  )
  orgPost(
    '/assemblees/:id/membres/:member/depart',
    MemberParams,
    'members',
    (actor, values, p) => dropMember(db(), { actor, memberId: p.member, reason: values.reason ?? '' }),
    '#members-title',
  )
  orgPost(
    '/assemblees/:id/membres/:member/remplacement',
    MemberParams,
    'members',
    (actor, _values, p) => drawReplacement(db(), actor, p.member),
    '#members-title',
  )
  orgPost(
    '/assemblees/:id/membres/:member/compte',
    MemberParams,
    'link',
    (actor, values, p) => linkMemberAccount(db(), { actor, memberId: p.member, email: values.email ?? '' }),
    '#members-title',
  )
}
