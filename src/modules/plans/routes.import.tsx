import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { assertCan } from '../../platform/auth/policy.ts'
import { csvField } from '../../platform/http/csv.ts'
import { FormBody } from '../../platform/http/forms.ts'
import { deletePendingImport, loadPendingImport, savePendingImport } from '../../platform/import/pending.ts'
import { worded } from '../../platform/import/text.ts'
import { runPlanImport, type ImportTarget } from './import-apply.ts'
import { MAX_ROUTE_UPLOAD_BYTES } from '../../platform/http/limits.ts'
import { IMPORT_FORMATS, readPlansFile, TEMPLATE_COLUMNS, type ImportFormat, type ReadPlans } from './import-formats.ts'
import { ImportChoosePage, ImportPage, ImportPreviewPage } from './views/import.tsx'
import { IdParams, TerritoryRefParams, territoryFromParams } from './routes.public.tsx'
import { findPlan } from './service.ts'
import { planPath } from './views.tsx'

const PENDING_KIND = 'plans'
const ImportBody = Type.Object({
  _csrf: Type.Optional(Type.String()),
  format: Type.Union(IMPORT_FORMATS.map((f) => Type.Literal(f))),
  file: Type.Optional(Type.Unsafe<Buffer | string>({ description: 'the CSV file' })),
})
const PendingParams = Type.Object({
  id: Type.String({ pattern: '^[0-9a-f-]{36}$' }),
  pending: Type.String({ pattern: '^[0-9a-f-]{36}$' }),
})
const TerritoryPendingParams = Type.Object({
  ...TerritoryRefParams.properties,
  pending: Type.String({ pattern: '^[0-9a-f-]{36}$' }),
})

/** The plans a person chose on the previous page (repeated `plan` fields). */
const chosenOf = (body: unknown): string[] => {
  const raw = (body as Record<string, unknown> | undefined)?.plan
  return (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String).filter((v) => v.length <= 210)
}

/**
 * Importing action plans: upload, then (for a file of several plans) the choice of plans, then a preview of every
 * change, then the confirmation that applies it — the file is kept between the steps (platform/import/pending.ts).
 * Into a draft plan (`/plans/:id/import`) or into a territory (`/territoires/:kind/:code/plans/importer`, one plan
 * per plan of the file, created or updated by its source identifier).
 */
