import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { closeSession, endSession, listSessions, openSession } from '../../platform/auth/sessions.ts'
import { DeviceCookies, throttleKeys } from '../../platform/auth/signin-throttle.ts'
import { AppError } from '../../platform/errors.ts'
import { FormBody, formValues, parseForm, safeNextPath, type FieldRule } from '../../platform/http/forms.ts'
import { rememberLocale } from '../../platform/http/locale.ts'
import { secretQueryParam } from '../../platform/http/kernel.tsx'
import { emailRule, textRule } from '../../platform/http/rules.ts'
import { isLocale, type Locale, type MessageKey } from '../../platform/i18n/index.ts'
import { getTerritorySummaries, territoryPath } from '../territories/index.ts'
import {
  changePassword,
  checkResetToken,
  confirmEmail,
  deleteAccount,
  passwordRule,
  requestPasswordReset,
  resetPassword,
  signIn,
  signOutEverywhere,
  signUp,
  updateProfile,
  type AccountDeps,
  type LinkOutcome,
} from './service.ts'
import {
  AccountPage,
  ForgotPasswordPage,
  MessagePage,
  ResetPasswordPage,
  SignInPage,
  SignUpPage,
  type AccountView,
} from './views.tsx'

const TokenQuery = Type.Object({ token: Type.Optional(Type.String({ maxLength: 1000 })) })
const NextQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })) })

const LINK_MESSAGES: Record<LinkOutcome, MessageKey> = {
  done: 'auth.confirm.done',
  already: 'auth.confirm.already',
  invalid: 'auth.link.invalid',
  expired: 'auth.link.expired',
  used: 'auth.link.used',
}

const localeRule: FieldRule<Locale> = (raw) => (isLocale(raw) ? { value: raw } : { error: 'form.required' })

