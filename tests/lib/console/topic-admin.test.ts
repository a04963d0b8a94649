// lib/console/topic-admin.ts against a real engine (reached over remoting through a registered cluster
// connection) and a real SQLite file: create / update / delete through runMutation with SUCCEEDED and FAILED
// audit rows, a repeated key acting once, role and read-only refusals, field errors, and the delete impact
// (the subscribed group with its lag, the messages held).
import { describe, expect, it } from 'vitest'
import {
  createTopic,
  deleteTopic,
  topicDeleteImpact,
  updateTopic,
  type CreateTopicInput,
} from '@/lib/console/topic-admin'
import { listTopicPage, parseTopicListParams } from '@/lib/console/topics'
import { ADMIN, newKey, OPERATOR, rejection, adminFixtureFor, VIEWER } from './admin-fixture'

const f = adminFixtureFor('topic-admin')

function createInput(topic: string, extra: Partial<CreateTopicInput> = {}): CreateTopicInput {
  return {
    idempotencyKey: newKey('create'),
    topic,
    readQueueNums: 3,
    writeQueueNums: 3,
    perm: 'RW',
    messageType: 'DELAY',
    ...extra,
  }
}

async function configOf(topic: string) {
  return (await f.ctx.gateway.getTopicConfig(topic)).data
}

