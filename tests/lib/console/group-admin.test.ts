// lib/console/group-admin.ts against a real engine and a real SQLite file: create / update / delete a consumer
// group's config through runMutation (audit rows, a repeated key acting once, role and read-only refusals,
// field errors) and the delete impact (topics with lag, online members, the %RETRY% / %DLQ% topics that go).
import { describe, expect, it } from 'vitest'
import {
  createGroup,
  deleteGroup,
  groupDeleteImpact,
  updateGroup,
  type CreateGroupInput,
} from '@/lib/console/group-admin'
import { ADMIN, newKey, OPERATOR, rejection, adminFixtureFor, VIEWER } from './admin-fixture'

const f = adminFixtureFor('group-admin')

function createInput(group: string, extra: Partial<CreateGroupInput> = {}): CreateGroupInput {
  return {
    idempotencyKey: newKey('create'),
    group,
    retryMaxTimes: 5,
    retryQueueNums: 1,
    consumeEnable: true,
    consumeBroadcastEnable: false,
    consumeMessageOrderly: false,
    ...extra,
  }
}

async function configOf(group: string) {
  return (await f.ctx.gateway.getConsumerGroup(group)).data.config
}

describe('consumer group admin', () => {
  it('creates a group (SUCCEEDED row) and a repeated key replays instead of creating twice', async () => {
    const input = createInput('adm-billing', { consumeMessageOrderly: true })
    const result = await createGroup(ADMIN, f.ctx, input)
    expect(result.outcome.data.brokerNames).toEqual(['broker-a'])
    expect(await configOf('adm-billing')).toMatchObject({
      retryMaxTimes: 5,
      retryQueueNums: 1,
      consumeEnable: true,
      consumeMessageOrderly: true,
      consumeBroadcastEnable: false,
    })
    const again = await createGroup(ADMIN, f.ctx, input)
    expect(again).toMatchObject({ replayed: true, outcome: result.outcome })
    const rows = await f.auditRows(input.idempotencyKey)
    expect(rows.map((r) => [r.action, r.targetId, r.result, r.replayed])).toEqual([
      ['group.create', 'adm-billing', 'SUCCEEDED', false],
      ['group.create', 'adm-billing', 'SUCCEEDED', true],
    ])
  })

  it('refuses to create an existing group with a new key (FAILED, CONFLICT)', async () => {
    await createGroup(ADMIN, f.ctx, createInput('adm-dup'))
    const input = createInput('adm-dup', { retryMaxTimes: 9 })
    expect((await rejection(createGroup(ADMIN, f.ctx, input))).code).toBe('CONFLICT')
    expect((await configOf('adm-dup'))?.retryMaxTimes).toBe(5)
    expect((await f.auditRows(input.idempotencyKey))[0]).toMatchObject({
      result: 'FAILED',
      errorCode: 'CONFLICT',
    })
  })

  it('updates retry policy, consumeEnable, broadcast and orderly', async () => {
    await createGroup(ADMIN, f.ctx, createInput('adm-edit'))
    const key = newKey('update')
    await updateGroup(ADMIN, f.ctx, {
      idempotencyKey: key,
      group: 'adm-edit',
      retryMaxTimes: 2,
      retryQueueNums: 2,
      consumeEnable: false,
      consumeBroadcastEnable: true,
      consumeMessageOrderly: true,
    })
    expect(await configOf('adm-edit')).toMatchObject({
      retryMaxTimes: 2,
      retryQueueNums: 2,
      consumeEnable: false,
      consumeBroadcastEnable: true,
      consumeMessageOrderly: true,
    })
    expect((await f.auditRows(key))[0]).toMatchObject({ action: 'group.update', result: 'SUCCEEDED' })
    const ghost = await rejection(
      updateGroup(ADMIN, f.ctx, { ...createInput('adm-ghost'), idempotencyKey: newKey('update') }),
    )
    expect(ghost.code).toBe('NOT_FOUND')
    expect(await configOf('adm-ghost')).toBeUndefined()
  })

  it('refuses viewers and operators (FORBIDDEN) and read-only clusters', async () => {
    for (const actor of [VIEWER, OPERATOR]) {
      const input = createInput(`adm-${actor.role}`)
      expect((await rejection(createGroup(actor, f.ctx, input))).code).toBe('FORBIDDEN')
      expect(await configOf(`adm-${actor.role}`)).toBeUndefined()
      expect((await f.auditRows(input.idempotencyKey))[0]).toMatchObject({
        result: 'FAILED',
        errorCode: 'FORBIDDEN',
      })
    }
    const ro = await rejection(createGroup(ADMIN, f.readOnly, createInput('adm-ro')))
    expect(ro).toMatchObject({ code: 'FORBIDDEN' })
    expect(await configOf('adm-ro')).toBeUndefined()
  })

  it('reports invalid input as field errors', async () => {
    const err = await rejection(
      createGroup(
        ADMIN,
        f.ctx,
        createInput('bad group!', { retryMaxTimes: 99, consumeEnable: 'yes' as never }),
      ),
    )
    expect(err.code).toBe('VALIDATION_FAILED')
    expect(Object.keys(err.fieldErrors ?? {}).sort()).toEqual(['consumeEnable', 'group', 'retryMaxTimes'])
    expect(err.fieldErrors?.retryMaxTimes).toEqual(['max retries is at most 64'])
  })

  it('previews a delete (topics with lag, online members, %RETRY% and %DLQ%), then deletes all of it', async () => {
    const group = 'adm-doomed'
    const topic = 'adm-doomed-orders'
    await f.ctx.gateway.createOrUpdateTopic({ topic, readQueueNums: 2, writeQueueNums: 2, perm: 6 })
    await createGroup(ADMIN, f.ctx, createInput(group))
    const first = await f.ctx.gateway.sendMessage({ topic, body: 'first' })
    expect(await f.harness.consume!({ topic, group })).toBe(1)
    for (let i = 0; i < 2; i++) await f.ctx.gateway.sendMessage({ topic, body: `late ${i}` })
    // A dead letter gives the group a %DLQ% topic (and the send-back its %RETRY% topic).
    await f.harness.deadLetter!({ group, topic, msgId: first.msgId })
    const member = await f.harness.online!({ group, topic, producerGroup: 'adm-doomed-producer' })

    let impact
    try {
      impact = await groupDeleteImpact(f.ctx, { group })
    } finally {
      await member.close()
    }
    expect(impact).toMatchObject({
      group,
      exists: true,
      system: false,
      brokerNames: ['broker-a'],
      online: true,
      dlqTopic: { topic: `%DLQ%${group}`, exists: true, messageCount: 1 },
      retryTopic: { topic: `%RETRY%${group}` },
    })
    expect(impact.memberClientIds).toHaveLength(1)
    expect(impact.topics.find((t) => t.topic === topic)).toMatchObject({ lag: 2, consumerOffset: 1 })
    expect(impact.totalLag).toBeGreaterThanOrEqual(2)

    const wrong = await rejection(
      deleteGroup(ADMIN, f.ctx, { idempotencyKey: newKey('delete'), group, confirm: 'nope' }),
    )
    expect(wrong.fieldErrors).toEqual({ confirm: [`type ${group} to confirm`] })

    const key = newKey('delete')
    await deleteGroup(ADMIN, f.ctx, {
      idempotencyKey: key,
      group,
      confirm: group,
      removeOffsets: true,
      deleteRetryAndDlqTopics: true,
    })
    expect(await configOf(group)).toBeUndefined()
    expect((await f.ctx.gateway.getTopicConfig(`%DLQ%${group}`)).data).toBeUndefined()
    expect((await f.ctx.gateway.getTopicConfig(`%RETRY%${group}`)).data).toBeUndefined()
    // removeOffsets: the committed offsets are gone (stats still list the topic's queues, at offset 0).
    const stats = (await f.ctx.gateway.getConsumeStats(group, topic)).data.queues
    expect(stats.map((q) => q.consumerOffset)).toEqual(stats.map(() => 0))
    const [row] = await f.auditRows(key)
    expect(row).toMatchObject({ action: 'group.delete', result: 'SUCCEEDED' })
    expect(JSON.parse(row!.requestJson)).toEqual({
      group,
      removeOffsets: true,
      deleteRetryAndDlqTopics: true,
    })
  })

  it('an operator cannot delete a group', async () => {
    await createGroup(ADMIN, f.ctx, createInput('adm-stays'))
    const err = await rejection(
      deleteGroup(OPERATOR, f.ctx, {
        idempotencyKey: newKey('delete'),
        group: 'adm-stays',
        confirm: 'adm-stays',
      }),
    )
    expect(err.code).toBe('FORBIDDEN')
    expect(await configOf('adm-stays')).toBeDefined()
  })
})
