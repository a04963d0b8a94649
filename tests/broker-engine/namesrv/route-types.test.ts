// The registry's answers serialise exactly as a RocketMQ 4.9.4 NameServer's did on the wire, replaying the
// REGISTER_BROKER frames a real broker sent (fixtures/ holds the captured frames).

import { describe, expect, it } from 'vitest'
import { newRegistry, quoteBareNumericKeys, readFrame, registrationFromFrame } from './namesrv-test-kit'

describe('wire shapes match captured RocketMQ 4.9.4 bodies', () => {
  it('GET_BROKER_CLUSTER_INFO and GET_ROUTEINFO_BY_TOPIC after the broker-startup registration', () => {
    const { registry } = newRegistry()
    expect(
      registry.registerBroker(registrationFromFrame('001-broker-startup-REGISTER_BROKER.req.bin')),
    ).toStrictEqual({ status: 'REGISTERED' })

    // fastjson writes the brokerAddrs Long keys bare ({0:"..."}); quoted, the body is our JSON byte for byte.
    const clusterBody = readFrame('002-broker-startup-GET_BROKER_CLUSTER_INFO.res.bin').body
    expect(clusterBody).toContain('{0:"127.0.0.1:10911"}')
    const clusterInfo = registry.getClusterInfo()
    expect(clusterInfo).toStrictEqual(JSON.parse(quoteBareNumericKeys(clusterBody)))
    expect(JSON.stringify(clusterInfo)).toBe(quoteBareNumericKeys(clusterBody))

    // The route body was requested with version 401, so the NameServer already wrote standard JSON.
    const routeBody = readFrame('003-broker-startup-GET_ROUTEINFO_BY_TOPIC-TBW102.res.bin').body
    const route = registry.getRouteInfoByTopic('TBW102')
    expect(route).toStrictEqual(JSON.parse(routeBody))
    expect(JSON.stringify(route)).toBe(routeBody)
  })

  it('replays startup, periodic and incremental registrations, then the shutdown unregistration', () => {
    const { registry } = newRegistry()
    registry.registerBroker(registrationFromFrame('001-broker-startup-REGISTER_BROKER.req.bin'))
    // Counter 1 adds RMQ_SYS_TRANS_HALF_TOPIC; the periodic registration after it repeats counter 1.
    registry.registerBroker(registrationFromFrame('006-broker-startup-REGISTER_BROKER.req.bin'))
    expect(registry.getRouteInfoByTopic('RMQ_SYS_TRANS_HALF_TOPIC')).toBeDefined()
    registry.registerBroker(registrationFromFrame('011-broker-periodic-REGISTER_BROKER.req.bin'))

    // mqadmin updateTopic: the broker registers only FixtureTopic (counter 2) and keeps every other topic.
    const incremental = registrationFromFrame('021-mqadmin-updateTopic-REGISTER_BROKER.req.bin', true)
    expect(incremental.topicConfigs.map((c) => c.topicName)).toStrictEqual(['FixtureTopic'])
    registry.registerBroker(incremental)
    const routeBody = readFrame('031-mqadmin-topicRoute-GET_ROUTEINFO_BY_TOPIC.res.bin').body
    expect(JSON.stringify(registry.getRouteInfoByTopic('FixtureTopic'))).toBe(routeBody)
    expect(registry.getRouteInfoByTopic('TBW102')).toBeDefined()

    // The topic list a real NameServer answered at that point (between counters 3 and 4) is a subset of the
    // topics the counter-4 registration lists; the shape is { topicList: [...] }.
    const periodic = registrationFromFrame('045-broker-periodic-REGISTER_BROKER.req.bin')
    registry.registerBroker(periodic)
    const captured = JSON.parse(
      readFrame('024-mqadmin-topicList-GET_ALL_TOPIC_LIST_FROM_NAMESERVER.res.bin').body,
    ) as { topicList: string[] }
    const ours = registry.getAllTopicList()
    expect(Object.keys(ours)).toStrictEqual(Object.keys(captured))
    expect(ours.topicList).toStrictEqual(periodic.topicConfigs.map((c) => c.topicName).sort())
    expect(ours.topicList).toEqual(expect.arrayContaining(captured.topicList))

    const shutdown = readFrame('247-broker-shutdown-UNREGISTER_BROKER.req.bin').header.extFields ?? {}
    const unregistered = registry.unregisterBroker(
      shutdown.clusterName ?? '',
      shutdown.brokerAddr ?? '',
      shutdown.brokerName ?? '',
      Number(shutdown.brokerId),
    )
    expect(unregistered).toBe(true)
    expect(registry.getClusterInfo()).toStrictEqual({ brokerAddrTable: {}, clusterAddrTable: {} })
    expect(registry.getAllTopicList()).toStrictEqual({ topicList: [] })
  })

  it('a master and slave serialise brokerAddrs with both ids, master first', () => {
    const { registry } = newRegistry()
    const master = registrationFromFrame('001-broker-startup-REGISTER_BROKER.req.bin')
    registry.registerBroker({
      ...master,
      brokerAddr: '127.0.0.1:10921',
      brokerId: 1,
      haServerAddr: undefined,
    })
    registry.registerBroker(master)
    expect(JSON.stringify(registry.getClusterInfo().brokerAddrTable['broker-a'])).toBe(
      '{"brokerAddrs":{"0":"127.0.0.1:10911","1":"127.0.0.1:10921"},"brokerName":"broker-a","cluster":"DefaultCluster"}',
    )
  })
})
