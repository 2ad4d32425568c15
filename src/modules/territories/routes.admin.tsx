import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { requireAdmin } from '../../platform/auth/current-user.ts'
import { AppError } from '../../platform/errors.ts'
import { FormBody, parseForm } from '../../platform/http/forms.ts'
import { optionalCountRule, textRule } from '../../platform/http/rules.ts'
import { createOtherTerritory, listOtherTerritories, type OtherTerritoryInput } from './service.ts'
import { territoryPath } from './views.tsx'
import { OtherTerritoriesPage } from './views/admin.tsx'

const otherTerritoryRules = {
  name: textRule(1, 200, 'admin.error.name'),
  code: (raw: string) => {
    const value = raw.trim().toLowerCase()
    return /^[a-z0-9-]{1,64}$/.test(value) ? { value } : { error: 'admin.error.code' as const }
  },
  population: optionalCountRule('admin.error.population'),
  parentRefs: (raw: string) => ({
    value: raw
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean),
  }),
}

/** Back office of the registry: territories outside the official geography. Platform administrators only. */
export default async function territoryAdminRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db
  app.addHook('preHandler', async (req) => {
    requireAdmin(req)
  })

  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    const list = await listOtherTerritories(db())
    return reply.page(req.t('admin.otherTerritories'), <OtherTerritoriesPage list={list} values={{}} errors={{}} />)
  })

  app.post('/', { schema: { body: FormBody, hide: true } }, async (req, reply) => {
    const actor = requireAdmin(req)
    const parsed = parseForm<OtherTerritoryInput>(otherTerritoryRules, req.body, req.t)
    let errors = parsed.ok ? {} : parsed.errors
    if (parsed.ok) {
      try {
        const created = await createOtherTerritory(db(), { actor, input: parsed.data })
        req.flash('notice', req.t('admin.newTerritory.done'))
        return reply.redirect(territoryPath(created), 303)
      } catch (error) {
        if (!(error instanceof AppError) || !error.fields) throw error
        errors =
          error.code === 'TERRITORY_CODE_TAKEN'
            ? { code: req.t('admin.error.codeTaken') }
            : { parentRefs: req.t('admin.error.territoryNotFound', { ref: error.userMessage }) }
      }
    }
    const list = await listOtherTerritories(db())
    return reply.page(
      req.t('admin.otherTerritories'),
      <OtherTerritoriesPage list={list} values={parsed.values} errors={errors} />,
      422,
    )
  })
}
