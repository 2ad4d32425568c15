import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { assertCan } from '../../platform/auth/policy.ts'
import { AppError } from '../../platform/errors.ts'
import { FormBody, FormWithFileBody, formValues, parseForm } from '../../platform/http/forms.ts'
import { evidenceContentType, safeFilename } from '../../platform/storage.ts'
import { isMessageKey } from '../../platform/i18n/index.ts'
import { asFormValues, commitmentRules, milestoneRules, planRules, updateRules } from './forms.ts'
import { IdParams, TerritoryRefParams, territoryFromParams } from './routes.public.tsx'
import {
  addCommitment,
  addMilestone,
  deleteFromDraft,
  findMilestone,
  updateCommitment,
  updateMilestone,
} from './commitments.ts'
import {
  createPlan,
  findCommitment,
  findPlan,
  PLAN_TRANSITIONS,
  transitionPlan,
  updatePlan,
  type CommitmentInput,
  type MilestoneInput,
  type PlanInput,
  type PlanTransition,
  type UpdateInput,
} from './service.ts'
import { listCommitmentHistory, loadPlanTree } from './tree.ts'
import { postUpdate } from './updates.ts'
import {
  CommitmentFormPage,
  commitmentPath,
  MilestoneFormPage,
  PlanFormPage,
  planPath,
  UpdateFormPage,
} from './views.tsx'

const TransitionBody = Type.Object(
  { _csrf: Type.Optional(Type.String()), transition: Type.Union(PLAN_TRANSITIONS.map((t) => Type.Literal(t))) },
  { additionalProperties: false },
)

/** The version a form was opened on; a missing or garbled one counts as a conflict, never as "latest". */
function formVersion(body: unknown): number {
  const raw = formValues(body).version ?? ''
  return /^\d{1,9}$/.test(raw) ? Number(raw) : -1
}

interface VersionedForm {
  values: Record<string, string>
  errors: Record<string, string>
  version: number
  conflict?: Record<string, string>
}

/**
 * Saves an edit form opened on a given version. Invalid input re-renders with 422; if someone saved
 * first, the form comes back with 409, the person's own values, and the saved version beside them
 * (whose number the next save will carry). Returns null once saved.
 */
async function saveVersioned<T extends object>(
  req: FastifyRequest,
  rules: Parameters<typeof parseForm<T>>[0],
  save: (input: T, version: number) => Promise<unknown>,
  render: (form: VersionedForm, status: number) => FastifyReply,
): Promise<FastifyReply | null> {
  const version = formVersion(req.body)
  const parsed = parseForm<T>(rules, req.body, req.t)
  if (!parsed.ok) return render({ values: parsed.values, errors: parsed.errors, version }, 422)
  try {
    await save(parsed.data, version)
    return null
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'EDIT_CONFLICT') throw error
    const saved = error.details as Record<string, unknown> & { version: number }
    return render({ values: parsed.values, errors: {}, version: saved.version, conflict: asFormValues(saved) }, 409)
  }
}

