import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { can } from '../../platform/auth/policy.ts'
import { AppError, forbidden } from '../../platform/errors.ts'
import { perPersonLimit } from '../../platform/http/limits.ts'
import { FormBody, formValues, translateFieldErrors } from '../../platform/http/forms.ts'
import { normalizeDays } from '../../platform/http/rules.ts'
import type { FieldErrors, FormValues } from '../../platform/layout/forms.tsx'
import { publicCommitmentsByIds, publishedCommitments } from '../plans/index.ts'
import { todayInParis } from '../../platform/paris-time.ts'
import { getTerritorySummaries, territoryOfPage, territoryPath, TerritoryRefParams } from '../territories/index.ts'
import {
  articlesSource,
  createText,
  textPhase,
  updateDraftText,
  type AmendmentDecision,
  type TextInput,
  type TextRow,
} from './service.ts'
import { proposeAmendment, publishVersion, voteOnAmendment } from './amendments.ts'
import {
  amendmentsOf,
  articlesOf,
  currentVersion,
  findText,
  listTexts,
  versionsOf,
  visibleText,
  votesBy,
  textOfAmendment,
} from './queries.ts'
import { followBox } from '../follows/index.ts'
import { textPath, TextListPage, TextFormPage } from './views/texts.tsx'
import { VersionPage, NewVersionPage } from './views/versions.tsx'
import { TextPage } from './views/text.tsx'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
const VersionParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.Integer({ minimum: 1, maximum: 100000 }),
})
/** posting, supporting and reporting: per person and address */
const POSTING_LIMIT = perPersonLimit(30)
/** a whole regulation fits in one form: more than the 64 KB of ordinary forms */
const TEXT_FORM_LIMIT = 1024 * 1024

