// End to end: the Messages pages of the production build in chromium, on messages seeded over remoting — find a
// message by key and by id through the forms (every query state lands in the URL), open its detail with the
// consuming group's delivery state, switch the body between JSON, text, hex and base64, page a topic's time
// range with the cursor to its end, and see a missing message reported as not found.
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SendOutcome } from '@/lib/cluster/gateway'
import type { GatewayHarness } from '../lib/cluster/gateway-conformance'
import { remoteHarness } from '../lib/cluster/remote-harness'
import {
  POLL,
  closeAll,
  login,
  openBrowser,
  saveScreenshot,
  sessionCookie,
  startConsole,
  type Browser,
  type ConsoleServer,
} from './harness'

const TOPIC = 'E2E-messages'
const GROUP = 'E2E-messages-reader'
const COUNT = 25
const PAGE_SIZE = 10

let server: ConsoleServer
let browser: Browser
let seed: GatewayHarness
const sent: SendOutcome[] = []
let firstStoreMs = 0
let lastStoreMs = 0

const bodyOf = (i: number) => JSON.stringify({ orderId: `e2e-${i}`, amount: i * 2 })

/** Opens a messages page and waits until React has hydrated it (typing earlier would go to the server's HTML). */
async function open(page: Page, path: string): Promise<void> {
  await page.goto(`${server.baseUrl}${path}`)
  await page.locator('[data-testid="messages"] [data-hydrated="true"]').waitFor()
}

function resultIds(page: Page): Promise<string[]> {
  return page.locator('[data-testid="message-results"] [data-testid="message-link"]').allInnerTexts()
}

beforeAll(async () => {
  server = await startConsole({ demo: false })
  seed = await remoteHarness({ namesrvAddrs: [server.namesrvAddr], routeTtlMs: 0 })
  const g = seed.gateway
  await g.createOrUpdateTopic({ topic: TOPIC, readQueueNums: 2, writeQueueNums: 2, perm: 6 })
  for (let i = 0; i < COUNT; i++)
    sent.push(
      await g.sendMessage({
        topic: TOPIC,
        body: bodyOf(i),
        tag: i % 2 === 0 ? 'Even' : 'Odd',
        keys: [`e2e-key-${i}`],
        properties: { source: 'e2e' },
      }),
    )
  await seed.consume!({ topic: TOPIC, group: GROUP })
  const storeMs = async (s: SendOutcome) =>
    (await g.viewMessage({ msgId: s.msgId })).data[0]!.storeTimestampMs
  firstStoreMs = await storeMs(sent[0]!)
  lastStoreMs = await storeMs(sent.at(-1)!)
  browser = await openBrowser()
  await login(browser.page, server)
})

afterAll(() => closeAll(server, browser, seed))

