import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { AppError, forbidden, notFound } from '../../platform/errors.ts'
import { FormBody, formValues } from '../../platform/http/forms.ts'
import { pickedValue, type PickerChoice } from '../../platform/layout/picker.tsx'
import { publicCommitmentsByIds } from '../plans/index.ts'
import { findTerritoryByRef, regionAndDepartmentNames } from '../territories/index.ts'
import { FIELD_BY_NAME, fieldsOf, isFicheKind, type FicheKind } from './fields.ts'
import { changedFields, displayValue, problemText, type FicheContent, type FieldValue, linkedIds } from './content.ts'
import { referentielDatasets } from './opendata.ts'
import {
  ficheLinks,
  inventoryReport,
  relatedFiches,
  sameElsewhere,
  searchFiches,
  type SearchFilters,
} from './search.ts'
import { ContentProblems, createFiche, discardVersion, saveDraft, startRevision, submitVersion } from './service.ts'
import { canModerate, moderatesAnything, OPEN_STATUSES, type Decision, type VersionStatus } from './policy.ts'
import { openImportConflicts, resolveImportConflict } from './conflicts.ts'
import { decide, setFeatured } from './publication.ts'
import {
  canSeeVersion,
  contentForForm,
  findFicheBySlug,
  findVersion,
  ficheNames,
  addPlaceNames,
  listVersions,
  moderationQueue,
  myVersions,
  versionTerritoryId,
} from './queries.ts'
import type { FicheRow } from './tables.ts'
import { CONTRIBUTOR_LICENCES, isVocabularyKey } from './vocabularies.ts'
import {
  ConflictsPage,
  FicheFormPage,
  FichePage,
  fichePath,
  InventoryPage,
  KindChoicePage,
  kindLabel,
  MinePage,
  OpenDataPage,
  QueuePage,
  SearchPage,
  versionPath,
  VersionPage,
} from './views.tsx'

export const SlugParams = Type.Object({ slug: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 120 }) })
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
const ConflictBody = Type.Object({
  _csrf: Type.Optional(Type.String()),
  choice: Type.Union([Type.Literal('source'), Type.Literal('local')]),
})
const PAGE_SIZE = 20

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

