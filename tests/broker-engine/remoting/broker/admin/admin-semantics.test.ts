// What the admin calls do to and report about a broker: topics created over remoting appear in the table and the
// route, consume stats follow sends and commits, resets move a group's offsets (consumers online or not),
// deleting a group takes its retry topic along, stats and runtime figures follow traffic, and bad requests get
// RocketMQ's error codes instead of a crash.

import { describe, expect, it } from 'vitest'
import { javaStringHashCode } from '../../../../../broker-engine/common/java-hash'
import { createResponse, createRequest } from '../../../../../broker-engine/remoting/remoting-command'
import { REQUEST_CODE as C, RESPONSE_CODE as R } from '../../../../../broker-engine/remoting/remoting-codes'
import type { RemotingConnection } from '../../../../../broker-engine/remoting/remoting-connection'
import type { BrokerController } from '../../../../../broker-engine/broker/broker-controller'
import { bodyJson, bodyText, mqEntries, obj, startAdmin, type AdminHarness } from './admin-test-kit'

const topicHeader = (topic: string, queues = 4, extra: Record<string, string> = {}) => ({
  topic,
  defaultTopic: 'TBW102',
  readQueueNums: String(queues),
  writeQueueNums: String(queues),
  perm: '6',
  topicFilterType: 'SINGLE_TAG',
  topicSysFlag: '0',
  order: 'false',
  ...extra,
})

async function send(broker: BrokerController, topic: string, queueId: number, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const r = await broker.sendMessage({ topic, queueId, body: Buffer.from(`${topic}-${queueId}-${i}`) })
    if (r.status === 'ERROR') throw new Error(r.reason)
  }
}

function consumerOnline(broker: BrokerController, group: string, clientId: string, topics: string[]): void {
  broker.consumerHeartbeat({
    clientId,
    group,
    language: 'JAVA',
    version: 401,
    clientAddr: '127.0.0.1:50000',
    messageModel: 'CLUSTERING',
    consumeType: 'CONSUME_PASSIVELY',
    consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
    subscriptions: topics.map((topic) => ({ topic, subString: topic === 'Orders' ? 'TagA || TagB' : '*' })),
  })
}

