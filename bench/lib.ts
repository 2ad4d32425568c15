/** Helpers shared by the benchmarks: start a server process, load it with autocannon, read its memory. */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import autocannon from 'autocannon'

const ROOT = join(import.meta.dirname, '..')
export const DURATION = Number(process.env.BENCH_SECONDS ?? 10)
export const CONNECTIONS = 10
const SECRET = 'bench-secret-bench-secret-bench-secret-0123'
export const READY = /platform ready/

export interface Started {
  child: ChildProcess
  port: number
  ms: number
}

export function start(script: string, env: Record<string, string>, ready: RegExp): Promise<Started> {
  const began = performance.now()
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script)], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      SESSION_SECRET: SECRET,
      LOG_LEVEL: 'info',
      ...env,
    },
  })
  return new Promise((resolve, reject) => {
    // Until ready the log is searched for the port and the ready line; afterwards only its last
    // 16 kB are kept for an exit message, so that a long run's request log costs the bench nothing.
    let output = ''
    let port = 0
    let isReady = false
    const keep = (chunk: Buffer) => {
      output += chunk.toString()
      if (isReady && output.length > 32_768) output = output.slice(-16_384)
    }
    child.stdout!.on('data', (chunk: Buffer) => {
      keep(chunk)
      if (isReady) return
      port ||= Number(/(?:listening at http:\/\/127\.0\.0\.1:|listening )(\d+)/i.exec(output)?.[1] ?? 0)
      if (port && ready.test(output)) {
        isReady = true
        resolve({ child, port, ms: performance.now() - began })
      }
    })
    child.stderr!.on('data', keep)
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}:\n${output}`)))
  })
}

export function stop(started: Started): Promise<void> {
  return new Promise((resolve) => {
    started.child.removeAllListeners('exit')
    started.child.once('exit', () => resolve())
    started.child.kill('SIGTERM')
  })
}

export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024)
}

export async function load(
  port: number,
  path: string,
  options: {
    seconds?: number
    headers?: Record<string, string>
    connections?: number
    /** paths each connection asks in turn (after `path`), instead of `path` alone */
    then?: string[]
  } = {},
) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    connections: options.connections ?? CONNECTIONS,
    duration: options.seconds ?? DURATION,
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.then
      ? { requests: [path, ...options.then].map((each) => ({ method: 'GET' as const, path: each })) }
      : {}),
  })
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${path}: ${result.non2xx} non-2xx, ${result.errors} errors`)
  return { rps: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99 }
}

export function peakMiB(pid: number): number {
  return Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024)
}
