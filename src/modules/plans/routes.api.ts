import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { sendCsv } from '../../platform/http/csv.ts'
import { ErrorResponse } from '../../platform/http/schemas.ts'
import { freshHistoryCheck, listPublishedHeads } from './history.ts'
import { COMMITMENT_COLUMNS, HISTORY_COLUMNS, tableSchema } from './opendata.ts'
import { todayInParis } from './progress.ts'
import { commitmentExportPage, historyExportPage } from './queries.ts'
import { TerritoryRefParams, territoryFromParams } from './routes.public.tsx'

const ExportQuery = Type.Object({
  territoire: Type.Optional(
    Type.String({
      pattern: '^[a-z]{4,12}/[A-Za-z0-9-]{1,64}$',
      description: 'only this territory, as kind/code (commune/35238)',
    }),
  ),
})
const CsvResponse = Type.String({
  description:
    'UTF-8 CSV, comma-separated, header row; columns documented by the Table Schema named in the description. Licence Ouverte 2.0.',
})
const TableSchemaResponse = Type.Object(
  {
    title: Type.String(),
    description: Type.String(),
    licenses: Type.Array(Type.Object({ name: Type.String(), title: Type.String(), path: Type.String() })),
    fields: Type.Array(Type.Object({ name: Type.String(), type: Type.String(), description: Type.String() })),
  },
  { additionalProperties: true },
)
const PAGE = 1000
/** rows a CSV export reads at a time: fewer round trips, two pages held at most */
const CSV_PAGE = 5000

const ChainResponse = Type.Object({
  territory: Type.String({ description: 'kind/code' }),
  ok: Type.Boolean({ description: 'true when every entry’s hash matches its content and its predecessor' }),
  entries: Type.Integer(),
  lastHash: Type.Optional(
    Type.String({ description: 'SHA-256 of the last entry: publish it elsewhere to anchor the chain' }),
  ),
  brokenAt: Type.Optional(Type.Integer({ description: 'number of the first entry that does not hold' })),
  reason: Type.Optional(Type.String()),
})

const PublishedHeadJson = Type.Object({
  territory: Type.String({ description: 'kind/code' }),
  sequence: Type.Integer({ description: 'number of entries in the chain at publication' }),
  hash: Type.String({ description: 'SHA-256 of the chain’s last entry at publication' }),
  publishedAt: Type.String({ format: 'date-time' }),
  previous: Type.Union([Type.String(), Type.Null()], { description: 'digest of the territory’s previous publication' }),
  digest: Type.String({ description: 'SHA-256 of this object’s canonical JSON (RFC 8785) without its digest' }),
})
const HeadsQuery = Type.Object({
  territoire: Type.Optional(
    Type.String({ pattern: '^[a-z]{4,12}/[A-Za-z0-9-]{1,64}$', description: 'only this territory, as kind/code' }),
  ),
  apres: Type.Optional(
    Type.String({
      pattern: '^[0-9a-f]{64}$',
      description: 'the publications after the one with this digest (the next page)',
    }),
  ),
})

