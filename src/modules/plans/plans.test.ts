import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { loadCurrentUser, type CurrentUser } from '../../platform/auth/current-user.ts'
import { pgErrorMessage, queryRows } from '../../platform/db/index.ts'
import { AppError } from '../../platform/errors.ts'
import { buildTestApp, createUser, describeEachEngine, grantTestRole, type TestApp } from '../../../test/helpers/app.ts'
import { canonicalJson, verifyHistory } from './history.ts'
import { commitmentExportPage } from './queries.ts'
import {
  commitmentProgress,
  derivedCommitmentStatus,
  HELD_STATUSES,
  planProgress,
  shownStatus,
  STATUSES,
  type HeldStatus,
  type Status,
} from './progress.ts'
import { addCommitment, addMilestone, updateCommitment } from './commitments.ts'
import { createPlan, transitionPlan, updatePlan, type CommitmentInput } from './service.ts'
import { loadPlanTree } from './tree.ts'
import { postUpdate } from './updates.ts'

const commitmentInput = (title: string): CommitmentInput => ({
  title,
  problem: 'Les habitants ne savent pas où en sont les projets.',
  description: 'Publier chaque trimestre l’avancement des projets.',
  contribution: 'Rend l’action publique vérifiable.',
  ogpValues: ['access_to_information', 'public_accountability'],
  expectedImpacts: 'Plus de confiance.',
  leadActor: 'Direction de la citoyenneté',
  supportingActors: 'Association Les Amis du Quartier',
  themes: ['transparence'],
  startDate: '2026-01-01',
  endDate: '2027-12-31',
  budgetEur: null,
  deliberationUrl: null,
})

const expectError = (code: string) => (error: unknown) => error instanceof AppError && error.code === code

test('progress rolls up from milestones: weighted when every milestone has a weight, else averaged', () => {
  const m = (progress: number, weight: number | null, status: 'en_cours' | 'termine' | 'abandonne' = 'en_cours') => ({
    status,
    dueDate: '2030-01-01',
    progress,
    weight,
  })
  assert.equal(commitmentProgress([m(0, null), m(50, null), m(0, null, 'termine')]), 50)
  assert.equal(commitmentProgress([m(0, 3), m(100, 1)]), 25)
  assert.equal(commitmentProgress([m(0, 3), m(100, null)]), 50, 'a missing weight falls back to the average')
  assert.equal(commitmentProgress([m(10, null), m(90, null, 'abandonne')]), 10, 'abandoned milestones do not count')
  assert.equal(commitmentProgress([]), null)
  assert.equal(planProgress([50, null, 25]), 37.5)
})

test('a milestone past its due date and not finished shows late', () => {
  assert.equal(shownStatus({ status: 'en_cours', dueDate: '2026-01-01' }, '2026-06-01'), 'en_retard')
  assert.equal(
    shownStatus({ status: 'non_commence', dueDate: '2026-06-01' }, '2026-06-01'),
    'non_commence',
    'due today is not late',
  )
  assert.equal(shownStatus({ status: 'termine', dueDate: '2026-01-01' }, '2026-06-01'), 'termine')
  assert.equal(shownStatus({ status: 'abandonne', dueDate: '2026-01-01' }, '2026-06-01'), 'abandonne')
})

/** Every kind of milestone the dashboard meets: each status, due before or after the day, with or without progress. */
const TODAY = '2026-06-01'
const MILESTONE_KINDS = STATUSES.flatMap((status) =>
  ['2026-01-01', '2026-06-01', '2027-01-01'].flatMap((dueDate) =>
    [0, 40].map((progress) => ({ status, dueDate, progress })),
  ),
)
const HELD: (HeldStatus | null)[] = [null, ...HELD_STATUSES]