export default async function textRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  const territoryOf = (params: { kind: string; code: string }) => territoryOfPage(db(), params)
  const planCommitments = (territoryId: string) => publishedCommitments(db(), territoryId)
  const forbiddenStaff = () => forbidden('Réservé aux agents et élus du territoire.')
  // the days are normalised in place, so a form shown again holds the day that was read
  const inputOf = (values: Record<string, string>): TextInput => {
    normalizeDays(values, 'opensOn', 'closesOn')
    return {
      title: (values.title ?? '').trim(),
      summary: (values.summary ?? '').trim(),
      opensOn: values.opensOn ?? '',
      closesOn: values.closesOn ?? '',
      commitmentId: /^[0-9a-f-]{36}$/.test(values.commitmentId ?? '') ? values.commitmentId! : null,
      articlesSource: values.articlesSource ?? '',
    }
  }

  app.get(
    '/territoires/:kind/:code/textes',
    { schema: { params: TerritoryRefParams, hide: true } },
    async (req, reply) => {
      const territory = await territoryOf(req.params)
      const today = todayInParis()
      const items = (await listTexts(db(), territory.id, req.user)).map((item) => ({
        ...item,
        phase: textPhase(item, today),
      }))
      return reply.page(
        `${req.t('text.title')} – ${territory.name}`,
        <TextListPage
          territory={territory}
          items={items}
          canManage={can(req.user, 'consultation.manage', territory.id)}
        />,
      )
    },
  )

  app.get(
    '/territoires/:kind/:code/textes/nouveau',
    { schema: { params: TerritoryRefParams, hide: true } },
    async (req, reply) => {
      requireUser(req)
      const territory = await territoryOf(req.params)
      if (!can(req.user, 'consultation.manage', territory.id)) throw forbiddenStaff()
      return reply.page(
        req.t('text.new'),
        <TextFormPage
          title={req.t('text.new')}
          action={`${territory.path}/textes/nouveau`}
          values={{}}
          errors={{}}
          commitments={await planCommitments(territory.id)}
        />,
      )
    },
  )

  app.post(
    '/territoires/:kind/:code/textes/nouveau',
    { schema: { params: TerritoryRefParams, body: FormBody, hide: true }, bodyLimit: TEXT_FORM_LIMIT },
    async (req, reply) => {
      const actor = requireUser(req)
      const territory = await territoryOf(req.params)
      const values = formValues(req.body)
      try {
        const id = await createText(db(), {
          actor,
          territoryId: territory.id,
          input: inputOf(values),
          publish: values.intent === 'publish',
        })
        req.flash('notice', req.t('text.saved'))
        return reply.redirect(textPath({ id }), 303)
      } catch (error) {
        if (error instanceof AppError && error.status === 422)
          return reply.page(
            req.t('text.new'),
            <TextFormPage
              title={req.t('text.new')}
              action={`${territory.path}/textes/nouveau`}
              values={values}
              errors={translateFieldErrors(req.t, error.fields)}
              commitments={await planCommitments(territory.id)}
            />,
            422,
          )
        throw error
      }
    },
  )

  app.get('/textes/:id/modifier', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    requireUser(req)
    const text = await findText(db(), req.params.id)
    if (!can(req.user, 'consultation.manage', text.territoryId)) throw forbiddenStaff()
    if (text.status !== 'draft') return reply.redirect(`${textPath(text)}/nouvelle-version`, 303)
    const values = {
      title: text.title,
      summary: text.summary,
      opensOn: text.opensOn,
      closesOn: text.closesOn,
      commitmentId: text.commitmentId ?? '',
      articlesSource: articlesSource(await articlesOf(db(), text.id, 1)),
    }
    return reply.page(
      req.t('text.edit'),
      <TextFormPage
        title={req.t('text.edit')}
        action={`${textPath(text)}/modifier`}
        values={values}
        errors={{}}
        commitments={await planCommitments(text.territoryId)}
      />,
    )
  })

  app.post(
    '/textes/:id/modifier',
    { schema: { params: IdParams, body: FormBody, hide: true }, bodyLimit: TEXT_FORM_LIMIT },
    async (req, reply) => {
      const actor = requireUser(req)
      const text = await findText(db(), req.params.id)
      const values = formValues(req.body)
      try {
        await updateDraftText(db(), {
          actor,
          textId: text.id,
          input: inputOf(values),
          publish: values.intent === 'publish',
        })
      } catch (error) {
        if (error instanceof AppError && error.status === 422)
          return reply.page(
            req.t('text.edit'),
            <TextFormPage
              title={req.t('text.edit')}
              action={`${textPath(text)}/modifier`}
              values={values}
              errors={translateFieldErrors(req.t, error.fields)}
              commitments={await planCommitments(text.territoryId)}
            />,
            422,
          )
        throw error
      }
      req.flash('notice', req.t('text.saved'))
      return reply.redirect(textPath(text), 303)
    },
  )

  async function renderText(req: FastifyRequest, id: string, values: FormValues, errors: FieldErrors) {
    const text = await visibleText(db(), req.user, id)
    const version = await currentVersion(db(), text.id)
    const [[territory], articles, amendments, versions, votes, commitment] = await Promise.all([
      getTerritorySummaries(db(), [text.territoryId]),
      articlesOf(db(), text.id, version),
      amendmentsOf(db(), text.id),
      versionsOf(db(), text.id),
      req.user ? votesBy(db(), req.user.id, text.id) : new Map<string, boolean>(),
      publicCommitmentsByIds(db(), [text.commitmentId]),
    ])
    return {
      title: text.title,
      body: (
        <TextPage
          text={text}
          phase={textPhase(text, todayInParis())}
          territory={{ name: territory!.name, path: territoryPath(territory!) }}
          commitment={commitment[0] ?? null}
          version={version}
          articles={articles}
          amendments={amendments}
          versions={versions}
          votes={votes}
          signedIn={!!req.user}
          canManage={can(req.user, 'consultation.manage', text.territoryId)}
          canModerate={can(req.user, 'content.moderate', text.territoryId)}
          values={values}
          errors={errors}
          follow={text.status === 'draft' ? null : await followBox(db(), req.user, 'text', text.id, textPath(text))}
        />
      ),
    }
  }

  app.get('/textes/:id', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    const page = await renderText(req, req.params.id, {}, {})
    return reply.page(page.title, page.body)
  })

  app.post(
    '/textes/:id/amendements',
    {
      schema: { params: IdParams, body: FormBody, hide: true },
      bodyLimit: TEXT_FORM_LIMIT,
      config: { rateLimit: POSTING_LIMIT },
    },
    async (req, reply) => {
      const actor = requireUser(req)
      const values = formValues(req.body)
      try {
        const id = await proposeAmendment(db(), {
          actor,
          textId: req.params.id,
          input: {
            articleId: values.articleId ?? '',
            proposedBody: values.proposedBody ?? '',
            justification: values.justification ?? '',
          },
          today: todayInParis(),
        })
        req.flash('notice', req.t('text.amended'))
        return reply.redirect(`${textPath(req.params)}#amendment-${id}`, 303)
      } catch (error) {
        if (error instanceof AppError && error.status === 422) {
          const page = await renderText(req, req.params.id, values, translateFieldErrors(req.t, error.fields))
          return reply.page(page.title, page.body, 422)
        }
        throw error
      }
    },
  )

  app.post(
    '/amendements/:id/vote',
    { schema: { params: IdParams, body: FormBody, hide: true }, config: { rateLimit: POSTING_LIMIT } },
    async (req, reply) => {
      const actor = requireUser(req)
      const vote = formValues(req.body).vote
      if (vote !== 'for' && vote !== 'against' && vote !== 'none')
        throw new AppError('INVALID', { status: 400, userMessage: 'Vote inconnu : pour, contre ou retrait.' })
      const textId = await textOfAmendment(db(), req.params.id)
      await voteOnAmendment(db(), { actor, amendmentId: req.params.id, vote, today: todayInParis() })
      return reply.redirect(`${textPath({ id: textId })}#amendment-${req.params.id}`, 303)
    },
  )

  async function newVersionPage(text: TextRow, values: FormValues, errors: FieldErrors) {
    const version = await currentVersion(db(), text.id)
    const [articles, amendments] = await Promise.all([articlesOf(db(), text.id, version), amendmentsOf(db(), text.id)])
    return (
      <NewVersionPage
        text={text}
        articles={articles}
        pending={amendments.filter((a) => !a.decision)}
        values={values}
        errors={errors}
      />
    )
  }

  app.get('/textes/:id/nouvelle-version', { schema: { params: IdParams, hide: true } }, async (req, reply) => {
    requireUser(req)
    const text = await findText(db(), req.params.id)
    if (!can(req.user, 'consultation.manage', text.territoryId)) throw forbiddenStaff()
    return reply.page(req.t('text.newVersion'), await newVersionPage(text, {}, {}))
  })

  app.post(
    '/textes/:id/nouvelle-version',
    { schema: { params: IdParams, body: FormBody, hide: true }, bodyLimit: TEXT_FORM_LIMIT },
    async (req, reply) => {
      const actor = requireUser(req)
      const text = await findText(db(), req.params.id)
      const values = formValues(req.body)
      const articles = new Map<string, { heading: string; body: string }>()
      const decisions = new Map<string, { decision: AmendmentDecision; reason: string }>()
      for (const [name, value] of Object.entries(values)) {
        const [field, id] = name.split('.')
        if (!id || !/^[0-9a-f-]{36}$/.test(id)) continue
        if (field === 'heading' || field === 'body')
          articles.set(id, { heading: values[`heading.${id}`] ?? '', body: values[`body.${id}`] ?? '' })
        if (field === 'decision' && value !== '')
          decisions.set(id, { decision: value as AmendmentDecision, reason: values[`reason.${id}`] ?? '' })
      }
      try {
        const number = await publishVersion(db(), {
          actor,
          textId: text.id,
          input: { articles, decisions, note: values.note ?? '', final: values.final === 'true' },
          today: todayInParis(),
        })
        req.flash('notice', req.t('text.published', { number }))
        return reply.redirect(`${textPath(text)}/versions/${number}`, 303)
      } catch (error) {
        if (error instanceof AppError && error.status === 422)
          return reply.page(
            req.t('text.newVersion'),
            await newVersionPage(text, values, translateFieldErrors(req.t, error.fields)),
            422,
          )
        throw error
      }
    },
  )

  app.get('/textes/:id/versions/:number', { schema: { params: VersionParams, hide: true } }, async (req, reply) => {
    const text = await visibleText(db(), req.user, req.params.id)
    const versions = await versionsOf(db(), text.id)
    const version = versions.find((v) => v.number === req.params.number && v.publishedAt)
    if (!version) throw new AppError('NOT_FOUND', { status: 404, userMessage: 'Cette version n’existe pas.' })
    const [articles, previous, amendments] = await Promise.all([
      articlesOf(db(), text.id, version.number),
      version.number > 1 ? articlesOf(db(), text.id, version.number - 1) : null,
      amendmentsOf(db(), text.id),
    ])
    const headings = new Map(articles.map((a) => [a.articleId, a.heading]))
    return reply.page(
      `${text.title} – ${req.t('text.version', { number: version.number })}`,
      <VersionPage
        text={text}
        version={version}
        articles={articles}
        previous={previous}
        decided={amendments.filter((a) => a.decidedIn === version.number)}
        headings={headings}
      />,
    )
  })
}
