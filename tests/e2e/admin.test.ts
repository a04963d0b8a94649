// End to end: topic administration in chromium on the production build. An admin creates a topic through the
// "Create topic" dialog, sends a test message (tag, keys, a property) and opens it from the result link, then
// deletes the topic after its impact preview by typing its name. A viewer sees no admin buttons, and replaying
// the admin's create-topic server action with the viewer's session is refused (FORBIDDEN) and creates nothing.
import type { Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GatewayHarness } from '../lib/cluster/gateway-conformance'
import { remoteHarness } from '../lib/cluster/remote-harness'
import {
  closeAll,
  login,
  openBrowser,
  POLL,
  saveScreenshot,
  sessionCookie,
  startConsole,
  type Browser,
  type ConsoleServer,
} from './harness'

const TOPIC = 'E2E-admin-orders'
const SEEDED = 'E2E-admin-seeded'
const GROUP = 'E2E-admin-billing'
const VIEWER = { username: 'vic-viewer', password: 'viewer-password-1' }

let server: ConsoleServer
let browser: Browser
let seed: GatewayHarness
/** The create-topic server action call the admin's browser made, replayed later with a viewer's cookie. */
let createCall: { url: string; headers: Record<string, string>; body: string } | undefined

async function topicExists(topic: string): Promise<boolean> {
  return (await seed.gateway.getTopicConfig(topic)).data !== undefined
}

beforeAll(async () => {
  server = await startConsole({ demo: false })
  seed = await remoteHarness({ namesrvAddrs: [server.namesrvAddr], routeTtlMs: 0 })
  await seed.gateway.createOrUpdateTopic({ topic: SEEDED, readQueueNums: 2, writeQueueNums: 2, perm: 6 })
  await seed.gateway.createOrUpdateConsumerGroup({ group: GROUP })
  browser = await openBrowser()
})

afterAll(() => closeAll(server, browser, seed))

describe('topic admin', () => {
  it('an admin creates a topic through the dialog', async () => {
    const { page } = browser
    await login(page, server)
    const capture = (request: Request) => {
      const action = request.headers()['next-action']
      const body = request.postData()
      if (request.method() === 'POST' && action && body?.includes(TOPIC) && !createCall) {
        createCall = { url: request.url(), headers: request.headers(), body }
      }
    }
    page.on('request', capture)
    await page.goto(`${server.baseUrl}/c/embedded/topics`)
    await page.locator('[data-testid="topics"] [data-hydrated="true"]').waitFor()
    await page.getByTestId('create-topic').click()
    const dialog = page.getByTestId('create-topic-dialog')
    await dialog.waitFor()

    // A bad name comes back as a field error next to the field; the dialog stays open.
    await dialog.locator('#create-topic-name').fill('bad name!')
    await page.getByTestId('create-topic-submit').click()
    await dialog.locator('#create-topic-name-error').waitFor({ timeout: POLL.timeout })

    await dialog.locator('#create-topic-name').fill(TOPIC)
    await dialog.locator('#create-topic-readQueueNums').fill('2')
    await dialog.locator('#create-topic-writeQueueNums').fill('2')
    await dialog.locator('#create-topic-messageType').selectOption('NORMAL')
    await saveScreenshot(page, 'admin-create-topic')
    await page.getByTestId('create-topic-submit').click()
    await page.waitForURL((url) => url.pathname === `/c/embedded/topics/${TOPIC}`, { timeout: POLL.timeout })
    page.off('request', capture)
    expect(await topicExists(TOPIC)).toBe(true)
    expect((await seed.gateway.getTopicConfig(TOPIC)).data).toMatchObject({
      readQueueNums: 2,
      writeQueueNums: 2,
    })
    expect(createCall).toBeDefined()
  })

  it('sends a test message and opens it from the result link', async () => {
    const { page } = browser
    await page.getByTestId('send-message').click()
    const dialog = page.getByTestId('send-message-dialog')
    await dialog.waitFor()
    await dialog.locator('#send-tag').fill('TagA')
    await dialog.locator('#send-keys').fill('e2e-admin-key')
    await page.getByTestId('send-add-property').click()
    await dialog.getByLabel('Property 1 name').fill('source')
    await dialog.getByLabel('Property 1 value').fill('e2e')
    await dialog.locator('#send-body').fill('hello from the admin e2e')
    await page.getByTestId('send-message-submit').click()
    const link = page.getByTestId('send-message-link')
    await link.waitFor({ timeout: POLL.timeout })
    const msgId = (await link.innerText()).trim()
    expect(msgId).toMatch(/^[0-9A-F]{32,}$/)
    await saveScreenshot(page, 'admin-sent-message')

    const [found] = (await seed.gateway.queryMessagesByKey({ topic: TOPIC, key: 'e2e-admin-key' })).data
    expect(found).toMatchObject({ msgId, tags: 'TagA' })
    expect(found?.properties.source).toBe('e2e')

    await link.click()
    await page.waitForURL((url) => url.pathname === `/c/embedded/messages/${msgId}`, {
      timeout: POLL.timeout,
    })
    await expect.poll(() => page.getByTestId('message-detail-id').innerText(), POLL).toContain(msgId)
  })

  it('deletes the topic after the impact preview, typing its name', async () => {
    const { page } = browser
    // A group with offsets on the topic shows in the impact with its lag.
    await seed.consume!({ topic: TOPIC, group: GROUP })
    await seed.gateway.sendMessage({ topic: TOPIC, body: 'unconsumed' })
    await page.goto(`${server.baseUrl}/c/embedded/topics/${TOPIC}`)
    await page.getByTestId('delete-topic').click()
    const dialog = page.getByTestId('delete-topic-dialog')
    await dialog.getByTestId('delete-topic-consumers').waitFor({ timeout: POLL.timeout })
    expect(await dialog.getByTestId('delete-topic-consumers').innerText()).toContain(GROUP)
    const submit = page.getByTestId('delete-topic-submit')
    expect(await submit.isDisabled()).toBe(true)
    await dialog.locator('#delete-topic-confirm').fill(TOPIC.slice(0, -1))
    expect(await submit.isDisabled()).toBe(true)
    await dialog.locator('#delete-topic-confirm').fill(TOPIC)
    expect(await submit.isDisabled()).toBe(false)
    await saveScreenshot(page, 'admin-delete-topic')
    await submit.click()
    await page.waitForURL((url) => url.pathname === '/c/embedded/topics', { timeout: POLL.timeout })
    expect(await topicExists(TOPIC)).toBe(false)
  })
})

