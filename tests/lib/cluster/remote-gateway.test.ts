// lib/cluster/remote-gateway.ts against real RocketMQ 4.9.4 answers: fake NameServer and broker nodes reply with
// the captured response frames (tests/fixtures/rocketmq-remoting), so the gateway must read real-broker bodies,
// non-standard fastjson included, into the right values; plus fail-over, deadlines, partial results, ACL signing
// and the concurrency bound.
import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { REQUEST_CODE, RESPONSE_CODE, type RemotingCommand } from '@/broker-engine/index'
import { AppError } from '@/lib/errors'
import { parseNamesrvAddrs, RemoteGateway } from '@/lib/cluster/remote-gateway'
import { aclSignature, signedContent } from '@/lib/cluster/remote/acl-signer'
import { FakeNode, fixtureCommand, jsonBody, textBody } from './fake-node'

const FIXTURE_BROKER_ADDR = '127.0.0.1:10911'
const open: { close(): Promise<void> }[] = []

afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close()
})

async function node(): Promise<FakeNode> {
  const n = await FakeNode.start()
  open.push(n)
  return n
}

function gatewayFor(
  namesrvAddrs: string | string[],
  options: Partial<ConstructorParameters<typeof RemoteGateway>[0]> = {},
) {
  const g = new RemoteGateway({ namesrvAddrs, callTimeoutMs: 1_000, ...options })
  open.push(g)
  return g
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

const ext = (cmd: RemotingCommand) => cmd.extFields ?? {}

/** The captured cluster: one NameServer, broker-a at 127.0.0.1:10911 (mapped to the fake broker's port). */
async function capturedCluster(options: Partial<ConstructorParameters<typeof RemoteGateway>[0]> = {}) {
  const namesrv = await node()
  const broker = await node()
  namesrv.on(REQUEST_CODE.GET_BROKER_CLUSTER_INFO, '007-mqadmin-clusterList-GET_BROKER_CLUSTER_INFO')
  namesrv.on(REQUEST_CODE.GET_ROUTEINFO_BY_TOPIC, (cmd) => {
    const prefix = {
      FixtureTopic: '031-mqadmin-topicRoute-GET_ROUTEINFO_BY_TOPIC',
      TopicTest: '066-java-quickstart-consumer-GET_ROUTEINFO_BY_TOPIC',
      // ali-ons' route: 4.9.4 answers a version-121 client with bare numeric keys.
      AliOnsSmoke: '227-ali-ons-smoke-GET_ROUTEINFO_BY_TOPIC',
    }[ext(cmd).topic ?? '']
    const fx = fixtureCommand(prefix ?? '042-java-quickstart-producer-GET_ROUTEINFO_BY_TOPIC-TOPIC_NOT_EXIST')
    return { code: fx.code, remark: fx.remark, body: fx.body }
  })
  const gateway = gatewayFor(namesrv.addr, { addressMap: { [FIXTURE_BROKER_ADDR]: broker.addr }, ...options })
  return { namesrv, broker, gateway }
}

describe('RemoteGateway on captured 4.9.4 answers', () => {
  it('reads clusters, brokers, runtime figures and config (bare numeric keys, getTransferedTps, padded TPS)', async () => {
    const { broker, gateway } = await capturedCluster()
    broker.on(REQUEST_CODE.GET_BROKER_RUNTIME_INFO, '009-mqadmin-clusterList-GET_BROKER_RUNTIME_INFO')
    broker.on(REQUEST_CODE.GET_BROKER_CONFIG, '116-mqadmin-getBrokerConfig-GET_BROKER_CONFIG')

    const info = await gateway.getClusterInfo()
    expect(info.partial).toBe(false)
    expect(info.data.clusters).toEqual([{ clusterName: 'DefaultCluster', brokerNames: ['broker-a'] }])
    expect(info.data.brokers).toHaveLength(1)
    const b = info.data.brokers[0]!
    expect(b).toMatchObject({
      clusterName: 'DefaultCluster',
      brokerName: 'broker-a',
      brokerId: 0,
      addr: FIXTURE_BROKER_ADDR,
      role: 'MASTER',
      flushDiskType: 'ASYNC_FLUSH',
      brokerRole: 'ASYNC_MASTER',
      heartbeatAgeMs: undefined,
    })
    expect(b.runtime).toMatchObject({
      version: 'V4_9_4',
      bootTimestampMs: 1795830586073,
      putTps: 0,
      getTps: 0,
      commitLogDiskRatio: 0.27,
      commitLogMinOffset: undefined, // "-1": nothing stored yet
      earliestMessageTimestampMs: undefined,
      dispatchBehindBytes: 0,
    })
    expect(b.runtime!.table['commitLogDiskRatio_/tmp/mqdeck-peers/capture-run/store/commitlog']).toBe('0.27')
    expect(b.runtime!.table.getMissTps).toBe('0.39840637450199207  ')

    const config = await gateway.getBrokerConfig({ brokerName: 'broker-a' })
    expect(config).toMatchObject({
      storePathRootDir: '/tmp/mqdeck-peers/capture-run/store',
      transactionCheckInterval: '5000',
    })
    expect(await gateway.getBrokerConfig({ brokerName: 'no-such-broker' })).toBeUndefined()
  })

  it('reads routes: quoted keys (version ≥ 401), bare keys (ali-ons), and TOPIC_NOT_EXIST as undefined', async () => {
    const { namesrv, gateway } = await capturedCluster()
    expect(await gateway.getTopicRoute('FixtureTopic')).toEqual({
      topic: 'FixtureTopic',
      brokers: [
        { brokerName: 'broker-a', clusterName: 'DefaultCluster', addrs: { '0': FIXTURE_BROKER_ADDR } },
      ],
      queues: [{ brokerName: 'broker-a', perm: 6, readQueueNums: 4, writeQueueNums: 4, topicSysFlag: 0 }],
      orderTopicConf: undefined,
    })
    const ali = await gateway.getTopicRoute('AliOnsSmoke')
    expect(ali?.brokers[0]?.addrs).toEqual({ '0': FIXTURE_BROKER_ADDR })
    expect(await gateway.getTopicRoute('NoSuchTopic')).toBeUndefined()
    // What the gateway asked for: standard JSON routes, as PROTOCOL.md 7.3 recommends.
    expect(ext(namesrv.received(REQUEST_CODE.GET_ROUTEINFO_BY_TOPIC)[0]!)).toEqual({
      topic: 'FixtureTopic',
      acceptStandardJsonOnly: 'true',
    })
  })

  it('reads per-queue offsets from MessageQueue-keyed TopicStatsTable', async () => {
    const { broker, gateway } = await capturedCluster()
    broker.on(REQUEST_CODE.GET_TOPIC_STATS_INFO, '063-mqadmin-topicStatus-GET_TOPIC_STATS_INFO')
    const stats = await gateway.getTopicStats('FixtureTopic')
    expect(stats.partial).toBe(false)
    expect(stats.data?.queues).toEqual([
      {
        brokerName: 'broker-a',
        queueId: 0,
        minOffset: 0,
        maxOffset: 13,
        lastUpdateTimestampMs: 1795830641326,
      },
      {
        brokerName: 'broker-a',
        queueId: 1,
        minOffset: 0,
        maxOffset: 16,
        lastUpdateTimestampMs: 1795830646340,
      },
      {
        brokerName: 'broker-a',
        queueId: 2,
        minOffset: 0,
        maxOffset: 16,
        lastUpdateTimestampMs: 1795830641320,
      },
      {
        brokerName: 'broker-a',
        queueId: 3,
        minOffset: 0,
        maxOffset: 14,
        lastUpdateTimestampMs: 1795830641325,
      },
    ])
    expect(stats.data?.messageCount).toBe(59)
    expect(ext(broker.received(REQUEST_CODE.GET_TOPIC_STATS_INFO)[0]!)).toEqual({ topic: 'FixtureTopic' })
  })

  it('reads ConsumeStats (object keys, no pullOffset in 4.9.4) and the consumer and producer connections', async () => {
    const { broker, gateway } = await capturedCluster()
    broker.on(REQUEST_CODE.GET_CONSUME_STATS, '093-mqadmin-consumerProgress-GET_CONSUME_STATS')
    broker.on(
      REQUEST_CODE.GET_CONSUMER_CONNECTION_LIST,
      '089-mqadmin-consumerConnection-GET_CONSUMER_CONNECTION_LIST',
    )
    broker.on(
      REQUEST_CODE.GET_PRODUCER_CONNECTION_LIST,
      '085-mqadmin-producerConnection-GET_PRODUCER_CONNECTION_LIST',
    )
    const group = 'please_rename_unique_group_name_4'

    const stats = await gateway.getConsumeStats(group)
    expect(stats.data.consumeTps).toBeCloseTo(49.99250112483128, 10)
    expect(stats.data.lag).toBe(0)
    expect(
      stats.data.queues.map((q) => [q.topic, q.queueId, q.brokerOffset, q.consumerOffset, q.pullOffset]),
    ).toEqual([
      [`%RETRY%${group}`, 0, 0, 0, undefined],
      ['TopicTest', 0, 250, 250, undefined],
      ['TopicTest', 1, 250, 250, undefined],
      ['TopicTest', 2, 250, 250, undefined],
      ['TopicTest', 3, 250, 250, undefined],
    ])
    expect(stats.data.queues[1]!.lastTimestampMs).toBe(1795830637455)

    const connections = await gateway.getConsumerConnections(group)
    expect(connections.data).toMatchObject({
      group,
      online: true,
      consumeType: 'CONSUME_PASSIVELY',
      messageModel: 'CLUSTERING',
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
      members: [
        {
          clientId: '192.0.2.2@14876#3681210654761',
          clientAddr: '127.0.0.1:45990',
          language: 'JAVA',
          version: 401,
        },
      ],
    })
    expect(connections.data.subscriptions.map((s) => [s.topic, s.expression, s.expressionType])).toEqual([
      [`%RETRY%${group}`, '*', 'TAG'],
      ['TopicTest', '*', 'TAG'],
    ])

    const producers = await gateway.getProducerConnections('capture_idle_pg')
    expect(producers.data).toEqual([
      {
        producerGroup: 'capture_idle_pg',
        clientId: '192.0.2.2@14969#3691241410074',
        clientAddr: '127.0.0.1:60684',
        language: 'JAVA',
        version: 401,
        lastUpdateTimestampMs: undefined,
      },
    ])
  })

  it('lists groups from one GET_BROKER_CONSUME_STATS and one GET_ALL_SUBSCRIPTIONGROUP_CONFIG per master', async () => {
    const { broker, gateway } = await capturedCluster()
    broker.on(
      REQUEST_CODE.GET_BROKER_CONSUME_STATS,
      '144-mqadmin-brokerConsumeStats-GET_BROKER_CONSUME_STATS',
    )
    // 201 was not captured; this is its 4.9.4 shape (SubscriptionGroupWrapper).
    broker.on(REQUEST_CODE.GET_ALL_SUBSCRIPTIONGROUP_CONFIG, () => ({
      body: jsonBody({
        dataVersion: { counter: 3, timestamp: 1795830586054 },
        subscriptionGroupTable: {
          TOOLS_CONSUMER: { groupName: 'TOOLS_CONSUMER', retryMaxTimes: 16, retryQueueNums: 1 },
          please_rename_unique_group_name_4: {
            brokerId: 0,
            consumeBroadcastEnable: true,
            consumeEnable: true,
            consumeFromMinEnable: true,
            consumeMessageOrderly: false,
            groupName: 'please_rename_unique_group_name_4',
            notifyConsumerIdsChangedEnable: true,
            retryMaxTimes: 16,
            retryQueueNums: 1,
            whichBrokerWhenConsumeSlowly: 1,
          },
        },
      }),
    }))
    const groups = await gateway.listConsumerGroups()
    expect(groups.partial).toBe(false)
    const g = groups.data.find((x) => x.group === 'please_rename_unique_group_name_4')!
    expect(g.lag).toBe(1000)
    expect(g.consumeTps).toBeCloseTo(0.066670000166675, 10)
    expect(g.system).toBe(false)
    expect(g.config).toMatchObject({
      retryMaxTimes: 16,
      consumeBroadcastEnable: true,
      brokerNames: ['broker-a'],
    })
    expect(g.topics.map((t) => [t.topic, t.brokerOffset, t.consumerOffset, t.lag])).toEqual([
      ['%RETRY%please_rename_unique_group_name_4', 0, 0, 0],
      ['TopicTest', 1000, 0, 1000],
    ])
    const tools = groups.data.find((x) => x.group === 'TOOLS_CONSUMER')!
    expect(tools).toMatchObject({ system: true, lag: 0, topics: [] })
    expect(groups.data.map((x) => x.group)).toContain('CID_ONS-HTTP-PROXY')
    expect(broker.received(REQUEST_CODE.GET_BROKER_CONSUME_STATS)).toHaveLength(1)
    expect(broker.received(REQUEST_CODE.GET_ALL_SUBSCRIPTIONGROUP_CONFIG)).toHaveLength(1)
  })

  it('views a message by offset id at the broker the id names, and by key through the index', async () => {
    const { broker, gateway } = await capturedCluster()
    broker.on(REQUEST_CODE.VIEW_MESSAGE_BY_ID, '120-mqadmin-queryMsgById-VIEW_MESSAGE_BY_ID')
    broker.on(REQUEST_CODE.QUERY_MESSAGE, '126-mqadmin-queryMsgByKey-QUERY_MESSAGE')

    // 7F000001 00002A9F = 127.0.0.1:10911, CommitLog offset 0x5CC = 1484 (the id mqadmin queried).
    const msgId = '7F00000100002A9F00000000000005CC'
    const viewed = await gateway.viewMessage({ msgId })
    expect(ext(broker.received(REQUEST_CODE.VIEW_MESSAGE_BY_ID)[0]!)).toEqual({ offset: '1484' })
    expect(viewed.data).toHaveLength(1)
    const m = viewed.data[0]!
    expect(m).toMatchObject({
      msgId,
      uniqKey: 'C0000202385C5FFD2B278B70EE2A0007',
      topic: 'FixtureTopic',
      brokerName: 'broker-a',
      queueId: 0,
      queueOffset: 1,
      commitLogOffset: 1484,
      bornTimestampMs: 1795830634026,
      storeTimestampMs: 1795830634028,
      storeHost: FIXTURE_BROKER_ADDR,
      tags: 'TagA',
      keys: ['fixture-key-7'],
      bodySizeBytes: 16,
      bodyTruncated: false,
      compression: 'NONE',
      bodyDecoded: true,
    })
    expect(m.bornHost).toMatch(/^127\.0\.0\.1:\d+$/)
    expect(Buffer.from(m.bodyBase64, 'base64').toString()).toBe('Hello RocketMQ 7')
    expect(m.properties.CLUSTER).toBe('DefaultCluster')

    const byKey = await gateway.queryMessagesByKey({ topic: 'FixtureTopic', key: 'fixture-key-7' })
    expect(byKey.data.map((x) => x.msgId)).toEqual([msgId])
    expect(ext(broker.received(REQUEST_CODE.QUERY_MESSAGE)[0]!)).toMatchObject({
      topic: 'FixtureTopic',
      key: 'fixture-key-7',
      maxNum: '64',
      beginTimestamp: '0',
      _UNIQUE_KEY_QUERY: 'false',
    })
    // The index matches key hashes: a record whose KEYS do not hold the key exactly is dropped.
    expect((await gateway.queryMessagesByKey({ topic: 'FixtureTopic', key: 'fixture-key' })).data).toEqual([])
    // Bodies are cut at bodyBytesMax.
    const cut = await gateway.viewMessage({ msgId, bodyBytesMax: 5 })
    expect(cut.data[0]).toMatchObject({ bodyTruncated: true, bodySizeBytes: 16 })
    expect(Buffer.from(cut.data[0]!.bodyBase64, 'base64').toString()).toBe('Hello')
  })

  it('resolves a UNIQ_KEY through the topic index without dialling the address the id seems to name', async () => {
    const { broker, gateway } = await capturedCluster()
    broker.on(REQUEST_CODE.QUERY_MESSAGE, '130-mqadmin-queryMsgByUniqueKey-QUERY_MESSAGE')
    broker.on(REQUEST_CODE.VIEW_MESSAGE_BY_ID, () => ({
      code: RESPONSE_CODE.SYSTEM_ERROR,
      remark: 'unexpected',
    }))
    const found = await gateway.viewMessage({
      msgId: 'C0000202385C5FFD2B278B70EE2A0007',
      topic: 'FixtureTopic',
    })
    expect(found.partial).toBe(false)
    expect(found.data.map((x) => x.msgId)).toEqual(['7F00000100002A9F00000000000005CC'])
    expect(broker.received(REQUEST_CODE.VIEW_MESSAGE_BY_ID)).toHaveLength(0)
    expect(ext(broker.received(REQUEST_CODE.QUERY_MESSAGE)[0]!)).toMatchObject({
      key: 'C0000202385C5FFD2B278B70EE2A0007',
      maxNum: '32',
      _UNIQUE_KEY_QUERY: 'true',
    })
  })

  it('fails over to the next NameServer when one is unreachable, and maps "none answers" to SERVICE_UNAVAILABLE', async () => {
    const namesrv = await node()
    namesrv.on(REQUEST_CODE.GET_ROUTEINFO_BY_TOPIC, '031-mqadmin-topicRoute-GET_ROUTEINFO_BY_TOPIC')
    const dead = `127.0.0.1:${await closedPort()}`
    const gateway = gatewayFor(`${dead};${namesrv.addr}`)
    expect(gateway.namesrvAddrs).toEqual([dead, namesrv.addr])
    expect((await gateway.getTopicRoute('FixtureTopic'))?.topic).toBe('FixtureTopic')

    const statuses = await gateway.listNameServers()
    expect(statuses.map((s) => [s.addr, s.reachable])).toEqual([
      [dead, false],
      [namesrv.addr, true], // it answers 106 with REQUEST_CODE_NOT_SUPPORTED here: there, but unhelpful
    ])
    expect(statuses[0]!.error).toMatch(/unreachable/)
    expect(statuses[1]!.error).toMatch(/code 3/)

    const none = gatewayFor(dead)
    const err = await none.getTopicRoute('FixtureTopic').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('SERVICE_UNAVAILABLE')
    expect((err as AppError).message).toMatch(/no NameServer answered GET_ROUTEINFO_BY_TOPIC/)
  })

  it('returns partial results, not an error, when one broker does not answer within the deadline', async () => {
    const namesrv = await node()
    const a = await node()
    const silent = await node()
    namesrv.on(REQUEST_CODE.GET_BROKER_CLUSTER_INFO, () => ({
      body: textBody(
        `{"brokerAddrTable":{"broker-a":{"brokerAddrs":{0:"${a.addr}"},"brokerName":"broker-a","cluster":"C"},` +
          `"broker-b":{"brokerAddrs":{0:"${silent.addr}"},"brokerName":"broker-b","cluster":"C"}},` +
          `"clusterAddrTable":{"C":["broker-a","broker-b"]}}`,
      ),
    }))
    namesrv.on(REQUEST_CODE.GET_ALL_TOPIC_LIST_FROM_NAMESERVER, () => ({
      body: jsonBody({
        topicList: ['OnA', 'OnlyOnB', '%DLQ%g1', 'SCHEDULE_TOPIC_XXXX', 'C', 'broker-b', 'C_REPLY_TOPIC'],
      }),
    }))
    a.on(REQUEST_CODE.GET_ALL_TOPIC_CONFIG, () => ({
      body: textBody(
        '{"dataVersion":{"counter":1,"timestamp":1},"topicConfigTable":{' +
          '"OnA":{"order":false,"perm":6,"readQueueNums":4,"topicFilterType":"SINGLE_TAG","topicName":"OnA","topicSysFlag":0,"writeQueueNums":4},' +
          '"%DLQ%g1":{"order":false,"perm":2,"readQueueNums":1,"topicFilterType":"SINGLE_TAG","topicName":"%DLQ%g1","topicSysFlag":0,"writeQueueNums":1},' +
          '"Fifo":{"attributes":{"+message.type":"FIFO"},"order":false,"perm":6,"readQueueNums":2,"topicFilterType":"SINGLE_TAG","topicName":"Fifo","topicSysFlag":0,"writeQueueNums":2},' +
          '"SCHEDULE_TOPIC_XXXX":{"order":false,"perm":6,"readQueueNums":18,"topicFilterType":"SINGLE_TAG","topicName":"SCHEDULE_TOPIC_XXXX","topicSysFlag":0,"writeQueueNums":18}}}',
      ),
    }))
    silent.silence(REQUEST_CODE.GET_ALL_TOPIC_CONFIG)
    const gateway = gatewayFor(namesrv.addr, { callTimeoutMs: 300, heavyCallTimeoutMs: 300 })

    const startedMs = performance.now()
    const topics = await gateway.listTopics()
    expect(performance.now() - startedMs).toBeLessThan(2_000)
    expect(topics.partial).toBe(true)
    expect(topics.failures).toEqual([
      {
        broker: 'broker-b',
        reason: expect.stringMatching(/did not answer GET_ALL_TOPIC_CONFIG within 300 ms/) as string,
      },
    ])
    const byName = new Map(topics.data.map((t) => [t.topic, t]))
    expect(byName.get('OnA')).toMatchObject({ kind: 'NORMAL', messageType: 'UNSPECIFIED', readQueueNums: 4 })
    expect(byName.get('Fifo')).toMatchObject({ kind: 'NORMAL', messageType: 'FIFO' })
    expect(byName.get('%DLQ%g1')).toMatchObject({ kind: 'DLQ' })
    expect(byName.get('SCHEDULE_TOPIC_XXXX')).toMatchObject({ kind: 'SYSTEM' })
    // Topics of the silent broker come from the NameServer's list, without configs.
    expect(byName.get('OnlyOnB')).toMatchObject({ kind: 'NORMAL', brokers: [] })
    expect(byName.get('C')?.kind).toBe('SYSTEM')
    expect(byName.get('broker-b')?.kind).toBe('SYSTEM')
    expect(byName.get('C_REPLY_TOPIC')?.kind).toBe('SYSTEM')
  })

  it('signs every request with the ACL credentials (AclClientRPCHook)', async () => {
    const { namesrv, gateway } = await capturedCluster({
      credentials: { accessKey: 'rocketmq2', secretKey: '12345678' },
    })
    await gateway.getTopicRoute('FixtureTopic')
    const fields = ext(namesrv.received(REQUEST_CODE.GET_ROUTEINFO_BY_TOPIC)[0]!)
    expect(fields.AccessKey).toBe('rocketmq2')
    // Independently: sorted keys AccessKey, acceptStandardJsonOnly, topic → values concatenated.
    expect(fields.Signature).toBe(aclSignature(Buffer.from('rocketmq2trueFixtureTopic'), '12345678'))
    expect(fields.Signature).toBe(aclSignature(signedContent(fields, undefined), '12345678'))
  })

  it('never has more than `concurrency` requests in flight', async () => {
    const namesrv = await node()
    const broker = await node()
    const groups = Array.from({ length: 20 }, (_, i) => `g${i}`)
    namesrv.on(REQUEST_CODE.GET_ROUTEINFO_BY_TOPIC, () => ({
      body: jsonBody({
        brokerDatas: [{ brokerAddrs: { '0': broker.addr }, brokerName: 'broker-a', cluster: 'C' }],
        queueDatas: [
          { brokerName: 'broker-a', perm: 6, readQueueNums: 1, writeQueueNums: 1, topicSysFlag: 0 },
        ],
      }),
    }))
    broker.on(REQUEST_CODE.QUERY_TOPIC_CONSUME_BY_WHO, () => ({ body: jsonBody({ groupList: groups }) }))
    // Hold answers until the limit is reached (or the last request arrived), then release them together.
    let inFlight = 0
    let maxInFlight = 0
    let received = 0
    let held: (() => void)[] = []
    const concurrency = 3
    broker.on(REQUEST_CODE.GET_CONSUME_STATS, () => {
      inFlight++
      received++
      maxInFlight = Math.max(maxInFlight, inFlight)
      const answer = new Promise<void>((resolve) => held.push(resolve)).then(() => {
        inFlight--
        return { body: textBody('{"consumeTps":0.0,"offsetTable":{}}') }
      })
      if (held.length === concurrency || received === groups.length) {
        const release = held
        held = []
        release.forEach((r) => r())
      }
      return answer
    })
    const gateway = gatewayFor(namesrv.addr, { concurrency })
    const consumers = await gateway.getTopicConsumers('T')
    expect(consumers.partial).toBe(false)
    expect(consumers.data.map((c) => c.group)).toEqual([...groups].sort())
    expect(received).toBe(groups.length)
    expect(maxInFlight).toBe(concurrency)
    expect(gateway.concurrencyPeak).toBe(concurrency)
  })

  it('refuses malformed input before sending anything', async () => {
    const { namesrv, gateway } = await capturedCluster()
    const err = await gateway.getTopicRoute('bad topic!').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('VALIDATION_FAILED')
    expect(namesrv.requests).toHaveLength(0)
    expect(() => new RemoteGateway({ namesrvAddrs: 'not-an-address' })).toThrow(AppError)
  })

  it("parses RocketMQ's NameServer lists: semicolons (or commas), spaces, duplicates, IPv6", () => {
    expect(parseNamesrvAddrs('10.0.0.1:9876;10.0.0.2:9876; 10.0.0.1:9876')).toEqual([
      '10.0.0.1:9876',
      '10.0.0.2:9876',
    ])
    expect(parseNamesrvAddrs(['ns1.example:9876,[::1]:9876'])).toEqual(['ns1.example:9876', '[::1]:9876'])
    expect(() => parseNamesrvAddrs('')).toThrow()
    expect(() => parseNamesrvAddrs('host:0')).toThrow()
    expect(() => parseNamesrvAddrs('host')).toThrow()
  })

  it('turns an unreadable body into SERVICE_UNAVAILABLE naming the field', async () => {
    const { broker, gateway } = await capturedCluster()
    broker.on(REQUEST_CODE.GET_TOPIC_STATS_INFO, () => ({
      body: textBody('{"offsetTable":{"not-a-queue":{"maxOffset":1,"minOffset":0}}}'),
    }))
    const err = await gateway.getTopicStats('FixtureTopic').catch((e: unknown) => e)
    expect((err as AppError).code).toBe('SERVICE_UNAVAILABLE')
    expect((err as AppError).message).toMatch(/unreadable body\.offsetTable\["not-a-queue"\]/)
  })
})
