import { createLogger, outboxDir } from '../bootstrap.ts'
import {
  ensureAdministrator,
  grantRole,
  isPlatformRole,
  isTerritoryRole,
  revokeRole,
  setPlatformRole,
} from '../modules/accounts/index.ts'
import { PASSWORD_MIN_LENGTH } from '../platform/auth/passwords.ts'
import { TokenSigner } from '../platform/auth/tokens.ts'
import { migrate } from '../platform/db/migrate.ts'
import { emailRule } from '../platform/http/rules.ts'
import { createMailer } from '../platform/mail.ts'
import { explain, out, readStdin, required, UsageError, type Command } from './command.ts'

function roleArgs(values: Record<string, unknown>) {
  const email = emailRule(required(values, 'email'), {})
  if ('error' in email) throw new UsageError(`--email: not a valid e-mail address`)
  const role = required(values, 'role')
  if (!isTerritoryRole(role)) throw new UsageError('--role must be one of: editor, elected, reviewer, moderator')
  return { email: email.value, territoryRef: required(values, 'territory'), role }
}

function networkRoleArgs(values: Record<string, unknown>) {
  const email = emailRule(required(values, 'email'), {})
  if ('error' in email) throw new UsageError(`--email: not a valid e-mail address`)
  const role = required(values, 'role')
  if (!isPlatformRole(role)) throw new UsageError('--role must be: referentiel_moderator')
  return { email: email.value, role }
}

/** A chain head kept from the public feed: one entry of /api/v1/history/heads, checked against its own digest. */

export const accountCommands: Record<string, Command> = {
  'admin:create': {
    summary: 'Create the first platform administrator (or promote an existing account)',
    usage: 'admin:create --email admin@example.org [--name "Équipe du réseau"] [--password-stdin]',
    options: { email: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    async run({ config, database, values }) {
      await migrate(database)
      const email = emailRule(required(values, 'email'), {})
      if ('error' in email) throw new UsageError('--email: not a valid e-mail address')
      let password: string | null = null
      if (values['password-stdin']) {
        password = await readStdin()
        if (password.length < PASSWORD_MIN_LENGTH)
          throw new UsageError(`the password must have at least ${PASSWORD_MIN_LENGTH} characters`)
      }
      const log = createLogger({ logLevel: 'warn' })
      const deps = {
        db: database.db,
        mailer: createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: outboxDir(config), log }),
        tokens: new TokenSigner(config.sessionSecret),
        baseUrl: config.baseUrl,
      }
      const displayName =
        typeof values.name === 'string' && values.name.trim() ? values.name.trim().slice(0, 100) : 'Administration'
      const result = await ensureAdministrator(deps, { email: email.value, displayName, password })
      out(
        result.created
          ? `Created the administrator ${email.value}.`
          : `${email.value} is now a platform administrator.`,
      )
      if (result.passwordLink) out(`Choose the password within one hour at:\n${result.passwordLink}`)
    },
  },
  'roles:grant': {
    summary: 'Grant a per-territory role: editor, elected, reviewer or moderator',
    usage: 'roles:grant --email person@example.org --territory commune/35238 --role editor',
    options: { email: { type: 'string' }, territory: { type: 'string' }, role: { type: 'string' } },
    async run({ database, values }) {
      await migrate(database)
      const input = roleArgs(values)
      const added = await grantRole(database.db, null, input).catch(explain)
      out(
        added
          ? `Granted ${input.role} in ${input.territoryRef} to ${input.email}.`
          : `${input.email} already holds ${input.role} in ${input.territoryRef}.`,
      )
    },
  },
  'roles:revoke': {
    summary: 'Revoke a per-territory role',
    usage: 'roles:revoke --email person@example.org --territory commune/35238 --role editor',
    options: { email: { type: 'string' }, territory: { type: 'string' }, role: { type: 'string' } },
    async run({ database, values }) {
      await migrate(database)
      const input = roleArgs(values)
      const removed = await revokeRole(database.db, null, input).catch(explain)
      out(
        removed
          ? `Revoked ${input.role} in ${input.territoryRef} from ${input.email}.`
          : `${input.email} did not hold ${input.role} in ${input.territoryRef}.`,
      )
    },
  },
  'roles:grant-network': {
    summary: 'Grant a network-wide role: referentiel_moderator (moderates every fiche of the référentiel)',
    usage: 'roles:grant-network --email person@example.org --role referentiel_moderator',
    options: { email: { type: 'string' }, role: { type: 'string' } },
    async run({ database, values }) {
      await migrate(database)
      const input = networkRoleArgs(values)
      const added = await setPlatformRole(database.db, null, { ...input, granted: true }).catch(explain)
      out(added ? `Granted ${input.role} to ${input.email}.` : `${input.email} already holds ${input.role}.`)
    },
  },
  'roles:revoke-network': {
    summary: 'Revoke a network-wide role',
    usage: 'roles:revoke-network --email person@example.org --role referentiel_moderator',
    options: { email: { type: 'string' }, role: { type: 'string' } },
    async run({ database, values }) {
      await migrate(database)
      const input = networkRoleArgs(values)
      const removed = await setPlatformRole(database.db, null, { ...input, granted: false }).catch(explain)
      out(removed ? `Revoked ${input.role} from ${input.email}.` : `${input.email} did not hold ${input.role}.`)
    },
  },
}