describe('topics', () => {
  it('creates a topic that shows in GET_ALL_TOPIC_CONFIG, GET_TOPIC_CONFIG and the NameServer route', async () => {
    const h = await startAdmin()
    const created = await h.call(C.UPDATE_AND_CREATE_TOPIC, topicHeader('Orders', 6))
    expect([created.code, created.remark]).toEqual([R.SUCCESS, 'not set any response code'])
    const all = obj(bodyJson(await h.call(C.GET_ALL_TOPIC_CONFIG)))
    expect(Object.keys(all).sort()).toEqual([
      'dataVersion',
      'mappingDataVersion',
      'topicConfigTable',
      'topicQueueMappingDetailMap',
      'topicQueueMappingInfoMap',
    ])
    expect(obj(all.topicConfigTable).Orders).toEqual({
      attributes: {},
      order: false,
      perm: 6,
      readQueueNums: 6,
      topicFilterType: 'SINGLE_TAG',
      topicName: 'Orders',
      topicSysFlag: 0,
      writeQueueNums: 6,
    })
    const one = await h.call(C.GET_TOPIC_CONFIG, { topic: 'Orders' })
    expect(obj(bodyJson(one)).readQueueNums).toBe(6)
    const route = h.cluster.routeOf('Orders')!
    expect(route.queueDatas).toEqual([expect.objectContaining({ brokerName: 'broker-a', readQueueNums: 6 })])
  })

  it('updates queue counts and attributes (+key=value adds, -key removes), idempotently', async () => {
    const h = await startAdmin()
    await h.call(C.UPDATE_AND_CREATE_TOPIC, topicHeader('Fifo', 2, { attributes: '+message.type=FIFO' }))
    expect(h.broker.topics.get('Fifo')!.attributes).toEqual({ 'message.type': 'FIFO' })
    await h.call(
      C.UPDATE_AND_CREATE_TOPIC,
      topicHeader('Fifo', 8, { attributes: '-message.type', order: 'true' }),
    )
    expect(h.broker.topics.get('Fifo')).toMatchObject({ readQueueNums: 8, order: true, attributes: {} })
    const version = h.broker.topics.dataVersion.counter
    await h.call(C.UPDATE_AND_CREATE_TOPIC, topicHeader('Fifo', 8, { order: 'true' }))
    expect(h.broker.topics.dataVersion.counter).toBe(version)
  })

  it('refuses system topics, bad names, bad counts and malformed headers with RocketMQ codes', async () => {
    const h = await startAdmin()
    const cases: [Record<string, string>, number, RegExp][] = [
      [topicHeader('TBW102'), R.INVALID_PARAMETER, /conflict with system topic/],
      [topicHeader('bad topic'), R.INVALID_PARAMETER, /illegal characters/],
      [topicHeader('Big', 5000), R.INVALID_PARAMETER, /readQueueNums/],
      [topicHeader('NoQueues', 0), R.INVALID_PARAMETER, /at least one/],
      [{ ...topicHeader('X'), perm: '9' }, R.INVALID_PARAMETER, /perm/],
      [{ ...topicHeader('X'), readQueueNums: 'four' }, R.SYSTEM_ERROR, /custom field <readQueueNums>/],
      [{ ...topicHeader('X'), attributes: 'message.type=FIFO' }, R.INVALID_PARAMETER, /attribute format/],
      [{ ...topicHeader('X'), attributes: '+message.type=MIXED' }, R.INVALID_PARAMETER, /MIXED/],
      [{ ...topicHeader('X'), attributes: '-message.type' }, R.INVALID_PARAMETER, /only add/],
      [{ ...topicHeader('X'), topicFilterType: 'SQL' }, R.INVALID_PARAMETER, /topicFilterType/],
    ]
    const { perm: _perm, ...noPerm } = topicHeader('X')
    cases.push([noPerm, R.SYSTEM_ERROR, /the custom field <perm> is null/])
    for (const [header, code, remark] of cases) {
      const r = await h.call(C.UPDATE_AND_CREATE_TOPIC, header)
      expect([r.code, r.remark], JSON.stringify(header)).toEqual([code, expect.stringMatching(remark)])
    }
    expect(h.broker.topics.has('X')).toBe(false)
  })

  it('deletes a topic with its offsets and POP retry topics; unknown topics answer TOPIC_NOT_EXIST', async () => {
    const h = await startAdmin()
    const { broker } = h
    await h.call(C.UPDATE_AND_CREATE_TOPIC, topicHeader('Gone', 2))
    broker.upsertTopic({ topicName: '%RETRY%g1_Gone', readQueueNums: 1, writeQueueNums: 1 })
    broker.commitOffset('g1', 'Gone', 0, 0)
    expect((await h.call(C.DELETE_TOPIC_IN_BROKER, { topic: 'Gone' })).code).toBe(R.SUCCESS)
    expect(broker.topics.has('Gone')).toBe(false)
    expect(broker.topics.has('%RETRY%g1_Gone')).toBe(false)
    expect(broker.offsets.topicsOfGroup('g1')).toEqual([])
    expect(h.cluster.routeOf('Gone')).toBeUndefined()
    expect((await h.call(C.DELETE_TOPIC_IN_BROKER, { topic: 'Gone' })).code).toBe(R.SUCCESS)
    for (const [code, remark] of [
      [C.GET_TOPIC_CONFIG, 'No topic in this broker. topic: Gone'],
      [C.GET_TOPIC_STATS_INFO, 'topic[Gone] not exist'],
    ] as const) {
      const r = await h.call(code, { topic: 'Gone' })
      expect([r.code, r.remark]).toEqual([R.TOPIC_NOT_EXIST, remark])
    }
    const blank = await h.call(C.DELETE_TOPIC_IN_BROKER, { topic: ' ' })
    expect([blank.code, blank.remark]).toEqual([R.INVALID_PARAMETER, 'The specified topic is blank.'])
    expect((await h.call(C.DELETE_TOPIC_IN_BROKER, { topic: 'SCHEDULE_TOPIC_XXXX' })).code).toBe(
      R.INVALID_PARAMETER,
    )
  })

  it('reports queue offsets, who consumes a topic, and the system topics', async () => {
    const h = await startAdmin()
    const { broker } = h
    broker.upsertTopic({ topicName: 'Stats', readQueueNums: 2, writeQueueNums: 3 })
    h.clock.advance(500)
    await send(broker, 'Stats', 1, 3)
    const stats = obj(bodyJson(await h.call(C.GET_TOPIC_STATS_INFO, { topic: 'Stats' })))
    const table = mqEntries(stats.offsetTable)
    expect(table.map(([, q, v]) => [q, obj(v).minOffset, obj(v).maxOffset])).toEqual([
      [0, 0, 0],
      [1, 0, 3],
      [2, 0, 0],
    ])
    expect(obj(table[1]![2]).lastUpdateTimestamp).toBe(h.clock.nowMs())
    consumerOnline(broker, 'live-g', 'c1', ['Stats'])
    broker.commitOffset('offset-g', 'Stats', 0, 0)
    const who = obj(bodyJson(await h.call(C.QUERY_TOPIC_CONSUME_BY_WHO, { topic: 'Stats' })))
    expect(who.groupList).toEqual(['live-g', 'offset-g'])
    const system = obj(bodyJson(await h.call(C.GET_SYSTEM_TOPIC_LIST_FROM_BROKER)))
    expect(system.topicList).toEqual(
      expect.arrayContaining(['TBW102', 'SCHEDULE_TOPIC_XXXX', 'DefaultCluster']),
    )
    expect(system.topicList).not.toContain('Stats')
  })
})

