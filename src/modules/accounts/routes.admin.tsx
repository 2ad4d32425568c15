import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  requireAdmin,
  TERRITORY_ROLES,
  type PlatformRole,
  type TerritoryRole,
} from '../../platform/auth/current-user.ts'
import { AppError } from '../../platform/errors.ts'
import { FormBody, formValues, parseForm, SuggestQuery } from '../../platform/http/forms.ts'
import { Picker, PickerSuggestions, pickedValue, type PickerChoice } from '../../platform/layout/picker.tsx'
import { emailRule, textRule } from '../../platform/http/rules.ts'
import { formatDate, isMessageKey, type MessageKey } from '../../platform/i18n/index.ts'
import { usePage } from '../../platform/layout/context.ts'
import { ErrorSummary, Field, PostForm, type FieldErrors, type FormValues } from '../../platform/layout/forms.tsx'
import { getTerritorySummaries, pickTerritory, territoryPath } from '../territories/index.ts'
import { pickPerson, suggestPeople } from './pick.ts'
import {
  grantRole,
  isPlatformRole,
  isTerritoryRole,
  listAllRoles,
  listPlatformRoles,
  listUsers,
  revokeRole,
  setPlatformRole,
  type RoleChange,
} from './service.ts'

const roleRules = {
  email: emailRule,
  territoryRef: textRule(3, 100, 'admin.error.territoryNotFound'),
  role: (raw: string) =>
    isTerritoryRole(raw) ? { value: raw as TerritoryRole } : { error: 'admin.error.role' as const },
}

interface RoleRowView {
  role: string
  displayName: string
  email: string
  territoryName: string
  territoryRef: string
  territoryUrl: string
  grantedAt: Date
}

type NetworkRoleRow = Awaited<ReturnType<typeof listPlatformRoles>>[number]

/** Candidates offered by the pickers of the page, by field ("networkEmail" for the network form's). */
type PickerChoices = Partial<Record<'email' | 'territoryRef' | 'networkEmail', PickerChoice[]>>

function AdminPage(props: {
  users: Awaited<ReturnType<typeof listUsers>>
  roles: RoleRowView[]
  networkRoles: NetworkRoleRow[]
  values: FormValues
  errors: FieldErrors
  choices: PickerChoices
}) {
  const { t, locale } = usePage()
  const labels = {
    email: t('admin.field.userEmail'),
    territoryRef: t('admin.field.territory'),
    role: t('admin.field.role'),
  }
  return (
    <>
      <h1>{t('admin.title')}</h1>
      <p>{t('admin.lead')}</p>
      <p>
        <a href="/admin/territoires">{t('admin.otherTerritories')}</a> ·{' '}
        <a href="/admin/adhesions">{t('membership.admin')}</a> ·{' '}
        <a href="/admin/referentiel/import">{t('ref.import')}</a> ·{' '}
        <a href="/referentiel/moderation">{t('ref.moderation')}</a>
      </p>
      <section aria-labelledby="grant-title">
        <h2 id="grant-title">{t('admin.grant')}</h2>
        <ErrorSummary errors={props.errors} labels={labels} />
        <PostForm action="/admin/roles">
          <Picker
            name="email"
            label={labels.email}
            hint={t('admin.field.userEmail.hint')}
            required
            value={props.values.email}
            error={props.errors.email}
            suggest="/admin/comptes/suggestions"
            choices={props.choices.email}
          />
          <Picker
            name="territoryRef"
            label={labels.territoryRef}
            hint={t('admin.field.territory.hint')}
            required
            value={props.values.territoryRef}
            error={props.errors.territoryRef}
            suggest="/territoires/suggestions"
            choices={props.choices.territoryRef}
          />
          <Field
            name="role"
            label={labels.role}
            value={props.values.role}
            error={props.errors.role}
            options={TERRITORY_ROLES.map((role) => ({ value: role, label: t(`role.${role}` as MessageKey) }))}
          />
          <button type="submit">{t('admin.grant')}</button>
        </PostForm>
      </section>
      <section aria-labelledby="roles-title">
        <h2 id="roles-title">{t('admin.roles')}</h2>
        <table>
          <caption class="visually-hidden">{t('admin.roles')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('nav.territories')}</th>
              <th scope="col">{t('admin.field.role')}</th>
              <th scope="col">{t('auth.field.displayName')}</th>
              <th scope="col">{t('auth.field.email')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('admin.revoke')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.roles.map((r) => (
              <tr>
                <td>
                  <a href={r.territoryUrl}>{r.territoryName}</a>
                </td>
                <td>{t(`role.${r.role}` as MessageKey)}</td>
                <td>{r.displayName}</td>
                <td>{r.email}</td>
                <td>
                  <PostForm action="/admin/roles/retirer" class="inline-form">
                    <input type="hidden" name="email" value={r.email} />
                    <input type="hidden" name="territoryRef" value={r.territoryRef} />
                    <input type="hidden" name="role" value={r.role} />
                    <button type="submit" class="link-button">
                      {t('admin.revoke')}
                      <span class="visually-hidden">
                        {' '}
                        {r.displayName} — {r.territoryName}
                      </span>
                    </button>
                  </PostForm>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="network-roles-title">
        <h2 id="network-roles-title">{t('admin.networkRoles')}</h2>
        <p>{t('admin.networkRoles.lead')}</p>
        <PostForm action="/admin/roles-reseau">
          <Picker
            name="email"
            idPrefix="network"
            label={t('admin.field.userEmail')}
            hint={t('admin.field.userEmail.hint')}
            required
            value={props.values.networkEmail}
            error={props.errors.networkEmail}
            suggest="/admin/comptes/suggestions"
            choices={props.choices.networkEmail}
          />
          <input type="hidden" name="role" value="referentiel_moderator" />
          <button type="submit" name="granted" value="true">
            {t('admin.grant')} : {t('role.referentiel_moderator')}
          </button>
        </PostForm>
        <ul>
          {props.networkRoles.map((r) => (
            <li>
              {t('role.referentiel_moderator')} : {r.displayName} — {r.email}{' '}
              <PostForm action="/admin/roles-reseau" class="inline-form">
                <input type="hidden" name="email" value={r.email ?? ''} />
                <input type="hidden" name="role" value={r.role} />
                <button type="submit" name="granted" value="false" class="link-button">
                  {t('admin.revoke')}
                  <span class="visually-hidden"> {r.displayName}</span>
                </button>
              </PostForm>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="users-title">
        <h2 id="users-title">
          {t('admin.users')} ({t('admin.userCount', { count: props.users.total })})
        </h2>
        <ul>
          {props.users.rows.map((u) => (
            <li>
              {u.displayName} — {u.email}
              {u.isPlatformAdmin ? ` · ${t('account.platformAdmin')}` : ''} · {formatDate(locale, u.createdAt)}
            </li>
          ))}
        </ul>
      </section>
    </>
  )
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
