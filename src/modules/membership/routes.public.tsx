import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../../platform/auth/current-user.ts'
import { assertCan } from '../../platform/auth/policy.ts'
import { AppError } from '../../platform/errors.ts'
import { sendCsv, type CsvColumn } from '../../platform/http/csv.ts'
import { FormBody, parseForm, type FieldResult } from '../../platform/http/forms.ts'
import { emailRule, textRule } from '../../platform/http/rules.ts'
import { findTerritoryByRef, getTerritorySummaries, territoryPath } from '../territories/index.ts'
import { findMembership, listMemberships, requestMembership, type MembershipRequestInput } from './service.ts'

import type { TerritoryInfo } from './territory-info.ts'
import { MembersPage, RequestPage, type PublicMember } from './views.tsx'

const TerritoryRefParams = Type.Object({
  kind: Type.String({ pattern: '^[a-z]{4,12}$' }),
  code: Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$' }),
})

const requestRules = {
  requestedScope: (raw: string): FieldResult<'network' | 'programme'> =>
    raw === 'network' || raw === 'programme' ? { value: raw } : { error: 'membership.error.scope' },
  contactName: textRule(1, 200, 'membership.error.name'),
  contactEmail: emailRule,
  contactRole: textRule(0, 200, 'form.tooLong'),
  politicalCommitment: textRule(1, 10000, 'membership.error.commitment'),
  signatory: textRule(1, 300, 'membership.error.signatory'),
}

/** Public members, with public fields only (never the contact). */
async function publicMembers(app: FastifyInstance): Promise<PublicMember[]> {
  const rows = await listMemberships(app.platform.database.db, ['member', 'in_programme'])
  const list = await getTerritorySummaries(
    app.platform.database.db,
    rows.map((r) => r.territoryId),
  )
  const byId = new Map(list.map((t) => [t.id, t]))
  return rows
    .flatMap((r) => {
      const territory = byId.get(r.territoryId)
      if (!territory) return []
      return [
        {
          kind: territory.kind,
          code: territory.code,
          name: territory.name,
          status: r.status as PublicMember['status'],
          since: r.decidedAt ? r.decidedAt.toISOString().slice(0, 10) : null,
          conventionStart: r.conventionStart,
          conventionEnd: r.conventionEnd,
          signatory: r.signatory,
          politicalCommitment: r.politicalCommitment,
          url: territoryPath(territory),
        },
      ]
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'))
}

const MemberSchema = Type.Object({
  kind: Type.String(),
  code: Type.String(),
  name: Type.String(),
  status: Type.Union([Type.Literal('member'), Type.Literal('in_programme')]),
  since: Type.Union([Type.String(), Type.Null()]),
  conventionStart: Type.Union([Type.String(), Type.Null()]),
  conventionEnd: Type.Union([Type.String(), Type.Null()]),
  signatory: Type.String(),
  politicalCommitment: Type.String(),
  url: Type.String(),
})

const MEMBER_COLUMNS: CsvColumn<PublicMember>[] = [
  { name: 'territoire_type', value: (m) => m.kind },
  { name: 'territoire_code', value: (m) => m.code },
  { name: 'territoire_nom', value: (m) => m.name },
  { name: 'statut', value: (m) => m.status },
  { name: 'depuis', value: (m) => m.since },
  { name: 'convention_debut', value: (m) => m.conventionStart },
  { name: 'convention_fin', value: (m) => m.conventionEnd },
  { name: 'signataire', value: (m) => m.signatory },
  { name: 'engagement_politique', value: (m) => m.politicalCommitment },
]

/** Joining the network: the territory's request, the team's decisions and grid, the public list of members. */
export default async function membershipRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db

  async function territoryFromParams(params: { kind: string; code: string }): Promise<TerritoryInfo> {
    const row = await findTerritoryByRef(db(), `${params.kind}/${params.code}`)
    if (!row) throw new AppError('NOT_FOUND', { status: 404, userMessage: 'Page introuvable.' })
    return { id: row.id, kind: row.kind, name: row.name, population: row.population, path: territoryPath(row) }
  }

  app.get(
    '/territoires/:kind/:code/adhesion',
    { schema: { params: TerritoryRefParams, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const territory = await territoryFromParams(req.params)
      assertCan(actor, 'membership.request', territory.id)
      return reply.page(
        req.t('membership.title'),
        <RequestPage
          territory={territory}
          membership={await findMembership(db(), territory.id)}
          values={{}}
          errors={{}}
        />,
      )
    },
  )

  app.post(
    '/territoires/:kind/:code/adhesion',
    { schema: { params: TerritoryRefParams, body: FormBody, hide: true } },
    async (req, reply) => {
      const actor = requireUser(req)
      const territory = await territoryFromParams(req.params)
      assertCan(actor, 'membership.request', territory.id)
      const parsed = parseForm<MembershipRequestInput>(requestRules, req.body, req.t)
      if (!parsed.ok)
        return reply.page(
          req.t('membership.title'),
          <RequestPage
            territory={territory}
            membership={await findMembership(db(), territory.id)}
            values={parsed.values}
            errors={parsed.errors}
          />,
          422,
        )
      await requestMembership(db(), { actor, territoryId: territory.id, input: parsed.data })
      req.flash('notice', req.t('membership.sent'))
      return reply.redirect(`${territory.path}/adhesion`, 303)
    },
  )

  app.get('/membres', { schema: { hide: true } }, async (req, reply) =>
    reply.page(req.t('membership.members'), <MembersPage members={await publicMembers(app)} />),
  )

  app.get(
    '/api/v1/members',
    {
      schema: {
        tags: ['network'],
        summary: 'Member territories of the network and the THC programme (public fields only)',
        response: { 200: Type.Object({ licence: Type.String(), items: Type.Array(MemberSchema) }) },
      },
    },
    async () => ({
      licence: 'etalab-2.0',
      items: await publicMembers(app),
    }),
  )

  app.get(
    '/api/v1/members.csv',
    {
      schema: {
        tags: ['network'],
        summary: 'Member territories as CSV',
        produces: ['text/csv'],
        response: { 200: Type.String() },
      },
    },
    async (_req, reply) => {
      const members = await publicMembers(app)
      return sendCsv(reply, {
        filename: 'territoires-membres.csv',
        columns: MEMBER_COLUMNS,
        nextPage: async (after) => (after ? [] : members),
      })
    },
  )
}