describe('subscription groups', () => {
  it('creates a group from a SubscriptionGroupConfig body; fields left out take the Java defaults', async () => {
    const h = await startAdmin()
    const body = Buffer.from(
      '{"brokerId":0,"consumeBroadcastEnable":false,"consumeEnable":true,"groupName":"G1","retryMaxTimes":3,' +
        '"retryQueueNums":1,"groupRetryPolicy":{"type":"CUSTOMIZED"},"attributes":{"+k":"v"}}',
    )
    expect((await h.invoke(createRequest(C.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, { body }))).code).toBe(
      R.SUCCESS,
    )
    const config = obj(bodyJson(await h.call(C.GET_SUBSCRIPTIONGROUP_CONFIG, { group: 'G1' })))
    expect(config).toMatchObject({
      groupName: 'G1',
      consumeBroadcastEnable: false,
      consumeFromMinEnable: true,
      retryMaxTimes: 3,
      consumeTimeoutMinute: 15,
      attributes: { k: 'v' },
    })
    const all = obj(bodyJson(await h.call(C.GET_ALL_SUBSCRIPTIONGROUP_CONFIG)))
    expect(Object.keys(all).sort()).toEqual(['dataVersion', 'forbiddenTable', 'subscriptionGroupTable'])
    expect(obj(all.subscriptionGroupTable).G1).toEqual(config)
  })

  it('refuses malformed group bodies with INVALID_PARAMETER and leaves the table alone', async () => {
    const h = await startAdmin()
    const before = h.broker.groups.dataVersion.counter
    for (const text of [
      '',
      'not json',
      '[1]',
      '{"groupName":"bad name"}',
      '{"groupName":"G","retryMaxTimes":"x"}',
    ]) {
      const r = await h.invoke(
        createRequest(C.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, { body: Buffer.from(text) }),
      )
      expect(r.code, text).toBe(R.INVALID_PARAMETER)
    }
    const range = await h.invoke(
      createRequest(C.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, {
        body: Buffer.from('{"groupName":"G","retryMaxTimes":-1}'),
      }),
    )
    expect([range.code, range.remark]).toEqual([R.INVALID_PARAMETER, expect.stringMatching(/retryMaxTimes/)])
    expect(h.broker.groups.dataVersion.counter).toBe(before)
    const missing = await h.call(C.GET_SUBSCRIPTIONGROUP_CONFIG, { group: 'Nope' })
    expect([missing.code, missing.remark]).toEqual([
      R.SUBSCRIPTION_GROUP_NOT_EXIST,
      'No group in this broker',
    ])
  })

  it('deletes a group with its %RETRY% topic, and its offsets when asked (cleanOffset or removeOffset)', async () => {
    const h = await startAdmin()
    const { broker } = h
    broker.upsertTopic({ topicName: 'T', readQueueNums: 1, writeQueueNums: 1 })
    for (const [group, flag] of [
      ['G5', 'cleanOffset'],
      ['G4', 'removeOffset'],
    ] as const) {
      consumerOnline(broker, group, 'c1', ['T'])
      broker.commitOffset(group, 'T', 0, 0)
      expect(broker.topics.has(`%RETRY%${group}`)).toBe(true)
      expect((await h.call(C.DELETE_SUBSCRIPTIONGROUP, { groupName: group, [flag]: 'true' })).code).toBe(
        R.SUCCESS,
      )
      expect(broker.groups.has(group)).toBe(false)
      expect(broker.topics.has(`%RETRY%${group}`)).toBe(false)
      expect(h.cluster.routeOf(`%RETRY%${group}`)).toBeUndefined()
      const topics = obj(bodyJson(await h.call(C.QUERY_TOPICS_BY_CONSUMER, { group })))
      expect(topics).toEqual({ brokerAddr: broker.addr, topicList: [] })
    }
    broker.groups.upsert({ groupName: 'Keep' })
    broker.commitOffset('Keep', 'T', 0, 0)
    await h.call(C.DELETE_SUBSCRIPTIONGROUP, { groupName: 'Keep' })
    expect(broker.offsets.topicsOfGroup('Keep')).toEqual(['T'])
    const system = await h.call(C.DELETE_SUBSCRIPTIONGROUP, { groupName: 'TOOLS_CONSUMER' })
    expect(system.code).toBe(R.INVALID_PARAMETER)
    expect(broker.groups.has('TOOLS_CONSUMER')).toBe(true)
  })

  it('reports connections and subscriptions of online consumers and producers', async () => {
    const h = await startAdmin()
    const { broker } = h
    broker.upsertTopic({ topicName: 'Orders', readQueueNums: 1, writeQueueNums: 1 })
    consumerOnline(broker, 'CG', 'c1', ['Orders'])
    const conn = obj(bodyJson(await h.call(C.GET_CONSUMER_CONNECTION_LIST, { consumerGroup: 'CG' })))
    expect(conn.connectionSet).toEqual([
      { clientAddr: '127.0.0.1:50000', clientId: 'c1', language: 'JAVA', version: 401 },
    ])
    expect(obj(conn.subscriptionTable).Orders).toEqual({
      classFilterMode: false,
      codeSet: [javaStringHashCode('TagA'), javaStringHashCode('TagB')],
      expressionType: 'TAG',
      subString: 'TagA || TagB',
      tagsSet: ['TagA', 'TagB'],
      topic: 'Orders',
    })
    const sub = obj(
      bodyJson(await h.call(C.QUERY_SUBSCRIPTION_BY_CONSUMER, { group: 'CG', topic: 'Orders' })),
    )
    expect(obj(sub.subscriptionData).subString).toBe('TagA || TagB')
    const offline = await h.call(C.GET_CONSUMER_CONNECTION_LIST, { consumerGroup: 'Nobody' })
    expect([offline.code, offline.remark]).toEqual([
      R.CONSUMER_NOT_ONLINE,
      'the consumer group[Nobody] not online',
    ])

    broker.clients.registerProducer({
      clientId: 'p1',
      group: 'PG',
      language: 'JAVA',
      version: 401,
      clientAddr: '10.0.0.9:1',
    })
    const producers = obj(bodyJson(await h.call(C.GET_PRODUCER_CONNECTION_LIST, { producerGroup: 'PG' })))
    expect(producers.connectionSet).toEqual([
      { clientAddr: '10.0.0.9:1', clientId: 'p1', language: 'JAVA', version: 401 },
    ])
    const info = obj(bodyJson(await h.call(C.GET_ALL_PRODUCER_INFO)))
    expect(obj(info.data).PG).toEqual([
      {
        clientId: 'p1',
        language: 'JAVA',
        lastUpdateTimestamp: h.clock.nowMs(),
        remoteIP: '10.0.0.9:1',
        version: 401,
      },
    ])
    const none = await h.call(C.GET_PRODUCER_CONNECTION_LIST, { producerGroup: 'NoPG' })
    expect([none.code, none.remark]).toEqual([R.SYSTEM_ERROR, 'the producer group[NoPG] not exist'])
  })
})

