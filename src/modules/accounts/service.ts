import { sql } from 'drizzle-orm'
import { recordAudit } from '../../platform/audit.ts'
import type { CurrentUser } from '../../platform/auth/current-user.ts'
import {
  hashPassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  verifyPassword,
} from '../../platform/auth/passwords.ts'
import { passwordWeakness } from '../../platform/auth/password-strength.ts'
import { endSessions } from '../../platform/auth/sessions.ts'
import {
  clearFailures,
  recordFailure,
  waitBeforeAttempt,
  type ThrottleKeys,
} from '../../platform/auth/signin-throttle.ts'
import { enqueueJob, type JobHandler } from '../../platform/jobs.ts'
import type { UserRow } from '../../platform/auth/tables.ts'
import { stampOf, type TokenPurpose, type TokenSigner } from '../../platform/auth/tokens.ts'
import { queryRows, type Db } from '../../platform/db/index.ts'
import { AppError } from '../../platform/errors.ts'
import type { FieldResult, FieldRule } from '../../platform/http/forms.ts'
import { translator, type Locale } from '../../platform/i18n/index.ts'
import type { Mailer } from '../../platform/mail.ts'
import * as queries from './queries.ts'

export interface AccountDeps {
  db: Db
  mailer: Mailer
  tokens: TokenSigner
  baseUrl: URL
}

const CONFIRM_LIFETIME_MS = 48 * 3600 * 1000

const RESET_LIFETIME_MS = 3600 * 1000

/** The name shown with a person's public contributions; deleted accounts show as "compte supprimé". */
export function publicName(user: Pick<UserRow, 'displayName' | 'deletedAt'>, locale: Locale = 'fr'): string {
  return user.deletedAt || !user.displayName ? translator(locale)('account.deletedName') : user.displayName
}

/**
 * The password rule of the platform: length bounds, not the e-mail address itself, and hard to guess (zxcvbn: no
 * common password, keyboard row, repeat, sequence, date or name, nor one built on the person's address or name).
 */
export const passwordRule: FieldRule<string> = (raw, form): FieldResult<string> => {
  if (raw.length < PASSWORD_MIN_LENGTH)
    return { error: 'auth.error.passwordShort', params: { min: PASSWORD_MIN_LENGTH } }
  if (raw.length > PASSWORD_MAX_LENGTH)
    return { error: 'auth.error.passwordLong', params: { max: PASSWORD_MAX_LENGTH } }
  if (form.email && raw.trim().toLowerCase() === form.email.trim().toLowerCase())
    return { error: 'auth.error.passwordIsEmail' }
  const weakness = passwordWeakness(raw, [form.email ?? '', form.displayName ?? ''])
  if (weakness) return { error: `auth.error.passwordWeak.${weakness}` }
  return { value: raw }
}

// Stamps tie a link to the account's state: a reset link dies once the password changes,
// a confirmation link once the address changes.
const confirmStamp = (user: UserRow) => stampOf(`confirm:${user.email}`)

const resetStamp = (user: UserRow) => stampOf(`reset:${user.passwordHash ?? ''}:${user.email}`)

export function link(
  deps: AccountDeps,
  path: string,
  purpose: TokenPurpose,
  user: UserRow,
  lifetimeMs: number,
): string {
  const token = deps.tokens.sign({
    purpose,
    userId: user.id,
    stamp: purpose === 'confirm-email' ? confirmStamp(user) : resetStamp(user),
    expiresAt: new Date(Date.now() + lifetimeMs),
  })
  return new URL(`${path}?token=${token}`, deps.baseUrl).toString()
}

/** The mails of accounts go through the job queue, so that a request does the same work whatever the address. */
export const ACCOUNT_MAIL_JOB = 'account.mail'

type AccountMail =
  | { kind: 'confirm'; userId: string }
  | { kind: 'exists'; userId: string }
  | { kind: 'reset'; email: string; locale: Locale }

const queueMail = (db: Db, mail: AccountMail) => enqueueJob(db, { kind: ACCOUNT_MAIL_JOB, payload: mail })

/** Sends one queued account mail: a confirmation link, a note to the owner of an address already signed up, a reset link. */
async function sendAccountMail(deps: AccountDeps, mail: AccountMail): Promise<void> {
  const user =
    mail.kind === 'reset'
      ? await queries.findUserByEmail(deps.db, mail.email)
      : await queries.findUserById(deps.db, mail.userId)
  if (!user || user.deletedAt || !user.email) return // an unknown address asked for a reset: nothing is sent
  const t = translator(user.locale === 'en' ? 'en' : 'fr')
  if (mail.kind === 'confirm') {
    if (user.emailConfirmedAt) return
    await deps.mailer.send({
      to: user.email,
      subject: t('auth.mail.confirm.subject'),
      text: t('auth.mail.confirm.body', {
        name: user.displayName ?? '',
        link: link(deps, '/compte/confirmer', 'confirm-email', user, CONFIRM_LIFETIME_MS),
      }),
    })
  } else if (mail.kind === 'exists') {
    await deps.mailer.send({
      to: user.email,
      subject: t('auth.mail.exists.subject'),
      text: t('auth.mail.exists.body', {
        signin: new URL('/connexion', deps.baseUrl).toString(),
        forgot: new URL('/compte/mot-de-passe-oublie', deps.baseUrl).toString(),
      }),
    })
  } else {
    await deps.mailer.send({
      to: user.email,
      subject: t('auth.mail.reset.subject'),
      text: t('auth.mail.reset.body', { name: user.displayName ?? '', link: passwordResetLink(deps, user) }),
    })
  }
}