describe('a viewer', () => {
  it('sees no admin buttons, and a forged admin action is refused', async () => {
    const { page } = browser
    await page.goto(`${server.baseUrl}/users`)
    const form = page.getByTestId('create-user-form')
    await form.locator('input[name="username"]').fill(VIEWER.username)
    await form.locator('input[name="password"]').fill(VIEWER.password)
    await form.locator('select[name="role"]').selectOption('viewer')
    await page.getByTestId('create-user-submit').click()
    await page.getByTestId(`user-row-${VIEWER.username}`).waitFor({ timeout: POLL.timeout })
    await page.getByTestId('logout').click()
    await page.waitForURL((url) => url.pathname === '/login')
    await login(page, server, VIEWER)

    await page.goto(`${server.baseUrl}/c/embedded/topics`)
    await page.locator('[data-testid="topics"] [data-hydrated="true"]').waitFor()
    expect(await page.getByTestId('create-topic').count()).toBe(0)
    await page.goto(`${server.baseUrl}/c/embedded/topics/${SEEDED}`)
    await page.getByTestId('topic-consumer-count').waitFor()
    expect(await page.getByTestId('topic-admin-bar').count()).toBe(0)
    await page.goto(`${server.baseUrl}/c/embedded/groups/${GROUP}`)
    await page.locator('[data-testid="group-detail"]').waitFor()
    expect(await page.getByTestId('group-admin-bar').count()).toBe(0)
    await saveScreenshot(page, 'admin-viewer-topic')

    // The admin's create-topic call, replayed with the viewer's session, another name and a fresh key.
    const forged = 'E2E-admin-forged'
    const call = createCall!
    const body = call.body
      .replaceAll(TOPIC, forged)
      .replace(/"idempotencyKey":"[^"]+"/, '"idempotencyKey":"forged-key-0001"')
    const headers: Record<string, string> = { ...call.headers, cookie: await sessionCookie(server, VIEWER) }
    delete headers['content-length']
    const response = await fetch(call.url, { method: 'POST', headers, body })
    const text = await response.text()
    expect(text).toContain('FORBIDDEN')
    expect(text).not.toMatch(/"ok":true/)
    expect(await topicExists(forged)).toBe(false)
  })
})
