import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { ErrorResponse } from '../../platform/http/schemas.ts'
import { TerritoryRefParams, territoryOfPage } from '../territories/index.ts'
import { listHearings, listSessions } from './deliberation.ts'
import { fates } from './answers.ts'
import { listProposals } from './proposals.ts'
import { findDraw, type ProbabilityProfile } from './draw.ts'
import { composition, listReplacements } from './members.ts'
import { findVisibleAssembly, listAssemblies, type AssemblyRow } from './service.ts'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])

const AssemblySummary = Type.Object({
  id: Type.String(),
  territory: Nullable(Type.String({ description: 'kind/code; null for an assembly convened by the State' })),
  title: Type.String(),
  phase: Type.Union([Type.Literal('draft'), Type.Literal('recruiting'), Type.Literal('closed'), Type.Literal('drawn')]),
  panelSize: Type.Integer(),
  volunteers: Type.Integer(),
  url: Type.String(),
})

const Profile = Type.Object({ minimum: Type.Number(), geometricMean: Type.Number(), gini: Type.Number() })

const Vote = Nullable(
  Type.Object({
    for: Type.Integer(),
    against: Type.Integer(),
    abstain: Type.Integer(),
    // null for votes counted elsewhere (imported) or before quorums existed
    quorum: Nullable(
      Type.Object({
        percent: Type.Integer({ description: 'share of the active panel that had to vote' }),
        panelSize: Type.Integer(),
        met: Type.Boolean(),
      }),
    ),
  }),
)

const AssemblyJson = Type.Object({
  ...AssemblySummary.properties,
  purpose: Type.String(),
  onePerHousehold: Type.Boolean(),
  majority: Type.Union([Type.Literal('simple'), Type.Literal('two_thirds'), Type.Literal('absolute')]),
  quorumPercent: Type.Integer({ description: 'default quorum of its votes, in % of the active panel' }),
  composition: Type.Array(
    Type.Object({
      category: Type.String(),
      feature: Type.String(),
      populationShare: Nullable(Type.Number()),
      min: Type.Integer(),
      max: Type.Integer(),
      pool: Type.Integer(),
      panel: Nullable(Type.Integer()),
    }),
  ),
  draw: Nullable(
    Type.Object({
      leximin: Profile,
      legacy: Type.Object({ ...Profile.properties, runs: Type.Integer() }),
      panelCount: Type.Integer(),
      lotteryDigest: Type.String(),
      maxDeviation: Type.Number(),
      randomnessKind: Nullable(Type.String()),
      randomnessCommitment: Nullable(Type.String()),
      randomness: Nullable(Type.String()),
      drawnIndex: Nullable(Type.Integer()),
      replacements: Type.Array(
        Type.Object({
          replacementNumber: Type.Integer(),
          number: Type.Integer(),
          replaces: Type.Integer(),
          candidates: Type.Array(Type.Integer()),
        }),
      ),
      lotteryUrl: Type.String({ description: 'the lottery and everything needed to redo the draw' }),
    }),
  ),
  sessions: Type.Array(
    Type.Object({
      title: Type.String(),
      startsOn: Type.String({ format: 'date' }),
      endsOn: Type.String({ format: 'date' }),
      place: Type.String(),
      programme: Type.String(),
    }),
  ),
  hearings: Type.Array(
    Type.Object({
      expert: Type.String(),
      affiliation: Type.String(),
      topic: Type.String(),
      viewpoint: Type.String(),
      documents: Type.String(),
      session: Nullable(Type.String()),
    }),
  ),
  proposals: Type.Array(
    Type.Object({
      id: Type.String(),
      number: Type.Integer(),
      group: Nullable(Type.String()),
      title: Type.String(),
      body: Type.String(),
      status: Type.Union([
        Type.Literal('drafted'),
        Type.Literal('amending'),
        Type.Literal('voting'),
        Type.Literal('adopted'),
        Type.Literal('rejected'),
      ]),
      version: Type.Integer(),
      vote: Vote,
      answer: Nullable(
        Type.Union([
          Type.Literal('accepted'),
          Type.Literal('modified'),
          Type.Literal('rejected'),
          Type.Literal('referred'),
        ]),
      ),
      answerText: Nullable(Type.String()),
      answeredAt: Nullable(Type.String({ format: 'date-time' })),
      commitmentId: Nullable(Type.String()),
      commitmentStatus: Nullable(Type.String()),
      url: Type.String(),
    }),
  ),
  fates: Type.Record(Type.String(), Type.Integer()),
  report: Nullable(Type.String()),
})

const profile = (p: ProbabilityProfile) => ({ minimum: p.min, geometricMean: p.geometricMean, gini: p.gini })

