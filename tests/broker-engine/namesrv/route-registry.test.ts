import { describe, expect, it } from 'vitest'
import { EngineError } from '../../../broker-engine/common/engine-error'
import type { TopicRouteData } from '../../../broker-engine/namesrv/route-types'
import {
  BROKER_A_MASTER,
  BROKER_A_SLAVE,
  BROKER_B_MASTER,
  CLUSTER,
  newRegistry,
  registerDemoCluster,
  registration,
  snapshot,
  topic,
} from './namesrv-test-kit'

const queueNums = (route: TopicRouteData | undefined): Record<string, [number, number]> =>
  Object.fromEntries(
    (route?.queueDatas ?? []).map((q) => [q.brokerName, [q.readQueueNums, q.writeQueueNums]]),
  )

describe('registration', () => {
  it('holds a master and slave of broker-a and a master of broker-b in one cluster', () => {
    const { registry } = newRegistry()
    registerDemoCluster(registry)
    expect(registry.getClusterInfo()).toStrictEqual({
      brokerAddrTable: {
        'broker-a': {
          brokerAddrs: { 0: BROKER_A_MASTER, 1: BROKER_A_SLAVE },
          brokerName: 'broker-a',
          cluster: CLUSTER,
        },
        'broker-b': { brokerAddrs: { 0: BROKER_B_MASTER }, brokerName: 'broker-b', cluster: CLUSTER },
      },
      clusterAddrTable: { [CLUSTER]: ['broker-a', 'broker-b'] },
    })
    expect(registry.getBrokerLiveInfo().map((b) => [b.brokerName, b.brokerId, b.brokerAddr])).toStrictEqual([
      ['broker-a', 0, BROKER_A_MASTER],
      ['broker-a', 1, BROKER_A_SLAVE],
      ['broker-b', 0, BROKER_B_MASTER],
    ])
  })

  it("answers a slave with its master's address and HA address, and a master with neither", () => {
    const { registry } = newRegistry()
    const slave = registration({ brokerAddr: BROKER_A_SLAVE, brokerId: 1, haServerAddr: '10.0.0.2:10912' })
    // A slave that starts before its master learns nothing yet.
    expect(registry.registerBroker(slave)).toStrictEqual({ status: 'REGISTERED' })
    expect(registry.registerBroker(registration())).toStrictEqual({ status: 'REGISTERED' })
    expect(registry.registerBroker(slave)).toStrictEqual({
      status: 'REGISTERED',
      masterAddr: BROKER_A_MASTER,
      haServerAddr: '10.0.0.1:10912',
    })
    // A master without an HA address: the slave still learns the master address.
    registry.unregisterBroker(CLUSTER, BROKER_A_MASTER, 'broker-a', 0)
    registry.registerBroker(registration({ haServerAddr: undefined }))
    expect(registry.registerBroker(slave)).toStrictEqual({
      status: 'REGISTERED',
      masterAddr: BROKER_A_MASTER,
    })
  })

  it('merges queue data across broker names into one route', () => {
    const { registry } = newRegistry()
    registerDemoCluster(registry)
    const route = registry.getRouteInfoByTopic('TopicTest')
    expect(route).toStrictEqual({
      brokerDatas: [
        { brokerAddrs: { 0: BROKER_A_MASTER, 1: BROKER_A_SLAVE }, brokerName: 'broker-a', cluster: CLUSTER },
        { brokerAddrs: { 0: BROKER_B_MASTER }, brokerName: 'broker-b', cluster: CLUSTER },
      ],
      filterServerTable: {},
      queueDatas: [
        { brokerName: 'broker-a', perm: 6, readQueueNums: 4, topicSysFlag: 0, writeQueueNums: 4 },
        { brokerName: 'broker-b', perm: 6, readQueueNums: 8, topicSysFlag: 0, writeQueueNums: 8 },
      ],
    })
    expect(registry.getRouteInfoByTopic('OnlyOnA')?.brokerDatas.map((b) => b.brokerName)).toStrictEqual([
      'broker-a',
    ])
    expect(registry.getRouteInfoByTopic('OnlyOnB')?.queueDatas.map((q) => q.brokerName)).toStrictEqual([
      'broker-b',
    ])
    expect(registry.getAllTopicList()).toStrictEqual({ topicList: ['OnlyOnA', 'OnlyOnB', 'TopicTest'] })
  })

  it("never builds queue data from a slave's topic configs", () => {
    const { registry } = newRegistry()
    // The slave registers first, with its own idea of the topics: no route exists until the master comes.
    registry.registerBroker(
      registration({
        brokerAddr: BROKER_A_SLAVE,
        brokerId: 1,
        topicConfigs: [topic('TopicTest', { readQueueNums: 99 }), topic('SlaveOnly')],
      }),
    )
    expect(registry.getAllTopicList().topicList).toStrictEqual([])
    expect(registry.getRouteInfoByTopic('TopicTest')).toBeUndefined()
    registry.registerBroker(registration())
    // A later slave registration with a new dataVersion still changes nothing.
    registry.registerBroker(
      registration({
        brokerAddr: BROKER_A_SLAVE,
        brokerId: 1,
        topicConfigs: [topic('TopicTest', { readQueueNums: 99 }), topic('SlaveOnly')],
        dataVersion: { timestamp: 1_700_000_000_500, counter: 9 },
      }),
    )
    expect(queueNums(registry.getRouteInfoByTopic('TopicTest'))).toStrictEqual({ 'broker-a': [4, 4] })
    expect(registry.getRouteInfoByTopic('SlaveOnly')).toBeUndefined()
  })

  it('with an unchanged dataVersion only refreshes liveness; a changed one rebuilds the queue data', () => {
    const { registry, clock } = newRegistry()
    registerDemoCluster(registry)
    const before = snapshot(registry)
    clock.advance(30_000)
    const changedTopics = [topic('TopicTest', { readQueueNums: 16, writeQueueNums: 16 }), topic('NewOnA')]
    registry.registerBroker(registration({ topicConfigs: changedTopics }))
    const live = registry.getBrokerLiveInfo().find((b) => b.brokerAddr === BROKER_A_MASTER)
    expect(live?.lastUpdateTimestampMs).toBe(clock.nowMs())
    expect(live?.heartbeatAgeMs).toBe(0)
    const after = snapshot(registry) as { live: unknown }
    expect({ ...after, live: undefined }).toStrictEqual({ ...(before as object), live: undefined })

    registry.registerBroker(
      registration({
        topicConfigs: changedTopics,
        dataVersion: { timestamp: 1_700_000_030_000, counter: 2 },
      }),
    )
    expect(queueNums(registry.getRouteInfoByTopic('TopicTest'))).toStrictEqual({
      'broker-a': [16, 16],
      'broker-b': [8, 8],
    })
    expect(registry.getAllTopicList().topicList).toStrictEqual(['NewOnA', 'OnlyOnB', 'TopicTest'])
  })

  it('counts stateVersion in dataVersion equality, as DataVersion.equals does', () => {
    const { registry } = newRegistry()
    registry.registerBroker(registration())
    registry.registerBroker(
      registration({
        topicConfigs: [topic('TopicTest', { perm: 4 })],
        dataVersion: { timestamp: 1_700_000_000_000, counter: 1, stateVersion: 0 },
      }),
    )
    expect(registry.getRouteInfoByTopic('TopicTest')?.queueDatas[0]?.perm).toBe(6)
    registry.registerBroker(
      registration({
        topicConfigs: [topic('TopicTest', { perm: 4 })],
        dataVersion: { timestamp: 1_700_000_000_000, counter: 1, stateVersion: 1 },
      }),
    )
    expect(registry.getRouteInfoByTopic('TopicTest')?.queueDatas[0]?.perm).toBe(4)
  })

  it('an incremental registration adds and updates its topics without dropping the others', () => {
    const { registry } = newRegistry()
    registerDemoCluster(registry)
    registry.registerBroker(
      registration({
        incremental: true,
        topicConfigs: [topic('Created'), topic('TopicTest', { writeQueueNums: 2 })],
        dataVersion: { timestamp: 1_700_000_001_000, counter: 2 },
      }),
    )
    expect(registry.getAllTopicList().topicList).toStrictEqual(['Created', 'OnlyOnA', 'OnlyOnB', 'TopicTest'])
    expect(queueNums(registry.getRouteInfoByTopic('TopicTest'))).toStrictEqual({
      'broker-a': [4, 2],
      'broker-b': [8, 8],
    })
    // The periodic full registration that follows carries the same dataVersion: nothing to rebuild.
    const before = snapshot(registry)
    registry.registerBroker(
      registration({
        topicConfigs: [topic('Created'), topic('TopicTest', { writeQueueNums: 2 }), topic('OnlyOnA')],
        dataVersion: { timestamp: 1_700_000_001_000, counter: 2 },
      }),
    )
    expect(snapshot(registry)).toStrictEqual(before)
  })

  it('refuses an incremental registration from a broker it does not hold, changing nothing', () => {
    const { registry } = newRegistry()
    registerDemoCluster(registry)
    const before = snapshot(registry)
    const unknown = registry.registerBroker(
      registration({
        brokerAddr: '10.0.0.9:10911',
        brokerName: 'broker-c',
        incremental: true,
        topicConfigs: [topic('Created')],
      }),
    )
    expect(unknown).toMatchObject({ status: 'FULL_REGISTRATION_REQUIRED' })
    expect(unknown.status === 'FULL_REGISTRATION_REQUIRED' && unknown.reason).toContain('broker-c')
    // The slave's address claiming id 0 incrementally is not "known" either: the role changed.
    const promoted = registry.registerBroker(
      registration({ brokerAddr: BROKER_A_SLAVE, brokerId: 0, incremental: true, topicConfigs: [] }),
    )
    expect(promoted.status).toBe('FULL_REGISTRATION_REQUIRED')
    expect(snapshot(registry)).toStrictEqual(before)
  })

  it("a full registration with no topics removes the broker name's queues", () => {
    const { registry } = newRegistry()
    registerDemoCluster(registry)
    registry.registerBroker(registration({ topicConfigs: [], dataVersion: { timestamp: 1, counter: 5 } }))
    expect(registry.getAllTopicList().topicList).toStrictEqual(['OnlyOnB', 'TopicTest'])
    expect(queueNums(registry.getRouteInfoByTopic('TopicTest'))).toStrictEqual({ 'broker-b': [8, 8] })
    // broker-a is still registered: it just serves no topic.
    expect(Object.keys(registry.getClusterInfo().brokerAddrTable)).toStrictEqual(['broker-a', 'broker-b'])
  })

  it('a slave promoted to master keeps its address, drops its old id and rebuilds the queue data', () => {
    const { registry } = newRegistry()
    registerDemoCluster(registry)
    expect(registry.unregisterBroker(CLUSTER, BROKER_A_MASTER, 'broker-a', 0)).toBe(true)
    registry.registerBroker(
      registration({
        brokerAddr: BROKER_A_SLAVE,
        brokerId: 0,
        topicConfigs: [topic('TopicTest', { readQueueNums: 2, writeQueueNums: 2 })],
      }),
    )
    expect(registry.getClusterInfo().brokerAddrTable['broker-a']?.brokerAddrs).toStrictEqual({
      0: BROKER_A_SLAVE,
    })
    expect(queueNums(registry.getRouteInfoByTopic('TopicTest'))['broker-a']).toStrictEqual([2, 2])
    expect(registry.getRouteInfoByTopic('OnlyOnA')).toBeUndefined()
    expect(registry.getBrokerLiveInfo().filter((b) => b.brokerName === 'broker-a')).toHaveLength(1)
  })

  it('a new address for an existing broker id replaces the old member', () => {
    const { registry, logs } = newRegistry()
    registerDemoCluster(registry)
    registry.registerBroker(registration({ brokerAddr: '10.0.0.7:10911' }))
    expect(registry.getClusterInfo().brokerAddrTable['broker-a']?.brokerAddrs).toStrictEqual({
      0: '10.0.0.7:10911',
      1: BROKER_A_SLAVE,
    })
    expect(registry.getBrokerLiveInfo().map((b) => b.brokerAddr)).not.toContain(BROKER_A_MASTER)
    expect(logs.some((l) => l.includes('replaces 10.0.0.1:10911'))).toBe(true)
    // The replaced address is gone, so unregistering it matches nothing.
    expect(registry.unregisterBroker(CLUSTER, BROKER_A_MASTER, 'broker-a', 0)).toBe(false)
  })

  it('refuses an address or a broker name that would change identity, changing nothing', () => {
    const { registry } = newRegistry()
    registerDemoCluster(registry)
    const before = snapshot(registry)
    const asOtherName = () =>
      registry.registerBroker(
        registration({ brokerAddr: BROKER_A_SLAVE, brokerName: 'broker-b', brokerId: 1 }),
      )
    expect(asOtherName).toThrow(EngineError)
    expect(asOtherName).toThrow(/10\.0\.0\.2:10911 is registered as DefaultCluster\/broker-a\/1/)
    const inOtherCluster = () =>
      registry.registerBroker(registration({ clusterName: 'OtherCluster', brokerAddr: '10.0.0.8:10911' }))
    expect(inOtherCluster).toThrow(/broker-a belongs to cluster DefaultCluster, not OtherCluster/)
    expect(snapshot(registry)).toStrictEqual(before)
  })

  it('holds several clusters side by side', () => {
    const { registry } = newRegistry()
    registerDemoCluster(registry)
    registry.registerBroker(
      registration({
        clusterName: 'ClusterB',
        brokerName: 'broker-c',
        brokerAddr: '10.0.1.1:10911',
        topicConfigs: [topic('TopicTest'), topic('OnlyOnC')],
      }),
    )
    expect(registry.getClusterInfo().clusterAddrTable).toStrictEqual({
      ClusterB: ['broker-c'],
      [CLUSTER]: ['broker-a', 'broker-b'],
    })
    expect(registry.getTopicsByCluster('ClusterB').topicList).toStrictEqual(['OnlyOnC', 'TopicTest'])
    expect(registry.getTopicsByCluster(CLUSTER).topicList).toStrictEqual(['OnlyOnA', 'OnlyOnB', 'TopicTest'])
    expect(registry.getRouteInfoByTopic('TopicTest')?.brokerDatas.map((b) => b.cluster)).toStrictEqual([
      CLUSTER,
      CLUSTER,
      'ClusterB',
    ])
  })

  it('keeps its own copies: mutating the request afterwards or a query result changes nothing', () => {
    const { registry } = newRegistry()
    const request = registration({ topicConfigs: [topic('TopicTest')] })
    registry.registerBroker(request)
    const before = snapshot(registry)
    ;(request.topicConfigs[0] as { readQueueNums: number }).readQueueNums = 1000
    request.dataVersion.counter = 77
    const route = registry.getRouteInfoByTopic('TopicTest')
    if (route?.queueDatas[0]) route.queueDatas[0].perm = 0
    if (route?.brokerDatas[0]) route.brokerDatas[0].brokerAddrs[0] = 'x:1'
    const info = registry.getClusterInfo()
    info.clusterAddrTable[CLUSTER]?.push('ghost')
    const live = registry.getBrokerLiveInfo()
    if (live[0]) live[0].dataVersion.counter = 99
    expect(snapshot(registry)).toStrictEqual(before)
  })
})

