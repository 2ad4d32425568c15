/**
 * The whole test suite, as `npm test` runs it: the module boundary check, the type check, then every
 * *.test.ts / *.test.tsx file with node's test runner (explicit files: on Node 20 a bare --test finds no .ts file and passes with none).
 * PostgreSQL tests run when TEST_DATABASE_URL is set; browser journeys when Chromium is installed.
 * With REQUIRE_POSTGRES=1 / REQUIRE_BROWSER=1 (CI), a missing one is a failure, not a skip.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const root = join(import.meta.dirname, '..')
const args = process.argv.slice(2)

function findTests(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return findTests(path)
    return /\.test\.tsx?$/.test(name) ? [relative(root, path)] : []
  })
}

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const problems: string[] = []
if (process.env.TEST_DATABASE_URL) console.log('PostgreSQL tests: on, against TEST_DATABASE_URL')
else if (process.env.REQUIRE_POSTGRES === '1') problems.push('REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set')
else console.log('PostgreSQL tests skipped: TEST_DATABASE_URL is not set (scripts/pg-cluster.sh start prints one)')
if (existsSync(chromium)) console.log(`Browser tests: on, with ${chromium}`)
else if (process.env.REQUIRE_BROWSER === '1') problems.push(`REQUIRE_BROWSER=1 but ${chromium} is missing`)
else console.log(`Browser tests skipped: ${chromium} not found (apt-get install chromium)`)
if (problems.length > 0) {
  for (const problem of problems) console.error(problem)
  process.exit(1)
}

const boundaries = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'check-boundaries.ts')], {
  stdio: 'inherit',
  cwd: root,
})
if (boundaries.status !== 0) {
  console.error('Module boundary check failed.')
  process.exit(1)
}

if (!args.includes('--no-typecheck')) {
  const check = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', root],
    { stdio: 'inherit' },
  )
  if (check.status !== 0) {
    console.error('Type check failed.')
    process.exit(1)
  }
}

const chosen = args.filter((a) => !a.startsWith('--'))
const files = chosen.length > 0 ? chosen : [...findTests(join(root, 'src')), ...findTests(join(root, 'test'))]
if (files.length === 0) {
  console.error('No test file found.')
  process.exit(1)
}
const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  cwd: root,
})
process.exit(run.status ?? 1)
