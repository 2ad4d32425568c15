/** The organisers' deliberation: sessions, hearings, working groups, the final report. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { AppError } from '../../platform/errors.ts'
import { normalizeDays } from '../../platform/http/rules.ts'
import * as deliberation from './deliberation.ts'
import * as answers from './answers.ts'

import { organiserActions } from './organiser-actions.tsx'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
const GroupParams = Type.Object({ id: Type.String({ format: 'uuid' }), groupId: Type.String({ format: 'uuid' }) })

/** Registered inside the organisers' area, whose hook admits only the assembly's organisers. */
export default async function assemblyDeliberationRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db
  const { orgPost } = organiserActions(app)

  orgPost(
    '/assemblees/:id/seances',
    IdParams,
    'session',
    (actor, v, p) => {
      normalizeDays(v, 'startsOn', 'endsOn')
      return deliberation.addSession(db(), {
        actor,
        assemblyId: p.id,
        input: {
          title: v.title ?? '',
          startsOn: v.startsOn ?? '',
          endsOn: v.endsOn ?? '',
          place: v.place ?? '',
          programme: v.programme ?? '',
        },
      })
    },
    '#deliberation-title',
  )
  orgPost(
    '/assemblees/:id/auditions',
    IdParams,
    'hearing',
    (actor, v, p) =>
      deliberation.addHearing(db(), {
        actor,
        assemblyId: p.id,
        input: {
          sessionId: /^[0-9a-f-]{36}$/.test(v.sessionId ?? '') ? v.sessionId! : null,
          expert: v.expert ?? '',
          affiliation: v.affiliation ?? '',
          topic: v.topic ?? '',
          viewpoint: v.viewpoint ?? '',
          documents: v.documents ?? '',
        },
      }),
    '#deliberation-title',
  )
  /** A group's form: name, mandate and the members' volunteer numbers, typed as "3, 7 12". */
  const groupInput = (v: Record<string, string>): deliberation.GroupInput => {
    const raw = (v.memberNumbers ?? '').split(/[\s,;]+/).filter(Boolean)
    if (raw.some((n) => !/^\d{1,6}$/.test(n)))
      throw new AppError('INVALID', {
        status: 422,
        userMessage: 'Des champs sont à corriger.',
        fields: { memberNumbers: 'assembly.error.memberNumbers' },
      })
    return { name: v.name ?? '', mandate: v.mandate ?? '', memberNumbers: [...new Set(raw.map(Number))] }
  }
  orgPost(
    '/assemblees/:id/groupes',
    IdParams,
    'group',
    (actor, v, p) => deliberation.addGroup(db(), { actor, assemblyId: p.id, input: groupInput(v) }),
    '#deliberation-title',
  )
  orgPost(
    '/assemblees/:id/groupes/:groupId',
    GroupParams,
    (p) => `group-${p.groupId}`,
    (actor, v, p) =>
      deliberation.updateGroup(db(), { actor, assemblyId: p.id, groupId: p.groupId, input: groupInput(v) }),
    (p) => `#group-${p.groupId}`,
  )
  orgPost('/assemblees/:id/rapport', IdParams, 'report', (actor, v, p) =>
    answers.publishReport(db(), { actor, assemblyId: p.id, report: v.report ?? '' }),
  )
}
