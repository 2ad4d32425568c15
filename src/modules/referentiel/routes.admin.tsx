import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireAdmin } from '../../platform/auth/current-user.ts'
import { FormBody, FormWithFileBody, formValues } from '../../platform/http/forms.ts'
import { zipSync } from 'fflate'
import { isZip } from '../../platform/import/archive.ts'
import { deletePendingImport, loadPendingImport, savePendingImport } from '../../platform/import/pending.ts'
import { MAX_ROUTE_UPLOAD_BYTES, MAX_UPLOAD_FILES } from '../../platform/http/limits.ts'
import { importRecords, ImportFailed } from './import.ts'
import { readCatalogue, type SourceFile } from './import-catalogue.ts'
import { readParticipediaCsv } from './import-participedia.ts'
import { ImportPage, ImportPreviewPage } from './views.tsx'

const PendingParams = Type.Object({ pending: Type.String({ pattern: '^[0-9a-f-]{36}$' }) })
const PENDING_KIND = 'referentiel'

/**
 * The référentiel's imports (/admin/referentiel/…), platform administrators only: checked when the request
 * arrives, before any uploaded file is read.
 */
export default async function referentielAdminRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db
  app.addHook('onRequest', async (req) => {
    requireAdmin(req)
  })

  // ——— imports (platform administrators): upload, preview of every change, confirmation ———
  const importPage = (req: FastifyRequest, reply: FastifyReply, problems: string[], status = 200) =>
    reply.page(req.t('ref.import'), <ImportPage problems={problems} />, status)

  /** What a pending import's files say (kept as they came: one CSV, or the catalogue's files packed in one ZIP). */
  const readPending = (format: string, files: SourceFile[]) =>
    format === 'catalogue' ? readCatalogue(files) : readParticipediaCsv(files[0]!.bytes, files[0]!.name)
  const sourceOf = (format: string) => (format === 'catalogue' ? 'consultation-gouv' : 'participedia')

  app.get('/import', { schema: { hide: true } }, async (req, reply) => {
    requireAdmin(req)
    return importPage(req, reply, [])
  })

  app.post(
    '/import',
    {
      schema: { body: FormWithFileBody, hide: true },
      config: {
        uploadLimit: MAX_ROUTE_UPLOAD_BYTES,
        uploadFiles: { max: MAX_UPLOAD_FILES, accept: /\.(csv|md|zip)$/i },
      },
    },
    async (req, reply) => {
      const actor = requireAdmin(req)
      const format = formValues(req.body).format === 'catalogue' ? 'catalogue' : 'participedia'
      const files = (req.uploads ?? [])
        .filter((u) => u.bytes.length > 0)
        .map((u) => ({ name: u.path, bytes: new Uint8Array(u.bytes) }))
      if (files.length === 0) return importPage(req, reply, [req.t('ref.import.noFile')], 422)
      if (format === 'participedia' && files.length > 1)
        return importPage(req, reply, [req.t('ref.import.oneCsv')], 422)
      const read = readPending(format, files)
      try {
        const result = await importRecords(db(), { actorId: actor.id, source: sourceOf(format), ...read, write: false })
        // kept until confirmed: the CSV as sent, the catalogue's files packed in one archive
        const bytes =
          format === 'participedia' || (files.length === 1 && isZip(files[0]!.bytes))
            ? Buffer.from(files[0]!.bytes)
            : Buffer.from(zipSync(Object.fromEntries(files.map((f) => [f.name, f.bytes]))))
        const pendingId = await savePendingImport(db(), {
          territoryId: null,
          userId: actor.id,
          kind: PENDING_KIND,
          filename: files[0]!.name,
          bytes,
          options: { format },
        })
        return reply.page(
          req.t('ref.import.preview'),
          <ImportPreviewPage
            result={result}
            confirm={`/admin/referentiel/import/${pendingId}/confirmer`}
            warnings={result.warnings}
          />,
        )
      } catch (error) {
        if (!(error instanceof ImportFailed)) throw error
        return importPage(
          req,
          reply,
          error.problems.map((p) => `${p.position} : ${p.reason}`),
          422,
        )
      }
    },
  )

  app.post(
    '/import/:pending/confirmer',
    { schema: { params: PendingParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireAdmin(req)
      const pending = await loadPendingImport(db(), req.params.pending, actor.id, PENDING_KIND)
      const format = pending.options.format === 'catalogue' ? 'catalogue' : 'participedia'
      const read = readPending(format, [{ name: pending.filename, bytes: new Uint8Array(pending.bytes) }])
      try {
        const result = await importRecords(db(), { actorId: actor.id, source: sourceOf(format), ...read })
        await deletePendingImport(db(), pending.id)
        req.flash(
          'notice',
          req.t('ref.import.done', {
            created: result.created,
            updated: result.updated,
            unchanged: result.unchanged,
            conflicts: result.conflicts,
          }),
        )
        return reply.redirect(result.conflicts > 0 ? '/referentiel/conflits' : '/admin/referentiel/import', 303)
      } catch (error) {
        // the référentiel changed since the preview (a fiche renamed, a link removed): say it, nothing written
        if (!(error instanceof ImportFailed)) throw error
        return importPage(
          req,
          reply,
          error.problems.map((p) => `${p.position} : ${p.reason}`),
          422,
        )
      }
    },
  )
}