describe('consume progress and offsets', () => {
  it('reports lag right after sends and a commit, and the group pull rate once sampled', async () => {
    const h = await startAdmin()
    const { broker, clock } = h
    broker.upsertTopic({ topicName: 'Lag', readQueueNums: 2, writeQueueNums: 2 })
    await send(broker, 'Lag', 0, 5)
    await send(broker, 'Lag', 1, 3)
    clock.advance(10_000)
    const pulled = await broker.pullMessage({
      consumerGroup: 'LG',
      topic: 'Lag',
      queueId: 0,
      queueOffset: 0,
      maxMsgNums: 4,
      suspendTimeoutMs: 0,
    })
    expect(pulled.status).toBe('FOUND')
    broker.commitOffset('LG', 'Lag', 0, 2)
    const lastConsumedAt = broker.store.getMessageStoreTimestamp('Lag', 0, 1)
    const stats = obj(bodyJson(await h.call(C.GET_CONSUME_STATS, { consumerGroup: 'LG' })))
    expect(mqEntries(stats.offsetTable)).toEqual([
      ['Lag', 0, { brokerOffset: 5, consumerOffset: 2, lastTimestamp: lastConsumedAt, pullOffset: 4 }],
      ['Lag', 1, { brokerOffset: 3, consumerOffset: 0, lastTimestamp: 0, pullOffset: 0 }],
    ])
    // The pair is first seen by the sample after the commit; the next pull's progress is then measured.
    clock.advance(10_000)
    await broker.pullMessage({
      consumerGroup: 'LG',
      topic: 'Lag',
      queueId: 0,
      queueOffset: 4,
      maxMsgNums: 4,
      suspendTimeoutMs: 0,
    })
    clock.advance(10_000)
    const sampled = obj(bodyJson(await h.call(C.GET_CONSUME_STATS, { consumerGroup: 'LG', topic: 'Lag' })))
    // One message pulled between the two samples 10 s apart that have seen the pair.
    expect(sampled.consumeTps).toBeCloseTo(0.1, 9)
    const view = obj(
      bodyJson(await h.call(C.VIEW_BROKER_STATS_DATA, { statsName: 'GROUP_GET_NUMS', statsKey: 'Lag@LG' })),
    )
    expect(obj(view.statsMinute).sum).toBe(1)
    const broad = obj(bodyJson(await h.call(C.GET_BROKER_CONSUME_STATS, { isOrder: 'false' })))
    expect(broad.totalDiff).toBe(3 + 3)
    expect(broad.brokerAddr).toBe(broker.addr)
  })

  it('leaves out topics live consumers do not subscribe to, unless a topicList names them', async () => {
    const h = await startAdmin()
    const { broker } = h
    for (const topicName of ['A', 'B']) broker.upsertTopic({ topicName, readQueueNums: 1, writeQueueNums: 1 })
    broker.commitOffset('SG', 'A', 0, 0)
    broker.commitOffset('SG', 'B', 0, 0)
    consumerOnline(broker, 'SG', 'c1', ['A'])
    const topicsOf = async (extFields: Record<string, string>) =>
      mqEntries(obj(bodyJson(await h.call(C.GET_CONSUME_STATS, extFields))).offsetTable).map(([t]) => t)
    expect(await topicsOf({ consumerGroup: 'SG' })).toEqual(['A'])
    expect(await topicsOf({ consumerGroup: 'SG', topic: 'B' })).toEqual([])
    expect(await topicsOf({ consumerGroup: 'SG', topicList: 'B;A' })).toEqual(['A', 'B'])
    const missing = await h.call(C.GET_CONSUME_STATS, {})
    expect([missing.code, missing.remark]).toEqual([
      R.SYSTEM_ERROR,
      'the custom field <consumerGroup> is null',
    ])
  })

  it('resets offsets by time on the server for an offline group; the next pull moves to them', async () => {
    const h = await startAdmin()
    const { broker, clock } = h
    broker.upsertTopic({ topicName: 'R', readQueueNums: 2, writeQueueNums: 2 })
    await send(broker, 'R', 0, 3)
    await send(broker, 'R', 1, 2)
    clock.advance(60_000)
    const middle = clock.nowMs()
    await send(broker, 'R', 0, 4)
    await send(broker, 'R', 1, 1)
    broker.groups.upsert({ groupName: 'RG' })
    broker.commitOffset('RG', 'R', 0, 7)
    broker.commitOffset('RG', 'R', 1, 3)
    const r = await h.call(C.INVOKE_BROKER_TO_RESET_OFFSET, {
      topic: 'R',
      group: 'RG',
      timestamp: String(middle),
      isForce: 'true',
    })
    expect([r.code, r.remark]).toEqual([R.SUCCESS, 'not set any response code'])
    expect(bodyText(r)).toContain('{{"brokerName":"broker-a","queueId":0,"topic":"R"}:3')
    expect(mqEntries(obj(bodyJson(r)).offsetTable)).toEqual([
      ['R', 0, 3],
      ['R', 1, 2],
    ])
    const stats = mqEntries(
      obj(bodyJson(await h.call(C.GET_CONSUME_STATS, { consumerGroup: 'RG' }))).offsetTable,
    )
    expect(stats.map(([, q, v]) => [q, obj(v).consumerOffset])).toEqual([
      [0, 3],
      [1, 2],
    ])
    const pull = await broker.pullMessage({
      consumerGroup: 'RG',
      topic: 'R',
      queueId: 0,
      queueOffset: 7,
      maxMsgNums: 1,
      suspendTimeoutMs: 0,
    })
    expect(pull).toMatchObject({ status: 'OFFSET_ILLEGAL', nextBeginOffset: 3 })
  })

  it('resets to the max offset with timestamp -1, or one queue to an explicit offset within its range', async () => {
    const h = await startAdmin()
    const { broker } = h
    broker.upsertTopic({ topicName: 'R2', readQueueNums: 2, writeQueueNums: 2 })
    await send(broker, 'R2', 0, 4)
    broker.groups.upsert({ groupName: 'RG2' })
    const latest = await h.call(C.INVOKE_BROKER_TO_RESET_OFFSET, {
      topic: 'R2',
      group: 'RG2',
      timestamp: '-1',
      isForce: 'false',
    })
    expect(mqEntries(obj(bodyJson(latest)).offsetTable)).toEqual([
      ['R2', 0, 4],
      ['R2', 1, 0],
    ])
    const one = await h.call(C.INVOKE_BROKER_TO_RESET_OFFSET, {
      topic: 'R2',
      group: 'RG2',
      queueId: '0',
      offset: '1',
      timestamp: '0',
      isForce: 'true',
    })
    expect(mqEntries(obj(bodyJson(one)).offsetTable)).toEqual([['R2', 0, 1]])
    expect(broker.offsets.queryOffset('RG2', 'R2', 0)).toBe(1)
    const errors: [Record<string, string>, number, string][] = [
      [
        { topic: 'R2', group: 'RG2', queueId: '0', offset: '9', timestamp: '0', isForce: 'true' },
        R.SYSTEM_ERROR,
        'Target offset 9 not in consume queue range [0-4]',
      ],
      [
        { topic: 'Nope', group: 'RG2', timestamp: '0', isForce: 'true' },
        R.TOPIC_NOT_EXIST,
        'Topic Nope does not exist',
      ],
      [
        { topic: 'R2', group: 'NoGroup', timestamp: '0', isForce: 'true' },
        R.SUBSCRIPTION_GROUP_NOT_EXIST,
        'Group NoGroup does not exist',
      ],
      [
        { topic: 'R2', group: 'RG2', timestamp: 'soon', isForce: 'true' },
        R.SYSTEM_ERROR,
        'the custom field <timestamp> must be an integer of at most 2^53; got "soon"',
      ],
      [
        { topic: 'R2', group: 'RG2', queueId: '7', timestamp: '0', isForce: 'true' },
        R.INVALID_PARAMETER,
        'queueId 7 is illegal: topic R2 has 2 read queues',
      ],
    ]
    for (const [header, code, remark] of errors) {
      const r = await h.call(C.INVOKE_BROKER_TO_RESET_OFFSET, header)
      expect([r.code, r.remark], JSON.stringify(header)).toEqual([code, remark])
    }
    expect(broker.offsets.queryOffset('RG2', 'R2', 0)).toBe(1)
  })

  it('lists every consumer offset with bare queue-id keys, the time span of consumption, and ConsumeQueue units', async () => {
    const h = await startAdmin()
    const { broker, clock } = h
    broker.upsertTopic({ topicName: 'S', readQueueNums: 1, writeQueueNums: 1 })
    await send(broker, 'S', 0, 2)
    clock.advance(5000)
    await send(broker, 'S', 0, 1)
    broker.commitOffset('SG', 'S', 0, 1)
    const all = await h.call(C.GET_ALL_CONSUMER_OFFSET)
    expect(bodyText(all)).toContain('"S@SG":{0:1}')
    const span = obj(bodyJson(await h.call(C.QUERY_CONSUME_TIME_SPAN, { topic: 'S', group: 'SG' })))
    const first = obj((span.consumeTimeSpanSet as unknown[])[0] as never)
    const t0 = broker.store.getMessageStoreTimestamp('S', 0, 0)
    expect(first).toMatchObject({ minTimeStamp: t0, consumeTimeStamp: t0, maxTimeStamp: t0 + 5000 })
    expect(first.delayTime).toBe(clock.nowMs() - t0)
    expect(first.minTimeStampStr).toMatch(/^\d{4}-\d\d-\d\d#\d\d:\d\d:\d\d:\d{3}$/)
    const cq = obj(
      bodyJson(await h.call(C.QUERY_CONSUME_QUEUE, { topic: 'S', queueId: '0', index: '1', count: '5' })),
    )
    expect(cq).toMatchObject({ minQueueIndex: 0, maxQueueIndex: 3 })
    expect((cq.queueData as unknown[]).length).toBe(2)
    expect(obj((cq.queueData as never[])[0]).physicOffset).toBe(
      broker.store.getCommitLogOffsetInQueue('S', 0, 1),
    )
    const none = await h.call(C.QUERY_CONSUME_QUEUE, { topic: 'S', queueId: '3', index: '0', count: '1' })
    expect([none.code, none.remark]).toEqual([R.SYSTEM_ERROR, '3@S is not exist!'])
    const span404 = await h.call(C.QUERY_CONSUME_TIME_SPAN, { topic: 'Nope', group: 'SG' })
    expect(span404.code).toBe(R.TOPIC_NOT_EXIST)
  })

  it('serves the persisted delay offsets', async () => {
    const h = await startAdmin()
    h.clock.advance(10_000) // flushDelayOffsetInterval: the schedule service writes delayOffset.json
    const r = await h.call(C.GET_ALL_DELAY_OFFSET)
    expect(r.code).toBe(R.SUCCESS)
    expect(bodyText(r)).toMatch(/"offsetTable":\{1:0,2:0,/)
  })
})

describe('stats, runtime info and config', () => {
  it('counts puts per topic and broker over sampled windows; unknown stats answer RocketMQ remark', async () => {
    const h = await startAdmin()
    const { broker, clock } = h
    broker.upsertTopic({ topicName: 'P', readQueueNums: 1, writeQueueNums: 1 })
    clock.advance(10_000)
    await send(broker, 'P', 0, 30)
    clock.advance(10_000)
    const topic = obj(
      bodyJson(await h.call(C.VIEW_BROKER_STATS_DATA, { statsName: 'TOPIC_PUT_NUMS', statsKey: 'P' })),
    )
    expect(topic.statsMinute).toEqual({ sum: 30, tps: 1.5 })
    const all = obj(
      bodyJson(
        await h.call(C.VIEW_BROKER_STATS_DATA, { statsName: 'BROKER_PUT_NUMS', statsKey: 'DefaultCluster' }),
      ),
    )
    expect(obj(all.statsMinute).sum).toBe(30)
    const topicStats = obj(bodyJson(await h.call(C.GET_TOPIC_STATS_INFO, { topic: 'P' })))
    expect(topicStats.topicPutTps).toBe(1.5)
    for (const [statsName, statsKey] of [
      ['TOPIC_PUT_NUMS', 'BenchmarkTest'],
      ['TOPIC_PUT_SIZE', 'P'],
      ['GROUP_GET_NUMS', 'P@nobody'],
    ]) {
      const r = await h.call(C.VIEW_BROKER_STATS_DATA, { statsName: statsName!, statsKey: statsKey! })
      expect([r.code, r.remark]).toEqual([R.SYSTEM_ERROR, `The stats <${statsName}> <${statsKey}> not exist`])
    }
  })

  it('keeps the daily put totals RocketMQ snapshots at midnight', async () => {
    const h = await startAdmin()
    const { broker, clock } = h
    broker.upsertTopic({ topicName: 'Day', readQueueNums: 1, writeQueueNums: 1 })
    const totals = async () => {
      const table = obj(obj(bodyJson(await h.call(C.GET_BROKER_RUNTIME_INFO))).table)
      return [table.msgPutTotalYesterdayMorning, table.msgPutTotalTodayMorning, table.msgPutTotalTodayNow]
    }
    await send(broker, 'Day', 0, 5)
    expect(await totals()).toEqual(['0', '0', '5'])
    clock.advance(86_400_000)
    await send(broker, 'Day', 0, 3)
    expect(await totals()).toEqual(['0', '5', '8'])
    clock.advance(86_400_000)
    expect(await totals()).toEqual(['5', '8', '8'])
  })

  it('reports runtime info as strings: put totals, TPS windows, offsets, disk, version', async () => {
    const h = await startAdmin({ brokerVersionDesc: 'V5_3_3' })
    const { broker, clock } = h
    broker.upsertTopic({ topicName: 'P', readQueueNums: 1, writeQueueNums: 1 })
    await send(broker, 'P', 0, 20)
    clock.advance(10_000)
    const table = obj(obj(bodyJson(await h.call(C.GET_BROKER_RUNTIME_INFO))).table)
    for (const value of Object.values(table)) expect(typeof value).toBe('string')
    const stats = broker.store.getRuntimeStats()
    expect(table).toMatchObject({
      brokerVersionDesc: 'V5_3_3',
      brokerActive: 'true',
      msgPutTotalTodayNow: '20',
      msgPutTotalTodayMorning: '0',
      putMessageTimesTotal: '20',
      commitLogMaxOffset: String(stats.commitLogMaxOffset),
      bootTimestamp: String(stats.startedAtMs),
      runtime: '[ 0 days, 0 hours, 0 minutes, 10 seconds ]',
      putTps: '2.0 2.0 2.0',
      earliestMessageTimeStamp: String(broker.store.getMessageStoreTimestamp('P', 0, 0)),
    })
    expect(table.getTransferedTps).toBe(table.getTransferredTps)
    expect(Number(table.commitLogDiskRatio)).toBeGreaterThan(0)
    expect(table.commitLogDirCapacity).toMatch(/^Total : [\d.]+ [KMGTPE]iB, Free : [\d.]+ [KMGTPE]iB\.$/)
    for (const key of ['putLatency99', 'getFoundTps', 'sendThreadPoolQueueSize'])
      expect(table).not.toHaveProperty(key)
  })

  it('serves the config as properties with its version; updates only runtime keys, through the updater', async () => {
    const applied: unknown[] = []
    const h = await startAdmin({ updateBrokerConfig: (changes) => void applied.push(changes) })
    const get = await h.call(C.GET_BROKER_CONFIG)
    expect(JSON.parse(get.extFields!.version!)).toEqual({ counter: 0, timestamp: h.clock.nowMs() })
    expect(bodyText(get)).toContain('brokerName=broker-a\n')
    // The two store keys RocketMQ spells differently come out the way a 4.9.4 broker writes them (capture 116).
    expect(bodyText(get)).toMatch(/^flushIntervalConsumeQueue=\d+$/m)
    expect(bodyText(get)).toMatch(/^warmMapedFileEnable=(true|false)$/m)
    expect(bodyText(get)).not.toMatch(/^(flushConsumeQueueInterval|warmMappedFileEnable)=/m)
    const refused = await h.invoke(
      createRequest(C.UPDATE_BROKER_CONFIG, { body: Buffer.from('listenPort=1\nbrokerPermission=4\n') }),
    )
    expect([refused.code, refused.remark]).toEqual([
      R.NO_PERMISSION,
      expect.stringMatching(/^Can not update config in black list: listenPort /),
    ])
    const bad = await h.invoke(
      createRequest(C.UPDATE_BROKER_CONFIG, { body: Buffer.from('brokerPermission=9') }),
    )
    expect(bad.code).toBe(R.INVALID_PARAMETER)
    expect(applied).toEqual([])
    h.clock.advance(1000)
    const ok = await h.invoke(
      createRequest(C.UPDATE_BROKER_CONFIG, {
        body: Buffer.from('brokerPermission=4\nlongPollingEnable=false'),
      }),
    )
    expect(ok.code).toBe(R.SUCCESS)
    expect(applied).toEqual([{ brokerPermission: 4, longPollingEnable: false }])
    const after = await h.call(C.GET_BROKER_CONFIG)
    expect(JSON.parse(after.extFields!.version!)).toEqual({ counter: 1, timestamp: h.clock.nowMs() })
  })

  it('refuses every config update when the broker has no runtime updater', async () => {
    const h = await startAdmin()
    const r = await h.invoke(
      createRequest(C.UPDATE_BROKER_CONFIG, { body: Buffer.from('longPollingEnable=false') }),
    )
    expect([r.code, r.remark]).toEqual([
      R.NO_PERMISSION,
      expect.stringMatching(/cannot change its configuration at runtime/),
    ])
  })
})

describe('requests relayed to a consumer', () => {
  async function withConsumer(answer: 'reply' | 'never', relayTimeoutMs = 5000) {
    const channel: { conn?: RemotingConnection } = {}
    const h: AdminHarness = await startAdmin({
      relayTimeoutMs,
      clientChannels: {
        connectionOf: (group, clientId) => (group === 'CG' && clientId === 'c1' ? channel.conn : undefined),
      },
    })
    const seen: { code: number; extFields: unknown; body: Buffer | undefined }[] = []
    const consumer = h.client((request) => {
      seen.push({ code: request.code, extFields: request.extFields, body: request.body })
      if (answer === 'never') return undefined
      return createResponse(request, 0, {
        remark: 'relayed',
        body: Buffer.from('{"consumeResult":"CR_SUCCESS"}'),
      })
    })
    channel.conn = await h.serverConnectionOf(consumer)
    return { h, seen }
  }

  it('relays GET_CONSUMER_RUNNING_INFO and answers with the client response', async () => {
    const { h, seen } = await withConsumer('reply')
    const r = await h.call(C.GET_CONSUMER_RUNNING_INFO, {
      consumerGroup: 'CG',
      clientId: 'c1',
      jstackEnable: 'false',
    })
    expect([r.code, r.remark, bodyText(r)]).toEqual([0, 'relayed', '{"consumeResult":"CR_SUCCESS"}'])
    expect(seen).toEqual([
      {
        code: C.GET_CONSUMER_RUNNING_INFO,
        extFields: { consumerGroup: 'CG', clientId: 'c1', jstackEnable: 'false' },
        body: undefined,
      },
    ])
    const offline = await h.call(C.GET_CONSUMER_RUNNING_INFO, { consumerGroup: 'CG', clientId: 'c2' })
    expect([offline.code, offline.remark]).toEqual([R.SYSTEM_ERROR, 'The Consumer <CG> <c2> not online'])
  })

  it('sends CONSUME_MESSAGE_DIRECTLY with the stored message and the broker name added', async () => {
    const { h, seen } = await withConsumer('reply')
    h.broker.upsertTopic({ topicName: 'D', readQueueNums: 1, writeQueueNums: 1 })
    const sent = await h.broker.sendMessage({ topic: 'D', queueId: 0, body: Buffer.from('direct') })
    if (sent.status === 'ERROR') throw new Error(sent.reason)
    const r = await h.call(C.CONSUME_MESSAGE_DIRECTLY, {
      consumerGroup: 'CG',
      clientId: 'c1',
      msgId: sent.offsetMsgId,
      topic: 'D',
    })
    expect(r.code).toBe(R.SUCCESS)
    expect(seen[0]!.extFields).toMatchObject({
      brokerName: 'broker-a',
      topicSysFlag: '0',
      msgId: sent.offsetMsgId,
    })
    expect(seen[0]!.body).toEqual(h.broker.store.readRecord(sent.commitLogOffset))
    const unknown = await h.call(C.CONSUME_MESSAGE_DIRECTLY, {
      consumerGroup: 'CG',
      clientId: 'c1',
      msgId: 'ZZ',
    })
    expect(unknown.code).toBe(R.SYSTEM_ERROR)
  })

  it('answers CONSUME_MSG_TIMEOUT when the client does not answer in time, and not online without a lookup', async () => {
    const { h } = await withConsumer('never', 50)
    h.broker.upsertTopic({ topicName: 'D', readQueueNums: 1, writeQueueNums: 1 })
    const sent = await h.broker.sendMessage({ topic: 'D', queueId: 0, body: Buffer.from('slow') })
    if (sent.status === 'ERROR') throw new Error(sent.reason)
    const r = await h.call(C.CONSUME_MESSAGE_DIRECTLY, {
      consumerGroup: 'CG',
      clientId: 'c1',
      msgId: sent.offsetMsgId,
    })
    expect([r.code, r.remark]).toEqual([
      R.CONSUME_MSG_TIMEOUT,
      expect.stringMatching(/^consumer <CG> <c1> Timeout: /),
    ])
    const bare = await startAdmin()
    const none = await bare.call(C.GET_CONSUMER_RUNNING_INFO, { consumerGroup: 'CG', clientId: 'c1' })
    expect([none.code, none.remark]).toEqual([R.SYSTEM_ERROR, 'The Consumer <CG> <c1> not online'])
  })
})

describe('robustness', () => {
  it('answers a slave broker admin change with RocketMQ remark', async () => {
    const h = await startAdmin({ config: { brokerRole: 'SLAVE', brokerId: 1 } })
    const r = await h.call(C.UPDATE_AND_CREATE_TOPIC, topicHeader('OnSlave'))
    expect([r.code, r.remark]).toEqual([R.SYSTEM_ERROR, expect.stringMatching(/from slave broker/)])
    const reset = await h.call(C.INVOKE_BROKER_TO_RESET_OFFSET, {
      topic: 'TBW102',
      group: 'TOOLS_CONSUMER',
      timestamp: '0',
      isForce: 'true',
    })
    expect([reset.code, reset.remark]).toEqual([R.SYSTEM_ERROR, 'Can not reset offset in slave broker'])
  })

  it('keeps sampling quietly after the broker shut down', async () => {
    const h = await startAdmin()
    await h.broker.shutdown()
    expect(() => h.clock.advance(30_000)).not.toThrow()
    const r = await h.call(C.GET_BROKER_RUNTIME_INFO)
    expect(r.code).toBeTypeOf('number')
  })

  it('survives garbage in every admin code: each gets an answer and the server keeps serving', async () => {
    const h = await startAdmin()
    const junk = {
      topic: 'bad topic',
      group: '\u0000',
      consumerGroup: '',
      groupName: 'bad group',
      clientId: 'x',
      queueId: '-9',
      index: 'x',
      timestamp: '1e99',
      statsName: 'X',
    }
    // Requests without parameters answer whatever the extFields and body say.
    const inputless = new Set<number>([
      C.GET_ALL_TOPIC_CONFIG,
      C.GET_ALL_SUBSCRIPTIONGROUP_CONFIG,
      C.GET_SYSTEM_TOPIC_LIST_FROM_BROKER,
      C.GET_ALL_PRODUCER_INFO,
      C.GET_BROKER_CONSUME_STATS,
      C.GET_ALL_CONSUMER_OFFSET,
      C.GET_BROKER_RUNTIME_INFO,
      C.GET_BROKER_CONFIG,
    ])
    for (const code of h.admin.codes) {
      const r = await h.invoke(createRequest(code, { extFields: junk, body: Buffer.from('{{{') }))
      if (inputless.has(code)) expect(r.code, `code ${code}`).toBe(R.SUCCESS)
      else expect(r.code, `code ${code}: ${r.remark}`).not.toBe(R.SUCCESS)
    }
    expect((await h.call(C.GET_ALL_TOPIC_CONFIG)).code).toBe(R.SUCCESS)
    expect(h.logs.filter((l) => l.includes('failed:'))).toEqual([])
  })
})