/** The background job that sends account mails. */
export function accountJobHandlers(deps: () => AccountDeps): Record<string, JobHandler> {
  return { [ACCOUNT_MAIL_JOB]: (payload) => sendAccountMail(deps(), payload as unknown as AccountMail) }
}

export interface SignUpInput {
  email: string
  displayName: string
  password: string
  locale: Locale
}

/**
 * Creates an unconfirmed account and queues its confirmation link. If the address already has an account, its
 * owner is mailed instead. Both paths do the same work — a password hash, one insert attempt, one audit row, one
 * queued mail — so the answer and its timing say nothing of the address (no enumeration).
 */
export async function signUp(deps: AccountDeps, input: SignUpInput): Promise<void> {
  const passwordHash = await hashPassword(input.password)
  await deps.db.transaction(async (tx) => {
    const [created] = await queryRows<{ id: string }>(
      tx,
      sql`insert into users (email, display_name, password_hash, locale) values (${input.email}, ${input.displayName}, ${passwordHash}, ${input.locale})
          on conflict (email) where email is not null do nothing returning id`,
    )
    if (created) {
      await recordAudit(tx, {
        actorId: created.id,
        action: 'account.created',
        subjectType: 'user',
        subjectId: created.id,
        after: { displayName: input.displayName, locale: input.locale },
      })
      await queueMail(tx, { kind: 'confirm', userId: created.id })
      return
    }
    const [existing] = await queryRows<{ id: string }>(tx, sql`select id from users where email = ${input.email}`)
    await recordAudit(tx, {
      actorId: null,
      action: 'account.signup_for_existing',
      subjectType: 'user',
      subjectId: existing?.id ?? null,
    })
    if (existing) await queueMail(tx, { kind: 'exists', userId: existing.id })
  })
}

export type LinkOutcome = 'done' | 'already' | 'invalid' | 'expired' | 'used'

/** Confirms the address of the account a confirmation link names. */
export async function confirmEmail(deps: AccountDeps, token: string): Promise<LinkOutcome> {
  const check = deps.tokens.verify(token, 'confirm-email')
  if (!check.ok) return check.reason === 'expired' ? 'expired' : 'invalid'
  const user = await queries.findUserById(deps.db, check.userId)
  if (!user || user.deletedAt) return 'invalid'
  if (check.stamp !== confirmStamp(user)) return 'used'
  if (user.emailConfirmedAt) return 'already'
  await deps.db.transaction(async (tx) => {
    await queries.updateUser(tx, user.id, { emailConfirmedAt: new Date() })
    await recordAudit(tx, {
      actorId: user.id,
      action: 'account.email_confirmed',
      subjectType: 'user',
      subjectId: user.id,
    })
  })
  return 'done'
}

export type SignInResult =
  | { ok: true; user: UserRow }
  | { ok: false; reason: 'failed' | 'unconfirmed' }
  | { ok: false; reason: 'throttled'; retryAfterMs: number }

/**
 * Checks an address and password. Failures slow down the client that makes them, counted alike for known and
 * unknown addresses (signin-throttle.ts); the answer is the same for both. An unconfirmed account whose password
 * is right gets a fresh confirmation link.
 */
export async function signIn(
  deps: AccountDeps,
  input: { email: string; password: string; throttle: ThrottleKeys },
): Promise<SignInResult> {
  const wait = await waitBeforeAttempt(deps.db, input.throttle)
  if (wait > 0) return { ok: false, reason: 'throttled', retryAfterMs: wait }
  const user = await queries.findUserByEmail(deps.db, input.email)
  const valid = await verifyPassword(user?.passwordHash ?? null, input.password)
  if (!user || !valid) {
    await recordFailure(deps.db, input.throttle)
    return { ok: false, reason: 'failed' }
  }
  await clearFailures(deps.db, input.throttle)
  if (!user.emailConfirmedAt) {
    await queueMail(deps.db, { kind: 'confirm', userId: user.id })
    return { ok: false, reason: 'unconfirmed' }
  }
  await deps.db.transaction(async (tx) => {
    await queries.updateUser(tx, user.id, { lastSigninAt: new Date() })
    await recordAudit(tx, { actorId: user.id, action: 'account.signed_in', subjectType: 'user', subjectId: user.id })
  })
  return { ok: true, user }
}

/** Queues a one-hour reset link for the address; the mail goes only if it has an account, and the answer is the same either way. */
export async function requestPasswordReset(deps: AccountDeps, email: string, locale: Locale): Promise<void> {
  await queueMail(deps.db, { kind: 'reset', email, locale })
}

