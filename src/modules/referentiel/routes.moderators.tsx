import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { forbidden } from '../../platform/errors.ts'
import { FIELD_BY_NAME } from './fields.ts'
import { displayValue, type FieldValue } from './content.ts'
import { canModerate } from './policy.ts'
import { openImportConflicts, resolveImportConflict } from './conflicts.ts'
import { ficheNames } from './queries.ts'
import { ConflictsPage } from './views.tsx'
import { IdParams } from './routes.shared.ts'

const ConflictBody = Type.Object({
  _csrf: Type.Optional(Type.String()),
  choice: Type.Union([Type.Literal('source'), Type.Literal('local')]),
})

/** Conflicts between a re-import and an edit made here, settled by the network's moderators. */
export default async function referentielModeratorRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  app.get('/referentiel/conflits', { schema: { hide: true } }, async (req, reply) => {
    const actor = requireUser(req)
    if (!canModerate(actor, null)) throw forbidden('Seuls les modérateurs du réseau tranchent les conflits d’import.')
    const open = await openImportConflicts(db())
    // linked fiches are shown by their titles
    const linked = open.flatMap((c) =>
      FIELD_BY_NAME.get(c.field)?.type === 'fiches'
        ? [c.sourceValue, c.localValue].flatMap((v) => (Array.isArray(v) ? v.map(String) : []))
        : [],
    )
    const names = await ficheNames(db(), [...new Set(linked)])
    const shown = (field: string, value: unknown) => {
      const spec = FIELD_BY_NAME.get(field)
      if (!spec) return JSON.stringify(value)
      if (spec.type === 'fiches' && Array.isArray(value))
        return value.map((id) => names.get(String(id))?.title ?? String(id)).join('\n')
      return displayValue(spec, value as FieldValue, req.locale)
    }
    const conflicts = open.map((c) => ({
      ...c,
      fieldLabel: FIELD_BY_NAME.get(c.field)?.label[req.locale === 'en' ? 1 : 0] ?? c.field,
      sourceValue: shown(c.field, c.sourceValue),
      localValue: shown(c.field, c.localValue),
    }))
    return reply.page(req.t('ref.conflicts'), <ConflictsPage conflicts={conflicts} />)
  })

  app.post(
    '/referentiel/conflits/:id',
    { schema: { params: IdParams, body: ConflictBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      await resolveImportConflict(db(), { actor, conflictId: req.params.id, choice: req.body.choice })
      req.flash('notice', req.t('ref.conflicts.resolved'))
      return reply.redirect('/referentiel/conflits', 303)
    },
  )
}
