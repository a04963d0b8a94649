// End to end: the console as `npm start` runs it on a fresh machine — the production build with a fresh database
// and store and the demo workload ON — serves its health and store figures as JSON, shows the demo's topics,
// groups and producers on the pages, and shuts the engine down cleanly on SIGTERM (exit 143).
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  login,
  openBrowser,
  saveScreenshot,
  sessionCookie,
  startConsole,
  type Browser,
  type ConsoleServer,
} from './harness'

const POLL = { timeout: 30_000, interval: 250 }

let server: ConsoleServer
let browser: Browser

async function open(page: Page, path: string): Promise<void> {
  await page.goto(`${server.baseUrl}${path}`)
  await page.locator('[data-testid="console-header"][data-hydrated="true"]').waitFor()
}

beforeAll(async () => {
  server = await startConsole({ demo: true, env: { MQDECK_DEMO_RATE: '5' } })
  browser = await openBrowser()
  await login(browser.page, server)
})

afterAll(async () => {
  await browser?.close()
  if (server) {
    const exit = await server.stop()
    // The engine (and the demo before it) closes on SIGTERM, then the process exits with 128 + 15.
    expect(exit, server.output()).toEqual({ code: 143, signal: null })
  }
})

describe('console on a fresh start with the demo workload', () => {
  it('answers health and the store figures as uncached JSON', async () => {
    const health = await fetch(`${server.baseUrl}/api/health`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({
      ok: true,
      namesrvAddr: server.namesrvAddr,
      brokerAddr: server.brokerAddr,
    })
    // JSON routes need a session; without one they answer 401.
    expect((await fetch(`${server.baseUrl}/api/store/stats`)).status).toBe(401)
    const stats = await fetch(`${server.baseUrl}/api/store/stats`, {
      headers: { cookie: await sessionCookie(server) },
    })
    expect(stats.headers.get('cache-control')).toContain('no-store')
    const body = (await stats.json()) as Record<string, unknown>
    expect(body).toMatchObject({ storePathRootDir: server.storeDir, writable: true })
    expect(server.output()).toContain('demo workload running')
  })

  it('shows the demo services on the topics, groups and producers pages', async () => {
    const { page } = browser
    await open(page, '/c/embedded/topics?q=Orders')
    await expect
      .poll(async () => page.locator('[data-testid="topics"] tbody tr').allTextContents(), POLL)
      .toEqual(expect.arrayContaining([expect.stringContaining('Orders')]))
    await open(page, '/c/embedded/groups')
    for (const group of ['order-tracking', 'points-service', 'inventory-service', 'ledger-sync']) {
      await page.getByTestId('groups').getByText(group, { exact: true }).first().waitFor(POLL)
    }
    // A member of an in-process group reports the queues it holds (the Orders topic has 8).
    await open(page, '/c/embedded/groups/points-service')
    await page.getByTestId('member-queues').getByRole('button').first().click()
    await expect
      .poll(
        async () =>
          page.locator('[data-testid="member-queues-table"] tbody tr', { hasText: 'Orders' }).count(),
        POLL,
      )
      .toBe(8)
    await saveScreenshot(page, 'group-detail-demo')
    await open(page, '/c/embedded/producers')
    await page.getByTestId('producers').getByText('order-service', { exact: false }).first().waitFor(POLL)
    await open(page, '/c/embedded')
    await page.getByTestId('brokers-table').getByText('broker-a').first().waitFor(POLL)
    await saveScreenshot(page, 'overview-demo')
  })
})
