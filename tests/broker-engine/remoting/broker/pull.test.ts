import { describe, expect, it } from 'vitest'
import { REQUEST_CODE, RESPONSE_CODE } from '../../../../broker-engine/remoting/remoting-codes'
import { findProperty } from '../../../../broker-engine/store/message-properties'
import { MESSAGE_MAGIC_CODE_V1 } from '../../../../broker-engine/store/message-constants'
import {
  consumerHeartbeat,
  decodeRecords,
  ext,
  fixtureRequest,
  pullRequest,
  rawExchange,
  request,
  sendOk,
  startHarness,
  type Harness,
} from './broker-test-kit'

/** One message per tag, bodies m0, m1, … */
async function sendAll(h: Harness, topic: string, queueId: number, tags: string[]): Promise<void> {
  for (const [i, tag] of tags.entries()) await sendOk(h, topic, queueId, `m${i}`, `TAGS\u0001${tag}`)
}

/** Answered by the server only after every earlier request on the default connection was handled. */
function barrier(h: Harness) {
  return h.invoke(request(REQUEST_CODE.GET_MIN_OFFSET, { topic: 'Barrier', queueId: '0' }))
}

describe('PULL_MESSAGE', () => {
  it('answers FOUND with the records exactly as stored, V1 magic and IPv4 hosts, and the four offsets', async () => {
    const h = await startHarness()
    await sendAll(h, 'PullTopic', 0, ['TagA', 'TagB', 'TagC'])
    const res = await h.invoke(pullRequest('cg', 'PullTopic', 0, 0))
    expect(res.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(res.remark).toBe('FOUND')
    expect(ext(res)).toEqual({
      suggestWhichBrokerId: '0',
      nextBeginOffset: '3',
      maxOffset: '3',
      minOffset: '0',
    })
    const records = decodeRecords(res.body)
    expect(records.map((m) => m.body.toString())).toEqual(['m0', 'm1', 'm2'])
    for (const m of records) {
      expect(m.magicCode).toBe(MESSAGE_MAGIC_CODE_V1)
      expect(m.sysFlag & 0x30).toBe(0)
      expect(m.bornHost.address.length).toBe(4)
      expect(m.topic).toBe('PullTopic')
    }
    const first = h.broker.store.readRecord(records[0]!.commitLogOffset)!
    expect(res.body!.subarray(0, first.length).equals(first)).toBe(true)
  })

  it('serves the captured ali-ons pull frame (JSON numbers, sysFlag 6)', async () => {
    const h = await startHarness()
    expect((await rawExchange(h.addr, '228-ali-ons-smoke-SEND_MESSAGE_V2')).code).toBe(RESPONSE_CODE.SUCCESS)
    const res = await rawExchange(h.addr, '233-ali-ons-smoke-PULL_MESSAGE-suspend_subscription')
    expect(res.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(ext(res)).toMatchObject({ nextBeginOffset: '1', maxOffset: '1', minOffset: '0' })
    expect(decodeRecords(res.body).map((m) => findProperty(m.propertiesString, 'KEYS'))).toEqual([
      'smoke-mwzrarbd17898-0',
    ])
  })

  it('uses the heartbeat subscription when the SUBSCRIPTION bit is clear (Java push consumer), else answers 24', async () => {
    const h = await startHarness()
    await sendAll(h, 'TopicTest', 3, ['TagA', 'TagB'])
    const javaPull = (group: string) =>
      fixtureRequest('073-java-quickstart-consumer-PULL_MESSAGE-suspend', { ext: { consumerGroup: group } })
    const missing = await h.invoke(javaPull('no_heartbeat_cg'))
    expect(missing.code).toBe(RESPONSE_CODE.SUBSCRIPTION_NOT_EXIST)
    expect(missing.remark).toContain('TopicTest')

    const hb = await h.invoke(
      request(
        REQUEST_CODE.HEART_BEAT,
        {},
        consumerHeartbeat('10.0.0.9@1#1', 'push_cg', { TopicTest: 'TagB' }),
      ),
    )
    expect(hb.code).toBe(RESPONSE_CODE.SUCCESS)
    const res = await h.invoke(javaPull('push_cg'))
    expect(res.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(decodeRecords(res.body).map((m) => m.body.toString())).toEqual(['m1'])
    expect(ext(res).nextBeginOffset).toBe('2')
  })

  it('filters by tag: the registered "TagA || TagF" and a request subscription', async () => {
    const h = await startHarness()
    await sendAll(h, 'FixtureTopic', 0, ['TagA', 'TagB', 'TagF', 'TagA', 'TagC'])
    const heartbeat = fixtureRequest('203-java-orderly-consumer-HEART_BEAT')
    expect((await h.invoke(heartbeat)).code).toBe(RESPONSE_CODE.SUCCESS)
    const registered = await h.invoke(
      fixtureRequest('209-java-orderly-consumer-PULL_MESSAGE-suspend'), // sysFlag 2: the heartbeat's subscription
    )
    expect(registered.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(decodeRecords(registered.body).map((m) => m.body.toString())).toEqual(['m0', 'm2', 'm3'])
    expect(ext(registered).nextBeginOffset).toBe('5')

    const tagB = await h.invoke(pullRequest('other_cg', 'FixtureTopic', 0, 0, { subscription: 'TagB' }))
    expect(decodeRecords(tagB.body).map((m) => m.body.toString())).toEqual(['m1'])
    const none = await h.invoke(
      pullRequest('other_cg', 'FixtureTopic', 0, 0, { subscription: 'TagZ', sysFlag: 4 }),
    )
    expect(none.code).toBe(RESPONSE_CODE.PULL_RETRY_IMMEDIATELY)
    expect(none.remark).toBe('NO_MATCHED_MESSAGE')
    expect(ext(none).nextBeginOffset).toBe('5')
  })

  it('holds a pull at the end of the queue and answers it when a message arrives', async () => {
    const h = await startHarness()
    await sendAll(h, 'HoldTopic', 0, ['TagA'])
    const held = h.invoke(pullRequest('cg', 'HoldTopic', 0, 1))
    await barrier(h)
    await sendAll(h, 'HoldTopic', 0, ['TagA'])
    const res = await held
    expect(res.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(ext(res)).toMatchObject({ nextBeginOffset: '2', maxOffset: '2' })
    expect(decodeRecords(res.body).map((m) => m.body.toString())).toEqual(['m0'])
  })

  it('answers a held pull PULL_NOT_FOUND at suspendTimeoutMillis', async () => {
    const h = await startHarness()
    await sendAll(h, 'HoldTopic', 0, ['TagA'])
    const held = h.invoke(pullRequest('cg', 'HoldTopic', 0, 1, { suspendTimeoutMillis: 15000 }))
    await barrier(h)
    h.clock.advance(14_000)
    let answered = false
    void held.then(() => (answered = true))
    await barrier(h)
    expect(answered).toBe(false)
    h.clock.advance(1_500)
    const res = await held
    expect(res.code).toBe(RESPONSE_CODE.PULL_NOT_FOUND)
    expect(res.remark).toBe('OFFSET_OVERFLOW_ONE')
    expect(ext(res)).toEqual({
      suggestWhichBrokerId: '0',
      nextBeginOffset: '1',
      maxOffset: '1',
      minOffset: '0',
    })
  })

  it('answers an empty queue NO_MESSAGE_IN_QUEUE at offset 0 and OFFSET_MOVED elsewhere', async () => {
    const h = await startHarness()
    await sendAll(h, 'MovedTopic', 0, ['TagA', 'TagA', 'TagA'])
    const empty = await h.invoke(
      fixtureRequest('074-java-quickstart-consumer-PULL_MESSAGE-suspend-retry-PULL_NOT_FOUND', {
        ext: { sysFlag: '4', subscription: '*', topic: 'MovedTopic', queueId: '1' },
      }),
    )
    expect(empty.code).toBe(RESPONSE_CODE.PULL_NOT_FOUND)
    expect(empty.remark).toBe('NO_MESSAGE_IN_QUEUE')
    expect(ext(empty)).toMatchObject({ nextBeginOffset: '0', maxOffset: '0', minOffset: '0' })

    const past = await h.invoke(pullRequest('cg', 'MovedTopic', 0, 10))
    expect(past.code).toBe(RESPONSE_CODE.PULL_OFFSET_MOVED)
    expect(past.remark).toBe('OFFSET_OVERFLOW_BADLY')
    // RocketMQ's correction: back to minOffset while the queue still starts at 0, else to maxOffset.
    expect(ext(past)).toMatchObject({ nextBeginOffset: '0', maxOffset: '3' })

    const emptyElsewhere = await h.invoke(pullRequest('cg', 'MovedTopic', 1, 5))
    expect(emptyElsewhere.code).toBe(RESPONSE_CODE.PULL_OFFSET_MOVED)
    expect(ext(emptyElsewhere).nextBeginOffset).toBe('0')
  })

  it('stores the piggybacked offset when COMMIT_OFFSET is set, and not otherwise', async () => {
    const h = await startHarness()
    await sendAll(h, 'CommitTopic', 0, ['TagA', 'TagA', 'TagA'])
    await h.invoke(pullRequest('cg', 'CommitTopic', 0, 0, { sysFlag: 6, commitOffset: 1 }))
    expect(h.broker.offsets.queryOffset('cg', 'CommitTopic', 0)).toBe(-1)
    await h.invoke(pullRequest('cg', 'CommitTopic', 0, 0, { sysFlag: 7, commitOffset: 2 }))
    expect(h.broker.offsets.queryOffset('cg', 'CommitTopic', 0)).toBe(2)
  })

  it('refuses SQL92, unknown topics and out-of-range queues with their codes', async () => {
    const h = await startHarness()
    await sendAll(h, 'ErrTopic', 0, ['TagA'])
    const sql = await h.invoke(
      fixtureRequest('233-ali-ons-smoke-PULL_MESSAGE-suspend_subscription', {
        ext: { topic: 'ErrTopic', expressionType: 'SQL92', subscription: 'a > 1' },
      }),
    )
    expect(sql.code).toBe(RESPONSE_CODE.SUBSCRIPTION_PARSE_FAILED)
    expect(sql.remark).toContain('SQL92')
    expect((await h.invoke(pullRequest('cg', 'NoSuchTopic', 0, 0))).code).toBe(RESPONSE_CODE.TOPIC_NOT_EXIST)
    const queue = await h.invoke(pullRequest('cg', 'ErrTopic', 9, 0))
    expect(queue.code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
    expect(queue.remark).toContain('queueId 9')
    const noOffset = await h.invoke(
      fixtureRequest('233-ali-ons-smoke-PULL_MESSAGE-suspend_subscription', {
        ext: { queueOffset: undefined },
      }),
    )
    expect(noOffset.code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
    expect(noOffset.remark).toContain('queueOffset is missing')
    expect((await h.invoke(pullRequest('cg', 'ErrTopic', 0, 0))).code).toBe(RESPONSE_CODE.SUCCESS)
  })

  it('answers a group name the engine refuses (found after the pull started) like any refusal', async () => {
    const h = await startHarness()
    await sendAll(h, 'ErrTopic', 0, ['TagA'])
    const bad = await h.invoke(pullRequest('a b', 'ErrTopic', 0, 0))
    // The processor's own error answer (empty custom header), not the connection's catch-all and its log line.
    expect([bad.code, bad.extFields]).toEqual([RESPONSE_CODE.SYSTEM_ERROR, {}])
    expect(bad.remark).toMatch(/illegal characters/)
    expect(h.logs.filter((l) => l.includes('failed'))).toEqual([])
  })

  it('a held pull whose connection closes neither throws nor stops the server', async () => {
    const h = await startHarness()
    await sendAll(h, 'HoldTopic', 0, ['TagA'])
    const other = h.client()
    const conn = await h.connection(other)
    const held = h.invoke(pullRequest('cg', 'HoldTopic', 0, 1), other)
    await barrier(h)
    // Wait until the server holds it: a second request on the same connection answers after it was taken.
    await h.invoke(request(REQUEST_CODE.GET_MAX_OFFSET, { topic: 'HoldTopic', queueId: '0' }), other)
    conn.close()
    await expect(held).rejects.toThrow(/closed/)
    await sendAll(h, 'HoldTopic', 0, ['TagA'])
    const third = h.client()
    const late = h.invoke(pullRequest('cg', 'HoldTopic', 0, 2, { suspendTimeoutMillis: 5000 }), third)
    await h.invoke(request(REQUEST_CODE.GET_MAX_OFFSET, { topic: 'HoldTopic', queueId: '0' }), third)
    h.clock.advance(60_000)
    expect((await late).code).toBe(RESPONSE_CODE.PULL_NOT_FOUND)
    expect((await h.invoke(pullRequest('cg', 'HoldTopic', 0, 1))).code).toBe(RESPONSE_CODE.SUCCESS)
    expect(h.logs.filter((l) => /failed|Error/.test(l))).toEqual([])
  })
})
