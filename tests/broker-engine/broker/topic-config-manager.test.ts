import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BrokerConfig } from '../../../broker-engine/broker/broker-config'
import {
  isReadable,
  isWritable,
  permToString,
  PERM_INHERIT,
  PERM_READ,
  PERM_WRITE,
  TOPIC_COUNT_MAX,
  TopicConfigManager,
  type TopicConfigInput,
} from '../../../broker-engine/broker/topic-config-manager'
import { CONFIG_BATCH_COUNT_MAX } from '../../../broker-engine/broker/versioned-config-table'
import { EngineError } from '../../../broker-engine/common/engine-error'
import { FaultyIo } from '../../../broker-engine/testing/faulty-io'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'
import { collectingLog, readFrame, readJsonFile, tempConfigDir, testBrokerConfig } from './config-test-kit'

function openTopics(
  dir: string,
  config: Partial<BrokerConfig> = {},
  extra: { clock?: ManualClock; io?: FaultyIo; log?: (m: string) => void } = {},
): TopicConfigManager {
  const manager = new TopicConfigManager({
    configDir: dir,
    brokerConfig: testBrokerConfig(config),
    clock: extra.clock ?? new ManualClock(),
    log: extra.log ?? (() => undefined),
    io: extra.io,
  })
  manager.load()
  return manager
}

function expectEngineError(fn: () => unknown, code: string, field: string, message?: RegExp): void {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(EngineError)
    expect(err).toMatchObject({ code, details: { field } })
    if (message) expect((err as Error).message).toMatch(message)
    return
  }
  throw new Error(`expected ${code} on ${field}`)
}

describe('perm bits', () => {
  it('match PermName', () => {
    expect([PERM_READ, PERM_WRITE, PERM_INHERIT]).toEqual([4, 2, 1])
    expect(isReadable(6) && isWritable(6)).toBe(true)
    expect(isReadable(2)).toBe(false)
    expect(isWritable(4)).toBe(false)
    expect(permToString(7)).toBe('RWX')
    expect(permToString(4)).toBe('R--')
  })
})

