import assert from 'node:assert/strict'
import { before, after, test } from 'node:test'
import { sql } from 'drizzle-orm'
import type { InjectOptions } from 'fastify'
import { seedDemo } from '../src/demo/seed.ts'
import { queryRows, type Db } from '../src/platform/db/index.ts'
import {
  buildTestApp,
  Client,
  csrfTokenOf,
  describeEachEngine,
  grantTestRole,
  signedInClient,
  type TestApp,
} from './helpers/app.ts'
import { expandRoute, parameterValues } from './helpers/exports.ts'

/**
 * Every route of the application, sent malformed bodies and query strings as each kind of person who can reach it
 * (anonymous, a citizen, an independent reviewer, the territory's staff who is also the network's team): never a
 * 5xx, and the database exactly as it was.
 */

/** A digest of every row of every table: any write shows. */
async function fingerprint(db: Db): Promise<Record<string, string>> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  )
  const result: Record<string, string> = {}
  for (const { name } of tables) {
    const [row] = await queryRows<{ digest: string }>(
      db,
      sql`select count(*) || ':' || coalesce(md5(string_agg(md5(t::text), '' order by md5(t::text))), '') as digest from ${sql.identifier(name)} t`,
    )
    result[name] = row!.digest
  }
  return result
}

interface FoundForm {
  action: string
  /** each field with a value a person would plausibly send (the form's own, or one fitting its type and name) */
  fields: [string, string][]
  csrf: string | null
  multipart: boolean
}

/** A plausible value for a field a form leaves empty, from its type and name. */
function plausible(tag: string, name: string): string {
  const type = /type="([^"]+)"/.exec(tag)?.[1] ?? 'text'
  if (type === 'email' || /email/i.test(name)) return 'personne@example.org'
  if (type === 'password' || /password/i.test(name)) return 'Cheval-Agrafe-Batterie-93'
  if (type === 'date' || /(date|On|Day)$/.test(name)) return new Date().toISOString().slice(0, 10)
  if (type === 'time') return '18:30'
  if (type === 'number') return '12'
  if (type === 'url' || /url/i.test(name)) return 'https://example.org/page'
  return 'Texte d’essai assez long pour passer les règles de longueur'
}

/** The forms that post, with their fields and a plausible value for each, in a page's HTML. */
function formsIn(html: string): FoundForm[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].flatMap((match) => {
    const attributes = match[1]!
    if (!/method="post"/i.test(attributes)) return []
    const action = /action="([^"]*)"/.exec(attributes)?.[1]?.replaceAll('&amp;', '&')
    if (!action?.startsWith('/')) return []
    const fields = new Map<string, string>()
    for (const field of match[2]!.matchAll(
      /<(input|textarea|select)\b([^>]*)>([\s\S]*?(?=<\/textarea>|<\/select>))?/g,
    )) {
      const tag = field[2]!
      const name = /\bname="([^"]+)"/.exec(tag)?.[1]
      if (!name || name === '_csrf' || fields.has(name)) continue
      const own =
        field[1] === 'textarea'
          ? (field[3] ?? '')
          : field[1] === 'select'
            ? (/value="([^"]*)"/.exec(field[3] ?? '')?.[1] ?? '')
            : (/\bvalue="([^"]*)"/.exec(tag)?.[1] ?? '')
      if (/type="file"/.test(tag)) continue
      fields.set(name, own.replaceAll('&amp;', '&').replaceAll('&quot;', '"') || plausible(tag, name))
    }
    return [
      { action, fields: [...fields], csrf: csrfTokenOf(match[2]!), multipart: /multipart\/form-data/.test(attributes) },
    ]
  })
}

const NUL = 'avant\u0000après'
const LONG = 'x'.repeat(1024 * 1024)
const BOUNDARY = '----thcMalformed'
const INVALID_UTF8 = Buffer.from([0x41, 0xc3, 0x28, 0xff, 0xfe, 0x42])

interface MalformedBody {
  name: string
  payload: string | Buffer
  contentType: string
}

const urlencoded = (fields: [string, string | Buffer][], csrf: string | null): Buffer =>
  Buffer.concat(
    [...fields, ...(csrf ? ([['_csrf', csrf]] as [string, string][]) : [])].flatMap(([name, value], i) => [
      Buffer.from(`${i > 0 ? '&' : ''}${encodeURIComponent(name)}=`),
      Buffer.isBuffer(value) ? value : Buffer.from(encodeURIComponent(value)),
    ]),
  )