export default async function planImportRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  app.get('/plans/modele-engagements.csv', { schema: { hide: true } }, async (_req, reply) => {
    const example = [
      'ENG-1',
      'Ouvrir les données budgétaires',
      'Les habitants ne peuvent pas suivre la dépense publique.',
      'Publier le budget en données ouvertes.',
      'Rend la dépense vérifiable.',
      'access_to_information | public_accountability',
      'Débats budgétaires mieux informés.',
      'Direction des finances',
      'Association locale',
      'finances | données ouvertes',
      '2026-01-01',
      '2027-12-31',
      '45000',
      '',
    ]
    const body = `${[TEMPLATE_COLUMNS.join(','), example.map(csvField).join(',')].join('\r\n')}\r\n`
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="modele-engagements.csv"')
      .send(body)
  })

  /** Where an import goes, and the pages around it, from the route's parameters. */
  async function contextOf(req: FastifyRequest, params: { id?: string; kind?: string; code?: string }) {
    const actor = requireUser(req)
    if (params.id) {
      const plan = await findPlan(db(), params.id)
      assertCan(actor, 'plan.edit', plan.territoryId)
      return {
        actor,
        territoryId: plan.territoryId,
        target: { planId: plan.id } as ImportTarget,
        base: `${planPath(plan)}/import`,
        back: planPath(plan),
        intoPlan: true,
      }
    }
    const territory = await territoryFromParams(db(), { kind: params.kind!, code: params.code! })
    assertCan(actor, 'plan.edit', territory.id)
    return {
      actor,
      territoryId: territory.id,
      target: { territoryId: territory.id } as ImportTarget,
      base: `${territory.path}/plans/importer`,
      back: `${territory.path}/plans`,
      intoPlan: false,
    }
  }
  type Context = Awaited<ReturnType<typeof contextOf>>

  const warningsOf = (req: FastifyRequest, read: ReadPlans) => read.warnings.map((w) => worded(req.t, w))

  async function preview(
    req: FastifyRequest,
    reply: FastifyReply,
    context: Context,
    pendingId: string,
    read: ReadPlans,
    chosen: string[] | undefined,
  ) {
    const outcome = await runPlanImport(db(), {
      actor: context.actor,
      target: context.target,
      read,
      write: false,
      ...(chosen ? { chosen } : {}),
    })
    return reply.page(
      req.t('plans.import.previewTitle'),
      <ImportPreviewPage
        confirm={`${context.base}/${pendingId}/confirmer`}
        outcome={outcome}
        warnings={[...new Set(outcome.warnings.map((w) => worded(req.t, w)))]}
        chosen={chosen ?? []}
        cancel={context.back}
      />,
    )
  }

  async function upload(
    req: FastifyRequest<{ Body: { format: ImportFormat; file?: Buffer | string } }>,
    reply: FastifyReply,
    context: Context,
  ) {
    const { format, file } = req.body
    const refused = (errors: string[], total?: number) =>
      reply.page(
        req.t('plans.import'),
        <ImportPage
          action={context.base}
          errors={errors}
          {...(total !== undefined ? { errorTotal: total } : {})}
          format={format}
          intoPlan={context.intoPlan}
        />,
        422,
      )
    const upload = (req.uploads ?? []).find((u) => u.field === 'file' && u.bytes.length > 0)
    if (!Buffer.isBuffer(file) || file.length === 0 || !upload) return refused([req.t('plans.import.noFile')])
    const read = readPlansFile(file, format, upload.filename || 'fichier.csv')
    if (read.errors.length > 0)
      return refused(
        read.errors.map((e) => worded(req.t, e)),
        read.errorCount,
      )
    const pendingId = await savePendingImport(db(), {
      territoryId: context.territoryId,
      userId: context.actor.id,
      kind: PENDING_KIND,
      filename: upload.filename,
      bytes: file,
      options: { format },
    })
    if (read.plans.length > 1 || (!context.intoPlan && read.plans.some((p) => p.sourceKey !== null))) {
      const plans = read.plans.map((p) => ({
        key: p.sourceKey ?? '',
        label: p.label,
        commitments: p.commitments.length,
      }))
      return reply.page(
        req.t('plans.import.choose'),
        <ImportChoosePage
          action={`${context.base}/${pendingId}/apercu`}
          plans={plans}
          warnings={warningsOf(req, read)}
          intoPlan={context.intoPlan}
        />,
      )
    }
    return preview(req, reply, context, pendingId, read, undefined)
  }

  async function reread(context: Context, pendingId: string): Promise<ReadPlans> {
    const pending = await loadPendingImport(db(), pendingId, context.actor.id, PENDING_KIND)
    return readPlansFile(pending.bytes, pending.options.format as ImportFormat, pending.filename)
  }

  async function confirm(req: FastifyRequest, reply: FastifyReply, context: Context, pendingId: string) {
    const read = await reread(context, pendingId)
    const chosen = chosenOf(req.body)
    const outcome = await runPlanImport(db(), {
      actor: context.actor,
      target: context.target,
      read,
      write: true,
      ...(chosen.length > 0 ? { chosen } : {}),
    })
    await deletePendingImport(db(), pendingId)
    const done = (level: string) =>
      (outcome.counts[`${level}.create` as keyof typeof outcome.counts] ?? 0) +
      (outcome.counts[`${level}.update` as keyof typeof outcome.counts] ?? 0)
    req.flash(
      'notice',
      req.t('plans.import.done', {
        plans: outcome.counts['plan.create'] ?? 0,
        commitments: done('commitment'),
        milestones: done('milestone'),
      }),
    )
    return reply.redirect(
      context.intoPlan || outcome.planIds.length !== 1 ? context.back : planPath({ id: outcome.planIds[0]! }),
      303,
    )
  }

  // ——— into a draft plan ———
  app.get('/plans/:id/import', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    const context = await contextOf(req, req.params)
    return reply.page(req.t('plans.import'), <ImportPage action={context.base} errors={[]} format="modele" intoPlan />)
  })
  app.post(
    '/plans/:id/import',
    { schema: { params: IdParams, body: ImportBody, hide: true }, config: { uploadLimit: MAX_ROUTE_UPLOAD_BYTES } },
    async (req, reply) => upload(req, reply, await contextOf(req, req.params)),
  )
  app.post(
    '/plans/:id/import/:pending/apercu',
    { schema: { params: PendingParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const context = await contextOf(req, req.params)
      return preview(
        req,
        reply,
        context,
        req.params.pending,
        await reread(context, req.params.pending),
        chosenOf(req.body),
      )
    },
  )
  app.post(
    '/plans/:id/import/:pending/confirmer',
    { schema: { params: PendingParams, body: FormBody, hide: true } },
    async (req, reply) => confirm(req, reply, await contextOf(req, req.params), req.params.pending),
  )

  // ——— into a territory: one plan per plan of the file ———
  app.get(
    '/territoires/:kind/:code/plans/importer',
    { schema: { params: TerritoryRefParams, hide: true } },
    async (req, reply) => {
      const context = await contextOf(req, req.params)
      return reply.page(
        req.t('plans.import.territory'),
        <ImportPage action={context.base} errors={[]} format="ogp" intoPlan={false} />,
      )
    },
  )
  app.post(
    '/territoires/:kind/:code/plans/importer',
    {
      schema: { params: TerritoryRefParams, body: ImportBody, hide: true },
      config: { uploadLimit: MAX_ROUTE_UPLOAD_BYTES },
    },
    async (req, reply) => upload(req, reply, await contextOf(req, req.params)),
  )
  app.post(
    '/territoires/:kind/:code/plans/importer/:pending/apercu',
    { schema: { params: TerritoryPendingParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const context = await contextOf(req, req.params)
      return preview(
        req,
        reply,
        context,
        req.params.pending,
        await reread(context, req.params.pending),
        chosenOf(req.body),
      )
    },
  )
  app.post(
    '/territoires/:kind/:code/plans/importer/:pending/confirmer',
    { schema: { params: TerritoryPendingParams, body: FormBody, hide: true } },
    async (req, reply) => confirm(req, reply, await contextOf(req, req.params), req.params.pending),
  )
}