describe('unregistration', () => {
  it('removing a slave leaves the broker name, its master and its queues', () => {
    const { registry } = newRegistry()
    registerDemoCluster(registry)
    expect(registry.unregisterBroker(CLUSTER, BROKER_A_SLAVE, 'broker-a', 1)).toBe(true)
    expect(registry.getClusterInfo().brokerAddrTable['broker-a']?.brokerAddrs).toStrictEqual({
      0: BROKER_A_MASTER,
    })
    expect(queueNums(registry.getRouteInfoByTopic('TopicTest'))).toStrictEqual({
      'broker-a': [4, 4],
      'broker-b': [8, 8],
    })
  })

  it('removing the master while a slave lives keeps the queues readable through the slave', () => {
    const { registry } = newRegistry()
    registerDemoCluster(registry)
    registry.unregisterBroker(CLUSTER, BROKER_A_MASTER, 'broker-a', 0)
    const route = registry.getRouteInfoByTopic('OnlyOnA')
    expect(route?.brokerDatas).toStrictEqual([
      { brokerAddrs: { 1: BROKER_A_SLAVE }, brokerName: 'broker-a', cluster: CLUSTER },
    ])
    expect(route?.queueDatas.map((q) => q.brokerName)).toStrictEqual(['broker-a'])
  })

  it('the last member of a broker name takes its queues and cluster membership; orphan topics disappear', () => {
    const { registry } = newRegistry()
    registerDemoCluster(registry)
    registry.unregisterBroker(CLUSTER, BROKER_A_SLAVE, 'broker-a', 1)
    registry.unregisterBroker(CLUSTER, BROKER_A_MASTER, 'broker-a', 0)
    expect(registry.getClusterInfo()).toStrictEqual({
      brokerAddrTable: {
        'broker-b': { brokerAddrs: { 0: BROKER_B_MASTER }, brokerName: 'broker-b', cluster: CLUSTER },
      },
      clusterAddrTable: { [CLUSTER]: ['broker-b'] },
    })
    expect(registry.getRouteInfoByTopic('OnlyOnA')).toBeUndefined()
    expect(queueNums(registry.getRouteInfoByTopic('TopicTest'))).toStrictEqual({ 'broker-b': [8, 8] })
    expect(registry.getAllTopicList().topicList).toStrictEqual(['OnlyOnB', 'TopicTest'])

    registry.unregisterBroker(CLUSTER, BROKER_B_MASTER, 'broker-b', 0)
    expect(registry.getClusterInfo()).toStrictEqual({ brokerAddrTable: {}, clusterAddrTable: {} })
    expect(registry.getAllTopicList().topicList).toStrictEqual([])
    expect(registry.getBrokerLiveInfo()).toStrictEqual([])
    expect(registry.getSystemTopicList()).toStrictEqual({ topicList: [] })
  })

  it('matches only the exact identity; anything else is a no-op answered with false', () => {
    const { registry } = newRegistry()
    registerDemoCluster(registry)
    const before = snapshot(registry)
    expect(registry.unregisterBroker(CLUSTER, BROKER_A_MASTER, 'broker-a', 1)).toBe(false)
    expect(registry.unregisterBroker(CLUSTER, BROKER_A_MASTER, 'broker-b', 0)).toBe(false)
    expect(registry.unregisterBroker('OtherCluster', BROKER_A_MASTER, 'broker-a', 0)).toBe(false)
    expect(registry.unregisterBroker(CLUSTER, '10.9.9.9:10911', 'broker-a', 0)).toBe(false)
    expect(snapshot(registry)).toStrictEqual(before)
  })

  it('a closed connection unregisters by address alone', () => {
    const { registry, logs } = newRegistry()
    registerDemoCluster(registry)
    expect(registry.unregisterBrokerByAddr(BROKER_B_MASTER)).toStrictEqual({
      clusterName: CLUSTER,
      brokerName: 'broker-b',
      brokerId: 0,
      brokerAddr: BROKER_B_MASTER,
    })
    expect(registry.getRouteInfoByTopic('OnlyOnB')).toBeUndefined()
    expect(registry.unregisterBrokerByAddr(BROKER_B_MASTER)).toBeUndefined()
    expect(logs.some((l) => l.includes('channel closed'))).toBe(true)
  })
})

