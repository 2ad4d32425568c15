import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { getTableName } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { can } from '../../platform/auth/policy.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import type { Db } from '../../platform/db/index.ts'
import { notFound } from '../../platform/errors.ts'
import { publicName } from '../accounts/index.ts'
import { findTerritoryByRef, getTerritorySummaries, territoryPath } from '../territories/index.ts'
import { recentHistoryCheck } from './history.ts'
import { commitmentVerdicts, listHistoryWithNames } from './queries.ts'
import { findCommitment, PLAN_TRANSITIONS, type PlanTransition } from './service.ts'
import { findPublicEvidence, getVisiblePlan, listPlans, loadPlanTree } from './tree.ts'
import { commitments, type PlanRow } from './tables.ts'
import { CommitmentPage, PlanListPage, PlanPage, planPath, type HistoryEntryView } from './views.tsx'
import { followBox } from '../follows/index.ts'
import { SuggestQuery } from '../../platform/http/forms.ts'
import { PickerSuggestions } from '../../platform/layout/picker.tsx'
import { suggestPublicCommitments } from './pick.ts'

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
export const TerritoryRefParams = Type.Object({
  kind: Type.String({ pattern: '^[a-z]{4,12}$' }),
  code: Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$' }),
})
const DashboardQuery = Type.Object({
  theme: Type.Optional(Type.String({ maxLength: 60 })),
  status: Type.Optional(Type.String({ maxLength: 20 })),
  lead: Type.Optional(Type.String({ maxLength: 300 })),
})

/** The territory a plan belongs to, as pages name and link it. */
export async function territoryOf(db: Db, territoryId: string) {
  const [territory] = await getTerritorySummaries(db, [territoryId])
  if (!territory) throw notFound()
  return { id: territory.id, name: territory.name, path: territoryPath(territory) }
}

/** The territory named in the URL (kind/code), or 404. */
export async function territoryFromParams(db: Db, params: { kind: string; code: string }) {
  const territory = await findTerritoryByRef(db, `${params.kind}/${params.code}`)
  if (!territory) throw notFound()
  return { id: territory.id, name: territory.name, path: territoryPath(territory) }
}

/** Which steps of the plan's life this person may take now. */
export function allowedTransitions(plan: PlanRow, actor: CurrentUser | null): PlanTransition[] {
  const edit = can(actor, 'plan.edit', plan.territoryId)
  const validate = can(actor, 'plan.validate', plan.territoryId)
  const possible: Record<PlanTransition, boolean> = {
    submit: edit && plan.status === 'draft',
    return: validate && (plan.status === 'submitted' || plan.status === 'validated'),
    validate: validate && plan.status === 'submitted',
    publish: edit && plan.status === 'validated',
    close: edit && plan.status === 'published',
  }
  return PLAN_TRANSITIONS.filter((t) => possible[t])
}

