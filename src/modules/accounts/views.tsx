import { PASSWORD_MIN_LENGTH } from '../../platform/auth/passwords.ts'
import { formatDate, formatDateTime, type MessageKey } from '../../platform/i18n/index.ts'
import { usePage } from '../../platform/layout/context.ts'
import { ErrorSummary, Field, PostForm, type FieldErrors, type FormValues } from '../../platform/layout/forms.tsx'

interface FormPageProps {
  values: FormValues
  errors: FieldErrors
}

export function SignUpPage({ values, errors }: FormPageProps) {
  const { t } = usePage()
  const labels = {
    displayName: t('auth.field.displayName'),
    email: t('auth.field.email'),
    password: t('auth.field.password'),
  }
  return (
    <div class="narrow">
      <h1>{t('auth.signup.title')}</h1>
      <p>{t('auth.signup.lead')}</p>
      <ErrorSummary errors={errors} labels={labels} />
      <PostForm action="/inscription">
        <Field
          name="displayName"
          label={labels.displayName}
          hint={t('auth.field.displayName.hint')}
          required
          value={values.displayName}
          error={errors.displayName}
          autocomplete="nickname"
          maxLength={100}
        />
        <Field
          name="email"
          type="email"
          label={labels.email}
          hint={t('auth.field.email.hint')}
          required
          value={values.email}
          error={errors.email}
          autocomplete="email"
        />
        <Field
          name="password"
          type="password"
          label={labels.password}
          hint={t('auth.field.password.hint', { min: PASSWORD_MIN_LENGTH })}
          required
          error={errors.password}
          autocomplete="new-password"
        />
        <p class="hint">
          <a href="/confidentialite">{t('privacy.link')}</a>
        </p>
        <button type="submit">{t('auth.signup.submit')}</button>
      </PostForm>
      <p>
        <a href="/connexion">{t('nav.signin')}</a>
      </p>
    </div>
  )
}

export function SignInPage({
  values,
  errors,
  next,
  message,
}: FormPageProps & { next: string; message?: string | undefined }) {
  const { t } = usePage()
  const labels = { email: t('auth.field.email'), password: t('auth.field.password') }
  return (
    <div class="narrow">
      <h1>{t('auth.signin.title')}</h1>
      {message && (
        <p class="flash flash-error" role="alert">
          {message}
        </p>
      )}
      <ErrorSummary errors={errors} labels={labels} />
      <PostForm action="/connexion">
        <input type="hidden" name="next" value={next} />
        <Field
          name="email"
          type="email"
          label={labels.email}
          required
          value={values.email}
          error={errors.email}
          autocomplete="username"
        />
        <Field
          name="password"
          type="password"
          label={labels.password}
          required
          error={errors.password}
          autocomplete="current-password"
        />
        <button type="submit">{t('auth.signin.submit')}</button>
      </PostForm>
      <p>
        <a href="/compte/mot-de-passe-oublie">{t('auth.signin.forgot')}</a>
      </p>
      <p>
        {t('auth.signin.noAccount')} <a href="/inscription">{t('nav.signup')}</a>
      </p>
    </div>
  )
}

export function MessagePage({ title, message }: { title: string; message: string }) {
  const { t } = usePage()
  return (
    <div class="narrow">
      <h1>{title}</h1>
      <p role="status">{message}</p>
      <p>
        <a href="/connexion">{t('nav.signin')}</a> · <a href="/">{t('nav.home')}</a>
      </p>
    </div>
  )
}

export function ForgotPasswordPage({ values, errors }: FormPageProps) {
  const { t } = usePage()
  const labels = { email: t('auth.field.email') }
  return (
    <div class="narrow">
      <h1>{t('auth.forgot.title')}</h1>
      <p>{t('auth.forgot.lead')}</p>
      <ErrorSummary errors={errors} labels={labels} />
      <PostForm action="/compte/mot-de-passe-oublie">
        <Field
          name="email"
          type="email"
          label={labels.email}
          required
          value={values.email}
          error={errors.email}
          autocomplete="email"
        />
        <button type="submit">{t('auth.forgot.submit')}</button>
      </PostForm>
    </div>
  )
}

export function ResetPasswordPage({ token, errors }: { token: string; errors: FieldErrors }) {
  const { t } = usePage()
  const labels = { password: t('auth.field.newPassword') }
  return (
    <div class="narrow">
      <h1>{t('auth.reset.title')}</h1>
      <ErrorSummary errors={errors} labels={labels} />
      <PostForm action="/compte/reinitialiser">
        <input type="hidden" name="token" value={token} />
        <Field
          name="password"
          type="password"
          label={labels.password}
          hint={t('auth.field.password.hint', { min: PASSWORD_MIN_LENGTH })}
          required
          error={errors.password}
          autocomplete="new-password"
        />
        <button type="submit">{t('auth.reset.submit')}</button>
      </PostForm>
    </div>
  )
}

export interface AccountView {
  email: string
  displayName: string
  locale: 'fr' | 'en'
  createdAt: Date
  isPlatformAdmin: boolean
  roles: { role: string; territoryName: string; territoryUrl: string }[]
  /** open sessions, the most recently used first */
  sessions: { id: string; device: string; createdAt: Date; lastSeenAt: Date; current: boolean }[]
}

