// End to end: the DLQ pages in chromium on the production build, logged in. Dead letters are made over remoting
// the way a consumer whose retries ran out makes them (CONSUMER_SEND_MSG_BACK). An operator opens the DLQ list,
// opens the group, resends one message to its original topic (it arrives: one new message naming the DLQ copy),
// then double-submits a batch of five (five new messages; replaying the same request, as a server action and
// through the REST route, sends nothing more), resends an already-resent message (skipped), exports the range as
// CSV and finds every resend in the audit log. A viewer sees the controls disabled, and forged resend calls with
// the viewer's session are refused (FORBIDDEN / 403) and send nothing.
import { readFile } from 'node:fs/promises'
import type { Page, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually, type GatewayHarness } from '../lib/cluster/gateway-conformance'
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

const TOPIC = 'E2E-dlq-orders'
const GROUP = 'E2E-dlq-billing'
const DEAD = 8
const BATCH = 5
const VIEWER = { username: 'dora-viewer', password: 'viewer-password-1' }

let server: ConsoleServer
let browser: Browser
let seed: GatewayHarness
/** Offset ids of the DLQ copies, in store order (the browse page's order). */
let dlqIds: string[] = []
/** The batch's server action call as the operator's browser made it, replayed later. */
let batchCall: { url: string; headers: Record<string, string>; body: string } | undefined
let batchKey = ''
let batchJobId = ''

const encodedGroup = encodeURIComponent(GROUP)
const browsePath = `/c/embedded/dlq/${encodedGroup}`

async function messageCount(topic: string): Promise<number> {
  return (await seed.gateway.getTopicStats(topic)).data?.messageCount ?? 0
}

/** How many messages of TOPIC name each DLQ copy as their source (RESENT_FROM_DLQ_MSG_ID). */
async function resentFrom(): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  let cursor: string | undefined
  do {
    const page = await seed.gateway.queryMessagesByTime({
      topic: TOPIC,
      beginMs: 0,
      endMs: Date.now() + 60_000,
      pageSize: 500,
      ...(cursor ? { cursor } : {}),
      bodyBytesMax: 0,
    })
    for (const m of page.data.messages) {
      const from = m.properties.RESENT_FROM_DLQ_MSG_ID
      if (from) counts.set(from, (counts.get(from) ?? 0) + 1)
    }
    cursor = page.data.nextCursor
  } while (cursor)
  return counts
}

/** Opens a console page and waits until React owns it (clicks before that go to the server's HTML). */
async function openPage(page: Page, path: string): Promise<void> {
  await page.goto(`${server.baseUrl}${path}`)
  await page.locator('[data-testid="console-header"][data-hydrated="true"]').waitFor()
}

/** The browse page of GROUP, hydrated, with its rows listed. */
async function openBrowse(page: Page): Promise<void> {
  await openPage(page, browsePath)
  await page.locator('[data-hydrated="true"] [data-testid="dlq-messages"]').waitFor({ timeout: POLL.timeout })
  await expect.poll(() => page.locator('[data-testid="dlq-select"]').count(), POLL).toBe(DEAD)
}

/** Waits for the job panel to leave RUNNING and returns its counts. */
async function finishedJob(page: Page) {
  const panel = page.getByTestId('dlq-job-progress')
  await panel.waitFor({ timeout: POLL.timeout })
  await expect.poll(() => panel.getAttribute('data-status'), POLL).not.toMatch(/RUNNING|UNKNOWN/)
  const count = async (id: string) => Number(await panel.getByTestId(id).getAttribute('data-count'))
  return {
    jobId: (await panel.getAttribute('data-job-id')) ?? '',
    status: await panel.getAttribute('data-status'),
    total: await count('dlq-job-total'),
    sent: await count('dlq-job-sent'),
    failed: await count('dlq-job-failed'),
    skipped: await count('dlq-job-skipped'),
  }
}

/** Ticks the rows of these DLQ ids, opens "Resend selected" and returns the dialog's idempotency key. */
async function selectAndOpen(page: Page, ids: readonly string[]): Promise<string> {
  for (const id of ids) await page.locator(`[data-testid="dlq-select"][data-msg-id="${id}"]`).check()
  await expect
    .poll(() => page.getByTestId('dlq-selected-count').getAttribute('data-count'), POLL)
    .toBe(String(ids.length))
  await page.getByTestId('dlq-resend-selected').click()
  const form = page.getByTestId('dlq-resend-form')
  await form.waitFor({ timeout: POLL.timeout })
  expect(await page.getByTestId('dlq-resend-target-origin').isChecked()).toBe(true)
  expect(await page.getByTestId('dlq-resend-rate').inputValue()).toBe('500')
  return (await form.getAttribute('data-idempotency-key')) ?? ''
}