/** Citizens' assemblies as open data: composition, the draw's figures and randomness, deliberation, proposals and their fate. No volunteer's name, contact or features. */
export default async function assemblyApiRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db
  const baseUrl = () => app.platform.config.baseUrl.origin
  const summary = (a: AssemblyRow) => ({
    id: a.id,
    territory: a.territoryKind ? `${a.territoryKind}/${a.territoryCode}` : null,
    title: a.title,
    phase: a.phase,
    panelSize: a.panelSize,
    volunteers: a.volunteers,
    url: `${baseUrl()}/assemblees/${a.id}`,
  })

  app.get(
    '/api/v1/territories/:kind/:code/assemblies',
    {
      schema: {
        tags: ['assemblies'],
        summary: 'A territory’s citizens’ assemblies',
        params: TerritoryRefParams,
        response: { 200: Type.Array(AssemblySummary), 404: ErrorResponse },
      },
    },
    // the open data shows what the public sees: no draft
    async (req) => (await listAssemblies(db(), (await territoryOfPage(db(), req.params)).id, null)).map(summary),
  )

  app.get(
    '/api/v1/assemblies',
    {
      schema: {
        tags: ['assemblies'],
        summary: 'Every citizens’ assembly, the State’s included (most recent first, at most 200)',
        response: { 200: Type.Array(AssemblySummary) },
      },
    },
    async () => (await listAssemblies(db(), undefined, null)).map(summary),
  )

  app.get(
    '/api/v1/assemblies/:id',
    {
      schema: {
        tags: ['assemblies'],
        summary:
          'A citizens’ assembly: composition, the draw and its verification, deliberation, proposals with their votes and the decision-maker’s answers',
        params: IdParams,
        response: { 200: AssemblyJson, 404: ErrorResponse },
      },
    },
    async (req) => {
      const a = await findVisibleAssembly(db(), req.params.id, null)
      const [rows, draw, replacements, sessions, hearings, proposals] = await Promise.all([
        composition(db(), a.id),
        findDraw(db(), a.id),
        listReplacements(db(), a.id),
        listSessions(db(), a.id),
        listHearings(db(), a.id),
        listProposals(db(), a.id),
      ])
      return {
        ...summary(a),
        purpose: a.purpose,
        onePerHousehold: a.onePerHousehold,
        majority: a.majority,
        quorumPercent: a.quorumPercent,
        composition: rows.map((r) => ({
          ...r,
          populationShare: r.populationShare === null ? null : Number(r.populationShare),
          panel: a.phase === 'drawn' ? r.panel : null,
        })),
        draw: draw && {
          leximin: profile(draw.leximin.profile),
          legacy: { ...profile(draw.legacy.profile), runs: draw.legacy.runs },
          panelCount: draw.panelCount,
          lotteryDigest: draw.lotteryDigest,
          maxDeviation: draw.maxDeviation,
          randomnessKind: draw.randomnessKind,
          randomnessCommitment: draw.randomnessCommitment,
          randomness: draw.randomness,
          drawnIndex: draw.drawnIndex,
          replacements: replacements.map((r) => ({
            replacementNumber: r.replacementNumber,
            number: r.number,
            replaces: r.replacesNumber,
            candidates: r.candidates ?? [],
          })),
          lotteryUrl: `${baseUrl()}/assemblees/${a.id}/tirage.json`,
        },
        sessions: sessions.map(({ title, startsOn, endsOn, place, programme }) => ({
          title,
          startsOn,
          endsOn,
          place,
          programme,
        })),
        hearings: hearings.map((h) => ({
          expert: h.expert,
          affiliation: h.affiliation,
          topic: h.topic,
          viewpoint: h.viewpoint,
          documents: h.documents,
          session: h.sessionTitle,
        })),
        proposals: proposals.map((p) => ({
          id: p.id,
          number: p.number,
          group: p.groupName,
          title: p.title,
          body: p.body,
          status: p.status,
          version: p.version,
          vote:
            p.votesFor === null
              ? null
              : {
                  for: p.votesFor,
                  against: p.votesAgainst ?? 0,
                  abstain: p.votesAbstain ?? 0,
                  quorum:
                    p.quorumPercent !== null && p.panelSizeAtClose !== null && p.quorumMet !== null
                      ? { percent: p.quorumPercent, panelSize: p.panelSizeAtClose, met: p.quorumMet }
                      : null,
                },
          answer: p.answer,
          answerText: p.answerText,
          answeredAt: p.answeredAt ? new Date(p.answeredAt).toISOString() : null,
          // a commitment of a plan still in draft is not public yet: named once the plan is published
          commitmentId: p.commitmentTitle ? p.commitmentId : null,
          commitmentStatus: p.commitmentStatus,
          url: `${baseUrl()}/propositions-assemblee/${p.id}`,
        })),
        fates: fates(proposals),
        report: a.reportPublishedAt ? a.report : null,
      }
    },
  )
}
