import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { assertCan } from '../../platform/auth/policy.ts'
import { FormBody, parseForm } from '../../platform/http/forms.ts'
import { asFormValues, commitmentRules, planRules } from './forms.ts'
import { IdParams, TerritoryRefParams, territoryFromParams } from './routes.public.tsx'
import { addCommitment, updateCommitment } from './commitments.ts'
import {
  createPlan,
  findCommitment,
  findPlan,
  PLAN_TRANSITIONS,
  transitionPlan,
  updatePlan,
  type CommitmentInput,
  type PlanInput,
  type PlanTransition,
} from './service.ts'
import { CommitmentFormPage, commitmentPath, PlanFormPage, planPath } from './views.tsx'
import { saveVersioned } from './forms.ts'

const TransitionBody = Type.Object(
  { _csrf: Type.Optional(Type.String()), transition: Type.Union(PLAN_TRANSITIONS.map((t) => Type.Literal(t))) },
  { additionalProperties: false },
)

/** Staff forms for plans and their commitments. Every page works without JavaScript. */
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
}
