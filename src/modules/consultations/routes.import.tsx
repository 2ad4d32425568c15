import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { assertCan } from '../../platform/auth/policy.ts'
import { notFound } from '../../platform/errors.ts'
import { FormBody } from '../../platform/http/forms.ts'
import { MAX_ROUTE_UPLOAD_BYTES } from '../../platform/http/limits.ts'
import type { MessageKey } from '../../platform/i18n/index.ts'
import { deletePendingImport, loadPendingImport, savePendingImport } from '../../platform/import/pending.ts'
import { worded } from '../../platform/import/text.ts'
import { ImportPreviewPage, ImportUploadPage } from '../../platform/layout/problems.tsx'
import { importContributions, readContributionsFile } from './import.ts'
import { findConsultation } from './queries.ts'
import { consultationPath } from './views.tsx'

const PENDING_KIND = 'contributions'
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
const PendingParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  pending: Type.String({ pattern: '^[0-9a-f-]{36}$' }),
})
const UploadBody = Type.Object({
  _csrf: Type.Optional(Type.String()),
  file: Type.Optional(Type.Unsafe<Buffer | string>({ description: 'the Decidim export' })),
})

/** Importing a Decidim proposals or debates export into a consultation: upload, preview, confirmation. */
export default async function contributionImportRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db
  const pseudonymKey = () => app.platform.config.sessionSecret

  async function contextOf(req: FastifyRequest, id: string) {
    const actor = requireUser(req)
    const consultation = await findConsultation(db(), id)
    assertCan(actor, 'consultation.manage', consultation.territoryId)
    const back = consultationPath(consultation)
    return { actor, consultation, back, base: `${back}/importer` }
  }

  const uploadPage = (req: FastifyRequest, action: string, back: string, errors: string[], total?: number) => (
    <ImportUploadPage
      title={req.t('consult.import')}
      lead={req.t('consult.import.lead')}
      action={action}
      back={back}
      fileLabel={req.t('consult.import.file')}
      accept=".csv,.json,text/csv,application/json,text/plain"
      errors={errors}
      {...(total !== undefined ? { errorTotal: total } : {})}
    />
  )

  app.get('/consultations/:id/importer', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    const { base, back } = await contextOf(req, req.params.id)
    return reply.page(req.t('consult.import'), uploadPage(req, base, back, []))
  })

  app.post(
    '/consultations/:id/importer',
    { schema: { params: IdParams, body: UploadBody, hide: true }, config: { uploadLimit: MAX_ROUTE_UPLOAD_BYTES } },
    async (req, reply) => {
      const context = await contextOf(req, req.params.id)
      const upload = (req.uploads ?? []).find((u) => u.field === 'file' && u.bytes.length > 0)
      if (!upload)
        return reply.page(
          req.t('consult.import'),
          uploadPage(req, context.base, context.back, [req.t('plans.import.noFile')]),
          422,
        )
      const read = readContributionsFile(upload.bytes, upload.filename || 'export.csv', pseudonymKey())
      if (read.errors.length > 0)
        return reply.page(
          req.t('consult.import'),
          uploadPage(
            req,
            context.base,
            context.back,
            read.errors.map((e) => worded(req.t, e)),
            read.errorCount,
          ),
          422,
        )
      const pendingId = await savePendingImport(db(), {
        territoryId: context.consultation.territoryId,
        userId: context.actor.id,
        kind: PENDING_KIND,
        filename: upload.filename,
        bytes: upload.bytes,
        options: { consultationId: context.consultation.id },
      })
      const outcome = await importContributions(db(), {
        actor: context.actor,
        consultationId: context.consultation.id,
        read,
        write: false,
        filename: upload.filename,
      })
      return reply.page(
        req.t('consult.import.previewTitle'),
        <ImportPreviewPage
          title={req.t('consult.import.previewTitle')}
          summary={req.t('consult.import.summary', {
            created: outcome.created,
            updated: outcome.updated,
            unchanged: outcome.unchanged,
            source: req.t(`consult.import.source.${read.source}` as MessageKey),
          })}
          warnings={read.warnings.map((w) => worded(req.t, w))}
          changes={outcome.changes}
          confirm={`${context.base}/${pendingId}/confirmer`}
          cancel={context.back}
        />,
      )
    },
  )

  app.post(
    '/consultations/:id/importer/:pending/confirmer',
    { schema: { params: PendingParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const context = await contextOf(req, req.params.id)
      const pending = await loadPendingImport(db(), req.params.pending, context.actor.id, PENDING_KIND)
      if (pending.options.consultationId !== context.consultation.id) throw notFound()
      const read = readContributionsFile(pending.bytes, pending.filename, pseudonymKey())
      if (read.errors.length > 0)
        return reply.page(
          req.t('consult.import'),
          uploadPage(
            req,
            context.base,
            context.back,
            read.errors.map((e) => worded(req.t, e)),
            read.errorCount,
          ),
          422,
        )
      const outcome = await importContributions(db(), {
        actor: context.actor,
        consultationId: context.consultation.id,
        read,
        write: true,
        filename: pending.filename,
      })
      await deletePendingImport(db(), pending.id)
      req.flash('notice', req.t('consult.import.done', { created: outcome.created, updated: outcome.updated }))
      return reply.redirect(context.back, 303)
    },
  )
}
