import { describe, expect, it } from 'vitest'
import { REQUEST_CODE, RESPONSE_CODE } from '../../../../broker-engine/remoting/remoting-codes'
import { findProperty } from '../../../../broker-engine/store/message-properties'
import { SCHEDULE_TOPIC } from '../../../../broker-engine/store/message-constants'
import {
  decodeRecords,
  ext,
  fixtureRequest,
  pullRequest,
  rawExchange,
  request,
  sendOk,
  startHarness,
} from './broker-test-kit'

describe('consumer offsets', () => {
  it('answers a new group offset 0 (quirk 19), 22 when asked not to, and the stored offset after updates', async () => {
    const h = await startHarness()
    await sendOk(h, 'TopicTest', 3, 'x')
    const query = (extra: Record<string, string> = {}) =>
      h.invoke(fixtureRequest('072-java-quickstart-consumer-QUERY_CONSUMER_OFFSET', { ext: extra }))
    const fresh = await query()
    expect(fresh.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(fresh.extFields).toEqual({ offset: '0' })
    const strict = await query({ setZeroIfNotFound: 'false' })
    expect(strict.code).toBe(RESPONSE_CODE.QUERY_NOT_FOUND)
    expect(strict.remark).toContain('please_rename_unique_group_name_4')

    // Java push consumers update oneway; the next answer on the connection proves it was handled.
    const update = fixtureRequest('211-java-orderly-consumer-UPDATE_CONSUMER_OFFSET-oneway', {
      ext: { topic: 'TopicTest', queueId: '3', consumerGroup: 'please_rename_unique_group_name_4' },
    })
    ;(await h.connection()).invokeOneway(update)
    expect((await query()).extFields).toEqual({ offset: '14' })

    // ali-ons updates two-way, with JSON numbers on the wire.
    const aliOns = await rawExchange(h.addr, '235-ali-ons-smoke-UPDATE_CONSUMER_OFFSET')
    expect(aliOns.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(aliOns.extFields).toEqual({})
    expect(h.broker.offsets.queryOffset('CID_smoke_mwzrarbd17898', 'AliOnsSmoke_mwzrarbd17898', 0)).toBe(3)
  })

  it('rejects malformed offset requests with a remark', async () => {
    const h = await startHarness()
    const bad = await h.invoke(
      fixtureRequest('072-java-quickstart-consumer-QUERY_CONSUMER_OFFSET', { ext: { queueId: 'x' } }),
    )
    expect(bad.code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
    expect(bad.remark).toContain('queueId')
    const badGroup = await h.invoke(
      fixtureRequest('072-java-quickstart-consumer-QUERY_CONSUMER_OFFSET', { ext: { consumerGroup: 'a b' } }),
    )
    expect(badGroup.code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
    const negative = await h.invoke(
      fixtureRequest('138-mqadmin-resetOffsetByTime-offline-UPDATE_CONSUMER_OFFSET', {
        ext: { commitOffset: '-5' },
      }),
    )
    expect(negative.code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
  })
})

describe('queue offsets and times', () => {
  it('answers max, min, earliest store time and offsets by timestamp', async () => {
    const h = await startHarness()
    const t0 = h.clock.nowMs()
    await sendOk(h, 'FixtureTopic', 0, 'a')
    h.clock.advance(1000)
    await sendOk(h, 'FixtureTopic', 0, 'b')
    h.clock.advance(1000)
    await sendOk(h, 'FixtureTopic', 0, 'c')
    const max = await h.invoke(fixtureRequest('149-mqadmin-printMsgByQueue-GET_MAX_OFFSET'))
    expect(max.extFields).toEqual({ offset: '3' })
    const min = await h.invoke(fixtureRequest('148-mqadmin-printMsgByQueue-GET_MIN_OFFSET'))
    expect(min.extFields).toEqual({ offset: '0' })
    const earliest = await h.invoke(
      request(REQUEST_CODE.GET_EARLIEST_MSG_STORETIME, { topic: 'FixtureTopic', queueId: '0' }),
    )
    expect(earliest.extFields).toEqual({ timestamp: String(t0) })
    const search = (timestamp: number, boundaryType?: string) =>
      h.invoke(
        fixtureRequest('137-mqadmin-resetOffsetByTime-offline-SEARCH_OFFSET_BY_TIMESTAMP', {
          ext: { topic: 'FixtureTopic', queueId: '0', timestamp: String(timestamp), boundaryType },
        }),
      )
    expect((await search(t0 + 500)).extFields).toEqual({ offset: '1' })
    expect((await search(t0 + 1000)).extFields).toEqual({ offset: '1' })
    expect((await search(t0 + 1500, 'upper')).extFields).toEqual({ offset: '1' })
    expect((await search(t0 - 1)).extFields).toEqual({ offset: '0' })
    const emptyQueue = await h.invoke(
      request(REQUEST_CODE.GET_MAX_OFFSET, { topic: 'FixtureTopic', queueId: '2' }),
    )
    expect(emptyQueue.extFields).toEqual({ offset: '0' })
  })
})

describe('QUERY_MESSAGE and VIEW_MESSAGE_BY_ID', () => {
  it('finds messages by key and by UNIQ_KEY, and answers 22 when there are none', async () => {
    const h = await startHarness()
    const { message } = await sendOk(
      h,
      'FixtureTopic',
      1,
      'keyed',
      'KEYS\u0001fixture-key-7 other\u0002TAGS\u0001TagA',
    )
    await sendOk(h, 'FixtureTopic', 1, 'unrelated', 'KEYS\u0001fixture-key-8')
    const byKey = await h.invoke(fixtureRequest('126-mqadmin-queryMsgByKey-QUERY_MESSAGE'))
    expect(byKey.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(ext(byKey)).toEqual({
      indexLastUpdatePhyoffset: String(message.commitLogOffset),
      indexLastUpdateTimestamp: String(message.storeTimestampMs),
    })
    expect(decodeRecords(byKey.body).map((m) => m.body.toString())).toEqual(['keyed'])

    const uniqKey = findProperty(message.propertiesString, 'UNIQ_KEY')!
    const byUniq = await h.invoke(
      fixtureRequest('130-mqadmin-queryMsgByUniqueKey-QUERY_MESSAGE', { ext: { key: uniqKey } }),
    )
    expect(byUniq.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(byUniq.body!.equals(h.broker.store.readRecord(message.commitLogOffset)!)).toBe(true)

    const none = await h.invoke(
      fixtureRequest('126-mqadmin-queryMsgByKey-QUERY_MESSAGE', { ext: { key: 'nope' } }),
    )
    expect(none.code).toBe(RESPONSE_CODE.QUERY_NOT_FOUND)
    expect(none.body).toBeUndefined()
    // A unique-key query does not return a message that merely has the text among its KEYS.
    const uniqAsKey = await h.invoke(
      fixtureRequest('130-mqadmin-queryMsgByUniqueKey-QUERY_MESSAGE', { ext: { key: 'fixture-key-7' } }),
    )
    expect(uniqAsKey.code).toBe(RESPONSE_CODE.QUERY_NOT_FOUND)
  })

  it('views a message by CommitLog offset and answers SYSTEM_ERROR where there is none', async () => {
    const h = await startHarness()
    await sendOk(h, 'FixtureTopic', 0, 'first')
    const { message } = await sendOk(h, 'FixtureTopic', 0, 'second')
    const view = await h.invoke(
      fixtureRequest('120-mqadmin-queryMsgById-VIEW_MESSAGE_BY_ID', {
        ext: { offset: String(message.commitLogOffset) },
      }),
    )
    expect(view.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(decodeRecords(view.body).map((m) => m.body.toString())).toEqual(['second'])
    const inside = await h.invoke(
      fixtureRequest('120-mqadmin-queryMsgById-VIEW_MESSAGE_BY_ID', {
        ext: { offset: String(message.commitLogOffset + 3) },
      }),
    )
    expect(inside.code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
    expect(inside.remark).toContain('can not find message')
    const missing = await h.invoke(
      fixtureRequest('120-mqadmin-queryMsgById-VIEW_MESSAGE_BY_ID', { ext: { offset: undefined } }),
    )
    expect(missing.code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
  })
})

describe('orderly locks', () => {
  it('locks for one client at a time and unlocks (captured LockBatchRequestBody shapes)', async () => {
    const h = await startHarness()
    const lock = fixtureRequest('207-java-orderly-consumer-LOCK_BATCH_MQ')
    const first = await h.invoke(lock)
    expect(first.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(JSON.parse(first.body!.toString())).toEqual({
      lockOKMQSet: [{ brokerName: 'broker-a', queueId: 0, topic: 'FixtureTopic' }],
    })
    const otherBody = JSON.parse(lock.body!.toString()) as Record<string, unknown>
    otherBody.clientId = '10.0.0.2@other'
    const other = await h.invoke({ ...lock, body: Buffer.from(JSON.stringify(otherBody)) })
    expect(JSON.parse(other.body!.toString())).toEqual({ lockOKMQSet: [] })

    const unlock = await h.invoke(fixtureRequest('210-java-orderly-consumer-UNLOCK_BATCH_MQ'))
    expect(unlock.code).toBe(RESPONSE_CODE.SUCCESS)
    const again = await h.invoke({ ...lock, body: Buffer.from(JSON.stringify(otherBody)) })
    expect(JSON.parse(again.body!.toString())).toEqual({
      lockOKMQSet: [{ brokerName: 'broker-a', queueId: 0, topic: 'FixtureTopic' }],
    })

    const bad = await h.invoke({
      ...lock,
      body: Buffer.from('{"clientId":"x","consumerGroup":"g","mqSet":[1]}'),
    })
    expect(bad.code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
    expect(bad.remark).toContain('MessageQueue')
  })
})

describe('CONSUMER_SEND_MSG_BACK', () => {
  it('puts the message into %RETRY%group after delay level 3', async () => {
    const h = await startHarness()
    const { message, offsetMsgId } = await sendOk(h, 'FixtureRetryTopic', 3, 'retry me')
    const back = await h.invoke(
      fixtureRequest('185-java-reconsume-once-CONSUMER_SEND_MSG_BACK', {
        ext: { offset: String(message.commitLogOffset), originMsgId: offsetMsgId },
      }),
    )
    expect(back.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(back.extFields).toBeUndefined()
    // Level 3 (10 s) parks it in SCHEDULE_TOPIC_XXXX queue 2 first.
    expect(h.broker.store.getMaxOffsetInQueue(SCHEDULE_TOPIC, 2)).toBe(1)
    const pulled = h.invoke(pullRequest('capture_retry_cg', '%RETRY%capture_retry_cg', 0, 0))
    await h.invoke(request(REQUEST_CODE.GET_MIN_OFFSET, { topic: 'FixtureRetryTopic', queueId: '0' }))
    h.clock.advance(11_000)
    const res = await pulled
    expect(res.code).toBe(RESPONSE_CODE.SUCCESS)
    const [retried] = decodeRecords(res.body)
    expect(retried!.body.toString()).toBe('retry me')
    expect(retried!.reconsumeTimes).toBe(1)
    expect(findProperty(retried!.propertiesString, 'RETRY_TOPIC')).toBe('FixtureRetryTopic')
    expect(findProperty(retried!.propertiesString, 'ORIGIN_MESSAGE_ID')).toBe(offsetMsgId)
  })

  it('answers SYSTEM_ERROR for an offset with no message', async () => {
    const h = await startHarness()
    const back = await h.invoke(
      fixtureRequest('185-java-reconsume-once-CONSUMER_SEND_MSG_BACK', { ext: { offset: '123456' } }),
    )
    expect(back.code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
    expect(back.remark).toContain('123456')
  })

  it('answers a group name the engine refuses like any refusal', async () => {
    const h = await startHarness()
    const { message } = await sendOk(h, 'FixtureRetryTopic', 3, 'retry me')
    const back = await h.invoke(
      fixtureRequest('185-java-reconsume-once-CONSUMER_SEND_MSG_BACK', {
        ext: { offset: String(message.commitLogOffset), group: 'a b' },
      }),
    )
    expect([back.code, back.extFields]).toEqual([RESPONSE_CODE.SYSTEM_ERROR, {}])
    expect(back.remark).toMatch(/illegal characters/)
    expect(h.logs.filter((l) => l.includes('failed'))).toEqual([])
  })
})

describe('CHECK_CLIENT_CONFIG', () => {
  it('accepts TAG subscriptions and refuses SQL92', async () => {
    const h = await startHarness()
    const body = (expressionType: string) =>
      Buffer.from(
        JSON.stringify({
          clientId: '10.0.0.1@1',
          group: 'cg',
          subscriptionData: { expressionType, subString: 'a > 1', topic: 'T', subVersion: 1 },
        }),
      )
    const tag = await h.invoke(request(REQUEST_CODE.CHECK_CLIENT_CONFIG, {}, body('TAG')))
    expect(tag.code).toBe(RESPONSE_CODE.SUCCESS)
    const sql = await h.invoke(request(REQUEST_CODE.CHECK_CLIENT_CONFIG, {}, body('SQL92')))
    expect(sql.code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
    expect(sql.remark).toContain('SQL92')
  })
})
