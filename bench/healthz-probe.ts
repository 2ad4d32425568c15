/**
 * Asks `/healthz` every 100 ms until told to stop, then reports the worst answer time to its parent. A process of
 * its own: in the process that drives a thousand connections, a probe would time that process's own event loop.
 * One request before it says it is ready, so that loading the HTTP client is not counted as the server's time.
 */
const url = `http://127.0.0.1:${process.argv[2]}/healthz`
let probing = true
let worst = 0
let probes = 0

process.on('message', () => {
  probing = false
})

await (await fetch(url)).arrayBuffer()
process.send?.('ready')
while (probing) {
  const began = performance.now()
  const answer = await fetch(url).catch(() => null)
  await answer?.arrayBuffer()
  const ms = answer?.ok ? performance.now() - began : Number.POSITIVE_INFINITY
  worst = Math.max(worst, ms)
  probes += 1
  if (process.env.PROBE_TRACE) console.error(Math.round(performance.now()), Math.round(ms))
  await new Promise((resolve) => setTimeout(resolve, 100))
}
process.send?.({ worst, probes }, () => process.exit(0))
