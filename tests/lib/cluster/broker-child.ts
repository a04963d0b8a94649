// `npm run broker`'s entry (broker-engine/standalone/main.ts) started as a child process for tests: a temp
// broker.conf with free ports and a temp store, the READY line parsed, SIGTERM by PID on stop. Used by the
// remote gateway conformance run, the CLI tests and the remoting benchmark, which talk to it only over the wire.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const READY_TIMEOUT_MS = 60_000
const STOP_TIMEOUT_MS = 20_000

export interface BrokerChild {
  readonly pid: number
  readonly namesrvAddr: string
  readonly brokerAddr: string
  readonly clusterName: string
  readonly brokerName: string
  readonly storeDir: string
  /** Everything the child wrote to stderr so far (warnings, failures). */
  stderr(): string
  /** SIGTERM by PID, waits for the exit (SIGKILL after a deadline), removes the temp dir; resolves the code. */
  stop(): Promise<number | null>
}

export interface BrokerChildOptions {
  readonly brokerName?: string
  readonly clusterName?: string
  /** Extra broker.conf lines ("key=value"). */
  readonly conf?: readonly string[]
  /** Where the temp dir (broker.conf and store) is made; os.tmpdir() by default. */
  readonly parentDir?: string
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode)
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

export async function startBrokerChild(options: BrokerChildOptions = {}): Promise<BrokerChild> {
  const dir = await mkdtemp(path.join(options.parentDir ?? os.tmpdir(), 'mqdeck-broker-child-'))
  const storeDir = path.join(dir, 'store')
  const conf = path.join(dir, 'broker.conf')
  await writeFile(
    conf,
    [
      `brokerClusterName=${options.clusterName ?? 'ConformanceCluster'}`,
      `brokerName=${options.brokerName ?? 'broker-conf'}`,
      `storePathRootDir=${storeDir}`,
      'listenPort=0',
      'namesrvListenPort=0',
      'flushDiskType=ASYNC_FLUSH',
      ...(options.conf ?? []),
      '',
    ].join('\n'),
  )
  const child = spawn(process.execPath, ['--import', 'tsx', 'broker-engine/standalone/main.ts', '-c', conf], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = waitForExit(child)
  const cleanup = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await exited
    await rm(dir, { recursive: true, force: true })
  }
  let ready: string
  try {
    ready = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no READY line within ${READY_TIMEOUT_MS} ms`)),
        READY_TIMEOUT_MS,
      )
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk
        const line = stdout.split('\n').find((l) => l.startsWith('READY '))
        if (line) {
          clearTimeout(timer)
          resolve(line)
        }
      })
      void exited.then((code) => {
        clearTimeout(timer)
        reject(new Error(`exited with ${code} before READY`))
      })
    })
  } catch (err) {
    await cleanup()
    throw new Error(`npm run broker: ${(err as Error).message}\nstderr:\n${stderr}\nstdout:\n${stdout}`)
  }
  // Keep draining stdout so the child never blocks on a full pipe.
  child.stdout.resume()
  const field = (name: string) => {
    const value = new RegExp(`(?:^| )${name}=(\\S+)`).exec(ready)?.[1]
    if (value === undefined) throw new Error(`READY line lacks ${name}=: ${ready}`)
    return value
  }
  let stopping: Promise<number | null> | undefined
  return {
    pid: child.pid!,
    namesrvAddr: field('namesrv'),
    brokerAddr: field('broker'),
    clusterName: field('cluster'),
    brokerName: field('brokerName'),
    storeDir: field('store'),
    stderr: () => stderr,
    stop: () =>
      (stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGTERM')
        const timer = setTimeout(() => {
          if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGKILL')
        }, STOP_TIMEOUT_MS)
        const code = await exited
        clearTimeout(timer)
        await rm(dir, { recursive: true, force: true })
        return code
      })()),
  }
}
