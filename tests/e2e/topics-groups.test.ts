// End to end: the Topics and Consumer groups pages of the production build in chromium, on data seeded over
// remoting — filter topics by text and by type (both kept in the URL), open a topic's detail and see the group
// consuming it with its lag, open that group's detail, and round-trip a %DLQ% topic through its encoded URL.
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
  type Browser,
  type ConsoleServer,
} from './harness'

const GROUP = 'E2E-billing'
const TOPIC = 'E2E-orders'

let server: ConsoleServer
let browser: Browser
let seed: GatewayHarness

/** The first cell (topic or group name) of each row of a DataTable. */
function rowNames(page: Page, testId: string): Promise<string[]> {
  return page
    .locator(`[data-testid="${testId}"] tbody tr td:first-child`)
    .allInnerTexts()
    .then((names) => names.map((n) => n.trim().split(/\s+/)[0] ?? ''))
}

/** Opens a list page and waits until React has hydrated it (typing earlier would go to the server's HTML). */
async function openList(page: Page, path: string, testId: 'topics' | 'groups'): Promise<void> {
  await page.goto(`${server.baseUrl}${path}`)
  await page.locator(`[data-testid="${testId}"] [data-hydrated="true"]`).waitFor()
}

beforeAll(async () => {
  server = await startConsole({ demo: false })
  seed = await remoteHarness({ namesrvAddrs: [server.namesrvAddr], routeTtlMs: 0 })
  const g = seed.gateway
  const topic = (name: string, extra: object = {}) =>
    g.createOrUpdateTopic({ topic: name, readQueueNums: 2, writeQueueNums: 2, perm: 6, ...extra })
  await topic(TOPIC, { messageType: 'NORMAL' })
  await topic('E2E-orders-fifo', { messageType: 'FIFO', order: true })
  await topic('E2E-orders-delay', { messageType: 'DELAY' })
  await topic('E2E-payments-tx', { messageType: 'TRANSACTION' })
  await g.createOrUpdateConsumerGroup({ group: GROUP, retryMaxTimes: 4 })
  const first = await g.sendMessage({ topic: TOPIC, body: 'first', keys: ['e2e-1'] })
  for (let i = 0; i < 4; i++) await g.sendMessage({ topic: TOPIC, body: `early ${i}` })
  await seed.consume!({ topic: TOPIC, group: GROUP })
  for (let i = 0; i < 3; i++) await g.sendMessage({ topic: TOPIC, body: `late ${i}` })
  // A dead letter gives the group a %DLQ% topic, whose name must survive URL encoding.
  await seed.deadLetter!({ group: GROUP, topic: TOPIC, msgId: first.msgId })
  browser = await openBrowser()
  await login(browser.page, server)
})

afterAll(() => closeAll(server, browser, seed))

describe('Topics and Consumer groups pages', () => {
  it('filters topics by text and by type, keeping both in the URL', async () => {
    const { page } = browser
    await openList(page, '/c/embedded/topics', 'topics')
    await page.locator('[data-testid="topics-table-filter"]').fill('E2E-orders')
    await expect
      .poll(() => rowNames(page, 'topics-table'), POLL)
      .toEqual(['E2E-orders', 'E2E-orders-delay', 'E2E-orders-fifo'])
    expect(new URL(page.url()).searchParams.get('q')).toBe('E2E-orders')

    await page.locator('[data-testid="topic-type-fifo"]').click()
    await expect.poll(() => rowNames(page, 'topics-table'), POLL).toEqual(['E2E-orders-fifo'])
    expect(new URL(page.url()).searchParams.get('type')).toBe('fifo')

    // The state is in the URL: loading it fresh renders the same rows on the server.
    await page.goto(`${server.baseUrl}/c/embedded/topics?q=E2E&type=transactional,delay`)
    await expect
      .poll(() => rowNames(page, 'topics-table'), POLL)
      .toEqual(['E2E-orders-delay', 'E2E-payments-tx'])
    await page.goto(`${server.baseUrl}/c/embedded/topics?q=E2E-orders`)
    await expect.poll(() => rowNames(page, 'topics-table'), POLL).toHaveLength(3)
    await saveScreenshot(page, 'topics')
  })

  it('opens a topic detail with its queues and the consuming group with its lag', async () => {
    const { page } = browser
    await openList(page, '/c/embedded/topics?q=E2E-orders', 'topics')
    await page.locator('[data-testid="topics-table"] a', { hasText: /^E2E-orders$/ }).click()
    await page.locator('[data-testid="topic-detail"] h1', { hasText: TOPIC }).waitFor()
    expect(new URL(page.url()).pathname).toBe(`/c/embedded/topics/${TOPIC}`)
    const consumers = page.locator('[data-testid="topic-consumers"] tbody tr')
    await expect
      .poll(() => consumers.allInnerTexts(), POLL)
      .toEqual([expect.stringMatching(/E2E-billing\s+3\b/)])
    await expect.poll(() => page.locator('[data-testid="topic-queues"] tbody tr').count(), POLL).toBe(2)
    await saveScreenshot(page, 'topic-detail')
  })

  it('opens the group detail with its lag, per-queue progress and retry settings', async () => {
    const { page } = browser
    await page.locator('[data-testid="topic-consumers"] a', { hasText: GROUP }).click()
    await page.locator('[data-testid="group-detail"] h1', { hasText: GROUP }).waitFor()
    await expect.poll(() => page.locator('[data-testid="group-lag"]').innerText(), POLL).toMatch(/Lag\s+3/i)
    await expect.poll(() => page.locator('[data-testid="group-queues"] tbody tr').count(), POLL).toBe(2)
    expect(await page.locator('[data-testid="group-config"]').innerText()).toMatch(/retryMaxTimes\s+4/)
    await saveScreenshot(page, 'group-detail')

    // Its %DLQ% topic links to the topic detail through an encoded path segment.
    await page.locator('[data-testid="group-topics"] a', { hasText: `%DLQ%${GROUP}` }).click()
    await page.locator('[data-testid="topic-detail"] h1', { hasText: `%DLQ%${GROUP}` }).waitFor()
    expect(new URL(page.url()).pathname).toBe(`/c/embedded/topics/${encodeURIComponent(`%DLQ%${GROUP}`)}`)
  })

  it('lists groups with their lag and finds one by text', async () => {
    const { page } = browser
    await openList(page, '/c/embedded/groups', 'groups')
    await page.locator('[data-testid="groups-table-filter"]').fill('billing')
    await expect.poll(() => rowNames(page, 'groups-table'), POLL).toEqual([GROUP])
    const row = await page.locator('[data-testid="groups-table"] tbody tr').first().innerText()
    expect(row).toMatch(/offline/)
    expect(row).toMatch(/\b3\b/)
    await saveScreenshot(page, 'groups')
  })
})
