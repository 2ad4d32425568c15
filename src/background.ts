import type { Db } from './platform/db/index.ts'
import type { JobHandler } from './platform/jobs.ts'
import type { Mailer } from './platform/mail.ts'
import type { TokenSigner } from './platform/auth/tokens.ts'
import { pruneSessions } from './platform/auth/sessions.ts'
import { accountJobHandlers } from './modules/accounts/index.ts'
import { sendReminders } from './modules/events/index.ts'
import { followJobHandlers, scheduleDigests } from './modules/follows/index.ts'
import { publishHistoryHeads } from './modules/plans/index.ts'

export interface BackgroundDeps {
  db: Db
  mailer: Mailer
  tokens: TokenSigner
  baseUrl: URL
}

/**
 * The platform's background work, the same for the server's worker and `jobs:run`: the jobs' handlers (account
 * mails, activities' immediate mails, digests) and the periodic tasks (digests due, event reminders, the hourly
 * publication of history heads, pruning ended sessions).
 */
export function backgroundWork(deps: BackgroundDeps): { handlers: Record<string, JobHandler>; periodic: (() => Promise<unknown>)[] } {
  const origin = deps.baseUrl.origin
  return {
    handlers: {
      ...followJobHandlers({ db: deps.db, mailer: deps.mailer, tokens: deps.tokens, baseUrl: origin }),
      ...accountJobHandlers(() => ({ db: deps.db, mailer: deps.mailer, tokens: deps.tokens, baseUrl: deps.baseUrl })),
    },
    periodic: [() => scheduleDigests(deps.db), () => sendReminders(deps.db, deps.mailer, origin), () => publishHistoryHeads(deps.db), () => pruneSessions(deps.db)],
  }
}
