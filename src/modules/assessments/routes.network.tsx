import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { pickedValue, type PickerChoice } from '../../platform/layout/picker.tsx'
import { pickPerson } from '../accounts/index.ts'
import { Type } from 'typebox'
import { requireAdmin } from '../../platform/auth/current-user.ts'
import { AppError, notFound } from '../../platform/errors.ts'
import { FormBody, FormWithFileBody, formValues, translateFieldErrors } from '../../platform/http/forms.ts'
import { findPlan } from '../plans/index.ts'
import { appointReviewer, listReviewers, revokeReviewer } from './reviewers.ts'
import { importOgpRatings, RatingsRefused } from './import.ts'
import { deletePendingImport, loadPendingImport, savePendingImport } from '../../platform/import/pending.ts'
import { worded } from '../../platform/import/text.ts'
import { MAX_ROUTE_UPLOAD_BYTES } from '../../platform/http/limits.ts'
import { AppointPage, assessmentPagePath, ImportOgpPage, RatingsPreviewPage } from './views.tsx'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

const RevokeParams = Type.Object({ id: Type.String({ format: 'uuid' }), userId: Type.String({ format: 'uuid' }) })

/** The network's team: appointing reviewers, importing the ratings OGP's IRM published. */
export default async function assessmentNetworkRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  // ——— appointment (the network's team) ———
  async function appointPage(
    req: FastifyRequest,
    reply: FastifyReply,
    planId: string,
    values: Record<string, string>,
    errors: Record<string, string>,
    status = 200,
    choices: PickerChoice[] = [],
  ) {
    const plan = await findPlan(db(), planId)
    return reply.page(
      req.t('assess.reviewers'),
      <AppointPage
        plan={plan}
        reviewers={await listReviewers(db(), plan.id)}
        values={values}
        errors={errors}
        choices={choices}
      />,
      status,
    )
  }
  app.get('/plans/:id/evaluation/evaluateurs', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    requireAdmin(req)
    return appointPage(req, reply, req.params.id, {}, {})
  })
  app.post(
    '/plans/:id/evaluation/evaluateurs',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireAdmin(req)
      const values = formValues(req.body)
      const typed = pickedValue(values, 'email')
      const person = await pickPerson(db(), typed)
      if ('none' in person)
        return appointPage(req, reply, req.params.id, values, { email: req.t('picker.none', { q: typed }) }, 422)
      if ('choices' in person)
        return appointPage(req, reply, req.params.id, values, { email: req.t('picker.several') }, 422, person.choices)
      try {
        await appointReviewer(db(), { actor, planId: req.params.id, email: person.found.email })
      } catch (error) {
        if (error instanceof AppError && error.status === 422)
          return appointPage(req, reply, req.params.id, values, translateFieldErrors(req.t, error.fields), 422)
        throw error
      }
      req.flash('notice', req.t('assess.appointed'))
      return reply.redirect(`/plans/${req.params.id}/evaluation/evaluateurs`, 303)
    },
  )
  app.post(
    '/plans/:id/evaluation/evaluateurs/:userId/retrait',
    { schema: { params: RevokeParams, body: FormBody, hide: true } },
    async (req, reply) => {
      await revokeReviewer(db(), { actor: requireAdmin(req), planId: req.params.id, userId: req.params.userId })
      return reply.redirect(`/plans/${req.params.id}/evaluation/evaluateurs`, 303)
    },
  )

  // ——— ratings published by OGP's IRM (the network's team) ———
  // ——— the IRM's ratings, from OGP's sheet: upload, preview, confirmation (the file is kept in between) ———
  const RATINGS = 'ratings'
  const PendingParams = Type.Object({
    id: Type.String({ pattern: '^[0-9a-f-]{36}$' }),
    pending: Type.String({ pattern: '^[0-9a-f-]{36}$' }),
  })
  const NetworkPendingParams = Type.Object({ pending: Type.String({ pattern: '^[0-9a-f-]{36}$' }) })
  const uploadConfig = { uploadLimit: MAX_ROUTE_UPLOAD_BYTES }

  async function ratingsUpload(
    req: FastifyRequest,
    reply: FastifyReply,
    plan: { id: string; title: string; territoryId: string } | null,
  ) {
    const actor = requireAdmin(req)
    const action = plan ? `${assessmentPagePath(plan)}/import-ogp` : '/evaluations/import-ogp'
    const file = req.uploads?.find((u) => u.bytes.length > 0)
    const refused = (problems: string[], total?: number) =>
      reply.page(
        req.t('assess.importOgp'),
        <ImportOgpPage plan={plan} action={action} problems={problems} {...(total !== undefined ? { total } : {})} />,
        422,
      )
    if (!file) return refused([req.t('ref.import.noFile')])
    try {
      const outcome = await importOgpRatings(db(), {
        actor,
        bytes: file.bytes,
        name: file.filename,
        write: false,
        ...(plan ? { planId: plan.id } : {}),
      })
      const pending = await savePendingImport(db(), {
        territoryId: plan?.territoryId ?? null,
        userId: actor.id,
        kind: RATINGS,
        filename: file.filename,
        bytes: file.bytes,
        options: plan ? { planId: plan.id } : {},
      })
      return reply.page(
        req.t('assess.importOgp.preview'),
        <RatingsPreviewPage
          outcome={outcome}
          confirm={`${action}/${pending}/confirmer`}
          cancel={plan ? assessmentPagePath(plan) : '/reseau/evaluations'}
          warnings={outcome.warnings.map((w) => worded(req.t, w))}
        />,
      )
    } catch (error) {
      if (error instanceof RatingsRefused)
        return refused(
          error.problems.slice(0, 100).map((p) => worded(req.t, p)),
          error.problems.length,
        )
      throw error
    }
  }

  async function ratingsConfirm(
    req: FastifyRequest,
    reply: FastifyReply,
    pendingId: string,
    plan: { id: string } | null,
  ) {
    const actor = requireAdmin(req)
    const pending = await loadPendingImport(db(), pendingId, actor.id, RATINGS)
    if ((pending.options.planId ?? null) !== (plan?.id ?? null)) throw notFound()
    const outcome = await importOgpRatings(db(), {
      actor,
      bytes: pending.bytes,
      name: pending.filename,
      write: true,
      ...(plan ? { planId: plan.id } : {}),
    })
    await deletePendingImport(db(), pendingId)
    req.flash(
      'notice',
      req.t('assess.importOgp.done', {
        plans: outcome.plans.filter((p) => p.action === 'create' || p.action === 'erratum').length,
      }),
    )
    return reply.redirect(plan ? assessmentPagePath(plan) : '/reseau/evaluations', 303)
  }

  app.get('/plans/:id/evaluation/import-ogp', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    requireAdmin(req)
    const plan = await findPlan(db(), req.params.id)
    return reply.page(
      req.t('assess.importOgp'),
      <ImportOgpPage plan={plan} action={`${assessmentPagePath(plan)}/import-ogp`} problems={[]} />,
    )
  })
  app.post(
    '/plans/:id/evaluation/import-ogp',
    { schema: { params: IdParams, body: FormWithFileBody, hide: true }, config: uploadConfig },
    async (req, reply) => {
      requireAdmin(req)
      return ratingsUpload(req, reply, await findPlan(db(), req.params.id))
    },
  )
  app.post(
    '/plans/:id/evaluation/import-ogp/:pending/confirmer',
    { schema: { params: PendingParams, body: FormBody, hide: true } },
    async (req, reply) => ratingsConfirm(req, reply, req.params.pending, { id: req.params.id }),
  )
  app.get('/evaluations/import-ogp', { schema: { hide: true } }, async (req, reply) => {
    requireAdmin(req)
    return reply.page(
      req.t('assess.importOgp'),
      <ImportOgpPage plan={null} action="/evaluations/import-ogp" problems={[]} />,
    )
  })
  app.post(
    '/evaluations/import-ogp',
    { schema: { body: FormWithFileBody, hide: true }, config: uploadConfig },
    async (req, reply) => ratingsUpload(req, reply, null),
  )
  app.post(
    '/evaluations/import-ogp/:pending/confirmer',
    { schema: { params: NetworkPendingParams, body: FormBody, hide: true } },
    async (req, reply) => ratingsConfirm(req, reply, req.params.pending, null),
  )
}
