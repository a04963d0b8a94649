// lib/dlq: DLQ resend jobs against a real engine (standalone broker over remoting) and a real SQLite file —
// one message, a selection, a time range; per-message results; idempotent replays; per-message "resent once"
// across batches; cancel part way; the rate limit (counted in simulated time); the audit rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as dbModule from '@/lib/db'
import * as cancel from '@/lib/dlq/cancel-dlq-resend'
import * as read from '@/lib/dlq/read-dlq-resend-job'
import * as dlq from '@/lib/dlq/start-dlq-resend'
import type { DlqFixture } from './dlq-fixture'
import { OPERATOR, SimClock, startDlqFixture, VIEWER } from './dlq-fixture'

let f: DlqFixture
let keySeq = 0
const newKey = () => `test-key-${process.pid}-${Date.now()}-${++keySeq}`

beforeAll(async () => {
  f = await startDlqFixture()
}, 60_000)

afterAll(async () => {
  await f?.close()
})

async function resendAndWait(input: Parameters<typeof dlq.startDlqResend>[1]) {
  const started = await dlq.startDlqResend(OPERATOR, input)
  const view = await read.waitForDlqResendJob(f.cluster, started.jobId)
  return { started, view, results: read.getDlqResendResults(f.cluster, started.jobId, { pageSize: 500 }) }
}

