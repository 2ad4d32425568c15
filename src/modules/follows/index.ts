import type { FastifyInstance } from 'fastify'
import { NOTIFY_JOB } from '../../platform/activity.ts'
import type { Platform } from '../../platform/http/platform.ts'
import type { JobHandler } from '../../platform/jobs.ts'
import { deliverActivity, DIGEST_JOB, scheduleDigests, sendDigests, type NotifyContext } from './notify.ts'
import followRoutes from './routes.tsx'

/** Following territories, commitments, consultations, groups and texts: immediate mails or digests, one-click unsubscribe. */
export default async function follows(app: FastifyInstance) {
  await app.register(followRoutes)
}

export function notifyContext(
  platform: Pick<Platform, 'database' | 'mailer' | 'tokens' | 'config' | 'resources'>,
): NotifyContext {
  return {
    db: platform.database.db,
    mailer: platform.mailer,
    tokens: platform.tokens,
    baseUrl: platform.config.baseUrl.origin,
    resources: platform.resources,
  }
}

/** The jobs this module runs: an activity's immediate mails, and the digests. */
export function followJobHandlers(ctx: NotifyContext): Record<string, JobHandler> {
  return {
    [NOTIFY_JOB]: async (payload) => {
      await deliverActivity(ctx, Number(payload.activityId))
    },
    [DIGEST_JOB]: async (payload) => {
      const frequency = payload.frequency === 'weekly' ? 'weekly' : 'daily'
      await sendDigests(ctx, frequency, new Date(String(payload.cutoff)))
    },
  }
}

export { FollowForm, followBox } from './views/follows.tsx'
export { followOf } from './service.ts'

export { scheduleDigests, sendDigests, deliverActivity }