describe('expiry', () => {
  it('a broker silent for 120 s is alive at 119.9 s and at the 120 s scan, and gone at the next scan', () => {
    const { registry, clock, logs } = newRegistry()
    registry.start()
    registerDemoCluster(registry)
    clock.advance(119_900)
    expect(registry.getBrokerLiveInfo()).toHaveLength(3)
    expect(registry.getBrokerLiveInfo()[0]?.heartbeatAgeMs).toBe(119_900)
    clock.advance(100) // the scan at exactly 120 s: lastUpdate + 120 s is not before now
    expect(registry.getBrokerLiveInfo()).toHaveLength(3)
    clock.advance(4_999)
    expect(registry.getBrokerLiveInfo()).toHaveLength(3)
    clock.advance(1) // 125 s: the first scan past the timeout
    expect(registry.getBrokerLiveInfo()).toStrictEqual([])
    expect(registry.getClusterInfo()).toStrictEqual({ brokerAddrTable: {}, clusterAddrTable: {} })
    expect(registry.getRouteInfoByTopic('TopicTest')).toBeUndefined()
    expect(logs.filter((l) => l.startsWith('broker expired'))).toHaveLength(3)
    registry.stop()
  })

  it('heartbeats every 30 s keep a broker alive; only the silent one expires', () => {
    const { registry, clock } = newRegistry()
    registry.start()
    registerDemoCluster(registry)
    for (let i = 0; i < 20; i++) {
      clock.advance(30_000)
      registry.registerBroker(registration({ topicConfigs: [topic('TopicTest'), topic('OnlyOnA')] }))
      registry.registerBroker(
        registration({
          brokerAddr: BROKER_B_MASTER,
          brokerName: 'broker-b',
          topicConfigs: [topic('TopicTest')],
        }),
      )
    }
    // Ten minutes in: the two masters heartbeat, the broker-a slave went silent after its first registration.
    expect(registry.getBrokerLiveInfo().map((b) => b.brokerAddr)).toStrictEqual([
      BROKER_A_MASTER,
      BROKER_B_MASTER,
    ])
    expect(registry.getClusterInfo().brokerAddrTable['broker-a']?.brokerAddrs).toStrictEqual({
      0: BROKER_A_MASTER,
    })
    // Heartbeats carried an unchanged dataVersion, so broker-b's OnlyOnB survives though they no longer list it.
    expect(registry.getRouteInfoByTopic('OnlyOnB')).toBeDefined()
    registry.stop()
  })

  it('an expired master takes its broker name out of the routes while other brokers stay', () => {
    const { registry, clock } = newRegistry()
    registry.start()
    registry.registerBroker(registration())
    clock.advance(100_000)
    registry.registerBroker(
      registration({
        brokerAddr: BROKER_B_MASTER,
        brokerName: 'broker-b',
        topicConfigs: [topic('TopicTest')],
      }),
    )
    clock.advance(25_000) // broker-a silent 125 s, broker-b 25 s
    const route = registry.getRouteInfoByTopic('TopicTest')
    expect(route?.brokerDatas.map((b) => b.brokerName)).toStrictEqual(['broker-b'])
    expect(route?.queueDatas.map((q) => q.brokerName)).toStrictEqual(['broker-b'])
    registry.stop()
  })

  it('scanNotActiveBrokers can be called directly and reports who was dropped', () => {
    const { registry, clock } = newRegistry()
    registerDemoCluster(registry)
    clock.advance(120_000)
    expect(registry.scanNotActiveBrokers()).toStrictEqual([])
    clock.advance(1)
    expect(registry.scanNotActiveBrokers().map((b) => `${b.brokerName}/${b.brokerId}`)).toStrictEqual([
      'broker-a/0',
      'broker-a/1',
      'broker-b/0',
    ])
    expect(registry.scanNotActiveBrokers()).toStrictEqual([])
  })

  it('start() schedules one repeating scan, stop() cancels it, and both are idempotent', () => {
    const { registry, clock } = newRegistry()
    expect(clock.pendingTimerCount()).toBe(0)
    registry.start()
    registry.start()
    expect(registry.running).toBe(true)
    expect(clock.pendingTimerCount()).toBe(1)
    registerDemoCluster(registry)
    registry.stop()
    registry.stop()
    expect(registry.running).toBe(false)
    expect(clock.pendingTimerCount()).toBe(0)
    clock.advance(600_000)
    // No scan ran: the silent brokers are still listed until someone scans.
    expect(registry.getBrokerLiveInfo()).toHaveLength(3)
    registry.start()
    clock.advance(5_000)
    expect(registry.getBrokerLiveInfo()).toStrictEqual([])
    registry.stop()
  })

  it('honours a configured timeout and scan interval', () => {
    const { registry, clock } = newRegistry({
      brokerChannelExpiredTimeoutMs: 10_000,
      scanNotActiveBrokerIntervalMs: 1_000,
    })
    registry.start()
    registry.registerBroker(registration())
    clock.advance(10_000)
    expect(registry.getBrokerLiveInfo()).toHaveLength(1)
    expect(registry.getBrokerLiveInfo()[0]?.heartbeatTimeoutMs).toBe(10_000)
    clock.advance(1_000)
    expect(registry.getBrokerLiveInfo()).toHaveLength(0)
    registry.stop()
  })
})

