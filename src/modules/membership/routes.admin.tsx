import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireAdmin } from '../../platform/auth/current-user.ts'
import { AppError } from '../../platform/errors.ts'
import { FormBody, parseForm, type FieldResult } from '../../platform/http/forms.ts'
import { optionalDateRule, optionalWebsiteRule, textRule } from '../../platform/http/rules.ts'
import { isMessageKey } from '../../platform/i18n/index.ts'
import type { FieldErrors, FormValues } from '../../platform/layout/forms.tsx'
import {
  contributionFor,
  decideMembership,
  listGrid,
  listMemberships,
  markLeft,
  setGridAmount,
  SUPPORT_LEVELS,
  type DecisionInput,
  type SupportLevel,
} from './service.ts'

import { territoriesById } from './territory-info.ts'
import { AdminPage, GridPage } from './views.tsx'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

const decisionRules = {
  decision: (raw: string): FieldResult<'accept' | 'decline'> =>
    raw === 'accept' || raw === 'decline' ? { value: raw } : { error: 'membership.error.decision' },
  conventionStart: optionalDateRule('plans.error.date'),
  conventionEnd: optionalDateRule('plans.error.date'),
  conventionDocumentUrl: optionalWebsiteRule,
  supportLevel: (raw: string, form: Record<string, string>): FieldResult<SupportLevel | null> =>
    // a request to join the network alone has no support level to choose
    (SUPPORT_LEVELS as readonly string[]).includes(raw)
      ? { value: raw as SupportLevel }
      : form.decision === 'decline' || raw === ''
        ? { value: null }
        : { error: 'membership.error.level' },
  decisionNote: (raw: string, form: Record<string, string>): FieldResult<string> =>
    form.decision === 'decline' && raw.trim() === ''
      ? { error: 'membership.error.note' }
      : raw.length > 5000
        ? { error: 'form.tooLong', params: { max: 5000 } }
        : { value: raw.trim() },
}

/** The network team's back office of memberships: every route under /admin/adhesions, administrators only. */
export default async function membershipAdminRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const db = () => app.platform.database.db
  // checked when the request arrives, before its body is read
  app.addHook('onRequest', async (req) => {
    requireAdmin(req)
  })

  // ——— the network team's back office ———
  async function renderAdmin(
    req: FastifyRequest,
    reply: FastifyReply,
    errors: Record<string, FieldErrors> = {},
    values: Record<string, FormValues> = {},
    status = 200,
  ) {
    const rows = await listMemberships(db(), ['candidate', 'member', 'in_programme'])
    const territories = await territoriesById(
      app.platform.database.db,
      rows.map((r) => r.territoryId),
    )
    const withTerritory = rows.flatMap((r) =>
      territories.get(r.territoryId) ? [{ ...r, territory: territories.get(r.territoryId)! }] : [],
    )
    const candidates = await Promise.all(
      withTerritory
        .filter((r) => r.status === 'candidate')
        .map(async (r) => ({
          ...r,
          preview: {
            reseau: await contributionFor(db(), {
              territoryKind: r.territory.kind,
              population: r.territory.population,
              supportLevel: 'reseau',
            }),
            essentiel: await contributionFor(db(), {
              territoryKind: r.territory.kind,
              population: r.territory.population,
              supportLevel: 'essentiel',
            }),
            renforce: await contributionFor(db(), {
              territoryKind: r.territory.kind,
              population: r.territory.population,
              supportLevel: 'renforce',
            }),
          },
        })),
    )
    return reply.page(
      req.t('membership.admin'),
      <AdminPage
        candidates={candidates}
        active={withTerritory.filter((r) => r.status !== 'candidate')}
        errors={errors}
        values={values}
      />,
      status,
    )
  }

  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    requireAdmin(req)
    return renderAdmin(req, reply)
  })

  app.post('/:id/decision', { schema: { params: IdParams, body: FormBody, hide: true } }, async (req, reply) => {
    const actor = requireAdmin(req)
    const parsed = parseForm<DecisionInput>(decisionRules, req.body, req.t)
    if (!parsed.ok)
      return renderAdmin(req, reply, { [req.params.id]: parsed.errors }, { [req.params.id]: parsed.values }, 422)
    try {
      await decideMembership(db(), { actor, membershipId: req.params.id, input: parsed.data })
    } catch (error) {
      if (error instanceof AppError && error.fields) {
        const fieldErrors = Object.fromEntries(
          Object.entries(error.fields).map(([f, key]) => [f, isMessageKey(key) ? req.t(key) : key]),
        )
        return renderAdmin(req, reply, { [req.params.id]: fieldErrors }, { [req.params.id]: parsed.values }, 422)
      }
      throw error
    }
    req.flash('notice', req.t('membership.decision.done'))
    return reply.redirect('/admin/adhesions', 303)
  })

  app.post('/:id/depart', { schema: { params: IdParams, body: FormBody, hide: true } }, async (req, reply) => {
    const actor = requireAdmin(req)
    await markLeft(db(), { actor, membershipId: req.params.id })
    req.flash('notice', req.t('membership.left'))
    return reply.redirect('/admin/adhesions', 303)
  })

  app.get('/grille', { schema: { hide: true } }, async (req, reply) => {
    requireAdmin(req)
    return reply.page(req.t('membership.grid'), <GridPage rows={await listGrid(db())} />)
  })

  app.post('/grille', { schema: { body: FormBody, hide: true } }, async (req, reply) => {
    const actor = requireAdmin(req)
    const parsed = parseForm(
      {
        territoryKind: textRule(1, 30, 'membership.error.amount'),
        populationMin: (raw: string): FieldResult<number> =>
          /^\d{1,9}$/.test(raw) ? { value: Number(raw) } : { error: 'membership.error.amount' },
        supportLevel: textRule(1, 30, 'membership.error.level'),
        amountEur: (raw: string): FieldResult<string> => {
          const value = raw
            .trim()
            .replace(/[\s\u202f\u00a0]/g, '')
            .replace(',', '.')
          return /^\d{1,9}(\.\d{1,2})?$/.test(value) ? { value } : { error: 'membership.error.amount' }
        },
      },
      req.body,
      req.t,
    )
    if (!parsed.ok)
      return reply.page(
        req.t('membership.grid'),
        <GridPage rows={await listGrid(db())} error={Object.values(parsed.errors).join(' ')} />,
        422,
      )
    await setGridAmount(db(), { actor, ...parsed.data })
    req.flash('notice', req.t('membership.grid.saved'))
    return reply.redirect('/admin/adhesions/grille', 303)
  })
}
