import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { AppError, forbidden, notFound } from '../../platform/errors.ts'
import { FormBody, formValues } from '../../platform/http/forms.ts'
import { pickedValue, type PickerChoice } from '../../platform/layout/picker.tsx'
import { fieldsOf, isFicheKind, type FicheKind } from './fields.ts'
import { changedFields, problemText, type FicheContent, linkedIds } from './content.ts'
import { ContentProblems, createFiche, discardVersion, saveDraft, startRevision, submitVersion } from './service.ts'
import { canModerate, moderatesAnything, type Decision } from './policy.ts'
import { decide, setFeatured } from './publication.ts'
import {
  canSeeVersion,
  contentForForm,
  findVersion,
  ficheNames,
  addPlaceNames,
  listVersions,
  moderationQueue,
  myVersions,
  versionTerritoryId,
} from './queries.ts'
import { CONTRIBUTOR_LICENCES } from './vocabularies.ts'
import {
  FicheFormPage,
  fichePath,
  KindChoicePage,
  kindLabel,
  MinePage,
  QueuePage,
  versionPath,
  VersionPage,
} from './views.tsx'
import { IdParams, publishedFiche, SlugParams } from './routes.shared.ts'

/** Contributing to the référentiel: new fiches, proposed changes, versions and their moderation, one's own contributions. */
export default async function referentielContributorRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

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
        const { version } = await createFiche(db(), { actor, kind, input: values })
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
      const fiche = await publishedFiche(db(), req.params.slug)
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
      const fiche = await publishedFiche(db(), req.params.slug)
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
