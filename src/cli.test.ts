import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { sql } from 'drizzle-orm'
import { openDatabase, queryRows } from './platform/db/index.ts'
import { recordActivity } from './platform/activity.ts'
import { commitmentOf, drawIndex, lotteryDigest } from './modules/assemblies/index.ts'
import { createTestDatabase, engines, POSTGRES_SKIPPED } from '../test/helpers/database.ts'

const ROOT = join(import.meta.dirname, '..')
const SECRET = 'cli-test-secret-cli-test-secret-0123456789'

function runCli(args: string[], env: Record<string, string>, input?: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      SESSION_SECRET: SECRET,
      LOG_LEVEL: 'warn',
      ...env,
    },
    input,
    encoding: 'utf8',
    timeout: 120_000,
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** A data folder holding a seeded embedded database, as after a first start. */
async function seededDataDir(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'thc-cli-'))
  const database = await createTestDatabase('pglite', { dataDir: dir })
  await database.close()
  return dir
}

test('sortition:verify re-runs a published draw and refuses a tampered one', () => {
  const folder = mkdtempSync(join(tmpdir(), 'thc-verify-'))
  const lottery = [
    [1, 4, 7],
    [2, 5, 8],
    [3, 6, 9],
    [1, 5, 9],
  ]
  const randomness = 'numéros du tirage public du 5 décembre : 4 18 23 31 42'
  const digest = lotteryDigest(lottery)
  const draw = {
    lottery,
    lotteryDigest: digest,
    panelCount: 4,
    randomnessKind: 'secret_hash',
    randomnessCommitment: commitmentOf(randomness),
    randomness,
    drawnIndex: drawIndex(digest, randomness, 4),
  }
  const write = (name: string, value: unknown) => {
    writeFileSync(join(folder, name), JSON.stringify(value))
    return join(folder, name)
  }
  const ok = runCli(['sortition:verify', write('ok.json', draw)], {})
  assert.equal(ok.code, 0, ok.stderr)
  assert.match(
    ok.stdout,
    new RegExp(`the draw gives panel ${draw.drawnIndex}: volunteers ${lottery[draw.drawnIndex]!.join(', ')}`),
  )
  const otherIndex = (draw.drawnIndex + 1) % 4
  assert.match(
    runCli(['sortition:verify', write('index.json', { ...draw, drawnIndex: otherIndex })], {}).stderr,
    /the draw gives panel/,
  )
  assert.match(
    runCli(['sortition:verify', write('secret.json', { ...draw, randomness: 'autre valeur' })], {}).stderr,
    /does not match the published commitment/,
  )
  assert.match(
    runCli(
      [
        'sortition:verify',
        write('list.json', {
          ...draw,
          lottery: [
            [1, 4, 7],
            [2, 5, 8],
            [3, 6, 9],
            [1, 5, 8],
          ],
        }),
      ],
      {},
    ).stderr,
    /digest is/,
  )
  assert.equal(runCli(['sortition:verify', join(folder, 'none.json')], {}).code, 1)
  rmSync(folder, { recursive: true, force: true })
})

test('sortition prints each volunteer’s LEXIMIN probability as JSON, names the quotas to relax when none fits, and refuses bad files', {
  skip: existsSync(join(ROOT, '..', 'shared', 'sortition', 'instances'))
    ? false
    : 'the sortition instances are not beside the project',
}, () => {
  const folder = join(ROOT, '..', 'shared', 'sortition', 'instances', 'example_small_20')
  const run = runCli(['sortition', folder], {})
  assert.equal(run.code, 0, run.stderr)
  const result = JSON.parse(run.stdout)
  assert.equal(result.panelSize, 20)
  assert.equal(result.probabilities.length, 200)
  assert.ok(Math.abs(result.minimum - 0.1) < 1e-6)
  assert.ok(result.seconds >= 0)
  const stopped = runCli(['sortition', folder, '--time-limit', '0'], {})
  assert.equal(stopped.code, 1)
  assert.match(stopped.stderr, /LEXIMIN stopped after \d+ s: 0 of 3 types fixed/)
  const legacy = JSON.parse(runCli(['sortition', folder, '--algorithm', 'legacy', '--runs', '500'], {}).stdout)
  assert.equal(legacy.algorithm, 'legacy')
  assert.equal(legacy.runs, 500)
  const tight = mkdtempSync(join(tmpdir(), 'thc-sortition-'))
  writeFileSync(join(tight, 'categories.csv'), 'category,feature,min,max\ngender,female,15,20\ngender,male,15,20\n')
  writeFileSync(join(tight, 'respondents.csv'), readFileSync(join(folder, 'respondents.csv')))
  const infeasible = runCli(['sortition', tight, '--panel-size', '20'], {})
  assert.equal(infeasible.code, 1)
  assert.match(infeasible.stderr, /no panel meets the quotas; the smallest relaxation:/)
  const lowered = [...infeasible.stderr.matchAll(/gender\/(?:female|male): 15–20 → (\d+)–20/g)].reduce(
    (sum, m) => sum + 15 - Number(m[1]),
    0,
  )
  assert.equal(lowered, 10, 'the minima go down by ten people in all: 15 + 15 cannot fit in 20')
  assert.equal(runCli(['sortition', tight], {}).code, 1, 'no panel size: neither given nor in the name')
  writeFileSync(join(tight, 'categories.csv'), 'category,feature,min,max\ngender,female,9,x\n')
  const bad = runCli(['sortition', tight, '--panel-size', '20'], {})
  assert.equal(bad.code, 1)
  assert.match(bad.stderr, /categories.csv line 2, max: a whole number is expected/)
  rmSync(tight, { recursive: true, force: true })
})