const multipartBody = (fields: [string, string | Buffer][], csrf: string | null, end = `--${BOUNDARY}--\r\n`): Buffer =>
  Buffer.concat([
    ...[...fields, ...(csrf ? ([['_csrf', csrf]] as [string, string][]) : [])].flatMap(([name, value]) => [
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`),
      Buffer.isBuffer(value) ? value : Buffer.from(value),
      Buffer.from('\r\n'),
    ]),
    Buffer.from(end),
  ])

/** Malformed versions of a form: one field at a time (NUL, invalid UTF-8, U+FFFD), then the whole body. */
function malformedBodies(form: Pick<FoundForm, 'fields' | 'csrf' | 'multipart'>): MalformedBody[] {
  const fields: [string, string][] =
    form.fields.length > 0
      ? form.fields
      : [
          ['title', 'Un titre'],
          ['body', 'Un texte'],
          ['email', 'a@example.org'],
          ['password', 'Cheval-Agrafe-Batterie-93'],
        ]
  const { csrf } = form
  const encode = form.multipart
    ? (f: [string, string | Buffer][]) => ({
        payload: multipartBody(f, csrf),
        contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      })
    : (f: [string, string | Buffer][]) => ({
        payload: urlencoded(f, csrf),
        contentType: 'application/x-www-form-urlencoded',
      })
  const oneAtATime = (label: string, value: string | Buffer) =>
    fields.map(([name], i) => ({
      name: `${label} in ${name}`,
      ...encode(fields.map(([n, v], j): [string, string | Buffer] => [n, j === i ? value : v])),
    }))
  return [
    ...oneAtATime('NUL', NUL),
    ...oneAtATime('invalid UTF-8', INVALID_UTF8),
    ...oneAtATime('U+FFFD', 'texte abîmé \ufffd'),
    { name: 'a 1 MB field', ...encode([...fields, ['extra', LONG]]) },
    {
      name: 'JSON with objects and numbers where text goes',
      payload: JSON.stringify({
        ...Object.fromEntries(fields.map(([f], i) => [f, i % 2 ? { nested: [1, 2] } : [[1], { a: null }]])),
        ...(csrf ? { _csrf: csrf } : {}),
      }),
      contentType: 'application/json',
    },
    { name: 'JSON that does not parse', payload: '{"title": "unterminated', contentType: 'application/json' },
    { name: 'multipart without a boundary', payload: multipartBody(fields, csrf), contentType: 'multipart/form-data' },
    {
      name: 'multipart cut short',
      payload: multipartBody(
        fields,
        csrf,
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nabc`,
      ),
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    },
    {
      name: 'multipart with a NUL file name',
      payload: multipartBody(
        fields,
        csrf,
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a\u0000.csv"\r\nContent-Type: text/csv\r\n\r\ntitre,${NUL}\r\n--${BOUNDARY}--\r\n`,
      ),
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    },
    { name: 'an unknown content type', payload: 'title=x', contentType: 'text/x-thc' },
  ]
}

const MALFORMED_QUERIES = [
  '?q=%00&page=%00&next=%00',
  '?q=%C3%28%FF&page=%FF',
  `?q=${'y'.repeat(20_000)}`,
  '?page=-1&kind[]=a&kind[x]=b',
  '?next=/%09/evil.example&token=%00',
]

