import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { publicCommitmentsByIds } from '../plans/index.ts'
import { findTerritoryByRef, regionAndDepartmentNames } from '../territories/index.ts'
import type { FicheKind } from './fields.ts'
import { linkedIds } from './content.ts'
import { referentielDatasets } from './opendata.ts'
import { ficheLinks, inventoryReport, relatedFiches, sameElsewhere, searchFiches } from './search.ts'
import { canModerate, moderatesAnything, OPEN_STATUSES, type VersionStatus } from './policy.ts'
import { ficheNames, addPlaceNames, listVersions } from './queries.ts'
import { FichePage, InventoryPage, OpenDataPage, SearchPage } from './views.tsx'
import {
  filtersOf,
  InventoryQuery,
  inventoryFilters,
  PAGE_SIZE,
  publishedFiche,
  SearchQuery,
  SlugParams,
} from './routes.shared.ts'

/** The référentiel's public pages: search, fiches, the inventory, open data. */
export default async function referentielPublicRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  app.get('/referentiel', { schema: { querystring: SearchQuery, hide: true } }, async (req, reply) => {
    const filters = await filtersOf(app, req.query)
    const page = req.query.page ?? 1
    const result = await searchFiches(db(), filters, { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE })
    const facets = result.facets
    const regions = [...facets.region.map((r) => r.value), ...(req.query.region ? [req.query.region] : [])]
    const departments = [
      ...facets.department.map((d) => d.value),
      ...(req.query.department ? [req.query.department] : []),
    ]
    // names of the régions and départements shown, by the registry's (kind, code) index
    const placeNames = await regionAndDepartmentNames(db(), { regions, departments })
    const shown: Record<string, string | undefined> = { ...req.query, page: undefined } as Record<
      string,
      string | undefined
    >
    return reply.page(
      req.t('ref.title'),
      <SearchPage
        filters={shown}
        total={result.total}
        hits={result.hits}
        facets={facets}
        placeNames={placeNames}
        page={page}
        pageSize={PAGE_SIZE}
        moderates={moderatesAnything(req.user)}
      />,
    )
  })

  app.get('/referentiel/fiches/:slug', { schema: { params: SlugParams, hide: true } }, async (req, reply) => {
    // everything but the reader's own rights is the same for every reader between two writes
    const { fiche, content, links, related, versions, territory, commitment, elsewhere, names, openProposal } =
      await app.platform.reads.read(`referentiel:fiche ${req.params.slug}`, async () => {
        const fiche = await publishedFiche(db(), req.params.slug)
        const content = fiche.content!
        const [links, related, versions, territory, commitment, elsewhere] = await Promise.all([
          ficheLinks(db(), fiche.id),
          relatedFiches(db(), { id: fiche.id, themes: fiche.themes, methodTypes: fiche.methodTypes }),
          listVersions(db(), fiche.id),
          typeof content.territory === 'string' ? findTerritoryByRef(db(), content.territory) : undefined,
          publicCommitmentsByIds(db(), [typeof content.commitment === 'string' ? content.commitment : null]),
          sameElsewhere(db(), {
            id: fiche.id,
            kind: fiche.kind,
            title: fiche.title!,
            sourceName: typeof content.sourceName === 'string' ? content.sourceName : null,
          }),
        ])
        const names = await ficheNames(db(), linkedIds(fiche.kind as FicheKind, content))
        await addPlaceNames(db(), names, [content])
        const openProposal = versions.some((v) => OPEN_STATUSES.includes(v.status as VersionStatus))
        return { fiche, content, links, related, versions, territory, commitment, elsewhere, names, openProposal }
      })
    return reply.page(
      fiche.title!,
      <FichePage
        fiche={{
          slug: fiche.slug,
          kind: fiche.kind as FicheKind,
          title: fiche.title!,
          featured: fiche.featured,
          publishedAt: fiche.publishedAt!,
          publishedVersion: fiche.publishedVersion!,
          licence: fiche.licence,
        }}
        content={content}
        names={names}
        links={links}
        related={related}
        elsewhere={elsewhere}
        versions={versions}
        openProposal={openProposal}
        canPropose={!!req.user}
        canFeature={canModerate(req.user, fiche.territoryId)}
        commitmentTitle={commitment[0]?.title ?? null}
        territoryName={territory?.name ?? null}
      />,
    )
  })

  // ——— inventory (FR0110) and open data pages ———
  app.get('/referentiel/inventaire', { schema: { querystring: InventoryQuery, hide: true } }, async (req, reply) => {
    const report = await inventoryReport(db(), inventoryFilters(req.query))
    return reply.page(
      req.t('ref.inventory'),
      <InventoryPage
        report={report}
        filters={{
          institutionKind: req.query.institutionKind ?? '',
          year: req.query.year ? String(req.query.year) : '',
        }}
      />,
    )
  })

  app.get('/referentiel/donnees', { schema: { hide: true } }, async (req, reply) =>
    reply.page(req.t('ref.opendata'), <OpenDataPage datasets={await referentielDatasets(db())} />),
  )
}