test('the command line lists its commands with --help, and refuses an unknown one', () => {
  const help = runCli(['--help'], {})
  assert.equal(help.code, 0)
  for (const command of [
    'admin:create',
    'territories:load',
    'territories:add-other',
    'roles:grant',
    'roles:revoke',
    'roles:grant-network',
    'referentiel:import',
    'migrate',
    'demo:load',
    'history:verify',
    'jobs:run',
    'events:remind',
    'assemblies:erase-contacts',
  ]) {
    assert.match(help.stdout, new RegExp(command))
  }
  const unknown = runCli(['launch:rockets'], {})
  assert.equal(unknown.code, 1)
  assert.match(unknown.stderr, /Unknown command: launch:rockets/)
  const badOption = runCli(['roles:grant', '--colour', 'blue'], {})
  assert.equal(badOption.code, 1)
  assert.match(badOption.stderr, /Unknown option '--colour'/)
})

for (const engine of engines) {
  describe(`command line [${engine}]`, () => {
    let env: Record<string, string>
    let cleanup: () => Promise<void>
    before(async () => {
      if (engine === 'pglite') {
        const dir = await seededDataDir()
        env = { DATA_DIR: dir }
        cleanup = async () => rmSync(dir, { recursive: true, force: true })
      } else {
        const database = await createTestDatabase('postgres')
        env = { DATABASE_URL: database.url!, DATA_DIR: mkdtempSync(join(tmpdir(), 'thc-cli-')) }
        cleanup = () => database.close()
      }
    })
    after(async () => cleanup())

    const query = async <T>(text: ReturnType<typeof sql>) => {
      const database = await openDatabase({
        databaseUrl: env.DATABASE_URL ?? null,
        dataDir: env.DATABASE_URL ? undefined : env.DATA_DIR,
      })
      try {
        return await queryRows<T>(database.db, text)
      } finally {
        await database.close()
      }
    }

    test('admin:create makes the first administrator and prints a link to choose the password', () => {
      const bad = runCli(['admin:create', '--email', 'not-an-address'], env)
      assert.equal(bad.code, 1)
      assert.match(bad.stderr, /--email: not a valid e-mail address/)
      const created = runCli(['admin:create', '--email', 'Equipe@Example.org', '--name', 'Équipe du réseau'], env)
      assert.equal(created.code, 0, created.stderr)
      assert.match(created.stdout, /Created the administrator equipe@example.org/)
      assert.match(created.stdout, /http:\/\/localhost:3000\/compte\/reinitialiser\?token=/)
      const again = runCli(
        ['admin:create', '--email', 'equipe@example.org', '--password-stdin'],
        env,
        'a strong admin passphrase\n',
      )
      assert.equal(again.code, 0, again.stderr)
      assert.match(again.stdout, /is now a platform administrator/)
    })

    test('roles:grant and roles:revoke change roles, and refuse unknown people, territories and roles', async () => {
      const granted = runCli(
        ['roles:grant', '--email', 'equipe@example.org', '--territory', 'commune/35238', '--role', 'editor'],
        env,
      )
      assert.equal(granted.code, 0, granted.stderr)
      assert.match(granted.stdout, /Granted editor in commune\/35238/)
      const rows = await query<{ role: string }>(
        sql`select r.role from territory_roles r join users u on u.id = r.user_id where u.email = 'equipe@example.org'`,
      )
      assert.deepEqual(
        rows.map((r) => r.role),
        ['editor'],
      )
      assert.match(
        runCli(
          ['roles:grant', '--email', 'equipe@example.org', '--territory', 'commune/00000', '--role', 'editor'],
          env,
        ).stderr,
        /unknown territory: commune\/00000/,
      )
      assert.match(
        runCli(
          ['roles:grant', '--email', 'nobody@example.org', '--territory', 'commune/35238', '--role', 'editor'],
          env,
        ).stderr,
        /no active account/,
      )
      const badRole = runCli(
        ['roles:grant', '--email', 'equipe@example.org', '--territory', 'commune/35238', '--role', 'king'],
        env,
      )
      assert.equal(badRole.code, 1)
      assert.match(badRole.stderr, /--role must be one of/)
      const revoked = runCli(
        ['roles:revoke', '--email', 'equipe@example.org', '--territory', 'commune/35238', '--role', 'editor'],
        env,
      )
      assert.equal(revoked.code, 0)
      assert.equal(
        (
          await query(
            sql`select 1 from territory_roles r join users u on u.id = r.user_id where u.email = 'equipe@example.org'`,
          )
        ).length,
        0,
      )
    })

    test('demo:load adds the demonstration data; history:verify says intact, then names a tampered entry', async () => {
      const loaded = runCli(['demo:load'], env)
      assert.equal(loaded.code, 0, loaded.stderr)
      assert.match(loaded.stdout, /Demonstration data loaded/)
      assert.match(runCli(['demo:load'], env).stdout, /already there/)
      const ok = runCli(['history:verify', 'autre/pays-demo'], env)
      assert.equal(ok.code, 0, ok.stderr)
      assert.match(
        ok.stdout,
        /History of autre\/pays-demo \(Pays du Val-Démo \(démonstration\)\) is intact: 5 entries, last hash [0-9a-f]{64}/,
      )
      const database = await openDatabase({
        databaseUrl: env.DATABASE_URL ?? null,
        dataDir: env.DATABASE_URL ? undefined : env.DATA_DIR,
      })
      try {
        const [demoFiches] = await queryRows<{ n: number; linked: number }>(
          database.db,
          sql`select count(*)::int as n, (select count(*)::int from referentiel_links) as linked from referentiel_fiches where source_key like 'demo:%' and published_version is not null`,
        )
        assert.deepEqual(demoFiches, { n: 3, linked: 3 })
        await database.runScript(`alter table history_entries disable trigger history_entries_no_update;
          update history_entries set content = jsonb_set(content, '{narrative}', '"Réécrit."') where seq = 3;
          alter table history_entries enable trigger history_entries_no_update;`)
      } finally {
        await database.close()
      }
      const broken = runCli(['history:verify', 'autre/pays-demo'], env)
      assert.equal(broken.code, 1)
      assert.match(broken.stderr, /BROKEN at entry 3 \(hash-mismatch\)/)
      assert.equal(runCli(['history:verify'], env).code, 1)
      assert.match(runCli(['history:verify', 'commune/00000'], env).stderr, /unknown territory/)
    })

    test('jobs:run sends what is queued (an activity to its immediate followers) and says how much it ran', async () => {
      assert.equal(runCli(['demo:load'], env).code, 0)
      const database = await openDatabase({
        databaseUrl: env.DATABASE_URL ?? null,
        dataDir: env.DATABASE_URL ? undefined : env.DATA_DIR,
      })
      try {
        await database.db.execute(sql`insert into follows (user_id, subject_type, subject_id, territory_id, frequency)
          select u.id, 'territory', t.id, t.id, 'immediate' from users u, territories t where u.email = 'elue@demo.thc.example' and t.code = 'pays-demo'`)
        await recordActivity(database.db, {
          territoryId: (
            await queryRows<{ id: string }>(database.db, sql`select id from territories where code = 'pays-demo'`)
          )[0]!.id,
          territoryWide: true,
          subjects: {},
          kind: 'event.created',
          title: 'Réunion publique',
          path: '/evenements/x',
          actorId: null,
        })
      } finally {
        await database.close()
      }
      const ran = runCli(['jobs:run'], env)
      assert.equal(ran.code, 0, ran.stderr)
      assert.match(ran.stdout, /^[1-9]\d* jobs? run, 0 reminders sent, 1 history head published\./m)
      const [delivered] = await query<{ n: number }>(
        sql`select count(*)::int as n from notification_deliveries d join users u on u.id = d.user_id where u.email = 'elue@demo.thc.example'`,
      )
      assert.equal(delivered!.n, 1)
      assert.match(runCli(['jobs:run'], env).stdout, /^0 jobs run/m)
    })

    test('assemblies:erase-contacts erases the volunteers of an assembly past its retention, and only those', async () => {
      assert.equal(runCli(['demo:load'], env).code, 0)
      const first = runCli(['assemblies:erase-contacts'], env)
      assert.equal(first.code, 0, first.stderr)
      assert.match(first.stdout, /^0 volunteers erased\./m)
      const drawn = sql`(select id from assemblies where title like 'Assemblée citoyenne de l’alimentation%')`
      const database = await openDatabase({
        databaseUrl: env.DATABASE_URL ?? null,
        dataDir: env.DATABASE_URL ? undefined : env.DATA_DIR,
      })
      try {
        await database.db.execute(
          sql`update assemblies set report_published_at = now() - interval '400 days', contact_retention_days = 365 where id = ${drawn}`,
        )
        await database.db.execute(
          sql`update assembly_sessions set starts_on = current_date - 420, ends_on = current_date - 419 where assembly_id = ${drawn}`,
        )
      } finally {
        await database.close()
      }
      const erased = runCli(['assemblies:erase-contacts'], env)
      assert.equal(erased.code, 0, erased.stderr)
      const [counts] = await query<{ erased: number; kept: number; others: number }>(sql`select
        (select count(*)::int from assembly_volunteers where assembly_id = ${drawn} and contact_erased_at is not null and email is null and full_name like 'Volontaire n° %') as erased,
        (select count(*)::int from assembly_volunteers where assembly_id = ${drawn} and contact_erased_at is null) as kept,
        (select count(*)::int from assembly_volunteers where assembly_id <> ${drawn} and contact_erased_at is not null) as others`)
      assert.ok(counts!.erased > 0)
      assert.match(erased.stdout, new RegExp(`^${counts!.erased} volunteers? erased\\.`, 'm'))
      assert.deepEqual([counts!.kept, counts!.others], [0, 0])
    })

    test('referentiel:import reports a bad file and writes nothing; roles:grant-network names the account', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'thc-cli-md-'))
      writeFileSync(join(dir, 'a.md'), '---\ntitle: Atelier\ncategorie: outil\ntagline: Un outil\n---\nCorps')
      writeFileSync(join(dir, 'b.md'), 'pas d’en-tête')
      const bad = runCli(['referentiel:import', '--format', 'catalogue', dir], env)
      assert.equal(bad.code, 1)
      assert.match(bad.stderr, /nothing imported, 1 problem:\n {2}b\.md: pas d’en-tête YAML/)
      rmSync(join(dir, 'b.md'))
      const dry = runCli(['referentiel:import', '--format', 'catalogue', '--dry-run', dir], env)
      assert.equal(dry.code, 0, dry.stderr)
      assert.match(dry.stdout, /Dry run, nothing written: 1 fiches, 1 created/)
      const good = runCli(['referentiel:import', '--format', 'catalogue', dir], env)
      assert.equal(good.code, 0, good.stderr)
      assert.match(good.stdout, /Imported: 1 fiches, 1 created/)
      assert.match(
        runCli(['referentiel:import', '--format', 'catalogue', dir], env).stdout,
        /0 created, 0 updated, 1 unchanged/,
      )
      // the repository's layout: collections read, drafts and pages left out and said
      mkdirSync(join(dir, '_usage'))
      mkdirSync(join(dir, '_drafts', '_usage'), { recursive: true })
      writeFileSync(
        join(dir, '_usage', 'a.md'),
        '---\ntitle: Une concertation\ndescription: En ligne\nin_progress: true\n---\nCorps',
      )
      writeFileSync(join(dir, '_drafts', '_usage', 'b.md'), '---\ntitle: Brouillon\n---\n')
      const repository = runCli(['referentiel:import', '--format', 'catalogue', dir], env)
      assert.equal(repository.code, 0, repository.stderr)
      assert.match(repository.stderr, /Warning: 1 brouillon du catalogue/)
      assert.match(
        repository.stderr,
        /Warning: 1 fichier hors des dossiers _outil, _usage et _usage_citoyens non lu : a\.md/,
      )
      assert.match(repository.stdout, /1 created/)
      // a Participedia export saved by Excel in France: converted, and said
      const csv = join(dir, 'methods.csv')
      writeFileSync(
        csv,
        Buffer.from(
          'id;type;title;url;description\r\n501;method;Jury citoyen tir\xe9 au sort;https://participedia.net/method/501;D\xe9lib\xe9ration\r\n',
          'latin1',
        ),
      )
      const excel = runCli(['referentiel:import', '--format', 'participedia', csv], env)
      assert.equal(excel.code, 0, excel.stderr)
      assert.match(excel.stderr, /Warning: methods\.csv n’était pas en UTF-8 : il a été lu comme du Windows-1252/)
      assert.match(excel.stdout, /1 created/)
      assert.match(
        runCli(['referentiel:import', '--format', 'word', dir], env).stderr,
        /--format must be participedia or catalogue/,
      )
      assert.match(
        runCli(['roles:grant-network', '--email', 'nobody@example.org', '--role', 'referentiel_moderator'], env).stderr,
        /no active account/,
      )
      assert.match(
        runCli(['roles:grant-network', '--email', 'nobody@example.org', '--role', 'king'], env).stderr,
        /--role must be: referentiel_moderator/,
      )
      rmSync(dir, { recursive: true, force: true })
    })

    test('territories:add-other creates a Pays; territories:load refreshes the registry idempotently', async () => {
      const added = runCli(
        [
          'territories:add-other',
          '--name',
          'Pays de Test',
          '--code',
          'pays-test-cli',
          '--population',
          '1200',
          '--parent',
          'departement/35',
        ],
        env,
      )
      assert.equal(added.code, 0, added.stderr)
      const taken = runCli(['territories:add-other', '--name', 'Pays de Test', '--code', 'pays-test-cli'], env)
      assert.equal(taken.code, 1)
      assert.match(taken.stderr, /already taken/)
      const loaded = runCli(['territories:load'], env)
      assert.equal(loaded.code, 0, loaded.stderr)
      assert.match(
        loaded.stdout,
        /Loaded \d+ territories \(\d+ commune, \d+ departement, \d+ region, \d+ epci, 11 ept\), \d+ parent links, 0 retired/,
      )
      const [row] = await query<{ n: number }>(
        sql`select count(*)::int as n from territories where kind = 'autre' and code = 'pays-test-cli'`,
      )
      assert.equal(row!.n, 1, 'territories created by hand survive a reload')
    })
  })
}
if (!engines.includes('postgres')) describe('command line [postgres]', { skip: POSTGRES_SKIPPED }, () => {})