describe('topic admin', () => {
  it('creates a topic with an audited SUCCEEDED row, and the cached list shows it at once', async () => {
    // Warm the list snapshot first: the create must drop it.
    const before = await listTopicPage(f.ctx, parseTopicListParams({ q: 'adm-orders' }))
    expect(before.rows).toEqual([])

    const input = createInput('adm-orders')
    const result = await createTopic(ADMIN, f.ctx, input)
    expect(result.replayed).toBe(false)
    expect(result.outcome.data.brokerNames).toEqual(['broker-a'])

    const config = await configOf('adm-orders')
    expect(config).toMatchObject({ readQueueNums: 3, writeQueueNums: 3, messageType: 'DELAY' })
    expect(config?.brokers[0]?.perm).toBe(6)

    const after = await listTopicPage(f.ctx, parseTopicListParams({ q: 'adm-orders' }))
    expect(after.rows.map((r) => r.topic)).toEqual(['adm-orders'])

    const rows = await f.auditRows(input.idempotencyKey)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      id: result.auditId,
      actor: 'ada',
      action: 'topic.create',
      targetType: 'topic',
      targetId: 'adm-orders',
      cluster: f.ctx.cluster,
      result: 'SUCCEEDED',
      replayed: false,
    })
    expect(JSON.parse(rows[0]!.requestJson)).toMatchObject({ topic: 'adm-orders', perm: 6, readQueueNums: 3 })
    expect(JSON.parse(rows[0]!.resultJson!)).toEqual({ brokerNames: ['broker-a'] })
  })

  it('replays a repeated key instead of creating twice (a second run would have been CONFLICT)', async () => {
    const input = createInput('adm-replay')
    const first = await createTopic(ADMIN, f.ctx, input)
    const again = await createTopic(ADMIN, f.ctx, input)
    expect(again.replayed).toBe(true)
    expect(again.outcome).toEqual(first.outcome)
    const rows = await f.auditRows(input.idempotencyKey)
    expect(rows.map((r) => [r.result, r.replayed])).toEqual([
      ['SUCCEEDED', false],
      ['SUCCEEDED', true],
    ])
  })

  it('refuses to create a topic that exists (FAILED row with CONFLICT)', async () => {
    await createTopic(ADMIN, f.ctx, createInput('adm-twice'))
    const input = createInput('adm-twice', { readQueueNums: 8, writeQueueNums: 8 })
    const err = await rejection(createTopic(ADMIN, f.ctx, input))
    expect(err).toMatchObject({ code: 'CONFLICT' })
    expect((await configOf('adm-twice'))?.readQueueNums).toBe(3)
    const [row] = await f.auditRows(input.idempotencyKey)
    expect(row).toMatchObject({ result: 'FAILED', errorCode: 'CONFLICT' })
  })

  it('updates queues, perm and message type on the brokers holding the topic', async () => {
    await createTopic(ADMIN, f.ctx, createInput('adm-update', { messageType: 'NORMAL' }))
    const key = newKey('update')
    const result = await updateTopic(ADMIN, f.ctx, {
      idempotencyKey: key,
      topic: 'adm-update',
      readQueueNums: 5,
      writeQueueNums: 4,
      perm: 'R',
      messageType: 'FIFO',
    })
    expect(result.outcome.data.brokerNames).toEqual(['broker-a'])
    const config = await configOf('adm-update')
    expect(config).toMatchObject({ readQueueNums: 5, writeQueueNums: 4, messageType: 'FIFO' })
    expect(config?.brokers[0]).toMatchObject({ perm: 4, order: true })
    expect((await f.auditRows(key))[0]).toMatchObject({ action: 'topic.update', result: 'SUCCEEDED' })
  })

  it('refuses to update a topic that does not exist (FAILED, NOT_FOUND) and creates nothing', async () => {
    const key = newKey('update')
    const err = await rejection(
      updateTopic(ADMIN, f.ctx, {
        idempotencyKey: key,
        topic: 'adm-ghost',
        readQueueNums: 2,
        writeQueueNums: 2,
        perm: 'RW',
        messageType: 'NORMAL',
      }),
    )
    expect(err.code).toBe('NOT_FOUND')
    expect(await configOf('adm-ghost')).toBeUndefined()
    expect((await f.auditRows(key))[0]).toMatchObject({ result: 'FAILED', errorCode: 'NOT_FOUND' })
  })

  it('refuses a viewer (FORBIDDEN) and audits the attempt; nothing is created', async () => {
    const input = createInput('adm-viewer')
    const err = await rejection(createTopic(VIEWER, f.ctx, input))
    expect(err.code).toBe('FORBIDDEN')
    expect(await configOf('adm-viewer')).toBeUndefined()
    expect((await f.auditRows(input.idempotencyKey))[0]).toMatchObject({
      actor: 'vera',
      result: 'FAILED',
      errorCode: 'FORBIDDEN',
    })
  })

  it('refuses an operator a topic delete; the topic stays', async () => {
    await createTopic(ADMIN, f.ctx, createInput('adm-keep'))
    const err = await rejection(
      deleteTopic(OPERATOR, f.ctx, {
        idempotencyKey: newKey('delete'),
        topic: 'adm-keep',
        confirm: 'adm-keep',
      }),
    )
    expect(err.code).toBe('FORBIDDEN')
    expect(await configOf('adm-keep')).toBeDefined()
  })

  it('refuses every mutation on a read-only cluster', async () => {
    const err = await rejection(createTopic(ADMIN, f.readOnly, createInput('adm-readonly')))
    expect(err).toMatchObject({ code: 'FORBIDDEN' })
    expect(err.message).toMatch(/read-only/)
    expect(await configOf('adm-readonly')).toBeUndefined()
    await createTopic(ADMIN, f.ctx, createInput('adm-ro-delete'))
    const del = await rejection(
      deleteTopic(ADMIN, f.readOnly, {
        idempotencyKey: newKey('delete'),
        topic: 'adm-ro-delete',
        confirm: 'adm-ro-delete',
      }),
    )
    expect(del.code).toBe('FORBIDDEN')
    expect(await configOf('adm-ro-delete')).toBeDefined()
  })

  it('reports invalid input as field errors, before anything runs or is audited', async () => {
    const input = createInput('bad name!', { readQueueNums: 0, perm: 'X' as never })
    const err = await rejection(createTopic(ADMIN, f.ctx, input))
    expect(err.code).toBe('VALIDATION_FAILED')
    expect(Object.keys(err.fieldErrors ?? {}).sort()).toEqual(['perm', 'readQueueNums', 'topic'])
    expect(await f.auditRows(input.idempotencyKey)).toEqual([])

    const nan = await rejection(
      createTopic(ADMIN, f.ctx, createInput('adm-nan', { writeQueueNums: Number.NaN })),
    )
    expect(nan.fieldErrors?.writeQueueNums).toEqual(['write queues is a whole number'])

    await createTopic(ADMIN, f.ctx, createInput('adm-confirm'))
    const wrong = await rejection(
      deleteTopic(ADMIN, f.ctx, {
        idempotencyKey: newKey('delete'),
        topic: 'adm-confirm',
        confirm: 'adm-confirn',
      }),
    )
    expect(wrong.fieldErrors).toEqual({ confirm: ['type adm-confirm to confirm'] })
    expect(await configOf('adm-confirm')).toBeDefined()
  })

  it('previews a delete (subscribed group with its lag, messages held), then deletes with the typed name', async () => {
    const topic = 'adm-doomed'
    const group = 'adm-doomed-billing'
    await createTopic(ADMIN, f.ctx, createInput(topic, { readQueueNums: 2, writeQueueNums: 2 }))
    await f.ctx.gateway.createOrUpdateConsumerGroup({ group })
    for (let i = 0; i < 2; i++) await f.ctx.gateway.sendMessage({ topic, body: `early ${i}` })
    expect(await f.harness.consume!({ topic, group })).toBe(2)
    for (let i = 0; i < 3; i++) await f.ctx.gateway.sendMessage({ topic, body: `late ${i}` })

    const impact = await topicDeleteImpact(f.ctx, { topic })
    expect(impact).toMatchObject({
      topic,
      exists: true,
      kind: 'NORMAL',
      brokerNames: ['broker-a'],
      totalLag: 3,
      messageCount: 5,
      // No metrics history in this database yet.
      putTps: undefined,
      partial: false,
    })
    expect(impact.consumers.map((c) => [c.group, c.lag])).toEqual([[group, 3]])

    const key = newKey('delete')
    const result = await deleteTopic(ADMIN, f.ctx, { idempotencyKey: key, topic, confirm: ` ${topic} ` })
    expect(result.outcome.data.brokerNames).toEqual(['broker-a'])
    expect(await configOf(topic)).toBeUndefined()
    expect(await f.ctx.gateway.getTopicRoute(topic)).toBeUndefined()
    expect((await f.auditRows(key))[0]).toMatchObject({ action: 'topic.delete', result: 'SUCCEEDED' })

    const gone = await topicDeleteImpact(f.ctx, { topic })
    expect(gone).toMatchObject({ exists: false, consumers: [] })
    const again = await rejection(
      deleteTopic(ADMIN, f.ctx, { idempotencyKey: newKey('delete'), topic, confirm: topic }),
    )
    expect(again.code).toBe('NOT_FOUND')
  })

  it("refuses to delete RocketMQ's own topics", async () => {
    const err = await rejection(
      deleteTopic(ADMIN, f.ctx, { idempotencyKey: newKey('delete'), topic: 'TBW102', confirm: 'TBW102' }),
    )
    expect(err.code).toBe('VALIDATION_FAILED')
    expect(await configOf('TBW102')).toBeDefined()
  })
})