beforeAll(async () => {
  server = await startConsole({ demo: false })
  seed = await remoteHarness({ namesrvAddrs: [server.namesrvAddr], routeTtlMs: 0 })
  const g = seed.gateway
  await g.createOrUpdateTopic({ topic: TOPIC, readQueueNums: 2, writeQueueNums: 2, perm: 6 })
  await g.createOrUpdateConsumerGroup({ group: GROUP })
  for (let i = 0; i < DEAD; i++) {
    const sent = await g.sendMessage({
      topic: TOPIC,
      body: `{"order":${i}}`,
      tag: 'Bill',
      keys: [`dlq-e2e-${i}`],
    })
    // What a consumer's send-back does once the retries are used up: the message goes to %DLQ%<group>.
    await seed.deadLetter!({ group: GROUP, topic: TOPIC, msgId: sent.msgId })
  }
  const dead = await eventually(
    async () => (await g.browseDlq({ group: GROUP, pageSize: 100 })).data.messages,
    (messages) => messages.length === DEAD,
  )
  expect(dead).toHaveLength(DEAD)
  dlqIds = dead.map((m) => m.msgId)
  browser = await openBrowser()
  await login(browser.page, server)
})

afterAll(() => closeAll(server, browser, seed))

describe('DLQ resend', () => {
  it('lists the group with its count, and resends one message to its original topic', async () => {
    const { page } = browser
    await openPage(page, '/c/embedded/dlq')
    await page.locator('[data-testid="dlq-groups"][data-hydrated="true"]').waitFor({ timeout: POLL.timeout })
    const row = page.locator('[data-testid="dlq-groups-table"] tbody tr', { hasText: GROUP })
    await expect
      .poll(() => row.locator('[data-testid="dlq-group-count"]').innerText(), POLL)
      .toBe(String(DEAD))
    await saveScreenshot(page, 'dlq-groups')

    await row.locator('[data-testid="dlq-group-link"]').click()
    await page.waitForURL((url) => url.pathname === browsePath, { timeout: POLL.timeout })
    await page
      .locator('[data-hydrated="true"] [data-testid="dlq-messages"]')
      .waitFor({ timeout: POLL.timeout })
    await expect.poll(() => page.locator('[data-testid="dlq-select"]').count(), POLL).toBe(DEAD)
    expect(await page.getByTestId('dlq-group-total').getAttribute('data-count')).toBe(String(DEAD))
    // Each row opens the DLQ copy's detail, told which topic it is in.
    const href = await page.locator('[data-testid="dlq-message-link"]').first().getAttribute('href')
    expect(href).toBe(`/c/embedded/messages/${dlqIds[0]}?topic=${encodeURIComponent(`%DLQ%${GROUP}`)}`)

    const before = await messageCount(TOPIC)
    expect(before).toBe(DEAD)
    await selectAndOpen(page, [dlqIds[0]!])
    await saveScreenshot(page, 'dlq-resend-dialog')
    await page.getByTestId('dlq-resend-submit').click()
    const job = await finishedJob(page)
    expect(job).toMatchObject({ status: 'DONE', total: 1, sent: 1, failed: 0, skipped: 0 })
    expect(new URL(page.url()).searchParams.get('job')).toBe(job.jobId)

    const results = page.locator('[data-testid="dlq-job-results"] tbody tr')
    await expect.poll(() => results.count(), POLL).toBe(1)
    expect(await results.locator('[data-testid="dlq-job-result-status"]').getAttribute('data-status')).toBe(
      'SENT',
    )
    const newMsgId = (await results.locator('[data-testid="dlq-job-new-msg"]').innerText()).trim()
    expect(newMsgId).toMatch(/^[0-9A-F]{32,}$/)
    await saveScreenshot(page, 'dlq-resend-one-done')

    // It arrived: one more message in the original topic, the new one naming the DLQ copy it came from.
    await expect.poll(() => messageCount(TOPIC), POLL).toBe(before + 1)
    const [resent] = (await seed.gateway.viewMessage({ msgId: newMsgId })).data
    expect(resent).toMatchObject({ topic: TOPIC, properties: { RESENT_FROM_DLQ_MSG_ID: dlqIds[0] } })
    expect(Buffer.from(resent!.bodyBase64, 'base64').toString()).toBe('{"order":0}')
  })

  it('double-submits a batch: each message is resent exactly once, and a replay sends nothing', async () => {
    const { page } = browser
    await openBrowse(page)
    const before = await messageCount(TOPIC)
    const batch = dlqIds.slice(1, 1 + BATCH)
    const capture = (request: Request) => {
      const body = request.postData()
      if (request.method() === 'POST' && request.headers()['next-action'] && body?.includes(batch[0]!))
        batchCall ??= { url: request.url(), headers: request.headers(), body }
    }
    page.on('request', capture)
    batchKey = await selectAndOpen(page, batch)
    expect(batchKey).toMatch(/^[A-Za-z0-9_-]{8,128}$/)
    // Two clicks as fast as a user's double click: one intent, one key.
    await page.getByTestId('dlq-resend-submit').dblclick()
    const job = await finishedJob(page)
    page.off('request', capture)
    batchJobId = job.jobId
    expect(job).toMatchObject({ status: 'DONE', total: BATCH, sent: BATCH, failed: 0, skipped: 0 })
    await expect
      .poll(() => page.locator('[data-testid="dlq-job-results"] tbody tr').count(), POLL)
      .toBe(BATCH)
    await saveScreenshot(page, 'dlq-resend-batch-done')
    await expect.poll(() => messageCount(TOPIC), POLL).toBe(before + BATCH)

    // The same request again — the server action as the browser sent it, then the REST route — is a replay.
    expect(batchCall).toBeDefined()
    const headers: Record<string, string> = { ...batchCall!.headers, cookie: await sessionCookie(server) }
    delete headers['content-length']
    const replay = await (
      await fetch(batchCall!.url, { method: 'POST', headers, body: batchCall!.body })
    ).text()
    expect(replay).toContain('"replayed":true')
    expect(replay).toContain(batchJobId)
    const viaRoute = await fetch(`${server.baseUrl}/api/c/embedded/dlq/resend`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: await sessionCookie(server) },
      body: JSON.stringify({
        group: GROUP,
        selection: { msgIds: batch },
        target: 'ORIGIN_TOPIC',
        ratePerSec: 500,
        idempotencyKey: batchKey,
      }),
    })
    expect(viaRoute.status).toBe(200)
    expect(await viaRoute.json()).toMatchObject({ jobId: batchJobId, replayed: true })
    expect(await messageCount(TOPIC)).toBe(before + BATCH)

    // One new message per resent DLQ copy, none twice.
    const counts = await resentFrom()
    expect([...counts.keys()].sort()).toEqual([dlqIds[0]!, ...batch].sort())
    expect([...counts.values()].every((n) => n === 1)).toBe(true)
  })

  it('skips a message resent before, even under a new request', async () => {
    const { page } = browser
    await openBrowse(page)
    const before = await messageCount(TOPIC)
    const key = await selectAndOpen(page, [dlqIds[0]!])
    expect(key).not.toBe(batchKey)
    await page.getByTestId('dlq-resend-submit').click()
    const job = await finishedJob(page)
    expect(job).toMatchObject({ status: 'DONE', total: 1, sent: 0, failed: 0, skipped: 1 })
    const row = page.locator('[data-testid="dlq-job-results"] tbody tr').first()
    await expect.poll(() => row.innerText(), POLL).toMatch(/already resent/)
    expect(await messageCount(TOPIC)).toBe(before)
  })

  it('exports the range as CSV', async () => {
    const { page } = browser
    await openBrowse(page)
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: POLL.timeout }),
      page.getByTestId('dlq-export-range-csv').click(),
    ])
    expect(download.suggestedFilename()).toMatch(/^dlq-E2E-dlq-billing-.*\.csv$/)
    const lines = (await readFile(await download.path(), 'utf8')).trim().split(/\r?\n/)
    expect(lines[0]).toMatch(/^msgId,/)
    expect(lines).toHaveLength(DEAD + 1)
    for (const id of dlqIds) expect(lines.some((l) => l.startsWith(id))).toBe(true)
  })

  it('shows every resend in the audit log', async () => {
    const cookie = await sessionCookie(server)
    const audit = async () => {
      const response = await fetch(
        `${server.baseUrl}/api/audit?action=dlq.resend&target=${encodedGroup}&pageSize=100`,
        {
          headers: { cookie },
        },
      )
      const body = (await response.json()) as {
        page: {
          rows: {
            action: string
            status: string
            replayed: boolean
            idempotencyKey: string | null
            resultJson: string | null
          }[]
        }
      }
      return body.page.rows.filter((r) => r.action === 'dlq.resend')
    }
    // The three jobs (one message, the batch, the skipped one); each row completes when its job ends.
    await expect
      .poll(async () => (await audit()).filter((r) => !r.replayed).map((r) => r.status), POLL)
      .toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED'])
    const rows = await audit()
    const batchRow = rows.find((r) => r.idempotencyKey === batchKey && !r.replayed)
    // The two replays of the batch (server action, REST route) are recorded too, as replays.
    const replays = rows.filter((r) => r.idempotencyKey === batchKey && r.replayed)
    expect(replays.length).toBeGreaterThanOrEqual(2)
    expect(replays.every((r) => r.status === 'SUCCEEDED')).toBe(true)
    expect(JSON.parse(batchRow!.resultJson!)).toMatchObject({
      jobId: batchJobId,
      status: 'DONE',
      sent: BATCH,
    })

    const { page } = browser
    await openPage(page, '/audit?action=dlq.resend')
    const table = page.getByTestId('audit-table')
    await expect.poll(() => table.innerText(), POLL).toContain('dlq.resend')
    const text = await table.innerText()
    expect(text).toContain(GROUP)
    expect(text).toContain('SUCCEEDED')
    await saveScreenshot(page, 'dlq-audit-log')
  })
})