/** Staff forms: plans, commitments, milestones and progress updates. Every page works without JavaScript. */
export default async function planStaffRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  // ——— plans ———
  app.get(
    '/territoires/:kind/:code/plans/nouveau',
    { schema: { params: TerritoryRefParams, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const territory = await territoryFromParams(db(), req.params)
      assertCan(actor, 'plan.edit', territory.id)
      return reply.page(
        req.t('plans.new'),
        <PlanFormPage title={req.t('plans.new')} action={`${territory.path}/plans/nouveau`} values={{}} errors={{}} />,
      )
    },
  )

  app.post(
    '/territoires/:kind/:code/plans/nouveau',
    { schema: { params: TerritoryRefParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const territory = await territoryFromParams(db(), req.params)
      assertCan(actor, 'plan.edit', territory.id)
      const parsed = parseForm<PlanInput>(planRules, req.body, req.t)
      if (!parsed.ok)
        return reply.page(
          req.t('plans.new'),
          <PlanFormPage
            title={req.t('plans.new')}
            action={`${territory.path}/plans/nouveau`}
            values={parsed.values}
            errors={parsed.errors}
          />,
          422,
        )
      const plan = await createPlan(db(), { actor, territoryId: territory.id, input: parsed.data })
      req.flash('notice', req.t('plans.saved'))
      return reply.redirect(planPath(plan), 303)
    },
  )

  app.get('/plans/:id/modifier', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    const actor = requireUser(req)
    const plan = await findPlan(db(), req.params.id)
    assertCan(actor, 'plan.edit', plan.territoryId)
    return reply.page(
      req.t('plans.edit'),
      <PlanFormPage
        title={req.t('plans.edit')}
        action={`${planPath(plan)}/modifier`}
        values={asFormValues(plan)}
        errors={{}}
        version={plan.version}
      />,
    )
  })

  app.post('/plans/:id/modifier', { schema: { params: IdParams, body: FormBody, hide: true } }, async (req, reply) => {
    const actor = requireUser(req)
    const plan = await findPlan(db(), req.params.id)
    assertCan(actor, 'plan.edit', plan.territoryId)
    const failed = await saveVersioned<PlanInput>(
      req,
      planRules,
      (input, version) => updatePlan(db(), { actor, planId: plan.id, version, input }),
      (form, status) =>
        reply.page(
          req.t('plans.edit'),
          <PlanFormPage title={req.t('plans.edit')} action={`${planPath(plan)}/modifier`} {...form} />,
          status,
        ),
    )
    if (failed) return failed
    req.flash('notice', req.t('plans.saved'))
    return reply.redirect(planPath(plan), 303)
  })

  app.post(
    '/plans/:id/etapes',
    { schema: { params: IdParams, body: TransitionBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const plan = await transitionPlan(db(), {
        actor,
        planId: req.params.id,
        transition: req.body.transition as PlanTransition,
      })
      req.flash(
        'notice',
        req.t('plans.transition.done', { status: req.t(`plans.status.${plan.status}` as 'plans.status.draft') }),
      )
      return reply.redirect(planPath(plan), 303)
    },
  )

  // ——— commitments ———
  app.get('/plans/:id/engagements/nouveau', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    const actor = requireUser(req)
    const plan = await findPlan(db(), req.params.id)
    assertCan(actor, 'plan.edit', plan.territoryId)
    return reply.page(
      req.t('plans.commitment.new'),
      <CommitmentFormPage
        title={req.t('plans.commitment.new')}
        action={`${planPath(plan)}/engagements/nouveau`}
        values={{}}
        errors={{}}
        publishedPlan={plan.status === 'published'}
      />,
    )
  })

  app.post(
    '/plans/:id/engagements/nouveau',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const plan = await findPlan(db(), req.params.id)
      assertCan(actor, 'plan.edit', plan.territoryId)
      const parsed = parseForm<CommitmentInput>(commitmentRules, req.body, req.t)
      if (!parsed.ok)
        return reply.page(
          req.t('plans.commitment.new'),
          <CommitmentFormPage
            title={req.t('plans.commitment.new')}
            action={`${planPath(plan)}/engagements/nouveau`}
            values={parsed.values}
            errors={parsed.errors}
            publishedPlan={plan.status === 'published'}
          />,
          422,
        )
      const commitment = await addCommitment(db(), { actor, planId: plan.id, input: parsed.data })
      req.flash('notice', req.t('plans.saved'))
      return reply.redirect(commitmentPath(commitment), 303)
    },
  )

  app.get('/engagements/:id/modifier', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    const actor = requireUser(req)
    const commitment = await findCommitment(db(), req.params.id)
    assertCan(actor, 'plan.edit', commitment.territoryId)
    return reply.page(
      req.t('plans.commitment.edit'),
      <CommitmentFormPage
        title={req.t('plans.commitment.edit')}
        action={`${commitmentPath(commitment)}/modifier`}
        values={asFormValues(commitment)}
        errors={{}}
        version={commitment.version}
      />,
    )
  })

  app.post(
    '/engagements/:id/modifier',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const commitment = await findCommitment(db(), req.params.id)
      assertCan(actor, 'plan.edit', commitment.territoryId)
      const failed = await saveVersioned<CommitmentInput>(
        req,
        commitmentRules,
        (input, version) => updateCommitment(db(), { actor, commitmentId: commitment.id, version, input }),
        (form, status) =>
          reply.page(
            req.t('plans.commitment.edit'),
            <CommitmentFormPage
              title={req.t('plans.commitment.edit')}
              action={`${commitmentPath(commitment)}/modifier`}
              {...form}
            />,
            status,
          ),
      )
      if (failed) return failed
      req.flash('notice', req.t('plans.saved'))
      return reply.redirect(commitmentPath(commitment), 303)
    },
  )

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