/** Sign-up, confirmation, sign-in and out, password reset, and the account page. */
export default async function accountPublicRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const deps = (): AccountDeps => {
    const { database, mailer, tokens, config } = app.platform
    return { db: database.db, mailer, tokens, baseUrl: config.baseUrl }
  }
  const signinLimit = { max: app.platform.config.signinRateLimit, timeWindow: 15 * 60 * 1000 }
  const devices = new DeviceCookies(app.platform.config.sessionSecret)
  const secureCookies = app.platform.config.baseUrl.protocol === 'https:'
  const db = () => app.platform.database.db
  // account mails are queued (same work whatever the address): the worker is woken to send them now
  const sendQueuedMail = () => app.jobs.wake()

  app.get('/inscription', { schema: { hide: true } }, async (req, reply) => {
    if (req.user) return reply.redirect('/compte', 303)
    return reply.page(req.t('auth.signup.title'), <SignUpPage values={{}} errors={{}} />)
  })

  app.post(
    '/inscription',
    { schema: { body: FormBody, hide: true }, config: { rateLimit: signinLimit } },
    async (req, reply) => {
      const parsed = parseForm(
        { displayName: textRule(1, 100, 'auth.error.displayName'), email: emailRule, password: passwordRule },
        req.body,
        req.t,
      )
      if (!parsed.ok)
        return reply.page(req.t('auth.signup.title'), <SignUpPage values={parsed.values} errors={parsed.errors} />, 422)
      await signUp(deps(), { ...parsed.data, locale: req.locale })
      sendQueuedMail()
      return reply.page(
        req.t('auth.signup.title'),
        <MessagePage title={req.t('auth.signup.title')} message={req.t('auth.signup.done')} />,
      )
    },
  )

  app.get(
    '/compte/confirmer',
    { schema: { querystring: TokenQuery, hide: true }, config: { secretQuery: ['token'] } },
    async (req, reply) => {
      const outcome = await confirmEmail(deps(), secretQueryParam(req, 'token'))
      const status = outcome === 'done' || outcome === 'already' ? 200 : 400
      return reply.page(
        req.t('auth.signin.title'),
        <MessagePage title={req.t('auth.signin.title')} message={req.t(LINK_MESSAGES[outcome])} />,
        status,
      )
    },
  )

  app.get('/connexion', { schema: { querystring: NextQuery, hide: true } }, async (req, reply) => {
    const next = safeNextPath(req.query.next, '/compte')
    if (req.user) return reply.redirect(next, 303)
    return reply.page(req.t('auth.signin.title'), <SignInPage values={{}} errors={{}} next={next} />)
  })

  app.post(
    '/connexion',
    { schema: { body: FormBody, hide: true }, config: { rateLimit: signinLimit } },
    async (req, reply) => {
      const values = formValues(req.body)
      const next = safeNextPath(values.next, '/compte')
      const parsed = parseForm({ email: emailRule, password: textRule(1, 1000, 'auth.signin.failed') }, req.body, req.t)
      if (!parsed.ok)
        return reply.page(
          req.t('auth.signin.title'),
          <SignInPage values={parsed.values} errors={parsed.errors} next={next} />,
          422,
        )
      const device = devices.check(req.cookies.thc_device, parsed.data.email)
      const result = await signIn(deps(), {
        email: parsed.data.email,
        password: values.password ?? '',
        throttle: throttleKeys(parsed.data.email, req.ip, device),
      })
      if (!result.ok) {
        if (result.reason === 'unconfirmed') sendQueuedMail()
        const seconds = result.reason === 'throttled' ? Math.ceil(result.retryAfterMs / 1000) : 0
        if (seconds > 0) reply.header('retry-after', String(seconds))
        const message =
          result.reason === 'throttled'
            ? req.t('auth.signin.throttled', { seconds })
            : req.t(result.reason === 'unconfirmed' ? 'auth.signin.unconfirmed' : 'auth.signin.failed')
        const status = result.reason === 'failed' ? 401 : result.reason === 'throttled' ? 429 : 403
        return reply.page(
          req.t('auth.signin.title'),
          <SignInPage values={{ email: parsed.data.email }} errors={{}} next={next} message={message} />,
          status,
        )
      }
      await openSession(db(), req, result.user.id)
      if (!device) {
        // this device is now trusted for this address: a stranger's failures on it will not slow it down
        const kept = (req.cookies.thc_device ?? '')
          .split(',')
          .filter((entry) => entry.includes('.'))
          .slice(-4)
        reply.setCookie('thc_device', [...kept, devices.issue(parsed.data.email)].join(','), {
          path: '/connexion',
          httpOnly: true,
          sameSite: 'lax',
          secure: secureCookies,
          maxAge: 365 * 86400,
        })
      }
      req.flash('notice', req.t('auth.signin.welcome'))
      return reply.redirect(next, 303)
    },
  )

  app.post('/deconnexion', { schema: { body: FormBody, hide: true } }, async (req, reply) => {
    await closeSession(db(), req)
    rememberLocale(reply, req.locale)
    return reply.redirect('/', 303)
  })

  app.get('/compte/mot-de-passe-oublie', { schema: { hide: true } }, async (req, reply) =>
    reply.page(req.t('auth.forgot.title'), <ForgotPasswordPage values={{}} errors={{}} />),
  )

  app.post(
    '/compte/mot-de-passe-oublie',
    { schema: { body: FormBody, hide: true }, config: { rateLimit: signinLimit } },
    async (req, reply) => {
      const parsed = parseForm({ email: emailRule }, req.body, req.t)
      if (!parsed.ok)
        return reply.page(
          req.t('auth.forgot.title'),
          <ForgotPasswordPage values={parsed.values} errors={parsed.errors} />,
          422,
        )
      await requestPasswordReset(deps(), parsed.data.email, req.locale)
      sendQueuedMail()
      return reply.page(
        req.t('auth.forgot.title'),
        <MessagePage title={req.t('auth.forgot.title')} message={req.t('auth.forgot.done')} />,
      )
    },
  )

  const linkProblem = (req: FastifyRequest, reply: FastifyReply, outcome: LinkOutcome) =>
    reply.page(
      req.t('auth.reset.title'),
      <MessagePage title={req.t('auth.reset.title')} message={req.t(LINK_MESSAGES[outcome])} />,
      400,
    )

  app.get(
    '/compte/reinitialiser',
    { schema: { querystring: TokenQuery, hide: true }, config: { secretQuery: ['token'] } },
    async (req, reply) => {
      const token = secretQueryParam(req, 'token')
      const { outcome } = await checkResetToken(deps(), token)
      if (outcome !== 'done') return linkProblem(req, reply, outcome)
      return reply.page(req.t('auth.reset.title'), <ResetPasswordPage token={token} errors={{}} />)
    },
  )

  app.post(
    '/compte/reinitialiser',
    { schema: { body: FormBody, hide: true }, config: { rateLimit: signinLimit } },
    async (req, reply) => {
      const token = formValues(req.body).token ?? ''
      const parsed = parseForm({ password: passwordRule }, req.body, req.t)
      if (!parsed.ok) {
        const { outcome } = await checkResetToken(deps(), token)
        if (outcome !== 'done') return linkProblem(req, reply, outcome)
        return reply.page(req.t('auth.reset.title'), <ResetPasswordPage token={token} errors={parsed.errors} />, 422)
      }
      const outcome = await resetPassword(deps(), token, parsed.data.password)
      if (outcome !== 'done') return linkProblem(req, reply, outcome)
      req.session.delete()
      return reply.page(
        req.t('auth.reset.title'),
        <MessagePage title={req.t('auth.reset.title')} message={req.t('auth.reset.done')} />,
      )
    },
  )

  async function renderAccount(
    req: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string>,
    errors: Record<string, string>,
    status = 200,
  ) {
    const user = requireUser(req)
    const territories = await getTerritorySummaries(app.platform.database.db, [
      ...new Set(user.roles.map((r) => r.territoryId)),
    ])
    const byId = new Map(territories.map((t) => [t.id, t]))
    const sessions = await listSessions(db(), user.id)
    const account: AccountView = {
      sessions: sessions.map((session) => ({ ...session, current: session.id === user.sessionId })),
      email: user.email,
      displayName: user.displayName,
      locale: user.locale,
      createdAt: user.createdAt,
      isPlatformAdmin: user.isPlatformAdmin,
      roles: user.roles.flatMap((r) => {
        const territory = byId.get(r.territoryId)
        return territory
          ? [{ role: r.role, territoryName: territory.name, territoryUrl: territoryPath(territory) }]
          : []
      }),
    }
    return reply.page(req.t('account.title'), <AccountPage account={account} values={values} errors={errors} />, status)
  }

  app.get('/compte', { schema: { hide: true } }, async (req, reply) => renderAccount(req, reply, {}, {}))

  app.post('/compte/profil', { schema: { body: FormBody, hide: true } }, async (req, reply) => {
    const actor = requireUser(req)
    const parsed = parseForm(
      { displayName: textRule(1, 100, 'auth.error.displayName'), locale: localeRule },
      req.body,
      req.t,
    )
    if (!parsed.ok) return renderAccount(req, reply, parsed.values, parsed.errors, 422)
    await updateProfile(deps(), actor, parsed.data)
    rememberLocale(reply, parsed.data.locale)
    req.flash('notice', req.t('account.profileSaved'))
    return reply.redirect('/compte', 303)
  })

  app.post(
    '/compte/mot-de-passe',
    { schema: { body: FormBody, hide: true }, config: { rateLimit: signinLimit } },
    async (req, reply) => {
      const actor = requireUser(req)
      const parsed = parseForm(
        { currentPassword: textRule(1, 1000, 'auth.error.currentPassword'), newPassword: passwordRule },
        req.body,
        req.t,
      )
      if (!parsed.ok) return renderAccount(req, reply, {}, parsed.errors, 422)
      try {
        await changePassword(deps(), actor, parsed.data)
      } catch (error) {
        if (error instanceof AppError && error.code === 'WRONG_PASSWORD') {
          return renderAccount(req, reply, {}, { currentPassword: req.t('auth.error.currentPassword') }, 422)
        }
        throw error
      }
      req.flash('notice', req.t('account.passwordSaved'))
      return reply.redirect('/compte', 303)
    },
  )

  app.post(
    '/compte/sessions/:id/fermer',
    { schema: { params: Type.Object({ id: Type.String({ maxLength: 40 }) }), body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      if (req.params.id === actor.sessionId) return reply.redirect('/compte', 303) // this one ends with « Se déconnecter »
      const ended = await endSession(db(), actor.id, req.params.id)
      req.flash('notice', req.t(ended ? 'account.sessions.ended' : 'account.sessions.gone'))
      return reply.redirect('/compte#sessions-title', 303)
    },
  )

  app.post(
    '/compte/sessions/fermer-toutes',
    { schema: { body: FormBody, hide: true }, config: { rateLimit: signinLimit } },
    async (req, reply) => {
      const actor = requireUser(req)
      try {
        await signOutEverywhere(deps(), actor, formValues(req.body).everywherePassword ?? '')
      } catch (error) {
        if (error instanceof AppError && error.code === 'WRONG_PASSWORD')
          return renderAccount(req, reply, {}, { everywherePassword: req.t('auth.error.currentPassword') }, 422)
        throw error
      }
      req.session.delete()
      rememberLocale(reply, req.locale)
      return reply.page(
        req.t('account.sessions.title'),
        <MessagePage title={req.t('account.sessions.title')} message={req.t('account.sessions.allEnded')} />,
      )
    },
  )

  app.post('/compte/supprimer', { schema: { body: FormBody, hide: true } }, async (req, reply) => {
    const actor = requireUser(req)
    if (formValues(req.body).confirmation?.trim() !== 'SUPPRIMER') {
      return renderAccount(req, reply, {}, { confirmation: req.t('auth.error.deleteConfirm') }, 422)
    }
    await deleteAccount(deps(), actor)
    req.session.delete()
    rememberLocale(reply, req.locale)
    return reply.page(
      req.t('account.delete'),
      <MessagePage title={req.t('account.delete')} message={req.t('account.deleted')} />,
    )
  })
}