describe('Messages', () => {
  it('finds a message by key through the form, with the query in the URL', async () => {
    const { page } = browser
    await open(page, '/c/embedded/messages')
    await page.getByTestId('messages-tab-key').click()
    await page.getByTestId('messages-input-topic').fill(TOPIC)
    await page.getByTestId('messages-input-key').fill('e2e-key-7')
    await page.getByTestId('messages-search').click()
    await expect.poll(() => resultIds(page), POLL).toEqual([sent[7]!.msgId])
    const url = new URL(page.url())
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      mode: 'key',
      topic: TOPIC,
      key: 'e2e-key-7',
    })
    await expect.poll(() => page.getByTestId('messages-summary').innerText(), POLL).toContain('1 message')
    await saveScreenshot(page, 'messages-by-key')

    // The shared URL opens the same search, and a key that nobody used is "not found", not an error.
    await open(page, `/c/embedded/messages?mode=key&topic=${TOPIC}&key=no-such-key`)
    await expect.poll(() => page.getByTestId('messages-summary').innerText(), POLL).toMatch(/^Not found/)
    expect(await page.getByTestId('messages-error').count()).toBe(0)
  })

  it('finds a message by id, opens its detail and switches the body views', async () => {
    const { page } = browser
    const target = sent[3]!
    await open(page, '/c/embedded/messages')
    await page.getByTestId('messages-input-msgId').fill(target.uniqKey)
    await page.getByTestId('messages-input-topic').fill(TOPIC)
    await page.getByTestId('messages-search').click()
    await expect.poll(() => resultIds(page), POLL).toEqual([target.msgId])

    await page.locator('[data-testid="message-results"] [data-testid="message-link"]').first().click()
    await page.locator('[data-testid="message-detail"][data-hydrated="true"]').waitFor()
    expect(await page.getByTestId('message-detail-id').innerText()).toBe(target.msgId)
    expect(await page.getByTestId('message-detail-uniq-key').innerText()).toBe(target.uniqKey)
    await expect
      .poll(
        () => page.locator(`[data-testid="delivery-row"][data-group="${GROUP}"]`).getAttribute('data-state'),
        POLL,
      )
      .toBe('CONSUMED')
    expect(await page.getByTestId('message-properties').innerText()).toContain('source')

    const content = page.getByTestId('body-content')
    // A JSON body opens pretty-printed.
    expect(await content.getAttribute('data-view')).toBe('json')
    expect(await content.innerText()).toBe(JSON.stringify(JSON.parse(bodyOf(3)), null, 2))
    await saveScreenshot(page, 'message-detail')
    await page.getByTestId('body-view-text').click()
    await expect.poll(() => content.innerText(), POLL).toBe(bodyOf(3))
    await page.getByTestId('body-view-hex').click()
    await expect.poll(() => content.innerText(), POLL).toMatch(/^00000000 {2}7b 22 6f 72/)
    await page.getByTestId('body-view-base64').click()
    await expect.poll(() => content.innerText(), POLL).toBe(Buffer.from(bodyOf(3)).toString('base64'))
    // The chosen view is part of the shareable URL.
    expect(new URL(page.url()).searchParams.get('view')).toBe('base64')

    // The download link serves the whole body as an attachment.
    const href = await page.getByTestId('body-download').getAttribute('href')
    const download = await fetch(`${server.baseUrl}${href}`, {
      headers: { cookie: await sessionCookie(server) },
    })
    expect(download.headers.get('content-disposition')).toContain(`${target.msgId}.bin`)
    expect(await download.text()).toBe(bodyOf(3))
  })

  it('pages a topic’s time range with the cursor, in store-time order, to its end', async () => {
    const { page } = browser
    const params = new URLSearchParams({
      mode: 'time',
      topic: TOPIC,
      begin: String(firstStoreMs),
      end: String(lastStoreMs),
      pageSize: String(PAGE_SIZE),
    })
    await open(page, `/c/embedded/messages?${params.toString()}`)
    const seen: string[] = []
    for (let pageNo = 1; ; pageNo++) {
      const scanned = Math.min(pageNo * PAGE_SIZE, COUNT)
      await expect
        .poll(() => page.getByTestId('scan-progress').innerText(), POLL)
        .toContain(`scanned ${scanned} of ${COUNT} in range`)
      seen.push(...(await resultIds(page)))
      if (scanned === COUNT) break
      await page.getByTestId('messages-next-page').click()
      await expect.poll(() => new URL(page.url()).searchParams.get('cursor'), POLL).not.toBeNull()
    }
    await page.getByTestId('messages-range-end').waitFor()
    // Every message once (messages stored in the same millisecond on two queues may come in either order).
    expect(seen).toHaveLength(COUNT)
    expect([...seen].sort()).toEqual(sent.map((s) => s.msgId).sort())

    // A server-side filter: the odd-tagged messages of the same range.
    params.set('fTag', 'Odd')
    params.set('pageSize', '100')
    await open(page, `/c/embedded/messages?${params.toString()}`)
    await expect
      .poll(async () => (await resultIds(page)).sort(), POLL)
      .toEqual(
        sent
          .filter((_, i) => i % 2 === 1)
          .map((s) => s.msgId)
          .sort(),
      )
  })

  it('reports a missing message as not found and a malformed id next to its field', async () => {
    const { page } = browser
    const absent = `${sent[0]!.msgId.slice(0, -16)}00000000FFFFFF00`
    await page.goto(`${server.baseUrl}/c/embedded/messages/${absent}`)
    await page.getByTestId('message-not-found').waitFor()
    await open(page, '/c/embedded/messages?mode=id&msgId=not-an-id')
    await expect.poll(() => page.getByTestId('messages-error-msgId').innerText(), POLL).toMatch(/hexadecimal/)
  })
})
