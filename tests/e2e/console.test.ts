// End to end: the production build (standalone server) with a fresh database and store, driven by Debian's
// chromium through playwright-core. Builds, migrates, starts the server on a free port, checks the live
// figures, sends a test message through the form, and stops the server by PID with SIGTERM.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPrismaClient } from '@/lib/db'
import { migrateFreshDatabase, REPO_ROOT } from '../helpers/migrate'

const CHROMIUM_PATH = process.env.MQDECK_CHROMIUM_PATH ?? '/usr/bin/chromium'
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
const ARTIFACTS_DIR = path.join(REPO_ROOT, 'tests', 'e2e', 'artifacts')
const BUILD_TIMEOUT_MS = 600_000
const SERVER_READY_TIMEOUT_MS = 60_000
const SERVER_STOP_TIMEOUT_MS = 20_000
/** Every StoreRuntimeStats field the page must show. */
const STAT_FIELDS = [
  'storePathRootDir',
  'flushDiskType',
  'startedAtMs',
  'recoveredAbnormally',
  'commitLogMinOffset',
  'commitLogMaxOffset',
  'commitLogFlushedOffset',
  'dispatchedOffset',
  'commitLogSegmentCount',
  'consumeQueueCount',
  'indexFileCount',
  'putMessageCount',
  'putMessageBytes',
  'putTps',
  'diskUsedBytes',
  'writable',
] as const

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

function buildProduction(): void {
  if (
    process.env.MQDECK_E2E_SKIP_BUILD === '1' &&
    existsSync(path.join(REPO_ROOT, '.next', 'standalone', 'server.js'))
  ) {
    return
  }
  const result = spawnSync('npm', ['run', 'build'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', CHECKPOINT_DISABLE: '1' },
    encoding: 'utf8',
    timeout: BUILD_TIMEOUT_MS,
  })
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.slice(-6000)
    throw new Error(`npm run build failed (${result.status ?? result.signal}):\n${output}`)
  }
}

