// What every e2e file needs: the console's production server (built once by build-once.ts) started on free
// ports with a fresh database and store, Debian's chromium through playwright-core, screenshots saved as test
// artifacts, a second cluster (`npm run broker` as a child process) to add as a remote, and logging in (the
// server's first admin gets E2E_ADMIN_PASSWORD) in the browser or over HTTP for fetch() calls to JSON routes.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { startBrokerChild } from '../lib/cluster/broker-child'
import { freePort } from '../helpers/free-port'
import { migrateFreshDatabase, REPO_ROOT } from '../helpers/migrate'

export const CHROMIUM_PATH = process.env.MQDECK_CHROMIUM_PATH ?? '/usr/bin/chromium'
// playwright-core rejects --user-data-dir in args; the profile dir goes to launchPersistentContext.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'tests', 'e2e', 'artifacts')
const SERVER_READY_TIMEOUT_MS = 60_000
const SERVER_STOP_TIMEOUT_MS = 20_000
/** The first admin's password on every e2e server (MQDECK_ADMIN_PASSWORD). */
export const E2E_ADMIN_USERNAME = 'admin'
export const E2E_ADMIN_PASSWORD = 'e2e-admin-password-1'
/** The engine's start-up line (lib/engine/embedded-engine.ts) names its remoting addresses. */
const REMOTING_LINE = /RocketMQ remoting: NameServer (\S+), broker (\S+)/

export interface ConsoleServer {
  readonly baseUrl: string
  /** The server's embedded NameServer, for seeding data over remoting. */
  readonly namesrvAddr: string
  readonly brokerAddr: string
  readonly databaseUrl: string
  readonly storeDir: string
  /** Server stdout + stderr so far. */
  output(): string
  /** SIGTERM by PID; resolves the exit (code 143 after a clean engine shutdown). Removes the temp dir. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** expect.poll / waitFor options: refreshes go through the JSON routes, slow on a loaded CI machine (default 1 s). */
export const POLL = { timeout: 20_000, interval: 100 }

type Opened = { close(): Promise<unknown> } | { stop(): Promise<unknown> } | undefined

/**
 * An e2e file's afterAll: closes what it opened, in the order given, then stops the console and prints its output
 * if it did not exit cleanly (0, or 143 after SIGTERM).
 */
export async function closeAll(server: ConsoleServer | undefined, ...opened: Opened[]): Promise<void> {
  for (const o of opened) await (o && 'close' in o ? o.close() : o?.stop())
  const stopped = await server?.stop()
  if (stopped && stopped.code !== 143 && stopped.code !== 0) console.error(server?.output())
}

function waitForExit(server: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (server.exitCode !== null || server.signalCode !== null) {
      resolve({ code: server.exitCode, signal: server.signalCode })
      return
    }
    const timer = setTimeout(() => {
      if (server.pid !== undefined) process.kill(server.pid, 'SIGKILL')
    }, SERVER_STOP_TIMEOUT_MS)
    server.once('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal })
    })
  })
}

/**
 * Starts `.next/standalone/server.js` with a fresh migrated SQLite file and store in a temp dir, the engine on
 * free ports, and waits until HTTP answers and the engine has printed its remoting addresses.
 */
export async function startConsole(
  options: { demo?: boolean; env?: Record<string, string> } = {},
): Promise<ConsoleServer> {
  if (!(await import('node:fs')).existsSync(CHROMIUM_PATH))
    throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium (see .ci/run)`)
  const workDir = mkdtempSync(path.join(tmpdir(), 'mqdeck-e2e-'))
  const databaseUrl = migrateFreshDatabase(workDir, 'mqdeck.db')
  const storeDir = path.join(workDir, 'store')
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  let output = ''
  const server = spawn(process.execPath, [path.join(REPO_ROOT, '.next', 'standalone', 'server.js')], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOSTNAME: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      MQDECK_STORE_DIR: storeDir,
      MQDECK_NAMESRV_PORT: '0',
      MQDECK_BROKER_PORT: '0',
      MQDECK_DEMO: options.demo ? '1' : '0',
      MQDECK_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
      NEXT_TELEMETRY_DISABLED: '1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const stop = async () => {
    if (server.pid !== undefined && server.exitCode === null && server.signalCode === null)
      process.kill(server.pid, 'SIGTERM')
    const exit = await waitForExit(server)
    rmSync(workDir, { recursive: true, force: true })
    return exit
  }

  const deadline = Date.now() + SERVER_READY_TIMEOUT_MS
  let httpReady = false
  for (;;) {
    if (server.exitCode !== null) {
      await stop()
      throw new Error(`server exited with ${server.exitCode}:\n${output}`)
    }
    if (!httpReady) {
      try {
        httpReady = (await fetch(`${baseUrl}/api/health`)).ok
      } catch {
        // not listening yet
      }
    }
    const addrs = REMOTING_LINE.exec(output)
    if (httpReady && addrs) {
      return {
        baseUrl,
        namesrvAddr: addrs[1]!.replace(/,$/, ''),
        brokerAddr: addrs[2]!,
        databaseUrl,
        storeDir,
        output: () => output,
        stop,
      }
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`server not ready after ${SERVER_READY_TIMEOUT_MS} ms:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

export interface Browser {
  readonly page: Page
  readonly context: BrowserContext
  close(): Promise<void>
}

/** Debian's chromium, headless, with a fresh profile (removed on close). */
export async function openBrowser(): Promise<Browser> {
  const profileDir = mkdtempSync(path.join(tmpdir(), 'mqdeck-chromium-'))
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1360, height: 900 },
  })
  const page = context.pages()[0] ?? (await context.newPage())
  return {
    page,
    context,
    async close() {
      await context.close()
      rmSync(profileDir, { recursive: true, force: true })
    },
  }
}

export interface Credentials {
  readonly username?: string
  readonly password?: string
}

/** Logs `page` in through the login page (default: the first admin) and waits until it has left /login. */
export async function login(page: Page, server: ConsoleServer, credentials: Credentials = {}): Promise<void> {
  await page.goto(`${server.baseUrl}/login`)
  await page.getByTestId('login-username').fill(credentials.username ?? E2E_ADMIN_USERNAME)
  await page.getByTestId('login-password').fill(credentials.password ?? E2E_ADMIN_PASSWORD)
  await page.getByTestId('login-submit').click()
  await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: POLL.timeout })
}

/**
 * Logs in over HTTP (POST /api/session) and returns the `cookie` header value to send with fetch() calls to JSON
 * routes: `fetch(url, { headers: { cookie } })`.
 */
export async function sessionCookie(server: ConsoleServer, credentials: Credentials = {}): Promise<string> {
  const response = await fetch(`${server.baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      username: credentials.username ?? E2E_ADMIN_USERNAME,
      password: credentials.password ?? E2E_ADMIN_PASSWORD,
    }),
  })
  if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`)
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('mqdeck_session='))
  if (!cookie) throw new Error('login answered without a mqdeck_session cookie')
  return cookie.split(';')[0]!
}

/** Saves a full-page screenshot as tests/e2e/artifacts/<name>.png. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true })
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true })
}

/** A second cluster: `npm run broker` as a child process (its own NameServer, cluster RemoteCluster). */
export async function startRemoteBroker(): Promise<{ namesrvAddr: string; stop(): Promise<void> }> {
  const child = await startBrokerChild({ clusterName: 'RemoteCluster', brokerName: 'broker-r' })
  return {
    namesrvAddr: child.namesrvAddr,
    async stop() {
      await child.stop()
    },
  }
}