/** Public pages: a territory's plans and dashboard, each plan, each commitment with its history. */
export default async function planPublicRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db
  // what these pages show is the same for every reader between two writes; who may see the plan is checked first
  const reads = app.platform.reads

  app.get(
    '/territoires/:kind/:code/plans',
    { schema: { params: TerritoryRefParams, hide: true } },
    async (req, reply) => {
      const territory = await territoryFromParams(db(), req.params)
      const plans = await listPlans(db(), { territoryId: territory.id, actor: req.user })
      return reply.page(
        `${req.t('plans.title')} – ${territory.name}`,
        <PlanListPage territory={territory} plans={plans} canEdit={can(req.user, 'plan.edit', territory.id)} />,
      )
    },
  )

  // The dashboard of a territory is its current plan: the latest published (or closed) one.
  app.get(
    '/territoires/:kind/:code/tableau-de-bord',
    { schema: { params: TerritoryRefParams, hide: true } },
    async (req, reply) => {
      const territory = await territoryFromParams(db(), req.params)
      const plans = await listPlans(db(), { territoryId: territory.id, actor: null })
      const current = plans[0]
      if (!current) return reply.redirect(`${territory.path}/plans`, 303)
      return reply.redirect(planPath(current), 303)
    },
  )

  app.get(
    '/plans/:id',
    { schema: { params: IdParams, querystring: DashboardQuery, hide: true } },
    async (req, reply) => {
      const plan = await getVisiblePlan(db(), { planId: req.params.id, actor: req.user, reads })
      const { territory, tree, chain, verdicts } = await reads.read(`plans:dashboard ${plan.id}`, async () => {
        const [territory, tree, chain] = await Promise.all([
          territoryOf(db(), plan.territoryId),
          loadPlanTree(db(), plan),
          recentHistoryCheck(db(), plan.territoryId),
        ])
        const verdicts = await commitmentVerdicts(
          db(),
          tree.commitments.map((c) => c.id),
        )
        return { territory, tree, chain, verdicts }
      })
      const filters = { theme: req.query.theme ?? '', status: req.query.status ?? '', lead: req.query.lead ?? '' }
      return reply.page(
        plan.title,
        <PlanPage
          territory={territory}
          plan={plan}
          commitments={tree.commitments}
          progress={tree.progress}
          today={tree.today}
          filters={filters}
          chain={
            chain.ok
              ? { ok: true, entries: chain.entries, at: chain.at }
              : { ok: false, entries: chain.entries, brokenAt: chain.brokenAt, at: chain.at }
          }
          staff={{
            canEdit: can(req.user, 'plan.edit', plan.territoryId),
            canValidate: can(req.user, 'plan.validate', plan.territoryId),
            transitions: allowedTransitions(plan, req.user),
          }}
          verdicts={verdicts}
        />,
      )
    },
  )

  // Evidence files: only those a public entry cites; sent as downloads, never rendered by the browser as
  // a page of this site (a sandboxing CSP besides), so that an uploaded file cannot act as the platform.
  app.get('/fichiers/:id', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    const file = await findPublicEvidence(db(), req.params.id)
    const stream = file ? app.platform.files.open(file.sha256) : null
    if (!file || !stream) throw notFound()
    return reply
      .type(file.content_type)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
      .header('content-security-policy', "sandbox; default-src 'none'")
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('digest', `sha-256=${Buffer.from(file.sha256, 'hex').toString('base64')}`)
      .send(stream)
  })

  // a commitment picker's suggestions as a person types (public commitments only)
  app.get('/engagements/suggestions', { schema: { querystring: SuggestQuery, hide: true } }, async (req, reply) => {
    const text = Object.values(req.query).find((value) => value.trim() !== '') ?? ''
    return reply.fragment(<PickerSuggestions choices={await suggestPublicCommitments(db(), text)} />)
  })

  app.get('/engagements/:id', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    const commitment = await reads.read(
      `plans:commitment-row ${req.params.id}`,
      () => findCommitment(db(), req.params.id),
      {
        tables: [getTableName(commitments)],
      },
    )
    const plan = await getVisiblePlan(db(), { planId: commitment.planId, actor: req.user, reads })
    const [territory, tree, rows, attached, chain, verdicts] = await reads.read(
      `plans:commitment ${commitment.id}`,
      () =>
        Promise.all([
          territoryOf(db(), plan.territoryId),
          loadPlanTree(db(), plan),
          listHistoryWithNames(db(), commitment.id),
          app.platform.resources.attachedTo(db(), 'commitment', commitment.id),
          recentHistoryCheck(db(), plan.territoryId),
          commitmentVerdicts(db(), [commitment.id]),
        ]),
    )
    const view = tree.commitments.find((c) => c.id === commitment.id)!
    const seqById = new Map(rows.map((r) => [r.entry.id, r.entry.seq]))
    const history: HistoryEntryView[] = rows.map((r) => ({
      id: r.entry.id,
      seq: r.entry.seq,
      kind: r.entry.kind,
      milestoneTitle: r.milestoneTitle,
      correctsSeq: r.entry.correctsId ? (seqById.get(r.entry.correctsId) ?? null) : null,
      correctedBySeq: rows.filter((o) => o.entry.correctsId === r.entry.id).map((o) => o.entry.seq),
      authorName: publicName({ displayName: r.authorName, deletedAt: r.authorDeletedAt }, req.locale),
      recordedAt: r.entry.recordedAt,
      content: r.entry.content as HistoryEntryView['content'],
    }))
    return reply.page(
      commitment.title,
      <CommitmentPage
        territory={territory}
        plan={plan}
        commitment={view}
        verdict={verdicts.get(commitment.id)}
        chainBrokenAt={chain.ok ? null : (chain.brokenAt ?? 0)}
        history={history}
        attached={attached}
        canEdit={can(req.user, 'plan.edit', plan.territoryId)}
        canReport={can(req.user, 'plan.report', plan.territoryId)}
        follow={
          plan.status === 'published' || plan.status === 'closed'
            ? await followBox(db(), req.user, 'commitment', commitment.id, `/engagements/${commitment.id}`)
            : null
        }
      />,
    )
  })
}
