import type { Db } from './platform/db/index.ts'
import type { JobHandler } from './platform/jobs.ts'
import type { Mailer } from './platform/mail.ts'
import type { TokenSigner } from './platform/auth/tokens.ts'
import type { ResourceRegistry } from './platform/resources.ts'
import { pruneSessions } from './platform/auth/sessions.ts'
import { prunePendingImports } from './platform/import/pending.ts'
import { noticeJobHandlers } from './platform/notices.ts'
import { accountJobHandlers } from './modules/accounts/index.ts'
import { drawJobHandlers, eraseExpiredVolunteerContacts } from './modules/assemblies/index.ts'
import { assessmentJobHandlers } from './modules/assessments/index.ts'
import { sendReminders } from './modules/events/index.ts'
import { followJobHandlers, scheduleDigests } from './modules/follows/index.ts'
import { publishHistoryHeads } from './modules/plans/index.ts'

export interface BackgroundDeps {
  db: Db
  mailer: Mailer
  tokens: TokenSigner
  baseUrl: URL
  resources: ResourceRegistry
}

/**
 * The platform's background work, the same for the server's worker and `jobs:run`: the jobs' handlers (account
 * mails, activities' immediate mails, digests) and the periodic tasks (digests due, event reminders, the hourly
 * publication of history heads, pruning ended sessions and expired import previews, erasing the contacts of
 * assemblies' volunteers once their retention period is over).
 */
export interface BackgroundWork {
  handlers: Record<string, JobHandler>
  tasks: {
    digests: () => Promise<unknown>
    reminders: () => Promise<number>
    heads: () => Promise<number>
    sessions: () => Promise<void>
    pendingImports: () => Promise<number>
    volunteerContacts: () => Promise<number>
  }
  /** the tasks as the worker runs them, every pass */
  periodic: (() => Promise<unknown>)[]
}

export function backgroundWork(deps: BackgroundDeps): BackgroundWork {
  const origin = deps.baseUrl.origin
  const tasks = {
    digests: () => scheduleDigests(deps.db),
    reminders: () => sendReminders(deps.db),
    heads: () => publishHistoryHeads(deps.db),
    sessions: () => pruneSessions(deps.db),
    pendingImports: () => prunePendingImports(deps.db),
    volunteerContacts: () => eraseExpiredVolunteerContacts(deps.db),
  }
  return {
    handlers: {
      ...followJobHandlers({
        db: deps.db,
        mailer: deps.mailer,
        tokens: deps.tokens,
        baseUrl: origin,
        resources: deps.resources,
      }),
      ...assessmentJobHandlers({ db: deps.db }),
      ...drawJobHandlers({ db: deps.db }),
      ...noticeJobHandlers({ db: deps.db, mailer: deps.mailer, baseUrl: origin }),
      ...accountJobHandlers(() => ({ db: deps.db, mailer: deps.mailer, tokens: deps.tokens, baseUrl: deps.baseUrl })),
    },
    tasks,
    periodic: Object.values(tasks),
  }
}
