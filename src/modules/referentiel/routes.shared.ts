/** What the référentiel's route plugins share: request schemas, search filters from a query, the published fiche at an address. */
import type { Db } from '../../platform/db/index.ts'
import type { FastifyInstance } from 'fastify'
import { Type, type Static } from 'typebox'
import { AppError, notFound } from '../../platform/errors.ts'
import { findTerritoryByRef } from '../territories/index.ts'
import { isFicheKind } from './fields.ts'
import type { SearchFilters } from './search.ts'
import { findFicheBySlug } from './queries.ts'
import type { FicheRow } from './tables.ts'
import { isVocabularyKey } from './vocabularies.ts'

export const SlugParams = Type.Object({ slug: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 120 }) })
export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
export const PAGE_SIZE = 20

export const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  kind: Type.Optional(
    Type.Union([Type.Literal('method'), Type.Literal('experience'), Type.Literal('actor'), Type.Literal('')]),
  ),
  theme: Type.Optional(Type.String({ maxLength: 40 })),
  methodType: Type.Optional(Type.String({ maxLength: 40 })),
  iap2: Type.Optional(Type.String({ maxLength: 40 })),
  result: Type.Optional(Type.String({ maxLength: 40 })),
  region: Type.Optional(Type.String({ pattern: '^[0-9A-Z]{0,3}$' })),
  department: Type.Optional(Type.String({ pattern: '^[0-9AB]{0,3}$' })),
  territory: Type.Optional(Type.String({ maxLength: 80 })),
  institution: Type.Optional(Type.String({ maxLength: 300 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
})
type SearchQueryType = Omit<Static<typeof SearchQuery>, 'page'>

/** Search filters from a query string; unknown vocabulary keys are a clear 400, not an empty page. */
export async function filtersOf(app: FastifyInstance, query: SearchQueryType): Promise<SearchFilters> {
  const check = (value: string | undefined, vocabulary: 'themes' | 'methodTypes' | 'iap2' | 'result', name: string) => {
    if (value && !isVocabularyKey(vocabulary, value))
      throw new AppError('BAD_FILTER', { status: 400, userMessage: `Valeur inconnue pour ${name} : ${value}` })
    return value || undefined
  }
  let territoryId: string | undefined
  if (query.territory) {
    const territory = await findTerritoryByRef(app.platform.database.db, query.territory)
    if (!territory)
      throw new AppError('BAD_FILTER', { status: 400, userMessage: `Territoire inconnu : ${query.territory}` })
    territoryId = territory.id
  }
  return {
    q: query.q?.trim() || undefined,
    kind: isFicheKind(query.kind) ? query.kind : undefined,
    theme: check(query.theme, 'themes', 'theme'),
    methodType: check(query.methodType, 'methodTypes', 'methodType'),
    iap2: check(query.iap2, 'iap2', 'iap2'),
    result: check(query.result, 'result', 'result'),
    region: query.region || undefined,
    department: query.department || undefined,
    territoryId,
    institution: query.institution?.trim() || undefined,
  }
}

export const InventoryQuery = Type.Object({
  institutionKind: Type.Optional(
    Type.Union([
      Type.Literal(''),
      Type.Literal('ministry'),
      Type.Literal('public_body'),
      Type.Literal('territory'),
      Type.Literal('association'),
      Type.Literal('other'),
    ]),
  ),
  year: Type.Optional(Type.Union([Type.Integer({ minimum: 1900, maximum: 2100 }), Type.Literal('')])),
})

export function inventoryFilters(query: { institutionKind?: string | undefined; year?: number | '' | undefined }) {
  return {
    institutionKind: query.institutionKind || undefined,
    year: typeof query.year === 'number' ? query.year : undefined,
  }
}

/** The published fiche at this address, or 404: drafts and withdrawn fiches have no public page. */
export async function publishedFiche(db: Db, slug: string): Promise<FicheRow> {
  const fiche = await findFicheBySlug(db, slug)
  if (!fiche || fiche.publishedVersion === null || !fiche.content) throw notFound()
  return fiche
}