/** Pages of the référentiel: search, fiches, contribution, moderation, inventory, imports. */
export default async function referentielRoutes(fastify: FastifyInstance) {
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
    const fiche = await publishedFiche(req.params.slug)
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

  async function publishedFiche(slug: string): Promise<FicheRow> {
    const fiche = await findFicheBySlug(db(), slug)
    if (!fiche || fiche.publishedVersion === null || !fiche.content) throw notFound()
    return fiche
  }

  // ——— contributing ———
  app.get(
    '/referentiel/nouvelle',
    { schema: { querystring: Type.Object({ nature: Type.Optional(Type.String({ maxLength: 20 })) }), hide: true } },
    async (req, reply) => {
      requireUser(req)
      const kind = req.query.nature
      if (!isFicheKind(kind)) return reply.page(req.t('ref.new'), <KindChoicePage />)
      return reply.page(
        req.t('ref.newKind', { kind: kindLabel(req.t, kind) }),
        formPage(req, kind, `/referentiel/nouvelle?nature=${kind}`, { licence: 'etalab-2.0', language: 'fr' }, {}, [
          ...CONTRIBUTOR_LICENCES,
        ]),
      )
    },
  )

  app.post(
    '/referentiel/nouvelle',
    {
      schema: { querystring: Type.Object({ nature: Type.String({ maxLength: 20 }) }), body: FormBody, hide: true },
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const actor = requireUser(req)
      const kind = req.query.nature
      if (!isFicheKind(kind)) throw notFound()
      const values = ficheValues(kind, req.body)
      try {
        const { version } = await createFiche(db(), actor, kind, values)
        if (values.intent === 'submit') await submitVersion(db(), actor, version.id)
        req.flash('notice', req.t(values.intent === 'submit' ? 'ref.flash.submitted' : 'ref.flash.saved'))
        return reply.redirect(versionPath(version.id), 303)
      } catch (error) {
        if (!(error instanceof ContentProblems)) throw error
        return reply.page(
          req.t('ref.newKind', { kind: kindLabel(req.t, kind) }),
          formPage(
            req,
            kind,
            `/referentiel/nouvelle?nature=${kind}`,
            values,
            problemsOf(req, error),
            [...CONTRIBUTOR_LICENCES],
            null,
            choicesOf(error),
          ),
          422,
        )
      }
    },
  )

  // a signed-in contributor opens (or finds) their proposal to change a published fiche
  app.post(
    '/referentiel/fiches/:slug/proposition',
    {
      schema: { params: SlugParams, body: FormBody, hide: true },
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const actor = requireUser(req)
      const fiche = await publishedFiche(req.params.slug)
      const version = await startRevision(db(), actor, fiche)
      return reply.redirect(`${versionPath(version.id)}/modifier`, 303)
    },
  )

  app.get('/referentiel/versions/:id/modifier', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    const actor = requireUser(req)
    const version = await editableVersion(req.params.id, actor.id)
    const kind = version.fiche.kind as FicheKind
    const values = await contentForForm(db(), kind, version.content)
    return reply.page(
      req.t('ref.edit'),
      formPage(req, kind, `${versionPath(version.id)}/modifier`, values, {}, licencesFor(version), version.reviewNote),
    )
  })

  app.post(
    '/referentiel/versions/:id/modifier',
    {
      schema: { params: IdParams, body: FormBody, hide: true },
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const actor = requireUser(req)
      const version = await editableVersion(req.params.id, actor.id)
      const kind = version.fiche.kind as FicheKind
      const values = ficheValues(kind, req.body)
      try {
        await saveDraft(db(), { actor, versionId: version.id, input: values, submit: values.intent === 'submit' })
      } catch (error) {
        if (!(error instanceof ContentProblems)) throw error
        return reply.page(
          req.t('ref.edit'),
          formPage(
            req,
            kind,
            `${versionPath(version.id)}/modifier`,
            values,
            problemsOf(req, error),
            licencesFor(version),
            version.reviewNote,
            choicesOf(error),
          ),
          422,
        )
      }
      req.flash('notice', req.t(values.intent === 'submit' ? 'ref.flash.submitted' : 'ref.flash.saved'))
      return reply.redirect(versionPath(version.id), 303)
    },
  )

  app.post(
    '/referentiel/versions/:id/soumettre',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      await submitVersion(db(), actor, req.params.id)
      req.flash('notice', req.t('ref.flash.submitted'))
      return reply.redirect(versionPath(req.params.id), 303)
    },
  )

  app.post(
    '/referentiel/versions/:id/abandon',
    { schema: { params: IdParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const { ficheRemoved, slug } = await discardVersion(db(), actor, req.params.id)
      req.flash('notice', req.t('ref.flash.discarded'))
      return reply.redirect(ficheRemoved ? '/referentiel/mes-contributions' : fichePath(slug), 303)
    },
  )

  app.get('/referentiel/versions/:id', { schema: { params: IdParams, hide: true } }, async (req, reply) =>
    versionPage(req, reply, {}, {}, 200),
  )

  app.post(
    '/referentiel/versions/:id/decision',
    {
      schema: { params: IdParams, body: FormBody, hide: true },
      config: { rateLimit: { max: 120, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const actor = requireUser(req)
      const values = formValues(req.body)
      const decision = values.decision
      if (decision !== 'publish' && decision !== 'request_changes' && decision !== 'reject') {
        return versionPage(req, reply, values, { decision: req.t('ref.error.decision') }, 422, true)
      }
      try {
        await decide(db(), {
          actor,
          versionId: (req.params as { id: string }).id,
          decision: decision as Decision,
          note: values.note ?? '',
        })
      } catch (error) {
        if (error instanceof AppError && error.code === 'REASON_REQUIRED')
          return versionPage(req, reply, values, { note: req.t('ref.error.reason') }, 422, true)
        throw error
      }
      const status = decision === 'publish' ? 'published' : decision === 'reject' ? 'rejected' : 'changes_requested'
      req.flash('notice', req.t(`ref.flash.${status}`))
      return reply.redirect(versionPath((req.params as { id: string }).id), 303)
    },
  )

  app.post(
    '/referentiel/fiches/:slug/mise-en-avant',
    { schema: { params: SlugParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const fiche = await publishedFiche(req.params.slug)
      await setFeatured(db(), { actor, fiche, featured: formValues(req.body).featured === 'true' })
      return reply.redirect(fichePath(fiche.slug), 303)
    },
  )

  app.get('/referentiel/moderation', { schema: { hide: true } }, async (req, reply) => {
    const actor = requireUser(req)
    if (!moderatesAnything(actor)) throw forbidden('Vous ne modérez pas le référentiel.')
    return reply.page(req.t('ref.moderation'), <QueuePage items={await moderationQueue(db(), actor)} />)
  })

  app.get('/referentiel/mes-contributions', { schema: { hide: true } }, async (req, reply) => {
    const actor = requireUser(req)
    const items = (await myVersions(db(), actor.id)).map((i) => ({ ...i, title: i.title ?? i.slug }))
    return reply.page(req.t('ref.mine'), <MinePage items={items} />)
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

  // ——— conflicts between a re-import and an edit made here (network moderators) ———
  app.get('/referentiel/conflits', { schema: { hide: true } }, async (req, reply) => {
    const actor = requireUser(req)
    if (!canModerate(actor, null)) throw forbidden('Seuls les modérateurs du réseau tranchent les conflits d’import.')
    const open = await openImportConflicts(db())
    // linked fiches are shown by their titles
    const linked = open.flatMap((c) =>
      FIELD_BY_NAME.get(c.field)?.type === 'fiches'
        ? [c.sourceValue, c.localValue].flatMap((v) => (Array.isArray(v) ? v.map(String) : []))
        : [],
    )
    const names = await ficheNames(db(), [...new Set(linked)])
    const shown = (field: string, value: unknown) => {
      const spec = FIELD_BY_NAME.get(field)
      if (!spec) return JSON.stringify(value)
      if (spec.type === 'fiches' && Array.isArray(value))
        return value.map((id) => names.get(String(id))?.title ?? String(id)).join('\n')
      return displayValue(spec, value as FieldValue, req.locale)
    }
    const conflicts = open.map((c) => ({
      ...c,
      fieldLabel: FIELD_BY_NAME.get(c.field)?.label[req.locale === 'en' ? 1 : 0] ?? c.field,
      sourceValue: shown(c.field, c.sourceValue),
      localValue: shown(c.field, c.localValue),
    }))
    return reply.page(req.t('ref.conflicts'), <ConflictsPage conflicts={conflicts} />)
  })

  app.post(
    '/referentiel/conflits/:id',
    { schema: { params: IdParams, body: ConflictBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      await resolveImportConflict(db(), { actor, conflictId: req.params.id, choice: req.body.choice })
      req.flash('notice', req.t('ref.conflicts.resolved'))
      return reply.redirect('/referentiel/conflits', 303)
    },
  )

  // ——— helpers that need the request ———
  function formPage(
    req: FastifyRequest,
    kind: FicheKind,
    action: string,
    values: Record<string, string>,
    errors: Record<string, string>,
    licences: string[],
    reviewNote?: string | null,
    choices: Record<string, PickerChoice[]> = {},
  ) {
    const title = action.includes('/versions/')
      ? req.t('ref.edit')
      : req.t('ref.newKind', { kind: kindLabel(req.t, kind) })
    return (
      <FicheFormPage
        kind={kind}
        title={title}
        action={action}
        values={values}
        errors={errors}
        licences={licences}
        reviewNote={reviewNote ?? null}
        choices={choices}
      />
    )
  }

  /** The form as posted, with each picker field holding the choice ticked, if any. */
  function ficheValues(kind: FicheKind, body: unknown): Record<string, string> {
    const values = formValues(body)
    for (const field of fieldsOf(kind))
      if (field.type === 'territory' || field.type === 'commitment')
        values[field.name] = pickedValue(values, field.name)
    return Object.fromEntries(Object.entries(values).filter(([name]) => !name.endsWith('.choix')))
  }

  function choicesOf(error: ContentProblems): Record<string, PickerChoice[]> {
    return Object.fromEntries(error.problems.flatMap((p) => (p.choices ? [[p.field, p.choices] as const] : [])))
  }

  function problemsOf(req: FastifyRequest, error: ContentProblems): Record<string, string> {
    const errors: Record<string, string> = {}
    for (const p of error.problems)
      errors[p.field] = errors[p.field]
        ? `${errors[p.field]} ; ${problemText(p, req.locale)}`
        : problemText(p, req.locale)
    return errors
  }

  async function editableVersion(id: string, userId: string) {
    const version = await findVersion(db(), id)
    if (!version) throw notFound()
    if (version.authorId !== userId) throw forbidden('Seul l’auteur de cette proposition peut la modifier.')
    if (version.status !== 'draft' && version.status !== 'changes_requested')
      throw new AppError('VERSION_NOT_EDITABLE', {
        status: 409,
        userMessage: 'Cette version n’est plus modifiable : elle a été soumise ou relue.',
      })
    return version
  }

  /** An imported fiche keeps its own licence; a contributor's fiche offers the two the law allows. */
  function licencesFor(version: { content: FicheContent }): string[] {
    const licence = typeof version.content.licence === 'string' ? version.content.licence : null
    return licence && !(CONTRIBUTOR_LICENCES as readonly string[]).includes(licence)
      ? [licence]
      : [...CONTRIBUTOR_LICENCES]
  }

  async function versionPage(
    req: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string>,
    errors: Record<string, string>,
    status: number,
    mustModerate = false,
  ) {
    const version = await findVersion(db(), (req.params as { id: string }).id)
    if (!version) throw notFound()
    const territoryId = await versionTerritoryId(db(), version.content)
    if (!canSeeVersion(req.user, version, territoryId))
      throw req.user
        ? notFound()
        : new AppError('UNAUTHORIZED', { status: 401, userMessage: 'Connectez-vous pour continuer.' })
    if (mustModerate && !canModerate(req.user, territoryId)) throw forbidden('Vous ne modérez pas cette fiche.')
    const kind = version.fiche.kind as FicheKind
    const all = await listVersions(db(), version.ficheId)
    const base = version.baseNumber !== null ? all.find((v) => v.number === version.baseNumber) : undefined
    const changes = changedFields(kind, base?.content ?? null, version.content)
    const names = await ficheNames(db(), [
      ...linkedIds(kind, version.content),
      ...(base ? linkedIds(kind, base.content) : []),
    ])
    await addPlaceNames(db(), names, [version.content, ...(base ? [base.content] : [])])
    const summary = all.find((v) => v.id === version.id)!
    return reply.page(
      String(version.content.title ?? version.fiche.slug),
      <VersionPage
        fiche={{
          slug: version.fiche.slug,
          kind,
          title: version.fiche.title,
          publishedVersion: version.fiche.publishedVersion,
        }}
        version={{ ...summary, submittedAt: version.submittedAt, baseNumber: version.baseNumber }}
        content={version.content}
        changes={changes}
        names={names}
        canModerate={canModerate(req.user, territoryId)}
        isAuthor={!!req.user && req.user.id === version.authorId}
        values={values}
        errors={errors}
      />,
      status,
    )
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
