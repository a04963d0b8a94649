// End to end: the console's operations in chromium against the production build, logged in — preview and apply
// an offset reset on a group's page (the committed offsets move), commit a half message sent over remoting as a
// Java transactional producer does (it becomes visible exactly once), and find both in the audit log.
import { randomBytes } from 'node:crypto'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createRequest,
  formatProperties,
  RemotingClient,
  REQUEST_CODE,
  RESPONSE_CODE,
  SYSFLAG_TRANSACTION_PREPARED_TYPE,
} from '@/broker-engine/index'
import type { GatewayHarness } from '../lib/cluster/gateway-conformance'
import { remoteHarness } from '../lib/cluster/remote-harness'
import {
  closeAll,
  login,
  openBrowser,
  POLL,
  saveScreenshot,
  startConsole,
  type Browser,
  type ConsoleServer,
} from './harness'

const TOPIC = 'OPS-orders'
const GROUP = 'OPS-billing'
const TX_TOPIC = 'OPS-payments'
const TX_PRODUCER_GROUP = 'OPS-tx-producer'

let server: ConsoleServer
let browser: Browser
let seed: GatewayHarness
let remoting: RemotingClient
/** Offset id of the half message as the Transactions page listed it when committing. */
let committedMsgId: string

/**
 * SEND_MESSAGE_V2 of a half message, as a Java TransactionMQProducer sends one: sysFlag TRANSACTION_PREPARED and
 * the TRAN_MSG / PGROUP properties, to the topic's queue 0 on the console's broker.
 */
async function sendHalfMessage(): Promise<void> {
  const properties = formatProperties([
    ['KEYS', 'ops-tx-1'],
    ['TRAN_MSG', 'true'],
    ['PGROUP', TX_PRODUCER_GROUP],
    ['UNIQ_KEY', randomBytes(16).toString('hex').toUpperCase()],
    ['WAIT', 'true'],
  ])
  const response = await remoting.invoke(
    server.brokerAddr,
    createRequest(REQUEST_CODE.SEND_MESSAGE_V2, {
      extFields: {
        a: TX_PRODUCER_GROUP,
        b: TX_TOPIC,
        c: 'TBW102',
        d: '4',
        e: '0',
        f: String(SYSFLAG_TRANSACTION_PREPARED_TYPE),
        g: String(Date.now()),
        h: '0',
        i: properties,
        j: '0',
        k: 'false',
        m: 'false',
      },
      body: Buffer.from('{"payment":42}'),
    }),
    5_000,
  )
  expect(response.code).toBe(RESPONSE_CODE.SUCCESS)
}

/** Opens a console page and waits until React owns it (clicks before that go to the server's HTML). */
async function openPage(page: Page, path: string): Promise<void> {
  await page.goto(`${server.baseUrl}${path}`)
  await page.locator('[data-testid="console-header"][data-hydrated="true"]').waitFor()
}

beforeAll(async () => {
  server = await startConsole({ demo: false })
  seed = await remoteHarness({ namesrvAddrs: [server.namesrvAddr], routeTtlMs: 0 })
  remoting = new RemotingClient()
  const g = seed.gateway
  await g.createOrUpdateTopic({ topic: TOPIC, readQueueNums: 2, writeQueueNums: 2, perm: 6 })
  await g.createOrUpdateTopic({ topic: TX_TOPIC, readQueueNums: 1, writeQueueNums: 1, perm: 6 })
  await g.createOrUpdateConsumerGroup({ group: GROUP })
  for (let i = 0; i < 4; i++) await g.sendMessage({ topic: TOPIC, body: `order ${i}` })
  expect(await seed.consume!({ topic: TOPIC, group: GROUP })).toBe(4)
  await sendHalfMessage()
  browser = await openBrowser()
  await login(browser.page, server)
})

afterAll(async () => {
  remoting?.close()
  await closeAll(server, browser, seed)
})

describe('operations', () => {
  it('previews and applies an offset reset on a group', async () => {
    const { page } = browser
    await openPage(page, `/c/embedded/groups/${encodeURIComponent(GROUP)}`)
    await page.locator('[data-testid="offset-reset-open"]').click()
    const panel = page.locator('[data-testid="offset-reset-panel"]')
    await panel.locator('[data-testid="offset-reset-topic"]').selectOption(TOPIC)
    await panel.locator('[data-testid="offset-reset-target-earliest"]').check()
    // Apply stays disabled until these inputs were previewed.
    expect(await panel.locator('[data-testid="offset-reset-apply"]').isDisabled()).toBe(true)
    await panel.locator('[data-testid="offset-reset-preview"]').click()
    const totals = panel.locator('[data-testid="offset-reset-totals"]')
    await totals.waitFor(POLL)
    expect(await totals.innerText()).toMatch(/0 messages skipped, 4 replayed over 2 queues/)
    expect(await totals.innerText()).toMatch(/consumer offline/)
    await saveScreenshot(page, 'operations-offset-reset-preview')

    await panel.locator('[data-testid="offset-reset-apply"]').click()
    const result = panel.locator('[data-testid="offset-reset-result"]')
    await result.waitFor(POLL)
    expect(await result.getAttribute('data-status')).toBe('APPLIED')
    const stats = await seed.gateway.getConsumeStats(GROUP, TOPIC)
    expect(stats.data.lag).toBe(4)
    expect(stats.data.queues.every((q) => q.consumerOffset === 0)).toBe(true)
    await saveScreenshot(page, 'operations-offset-reset-applied')
  })

  it('commits a half message from the Transactions page: visible once', async () => {
    const { page } = browser
    expect((await seed.gateway.getTopicStats(TX_TOPIC)).data!.messageCount).toBe(0)
    await openPage(page, '/c/embedded/transactions')
    // Found by its key: each check round the broker runs rewrites the half message, so its offset id moves on.
    const row = page.locator('[data-testid="transactions-table"] tbody tr', { hasText: 'ops-tx-1' })
    await row.waitFor(POLL)
    expect(await row.innerText()).toContain(TX_PRODUCER_GROUP)
    expect(await row.innerText()).toContain(TX_TOPIC)
    const box = row.locator('[data-testid="transactions-select"]')
    committedMsgId = (await box.getAttribute('data-msg-id'))!
    await box.check()
    await page.locator('[data-testid="transactions-commit"]').click()
    await page.locator('[data-testid="transactions-confirm-button"]').click()
    const result = page.locator('[data-testid="transactions-result"]')
    await result.waitFor(POLL)
    expect(await result.innerText()).toMatch(/Commit: 1 done/)
    await expect
      .poll(
        () => page.locator('[data-testid="transactions-table"] tbody tr', { hasText: 'ops-tx-1' }).count(),
        POLL,
      )
      .toBe(0)
    expect((await seed.gateway.getTopicStats(TX_TOPIC)).data!.messageCount).toBe(1)
    await saveScreenshot(page, 'operations-transaction-committed')
  })

  it('shows both operations in the audit log', async () => {
    const { page } = browser
    await openPage(page, '/audit')
    await expect.poll(() => page.locator('body').innerText(), POLL).toContain('offset.reset')
    const text = await page.locator('body').innerText()
    expect(text).toContain('transaction.commit')
    expect(text).toContain(GROUP)
    expect(text).toContain(committedMsgId)
    expect(text).toContain('SUCCEEDED')
    await saveScreenshot(page, 'operations-audit-log')
  })
})