describe('startDlqResend', () => {
  it('resends one DLQ message to its origin topic and completes the audit row after the job', async () => {
    const { topic, group, dlqMsgIds } = await f.deadLetters(2)
    const before = await f.messageCount(topic)
    const key = newKey()
    const { started, view, results } = await resendAndWait({
      cluster: f.cluster,
      group,
      selection: { msgIds: [dlqMsgIds[0]!] },
      target: 'ORIGIN_TOPIC',
      idempotencyKey: key,
    })
    expect(started.replayed).toBe(false)
    expect(view).toMatchObject({ status: 'DONE', total: 1, done: 1, sent: 1, failed: 0, skipped: 0 })
    expect(results.items).toHaveLength(1)
    const item = results.items[0]!
    expect(item).toMatchObject({ msgId: dlqMsgIds[0], status: 'SENT', topic })
    expect(await f.messageCount(topic)).toBe(before + 1)
    const resent = await f.gateway.viewMessage({ msgId: item.newMsgId! })
    expect(resent.data[0]).toMatchObject({ topic, properties: { RESENT_FROM_DLQ_MSG_ID: dlqMsgIds[0] } })

    const audit = await dbModule.db().auditLog.findFirstOrThrow({ where: { idempotencyKey: key } })
    expect(audit).toMatchObject({
      action: 'dlq.resend',
      actor: 'olga',
      cluster: f.cluster,
      result: 'SUCCEEDED',
    })
    expect(JSON.parse(audit.resultJson!)).toMatchObject({ jobId: started.jobId, status: 'DONE', sent: 1 })
    expect(JSON.parse(audit.requestJson)).toMatchObject({ group, target: 'ORIGIN_TOPIC', ratePerSec: 500 })
  })

  it('resends a selection with a result per message, failures included, and can target the retry topic', async () => {
    const { topic, group, dlqMsgIds } = await f.deadLetters(5)
    const notDead = (await f.harness.gateway.sendMessage({ topic, body: 'alive' })).msgId
    const { view, results } = await resendAndWait({
      cluster: f.cluster,
      group,
      selection: { msgIds: [...dlqMsgIds.slice(0, 3), dlqMsgIds[0]!.toLowerCase(), notDead] },
      target: 'RETRY_TOPIC',
      idempotencyKey: newKey(),
    })
    // The lower-case repeat is the same message: deduplicated, not resent twice.
    expect(view).toMatchObject({ status: 'DONE', total: 4, sent: 3, failed: 1, skipped: 0 })
    const byId = new Map(results.items.map((r) => [r.msgId, r]))
    for (const id of dlqMsgIds.slice(0, 3))
      expect(byId.get(id)).toMatchObject({ status: 'SENT', topic: `%RETRY%${group}` })
    expect(byId.get(notDead.toUpperCase())).toMatchObject({ status: 'FAILED', code: 'NOT_A_DLQ_MESSAGE' })
    expect(read.getDlqResendResults(f.cluster, view.jobId, { status: 'FAILED' }).items).toHaveLength(1)
    expect(await f.messageCount(`%RETRY%${group}`)).toBe(3)
  })

  it('resends everything in a time range (and only what the filter matches)', async () => {
    const { topic, group } = await f.deadLetters(6)
    const before = await f.messageCount(topic)
    const { view, results } = await resendAndWait({
      cluster: f.cluster,
      group,
      selection: { beginMs: 0, endMs: Date.now() + 60_000, filter: { tag: 'Even' } },
      target: 'ORIGIN_TOPIC',
      idempotencyKey: newKey(),
    })
    expect(view).toMatchObject({ status: 'DONE', total: 3, sent: 3, resolving: false })
    expect(results.items.every((r) => r.status === 'SENT')).toBe(true)
    expect(await f.messageCount(topic)).toBe(before + 3)

    const all = await resendAndWait({
      cluster: f.cluster,
      group,
      selection: { beginMs: 0, endMs: Date.now() + 60_000 },
      target: 'ORIGIN_TOPIC',
      idempotencyKey: newKey(),
    })
    expect(all.view).toMatchObject({ total: 6, sent: 3, skipped: 3 })
    expect(await f.messageCount(topic)).toBe(before + 6)
  })

  it('replays the same job for a repeated idempotency key, during and after the job and after a restart', async () => {
    const { topic, group, dlqMsgIds } = await f.deadLetters(4)
    const before = await f.messageCount(topic)
    const input = {
      cluster: f.cluster,
      group,
      selection: { msgIds: dlqMsgIds },
      target: 'ORIGIN_TOPIC' as const,
      idempotencyKey: newKey(),
    }
    // A double click: both requests at once.
    const [a, b] = await Promise.all([
      dlq.startDlqResend(OPERATOR, input),
      dlq.startDlqResend(OPERATOR, input),
    ])
    expect(b.jobId).toBe(a.jobId)
    expect([a.replayed, b.replayed].sort()).toEqual([false, true])
    await read.waitForDlqResendJob(f.cluster, a.jobId)
    const again = await dlq.startDlqResend(OPERATOR, input)
    expect(again).toMatchObject({ jobId: a.jobId, replayed: true })
    // Another request under the same key is refused.
    await expect(
      dlq.startDlqResend(OPERATOR, { ...input, selection: { msgIds: dlqMsgIds.slice(1) } }),
    ).rejects.toMatchObject({ code: 'CONFLICT' })
    // After a restart the job is gone from memory; the stored outcome answers.
    delete (globalThis as { __mqdeckDlqJobs?: unknown }).__mqdeckDlqJobs
    const replay = await dlq.startDlqResend(OPERATOR, input)
    expect(replay).toMatchObject({ jobId: a.jobId, replayed: true, outcome: { status: 'DONE', sent: 4 } })
    expect(await f.messageCount(topic)).toBe(before + 4)
  })

  it('skips every message a batch with a new key already resent, and sends nothing', async () => {
    const { topic, group, dlqMsgIds } = await f.deadLetters(5)
    const first = await resendAndWait({
      cluster: f.cluster,
      group,
      selection: { msgIds: dlqMsgIds },
      target: 'ORIGIN_TOPIC',
      idempotencyKey: newKey(),
    })
    expect(first.view.sent).toBe(5)
    const count = await f.messageCount(topic)
    const second = await resendAndWait({
      cluster: f.cluster,
      group,
      selection: { msgIds: dlqMsgIds },
      target: 'RETRY_TOPIC',
      idempotencyKey: newKey(),
    })
    expect(second.view).toMatchObject({ status: 'DONE', total: 5, sent: 0, skipped: 5, failed: 0 })
    const newIds = new Map(first.results.items.map((r) => [r.msgId, r.newMsgId]))
    for (const item of second.results.items) {
      expect(item.reason).toMatch(/^already resent at \d{4}-\d\d-\d\dT.*, new msgId [0-9A-F]+$/)
      expect(item.newMsgId).toBe(newIds.get(item.msgId))
    }
    expect(await f.messageCount(topic)).toBe(count)
    expect(await f.messageCount(`%RETRY%${group}`)).toBe(0)
  })

  it('refuses a viewer before anything is sent, and validates its input', async () => {
    const { topic, group, dlqMsgIds } = await f.deadLetters(1)
    const before = await f.messageCount(topic)
    await expect(
      dlq.startDlqResend(VIEWER, {
        cluster: f.cluster,
        group,
        selection: { msgIds: dlqMsgIds },
        target: 'ORIGIN_TOPIC',
        idempotencyKey: newKey(),
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(
      dlq.startDlqResend(OPERATOR, {
        cluster: f.cluster,
        group,
        selection: { msgIds: [] },
        target: 'ORIGIN_TOPIC',
        idempotencyKey: newKey(),
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
    await expect(
      dlq.startDlqResend(OPERATOR, {
        cluster: f.cluster,
        group,
        selection: { msgIds: dlqMsgIds },
        target: 'ORIGIN_TOPIC',
        idempotencyKey: newKey(),
        ratePerSec: 1_000_000,
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
    expect(await f.messageCount(topic)).toBe(before)
  })

  it('cancel stops a job part way with consistent counts; the rest can be resent later', async () => {
    const { topic, group, dlqMsgIds } = await f.deadLetters(20)
    const before = await f.messageCount(topic)
    const clock = new SimClock()
    const started = await dlq.startDlqResend(
      OPERATOR,
      {
        cluster: f.cluster,
        group,
        selection: { msgIds: dlqMsgIds },
        target: 'ORIGIN_TOPIC',
        idempotencyKey: newKey(),
        ratePerSec: 1,
      },
      { clock },
    )
    const finished = read.waitForDlqResendJob(f.cluster, started.jobId)
    // One send goes at once; the others wait for slots one simulated second apart. Let two more through.
    for (let i = 0; i < 2; i++) {
      await clock.nextTimer(finished)
      clock.fireNext()
    }
    await expect.poll(() => read.getDlqResendJob(f.cluster, started.jobId).done).toBe(3)
    const cancelled = await cancel.cancelDlqResend(OPERATOR, {
      cluster: f.cluster,
      jobId: started.jobId,
      idempotencyKey: newKey(),
    })
    expect(cancelled).toMatchObject({
      status: 'CANCELLED',
      total: 20,
      done: 3,
      sent: 3,
      failed: 0,
      skipped: 0,
    })
    expect(await finished).toMatchObject({ status: 'CANCELLED', done: 3 })
    expect(await f.messageCount(topic)).toBe(before + 3)
    const audits = await dbModule
      .db()
      .auditLog.findMany({ where: { targetId: group }, orderBy: { id: 'asc' } })
    expect(audits.map((a) => [a.action, a.result])).toEqual([
      ['dlq.resend', 'SUCCEEDED'],
      ['dlq.resend.cancel', 'SUCCEEDED'],
    ])
    expect(JSON.parse(audits[0]!.resultJson!)).toMatchObject({ status: 'CANCELLED', sent: 3 })

    // The 17 never sent were not recorded as resent: a new batch sends exactly those.
    const rest = await resendAndWait({
      cluster: f.cluster,
      group,
      selection: { msgIds: dlqMsgIds },
      target: 'ORIGIN_TOPIC',
      idempotencyKey: newKey(),
      ratePerSec: 5_000,
    })
    expect(rest.view).toMatchObject({ sent: 17, skipped: 3 })
    expect(await f.messageCount(topic)).toBe(before + 20)
  })

  it('paces sends at the requested rate (counted in simulated time)', async () => {
    const { group, dlqMsgIds } = await f.deadLetters(40)
    const clock = new SimClock()
    const ratePerSec = 10
    const started = await dlq.startDlqResend(
      OPERATOR,
      {
        cluster: f.cluster,
        group,
        selection: { msgIds: dlqMsgIds },
        target: 'ORIGIN_TOPIC',
        idempotencyKey: newKey(),
        ratePerSec,
      },
      { clock },
    )
    const startMs = clock.nowMs()
    const finished = read.waitForDlqResendJob(f.cluster, started.jobId)
    await clock.runUntil(finished)
    expect(await finished).toMatchObject({ status: 'DONE', sent: 40 })
    const times = read
      .getDlqResendResults(f.cluster, started.jobId, { pageSize: 100 })
      .items.map((r) => r.atMs)
      .sort((a, b) => a - b)
    expect(times).toHaveLength(40)
    // No simulated second holds more than `ratePerSec` sends; 40 sends span at least 3.9 s.
    for (let i = 0; i + ratePerSec < times.length; i++)
      expect(times[i + ratePerSec]! - times[i]!).toBeGreaterThanOrEqual(1000 - 1e-6)
    expect(times[39]! - startMs).toBeGreaterThanOrEqual(3900 - 1e-6)
  })

  it('refuses an unknown cluster before anything runs', async () => {
    await expect(
      dlq.startDlqResend(OPERATOR, {
        cluster: 'no-such-cluster',
        group: 'g',
        selection: { beginMs: 0, endMs: 1 },
        target: 'ORIGIN_TOPIC',
        idempotencyKey: newKey(),
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('after a restart, looks up by UNIQ_KEY what a stopped server left unknown: found is skipped, missing is sent', async () => {
    const { topic, group, dlqMsgIds } = await f.deadLetters(3, 'lost')
    const [sentId, unsentId, blindId] = dlqMsgIds as [string, string, string]
    const { onceRecordKey } = await import('@/lib/idempotency/once-records')
    const { DLQ_RESEND_SCOPE, resendBusinessKey } = await import('@/lib/dlq/run-resend-job')
    const before = await f.messageCount(topic)
    // What a server killed mid-chunk leaves once the next start reviewed it: UNKNOWN claims with their intents.
    // The first one's copy did go out (sent here with the recorded UNIQ_KEY); the second's did not; the third
    // is an older claim without an intent, which nothing can check.
    const sentKey = '7F00000100002A9F0000000000000001'
    const [copy] = await f.gateway.resendDlqMessages({
      group,
      msgIds: [sentId],
      target: 'ORIGIN_TOPIC',
      uniqKeys: [sentKey],
    })
    expect(copy).toMatchObject({ status: 'SENT', newUniqKey: sentKey })
    const unknown = (msgId: string, intent: object | null) => ({
      key: onceRecordKey(DLQ_RESEND_SCOPE, resendBusinessKey(f.cluster, group, msgId)),
      action: `once:${DLQ_RESEND_SCOPE}`,
      requestHash: 'h',
      status: 'UNKNOWN' as const,
      responseJson: intent === null ? null : JSON.stringify(intent),
      expiresAt: new Date(Date.now() + 60_000),
    })
    await dbModule.db().idempotencyKey.createMany({
      data: [
        unknown(sentId, { uniqKey: sentKey, target: 'ORIGIN_TOPIC' }),
        unknown(unsentId, { uniqKey: '7F00000100002A9F0000000000000002', target: 'ORIGIN_TOPIC' }),
        unknown(blindId, null),
      ],
    })
    expect(await f.messageCount(topic)).toBe(before + 1)

    const { view, results } = await resendAndWait({
      cluster: f.cluster,
      group,
      selection: { msgIds: dlqMsgIds },
      target: 'ORIGIN_TOPIC',
      idempotencyKey: newKey(),
    })
    expect(view).toMatchObject({ status: 'DONE', total: 3, sent: 1, skipped: 2, failed: 0 })
    const byId = new Map(results.items.map((r) => [r.msgId, r]))
    expect(byId.get(sentId)).toMatchObject({
      status: 'SKIPPED',
      newMsgId: copy!.status === 'SENT' && copy!.newMsgId,
    })
    expect(byId.get(sentId)!.reason).toContain('found by its UNIQ_KEY after a restart')
    expect(byId.get(unsentId)).toMatchObject({ status: 'SENT', topic })
    expect(byId.get(blindId)).toMatchObject({ status: 'SKIPPED' })
    expect(byId.get(blindId)!.reason).toMatch(/^outcome unknown/)
    expect(await f.messageCount(topic)).toBe(before + 2)
    // What was learnt is recorded: another batch skips both as resent, and still cannot tell the third.
    const again = await resendAndWait({
      cluster: f.cluster,
      group,
      selection: { msgIds: dlqMsgIds },
      target: 'ORIGIN_TOPIC',
      idempotencyKey: newKey(),
    })
    expect(again.view).toMatchObject({ sent: 0, skipped: 3 })
    expect(again.results.items.filter((r) => r.reason?.startsWith('already resent at')).length).toBe(2)
    expect(await f.messageCount(topic)).toBe(before + 2)
  })
})
