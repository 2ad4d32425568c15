import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { forbidden, notFound } from '../../platform/errors.ts'
import { FormBody } from '../../platform/http/forms.ts'
import { MAX_ROUTE_UPLOAD_BYTES } from '../../platform/http/limits.ts'
import { deletePendingImport, loadPendingImport, savePendingImport } from '../../platform/import/pending.ts'
import { worded } from '../../platform/import/text.ts'
import { Field } from '../../platform/layout/forms.tsx'
import { ImportPreviewPage, ImportUploadPage } from '../../platform/layout/problems.tsx'
import { importProposals, readProposalsFile } from './proposals.import.ts'
import { canManageAssembly, findAssembly } from './service.ts'

const PENDING_KIND = 'assembly-proposals'
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
const PendingParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  pending: Type.String({ pattern: '^[0-9a-f-]{36}$' }),
})
const UploadBody = Type.Object({
  _csrf: Type.Optional(Type.String()),
  status: Type.Optional(Type.Union([Type.Literal('adopted'), Type.Literal('drafted')])),
  file: Type.Optional(Type.Unsafe<Buffer | string>({ description: 'the list of proposals' })),
})

/** Importing a list of proposals into a citizens' assembly: upload, preview, confirmation (its organisers). */
export default async function proposalImportRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  async function contextOf(req: FastifyRequest, id: string) {
    const actor = requireUser(req)
    const assembly = await findAssembly(db(), id)
    if (!canManageAssembly(actor, assembly.territoryId))
      throw forbidden('Réservé aux organisateurs de cette assemblée.')
    const back = `/assemblees/${assembly.id}`
    return { actor, assembly, back, base: `${back}/propositions/importer` }
  }

  const uploadPage = (
    req: FastifyRequest,
    context: { base: string; back: string },
    errors: string[],
    total?: number,
    status = 'adopted',
  ) => (
    <ImportUploadPage
      title={req.t('assembly.import')}
      lead={req.t('assembly.import.lead')}
      action={context.base}
      back={context.back}
      fileLabel={req.t('assembly.import.file')}
      accept=".csv,text/csv,text/plain"
      errors={errors}
      {...(total !== undefined ? { errorTotal: total } : {})}
      fields={
        <Field
          name="status"
          label={req.t('assembly.import.status')}
          value={status}
          options={[
            { value: 'adopted', label: req.t('assembly.import.status.adopted') },
            { value: 'drafted', label: req.t('assembly.import.status.drafted') },
          ]}
        />
      }
    />
  )

  app.get('/assemblees/:id/propositions/importer', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    const context = await contextOf(req, req.params.id)
    return reply.page(req.t('assembly.import'), uploadPage(req, context, []))
  })

  app.post(
    '/assemblees/:id/propositions/importer',
    { schema: { params: IdParams, body: UploadBody, hide: true }, config: { uploadLimit: MAX_ROUTE_UPLOAD_BYTES } },
    async (req, reply) => {
      const context = await contextOf(req, req.params.id)
      const status = req.body.status ?? 'adopted'
      const upload = (req.uploads ?? []).find((u) => u.field === 'file' && u.bytes.length > 0)
      if (!upload)
        return reply.page(
          req.t('assembly.import'),
          uploadPage(req, context, [req.t('plans.import.noFile')], undefined, status),
          422,
        )
      const read = readProposalsFile(upload.bytes, upload.filename || 'propositions.csv')
      if (read.errors.length > 0)
        return reply.page(
          req.t('assembly.import'),
          uploadPage(
            req,
            context,
            read.errors.map((e) => worded(req.t, e)),
            read.errorCount,
            status,
          ),
          422,
        )
      const pendingId = await savePendingImport(db(), {
        territoryId: context.assembly.territoryId,
        userId: context.actor.id,
        kind: PENDING_KIND,
        filename: upload.filename,
        bytes: upload.bytes,
        options: { assemblyId: context.assembly.id, status },
      })
      const outcome = await importProposals(db(), {
        actor: context.actor,
        assemblyId: context.assembly.id,
        read,
        write: false,
        filename: upload.filename,
        status,
      })
      const warnings = [
        ...read.warnings,
        ...(outcome.locked > 0 ? [{ key: 'assembly.import.locked' as const, params: { count: outcome.locked } }] : []),
      ]
      return reply.page(
        req.t('assembly.import.previewTitle'),
        <ImportPreviewPage
          title={req.t('assembly.import.previewTitle')}
          summary={req.t('assembly.import.summary', {
            created: outcome.created,
            updated: outcome.updated,
            unchanged: outcome.unchanged,
          })}
          warnings={warnings.map((w) => worded(req.t, w))}
          changes={outcome.changes}
          confirm={`${context.base}/${pendingId}/confirmer`}
          cancel={context.back}
        />,
      )
    },
  )

  app.post(
    '/assemblees/:id/propositions/importer/:pending/confirmer',
    { schema: { params: PendingParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const context = await contextOf(req, req.params.id)
      const pending = await loadPendingImport(db(), req.params.pending, context.actor.id, PENDING_KIND)
      if (pending.options.assemblyId !== context.assembly.id) throw notFound()
      const read = readProposalsFile(pending.bytes, pending.filename)
      if (read.errors.length > 0)
        return reply.page(
          req.t('assembly.import'),
          uploadPage(
            req,
            context,
            read.errors.map((e) => worded(req.t, e)),
            read.errorCount,
          ),
          422,
        )
      const status = pending.options.status === 'drafted' ? 'drafted' : 'adopted'
      const outcome = await importProposals(db(), {
        actor: context.actor,
        assemblyId: context.assembly.id,
        read,
        write: true,
        filename: pending.filename,
        status,
      })
      await deletePendingImport(db(), pending.id)
      req.flash('notice', req.t('assembly.import.done', { created: outcome.created, updated: outcome.updated }))
      return reply.redirect(context.back, 303)
    },
  )
}