describeEachEngine('malformed requests on every route', (engine) => {
  let t: TestApp
  let clients: { role: string; client: Client }[]
  let routes: { method: string; urls: string[] }[]
  let requestNumber = 0
  const failures: string[] = []

  before(async () => {
    t = await buildTestApp(engine, { SIGNIN_RATE_LIMIT: '100000' })
    await seedDemo(t.database.db)
    const [admin] = await queryRows<{ id: string }>(
      t.database.db,
      sql`select id from users where email = 'admin@demo.thc.example'`,
    )
    for (const role of ['editor', 'elected', 'moderator'])
      await grantTestRole(t.database, admin!.id, { kind: 'autre', code: 'pays-demo' }, role)
    clients = [
      { role: 'anonymous', client: new Client(t.app) },
      { role: 'citizen', client: await signedInClient(t.app, 'habitante@demo.thc.example', 'demo-habitante-thc') },
      { role: 'reviewer', client: await signedInClient(t.app, 'evaluateur@demo.thc.example', 'demo-evaluateur-thc') },
      {
        role: 'staff and network team',
        client: await signedInClient(t.app, 'admin@demo.thc.example', 'demo-admin-thc'),
      },
    ]
    const values = await parameterValues(t.database.db)
    // one value of each parameter is enough to reach the handler; the assemblies' member and number too
    const [member] = await queryRows<{ id: string }>(t.database.db, sql`select id from assembly_members limit 1`)
    const [proposal] = await queryRows<{ id: string }>(t.database.db, sql`select id from assembly_proposals limit 1`)
    const [contribution] = await queryRows<{ id: string }>(t.database.db, sql`select id from contributions limit 1`)
    const firstOf = (list: string[] | undefined) => (list && list.length > 0 ? [list[0]!] : [])
    const single = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, firstOf(v)]))
    routes = t.app.routeList.map((r) => ({
      method: r.method,
      urls: [
        ...expandRoute(r.url, single),
        ...(r.url.includes(':')
          ? [
              r.url
                .replace(/:member/, member?.id ?? 'x')
                .replace(/:number/, '1')
                .replace(/:id/, proposal?.id ?? contribution?.id ?? 'x')
                .replace(/:[a-zA-Z]+/g, 'x'),
            ]
          : []),
      ],
    }))
  })
  after(() => t?.close())

  const send = async (client: Client, options: InjectOptions & { url: string }, label = '') => {
    requestNumber += 1
    // each request from its own address: the routes' rate limits would otherwise answer 429 before the handler
    const remoteAddress = `10.${(requestNumber >> 16) & 255}.${(requestNumber >> 8) & 255}.${requestNumber & 255}`
    const response = await client.request({ ...options, remoteAddress })
    if (response.statusCode >= 500)
      failures.push(
        `${options.method} ${options.url.slice(0, 120)} ${label} → ${response.statusCode} ${response.body.slice(0, 160)}`,
      )
    return response
  }

  test('no 5xx and no write, whatever the body, the query string or the role', { timeout: 900_000 }, async () => {
    const before = await fingerprint(t.database.db)
    // the forms each person's pages show, with their fields and tokens
    const forms = new Map<string, FoundForm & { client: Client }>()
    for (const { client } of clients) {
      for (const route of routes.filter((r) => r.method === 'GET')) {
        for (const url of route.urls) {
          const page = await send(client, { method: 'GET', url })
          if (String(page.headers['content-type']).startsWith('text/html'))
            for (const form of formsIn(page.body))
              forms.set(`${clients.findIndex((c) => c.client === client)} ${form.action}`, { ...form, client })
          for (const query of MALFORMED_QUERIES) await send(client, { method: 'GET', url: `${url}${query}` })
        }
      }
    }
    assert.ok(forms.size > 80, `forms found on the pages: ${forms.size}`)
    // the forms found, then every writing route as each person (with a valid CSRF token where they have one)
    // signing out is the one write that every body may do: it would end the sessions this test needs
    const endsSession = (url: string) => url === '/deconnexion'
    for (const form of [...forms.values()].filter((f) => !endsSession(f.action))) {
      for (const body of malformedBodies(form)) {
        await send(
          form.client,
          { method: 'POST', url: form.action, payload: body.payload, headers: { 'content-type': body.contentType } },
          body.name,
        )
      }
    }
    for (const { client } of clients) {
      const token = csrfTokenOf((await client.get('/compte/mot-de-passe-oublie')).body)
      for (const route of routes.filter((r) => r.method !== 'GET' && !r.urls.some(endsSession))) {
        for (const url of route.urls) {
          for (const body of malformedBodies({ fields: [], csrf: token, multipart: false }))
            await send(
              client,
              {
                method: route.method as 'POST',
                url,
                payload: body.payload,
                headers: { 'content-type': body.contentType },
              },
              body.name,
            )
        }
      }
    }
    assert.deepEqual(failures, [], `${failures.length} requests answered 5xx`)
    const afterwards = await fingerprint(t.database.db)
    assert.deepEqual(afterwards, before, 'the database is unchanged')
    assert.ok(requestNumber > 3000, `requests sent: ${requestNumber}`)
  })
})