async function waitForServer(baseUrl: string, server: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + SERVER_READY_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}:\n${output()}`)
    try {
      const response = await fetch(`${baseUrl}/api/store/stats`)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`server not ready after ${SERVER_READY_TIMEOUT_MS} ms:\n${output()}`)
}

function stopServer(server: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
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
    if (server.pid !== undefined) process.kill(server.pid, 'SIGTERM')
  })
}

async function statValue(page: Page, field: string): Promise<string> {
  return (await page.locator(`[data-stat="${field}"]`).getAttribute('data-value')) ?? ''
}

describe('console (e2e)', () => {
  let workDir: string
  let databaseUrl: string
  let storeDir: string
  let baseUrl: string
  let server: ChildProcess
  let serverOutput = ''
  let context: BrowserContext
  let page: Page

  beforeAll(
    async () => {
      if (!existsSync(CHROMIUM_PATH)) {
        throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium (see .ci/run)`)
      }
      buildProduction()

      workDir = mkdtempSync(path.join(tmpdir(), 'mqdeck-e2e-'))
      databaseUrl = migrateFreshDatabase(workDir, 'mqdeck.db')
      storeDir = path.join(workDir, 'store')
      const port = await freePort()
      baseUrl = `http://127.0.0.1:${port}`

      server = spawn(process.execPath, [path.join(REPO_ROOT, '.next', 'standalone', 'server.js')], {
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
          NEXT_TELEMETRY_DISABLED: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      server.stdout?.on('data', (chunk: Buffer) => (serverOutput += chunk.toString()))
      server.stderr?.on('data', (chunk: Buffer) => (serverOutput += chunk.toString()))
      await waitForServer(baseUrl, server, () => serverOutput)

      context = await chromium.launchPersistentContext(path.join(workDir, 'chromium-profile'), {
        executablePath: CHROMIUM_PATH,
        args: CHROMIUM_ARGS,
        headless: true,
        viewport: { width: 1280, height: 900 },
      })
      page = context.pages()[0] ?? (await context.newPage())
    },
    BUILD_TIMEOUT_MS + SERVER_READY_TIMEOUT_MS + 60_000,
  )

  afterAll(async () => {
    await context?.close()
    if (server) {
      const exit = await stopServer(server)
      // The engine closes the store on SIGTERM and then exits with 128 + 15.
      expect(exit, serverOutput).toEqual({ code: 143, signal: null })
    }
    if (workDir) rmSync(workDir, { recursive: true, force: true })
  }, SERVER_STOP_TIMEOUT_MS + 30_000)

  it('serves the live figures as JSON with no caching', async () => {
    const response = await fetch(`${baseUrl}/api/store/stats`)
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toContain('no-store')
    const stats = (await response.json()) as Record<string, unknown>
    expect(Object.keys(stats).sort()).toEqual([...STAT_FIELDS].sort())
    expect(stats.storePathRootDir).toBe(storeDir)
    expect(stats.writable).toBe(true)
  })

  it('renders every figure of the store, formatted', async () => {
    await page.goto(baseUrl)
    await expect(page.title()).resolves.toBe('mqdeck')
    await page.getByRole('heading', { name: 'mqdeck', level: 1 }).waitFor()
    await page.locator('[data-stat="commitLogMaxOffset"]').waitFor()
    for (const field of STAT_FIELDS) {
      await expect(page.locator(`[data-stat="${field}"]`).count()).resolves.toBe(1)
    }
    const storeDirText = await page.locator('[data-stat="storePathRootDir"] dd').first().textContent()
    expect(storeDirText).toBe(storeDir)
    const flushText = await page.locator('[data-stat="flushDiskType"] dd').first().textContent()
    expect(flushText).toMatch(/^(ASYNC|SYNC)_FLUSH$/)
    // Tailwind compiled: the send button has its emerald background, not the browser default.
    const background = await page
      .getByRole('button', { name: 'Send' })
      .evaluate((el) => getComputedStyle(el).backgroundColor)
    expect(background).not.toMatch(/^rgba?\(0, 0, 0(, 0)?\)$|^$/)
  })

  it('sends a test message through the form and sees commitLogMaxOffset grow', async () => {
    await page.goto(baseUrl)
    await page.locator('[data-stat="commitLogMaxOffset"]').waitFor()
    const before = Number(await statValue(page, 'commitLogMaxOffset'))

    await page.getByLabel('Topic').fill('E2ETopic')
    await page.getByLabel('Tag').fill('TagE2E')
    await page.getByLabel('Keys').fill('order-1 order-2')
    await page.getByLabel('Body').fill('hello from the e2e test')
    await page.getByRole('button', { name: 'Send' }).click()

    const result = page.getByTestId('send-result')
    await result.waitFor()
    await expect(page.getByTestId('send-result-msg-id').textContent()).resolves.toMatch(/^[0-9A-F]{32}$/i)
    const commitLogOffsetText = (await page.getByTestId('send-result-commit-log-offset').textContent()) ?? ''
    expect(Number(commitLogOffsetText.replaceAll(',', ''))).toBe(before)

    await page.waitForFunction(
      (previous) =>
        Number(document.querySelector('[data-stat="commitLogMaxOffset"]')?.getAttribute('data-value')) >
        previous,
      before,
      { timeout: 10_000 },
    )
    const maxOffsetText = await page.locator('[data-stat="commitLogMaxOffset"] dd').first().textContent()
    expect(maxOffsetText).toMatch(/^\d{1,3}(,\d{3})*$/)
    expect(Number(await statValue(page, 'putMessageCount'))).toBeGreaterThanOrEqual(1)

    mkdirSync(ARTIFACTS_DIR, { recursive: true })
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'console.png'), fullPage: true })

    // The send was audited: PENDING before the put, SUCCEEDED after.
    const client = createPrismaClient(databaseUrl)
    try {
      const rows = await client.auditLog.findMany({ where: { action: 'store.sendTestMessage' } })
      expect(rows).toHaveLength(1)
      expect(rows[0]).toMatchObject({ result: 'SUCCEEDED', targetType: 'topic', targetId: 'E2ETopic' })
    } finally {
      await client.$disconnect()
    }
  })

  it('shows validation errors from the server action without a stack trace', async () => {
    await page.goto(baseUrl)
    await page.getByLabel('Topic').fill('not a topic')
    await page.getByRole('button', { name: 'Send' }).click()
    const error = page.getByTestId('send-error')
    await error.waitFor()
    const text = (await error.textContent()) ?? ''
    expect(text).toContain('VALIDATION_FAILED')
    expect(text).not.toMatch(/\bat .*\.(js|ts):\d+/)
    await page.getByText('Topic: 1-127 characters', { exact: false }).first().waitFor()
  })
})
