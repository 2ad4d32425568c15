import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { queryRows } from '../../platform/db/index.ts'
import {
  buildTestApp,
  Client,
  createUser,
  describeEachEngine,
  signedInClient,
  type TestApp,
} from '../../../test/helpers/app.ts'
import { buildGroup, buildPlan } from '../../../test/helpers/factories.ts'

describeEachEngine('Groupes Action Projet', (engine) => {
  let ctx: TestApp
  let outsider: Client

  before(async () => {
    ctx = await buildTestApp(engine)
    const o = await createUser(ctx.database, { displayName: 'Olive Extérieure' })
    outsider = await signedInClient(ctx.app, o.email, o.password)
  })
  after(async () => ctx?.close())

  /** A citizen with an account, signed in. */
  async function citizenNamed(displayName: string) {
    const c = await createUser(ctx.database, { displayName })
    return { id: c.id, client: await signedInClient(ctx.app, c.email, c.password) }
  }

  test('the territory’s staff start a group on a commitment; citizens cannot', async () => {
    const { editor, commitments } = await buildPlan(ctx.database)
    const commitmentId = commitments[0]!.id
    const agent = await signedInClient(ctx.app, editor.email, editor.password)
    const { client: citizen } = await citizenNamed('Cyril Porteur de projet')
    const url = `/engagements/${commitmentId}/groupes`
    assert.equal(
      (
        await citizen.post(
          url,
          { title: 'Groupe mobilité', purpose: 'Suivre le plan vélo.' },
          { csrfFrom: `/engagements/${commitmentId}` },
        )
      ).statusCode,
      403,
    )
    assert.equal(
      (
        await agent.post(
          url,
          { title: 'Gr', purpose: '' },
          { csrfFrom: `/engagements/${commitmentId}/groupes/nouveau` },
        )
      ).statusCode,
      422,
    )
    const created = await agent.post(
      url,
      { title: 'Groupe mobilité douce', purpose: 'Suivre et nourrir le plan vélo.' },
      { csrfFrom: `/engagements/${commitmentId}/groupes/nouveau` },
    )
    assert.equal(created.statusCode, 303)
    const groupId = created.headers.location!.split('/').pop()!
    assert.match(
      (await new Client(ctx.app).get(`/engagements/${commitmentId}`)).body,
      // its creator is its first member
      new RegExp(`href="/groupes/${groupId}">[^<]+</a> \\(Membres \\(1\\)\\)`),
    )
  })

  test('members join and leave; members-only drafting of notes; actions with owners and due dates', async () => {
    const { editor, commitments } = await buildPlan(ctx.database)
    const group = await buildGroup(ctx.database, { commitmentId: commitments[0]!.id, editor })
    const groupId = group.id
    const agent = await signedInClient(ctx.app, editor.email, editor.password)
    const { id: citizenId, client: citizen } = await citizenNamed('Cyril Porteur de projet')
    const page = group.path
    assert.equal(
      (
        await outsider.post(
          `${page}/notes`,
          { meetingDate: '2026-11-20', body: 'Intrusion', intent: 'publish' },
          { csrfFrom: page },
        )
      ).statusCode,
      403,
    )
    assert.equal((await citizen.post(`${page}/adhesion`, { joined: 'true' }, { csrfFrom: page })).statusCode, 303)
    assert.equal(
      (
        await citizen.post(`${page}/notes`, {
          meetingDate: '2026-11-20',
          body: 'Brouillon : tracé de la piste.',
          intent: 'draft',
        })
      ).statusCode,
      303,
    )
    assert.doesNotMatch((await new Client(ctx.app).get(page)).body, /tracé de la piste/)
    assert.match((await agent.get(page)).body, /tracé de la piste/)
    const [note] = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`select id from action_group_notes where group_id = ${groupId}`,
    )
    assert.equal((await outsider.post(`/notes-groupe/${note!.id}/publication`, {}, { csrfFrom: page })).statusCode, 403)
    assert.equal((await citizen.post(`/notes-groupe/${note!.id}/publication`, {}, { csrfFrom: page })).statusCode, 303)
    assert.match((await new Client(ctx.app).get(page)).body, /tracé de la piste/)

    assert.equal(
      (
        await citizen.post(
          `${page}/actions`,
          {
            title: 'Compter les vélos rue de l’école',
            ownerId: '00000000-0000-4000-8000-000000000000',
            dueDate: '2026-12-15',
          },
          { csrfFrom: page },
        )
      ).statusCode,
      422,
    )
    assert.equal(
      (
        await citizen.post(
          `${page}/actions`,
          { title: 'Compter les vélos rue de l’école', ownerId: citizenId, dueDate: '2026-12-15' },
          { csrfFrom: page },
        )
      ).statusCode,
      303,
    )
    const [action] = await queryRows<{ id: string; status: string }>(
      ctx.database.db,
      sql`select id, status from action_group_actions where group_id = ${groupId}`,
    )
    assert.equal(
      (await outsider.post(`/actions-groupe/${action!.id}/etat`, { status: 'done' }, { csrfFrom: page })).statusCode,
      403,
    )
    assert.equal(
      (await citizen.post(`/actions-groupe/${action!.id}/etat`, { status: 'doing' }, { csrfFrom: page })).statusCode,
      303,
    )
    const body = (await new Client(ctx.app).get(page)).body
    assert.match(body, /Compter les vélos rue de l’école/)
    assert.match(body, /Cyril Porteur de projet/)

    assert.equal((await citizen.post(`${page}/adhesion`, { joined: 'false' }, { csrfFrom: page })).statusCode, 303)
    assert.equal(
      (
        await citizen.post(
          `${page}/notes`,
          { meetingDate: '2026-11-27', body: 'Après départ', intent: 'publish' },
          { csrfFrom: page },
        )
      ).statusCode,
      403,
    )
    assert.doesNotMatch((await new Client(ctx.app).get(page)).body, /<li>Cyril Porteur de projet<\/li>/)
  })
})