describe('embedded database folder lock', () => {
  test('a second process on the same data folder is refused with a clear message, and the first keeps serving', async () => {
    const dir = await seededDataDir()
    const serverEnv = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATA_DIR: dir,
      PORT: '0',
      DEMO_DATA: 'false',
      SESSION_SECRET: SECRET,
    }
    const first = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'server.ts')], {
      cwd: ROOT,
      env: serverEnv,
    })
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let output = ''
        const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 90_000)
        first.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString()
          const match = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(output)
          if (match) {
            clearTimeout(timer)
            resolve(Number(match[1]))
          }
        })
        first.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)))
      })
      const second = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'server.ts')], {
        cwd: ROOT,
        env: serverEnv,
        encoding: 'utf8',
        timeout: 60_000,
      })
      assert.equal(second.status, 1)
      assert.match(second.stderr, /already in use by another process \(pid \d+\)/)
      const cli = runCli(['migrate'], { DATA_DIR: dir })
      assert.equal(cli.code, 1)
      assert.match(cli.stderr, /already in use/)
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`)
      assert.equal(ready.status, 200, 'the first process still serves')
    } finally {
      first.kill('SIGTERM')
      await new Promise((resolve) => first.once('exit', resolve))
    }
    const afterStop = runCli(['migrate'], { DATA_DIR: dir })
    assert.equal(afterStop.code, 0, 'the lock is released on a graceful shutdown')
    rmSync(dir, { recursive: true, force: true })
  })

  test('a lock left by a process that died is taken over', async () => {
    const dir = await seededDataDir()
    writeFileSync(join(dir, 'platform.lock'), '999999999\nelsewhere\n2020-01-01\n')
    const result = runCli(['migrate'], { DATA_DIR: dir })
    assert.equal(result.code, 0, result.stderr)
    rmSync(dir, { recursive: true, force: true })
  })
})
