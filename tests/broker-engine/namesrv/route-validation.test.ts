// Every malformed call is refused with ARGUMENT_INVALID naming the field, and leaves the registry unchanged.

import { describe, expect, it } from 'vitest'
import { EngineError } from '../../../broker-engine/common/engine-error'
import type { RouteRegistry } from '../../../broker-engine/namesrv/route-registry'
import type { RegisterBrokerRequest } from '../../../broker-engine/namesrv/route-types'
import { validateHostPort } from '../../../broker-engine/namesrv/route-validation'
import { CLUSTER, newRegistry, registerDemoCluster, registration, snapshot, topic } from './namesrv-test-kit'

/** Runs `call` on a populated registry and checks it throws ARGUMENT_INVALID for `field` with nothing changed. */
function expectRejected(call: (registry: RouteRegistry) => unknown, field: string): void {
  const { registry } = newRegistry()
  registerDemoCluster(registry)
  const before = snapshot(registry)
  let thrown: unknown
  try {
    call(registry)
  } catch (err) {
    thrown = err
  }
  expect(thrown).toBeInstanceOf(EngineError)
  expect(thrown).toMatchObject({ code: 'ARGUMENT_INVALID', details: { field } })
  expect((thrown as Error).message.startsWith(`${field} `)).toBe(true)
  expect(snapshot(registry)).toStrictEqual(before)
}

/** A registration with some fields replaced by values its type does not allow. */
const bad = (overrides: Record<string, unknown>): unknown => ({ ...registration(), ...overrides })
const badTopic = (overrides: Record<string, unknown>): unknown =>
  bad({ topicConfigs: [topic('Fine'), { ...topic('TopicTest'), ...overrides }] })

