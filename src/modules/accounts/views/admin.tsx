import { TERRITORY_ROLES } from '../../../platform/auth/current-user.ts'
import { Picker, type PickerChoice } from '../../../platform/layout/picker.tsx'
import { formatDate, type MessageKey } from '../../../platform/i18n/index.ts'
import { usePage } from '../../../platform/layout/context.ts'
import { ErrorSummary, Field, PostForm, type FieldErrors, type FormValues } from '../../../platform/layout/forms.tsx'
import type { listUsers } from '../queries.ts'
import type { listPlatformRoles } from '../roles.ts'

export interface RoleRowView {
  role: string
  displayName: string
  email: string
  territoryName: string
  territoryRef: string
  territoryUrl: string
  grantedAt: Date
}

export type NetworkRoleRow = Awaited<ReturnType<typeof listPlatformRoles>>[number]

/** Candidates offered by the pickers of the page, by field ("networkEmail" for the network form's). */
export type PickerChoices = Partial<Record<'email' | 'territoryRef' | 'networkEmail', PickerChoice[]>>

export function AdminPage(props: {
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
