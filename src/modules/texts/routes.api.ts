import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { notFound } from '../../platform/errors.ts'
import { ErrorResponse } from '../../platform/http/schemas.ts'
import { todayInParis } from '../../platform/paris-time.ts'
import { TerritoryRefParams, territoryOfPage } from '../territories/index.ts'
import { textPhase } from './service.ts'
import { amendmentsOf, articlesByVersion, findText, listTexts, versionsOf } from './queries.ts'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])
const TextPhase = Type.Union([
  Type.Literal('upcoming'),
  Type.Literal('open'),
  Type.Literal('closed'),
  Type.Literal('final'),
])

const TextSummary = Type.Object({
  id: Type.String(),
  title: Type.String(),
  opensOn: Type.String({ format: 'date' }),
  closesOn: Type.String({ format: 'date' }),
  phase: TextPhase,
  commitmentId: Nullable(Type.String()),
  amendments: Type.Integer(),
  versions: Type.Integer(),
  url: Type.String(),
})

const VersionJson = Type.Object({
  number: Type.Integer(),
  final: Type.Boolean(),
  note: Type.String(),
  publishedAt: Type.String({ format: 'date-time' }),
  articles: Type.Array(
    Type.Object({ articleId: Type.String(), position: Type.Integer(), heading: Type.String(), body: Type.String() }),
  ),
})

const AmendmentJson = Type.Object({
  id: Type.String(),
  articleId: Type.String(),
  baseVersion: Type.Integer({ description: 'the version whose wording it amends' }),
  proposedBody: Nullable(Type.String({ description: 'null when hidden by moderation' })),
  justification: Nullable(Type.String()),
  hiddenReason: Nullable(Type.String()),
  votesFor: Type.Integer(),
  votesAgainst: Type.Integer(),
  decision: Nullable(Type.Union([Type.Literal('accepted'), Type.Literal('merged'), Type.Literal('rejected')])),
  decisionReason: Nullable(Type.String()),
  decidedInVersion: Nullable(Type.Integer()),
  createdAt: Type.String({ format: 'date-time' }),
})

/** Co-constructed texts as open data: every published version, every amendment with its votes and its fate. */
export default async function textApiRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db
  const baseUrl = () => app.platform.config.baseUrl.origin

  app.get(
    '/api/v1/territories/:kind/:code/texts',
    {
      schema: {
        tags: ['participation'],
        summary: 'A territory’s texts under co-construction (published ones)',
        params: TerritoryRefParams,
        response: { 200: Type.Array(TextSummary), 404: ErrorResponse },
      },
    },
    async (req) => {
      const territory = await territoryOfPage(db(), req.params)
      const today = todayInParis()
      return (await listTexts(db(), territory.id, null)).map((t) => ({
        id: t.id,
        title: t.title,
        opensOn: t.opensOn,
        closesOn: t.closesOn,
        phase: textPhase(t, today) as 'upcoming' | 'open' | 'closed' | 'final',
        commitmentId: t.commitmentId,
        amendments: t.amendments,
        versions: t.versions,
        url: `${baseUrl()}/textes/${t.id}`,
      }))
    },
  )

  app.get(
    '/api/v1/texts/:id',
    {
      schema: {
        tags: ['participation'],
        summary:
          'A co-constructed text: its published versions with their articles, and every amendment with its votes and fate (hidden ones show only the reason)',
        params: IdParams,
        response: {
          200: Type.Object({
            text: TextSummary,
            summary: Type.String(),
            versions: Type.Array(VersionJson),
            amendments: Type.Array(AmendmentJson),
          }),
          404: ErrorResponse,
        },
      },
    },
    async (req) => {
      const text = await findText(db(), req.params.id)
      if (text.status === 'draft') throw notFound()
      const [versions, amendments, articles] = await Promise.all([
        versionsOf(db(), text.id),
        amendmentsOf(db(), text.id),
        articlesByVersion(db(), text.id),
      ])
      const published = versions.filter((v) => v.publishedAt)
      return {
        text: {
          id: text.id,
          title: text.title,
          opensOn: text.opensOn,
          closesOn: text.closesOn,
          phase: textPhase(text, todayInParis()) as 'upcoming' | 'open' | 'closed' | 'final',
          commitmentId: text.commitmentId,
          amendments: amendments.filter((a) => !a.hiddenAt).length,
          versions: published.length,
          url: `${baseUrl()}/textes/${text.id}`,
        },
        summary: text.summary,
        versions: published.map((v) => ({
          number: v.number,
          final: v.isFinal,
          note: v.note,
          publishedAt: new Date(v.publishedAt!).toISOString(),
          articles: articles.get(v.number) ?? [],
        })),
        amendments: amendments.map((a) => {
          const hidden = a.hiddenAt !== null
          return {
            id: a.id,
            articleId: a.articleId,
            baseVersion: a.baseVersion,
            proposedBody: hidden ? null : a.proposedBody,
            justification: hidden ? null : a.justification,
            hiddenReason: hidden ? a.hiddenReason : null,
            votesFor: a.votesFor,
            votesAgainst: a.votesAgainst,
            decision: a.decision,
            decisionReason: a.decisionReason,
            decidedInVersion: a.decidedIn,
            createdAt: new Date(a.createdAt).toISOString(),
          }
        }),
      }
    },
  )
}