describe('first load', () => {
  it('creates the system topics and writes topics.json in RocketMQ shape', () => {
    const dir = tempConfigDir()
    const clock = new ManualClock(1_800_000_000_000)
    const topics = openTopics(dir, {}, { clock })
    const byName = new Map(topics.list().map((t) => [t.topicName, t]))
    const expected: [string, number, number][] = [
      ['SELF_TEST_TOPIC', 1, 6],
      ['TBW102', 8, 7],
      ['DefaultCluster', 16, 7],
      ['broker-a', 1, 7],
      ['OFFSET_MOVED_EVENT', 1, 6],
      ['SCHEDULE_TOPIC_XXXX', 18, 6],
      ['DefaultCluster_REPLY_TOPIC', 1, 6],
      ['RMQ_SYS_TRANS_HALF_TOPIC', 1, 6],
      ['RMQ_SYS_TRANS_OP_HALF_TOPIC', 1, 6],
      ['TRANS_CHECK_MAX_TIME_TOPIC', 1, 6],
    ]
    expect([...byName.keys()].sort()).toEqual(expected.map(([n]) => n).sort())
    for (const [name, queues, perm] of expected) {
      expect(byName.get(name), name).toMatchObject({ readQueueNums: queues, writeQueueNums: queues, perm })
    }
    expect(topics.dataVersion).toEqual({ counter: 1, stateVersion: 0, timestamp: 1_800_000_000_000 })

    const file = readJsonFile(path.join(dir, 'topics.json')) as Record<string, unknown>
    expect(Object.keys(file)).toEqual(['dataVersion', 'topicConfigTable'])
    expect(file.dataVersion).toEqual({ counter: 1, stateVersion: 0, timestamp: 1_800_000_000_000 })
    const table = file.topicConfigTable as Record<string, Record<string, unknown>>
    expect(JSON.stringify(table.TBW102)).toBe(
      '{"attributes":{},"order":false,"perm":7,"readQueueNums":8,"topicFilterType":"SINGLE_TAG",' +
        '"topicName":"TBW102","topicSysFlag":0,"writeQueueNums":8}',
    )
  })

  it('follows the broker flags: no TBW102 without auto-create, inherit-only cluster and broker topics, trace topic', () => {
    const topics = openTopics(tempConfigDir(), {
      autoCreateTopicEnable: false,
      clusterTopicEnable: false,
      brokerTopicEnable: false,
      traceTopicEnable: true,
      brokerClusterName: 'ClusterX',
      brokerName: 'broker-x',
      messageDelayLevel: '1s 5s 10s',
    })
    expect(topics.get('TBW102')).toBeUndefined()
    expect(topics.get('ClusterX')?.perm).toBe(PERM_INHERIT)
    expect(topics.get('broker-x')?.perm).toBe(PERM_INHERIT)
    expect(topics.get('RMQ_SYS_TRACE_TOPIC')).toMatchObject({ readQueueNums: 1, perm: 6 })
    expect(topics.get('SCHEDULE_TOPIC_XXXX')?.writeQueueNums).toBe(3)
    expect(topics.isSystemTopic('ClusterX')).toBe(true)
    expect(topics.isSystemTopic('broker-x')).toBe(true)
    expect(topics.isSystemTopic('ClusterX_REPLY_TOPIC')).toBe(true)
    expect(topics.isSystemTopic('RMQ_SYS_TRACE_TOPIC')).toBe(true)
    expect(topics.isSystemTopic('TopicTest')).toBe(false)
  })

  it('a second load adds nothing and keeps the version', () => {
    const dir = tempConfigDir()
    const first = openTopics(dir)
    const second = openTopics(dir)
    expect(second.dataVersion).toEqual(first.dataVersion)
    expect(second.list()).toEqual(first.list())
  })

  it('grows SCHEDULE_TOPIC_XXXX when more delay levels are configured', () => {
    const dir = tempConfigDir()
    openTopics(dir)
    const more = openTopics(dir, {
      messageDelayLevel: '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h 3h 4h',
    })
    expect(more.get('SCHEDULE_TOPIC_XXXX')?.writeQueueNums).toBe(20)
    expect(more.dataVersion.counter).toBe(2)
  })

  it('refuses use before load', () => {
    const m = new TopicConfigManager({
      configDir: tempConfigDir(),
      brokerConfig: testBrokerConfig(),
      clock: new ManualClock(),
    })
    expect(() => m.get('T')).toThrow(/before load/)
  })
})

