// End to end: the console shell, Overview, Producers and Clusters pages of the production build in chromium —
// `/` opens the embedded cluster's overview with its broker, the theme toggle sets the <html> class and survives a
// reload, the time zone changes rendered times (also after a reload), producers discovered without knowing their
// group, a second `npm run broker` added as a remote cluster and reached through the switcher on the same section,
// and an unknown cluster id answered with a not-found page.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GatewayHarness } from '../lib/cluster/gateway-conformance'
import { remoteHarness } from '../lib/cluster/remote-harness'
import {
  POLL,
  closeAll,
  login,
  openBrowser,
  saveScreenshot,
  startConsole,
  startRemoteBroker,
  type Browser,
  type ConsoleServer,
} from './harness'

const TOPIC = 'E2E-ov-orders'
const PRODUCER_GROUP = 'E2E-ov-order-service'
let server: ConsoleServer
let browser: Browser
let seed: GatewayHarness
let member: { clientId: string; close(): Promise<void> } | undefined
let remote: { namesrvAddr: string; stop(): Promise<void> } | undefined

/** Opens `path` and waits until React has hydrated the shell (clicks before that would be lost). */
async function open(page: Page, path: string): Promise<void> {
  await page.goto(`${server.baseUrl}${path}`)
  await page.locator('[data-testid="console-header"][data-hydrated="true"]').waitFor()
}

const htmlClass = (page: Page) => page.evaluate(() => document.documentElement.className)

beforeAll(async () => {
  server = await startConsole({ demo: false })
  seed = await remoteHarness({ namesrvAddrs: [server.namesrvAddr], routeTtlMs: 0 })
  await seed.gateway.createOrUpdateTopic({ topic: TOPIC, readQueueNums: 2, writeQueueNums: 2, perm: 6 })
  await seed.gateway.sendMessage({ topic: TOPIC, body: 'hello' })
  member = await seed.online!({ group: 'E2E-ov-billing', topic: TOPIC, producerGroup: PRODUCER_GROUP })
  browser = await openBrowser()
  await login(browser.page, server)
})

afterAll(() => closeAll(server, browser, member, seed, remote))

describe('console shell and overview', () => {
  it('redirects / to the embedded overview with its broker', async () => {
    const { page } = browser
    await open(page, '/')
    expect(new URL(page.url()).pathname).toBe('/c/embedded')
    const brokers = page.locator('[data-testid="brokers-table"]')
    await expect.poll(() => brokers.innerText(), POLL).toContain('broker-a')
    await expect
      .poll(() => page.locator('[data-testid="nameservers-table"]').innerText(), POLL)
      .toContain('reachable')
    await expect(page.locator('nav[aria-label="Sections"] [aria-current="page"]').innerText()).resolves.toBe(
      'Overview',
    )
    await saveScreenshot(page, 'overview-light')
  })

  it('switches to dark mode and keeps it across a reload', async () => {
    const { page } = browser
    await open(page, '/c/embedded')
    expect(await htmlClass(page)).not.toMatch(/\bdark\b/)
    await page.click('[data-theme-option="dark"]')
    expect(await htmlClass(page)).toMatch(/\bdark\b/)
    await page.reload()
    // Set by the server from the cookie: right in the first HTML, no flash.
    expect(await htmlClass(page)).toMatch(/\bdark\b/)
    await page.locator('[data-testid="brokers-table"]').waitFor()
    await saveScreenshot(page, 'overview-dark')
    await page.locator('[data-testid="console-header"][data-hydrated="true"]').waitFor()
    await page.click('[data-theme-option="light"]')
    expect(await htmlClass(page)).not.toMatch(/\bdark\b/)
  })

  it('shows times in the chosen zone, also after a reload', async () => {
    const { page } = browser
    await open(page, '/c/embedded')
    const started = page.locator('[data-testid="brokers-table"] [data-testid="time"]').first()
    await expect.poll(() => started.innerText(), POLL).toMatch(/UTC\+00:00$/)
    const utcText = await started.innerText()
    await page.click('[data-testid="time-zone-button"]')
    await page.fill('[data-testid="time-zone-search"]', 'Kolkata')
    await page.keyboard.press('Enter')
    await expect.poll(() => started.innerText(), POLL).toMatch(/UTC\+05:30$/)
    expect(await started.innerText()).not.toBe(utcText)
    expect(await page.locator('[data-testid="time-zone-button"]').innerText()).toBe('Asia/Kolkata')
    await page.reload()
    expect(
      await page.locator('[data-testid="brokers-table"] [data-testid="time"]').first().innerText(),
    ).toMatch(/UTC\+05:30$/)
    await page.locator('[data-testid="console-header"][data-hydrated="true"]').waitFor()
    await page.click('[data-testid="time-zone-button"]')
    await page.getByRole('button', { name: 'UTC', exact: true }).click()
    await expect.poll(() => started.innerText(), POLL).toMatch(/UTC\+00:00$/)
  })

  it('lists producer groups with their connections', async () => {
    const { page } = browser
    await open(page, '/c/embedded/producers')
    const table = page.locator('[data-testid="producers-table"]')
    await expect.poll(() => table.innerText(), POLL).toContain(PRODUCER_GROUP)
    expect(await table.innerText()).toContain(member!.clientId)
  })

  it('answers an unknown cluster id with a not-found page linking to /clusters', async () => {
    const { page } = browser
    const response = await page.goto(`${server.baseUrl}/c/no-such-cluster/topics`)
    expect(response?.status()).toBe(404)
    await page.locator('[data-testid="unknown-cluster"]').waitFor()
    expect(await page.locator('[data-testid="unknown-cluster"] a[href="/clusters"]').count()).toBe(1)
  })
})

describe('clusters', () => {
  it('adds a remote cluster, which the switcher then opens on the same section', async () => {
    remote = await startRemoteBroker()
    const { page } = browser
    await open(page, '/clusters')
    await page.locator('[data-testid="clusters"]').waitFor()
    await page.fill('input[name="id"]', 'second')
    await page.fill('input[name="name"]', 'Second broker')
    await page.fill('input[name="namesrvAddrs"]', remote.namesrvAddr)
    await page.check('input[name="readOnly"]')
    await page.click('[data-testid="add-cluster-form"] button[type="submit"]')
    await page.locator('[data-cluster-id="second"]').waitFor()
    expect(await page.locator('[data-cluster-id="second"]').innerText()).toContain(remote.namesrvAddr)
    // Credentials are never sent back; none were given here either.
    expect(await page.locator('[data-cluster-id="second"]').innerText()).toContain('read-only')
    await expect
      .poll(
        () =>
          page
            .locator('[data-testid="cluster-switcher"] option')
            .evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value)),
        POLL,
      )
      .toContain('second')
    await page.locator('[data-cluster-id="second"] button', { hasText: 'Test connection' }).click()
    await expect
      .poll(
        () => page.locator('[data-cluster-id="second"] [data-testid="connection-test-result"]').innerText(),
        POLL,
      )
      .toContain('reachable')
    await saveScreenshot(page, 'clusters')

    await open(page, '/c/embedded/producers')
    await page.selectOption('[data-testid="cluster-switcher"]', 'second')
    await page.waitForURL(`${server.baseUrl}/c/second/producers`)
    await page.locator('[data-testid="producers"]').waitFor()
    await page.locator('[data-testid="read-only-badge"]').waitFor()

    await page.click('nav[aria-label="Sections"] >> text=Overview')
    await page.waitForURL(`${server.baseUrl}/c/second`)
    await expect
      .poll(() => page.locator('[data-testid="brokers-table"]').innerText(), POLL)
      .toContain('broker-r')
  })
})