test('a commitment’s status follows its milestones unless staff set it by hand', () => {
  const m = (status: Status, dueDate = '2027-01-01', progress = 0) => ({ status, dueDate, progress })
  const derive = (list: ReturnType<typeof m>[], held: HeldStatus | null = null) =>
    derivedCommitmentStatus(held, list, TODAY)
  assert.equal(derive([]), 'non_commence', 'no milestone yet')
  assert.equal(derive([m('non_commence'), m('non_commence')]), 'non_commence')
  assert.equal(
    derive([m('non_commence', '2027-01-01', 10), m('non_commence')]),
    'en_cours',
    'progress reported means started',
  )
  assert.equal(
    derive([
      m('termine', '2026-01-01', 100),
      m('non_commence'),
      m('non_commence'),
      m('non_commence'),
      m('non_commence'),
    ]),
    'en_cours',
    'the demo’s “2 of 5 done” is in progress, not “not started”',
  )
  assert.equal(derive([m('termine'), m('en_cours', '2026-05-31')]), 'en_retard', 'one milestone past due makes it late')
  assert.equal(derive([m('non_commence', '2026-06-01')]), 'non_commence', 'due today is not late yet')
  assert.equal(derive([m('en_retard')]), 'en_retard', 'a milestone declared late')
  assert.equal(derive([m('termine', '2026-01-01'), m('termine')]), 'termine', 'all done')
  assert.equal(
    derive([m('termine'), m('abandonne', '2026-01-01')]),
    'termine',
    'an abandoned milestone does not hold it back, nor make it late',
  )
  assert.equal(derive([m('abandonne'), m('abandonne')]), 'abandonne', 'every milestone abandoned')
  assert.equal(
    derive([m('bloque'), m('non_commence')]),
    'en_cours',
    'a blocked milestone is work started; blocking the commitment is said by hand',
  )
  for (const held of HELD_STATUSES) {
    assert.equal(derive([m('termine')], held), held, `${held} set by hand wins over the milestones`)
    assert.equal(derive([m('en_cours', '2026-01-01')], held), held)
  }
  // whatever the milestones, the result is one of the statuses, and a hand-set one only when set by hand
  for (const a of MILESTONE_KINDS)
    for (const b of MILESTONE_KINDS) {
      const status = derive([a, b])
      assert.ok(
        STATUSES.includes(status) && status !== 'en_pause' && status !== 'bloque',
        `${JSON.stringify([a, b])} → ${status}`,
      )
      if (status === 'termine') assert.ok([a, b].every((x) => x.status === 'termine' || x.status === 'abandonne'))
    }
})

test('canonical JSON does not depend on key order', () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } }),
    canonicalJson({ a: { c: null, d: [1, { y: 2, z: 1 }] }, b: 1 }),
  )
})