describe('upsert', () => {
  it('creates with defaults, updates by merging, bumps the version and persists each change', () => {
    const dir = tempConfigDir()
    const clock = new ManualClock()
    const topics = openTopics(dir, { defaultTopicQueueNums: 4 }, { clock })
    const v0 = topics.dataVersion.counter
    clock.advance(1000)
    expect(topics.upsert({ topicName: 'Orders' })).toEqual({
      topicName: 'Orders',
      readQueueNums: 4,
      writeQueueNums: 4,
      perm: 6,
      topicFilterType: 'SINGLE_TAG',
      topicSysFlag: 0,
      order: false,
      attributes: {},
    })
    expect(topics.dataVersion).toMatchObject({ counter: v0 + 1, timestamp: clock.nowMs() })
    const updated = topics.upsert({
      topicName: 'Orders',
      writeQueueNums: 2,
      perm: 4,
      attributes: { 'message.type': 'FIFO' },
    })
    expect(updated).toMatchObject({
      readQueueNums: 4,
      writeQueueNums: 2,
      perm: 4,
      attributes: { 'message.type': 'FIFO' },
    })
    expect(Object.isFrozen(updated)).toBe(true)
    expect(topics.dataVersion.counter).toBe(v0 + 2)
    const onDisk = readJsonFile(path.join(dir, 'topics.json')) as {
      topicConfigTable: Record<string, unknown>
    }
    expect(onDisk.topicConfigTable.Orders).toMatchObject({ writeQueueNums: 2, perm: 4 })
  })

  it('an unchanged config is not rewritten and keeps the version', () => {
    const dir = tempConfigDir()
    const topics = openTopics(dir)
    const created = topics.upsert({ topicName: 'Same', readQueueNums: 2, writeQueueNums: 2 })
    const version = topics.dataVersion
    fs.rmSync(path.join(dir, 'topics.json'))
    expect(topics.upsert({ topicName: 'Same', readQueueNums: 2 })).toBe(created)
    expect(topics.dataVersion).toBe(version)
    expect(fs.existsSync(path.join(dir, 'topics.json'))).toBe(false)
  })

  it('allows a system topic only with { system: true }', () => {
    const topics = openTopics(tempConfigDir())
    expectEngineError(
      () => topics.upsert({ topicName: 'TBW102', perm: 6 }),
      'TOPIC_INVALID',
      'topicName',
      /system topic/,
    )
    expectEngineError(() => topics.upsert({ topicName: 'broker-a' }), 'TOPIC_INVALID', 'topicName')
    expectEngineError(() => topics.upsert({ topicName: 'rmq_sys_mine' }), 'TOPIC_INVALID', 'topicName')
    expect(topics.upsert({ topicName: 'TBW102', perm: 6 }, { system: true }).perm).toBe(6)
  })

  const bad: [string, TopicConfigInput, string, string][] = [
    ['an illegal name', { topicName: 'bad topic' }, 'TOPIC_INVALID', 'topicName'],
    ['a 128-char name', { topicName: 'x'.repeat(128) }, 'TOPIC_INVALID', 'topicName'],
    ['negative queues', { topicName: 'T', readQueueNums: -1 }, 'ARGUMENT_INVALID', 'readQueueNums'],
    ['too many queues', { topicName: 'T', writeQueueNums: 1025 }, 'ARGUMENT_INVALID', 'writeQueueNums'],
    ['fractional queues', { topicName: 'T', writeQueueNums: 1.5 }, 'ARGUMENT_INVALID', 'writeQueueNums'],
    [
      'no queues at all',
      { topicName: 'T', readQueueNums: 0, writeQueueNums: 0 },
      'ARGUMENT_INVALID',
      'readQueueNums',
    ],
    ['perm 8', { topicName: 'T', perm: 8 }, 'ARGUMENT_INVALID', 'perm'],
    ['perm -1', { topicName: 'T', perm: -1 }, 'ARGUMENT_INVALID', 'perm'],
    [
      'a filter type',
      { topicName: 'T', topicFilterType: 'SQL92' as never },
      'ARGUMENT_INVALID',
      'topicFilterType',
    ],
    ['a negative sys flag', { topicName: 'T', topicSysFlag: -1 }, 'ARGUMENT_INVALID', 'topicSysFlag'],
    ['order as text', { topicName: 'T', order: 'true' as never }, 'ARGUMENT_INVALID', 'order'],
    [
      'an attribute with a space',
      { topicName: 'T', attributes: { a: 'x y' } },
      'ARGUMENT_INVALID',
      'attributes',
    ],
    [
      'a bad attribute name',
      { topicName: 'T', attributes: { 'a b': 'x' } },
      'ARGUMENT_INVALID',
      'attributes',
    ],
    [
      'a bad message.type',
      { topicName: 'T', attributes: { 'message.type': 'WEIRD' } },
      'ARGUMENT_INVALID',
      'attributes',
    ],
    [
      '33 attributes',
      {
        topicName: 'T',
        attributes: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v'])),
      },
      'ARGUMENT_INVALID',
      'attributes',
    ],
    ['an unknown field', { topicName: 'T', readQueueNum: 4 } as never, 'ARGUMENT_INVALID', 'readQueueNum'],
  ]
  for (const [what, input, code, field] of bad) {
    it(`refuses ${what} and changes nothing`, () => {
      const topics = openTopics(tempConfigDir())
      const version = topics.dataVersion
      expectEngineError(() => topics.upsert(input), code, field)
      expect(topics.get(input.topicName)).toBeUndefined()
      expect(topics.dataVersion).toBe(version)
    })
  }

  it('a failed write leaves the table and version as they were', () => {
    const io = new FaultyIo()
    const topics = openTopics(tempConfigDir(), {}, { io })
    const version = topics.dataVersion
    io.fail({ kind: 'write', code: 'ENOSPC', pathIncludes: 'topics.json.tmp' })
    expect(() => topics.upsert({ topicName: 'Lost' })).toThrow(/ENOSPC/)
    expect(topics.get('Lost')).toBeUndefined()
    expect(topics.dataVersion).toBe(version)
    io.heal()
    expect(topics.upsert({ topicName: 'Lost' }).topicName).toBe('Lost')
  })
})

