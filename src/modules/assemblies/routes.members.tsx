import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { AppError } from '../../platform/errors.ts'
import { FormBody, formValues, translateFieldErrors } from '../../platform/http/forms.ts'
import type { FieldErrors, FormValues } from '../../platform/layout/forms.tsx'
import { commitmentsOfTerritory, openPlansOfTerritory } from '../plans/index.ts'
import { getTerritorySummaries, territoryPath } from '../territories/index.ts'
import * as deliberation from './deliberation.ts'
import * as answers from './answers.ts'
import * as proposals from './proposals.ts'
import * as votes from './votes.ts'
import { activePanelSize, memberOf } from './deliberation.ts'
import { canAnswer } from './answers.ts'
import { hasVoted } from './votes.ts'
import { findProposal, listAmendments, proposalOfVoteSubject } from './proposals.ts'
import { canManageAssembly, findVisibleAssembly } from './service.ts'
import { proposalPath } from './views.tsx'
import { ProposalPage } from './views/proposal.tsx'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
const VOTE_LIMIT = { max: 30, timeWindow: '1 minute' }

const uuidOrNull = (value: string | undefined) => (value && /^[0-9a-f-]{36}$/.test(value) ? value : null)

/** Proposals of an assembly: drafting, amendments, secret votes, and the decision-maker's answer. */
export default async function proposalRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  async function render(
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    form: string | null = null,
    values: FormValues = {},
    errors: FieldErrors = {},
    status = 200,
  ) {
    const proposal = await findProposal(db(), id)
    const assembly = await findVisibleAssembly(db(), proposal.assemblyId, req.user)
    const [amendments, member, myGroups, panelSize] = await Promise.all([
      listAmendments(db(), id),
      memberOf(db(), req.user?.id, assembly.id),
      deliberation.groupsOfUser(db(), assembly.id, req.user?.id),
      activePanelSize(db(), assembly.id),
    ])
    const inGroup = proposal.groupId !== null && myGroups.includes(proposal.groupId)
    const answerer = canAnswer(req.user, assembly)
    const [plans, commitments] =
      answerer && assembly.territoryId
        ? await Promise.all([
            openPlansOfTerritory(db(), assembly.territoryId),
            commitmentsOfTerritory(db(), assembly.territoryId),
          ])
        : [[], []]
    const voted = await hasVoted(db(), req.user?.id, [id, ...amendments.map((a) => a.id)])
    const [territory] =
      answerer && assembly.territoryId ? await getTerritorySummaries(db(), [assembly.territoryId]) : []
    const plansPath = territory ? `${territoryPath(territory)}/plans` : null
    return reply.page(
      proposal.title,
      <ProposalPage
        assembly={assembly}
        proposal={proposal}
        amendments={amendments}
        voted={voted}
        member={member !== null}
        inGroup={inGroup}
        manager={canManageAssembly(req.user, assembly.territoryId)}
        panelSize={panelSize}
        answerer={answerer}
        plans={plans}
        plansPath={plansPath}
        commitments={commitments}
        form={form}
        values={values}
        errors={errors}
      />,
      status,
    )
  }

  app.get('/propositions-assemblee/:id', { schema: { params: IdParams, hide: true } }, async (req, reply) =>
    render(req, reply, req.params.id),
  )

  /** Runs an action on a proposal, then back to its page (or the one it returns); a 409/422 is shown there. */
  async function act(
    req: FastifyRequest,
    reply: FastifyReply,
    proposalId: string | (() => Promise<string>),
    form: string,
    // biome-ignore lint/suspicious/noConfusingVoidType: the services that stay on the same proposal return nothing
    action: (actor: ReturnType<typeof requireUser>, values: Record<string, string>) => Promise<string | void>,
  ) {
    const actor = requireUser(req)
    const values = formValues(req.body)
    try {
      const target = (await action(actor, values)) ?? (typeof proposalId === 'string' ? proposalId : await proposalId())
      return reply.redirect(proposalPath({ id: target }), 303)
    } catch (error) {
      if (!(error instanceof AppError) || (error.status !== 409 && error.status !== 422)) throw error
      const id = typeof proposalId === 'string' ? proposalId : await proposalId()
      const errors = error.fields ? translateFieldErrors(req.t, error.fields) : { problem: error.messageIn(req.locale) }
      return render(req, reply, id, error.fields ? form : 'general', values, errors, error.status)
    }
  }

  app.post(
    '/propositions-assemblee/:id/modifier',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) =>
      act(req, reply, req.params.id, 'edit', (actor, v) =>
        proposals.editProposal(db(), {
          actor,
          proposalId: req.params.id,
          input: { title: v.title ?? '', body: v.body ?? '' },
        }),
      ),
  )
  app.post(
    '/propositions-assemblee/:id/amendements/ouverture',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) =>
      act(req, reply, req.params.id, 'general', (actor) => proposals.openAmendments(db(), actor, req.params.id)),
  )
  app.post(
    '/propositions-assemblee/:id/amendements',
    { schema: { params: IdParams, body: FormBody, hide: true }, config: { rateLimit: VOTE_LIMIT } },
    async (req, reply) =>
      act(req, reply, req.params.id, 'amend', (actor, v) =>
        proposals.proposeAmendment(db(), {
          actor,
          proposalId: req.params.id,
          input: { body: v.body ?? '', reason: v.reason ?? '' },
        }),
      ),
  )
  app.post(
    '/propositions-assemblee/:id/reponse',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) =>
      act(req, reply, req.params.id, 'answer', async (actor, v) => {
        await answers.answerProposal(db(), {
          actor,
          proposalId: req.params.id,
          input: {
            answer: v.answer ?? '',
            text: v.text ?? '',
            planId: uuidOrNull(v.planId),
            commitmentId: uuidOrNull(v.commitmentId),
          },
        })
        const answered = await findProposal(db(), req.params.id)
        if ((answered.answer === 'accepted' || answered.answer === 'modified') && !answered.commitmentId)
          req.flash('notice', req.t('assembly.answer.notCarried'))
      }),
  )

  app.post(
    '/votes-assemblee/:id/ouverture',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) =>
      act(
        req,
        reply,
        () => proposalOfVoteSubject(db(), req.params.id),
        `vote-${req.params.id}`,
        (actor, v) => {
          const typed = (v.quorumPercent ?? '').trim()
          return votes.openVote(db(), {
            actor,
            subjectId: req.params.id,
            quorumPercent: typed === '' ? undefined : /^\d{1,3}$/.test(typed) ? Number(typed) : NaN,
          })
        },
      ),
  )
  app.post(
    '/votes-assemblee/:id/bulletin',
    { schema: { params: IdParams, body: FormBody, hide: true }, config: { rateLimit: VOTE_LIMIT } },
    async (req, reply) =>
      act(
        req,
        reply,
        () => proposalOfVoteSubject(db(), req.params.id),
        'general',
        (actor, v) =>
          votes.castVote(db(), {
            ballots: app.platform.ballots,
            actor,
            subjectId: req.params.id,
            choice: v.choice ?? '',
          }),
      ),
  )
  app.post(
    '/votes-assemblee/:id/cloture',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) =>
      act(
        req,
        reply,
        () => proposalOfVoteSubject(db(), req.params.id),
        'general',
        (actor) => votes.closeVote(db(), { ballots: app.platform.ballots, actor, subjectId: req.params.id }),
      ),
  )
}
