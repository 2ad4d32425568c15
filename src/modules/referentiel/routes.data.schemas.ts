/** The référentiel API's response schemas, as the OpenAPI document publishes them. */
import { Type } from 'typebox'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])

export const KindSchema = Type.Union([Type.Literal('method'), Type.Literal('experience'), Type.Literal('actor')])

const FicheSummary = Type.Object({
  slug: Type.String(),
  kind: KindSchema,
  title: Type.String(),
  summary: Nullable(Type.String()),
  themes: Type.Array(Type.String()),
  iap2: Nullable(Type.String()),
  result: Nullable(Type.String()),
  institution: Nullable(Type.String()),
  licence: Nullable(Type.String()),
  publishedAt: Type.String({ format: 'date-time' }),
  rank: Nullable(Type.Number({ description: 'relevance to the words searched (ts_rank_cd)' })),
  url: Type.String(),
})

const FacetList = Type.Array(Type.Object({ value: Type.String(), count: Type.Integer() }))

export const SearchResponse = Type.Object({
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  items: Type.Array(FicheSummary),
  facets: Type.Object({
    kind: FacetList,
    theme: FacetList,
    methodType: FacetList,
    iap2: FacetList,
    result: FacetList,
    region: FacetList,
    department: FacetList,
    institution: FacetList,
  }),
})

export const FicheDetail = Type.Object({
  slug: Type.String(),
  kind: KindSchema,
  title: Type.String(),
  version: Type.Integer(),
  publishedAt: Type.String({ format: 'date-time' }),
  firstPublishedAt: Nullable(Type.String({ format: 'date-time' })),
  licence: Nullable(Type.String()),
  licenceUrl: Nullable(Type.String()),
  featured: Type.Boolean(),
  url: Type.String(),
  content: Type.Record(Type.String(), Type.Unknown(), {
    description:
      'every field of the kind; vocabulary keys as in /api/v1/referentiel/vocabularies; linked fiches as slugs',
  }),
  links: Type.Array(
    Type.Object({
      direction: Type.Union([Type.Literal('out'), Type.Literal('in')]),
      relation: Type.String(),
      slug: Type.String(),
      title: Type.String(),
      kind: Type.String(),
    }),
  ),
  versions: Type.Array(
    Type.Object({
      number: Type.Integer(),
      publishedAt: Nullable(Type.String({ format: 'date-time' })),
      author: Nullable(Type.String()),
    }),
  ),
})

export const VocabulariesResponse = Type.Record(
  Type.String(),
  Type.Array(Type.Object({ key: Type.String(), fr: Type.String(), en: Type.String() })),
)

const Count = Type.Array(Type.Object({ value: Type.String(), count: Type.Integer() }))

export const InventoryResponse = Type.Object({
  total: Type.Integer(),
  byResult: Count,
  byInstitution: Type.Array(
    Type.Object({
      institution: Type.String(),
      institutionKind: Nullable(Type.String()),
      total: Type.Integer(),
      success: Type.Integer(),
      mixed: Type.Integer(),
      failure: Type.Integer(),
      tooEarly: Type.Integer(),
    }),
  ),
  byMethod: Type.Array(Type.Object({ slug: Type.String(), title: Type.String(), count: Type.Integer() })),
  byTheme: Count,
  pitfalls: Count,
  inspiring: Type.Array(
    Type.Object({
      slug: Type.String(),
      title: Type.String(),
      institution: Nullable(Type.String()),
      summary: Nullable(Type.String()),
      lessons: Nullable(Type.String()),
      featured: Type.Boolean(),
    }),
  ),
  failures: Type.Array(
    Type.Object({
      slug: Type.String(),
      title: Type.String(),
      institution: Nullable(Type.String()),
      result: Type.String(),
      whatFailed: Type.String(),
    }),
  ),
})

export const TableSchemaResponse = Type.Object(
  {
    title: Type.String(),
    description: Type.String(),
    licenses: Type.Array(Type.Object({ name: Type.String(), title: Type.String(), path: Type.String() })),
    fields: Type.Array(
      Type.Object(
        { name: Type.String(), type: Type.String(), description: Type.String() },
        { additionalProperties: true },
      ),
    ),
  },
  { additionalProperties: true },
)