describe('delete', () => {
  it('removes a topic and persists; false when absent; system topics need { system: true }', () => {
    const dir = tempConfigDir()
    const topics = openTopics(dir)
    topics.upsert({ topicName: 'Gone' })
    const version = topics.dataVersion.counter
    expect(topics.delete('Gone')).toBe(true)
    expect(topics.delete('Gone')).toBe(false)
    expect(topics.dataVersion.counter).toBe(version + 1)
    expect(openTopics(dir).get('Gone')).toBeUndefined()
    expectEngineError(() => topics.delete('SCHEDULE_TOPIC_XXXX'), 'TOPIC_INVALID', 'topic', /system topic/)
    expectEngineError(() => topics.delete('no such/topic'), 'TOPIC_INVALID', 'topic')
    expect(topics.delete('SELF_TEST_TOPIC', { system: true })).toBe(true)
  })
})

describe('auto-create on send (createTopicInSendMessageMethod)', () => {
  it('creates from TBW102 with min(client, default) queues and the default perm minus inherit', () => {
    const dir = tempConfigDir()
    const { log, lines } = collectingLog()
    const topics = openTopics(dir, {}, { log })
    const created = topics.createTopicInSendMessageMethod('NewTopic', 'TBW102', '10.0.0.9:5555', 4, 0)
    expect(created).toMatchObject({ topicName: 'NewTopic', readQueueNums: 4, writeQueueNums: 4, perm: 6 })
    expect(topics.createTopicInSendMessageMethod('Wide', 'TBW102', undefined, 16, 0)?.writeQueueNums).toBe(8)
    expect(lines.join('\n')).toMatch(
      /created topic NewTopic from TBW102 with 4 queues \(producer 10\.0\.0\.9:5555\)/,
    )
    expect(openTopics(dir).get('NewTopic')).toEqual(created)
  })

  it('returns the existing topic unchanged', () => {
    const topics = openTopics(tempConfigDir())
    const existing = topics.upsert({ topicName: 'Have', readQueueNums: 2, writeQueueNums: 2 })
    const version = topics.dataVersion
    expect(topics.createTopicInSendMessageMethod('Have', 'TBW102', undefined, 4, 0)).toBe(existing)
    expect(topics.dataVersion).toBe(version)
  })

  it('creates nothing while autoCreateTopicEnable is off, even with a TBW102 left from before', () => {
    const dir = tempConfigDir()
    openTopics(dir)
    const { log, lines } = collectingLog()
    const topics = openTopics(dir, { autoCreateTopicEnable: false }, { log })
    expect(topics.get('TBW102')?.perm).toBe(7)
    expect(topics.createTopicInSendMessageMethod('NewTopic', 'TBW102', undefined, 4, 0)).toBeUndefined()
    expect(topics.get('NewTopic')).toBeUndefined()
    expect(lines.join('\n')).toMatch(/has perm RW-, not inheritable/)
  })

  it('needs a default topic that exists and carries PERM_INHERIT', () => {
    const { log, lines } = collectingLog()
    const topics = openTopics(tempConfigDir(), {}, { log })
    topics.upsert({ topicName: 'PlainDefault' })
    expect(topics.createTopicInSendMessageMethod('A', 'PlainDefault', undefined, 4, 0)).toBeUndefined()
    expect(topics.createTopicInSendMessageMethod('A', 'Missing', undefined, 4, 0)).toBeUndefined()
    expect(lines.join('\n')).toMatch(/default topic Missing does not exist/)
    // The cluster-name topic inherits too, as in RocketMQ; 16 queues, capped by the client's 3.
    expect(topics.createTopicInSendMessageMethod('B', 'DefaultCluster', undefined, 3, 0)).toMatchObject({
      writeQueueNums: 3,
      perm: 6,
    })
  })

  it('creates nothing from a default topic without write queues', () => {
    const topics = openTopics(tempConfigDir())
    topics.upsert({ topicName: 'TBW102', writeQueueNums: 0 }, { system: true })
    expect(topics.createTopicInSendMessageMethod('A', 'TBW102', undefined, 4, 0)).toBeUndefined()
  })

  it('refuses bad arguments', () => {
    const topics = openTopics(tempConfigDir())
    expectEngineError(
      () => topics.createTopicInSendMessageMethod('bad topic', 'TBW102', undefined, 4, 0),
      'TOPIC_INVALID',
      'topic',
    )
    expectEngineError(
      () => topics.createTopicInSendMessageMethod('T', 'TBW102', undefined, 0, 0),
      'ARGUMENT_INVALID',
      'clientDefaultTopicQueueNums',
    )
    expectEngineError(
      () => topics.createTopicInSendMessageMethod('T', 'TBW102', undefined, 4, -1),
      'ARGUMENT_INVALID',
      'topicSysFlag',
    )
    topics.delete('OFFSET_MOVED_EVENT', { system: true })
    expectEngineError(
      () => topics.createTopicInSendMessageMethod('OFFSET_MOVED_EVENT', 'TBW102', undefined, 4, 0),
      'TOPIC_INVALID',
      'topic',
      /forbidden/,
    )
  })
})

