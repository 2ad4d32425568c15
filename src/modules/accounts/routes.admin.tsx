import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { requireAdmin, type PlatformRole, type TerritoryRole } from '../../platform/auth/current-user.ts'
import { AppError } from '../../platform/errors.ts'
import { FormBody, formValues, parseForm, SuggestQuery } from '../../platform/http/forms.ts'
import { PickerSuggestions, pickedValue } from '../../platform/layout/picker.tsx'
import { emailRule, textRule } from '../../platform/http/rules.ts'
import { isMessageKey, type MessageKey } from '../../platform/i18n/index.ts'
import type { FieldErrors, FormValues } from '../../platform/layout/forms.tsx'
import { getTerritorySummaries, pickTerritory, territoryPath } from '../territories/index.ts'
import { pickPerson, suggestPeople } from './pick.ts'
import { listAllRoles, listUsers } from './queries.ts'
import {
  grantRole,
  isPlatformRole,
  isTerritoryRole,
  listPlatformRoles,
  revokeRole,
  setPlatformRole,
  type RoleChange,
} from './roles.ts'
import { AdminPage, type PickerChoices } from './views/admin.tsx'

const roleRules = {
  email: emailRule,
  territoryRef: textRule(3, 100, 'admin.error.territoryNotFound'),
  role: (raw: string) =>
    isTerritoryRole(raw) ? { value: raw as TerritoryRole } : { error: 'admin.error.role' as const },
}

/** The network team's back office: accounts and per-territory roles. */
export default async function accountAdminRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db
  app.addHook('preHandler', async (req) => {
    requireAdmin(req)
  })

  async function render(
    req: FastifyRequest,
    reply: FastifyReply,
    values: FormValues,
    errors: FieldErrors,
    status = 200,
    choices: PickerChoices = {},
  ) {
    const [users, roles, networkRoles] = await Promise.all([
      listUsers(db(), 200),
      listAllRoles(db()),
      listPlatformRoles(db()),
    ])
    const territories = new Map(
      (await getTerritorySummaries(db(), [...new Set(roles.map((r) => r.territoryId))])).map((t) => [t.id, t]),
    )
    const rows = roles.flatMap((r) => {
      const territory = territories.get(r.territoryId)
      if (!territory) return []
      return [
        {
          ...r,
          territoryName: territory.name,
          territoryRef: `${territory.kind}/${territory.code}`,
          territoryUrl: territoryPath(territory),
        },
      ]
    })
    return reply.page(
      req.t('admin.title'),
      <AdminPage
        users={users}
        roles={rows}
        networkRoles={networkRoles}
        values={values}
        errors={errors}
        choices={choices}
      />,
      status,
    )
  }

  /** The account and the territory the pickers named, or what to ask the person. */
  async function pickRoleHolder(req: FastifyRequest, typed: Record<string, string>) {
    const [person, territory] = await Promise.all([
      pickPerson(db(), pickedValue(typed, 'email')),
      pickTerritory(db(), req.t, pickedValue(typed, 'territoryRef')),
    ])
    const errors: FieldErrors = {}
    const choices: PickerChoices = {}
    for (const [field, picked] of [
      ['email', person],
      ['territoryRef', territory],
    ] as const) {
      if ('none' in picked) errors[field] = req.t('picker.none', { q: pickedValue(typed, field) })
      if ('choices' in picked) {
        errors[field] = req.t('picker.several')
        choices[field] = picked.choices
      }
    }
    if ('found' in person && 'found' in territory)
      return {
        body: { ...typed, email: person.found.email, territoryRef: `${territory.found.kind}/${territory.found.code}` },
      }
    return { errors, choices }
  }

  async function change(
    req: FastifyRequest,
    reply: FastifyReply,
    work: (input: RoleChange) => Promise<boolean>,
    done: MessageKey,
  ) {
    const typed = formValues(req.body)
    const picked = await pickRoleHolder(req, typed)
    if (!('body' in picked)) return render(req, reply, typed, picked.errors, 422, picked.choices)
    const parsed = parseForm<RoleChange>(roleRules, picked.body, req.t)
    if (!parsed.ok) return render(req, reply, parsed.values, parsed.errors, 422)
    try {
      await work(parsed.data)
    } catch (error) {
      if (!(error instanceof AppError) || !error.fields) throw error
      const errors: FieldErrors = {}
      for (const [field, key] of Object.entries(error.fields)) {
        errors[field] = isMessageKey(key) ? req.t(key, { ref: error.userMessage }) : key
      }
      return render(req, reply, parsed.values, errors, 422)
    }
    req.flash('notice', req.t(done))
    return reply.redirect('/admin', 303)
  }

  app.get('/', { schema: { hide: true } }, async (req, reply) => render(req, reply, {}, {}))
  app.get('/comptes/suggestions', { schema: { querystring: SuggestQuery, hide: true } }, async (req, reply) => {
    const text = Object.values(req.query).find((value) => value.trim() !== '') ?? ''
    return reply.fragment(<PickerSuggestions choices={await suggestPeople(db(), text)} />)
  })
  app.post('/roles', { schema: { body: FormBody, hide: true } }, async (req, reply) =>
    change(req, reply, (input) => grantRole(db(), requireAdmin(req), input), 'admin.grant.done'),
  )
  app.post('/roles-reseau', { schema: { body: FormBody, hide: true } }, async (req, reply) => {
    const values = formValues(req.body)
    const typed = pickedValue(values, 'email')
    const back = (error: string, choices: PickerChoices = {}) =>
      render(req, reply, { networkEmail: values.email }, { networkEmail: error }, 422, choices)
    if (!isPlatformRole(values.role ?? '')) return back(req.t('admin.error.role'))
    const person = await pickPerson(db(), typed)
    if ('none' in person) return back(req.t('picker.none', { q: typed }))
    if ('choices' in person) return back(req.t('picker.several'), { networkEmail: person.choices })
    try {
      await setPlatformRole(db(), requireAdmin(req), {
        email: person.found.email,
        role: values.role as PlatformRole,
        granted: values.granted === 'true',
      })
    } catch (error) {
      if (error instanceof AppError && error.code === 'USER_NOT_FOUND')
        return back(req.t('admin.error.userNotFound', { ref: typed }))
      throw error
    }
    req.flash('notice', req.t(values.granted === 'true' ? 'admin.grant.done' : 'admin.revoke.done'))
    return reply.redirect('/admin', 303)
  })
  app.post('/roles/retirer', { schema: { body: FormBody, hide: true } }, async (req, reply) =>
    change(req, reply, (input) => revokeRole(db(), requireAdmin(req), input), 'admin.revoke.done'),
  )
}
