// The reference point of the benchmarks: a bare Fastify "hello" route, nothing else.
import Fastify from 'fastify'

const app = Fastify()
app.get('/', async () => 'hello')
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' })
const address = app.server.address()
console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`)