describe('retry and DLQ topics', () => {
  it('creates %RETRY%<group> with the group’s retry queues and %DLQ%<group> with one queue, both RW', () => {
    const dir = tempConfigDir()
    const topics = openTopics(dir)
    expect(topics.getOrCreateRetryTopic('GID_A', 2)).toMatchObject({
      topicName: '%RETRY%GID_A',
      readQueueNums: 2,
      writeQueueNums: 2,
      perm: 6,
    })
    expect(topics.getOrCreateDlqTopic('GID_A')).toMatchObject({
      topicName: '%DLQ%GID_A',
      readQueueNums: 1,
      writeQueueNums: 1,
      perm: 6,
    })
    const version = topics.dataVersion
    expect(topics.getOrCreateRetryTopic('GID_A', 5).writeQueueNums).toBe(2)
    expect(topics.dataVersion).toBe(version)
    const reloaded = openTopics(dir)
    expect(reloaded.get('%RETRY%GID_A')).toBeDefined()
    expect(reloaded.get('%DLQ%GID_A')).toBeDefined()
  })

  it('refuses bad groups and retry queue counts', () => {
    const topics = openTopics(tempConfigDir())
    expectEngineError(() => topics.getOrCreateRetryTopic('bad group', 1), 'ARGUMENT_INVALID', 'group')
    expectEngineError(() => topics.getOrCreateRetryTopic('G', 0), 'ARGUMENT_INVALID', 'retryQueueNums')
    expectEngineError(() => topics.getOrCreateRetryTopic('G', 1025), 'ARGUMENT_INVALID', 'retryQueueNums')
    expectEngineError(() => topics.getOrCreateDlqTopic('g'.repeat(121)), 'ARGUMENT_INVALID', 'group')
  })
})