export function AccountPage({ account, values, errors }: { account: AccountView } & FormPageProps) {
  const { t, locale } = usePage()
  const labels = {
    displayName: t('auth.field.displayName'),
    locale: t('account.locale'),
    currentPassword: t('auth.field.currentPassword'),
    newPassword: t('auth.field.newPassword'),
    confirmation: t('account.delete.confirm'),
    everywherePassword: t('auth.field.currentPassword'),
  }
  return (
    <>
      <h1>{t('account.title')}</h1>
      <p>
        <a href="/compte/abonnements">{t('follow.title')}</a>
      </p>
      <ErrorSummary errors={errors} labels={labels} />
      <section aria-labelledby="profile-title">
        <h2 id="profile-title">{t('account.profile')}</h2>
        <p>
          {account.email} ({t('account.emailConfirmed')}) ·{' '}
          {t('account.since', { date: formatDate(locale, account.createdAt) })}
        </p>
        <PostForm action="/compte/profil">
          <Field
            name="displayName"
            label={labels.displayName}
            hint={t('auth.field.displayName.hint')}
            required
            value={values.displayName ?? account.displayName}
            error={errors.displayName}
            autocomplete="nickname"
            maxLength={100}
          />
          <Field
            name="locale"
            label={labels.locale}
            value={values.locale ?? account.locale}
            error={errors.locale}
            options={[
              { value: 'fr', label: 'Français', lang: 'fr' },
              { value: 'en', label: 'English', lang: 'en' },
            ]}
          />
          <button type="submit">{t('account.saveProfile')}</button>
        </PostForm>
      </section>
      <section aria-labelledby="roles-title">
        <h2 id="roles-title">{t('account.roles')}</h2>
        {account.isPlatformAdmin && <p>{t('account.platformAdmin')}</p>}
        {account.roles.length === 0 ? (
          <p>{t('account.noRoles')}</p>
        ) : (
          <ul>
            {account.roles.map((r) => (
              <li>
                {t(`role.${r.role}` as MessageKey)} — <a href={r.territoryUrl}>{r.territoryName}</a>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="password-title">
        <h2 id="password-title">{t('account.password')}</h2>
        <PostForm action="/compte/mot-de-passe">
          <input type="text" name="email" value={account.email} autocomplete="username" hidden />
          <Field
            name="currentPassword"
            type="password"
            label={labels.currentPassword}
            required
            error={errors.currentPassword}
            autocomplete="current-password"
          />
          <Field
            name="newPassword"
            type="password"
            label={labels.newPassword}
            hint={t('auth.field.password.hint', { min: PASSWORD_MIN_LENGTH })}
            required
            error={errors.newPassword}
            autocomplete="new-password"
          />
          <button type="submit">{t('form.save')}</button>
        </PostForm>
      </section>
      <section aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t('account.sessions.title')}</h2>
        <p>{t('account.sessions.lead')}</p>
        <table>
          <caption class="visually-hidden">{t('account.sessions.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('account.sessions.device')}</th>
              <th scope="col">{t('account.sessions.since')}</th>
              <th scope="col">{t('account.sessions.lastSeen')}</th>
              <th scope="col">{t('account.sessions.action')}</th>
            </tr>
          </thead>
          <tbody>
            {account.sessions.map((session) => (
              <tr>
                <td>{session.device || t('account.sessions.unknownDevice')}</td>
                <td>{formatDateTime(locale, session.createdAt)}</td>
                <td>{formatDateTime(locale, session.lastSeenAt)}</td>
                <td>
                  {session.current ? (
                    <strong>{t('account.sessions.current')}</strong>
                  ) : (
                    <PostForm action={`/compte/sessions/${session.id}/fermer`}>
                      <button
                        type="submit"
                        aria-label={t('account.sessions.endOne', {
                          device: session.device || t('account.sessions.unknownDevice'),
                          date: formatDateTime(locale, session.lastSeenAt),
                        })}
                      >
                        {t('account.sessions.end')}
                      </button>
                    </PostForm>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <PostForm action="/compte/sessions/fermer-toutes">
          <input type="text" name="email" value={account.email} autocomplete="username" hidden />
          <Field
            name="everywherePassword"
            type="password"
            label={labels.everywherePassword}
            required
            error={errors.everywherePassword}
            autocomplete="current-password"
          />
          <button type="submit">{t('account.sessions.endAll')}</button>
        </PostForm>
      </section>
      <section aria-labelledby="delete-title" class="danger-zone">
        <h2 id="delete-title">{t('account.delete')}</h2>
        <p>{t('account.delete.lead')}</p>
        <PostForm action="/compte/supprimer">
          <Field
            name="confirmation"
            label={labels.confirmation}
            required
            error={errors.confirmation}
            autocomplete="off"
          />
          <button type="submit" class="danger">
            {t('account.delete.submit')}
          </button>
        </PostForm>
      </section>
    </>
  )
}
