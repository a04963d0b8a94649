// lib/console/dlq.ts against a real engine (a standalone broker reached over remoting, messages dead-lettered as a
// consumer's send-back does): the DLQ group list (counts, default order, filter, sort, paging over one cached
// listing) and browsing a group's DLQ from URL params (cursor pages, filters, time range, field errors), with
// what resend jobs recorded of each message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConsoleContext } from '@/lib/console/console-context'
import {
  browseDlqMessages,
  DLQ_PAGE_SIZE_DEFAULT,
  dlqBrowseSearchParams,
  listDlqGroups,
  parseDlqBrowseParams,
  type DlqBrowseResponse,
  type DlqBrowseResult,
} from '@/lib/console/dlq'
import { parseListParams } from '@/lib/console/list-query'
import { emptyMetricReads } from '@/lib/console/metric-reads'
import { invalidateSnapshots } from '@/lib/console/snapshot-cache'
import { OPERATOR, startDlqFixture, type DlqFixture } from '../dlq/dlq-fixture'

let f: DlqFixture
let ctx: ConsoleContext
let listDlqsCalls = 0
/** Two groups of this file: `big` with 5 dead messages (tags Even/Odd alternate), `small` with 2. */
let big: { topic: string; group: string; dlqMsgIds: string[] }
let small: { topic: string; group: string; dlqMsgIds: string[] }

function ok(response: DlqBrowseResponse): DlqBrowseResult {
  if (response.status !== 'ok') throw new Error(`expected a page, got ${JSON.stringify(response)}`)
  return response.result
}

beforeAll(async () => {
  f = await startDlqFixture()
  const counted = new Proxy(f.gateway, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver)
      if (property === 'listDlqs' && typeof value === 'function')
        return (...args: unknown[]) => {
          listDlqsCalls++
          return (value as (...a: unknown[]) => unknown).apply(target, args)
        }
      return value
    },
  })
  ctx = { cluster: f.cluster, gateway: counted, metrics: emptyMetricReads }
  big = await f.deadLetters(5, 'big')
  small = await f.deadLetters(2, 'small')
}, 120_000)

afterAll(async () => {
  if (ctx) invalidateSnapshots(ctx.cluster)
  await f?.close()
})

describe('listDlqGroups', () => {
  it('lists the groups with a DLQ, fullest first, with totals over the whole cluster', async () => {
    invalidateSnapshots(ctx.cluster)
    const list = await listDlqGroups(ctx, parseListParams({}))
    expect(list.partial).toBe(false)
    expect(list.page.sort).toBe('messages')
    expect(list.page.dir).toBe('desc')
    expect(list.page.rows.map((r) => r.group)).toEqual([big.group, small.group])
    expect(list.page.rows[0]).toMatchObject({ group: big.group, topic: `%DLQ%${big.group}`, messageCount: 5 })
    expect(list.page.rows[0]!.lastUpdateTimestampMs).toBeGreaterThan(0)
    expect(list.page.rows[1]).toMatchObject({ group: small.group, messageCount: 2 })
    expect(list.groupCount).toBe(2)
    expect(list.messageCount).toBe(7)
    expect(list.fetchedAtMs).toBeGreaterThan(0)
  })

  it('filters, sorts and pages on the server over one cached listing', async () => {
    invalidateSnapshots(ctx.cluster)
    listDlqsCalls = 0
    const filtered = await listDlqGroups(ctx, parseListParams({ q: small.group.toUpperCase() }))
    expect(filtered.page.rows.map((r) => r.group)).toEqual([small.group])
    expect(filtered.page.total).toBe(1)
    // The totals stay the cluster's, whatever the filter shows.
    expect(filtered.messageCount).toBe(7)

    const byName = await listDlqGroups(ctx, parseListParams({ sort: 'group', dir: 'asc' }))
    expect(byName.page.rows.map((r) => r.group)).toEqual([big.group, small.group].sort())

    const second = await listDlqGroups(ctx, parseListParams({ pageSize: '1', page: '2' }))
    expect(second.page).toMatchObject({ total: 2, page: 2, pageCount: 2, pageSize: 1 })
    expect(second.page.rows.map((r) => r.group)).toEqual([small.group])
    expect(listDlqsCalls).toBe(1)
  })
})