describe('persistence and crash safety', () => {
  it('round-trips every field and the version across a restart', () => {
    const dir = tempConfigDir()
    const topics = openTopics(dir)
    topics.upsert({
      topicName: 'Full',
      readQueueNums: 3,
      writeQueueNums: 2,
      perm: 4,
      topicFilterType: 'MULTI_TAG',
      topicSysFlag: 1,
      order: true,
      attributes: { 'message.type': 'FIFO', 'queue.type': 'BatchCQ' },
    })
    const reloaded = openTopics(dir)
    expect(reloaded.list()).toEqual(topics.list())
    expect(reloaded.dataVersion).toEqual(topics.dataVersion)
    expect(reloaded.serializeWrapper()).toEqual(topics.serializeWrapper())
  })

  it('a torn topics.json falls back to .bak, which holds the table before the last change', () => {
    const dir = tempConfigDir()
    const topics = openTopics(dir)
    topics.upsert({ topicName: 'Kept' })
    topics.upsert({ topicName: 'LastChange' })
    const file = path.join(dir, 'topics.json')
    const text = fs.readFileSync(file, 'utf8')
    fs.writeFileSync(file, text.slice(0, text.length / 2))
    const { log, lines } = collectingLog()
    const reloaded = openTopics(dir, {}, { log })
    expect(reloaded.get('Kept')).toBeDefined()
    expect(reloaded.get('LastChange')).toBeUndefined()
    expect(lines.join('\n')).toMatch(/topics\.json is unusable.*\n.*loaded the previous copy/)
  })

  it('with both copies gone it starts from the system topics', () => {
    const dir = tempConfigDir()
    openTopics(dir).upsert({ topicName: 'Orders' })
    fs.rmSync(path.join(dir, 'topics.json'))
    fs.rmSync(path.join(dir, 'topics.json.bak'))
    const reloaded = openTopics(dir)
    expect(reloaded.get('Orders')).toBeUndefined()
    expect(reloaded.get('TBW102')).toBeDefined()
  })

  it('loads the topic table a real 4.9.4 broker registered (no attributes, no stateVersion)', () => {
    const dir = tempConfigDir()
    const body = JSON.parse(readFrame('001-broker-startup-REGISTER_BROKER.req.bin').body) as {
      topicConfigSerializeWrapper: unknown
    }
    fs.writeFileSync(path.join(dir, 'topics.json'), JSON.stringify(body.topicConfigSerializeWrapper))
    const topics = openTopics(dir)
    expect(topics.get('BenchmarkTest')).toEqual({
      topicName: 'BenchmarkTest',
      readQueueNums: 1024,
      writeQueueNums: 1024,
      perm: 6,
      topicFilterType: 'SINGLE_TAG',
      topicSysFlag: 0,
      order: false,
      attributes: {},
    })
    expect(topics.get('SCHEDULE_TOPIC_XXXX')?.readQueueNums).toBe(18)
    // The 4.9.4 table lacks the transaction topics; they are added and the version moves on from the file's.
    expect(topics.get('RMQ_SYS_TRANS_HALF_TOPIC')).toBeDefined()
    expect(topics.dataVersion.counter).toBe(1)
  })

  it('skips invalid entries and says which', () => {
    const dir = tempConfigDir()
    const good = { topicName: 'Good', readQueueNums: 1, writeQueueNums: 1, perm: 6 }
    fs.writeFileSync(
      path.join(dir, 'topics.json'),
      JSON.stringify({
        dataVersion: { counter: 5, timestamp: 1, stateVersion: 0 },
        topicConfigTable: {
          Good: good,
          BadPerm: { ...good, topicName: 'BadPerm', perm: 9 },
          Mismatch: { ...good, topicName: 'Other' },
          NotObject: 3,
          'bad name': { ...good, topicName: 'bad name' },
        },
      }),
    )
    const { log, lines } = collectingLog()
    const topics = openTopics(dir, {}, { log })
    expect(topics.get('Good')).toMatchObject({ perm: 6, topicFilterType: 'SINGLE_TAG', attributes: {} })
    expect(topics.get('BadPerm')).toBeUndefined()
    expect(topics.get('Mismatch')).toBeUndefined()
    const text = lines.join('\n')
    expect(text).toMatch(/skipped topic "BadPerm": perm must be/)
    expect(text).toMatch(/skipped topic "Mismatch": its topicName "Other" differs/)
    expect(text).toMatch(/skipped topic "NotObject": not an object/)
    expect(text).toMatch(/skipped topic "bad name": .*illegal characters/)
    expect(topics.dataVersion.counter).toBe(6)
  })
})