describeEachEngine('action plans', (engine) => {
  let ctx: TestApp
  let editor: CurrentUser
  let elected: CurrentUser
  let outsider: CurrentUser
  let rennesId: string

  before(async () => {
    ctx = await buildTestApp(engine)
    const [rennes] = await queryRows<{ id: string }>(
      ctx.database.db,
      sql`select id from territories where kind = 'commune' and code = '35238'`,
    )
    rennesId = rennes!.id
    const as = async (role: string | null, territory = { kind: 'commune', code: '35238' }) => {
      const user = await createUser(ctx.database)
      if (role) await grantTestRole(ctx.database, user.id, territory, role)
      return (await loadCurrentUser(ctx.database.db, user.id, 1))!
    }
    editor = await as('editor')
    elected = await as('elected')
    outsider = await as('editor', { kind: 'commune', code: '44109' })
  })
  after(async () => {
    await ctx.close()
  })

  test('a plan goes draft → submitted → validated by an elected official → published → closed', async () => {
    const db = ctx.database.db
    const plan = await createPlan(db, {
      actor: editor,
      territoryId: rennesId,
      input: {
        title: 'Plan 2026-2027',
        periodStart: '2026-01-01',
        periodEnd: '2027-12-31',
        cocreationSummary: 'Trois ateliers ouverts.',
      },
    })
    assert.equal(plan.status, 'draft')
    await assert.rejects(
      transitionPlan(db, { actor: editor, planId: plan.id, transition: 'submit' }),
      expectError('PLAN_EMPTY'),
    )
    await addCommitment(db, { actor: editor, planId: plan.id, input: commitmentInput('Tableau de bord des projets') })
    await transitionPlan(db, { actor: editor, planId: plan.id, transition: 'submit' })
    await assert.rejects(
      transitionPlan(db, { actor: editor, planId: plan.id, transition: 'validate' }),
      /FORBIDDEN/,
      'staff cannot validate',
    )
    await assert.rejects(
      addCommitment(db, { actor: editor, planId: plan.id, input: commitmentInput('Trop tard') }),
      expectError('PLAN_LOCKED'),
    )
    const validated = await transitionPlan(db, { actor: elected, planId: plan.id, transition: 'validate' })
    assert.equal(validated.validatedBy, elected.id)
    await assert.rejects(
      transitionPlan(db, { actor: elected, planId: plan.id, transition: 'validate' }),
      expectError('PLAN_WRONG_STATE'),
    )
    const published = await transitionPlan(db, { actor: editor, planId: plan.id, transition: 'publish' })
    assert.equal(published.status, 'published')
    assert.ok(published.publishedAt)
    const closed = await transitionPlan(db, { actor: editor, planId: plan.id, transition: 'close' })
    assert.equal(closed.status, 'closed')
    const [audit] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from audit_events where subject_id = ${plan.id}`,
    )
    assert.equal(audit!.n, 5)
  })

  test('another territory’s staff cannot touch the plan, and nothing changes', async () => {
    const db = ctx.database.db
    const plan = await createPlan(db, {
      actor: editor,
      territoryId: rennesId,
      input: { title: 'Plan à protéger', periodStart: '2026-01-01', periodEnd: '2026-12-31', cocreationSummary: '' },
    })
    await assert.rejects(
      createPlan(db, {
        actor: outsider,
        territoryId: rennesId,
        input: { title: 'Intrus', periodStart: '2026-01-01', periodEnd: '2026-12-31', cocreationSummary: '' },
      }),
      /FORBIDDEN/,
    )
    await assert.rejects(
      updatePlan(db, {
        actor: outsider,
        planId: plan.id,
        version: plan.version,
        input: { title: 'Piraté', periodStart: '2026-01-01', periodEnd: '2026-12-31', cocreationSummary: '' },
      }),
      /FORBIDDEN/,
    )
    await assert.rejects(
      addCommitment(db, { actor: outsider, planId: plan.id, input: commitmentInput('Intrus') }),
      /FORBIDDEN/,
    )
    const [row] = await queryRows<{ title: string; version: number }>(
      db,
      sql`select title, version from action_plans where id = ${plan.id}`,
    )
    assert.deepEqual(row, { title: 'Plan à protéger', version: 1 })
  })

  test('two people editing the same commitment: the second save gets a conflict with the saved version', async () => {
    const db = ctx.database.db
    const plan = await createPlan(db, {
      actor: editor,
      territoryId: rennesId,
      input: { title: 'Plan conflits', periodStart: '2026-01-01', periodEnd: '2026-12-31', cocreationSummary: '' },
    })
    const commitment = await addCommitment(db, {
      actor: editor,
      planId: plan.id,
      input: commitmentInput('Budget participatif'),
    })
    const first = await updateCommitment(db, {
      actor: editor,
      commitmentId: commitment.id,
      version: commitment.version,
      input: { ...commitmentInput('Budget participatif — version A') },
    })
    assert.equal(first.version, 2)
    await assert.rejects(
      updateCommitment(db, {
        actor: elected,
        commitmentId: commitment.id,
        version: commitment.version,
        input: commitmentInput('Budget participatif — version B'),
      }),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === 'EDIT_CONFLICT' &&
        (error.details as { title: string }).title === 'Budget participatif — version A',
    )
    const [row] = await queryRows<{ title: string }>(db, sql`select title from commitments where id = ${commitment.id}`)
    assert.equal(row!.title, 'Budget participatif — version A', 'the first save is kept')
  })

  test('updates roll up, late milestones show late, edits to a published commitment become revisions, and the chain verifies', async () => {
    const db = ctx.database.db
    const plan = await createPlan(db, {
      actor: editor,
      territoryId: rennesId,
      input: { title: 'Plan suivi', periodStart: '2026-01-01', periodEnd: '2027-12-31', cocreationSummary: '' },
    })
    const commitment = await addCommitment(db, {
      actor: editor,
      planId: plan.id,
      input: commitmentInput('Registre des décisions'),
    })
    const late = await addMilestone(db, {
      actor: editor,
      commitmentId: commitment.id,
      input: {
        title: 'Inventaire',
        deliverable: 'Liste publiée',
        startDate: null,
        dueDate: '2026-02-01',
        responsible: 'Service des archives',
        weight: null,
      },
    })
    const upcoming = await addMilestone(db, {
      actor: editor,
      commitmentId: commitment.id,
      input: {
        title: 'Mise en ligne',
        deliverable: 'Site ouvert',
        startDate: null,
        dueDate: '2099-12-31',
        responsible: 'DSI',
        weight: null,
      },
    })
    await assert.rejects(
      postUpdate(db, {
        actor: editor,
        commitmentId: commitment.id,
        input: {
          milestoneId: late.id,
          status: 'en_cours',
          progress: 10,
          narrative: 'x',
          evidence: [],
          nextSteps: '',
          correctsId: null,
        },
      }),
      expectError('PLAN_NOT_PUBLISHED'),
    )
    for (const [transition, actor] of [
      ['submit', editor],
      ['validate', elected],
      ['publish', editor],
    ] as const)
      await transitionPlan(db, { actor, planId: plan.id, transition })

    const tree0 = await loadPlanTree(db, plan, '2026-06-01')
    assert.equal(tree0.commitments[0]!.milestones.find((m) => m.id === late.id)!.shownStatus, 'en_retard')

    const first = await postUpdate(db, {
      actor: editor,
      commitmentId: commitment.id,
      input: {
        milestoneId: upcoming.id,
        status: 'en_cours',
        progress: 40,
        narrative: 'Maquette validée en atelier.',
        evidence: ['https://example.org/maquette'],
        nextSteps: 'Développement',
        correctsId: null,
      },
    })
    await postUpdate(db, {
      actor: elected,
      commitmentId: commitment.id,
      input: {
        milestoneId: late.id,
        status: 'termine',
        progress: null,
        narrative: 'Inventaire publié.',
        evidence: [],
        nextSteps: '',
        correctsId: null,
      },
    })
    await postUpdate(db, {
      actor: editor,
      commitmentId: commitment.id,
      input: {
        milestoneId: null,
        status: null,
        progress: null,
        narrative: 'Correction : la maquette a été validée en juin, pas en mai.',
        evidence: [],
        nextSteps: '',
        correctsId: first.id,
      },
    })
    const tree = await loadPlanTree(db, { ...plan, status: 'published' }, '2026-06-01')
    const view = tree.commitments[0]!
    assert.equal(
      view.milestones.find((m) => m.id === late.id)!.shownStatus,
      'termine',
      'a finished milestone is no longer late',
    )
    assert.equal(view.progress, 70, '(100 + 40) / 2')
    assert.equal(tree.progress, 70)

    await updateCommitment(db, {
      actor: editor,
      commitmentId: commitment.id,
      version: commitment.version,
      input: { ...commitmentInput('Registre public des décisions') },
    })
    const history = await queryRows<{
      seq: number
      kind: string
      content: { changes?: { field: string; before: unknown; after: unknown }[] }
    }>(db, sql`select seq, kind, content from history_entries where commitment_id = ${commitment.id} order by seq`)
    assert.deepEqual(
      history.map((h) => h.kind),
      ['update', 'update', 'correction', 'revision'],
    )
    assert.deepEqual(history[3]!.content.changes, [
      { field: 'title', before: 'Registre des décisions', after: 'Registre public des décisions' },
    ])
    const check = await verifyHistory(db, rennesId)
    assert.equal(check.ok, true)
    assert.equal(check.entries >= 4, true)
  })

  test('the SQL status (used by exports and other modules) says what the dashboard says, for every combination of milestones', async () => {
    const db = ctx.database.db
    const plan = await createPlan(db, {
      actor: editor,
      territoryId: rennesId,
      input: {
        title: 'Plan des combinaisons',
        periodStart: '2026-01-01',
        periodEnd: '2027-12-31',
        cocreationSummary: '',
      },
    })
    const cases: { held: HeldStatus | null; milestones: typeof MILESTONE_KINDS }[] = [
      { held: null, milestones: [] },
      ...HELD.map((held) => ({ held, milestones: [MILESTONE_KINDS[0]!] })),
    ]
    for (const a of MILESTONE_KINDS) cases.push({ held: null, milestones: [a] })
    for (const [i, a] of MILESTONE_KINDS.entries())
      for (const b of MILESTONE_KINDS.slice(i)) cases.push({ held: null, milestones: [a, b] })
    const [first] = await queryRows<{ position: number }>(
      db,
      sql`select coalesce(max(position), 0)::int as position from commitments where plan_id = ${plan.id}`,
    )
    await db.execute(sql`insert into commitments (territory_id, plan_id, position, title, held_status, held_reason, held_at)
      select ${rennesId}, ${plan.id}, ${first!.position} + n, 'Cas ' || n, h, case when h is null then null else 'Motif du cas' end, case when h is null then null else now() end
      from unnest(${sql.raw(`array[${cases.map((_, n) => n + 1).join(',')}]`)}::int[], ${sql.raw(`array[${cases.map((c) => (c.held ? `'${c.held}'` : 'null')).join(',')}]`)}::text[]) as t(n, h)`)
    const rows = cases.flatMap((c, n) =>
      c.milestones.map((m, i) => `(${n + 1}, ${i}, '${m.status}', '${m.dueDate}', ${m.progress})`),
    )
    await db.execute(
      sql.raw(`insert into milestones (territory_id, commitment_id, position, title, due_date, status, progress)
      select c.territory_id, c.id, v.i, 'Jalon', v.due::date, v.status, v.progress from (values ${rows.join(',')}) as v(n, i, status, due, progress)
      join commitments c on c.plan_id = '${plan.id}' and c.title = 'Cas ' || v.n`),
    )
    await db.execute(sql`update action_plans set status = 'published' where id = ${plan.id}`)
    const tree = await loadPlanTree(db, { ...plan, status: 'published' }, TODAY)
    const sqlStatus = await queryRows<{ title: string; status: string }>(
      db,
      sql`select title, commitment_status(id, ${TODAY}::date) as status from commitments where plan_id = ${plan.id}`,
    )
    const exported = await commitmentExportPage(db, {
      territoryId: rennesId,
      today: TODAY,
      afterId: null,
      limit: 100000,
    })
    assert.equal(tree.commitments.length, cases.length)
    let compared = 0
    for (const c of tree.commitments) {
      const n = Number(c.title.slice(4)) - 1
      const expected = derivedCommitmentStatus(cases[n]!.held, cases[n]!.milestones, TODAY)
      assert.equal(c.status, expected, `dashboard, ${JSON.stringify(cases[n])}`)
      assert.equal(
        sqlStatus.find((r) => r.title === c.title)!.status,
        expected,
        `commitment_status(), ${JSON.stringify(cases[n])}`,
      )
      const row = exported.find((r) => r.id === c.id)!
      assert.equal(row.status, expected, `export, ${JSON.stringify(cases[n])}`)
      assert.equal(row.status_set_by_hand, cases[n]!.held !== null)
      compared += 1
    }
    assert.ok(compared > 800)
  })

  test('staff pause, block or abandon a commitment with a public reason, and resume; a status without a milestone is refused', async () => {
    const db = ctx.database.db
    const plan = await createPlan(db, {
      actor: editor,
      territoryId: rennesId,
      input: { title: 'Plan en pause', periodStart: '2026-01-01', periodEnd: '2027-12-31', cocreationSummary: '' },
    })
    const commitment = await addCommitment(db, {
      actor: editor,
      planId: plan.id,
      input: commitmentInput('Maison des projets'),
    })
    const milestone = await addMilestone(db, {
      actor: editor,
      commitmentId: commitment.id,
      input: {
        title: 'Local trouvé',
        deliverable: '',
        startDate: null,
        dueDate: '2099-01-01',
        responsible: '',
        weight: null,
      },
    })
    for (const [transition, actor] of [
      ['submit', editor],
      ['validate', elected],
      ['publish', editor],
    ] as const)
      await transitionPlan(db, { actor, planId: plan.id, transition })
    const base = {
      milestoneId: null,
      status: null,
      progress: null,
      narrative: 'Point d’étape.',
      evidence: [],
      nextSteps: '',
      correctsId: null,
    }
    const heldOf = async () =>
      (
        await queryRows<{ held_status: string | null; held_reason: string | null }>(
          db,
          sql`select held_status, held_reason from commitments where id = ${commitment.id}`,
        )
      )[0]
    await assert.rejects(
      postUpdate(db, { actor: editor, commitmentId: commitment.id, input: { ...base, status: 'termine' } }),
      expectError('STATUS_NEEDS_MILESTONE'),
    )
    await assert.rejects(
      postUpdate(db, {
        actor: editor,
        commitmentId: commitment.id,
        input: { ...base, held: 'bloque', heldReason: '  ' },
      }),
      expectError('HELD_NEEDS_REASON'),
    )
    await assert.rejects(
      postUpdate(db, { actor: editor, commitmentId: commitment.id, input: { ...base, held: 'calcule' } }),
      expectError('NOT_HELD'),
    )
    assert.deepEqual(await heldOf(), { held_status: null, held_reason: null }, 'refusals change nothing')
    await postUpdate(db, {
      actor: editor,
      commitmentId: commitment.id,
      input: {
        ...base,
        milestoneId: milestone.id,
        status: 'en_cours',
        progress: 20,
        held: 'bloque',
        heldReason: 'Le bail du local n’est pas signé.',
      },
    })
    let view = (await loadPlanTree(db, { ...plan, status: 'published' }, TODAY)).commitments[0]!
    assert.deepEqual(
      [view.status, view.heldReason, view.milestones[0]!.status],
      ['bloque', 'Le bail du local n’est pas signé.', 'en_cours'],
    )
    const [entry] = await queryRows<{ content: Record<string, unknown> }>(
      db,
      sql`select content from history_entries where commitment_id = ${commitment.id} order by seq desc limit 1`,
    )
    assert.equal(entry!.content.held, 'bloque')
    assert.equal(
      entry!.content.heldReason,
      'Le bail du local n’est pas signé.',
      'the reason is in the public, hashed history',
    )
    await postUpdate(db, { actor: editor, commitmentId: commitment.id, input: { ...base, held: 'calcule' } })
    view = (await loadPlanTree(db, { ...plan, status: 'published' }, TODAY)).commitments[0]!
    assert.deepEqual(
      [view.status, view.heldStatus, view.heldReason],
      ['en_cours', null, null],
      'back to what its milestones say',
    )
    assert.equal((await verifyHistory(db, rennesId)).ok, true)
  })

  test('the updates of a deleted account stay public, attributed to "compte supprimé"', async () => {
    const [entry] = await queryRows<{ commitment_id: string }>(
      ctx.database.db,
      sql`select commitment_id from history_entries where author_id = ${editor.id} limit 1`,
    )
    const before = await ctx.app.inject({ url: `/engagements/${entry!.commitment_id}` })
    assert.match(before.body, /par Personne Test/)
    const { deleteAccount } = await import('../accounts/service.ts')
    await deleteAccount({ db: ctx.database.db } as never, editor)
    const after = await ctx.app.inject({ url: `/engagements/${entry!.commitment_id}` })
    assert.equal(after.statusCode, 200)
    assert.match(after.body, /Maquette validée en atelier\./, 'the text stays')
    const maquette = /<li id="entree-\d+"[^>]*>(?:(?!<\/li>).)*Maquette validée en atelier(?:(?!<\/li>).)*<\/li>/s.exec(
      after.body,
    )![0]
    assert.match(maquette, /par compte supprimé/)
  })

  test('history entries cannot be rewritten, and a tampered entry is named by the verification', async () => {
    const db = ctx.database.db
    const refused = (error: unknown) => /append-only/.test(pgErrorMessage(error))
    await assert.rejects(
      db.execute(sql`update history_entries set content = '{"narrative":"réécrit"}' where territory_id = ${rennesId}`),
      refused,
    )
    await assert.rejects(db.execute(sql`delete from history_entries where territory_id = ${rennesId}`), refused)
    const before = await verifyHistory(db, rennesId)
    assert.equal(before.ok, true)
    // someone with direct access to the database goes around the trigger
    await ctx.database.runScript('alter table history_entries disable trigger history_entries_no_update')
    const [second] = await queryRows<{ id: string; seq: number }>(
      db,
      sql`select id, seq from history_entries where territory_id = ${rennesId} and seq = 2`,
    )
    await db.execute(
      sql`update history_entries set content = jsonb_set(content, '{narrative}', '"Texte réécrit en douce."') where id = ${second!.id}`,
    )
    await ctx.database.runScript('alter table history_entries enable trigger history_entries_no_update')
    const after = await verifyHistory(db, rennesId)
    assert.deepEqual(after.ok ? null : { brokenAt: after.brokenAt, reason: after.reason }, {
      brokenAt: 2,
      reason: 'hash-mismatch',
    })
  })
})

test('the burn-up counts milestones due and finished by the end of each month', async () => {
  const { burnUp } = await import('./views.tsx')
  const milestone = (dueDate: string, status: string, completedOn: string | null) =>
    ({ dueDate, status, completedOn }) as never
  const commitments = [
    {
      milestones: [
        milestone('2026-01-15', 'termine', '2026-02-03'),
        milestone('2026-02-28', 'en_cours', null),
        milestone('2026-03-10', 'abandonne', null),
      ],
    },
  ] as never
  assert.deepEqual(burnUp(commitments, { periodStart: '2025-12-01', periodEnd: '2026-03-31' }, '2026-02-20'), [
    { month: '2025-12', planned: 0, done: 0 },
    { month: '2026-01', planned: 1, done: 0 },
    { month: '2026-02', planned: 2, done: 1 },
    { month: '2026-03', planned: 2, done: null },
  ])
})