/** Open API of action plans: CSV exports with their Table Schemas, and verification of the history chain. */
export default async function planApiRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db
  const territoryFilter = async (ref: string | undefined) =>
    ref ? (await territoryFromParams(db(), { kind: ref.split('/')[0]!, code: ref.split('/')[1]! })).id : null

  app.get(
    '/history.csv',
    {
      schema: {
        tags: ['action plans'],
        summary: 'Every published progress update, correction and revision (CSV)',
        description: 'Streamed, whatever the size. Columns: /api/v1/schemas/history.json. Licence Ouverte 2.0.',
        querystring: ExportQuery,
        produces: ['text/csv'],
        response: { 200: CsvResponse, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (req, reply) => {
      const territoryId = await territoryFilter(req.query.territoire)
      return sendCsv(reply, {
        filename: 'historique-plans-action.csv',
        columns: HISTORY_COLUMNS,
        nextPage: (after) =>
          historyExportPage(db(), {
            territoryId,
            after: after ? { territoryId: after.territory_id, seq: after.seq } : null,
            limit: CSV_PAGE,
          }),
      })
    },
  )

  app.get(
    '/commitments.csv',
    {
      schema: {
        tags: ['action plans'],
        summary: 'Every commitment of published and closed action plans, with milestones and progress (CSV)',
        description: 'Streamed, whatever the size. Columns: /api/v1/schemas/commitments.json. Licence Ouverte 2.0.',
        querystring: ExportQuery,
        produces: ['text/csv'],
        response: { 200: CsvResponse, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (req, reply) => {
      const territoryId = await territoryFilter(req.query.territoire)
      const today = todayInParis()
      return sendCsv(reply, {
        filename: 'engagements-plans-action.csv',
        columns: COMMITMENT_COLUMNS,
        nextPage: (after) =>
          commitmentExportPage(db(), { territoryId, today, afterId: after?.id ?? null, limit: CSV_PAGE }),
      })
    },
  )

  // The same lists as JSON, page by page (keyset: `after` is the last item of the previous page).
  const JsonPageQuery = Type.Object({
    territoire: ExportQuery.properties.territoire,
    after: Type.Optional(Type.String({ maxLength: 100, description: 'the `next` value of the previous page' })),
  })
  const jsonRow = (columns: { name: string; value: (row: never) => unknown }[], row: unknown) =>
    Object.fromEntries(columns.map((c) => [c.name, (c.value as (r: unknown) => unknown)(row) ?? null]))
  const PageResponse = Type.Object({
    licence: Type.String(),
    schema: Type.String({ description: 'Table Schema of the items' }),
    items: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    next: Type.Union([Type.String(), Type.Null()], {
      description: 'pass as `after` for the next page; null on the last page',
    }),
  })

  app.get(
    '/commitments',
    {
      schema: {
        tags: ['action plans'],
        summary: 'Commitments of public plans (JSON, 1,000 a page)',
        querystring: JsonPageQuery,
        response: { 200: PageResponse, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (req) => {
      const territoryId = await territoryFilter(req.query.territoire)
      const after = req.query.after && /^[0-9a-f-]{36}$/i.test(req.query.after) ? req.query.after : null
      const rows = await commitmentExportPage(db(), { territoryId, today: todayInParis(), afterId: after, limit: PAGE })
      return {
        licence: 'etalab-2.0',
        schema: '/api/v1/schemas/commitments.json',
        items: rows.map((r) => jsonRow(COMMITMENT_COLUMNS, r)),
        next: rows.length === PAGE ? rows.at(-1)!.id : null,
      }
    },
  )

  app.get(
    '/history',
    {
      schema: {
        tags: ['action plans'],
        summary: 'Published history entries of every territory (JSON, 1,000 a page)',
        querystring: JsonPageQuery,
        response: { 200: PageResponse, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (req) => {
      const territoryId = await territoryFilter(req.query.territoire)
      const match = /^([0-9a-f-]{36}):(\d{1,9})$/i.exec(req.query.after ?? '')
      const rows = await historyExportPage(db(), {
        territoryId,
        after: match ? { territoryId: match[1]!, seq: Number(match[2]) } : null,
        limit: PAGE,
      })
      const last = rows.at(-1)
      return {
        licence: 'etalab-2.0',
        schema: '/api/v1/schemas/history.json',
        items: rows.map((r) => jsonRow(HISTORY_COLUMNS, r)),
        next: rows.length === PAGE && last ? `${last.territory_id}:${last.seq}` : null,
      }
    },
  )

  app.get(
    '/schemas/history.json',
    {
      schema: {
        tags: ['action plans'],
        summary: 'Table Schema of history.csv',
        response: { 200: TableSchemaResponse },
      },
    },
    async () =>
      tableSchema(
        'Historique des plans d’action',
        'Mises à jour, corrections et révisions publiées, chaînées par empreintes SHA-256.',
        HISTORY_COLUMNS,
      ),
  )
  app.get(
    '/schemas/commitments.json',
    {
      schema: {
        tags: ['action plans'],
        summary: 'Table Schema of commitments.csv',
        response: { 200: TableSchemaResponse },
      },
    },
    async () =>
      tableSchema(
        'Engagements des plans d’action',
        'Engagements des plans publiés ou clos, au format du modèle d’engagement du Partenariat pour un gouvernement ouvert.',
        COMMITMENT_COLUMNS,
      ),
  )
  app.get(
    '/history/heads',
    {
      schema: {
        tags: ['action plans'],
        summary: 'Published chain heads: a dated, append-only feed',
        description:
          'At most hourly, the head of each territory’s history chain that grew (its length and last hash), as RFC 8785 canonical JSON with its SHA-256. Keep an entry: `npm run cli -- history:verify <kind/code> --against head.json` later proves the chain still holds it, so a deleted or rewritten entry cannot go unnoticed. Newest first, 100 a page.',
        querystring: HeadsQuery,
        response: {
          200: Type.Object({ heads: Type.Array(PublishedHeadJson), next: Type.Union([Type.String(), Type.Null()]) }),
          404: ErrorResponse,
        },
      },
    },
    async (req) => {
      const territory = req.query.territoire
        ? await territoryFromParams(db(), {
            kind: req.query.territoire.split('/')[0]!,
            code: req.query.territoire.split('/')[1]!,
          })
        : null
      const heads = await listPublishedHeads(db(), {
        ...(territory ? { territoryId: territory.id } : {}),
        ...(req.query.apres ? { after: req.query.apres } : {}),
        limit: 100,
      })
      const last = heads.at(-1)
      const next =
        heads.length === 100 && last
          ? `/api/v1/history/heads?${new URLSearchParams({ ...(req.query.territoire ? { territoire: req.query.territoire } : {}), apres: last.digest })}`
          : null
      return { heads, next }
    },
  )

  app.get(
    '/territories/:kind/:code/history/verify',
    {
      schema: {
        tags: ['action plans'],
        summary: 'Verify the tamper-evident history of a territory',
        description:
          'Recomputes the hash chain of every published progress update, correction and revision of the territory, and names the first broken link.',
        params: TerritoryRefParams,
        response: { 200: ChainResponse, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (req) => {
      const territory = await territoryFromParams(app.platform.database.db, req.params)
      const check = await freshHistoryCheck(app.platform.database.db, territory.id)
      const ref = `${req.params.kind}/${req.params.code}`
      return check.ok
        ? { territory: ref, ok: true, entries: check.entries, lastHash: check.lastHash }
        : { territory: ref, ok: false, entries: check.entries, brokenAt: check.brokenAt, reason: check.reason }
    },
  )
}