describe('bounds', () => {
  it('loads at most TOPIC_COUNT_MAX topics and then refuses new ones', () => {
    const dir = tempConfigDir()
    const topicConfigTable: Record<string, object> = {}
    for (let i = 0; i <= TOPIC_COUNT_MAX; i++) topicConfigTable[`T${i}`] = { topicName: `T${i}`, perm: 6 }
    fs.writeFileSync(path.join(dir, 'topics.json'), JSON.stringify({ topicConfigTable }))
    const { log, lines } = collectingLog()
    const topics = new TopicConfigManager({
      configDir: dir,
      brokerConfig: testBrokerConfig(),
      clock: new ManualClock(),
      log,
    })
    topics.load()
    // The system topics are added even to a full table: the broker cannot run without them.
    expect(topics.size).toBe(TOPIC_COUNT_MAX + 10)
    expect(topics.get('TBW102')).toBeDefined()
    expect(lines.join('\n')).toMatch(
      new RegExp(`skipped topic "T${TOPIC_COUNT_MAX}": more than ${TOPIC_COUNT_MAX}`),
    )
    expectEngineError(() => topics.upsert({ topicName: 'OneMore' }), 'ARGUMENT_INVALID', 'topicName')
    expectEngineError(() => topics.getOrCreateRetryTopic('G', 1), 'ARGUMENT_INVALID', 'topicName')
    expect(topics.createTopicInSendMessageMethod('OneMore', 'T1', undefined, 4, 0)).toBeUndefined()
    expect(topics.upsert({ topicName: 'T5', perm: 4 }).perm).toBe(4)
    // A batch is refused whole when its new topics do not fit; updates of existing ones take no room.
    const version = topics.dataVersion
    expectEngineError(
      () => topics.upsertMany([{ topicName: 'T6', perm: 4 }, { topicName: 'OneMore' }]),
      'ARGUMENT_INVALID',
      'topics',
      /cannot add 1 topics/,
    )
    expect(topics.get('T6')!.perm).toBe(6)
    expect(topics.dataVersion).toBe(version)
    expect(topics.upsertMany([{ topicName: 'T6', perm: 4 }]).changed).toHaveLength(1)
  })
})