/** A link to choose a password, valid for an hour and once (the command line prints one for a new administrator). */
export function passwordResetLink(deps: AccountDeps, user: UserRow): string {
  return link(deps, '/compte/reinitialiser', 'reset-password', user, RESET_LIFETIME_MS)
}

/** Checks a reset link without using it (to show the form or say why not). */
export async function checkResetToken(
  deps: AccountDeps,
  token: string,
): Promise<{ outcome: LinkOutcome; user?: UserRow }> {
  const check = deps.tokens.verify(token, 'reset-password')
  if (!check.ok) return { outcome: check.reason === 'expired' ? 'expired' : 'invalid' }
  const user = await queries.findUserById(deps.db, check.userId)
  if (!user || user.deletedAt) return { outcome: 'invalid' }
  if (check.stamp !== resetStamp(user)) return { outcome: 'used' }
  return { outcome: 'done', user }
}

/** Sets a new password from a reset link; ends every session of the account; also confirms the address it came to. */
export async function resetPassword(deps: AccountDeps, token: string, password: string): Promise<LinkOutcome> {
  const { outcome, user } = await checkResetToken(deps, token)
  if (outcome !== 'done' || !user) return outcome
  const passwordHash = await hashPassword(password)
  await deps.db.transaction(async (tx) => {
    await queries.updateUser(tx, user.id, {
      passwordHash,
      sessionVersion: user.sessionVersion + 1,
      emailConfirmedAt: user.emailConfirmedAt ?? new Date(),
    })
    const ended = await endSessions(tx, user.id)
    await recordAudit(tx, {
      actorId: user.id,
      action: 'account.password_reset',
      subjectType: 'user',
      subjectId: user.id,
      after: { sessionsEnded: ended },
    })
  })
  return 'done'
}

/** Changes the signed-in person's name and language. */
export async function updateProfile(
  deps: AccountDeps,
  actor: CurrentUser,
  input: { displayName: string; locale: Locale },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await queries.updateUser(tx, actor.id, input)
    await recordAudit(tx, {
      actorId: actor.id,
      action: 'account.profile_updated',
      subjectType: 'user',
      subjectId: actor.id,
      before: { displayName: actor.displayName, locale: actor.locale },
      after: input,
    })
  })
}

/** Throws 422 WRONG_PASSWORD unless this is the signed-in person's current password (asked again before sensitive changes). */
export async function assertCurrentPassword(deps: AccountDeps, actor: CurrentUser, password: string): Promise<UserRow> {
  const user = await queries.findUserById(deps.db, actor.id)
  if (!user || !(await verifyPassword(user.passwordHash, password))) {
    throw new AppError('WRONG_PASSWORD', {
      status: 422,
      userMessage: 'auth.error.currentPassword',
      fields: { currentPassword: 'auth.error.currentPassword' },
    })
  }
  return user
}

/** Changes the password after checking the current one; every other session of the account ends. */
export async function changePassword(
  deps: AccountDeps,
  actor: CurrentUser,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const user = await assertCurrentPassword(deps, actor, input.currentPassword)
  const passwordHash = await hashPassword(input.newPassword)
  await deps.db.transaction(async (tx) => {
    await queries.updateUser(tx, user.id, { passwordHash, sessionVersion: user.sessionVersion + 1 })
    const ended = await endSessions(tx, user.id, { except: actor.sessionId })
    await recordAudit(tx, {
      actorId: user.id,
      action: 'account.password_changed',
      subjectType: 'user',
      subjectId: user.id,
      after: { sessionsEnded: ended },
    })
  })
}

/** Ends every session of the signed-in person (every device, this one included), after checking their password. */
export async function signOutEverywhere(
  deps: AccountDeps,
  actor: CurrentUser,
  currentPassword: string,
): Promise<number> {
  await assertCurrentPassword(deps, actor, currentPassword)
  return deps.db.transaction(async (tx) => {
    const ended = await endSessions(tx, actor.id)
    await recordAudit(tx, {
      actorId: actor.id,
      action: 'account.signed_out_everywhere',
      subjectType: 'user',
      subjectId: actor.id,
      after: { sessionsEnded: ended },
    })
    return ended
  })
}

/**
 * Deletes the signed-in person's account: personal data erased (address, name, password), roles removed,
 * the row kept so that public contributions stay attributed to "compte supprimé".
 */
export async function deleteAccount(deps: AccountDeps, actor: CurrentUser): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const roles = await queries.deleteRolesOfUser(tx, actor.id)
    await queries.updateUser(tx, actor.id, {
      email: null,
      displayName: null,
      passwordHash: null,
      isPlatformAdmin: false,
      deletedAt: new Date(),
      sessionVersion: actor.sessionVersion + 1,
    })
    await endSessions(tx, actor.id)
    await recordAudit(tx, {
      actorId: actor.id,
      action: 'account.deleted',
      subjectType: 'user',
      subjectId: actor.id,
      after: { rolesRemoved: roles },
    })
  })
}