describe('registerBroker rejects bad input and changes nothing', () => {
  const cases: [string, unknown, string][] = [
    ['a request that is not an object', null, 'request'],
    ['a missing clusterName', bad({ clusterName: undefined }), 'clusterName'],
    ['an empty clusterName', bad({ clusterName: '' }), 'clusterName'],
    ['a clusterName with a space', bad({ clusterName: 'Default Cluster' }), 'clusterName'],
    ['a clusterName over 127 characters', bad({ clusterName: 'c'.repeat(128) }), 'clusterName'],
    ['a brokerName with a slash', bad({ brokerName: 'broker/a' }), 'brokerName'],
    ['a numeric brokerName', bad({ brokerName: 7 }), 'brokerName'],
    ['a brokerAddr without a port', bad({ brokerAddr: '10.0.0.1' }), 'brokerAddr'],
    ['a brokerAddr with port 0', bad({ brokerAddr: '10.0.0.1:0' }), 'brokerAddr'],
    ['a brokerAddr with port 65536', bad({ brokerAddr: '10.0.0.1:65536' }), 'brokerAddr'],
    ['a brokerAddr with a bad IPv4', bad({ brokerAddr: '300.0.0.1:10911' }), 'brokerAddr'],
    ['a brokerAddr with an empty host', bad({ brokerAddr: ':10911' }), 'brokerAddr'],
    ['a brokerAddr with a space', bad({ brokerAddr: 'host name:10911' }), 'brokerAddr'],
    ['a brokerAddr too long', bad({ brokerAddr: `${'a'.repeat(300)}:1` }), 'brokerAddr'],
    ['a negative brokerId', bad({ brokerId: -1 }), 'brokerId'],
    ['a fractional brokerId', bad({ brokerId: 0.5 }), 'brokerId'],
    ['a string brokerId', bad({ brokerId: '0' }), 'brokerId'],
    ['an unsafe brokerId', bad({ brokerId: 2 ** 53 }), 'brokerId'],
    ['an empty haServerAddr', bad({ haServerAddr: '' }), 'haServerAddr'],
    ['a haServerAddr without a port', bad({ haServerAddr: 'ha-host' }), 'haServerAddr'],
    ['a missing dataVersion', bad({ dataVersion: undefined }), 'dataVersion'],
    [
      'a negative dataVersion.counter',
      bad({ dataVersion: { timestamp: 1, counter: -1 } }),
      'dataVersion.counter',
    ],
    [
      'a string dataVersion.timestamp',
      bad({ dataVersion: { timestamp: '1', counter: 1 } }),
      'dataVersion.timestamp',
    ],
    [
      'a fractional dataVersion.stateVersion',
      bad({ dataVersion: { timestamp: 1, counter: 1, stateVersion: 0.5 } }),
      'dataVersion.stateVersion',
    ],
    ['a non-boolean incremental', bad({ incremental: 'yes' }), 'incremental'],
    [
      'topicConfigs that is not an array',
      bad({ topicConfigs: { TopicTest: topic('TopicTest') } }),
      'topicConfigs',
    ],
    ['a topic config that is not an object', bad({ topicConfigs: ['TopicTest'] }), 'topicConfigs[0]'],
    ['a hole in topicConfigs', bad({ topicConfigs: [topic('A'), , topic('B')] }), 'topicConfigs[1]'],
    ['a topic name with a space', badTopic({ topicName: 'Topic Test' }), 'topicConfigs[1].topicName'],
    ['an empty topic name', badTopic({ topicName: '' }), 'topicConfigs[1].topicName'],
    [
      'a topic name over 255 characters',
      badTopic({ topicName: 'T'.repeat(256) }),
      'topicConfigs[1].topicName',
    ],
    ['a duplicate topic', bad({ topicConfigs: [topic('A'), topic('A')] }), 'topicConfigs[1].topicName'],
    ['negative readQueueNums', badTopic({ readQueueNums: -1 }), 'topicConfigs[1].readQueueNums'],
    ['too many writeQueueNums', badTopic({ writeQueueNums: 65_537 }), 'topicConfigs[1].writeQueueNums'],
    ['fractional writeQueueNums', badTopic({ writeQueueNums: 1.5 }), 'topicConfigs[1].writeQueueNums'],
    ['perm above the PermName bits', badTopic({ perm: 16 }), 'topicConfigs[1].perm'],
    ['a string perm', badTopic({ perm: '6' }), 'topicConfigs[1].perm'],
    ['a negative topicSysFlag', badTopic({ topicSysFlag: -1 }), 'topicConfigs[1].topicSysFlag'],
    ['an unknown topicFilterType', badTopic({ topicFilterType: 'SQL92' }), 'topicConfigs[1].topicFilterType'],
    ['a non-boolean order', badTopic({ order: 'false' }), 'topicConfigs[1].order'],
    ['attributes that are not an object', badTopic({ attributes: ['a'] }), 'topicConfigs[1].attributes'],
    [
      'a non-string attribute',
      badTopic({ attributes: { '+message.type': 1 } }),
      'topicConfigs[1].attributes.+message.type',
    ],
    [
      'too many attributes',
      badTopic({ attributes: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v'])) }),
      'topicConfigs[1].attributes',
    ],
  ]
  for (const [name, request, field] of cases) {
    it(name, () => expectRejected((r) => r.registerBroker(request as RegisterBrokerRequest), field))
  }

  it('accepts IPv6 addresses bare (as RocketMQ prints them) or in brackets, and DNS names', () => {
    for (const addr of ['::1:10911', '[fe80::1]:10911', 'broker-a.example.com:10911', 'localhost:9876']) {
      expect(validateHostPort(addr, 'brokerAddr')).toBe(addr)
    }
    for (const addr of ['[10.0.0.1]:10911', '1.2.3:10911', '-bad-.example:1', 'fe80::1']) {
      expect(() => validateHostPort(addr, 'brokerAddr')).toThrow(EngineError)
    }
  })

  it('a "__proto__" attribute from JSON stays a plain key', () => {
    const { registry } = newRegistry()
    const attributes = JSON.parse('{"__proto__":"x","+message.type":"NORMAL"}') as Record<string, string>
    expect(registry.registerBroker(registration({ topicConfigs: [topic('T', { attributes })] })).status).toBe(
      'REGISTERED',
    )
    expect(Object.getPrototypeOf({})).toBe(Object.prototype)
  })
})

describe('bounds', () => {
  it('refuses a broker beyond brokersMax, but still accepts heartbeats and replacements', () => {
    const { registry } = newRegistry({ brokersMax: 3 })
    registerDemoCluster(registry)
    const before = snapshot(registry)
    expect(() =>
      registry.registerBroker(registration({ brokerAddr: '10.0.0.9:10911', brokerId: 2 })),
    ).toThrow(/brokersMax \(3\)/)
    expect(snapshot(registry)).toStrictEqual(before)
    expect(registry.registerBroker(registration()).status).toBe('REGISTERED')
    // A new address taking over broker-b's id 0 replaces a member: the count does not grow.
    registry.registerBroker(registration({ brokerAddr: '10.0.0.9:10911', brokerName: 'broker-b' }))
    expect(registry.getBrokerLiveInfo()).toHaveLength(3)
  })

  it('refuses a registration carrying more than registrationTopicsMax topics', () => {
    const { registry } = newRegistry({ registrationTopicsMax: 3 })
    const topics = ['A', 'B', 'C', 'D'].map((t) => topic(t))
    expect(() => registry.registerBroker(registration({ topicConfigs: topics }))).toThrow(
      /at most 3 topics per registration; got "4 topics"/,
    )
    expect(snapshot(registry)).toStrictEqual(snapshot(newRegistry().registry))
  })

  it('refuses a rebuild that would take the route table past topicsMax, counting topics it frees', () => {
    const { registry } = newRegistry({ topicsMax: 3 })
    registry.registerBroker(registration({ topicConfigs: [topic('A'), topic('B')] }))
    registry.registerBroker(
      registration({ brokerAddr: '10.0.0.3:10911', brokerName: 'broker-b', topicConfigs: [topic('C')] }),
    )
    const before = snapshot(registry)
    expect(() =>
      registry.registerBroker(
        registration({
          incremental: true,
          topicConfigs: [topic('D')],
          dataVersion: { timestamp: 2, counter: 2 },
        }),
      ),
    ).toThrow(/would hold 4 topics, above topicsMax \(3\)/)
    expect(snapshot(registry)).toStrictEqual(before)
    // A full registration that swaps B for D stays at 3 topics.
    registry.registerBroker(
      registration({ topicConfigs: [topic('A'), topic('D')], dataVersion: { timestamp: 2, counter: 2 } }),
    )
    expect(registry.getAllTopicList().topicList).toStrictEqual(['A', 'C', 'D'])
  })
})

describe('other calls reject bad input and change nothing', () => {
  it('unregisterBroker', () => {
    expectRejected((r) => r.unregisterBroker('', '10.0.0.1:10911', 'broker-a', 0), 'clusterName')
    expectRejected((r) => r.unregisterBroker(CLUSTER, 'nope', 'broker-a', 0), 'brokerAddr')
    expectRejected((r) => r.unregisterBroker(CLUSTER, '10.0.0.1:10911', 'broker a', 0), 'brokerName')
    expectRejected((r) => r.unregisterBroker(CLUSTER, '10.0.0.1:10911', 'broker-a', -1), 'brokerId')
    expectRejected((r) => r.unregisterBrokerByAddr('10.0.0.1'), 'brokerAddr')
  })

  it('queries', () => {
    expectRejected((r) => r.getRouteInfoByTopic('bad topic'), 'topic')
    expectRejected((r) => r.getRouteInfoByTopic(undefined as unknown as string), 'topic')
    expectRejected((r) => r.getTopicsByCluster(''), 'clusterName')
  })

  it('deleteTopic', () => {
    expectRejected((r) => r.deleteTopic('bad/topic'), 'topic')
    expectRejected((r) => r.deleteTopic('TopicTest', { clusterName: 'bad cluster' }), 'scope.clusterName')
    expectRejected((r) => r.deleteTopic('TopicTest', { brokerName: '' }), 'scope.brokerName')
    expectRejected((r) => r.deleteTopic('TopicTest', {} as { brokerName: string }), 'scope')
    expectRejected((r) => r.deleteTopic('TopicTest', null as unknown as { brokerName: string }), 'scope')
  })
})
