import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { assertCan } from '../../platform/auth/policy.ts'
import { AppError } from '../../platform/errors.ts'
import { FormBody, FormWithFileBody, parseForm } from '../../platform/http/forms.ts'
import { evidenceContentType, safeFilename } from '../../platform/storage.ts'
import { isMessageKey } from '../../platform/i18n/index.ts'
import { asFormValues, milestoneRules, updateRules } from './forms.ts'
import { IdParams } from './routes.public.tsx'
import { addMilestone, deleteFromDraft, findMilestone, updateMilestone } from './commitments.ts'
import { findCommitment, findPlan, type MilestoneInput, type UpdateInput } from './service.ts'
import { listCommitmentHistory, loadPlanTree } from './tree.ts'
import { postUpdate } from './updates.ts'
import { commitmentPath, MilestoneFormPage, planPath, UpdateFormPage } from './views.tsx'
import { saveVersioned } from './forms.ts'

/** Staff forms for milestones and progress updates, and corrections of an update. Every page works without JavaScript. */
export default async function planProgressRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  // ——— milestones ———
  app.get('/engagements/:id/jalons/nouveau', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    const actor = requireUser(req)
    const commitment = await findCommitment(db(), req.params.id)
    assertCan(actor, 'plan.edit', commitment.territoryId)
    return reply.page(
      req.t('plans.milestone.new'),
      <MilestoneFormPage
        title={req.t('plans.milestone.new')}
        action={`${commitmentPath(commitment)}/jalons/nouveau`}
        values={{}}
        errors={{}}
      />,
    )
  })

  app.post(
    '/engagements/:id/jalons/nouveau',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const commitment = await findCommitment(db(), req.params.id)
      assertCan(actor, 'plan.edit', commitment.territoryId)
      const parsed = parseForm<MilestoneInput>(milestoneRules, req.body, req.t)
      if (!parsed.ok)
        return reply.page(
          req.t('plans.milestone.new'),
          <MilestoneFormPage
            title={req.t('plans.milestone.new')}
            action={`${commitmentPath(commitment)}/jalons/nouveau`}
            values={parsed.values}
            errors={parsed.errors}
          />,
          422,
        )
      await addMilestone(db(), { actor, commitmentId: commitment.id, input: parsed.data })
      req.flash('notice', req.t('plans.saved'))
      return reply.redirect(commitmentPath(commitment), 303)
    },
  )

  app.get('/jalons/:id/modifier', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    const actor = requireUser(req)
    const milestone = await findMilestone(db(), req.params.id)
    assertCan(actor, 'plan.edit', milestone.territoryId)
    return reply.page(
      req.t('plans.milestone.editTitle'),
      <MilestoneFormPage
        title={req.t('plans.milestone.editTitle')}
        action={`/jalons/${milestone.id}/modifier`}
        values={asFormValues(milestone)}
        errors={{}}
        version={milestone.version}
      />,
    )
  })

  app.post('/jalons/:id/modifier', { schema: { params: IdParams, body: FormBody, hide: true } }, async (req, reply) => {
    const actor = requireUser(req)
    const milestone = await findMilestone(db(), req.params.id)
    assertCan(actor, 'plan.edit', milestone.territoryId)
    const failed = await saveVersioned<MilestoneInput>(
      req,
      milestoneRules,
      (input, version) => updateMilestone(db(), { actor, milestoneId: milestone.id, version, input }),
      (form, status) =>
        reply.page(
          req.t('plans.milestone.editTitle'),
          <MilestoneFormPage
            title={req.t('plans.milestone.editTitle')}
            action={`/jalons/${milestone.id}/modifier`}
            {...form}
          />,
          status,
        ),
    )
    if (failed) return failed
    req.flash('notice', req.t('plans.saved'))
    return reply.redirect(commitmentPath({ id: milestone.commitmentId }), 303)
  })

  app.post(
    '/engagements/:id/supprimer',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const { planId } = await deleteFromDraft(db(), { actor, commitmentId: req.params.id })
      req.flash('notice', req.t('plans.deleted'))
      return reply.redirect(planPath({ id: planId }), 303)
    },
  )

  app.post(
    '/jalons/:id/supprimer',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const { commitmentId } = await deleteFromDraft(db(), { actor, milestoneId: req.params.id })
      req.flash('notice', req.t('plans.deleted'))
      return reply.redirect(commitmentPath({ id: commitmentId }), 303)
    },
  )

  // ——— progress updates and corrections ———
  async function updateForm(
    req: FastifyRequest,
    reply: FastifyReply,
    commitmentId: string,
    values: Record<string, string>,
    errors: Record<string, string>,
    status = 200,
  ) {
    const commitment = await findCommitment(db(), commitmentId)
    const plan = await findPlan(db(), commitment.planId)
    const [tree, entries] = await Promise.all([loadPlanTree(db(), plan), listCommitmentHistory(db(), commitment.id)])
    const view = tree.commitments.find((c) => c.id === commitment.id)!
    return reply.page(
      req.t('plans.update.new'),
      <UpdateFormPage
        title={`${req.t('plans.update.new')} : ${commitment.title}`}
        action={`${commitmentPath(commitment)}/avancement`}
        commitment={view}
        milestones={view.milestones}
        entries={entries.filter((e) => e.kind !== 'revision')}
        values={values}
        errors={errors}
      />,
      status,
    )
  }

  app.get(
    '/engagements/:id/avancement',
    {
      schema: {
        params: IdParams,
        querystring: Type.Object({ corrige: Type.Optional(Type.String({ format: 'uuid' })) }),
        hide: true,
      },
    },
    async (req, reply) => {
      const actor = requireUser(req)
      const commitment = await findCommitment(db(), req.params.id)
      assertCan(actor, 'plan.report', commitment.territoryId)
      return updateForm(req, reply, commitment.id, req.query.corrige ? { correctsId: req.query.corrige } : {}, {})
    },
  )

  app.post(
    '/engagements/:id/avancement',
    { schema: { params: IdParams, body: FormWithFileBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const commitment = await findCommitment(db(), req.params.id)
      assertCan(actor, 'plan.report', commitment.territoryId)
      const parsed = parseForm<UpdateInput>(updateRules, req.body, req.t)
      const upload = req.uploads?.find((u) => u.field === 'file' && u.bytes.length > 0)
      const contentType = upload ? evidenceContentType(upload.filename, upload.bytes) : null
      if (!parsed.ok || (upload && !contentType)) {
        const errors = parsed.ok ? {} : parsed.errors
        if (upload && !contentType) errors.file = req.t('plans.error.file')
        return updateForm(req, reply, commitment.id, parsed.values, errors, 422)
      }
      const files =
        upload && contentType
          ? [
              {
                sha256: await app.platform.files.put(upload.bytes),
                filename: safeFilename(upload.filename),
                contentType,
                sizeBytes: upload.bytes.length,
              },
            ]
          : []
      try {
        await postUpdate(db(), { actor, commitmentId: commitment.id, input: parsed.data, files })
      } catch (error) {
        if (error instanceof AppError && error.fields) {
          const errors = Object.fromEntries(
            Object.entries(error.fields).map(([field, key]) => [field, isMessageKey(key) ? req.t(key) : key]),
          )
          return updateForm(req, reply, commitment.id, parsed.values, errors, 422)
        }
        throw error
      }
      req.flash('notice', req.t('plans.update.posted'))
      return reply.redirect(commitmentPath(commitment), 303)
    },
  )
}
