import { bigint, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import type { Db } from './db/index.ts'

export const auditEvents = pgTable('audit_events', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  territoryId: uuid('territory_id'),
  actorId: uuid('actor_id'),
  action: text('action').notNull(),
  subjectType: text('subject_type').notNull(),
  subjectId: text('subject_id'),
  before: jsonb('before'),
  after: jsonb('after'),
  at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
})

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
