import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { sendCsv, type CsvColumn } from '../../platform/http/csv.ts'
import { ErrorResponse } from '../../platform/http/schemas.ts'
import { fieldsOf, type FicheKind } from './fields.ts'
import { ficheJsonLd } from './jsonld.ts'
import { ficheLinks, inventoryReport, searchFiches } from './search.ts'
import { ficheNames, findFicheBySlug, listVersions } from './queries.ts'
import { filtersOf, InventoryQuery, inventoryFilters, SearchQuery, SlugParams } from './routes.shared.ts'
import { linkedIds } from './content.ts'
import {
  datasetPath,
  exportPage,
  type ExportRow,
  exportRecord,
  exportSchema,
  OWN_LICENCE,
  referentielDatasets,
} from './opendata.ts'
import { sendJsonArray } from '../../platform/http/json-array.ts'
import { LICENCE_URLS, VOCABULARIES, vocabularyLabel } from './vocabularies.ts'
import {
  KindSchema,
  SearchResponse,
  FicheDetail,
  VocabulariesResponse,
  InventoryResponse,
  TableSchemaResponse,
} from './routes.data.schemas.ts'

const KindFileParams = Type.Object({ file: Type.String({ pattern: '^(method|experience|actor)\\.(csv|json)$' }) })

const LicenceFileParams = Type.Object({
  licence: Type.Union(Object.keys(LICENCE_URLS).map((l) => Type.Literal(l))),
  file: KindFileParams.properties.file,
})