describe('queries and topic deletion', () => {
  it('answers undefined for a topic no broker serves', () => {
    const { registry } = newRegistry()
    expect(registry.getRouteInfoByTopic('TopicTest')).toBeUndefined()
    registerDemoCluster(registry)
    expect(registry.getRouteInfoByTopic('%RETRY%please_rename_unique_group_name_4')).toBeUndefined()
  })

  it('deletes a topic everywhere, per cluster or per broker name', () => {
    const { registry } = newRegistry()
    registerDemoCluster(registry)
    registry.registerBroker(
      registration({
        clusterName: 'ClusterB',
        brokerName: 'broker-c',
        brokerAddr: '10.0.1.1:10911',
        topicConfigs: [topic('TopicTest')],
      }),
    )
    expect(registry.deleteTopic('TopicTest', { brokerName: 'broker-b' })).toBe(true)
    expect(queueNums(registry.getRouteInfoByTopic('TopicTest'))).toStrictEqual({
      'broker-a': [4, 4],
      'broker-c': [4, 4],
    })
    expect(registry.deleteTopic('TopicTest', { clusterName: CLUSTER })).toBe(true)
    expect(registry.getRouteInfoByTopic('TopicTest')?.brokerDatas.map((b) => b.brokerName)).toStrictEqual([
      'broker-c',
    ])
    expect(registry.deleteTopic('TopicTest', { clusterName: 'NoSuchCluster' })).toBe(false)
    expect(registry.deleteTopic('TopicTest', { brokerName: 'broker-a' })).toBe(false)
    expect(registry.deleteTopic('OnlyOnA')).toBe(true)
    expect(registry.deleteTopic('OnlyOnA')).toBe(false)
    expect(registry.deleteTopic('TopicTest', { brokerName: 'broker-c' })).toBe(true)
    expect(registry.getAllTopicList().topicList).toStrictEqual(['OnlyOnB'])
  })

  it('a deleted topic stays deleted through heartbeats and returns with a new dataVersion', () => {
    const { registry } = newRegistry()
    registry.registerBroker(registration())
    registry.deleteTopic('TopicTest')
    registry.registerBroker(registration())
    expect(registry.getRouteInfoByTopic('TopicTest')).toBeUndefined()
    registry.registerBroker(registration({ dataVersion: { timestamp: 1_700_000_009_000, counter: 2 } }))
    expect(registry.getRouteInfoByTopic('TopicTest')).toBeDefined()
  })

  it('lists system topics: every cluster and broker name, and the first broker name master to ask', () => {
    const { registry } = newRegistry()
    registerDemoCluster(registry)
    expect(registry.getSystemTopicList()).toStrictEqual({
      topicList: [CLUSTER, 'broker-a', 'broker-b'],
      brokerAddr: BROKER_A_MASTER,
    })
    registry.unregisterBroker(CLUSTER, BROKER_A_MASTER, 'broker-a', 0)
    expect(registry.getSystemTopicList().brokerAddr).toBe(BROKER_A_SLAVE)
  })

  it('lists topics by cluster; an unknown cluster has none', () => {
    const { registry } = newRegistry()
    registerDemoCluster(registry)
    expect(registry.getTopicsByCluster('NoSuchCluster')).toStrictEqual({ topicList: [] })
  })

  it('reports live brokers with heartbeat age, HA address and dataVersion', () => {
    const { registry, clock } = newRegistry()
    const startMs = clock.nowMs()
    registerDemoCluster(registry)
    clock.advance(42_000)
    expect(registry.getBrokerLiveInfo()[0]).toStrictEqual({
      clusterName: CLUSTER,
      brokerName: 'broker-a',
      brokerId: 0,
      brokerAddr: BROKER_A_MASTER,
      haServerAddr: '10.0.0.1:10912',
      dataVersion: { timestamp: 1_700_000_000_000, counter: 1 },
      lastUpdateTimestampMs: startMs,
      heartbeatAgeMs: 42_000,
      heartbeatTimeoutMs: 120_000,
    })
  })
})