describe('a viewer', () => {
  it('sees the resend controls disabled, and forged resends are refused', async () => {
    const { page } = browser
    await openPage(page, '/users')
    const form = page.getByTestId('create-user-form')
    await form.locator('input[name="username"]').fill(VIEWER.username)
    await form.locator('input[name="password"]').fill(VIEWER.password)
    await form.locator('select[name="role"]').selectOption('viewer')
    await page.getByTestId('create-user-submit').click()
    await page.getByTestId(`user-row-${VIEWER.username}`).waitFor({ timeout: POLL.timeout })
    await page.getByTestId('logout').click()
    await page.waitForURL((url) => url.pathname === '/login')
    await login(page, server, VIEWER)

    await openBrowse(page)
    const unsent = dlqIds[DEAD - 1]!
    await page.locator(`[data-testid="dlq-select"][data-msg-id="${unsent}"]`).check()
    expect(await page.getByTestId('dlq-resend-selected').isDisabled()).toBe(true)
    expect(await page.getByTestId('dlq-resend-range').isDisabled()).toBe(true)
    expect(await page.getByTestId('dlq-resend-disabled-reason').innerText()).toMatch(/operator role needed/)
    // Viewers may still export what they can see.
    expect(await page.getByTestId('dlq-export-selection-json').isDisabled()).toBe(false)
    await saveScreenshot(page, 'dlq-viewer')

    const before = await messageCount(TOPIC)
    const viewerCookie = await sessionCookie(server, VIEWER)
    // The operator's batch action, replayed with the viewer's session, another message and a fresh key.
    const headers: Record<string, string> = { ...batchCall!.headers, cookie: viewerCookie }
    delete headers['content-length']
    const body = batchCall!.body
      .replace(/"idempotencyKey":"[^"]+"/, '"idempotencyKey":"forged-viewer-key-1"')
      .replaceAll(dlqIds[1]!, unsent)
    const action = await (await fetch(batchCall!.url, { method: 'POST', headers, body })).text()
    expect(action).toContain('FORBIDDEN')
    expect(action).not.toMatch(/"ok":true/)

    const route = await fetch(`${server.baseUrl}/api/c/embedded/dlq/resend`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: viewerCookie },
      body: JSON.stringify({
        group: GROUP,
        selection: { msgIds: [unsent] },
        target: 'ORIGIN_TOPIC',
        idempotencyKey: 'forged-viewer-key-2',
      }),
    })
    expect(route.status).toBe(403)
    expect(await route.json()).toMatchObject({ error: { code: 'FORBIDDEN' } })
    const cancel = await fetch(`${server.baseUrl}/api/c/embedded/dlq/jobs/${batchJobId}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: viewerCookie },
      body: JSON.stringify({ idempotencyKey: 'forged-viewer-key-3' }),
    })
    expect(cancel.status).toBe(403)

    expect(await messageCount(TOPIC)).toBe(before)
    expect((await resentFrom()).has(unsent)).toBe(false)
  })
})
