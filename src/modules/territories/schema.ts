import { Type, type Static } from 'typebox'

export const TerritoryKindSchema = Type.Union([
  Type.Literal('commune'),
  Type.Literal('epci'),
  Type.Literal('ept'),
  Type.Literal('departement'),
  Type.Literal('region'),
  Type.Literal('autre'),
])

export const TerritoryParams = Type.Object({
  kind: TerritoryKindSchema,
  code: Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$' }),
})
export type TerritoryParams = Static<typeof TerritoryParams>

export const SearchQuery = Type.Object({
  q: Type.Optional(
    Type.String({ maxLength: 100, description: 'name (accents and small typos tolerated) or INSEE/SIREN code' }),
  ),
  kind: Type.Optional(
    Type.Union([Type.Literal(''), TerritoryKindSchema], { description: 'only this kind of territory' }),
  ),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: '20 results a page' })),
})
export type SearchQuery = Static<typeof SearchQuery>

const TerritoryRef = Type.Object({
  kind: TerritoryKindSchema,
  code: Type.String(),
  name: Type.String(),
  url: Type.String({ description: 'public page, relative to the site' }),
})

export const TerritoryListItem = Type.Object({
  kind: TerritoryKindSchema,
  code: Type.String({ description: 'INSEE code, SIREN for EPCI/EPT, an identifier for other territories' }),
  name: Type.String(),
  epciNature: Type.Union([Type.String(), Type.Null()], { description: 'CC, CA, CU, METRO, MET69 for an EPCI' }),
  population: Type.Union([Type.Integer(), Type.Null()]),
  departements: Type.Array(Type.String(), { description: 'codes of the départements it lies in' }),
  retired: Type.Boolean({ description: 'no longer in the official geography' }),
  url: Type.String(),
})

export const SearchResponse = Type.Object({
  query: Type.String(),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  items: Type.Array(TerritoryListItem),
})

export const TerritoryResponse = Type.Object({
  kind: TerritoryKindSchema,
  code: Type.String(),
  name: Type.String(),
  epciNature: Type.Union([Type.String(), Type.Null()]),
  zone: Type.Union([Type.String(), Type.Null()]),
  population: Type.Union([Type.Integer(), Type.Null()]),
  source: Type.Union([Type.Literal('cog'), Type.Literal('manual')]),
  retired: Type.Boolean(),
  parents: Type.Array(TerritoryRef),
  presentation: Type.String(),
  website: Type.Union([Type.String(), Type.Null()]),
  url: Type.String(),
})

export { ErrorResponse } from '../../platform/http/schemas.ts'
