import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { requireUser } from '../../platform/auth/current-user.ts'
import { assertCan, can } from '../../platform/auth/policy.ts'
import { FormBody, parseForm } from '../../platform/http/forms.ts'
import { optionalEmailRule, optionalWebsiteRule, textRule } from '../../platform/http/rules.ts'
import { SearchQuery, TerritoryParams } from './schema.ts'
import { getTerritoryPage, searchTerritories, updateTerritoryProfile, type ProfileInput } from './service.ts'
import { ProfileEditPage, SearchPage, SearchResults, TerritoryPage, territoryPath } from './views.tsx'
import { followBox } from '../follows/index.ts'
import { PickerSuggestions } from '../../platform/layout/picker.tsx'
import { SuggestQuery } from '../../platform/http/forms.ts'
import { suggestTerritories } from './pick.ts'

const profileRules = {
  presentation: textRule(0, 5000, 'form.tooLong'),
  website: optionalWebsiteRule,
  publicContactEmail: optionalEmailRule,
}

/** Territory search, territory pages and the presentation form of a territory's staff. */
export default async function territoryPublicRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  app.get('/territoires', { schema: { querystring: SearchQuery, hide: true } }, async (req, reply) => {
    const kind = req.query.kind || null
    const result = await searchTerritories(db(), { q: req.query.q ?? '', kind, page: req.query.page ?? 1 })
    const view = { ...result, kind }
    if (req.headers['hx-request'] === 'true') return reply.fragment(<SearchResults result={view} />)
    return reply.page(req.t('search.title'), <SearchPage result={view} />)
  })

  // a picker's suggestions as a person types (public data, like the search above)
  app.get('/territoires/suggestions', { schema: { querystring: SuggestQuery, hide: true } }, async (req, reply) => {
    const text = Object.values(req.query).find((value) => value.trim() !== '') ?? ''
    return reply.fragment(<PickerSuggestions choices={await suggestTerritories(db(), req.t, text)} />)
  })

  app.get('/territoires/:kind/:code', { schema: { params: TerritoryParams, hide: true } }, async (req, reply) => {
    // the same for every reader between two writes (the staff's links and the follow box are per person)
    const data = await app.platform.reads.read(`territories:page ${req.params.kind} ${req.params.code}`, () =>
      getTerritoryPage(db(), req.params.kind, req.params.code),
    )
    return reply.page(
      data.territory.name,
      <TerritoryPage
        data={data}
        canEdit={can(req.user, 'territory.editProfile', data.territory.id)}
        follow={await followBox(db(), req.user, 'territory', data.territory.id, territoryPath(data.territory))}
      />,
    )
  })

  app.get(
    '/territoires/:kind/:code/presentation',
    { schema: { params: TerritoryParams, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const data = await getTerritoryPage(db(), req.params.kind, req.params.code)
      assertCan(actor, 'territory.editProfile', data.territory.id)
      const values = {
        presentation: data.profile?.presentation ?? '',
        website: data.profile?.website ?? '',
        publicContactEmail: data.profile?.publicContactEmail ?? '',
      }
      return reply.page(
        req.t('territory.editTitle', { name: data.territory.name }),
        <ProfileEditPage name={data.territory.name} path={territoryPath(data.territory)} values={values} errors={{}} />,
      )
    },
  )

  app.post(
    '/territoires/:kind/:code/presentation',
    { schema: { params: TerritoryParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const data = await getTerritoryPage(db(), req.params.kind, req.params.code)
      const path = territoryPath(data.territory)
      const parsed = parseForm<ProfileInput>(profileRules, req.body, req.t)
      if (!parsed.ok) {
        return reply.page(
          req.t('territory.editTitle', { name: data.territory.name }),
          <ProfileEditPage name={data.territory.name} path={path} values={parsed.values} errors={parsed.errors} />,
          422,
        )
      }
      await updateTerritoryProfile(db(), { actor, territoryId: data.territory.id, input: parsed.data })
      req.flash('notice', req.t('territory.saved'))
      return reply.redirect(path, 303)
    },
  )
}
