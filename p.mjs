import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { unaccent } from '@electric-sql/pglite/contrib/unaccent'
let t=Date.now()
const db = await PGlite.create('/tmp/exp/d1', { extensions: { pg_trgm, unaccent } })
console.log('create', Date.now()-t); t=Date.now()
await db.exec(`create extension if not exists pg_trgm; create extension if not exists unaccent; create table if not exists x(id serial primary key, n text); insert into x(n) select 'name '||g from generate_series(1,40000) g;`)
console.log('ins', Date.now()-t, (await db.query('select version()')).rows[0]); t=Date.now()
const dump = await db.dumpDataDir('gzip')
console.log('dump', Date.now()-t, dump.size); t=Date.now()
await db.close()
const db2 = await PGlite.create({ loadDataDir: dump, extensions: { pg_trgm, unaccent } })
console.log('load', Date.now()-t, (await db2.query('select count(*) from x')).rows); t=Date.now()
const dump2 = await db2.dumpDataDir('none')
console.log('dump none', Date.now()-t, dump2.size); t=Date.now()
const db3 = await PGlite.create({ loadDataDir: dump2, extensions: { pg_trgm, unaccent } })
console.log('load none', Date.now()-t, (await db3.query("select similarity('paris','pari')")).rows); t=Date.now()