describe('browseDlqMessages', () => {
  it('pages through a group’s DLQ with its cursor: every dead message once, with its origin', async () => {
    const seen: string[] = []
    let cursor: string | undefined
    let pages = 0
    do {
      const page = ok(
        await browseDlqMessages(ctx, { group: big.group, pageSize: '2', ...(cursor ? { cursor } : {}) }),
      )
      pages++
      expect(page.messages.length).toBeLessThanOrEqual(2)
      for (const m of page.messages) {
        expect(m.topic).toBe(`%DLQ%${big.group}`)
        expect(m.originTopic).toBe(big.topic)
        expect(m.originMsgId).toMatch(/^[0-9A-F]+$/)
        seen.push(m.msgId)
      }
      expect(page.totalInRange).toBe(5)
      expect(page.summary).toMatchObject({ group: big.group, messageCount: 5 })
      cursor = page.nextCursor
    } while (cursor !== undefined && pages < 10)
    expect(pages).toBeGreaterThanOrEqual(3)
    expect(new Set(seen).size).toBe(5)
    expect([...seen].sort()).toEqual([...big.dlqMsgIds].sort())
  })

  it('returns one page with the default size, a short body preview and the scan counts', async () => {
    const page = ok(await browseDlqMessages(ctx, { group: small.group }))
    expect(page.query).toMatchObject({
      group: small.group,
      beginMs: undefined,
      endMs: undefined,
      filter: {},
      pageSize: DLQ_PAGE_SIZE_DEFAULT,
    })
    expect(page.messages).toHaveLength(2)
    expect(page.nextCursor).toBeUndefined()
    expect(page.scannedTotal).toBe(2)
    expect(page.partial).toBe(false)
    const bodies = page.messages.map((m) => Buffer.from(m.bodyBase64, 'base64').toString('utf8')).sort()
    expect(bodies).toEqual(['dead 0', 'dead 1'])
  })

  it('filters by tag and key on the server', async () => {
    const even = ok(await browseDlqMessages(ctx, { group: big.group, fTag: 'Even' }))
    expect(even.messages.map((m) => m.tags)).toEqual(['Even', 'Even', 'Even'])
    expect(even.query.filter).toEqual({ tag: 'Even' })
    const key = ok(await browseDlqMessages(ctx, { group: big.group, fKey: 'k3' }))
    expect(key.messages).toHaveLength(1)
    expect(key.messages[0]!.keys).toEqual(['k3'])
    const body = ok(await browseDlqMessages(ctx, { group: big.group, fBody: 'dead 4' }))
    expect(body.messages).toHaveLength(1)
  })

  it('narrows to a time range given as epoch ms or ISO 8601 with an offset', async () => {
    const all = ok(await browseDlqMessages(ctx, { group: big.group }))
    const stored = all.messages.map((m) => m.storeTimestampMs)
    const lastMs = Math.max(...stored)
    const future = ok(await browseDlqMessages(ctx, { group: big.group, begin: String(lastMs + 60_000) }))
    expect(future.messages).toHaveLength(0)
    const iso = new Date(Math.min(...stored) - 60_000).toISOString()
    const around = ok(
      await browseDlqMessages(ctx, { group: big.group, begin: iso, end: String(lastMs + 60_000) }),
    )
    expect(around.messages).toHaveLength(5)
    expect(around.query.beginMs).toBe(Date.parse(iso))
  })

  it('answers bad params with field errors named after the URL params', async () => {
    const bad = await browseDlqMessages(ctx, {
      group: big.group,
      begin: '2026-01-01 10:00',
      fProp: '=x',
      pageSize: 'lots',
    })
    expect(bad.status).toBe('invalid')
    if (bad.status !== 'invalid') return
    expect(Object.keys(bad.fieldErrors).sort()).toEqual(['begin', 'fProp', 'pageSize'])
    expect(bad.fieldErrors.begin?.[0]).toMatch(/offset/)

    const backwards = await browseDlqMessages(ctx, { group: big.group, begin: '2000', end: '1000' })
    expect(backwards).toMatchObject({
      status: 'invalid',
      fieldErrors: { end: ['the range ends before it begins'] },
    })

    const noGroup = await browseDlqMessages(ctx, { group: 'bad group!' })
    expect(noGroup.status).toBe('invalid')
    expect(noGroup.status === 'invalid' && noGroup.fieldErrors.group).toBeDefined()

    const forged = await browseDlqMessages(ctx, { group: big.group, cursor: 'bm90LWEtY3Vyc29y' })
    expect(forged.status).toBe('invalid')
    expect(forged.status === 'invalid' && forged.fieldErrors.cursor?.[0]).toMatch(/cursor/)
  })

  it('says which dead messages a resend job already resent, and as which new message', async () => {
    const { startDlqResend } = await import('@/lib/dlq/start-dlq-resend')
    const { waitForDlqResendJob } = await import('@/lib/dlq/read-dlq-resend-job')
    const before = ok(await browseDlqMessages(ctx, { group: small.group }))
    expect(before.messages.map((m) => m.resent)).toEqual([undefined, undefined])

    const [resentId, untouchedId] = small.dlqMsgIds as [string, string]
    const started = await startDlqResend(OPERATOR, {
      cluster: f.cluster,
      group: small.group,
      selection: { msgIds: [resentId] },
      target: 'ORIGIN_TOPIC',
      idempotencyKey: `browse-resent-${Date.now()}`,
    })
    const job = await waitForDlqResendJob(f.cluster, started.jobId)
    expect(job.sent).toBe(1)

    const after = ok(await browseDlqMessages(ctx, { group: small.group }))
    const byId = new Map(after.messages.map((m) => [m.msgId, m.resent]))
    expect(byId.get(untouchedId)).toBeUndefined()
    expect(byId.get(resentId)).toMatchObject({ state: 'RESENT', topic: small.topic })
    const resent = byId.get(resentId)
    if (resent?.state !== 'RESENT') throw new Error('expected RESENT')
    const copy = await f.gateway.viewMessage({ msgId: resent.newMsgId, topic: small.topic })
    expect(copy.data[0]?.properties['RESENT_FROM_DLQ_MSG_ID']).toBe(resentId)
    expect(Number.isInteger(resent.atMs)).toBe(true)
  })

  it('shows a group without a DLQ topic as an empty page', async () => {
    const page = ok(await browseDlqMessages(ctx, { group: `no_dlq_${process.pid}` }))
    expect(page.messages).toHaveLength(0)
    expect(page.nextCursor).toBeUndefined()
    expect(page.summary).toBeUndefined()
  })

  it('round-trips its params through the URL', () => {
    const parsed = parseDlqBrowseParams({
      group: big.group,
      begin: '1000',
      end: '2000',
      fTag: 'Even',
      fKey: 'k1',
      fProp: 'a=b=c',
      fBody: 'dead',
      cursor: 'abc_-1',
      pageSize: '500',
    })
    if (!parsed.ok) throw new Error(parsed.message)
    expect(parsed.query).toMatchObject({
      beginMs: 1000,
      endMs: 2000,
      filter: { tag: 'Even', key: 'k1', property: { name: 'a', value: 'b=c' }, bodyContains: 'dead' },
      // Capped: a page is also what "select all on this page" selects.
      pageSize: 200,
    })
    const params = dlqBrowseSearchParams(parsed.query)
    params.set('group', big.group)
    const again = parseDlqBrowseParams(params)
    expect(again).toEqual(parsed)
  })
})