/** Open data of the référentiel: search API, fiches, vocabularies, exports, JSON-LD, the inventory as data. */
export default async function referentielDataRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db
  const baseUrl = () => app.platform.config.baseUrl.toString().replace(/\/$/, '')

  app.get(
    '/api/v1/referentiel/fiches',
    {
      schema: {
        tags: ['référentiel'],
        summary: 'Search published fiches (French full text, accent-insensitive) with facets',
        querystring: Type.Intersect([
          SearchQuery,
          Type.Object({ pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }),
        ]),
        response: { 200: SearchResponse, 400: ErrorResponse },
      },
    },
    async (req) => {
      const filters = await filtersOf(app, req.query)
      const page = req.query.page ?? 1
      const pageSize = req.query.pageSize ?? 20
      const result = await searchFiches(db(), filters, { offset: (page - 1) * pageSize, limit: pageSize })
      return {
        total: result.total,
        page,
        pageSize,
        items: result.hits.map((h) => ({
          ...h,
          publishedAt: h.publishedAt.toISOString(),
          rank: h.rank === null ? null : Number(h.rank),
          url: `${baseUrl()}/referentiel/fiches/${h.slug}`,
        })),
        facets: result.facets,
      }
    },
  )

  app.get(
    '/api/v1/referentiel/fiches/:slug',
    {
      schema: {
        tags: ['référentiel'],
        summary: 'One published fiche, with its links and published versions',
        params: SlugParams,
        response: { 200: FicheDetail, 404: ErrorResponse },
      },
    },
    async (req, reply) => {
      const fiche = await findFicheBySlug(db(), req.params.slug)
      if (!fiche || fiche.publishedVersion === null || !fiche.content)
        return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'Fiche introuvable.' } })
      const [links, versions, names] = await Promise.all([
        ficheLinks(db(), fiche.id),
        listVersions(db(), fiche.id),
        ficheNames(db(), linkedIds(fiche.kind as FicheKind, fiche.content)),
      ])
      const record = exportRecord(
        {
          ...fiche,
          kind: fiche.kind as FicheKind,
          title: fiche.title!,
          publishedVersion: fiche.publishedVersion,
          firstPublishedAt: String(fiche.firstPublishedAt?.toISOString()),
          publishedAt: fiche.publishedAt!.toISOString(),
          content: fiche.content,
          names,
        },
        baseUrl(),
      )
      const content = Object.fromEntries(fieldsOf(fiche.kind as FicheKind).map((f) => [f.name, record[f.name]]))
      return {
        slug: fiche.slug,
        kind: fiche.kind as FicheKind,
        title: fiche.title!,
        version: fiche.publishedVersion,
        publishedAt: fiche.publishedAt!.toISOString(),
        firstPublishedAt: fiche.firstPublishedAt?.toISOString() ?? null,
        licence: fiche.licence,
        licenceUrl: fiche.licence ? (LICENCE_URLS[fiche.licence] ?? null) : null,
        featured: fiche.featured,
        url: `${baseUrl()}/referentiel/fiches/${fiche.slug}`,
        content,
        links,
        versions: versions
          .filter((v) => v.status === 'published')
          .map((v) => ({ number: v.number, publishedAt: v.publishedAt?.toISOString() ?? null, author: v.authorName })),
      }
    },
  )

  app.get(
    '/api/v1/schemas/referentiel-:kind.json',
    {
      schema: {
        tags: ['référentiel'],
        summary: 'Table Schema of the CSV export of a kind of fiche',
        params: Type.Object({ kind: KindSchema }),
        response: { 200: TableSchemaResponse },
      },
    },
    async (req) => exportSchema(req.params.kind),
  )

  app.get(
    '/api/v1/referentiel/vocabularies',
    {
      schema: {
        tags: ['référentiel'],
        summary: 'Controlled vocabularies (Participedia keys) with French and English labels',
        response: { 200: VocabulariesResponse },
      },
    },
    async () =>
      Object.fromEntries(
        Object.entries(VOCABULARIES).map(([name, labels]) => [
          name,
          Object.entries(labels).map(([key, [fr, en]]) => ({ key, fr, en })),
        ]),
      ),
  )

  app.get(
    '/api/v1/referentiel/inventory',
    {
      schema: {
        tags: ['référentiel'],
        summary:
          'The inventory of participatory practices (FR0110): experiences counted by institution, method, theme, result',
        querystring: InventoryQuery,
        response: { 200: InventoryResponse },
      },
    },
    async (req) => inventoryReport(db(), inventoryFilters(req.query)),
  )

  app.get(
    '/referentiel/inventaire.json',
    { schema: { querystring: InventoryQuery, hide: true } },
    async (req, reply) => {
      const report = await inventoryReport(db(), inventoryFilters(req.query))
      return reply.header('link', `<${LICENCE_URLS['etalab-2.0']}>; rel="license"`).send(report)
    },
  )

  app.get(
    '/referentiel/inventaire.csv',
    { schema: { querystring: InventoryQuery, hide: true } },
    async (req, reply) => {
      const report = await inventoryReport(db(), inventoryFilters(req.query))
      type Line = { section: string; key: string; label: string; count: number }
      const lines: Line[] = [
        ...report.byResult.map((r) => ({ section: 'result', key: r.value, label: r.value, count: r.count })),
        ...report.byInstitution.map((r) => ({
          section: 'institution',
          key: r.institutionKind ?? '',
          label: r.institution,
          count: r.total,
        })),
        ...report.byMethod.map((r) => ({ section: 'method', key: r.slug, label: r.title, count: r.count })),
        ...report.byTheme.map((r) => ({ section: 'theme', key: r.value, label: r.value, count: r.count })),
        ...report.pitfalls.map((r) => ({ section: 'pitfall', key: r.value, label: r.value, count: r.count })),
      ]
      const columns: CsvColumn<Line>[] = [
        { name: 'section', value: (l) => l.section },
        { name: 'key', value: (l) => l.key },
        { name: 'label', value: (l) => l.label },
        { name: 'count', value: (l) => l.count },
      ]
      let sent = false
      return sendCsv(reply, {
        filename: 'inventaire-pratiques-participatives.csv',
        columns,
        nextPage: async () => {
          if (sent) return []
          sent = true
          return lines
        },
      })
    },
  )

  /** One dataset: a kind of fiche under one licence, declared in the Link header as RFC 8288 says. */
  function sendDataset(reply: FastifyReply, kind: FicheKind, licence: string, format: 'csv' | 'json') {
    const licenceUrl = LICENCE_URLS[licence]!
    const filename = `referentiel-${kind}${licence === OWN_LICENCE ? '' : `-${licence}`}.${format}`
    if (format === 'json')
      return sendJsonArray<ExportRow>(reply.header('link', `<${licenceUrl}>; rel="license"`), {
        filename,
        nextPage: (after) => exportPage(db(), { kind, licence, after }),
        toJson: (row) => exportRecord(row, baseUrl()),
      })
    // each row is turned into its record once, then read column by column
    const records = new WeakMap<ExportRow, Record<string, unknown>>()
    const recordOf = (row: ExportRow) => records.get(row) ?? records.set(row, exportRecord(row, baseUrl())).get(row)!
    const fieldColumns: CsvColumn<ExportRow>[] = exportSchema(kind).fields.map(({ name }) => ({
      name,
      value: (row) => recordOf(row)[name],
    }))
    return sendCsv(reply, {
      filename,
      columns: fieldColumns,
      nextPage: (after) => exportPage(db(), { kind, licence, after }),
      licenceUrl,
    })
  }

  app.get('/referentiel/donnees/:file', { schema: { params: KindFileParams, hide: true } }, async (req, reply) => {
    const [kind, format] = req.params.file.split('.') as [FicheKind, 'csv' | 'json']
    return sendDataset(reply, kind, OWN_LICENCE, format)
  })

  app.get(
    '/referentiel/donnees/:licence/:file',
    { schema: { params: LicenceFileParams, hide: true } },
    async (req, reply) => {
      const [kind, format] = req.params.file.split('.') as [FicheKind, 'csv' | 'json']
      return sendDataset(reply, kind, req.params.licence, format)
    },
  )

  // every dataset with its licence, as a Frictionless Data Package (what data.gouv.fr and reusers' tools read)
  app.get('/referentiel/donnees/datapackage.json', { schema: { hide: true } }, async (_req, reply) => {
    const datasets = await referentielDatasets(db())
    const label = (licence: string) => vocabularyLabel('licence', licence, 'fr')
    return reply.type('application/json; charset=utf-8').send({
      name: 'referentiel-pratiques-participatives',
      title: 'Référentiel des pratiques participatives — Territoires Hautement Citoyens',
      description:
        'Méthodes, expériences et acteurs de la participation citoyenne. Un jeu de données par licence : chacun se réutilise selon la sienne.',
      homepage: `${baseUrl()}/referentiel/donnees`,
      resources: datasets.flatMap((d) =>
        (['csv', 'json'] as const).map((format) => ({
          name: `${d.kind}-${d.licence}-${format}`.replace(/\./g, '-'),
          path: `${baseUrl()}${datasetPath(d.licence, d.kind, format)}`,
          format,
          mediatype: format === 'csv' ? 'text/csv' : 'application/json',
          encoding: 'utf-8',
          ...(format === 'csv' ? { schema: `${baseUrl()}/api/v1/schemas/referentiel-${d.kind}.json` } : {}),
          licenses: [{ name: d.licence, title: label(d.licence), path: LICENCE_URLS[d.licence]! }],
          count: d.count,
        })),
      ),
    })
  })

  app.get('/referentiel/fiches/:slug/jsonld', { schema: { params: SlugParams, hide: true } }, async (req, reply) => {
    const fiche = await findFicheBySlug(db(), req.params.slug)
    if (!fiche || fiche.publishedVersion === null || !fiche.content)
      return reply
        .code(404)
        .type('application/json')
        .send({ error: { code: 'NOT_FOUND', message: 'Fiche introuvable.' } })
    const [links, versions] = await Promise.all([ficheLinks(db(), fiche.id), listVersions(db(), fiche.id)])
    const contributors = [
      ...new Set(versions.filter((v) => v.status === 'published' && v.authorName).map((v) => v.authorName!)),
    ]
    const doc = ficheJsonLd(
      {
        kind: fiche.kind as FicheKind,
        slug: fiche.slug,
        title: fiche.title!,
        publishedAt: fiche.publishedAt!,
        firstPublishedAt: fiche.firstPublishedAt,
        licence: fiche.licence,
      },
      fiche.content,
      { baseUrl: baseUrl(), contributors, linked: links.filter((l) => l.direction === 'out') },
    )
    return reply.type('application/ld+json; charset=utf-8').send(JSON.stringify(doc))
  })
}
