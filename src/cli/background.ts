import { backgroundWork } from '../background.ts'
import { platformResources } from '../resources.ts'
import { createLogger, outboxDir } from '../bootstrap.ts'
import { eraseExpiredVolunteerContacts } from '../modules/assemblies/index.ts'
import { counted } from '../platform/i18n/index.ts'
import { TokenSigner } from '../platform/auth/tokens.ts'
import type { Config } from '../platform/config.ts'
import type { Database } from '../platform/db/index.ts'
import { migrate } from '../platform/db/migrate.ts'
import { runDueJobs } from '../platform/jobs.ts'
import { createMailer } from '../platform/mail.ts'
import { out, type Command } from './command.ts'

/** The database migrated, and the background work as the server's worker has it, mailing as configured. */
async function preparedWork(config: Config, database: Database) {
  await migrate(database)
  const log = createLogger({ logLevel: 'warn' })
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: outboxDir(config), log })
  const work = backgroundWork({
    db: database.db,
    mailer,
    tokens: new TokenSigner(config.sessionSecret),
    baseUrl: config.baseUrl,
    resources: platformResources(),
  })
  return { log, work }
}

export const backgroundCommands: Record<string, Command> = {
  'events:remind': {
    summary:
      'Mail a reminder to everyone registered for an event starting within the next 24 hours (once each; run it hourly)',
    usage: 'events:remind',
    options: {},
    async run({ config, database }) {
      const { log, work } = await preparedWork(config, database)
      const sent = await work.tasks.reminders()
      // the reminders are queued with the rest of the mail: send what is due now
      await runDueJobs(database.db, work.handlers, log)
      out(`${counted('en', sent, 'reminder', 'reminders')} sent.`)
    },
  },
  'assemblies:erase-contacts': {
    summary:
      "Erase the names and contacts of citizens' assemblies' volunteers whose retention period is over (the background worker does it too)",
    usage: 'assemblies:erase-contacts',
    options: {},
    async run({ database }) {
      await migrate(database)
      const erased = await eraseExpiredVolunteerContacts(database.db)
      out(`${counted('en', erased, 'volunteer', 'volunteers')} erased.`)
    },
  },
  'jobs:run': {
    summary:
      'Run background work once: queue the digests that are due, send event reminders, publish the history heads that are due, prune ended sessions, erase the contacts of assemblies’ volunteers past their retention, then run every due job (account mails, immediate mails, digests); for installations that set JOB_POLL_SECONDS=0 and use a scheduler',
    usage: 'jobs:run',
    options: {},
    async run({ config, database }) {
      const { log, work } = await preparedWork(config, database)
      await work.tasks.digests()
      const reminders = await work.tasks.reminders()
      const heads = await work.tasks.heads()
      await work.tasks.sessions()
      await work.tasks.pendingImports()
      await work.tasks.volunteerContacts()
      const ran = await runDueJobs(database.db, work.handlers, log)
      out(
        `${counted('en', ran, 'job', 'jobs')} run, ${counted('en', reminders, 'reminder', 'reminders')} sent, ${counted('en', heads, 'history head', 'history heads')} published.`,
      )
    },
  },
}