describe('upsertMany (UPDATE_AND_CREATE_TOPIC_LIST)', () => {
  const batch = (n: number, from = 0): TopicConfigInput[] =>
    Array.from({ length: n }, (_, i) => ({
      topicName: `Batch${from + i}`,
      readQueueNums: 2,
      writeQueueNums: 2,
    }))

  it('creates every topic with one version bump and one write of topics.json', () => {
    const dir = tempConfigDir()
    const io = new FaultyIo()
    const clock = new ManualClock(1_800_000_000_000)
    const topics = openTopics(dir, {}, { io, clock })
    const version = topics.dataVersion.counter
    const syncs = io.counts.fdatasync
    clock.advance(5)
    const result = topics.upsertMany(batch(500))
    // One persist = one fdatasync of topics.json.tmp + one of the directory.
    expect(io.counts.fdatasync - syncs).toBe(2)
    expect(topics.dataVersion).toMatchObject({ counter: version + 1, timestamp: clock.nowMs() })
    expect(result.changed).toHaveLength(500)
    expect(result.configs.map((c) => c.topicName)).toEqual(batch(500).map((t) => t.topicName))
    expect(topics.get('Batch499')).toMatchObject({ readQueueNums: 2, writeQueueNums: 2, perm: 6 })
    const file = readJsonFile(path.join(dir, 'topics.json')) as {
      dataVersion: { counter: number }
      topicConfigTable: Record<string, unknown>
    }
    expect(file.dataVersion.counter).toBe(version + 1)
    expect(Object.keys(file.topicConfigTable)).toHaveLength(510)
    expect(openTopics(dir).get('Batch0')).toEqual(topics.get('Batch0'))
  })

  it('leaves unchanged entries alone: no bump and no write when nothing differs', () => {
    const io = new FaultyIo()
    const topics = openTopics(tempConfigDir(), {}, { io })
    const first = topics.upsertMany(batch(3))
    const version = topics.dataVersion
    const syncs = io.counts.fdatasync
    const again = topics.upsertMany(batch(3))
    expect(again.changed).toEqual([])
    expect(again.configs).toEqual(first.configs)
    expect(again.configs[0]).toBe(first.configs[0])
    expect(topics.dataVersion).toBe(version)
    expect(io.counts.fdatasync).toBe(syncs)
    const mixed = topics.upsertMany([...batch(2), { topicName: 'Batch2', perm: 4 }, { topicName: 'New' }])
    expect(mixed.changed.map((c) => c.topicName)).toEqual(['Batch2', 'New'])
    expect(topics.dataVersion.counter).toBe(version.counter + 1)
    expect(io.counts.fdatasync - syncs).toBe(2)
  })

  it('checks every entry first: one bad entry refuses the batch, naming its index and topic', () => {
    const io = new FaultyIo()
    const topics = openTopics(tempConfigDir(), {}, { io })
    const version = topics.dataVersion
    const syncs = io.counts.fdatasync
    const cases: [TopicConfigInput, string, string, RegExp][] = [
      [{ topicName: 'Bad', readQueueNums: -1 }, 'ARGUMENT_INVALID', 'readQueueNums', /readQueueNums/],
      [{ topicName: 'bad name' }, 'TOPIC_INVALID', 'topicName', /illegal/],
      [{ topicName: 'SCHEDULE_TOPIC_XXXX' }, 'TOPIC_INVALID', 'topicName', /system topic/],
      [{ topicName: 'Bad', perm: 9 }, 'ARGUMENT_INVALID', 'perm', /perm/],
      [{ topicName: 'Bad', nope: 1 } as unknown as TopicConfigInput, 'ARGUMENT_INVALID', 'nope', /unknown/],
      [{ topicName: 'Batch0' }, 'ARGUMENT_INVALID', 'topicName', /same topic as entry 0/],
    ]
    for (const [bad, code, field, message] of cases) {
      const inputs = [...batch(3), bad, ...batch(3, 3)]
      try {
        topics.upsertMany(inputs)
        throw new Error(`expected ${code} for ${JSON.stringify(bad)}`)
      } catch (err) {
        expect(err).toBeInstanceOf(EngineError)
        expect(err).toMatchObject({ code, details: { field, index: 3 } })
        expect((err as Error).message).toMatch(/^topic entry 3 \(".*"\): /)
        expect((err as Error).message).toMatch(message)
      }
      expect(topics.get('Batch0')).toBeUndefined()
      expect(topics.get('Batch5')).toBeUndefined()
    }
    expect(topics.dataVersion).toBe(version)
    expect(io.counts.fdatasync).toBe(syncs)
    expect(
      topics.upsertMany([{ topicName: 'SCHEDULE_TOPIC_XXXX', readQueueNums: 18, writeQueueNums: 18 }], {
        system: true,
      }).changed,
    ).toEqual([])
  })

  it('refuses more than CONFIG_BATCH_COUNT_MAX entries and a list that is not one', () => {
    const topics = openTopics(tempConfigDir())
    expectEngineError(
      () => topics.upsertMany(batch(CONFIG_BATCH_COUNT_MAX + 1)),
      'ARGUMENT_INVALID',
      'topics',
    )
    expectEngineError(
      () => topics.upsertMany({} as unknown as TopicConfigInput[]),
      'ARGUMENT_INVALID',
      'topics',
      /must be a list/,
    )
    expectEngineError(
      () => topics.upsertMany([null as unknown as TopicConfigInput]),
      'ARGUMENT_INVALID',
      'topicName',
      /topic entry 0/,
    )
    expect(topics.upsertMany([]).changed).toEqual([])
  })

  it('a failed write undoes every change, updates included, and keeps the version', () => {
    const io = new FaultyIo()
    const dir = tempConfigDir()
    const topics = openTopics(dir, {}, { io })
    topics.upsert({ topicName: 'Kept', readQueueNums: 4, writeQueueNums: 4 })
    const kept = topics.get('Kept')
    const version = topics.dataVersion
    io.fail({ kind: 'write', code: 'ENOSPC', pathIncludes: 'topics.json.tmp' })
    expect(() => topics.upsertMany([...batch(10), { topicName: 'Kept', readQueueNums: 8 }])).toThrow(/ENOSPC/)
    expect(topics.get('Batch0')).toBeUndefined()
    expect(topics.get('Kept')).toBe(kept)
    expect(topics.dataVersion).toBe(version)
    expect(openTopics(dir).get('Batch0')).toBeUndefined()
    io.heal()
    expect(topics.upsertMany(batch(10)).changed).toHaveLength(10)
  })
})
