// lib/console/send-message.ts against a real engine and a real SQLite file: a test message with tag, keys, user
// properties and a delay level lands on the topic and is found by key; the audit row holds the body's size and
// SHA-256, never the body; a repeated key sends once; viewers and read-only clusters are refused; bad input
// comes back as field errors (a property row, a reserved name, a bad base64 body).
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MessageView } from '@/lib/cluster/gateway'
import type { AppError } from '@/lib/errors'
import { sendTestMessage, type SendTestMessageInput } from '@/lib/console/send-message'
import { ADMIN, newKey, OPERATOR, startAdminFixture, VIEWER, type AdminFixture } from './admin-fixture'

const TOPIC = 'adm-send'
let f: AdminFixture

beforeAll(async () => {
  f = await startAdminFixture('send-message')
  await f.ctx.gateway.createOrUpdateTopic({ topic: TOPIC, readQueueNums: 2, writeQueueNums: 2, perm: 6 })
})

afterAll(() => f?.close())

function input(extra: Partial<SendTestMessageInput> = {}): SendTestMessageInput {
  return { idempotencyKey: newKey('send'), topic: TOPIC, body: 'hello', ...extra }
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise
  } catch (err) {
    return err as AppError
  }
  throw new Error('expected a rejection')
}

/** Polls the topic's key index until `key` has `count` messages (a delayed message arrives after its delay). */
async function byKey(key: string, count = 1, timeoutMs = 15_000): Promise<readonly MessageView[]> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = (await f.ctx.gateway.queryMessagesByKey({ topic: TOPIC, key })).data
    if (found.length >= count || Date.now() > deadline) return found
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

async function messageCount(): Promise<number> {
  return (await f.ctx.gateway.getTopicStats(TOPIC)).data?.messageCount ?? 0
}

describe('send a test message', () => {
  it('sends tag, keys, properties and a delay level; the message lands late and is found by key', async () => {
    const body = 'order 42 shipped'
    const sendInput = input({
      body,
      tag: 'TagA',
      keys: ['adm-key-1', ' adm-key-2 ', ''],
      properties: [
        { name: 'source', value: 'console' },
        { name: 'trace', value: 'abc=1' },
      ],
      delayLevel: 1,
    })
    const result = await sendTestMessage(OPERATOR, f.ctx, sendInput)
    expect(result.replayed).toBe(false)
    expect(result.outcome).toMatchObject({ status: 'SEND_OK', topic: TOPIC })

    const [found] = await byKey('adm-key-2')
    expect(found).toMatchObject({ topic: TOPIC, tags: 'TagA', keys: ['adm-key-1', 'adm-key-2'] })
    expect(found?.properties).toMatchObject({ source: 'console', trace: 'abc=1' })
    // Delay level 1 is 1 s: the broker held it in SCHEDULE_TOPIC_XXXX before putting it on the topic.
    expect(found!.storeTimestampMs - found!.bornTimestampMs).toBeGreaterThanOrEqual(900)
    expect(Buffer.from(found!.bodyBase64, 'base64').toString('utf8')).toBe(body)
    expect(found?.uniqKey).toBe(result.outcome.uniqKey)

    const [row] = await f.auditRows(sendInput.idempotencyKey)
    expect(row).toMatchObject({ actor: 'otto', action: 'message.send', targetId: TOPIC, result: 'SUCCEEDED' })
    expect(row!.requestJson).not.toContain(body)
    expect(row!.requestJson).not.toContain('console')
    expect(JSON.parse(row!.requestJson)).toMatchObject({
      topic: TOPIC,
      tag: 'TagA',
      keys: ['adm-key-1', 'adm-key-2'],
      propertyNames: ['source', 'trace'],
      delayLevel: 1,
      bodyBytes: Buffer.byteLength(body),
      bodySha256: createHash('sha256').update(body).digest('hex'),
    })
    expect(JSON.parse(row!.resultJson!)).toMatchObject({ status: 'SEND_OK', msgId: result.outcome.msgId })
  })

  it('sends a base64 body as its bytes', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255])
    await sendTestMessage(
      ADMIN,
      f.ctx,
      input({ body: bytes.toString('base64'), bodyEncoding: 'base64', keys: ['adm-b64'] }),
    )
    const [found] = await byKey('adm-b64')
    expect(Buffer.from(found!.bodyBase64, 'base64')).toEqual(bytes)
  })

  it('a repeated key sends once and returns the same message id', async () => {
    const sendInput = input({ keys: ['adm-once'] })
    const first = await sendTestMessage(OPERATOR, f.ctx, sendInput)
    const before = await messageCount()
    const again = await sendTestMessage(OPERATOR, f.ctx, sendInput)
    expect(again).toMatchObject({ replayed: true, outcome: first.outcome })
    expect(await messageCount()).toBe(before)
    expect(await byKey('adm-once')).toHaveLength(1)
    // The same key with a different body is another request: refused, nothing sent.
    const changed = await rejection(sendTestMessage(OPERATOR, f.ctx, { ...sendInput, body: 'other' }))
    expect(changed.code).toBe('CONFLICT')
    expect(await messageCount()).toBe(before)
  })

  it('refuses a viewer and a read-only cluster; nothing is sent', async () => {
    const before = await messageCount()
    const viewerInput = input()
    expect((await rejection(sendTestMessage(VIEWER, f.ctx, viewerInput))).code).toBe('FORBIDDEN')
    expect((await f.auditRows(viewerInput.idempotencyKey))[0]).toMatchObject({
      result: 'FAILED',
      errorCode: 'FORBIDDEN',
    })
    expect((await rejection(sendTestMessage(ADMIN, f.readOnly, input()))).code).toBe('FORBIDDEN')
    expect(await messageCount()).toBe(before)
  })

  it('a topic that does not exist fails the send (FAILED row)', async () => {
    const sendInput = input({ topic: 'adm-no-such-topic' })
    const err = await rejection(sendTestMessage(OPERATOR, f.ctx, sendInput))
    expect(err.code).not.toBe('INTERNAL')
    expect((await f.auditRows(sendInput.idempotencyKey))[0]).toMatchObject({
      result: 'FAILED',
      errorCode: err.code,
    })
  })

  it('reports bad input as field errors next to the fields', async () => {
    const err = await rejection(
      sendTestMessage(
        OPERATOR,
        f.ctx,
        input({
          delayLevel: 19,
          properties: [
            { name: 'ok', value: '1' },
            { name: 'KEYS', value: 'x' },
            { name: 'ok', value: '2' },
            { name: ' ', value: '3' },
          ],
        }),
      ),
    )
    expect(err.code).toBe('VALIDATION_FAILED')
    expect(Object.keys(err.fieldErrors ?? {}).sort()).toEqual([
      'delayLevel',
      'properties.1.name',
      'properties.2.name',
      'properties.3.name',
    ])
    expect(err.fieldErrors?.['properties.1.name']).toEqual(['RocketMQ reserves this name'])

    const body = await rejection(
      sendTestMessage(OPERATOR, f.ctx, input({ body: 'not base64!', bodyEncoding: 'base64' })),
    )
    expect(body.fieldErrors).toEqual({ body: ['the body is not base64'] })
    const key = await rejection(sendTestMessage(OPERATOR, f.ctx, input({ keys: ['two words'] })))
    expect(Object.keys(key.fieldErrors ?? {})).toEqual(['keys.0'])
  })
})
