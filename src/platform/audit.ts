import type { Db } from './db/index.ts'
import { auditEvents } from './tables.ts'

export { auditEvents }

export interface AuditEvent {
  /** null for the platform itself (command line, start-up) */
  actorId: string | null
  territoryId?: string | null
  /** stable dotted name: `account.created`, `role.granted` */
  action: string
  subjectType: string
  subjectId?: string | null
  /** public or internal state, never secrets (no password hash, no token) */
  before?: unknown
  after?: unknown
}

/** Records who did what; call it inside the transaction of the change it describes. */
export async function recordAudit(tx: Db, event: AuditEvent): Promise<void> {
  await tx.insert(auditEvents).values({
    actorId: event.actorId,
    territoryId: event.territoryId ?? null,
    action: event.action,
    subjectType: event.subjectType,
    subjectId: event.subjectId ?? null,
    before: event.before ?? null,
    after: event.after ?? null,
  })
}
