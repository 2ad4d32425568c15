import { followBox } from '../follows/index.ts'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { publicCommitmentsByIds, publishedCommitments, publishedMilestones } from '../plans/index.ts'
import { can } from '../../platform/auth/policy.ts'
import { todayInParis } from '../../platform/paris-time.ts'
import { getTerritorySummaries, territoryPath } from '../territories/index.ts'
import { phaseOf } from './service.ts'
import {
  listComments,
  listConsultationChanges,
  listContributions,
  supportedBy,
  visibleConsultation,
} from './queries.ts'
import { ConsultationPage, consultationPath } from './views.tsx'
import type { Db } from '../../platform/db/index.ts'

/** A consultation's page: for a visit, or again with a form's values and errors (status 422). */
export async function renderConsultation(
  db: Db,
  req: FastifyRequest,
  reply: FastifyReply,
  id: string,
  values: Record<string, string>,
  errors: Record<string, string>,
  status = 200,
  options: {
    answerForm?: { id: string; values: Record<string, string>; errors: Record<string, string> }
    listing?: { tri?: string; page?: number }
  } = {},
) {
  const c = await visibleConsultation(db, req.user, id)
  const query = options.listing ?? (req.query as { tri?: string; page?: number })
  const sort = query.tri === 'recentes' ? 'recent' : 'supports'
  const page = query.page ?? 1
  const total = c.contributionCount
  const manager = can(req.user, 'consultation.manage', c.territoryId)
  const [shared, supported, planList, milestoneList] = await Promise.all([
    // once the consultation is known visible to the reader, the same for every reader between two writes
    req.server.platform.reads.read(`consultations:page ${c.id} ${sort} ${page}`, () =>
      sharedConsultationData(db, c, sort, page),
    ),
    req.user ? supportedBy(db, req.user.id, c.id) : new Set<string>(),
    manager ? publishedCommitments(db, c.territoryId) : [],
    manager ? publishedMilestones(db, c.territoryId) : [],
  ])
  const { territory, contributions, commitmentRows, comments, changes, changeCommitments } = shared
  return reply.page(
    c.title,
    <ConsultationPage
      consultation={c}
      phase={phaseOf(c, todayInParis())}
      territory={{ name: territory!.name, path: territoryPath(territory!) }}
      commitment={commitmentRows[0] ?? null}
      contributions={contributions}
      total={total}
      page={page}
      comments={comments}
      supported={supported}
      sort={sort}
      signedIn={!!req.user}
      userId={req.user?.id ?? null}
      canManage={can(req.user, 'consultation.manage', c.territoryId)}
      canModerate={can(req.user, 'content.moderate', c.territoryId)}
      planCommitments={planList}
      planMilestones={milestoneList}
      values={values}
      errors={errors}
      {...(options.answerForm ? { answerForm: options.answerForm } : {})}
      follow={c.status === 'draft' ? null : await followBox(db, req.user, 'consultation', c.id, consultationPath(c))}
      changes={changes}
      changeCommitments={changeCommitments}
    />,
    status,
  )
}

/** What a consultation's page shows every reader alike: its territory, contributions, comments and changes. */
async function sharedConsultationData(
  db: Db,
  c: { id: string; territoryId: string; commitmentId: string | null },
  sort: 'recent' | 'supports',
  page: number,
) {
  const [[territory], contributions, commitmentRows] = await Promise.all([
    getTerritorySummaries(db, [c.territoryId]),
    listContributions(db, { consultationId: c.id, sort, page }),
    publicCommitmentsByIds(db, [c.commitmentId]),
  ])
  const [comments, changes] = await Promise.all([
    listComments(
      db,
      contributions.map((k) => k.id),
    ),
    listConsultationChanges(db, c.id),
  ])
  const namedCommitments = [
    ...new Set(
      changes.flatMap((entry) =>
        entry.changes
          .filter((x) => x.field === 'commitmentId')
          .flatMap((x) => [x.before, x.after])
          .filter((v): v is string => v !== null),
      ),
    ),
  ]
  const changeCommitments = new Map(
    (await publicCommitmentsByIds(db, namedCommitments)).map((r) => [r.id, r.title] as const),
  )
  return { territory, contributions, commitmentRows, comments, changes, changeCommitments }
}
