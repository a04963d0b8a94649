import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BrokerConfig } from '../../../broker-engine/broker/broker-config'
import {
  SubscriptionGroupManager,
  type SubscriptionGroupInput,
} from '../../../broker-engine/broker/subscription-group-manager'
import { EngineError } from '../../../broker-engine/common/engine-error'
import { FaultyIo } from '../../../broker-engine/testing/faulty-io'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'
import { collectingLog, readFrame, readJsonFile, tempConfigDir, testBrokerConfig } from './config-test-kit'

function openGroups(
  dir: string,
  config: Partial<BrokerConfig> = {},
  extra: { clock?: ManualClock; io?: FaultyIo; log?: (m: string) => void } = {},
): SubscriptionGroupManager {
  const manager = new SubscriptionGroupManager({
    configDir: dir,
    brokerConfig: testBrokerConfig(config),
    clock: extra.clock ?? new ManualClock(),
    log: extra.log ?? (() => undefined),
    io: extra.io,
  })
  manager.load()
  return manager
}

function expectArgumentError(fn: () => unknown, field: string, message?: RegExp): void {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(EngineError)
    expect(err).toMatchObject({ code: 'ARGUMENT_INVALID', details: { field } })
    if (message) expect((err as Error).message).toMatch(message)
    return
  }
  throw new Error(`expected ARGUMENT_INVALID on ${field}`)
}

const DEFAULT_GROUP = {
  consumeEnable: true,
  consumeFromMinEnable: true,
  consumeBroadcastEnable: true,
  consumeMessageOrderly: false,
  retryQueueNums: 1,
  retryMaxTimes: 16,
  brokerId: 0,
  whichBrokerWhenConsumeSlowly: 1,
  notifyConsumerIdsChangedEnable: true,
  groupSysFlag: 0,
  consumeTimeoutMinute: 15,
  attributes: {},
}

describe('first load', () => {
  it('creates the predefined groups and writes subscriptionGroup.json in RocketMQ shape', () => {
    const dir = tempConfigDir()
    const groups = openGroups(dir)
    expect(groups.list().map((g) => g.groupName)).toEqual([
      'CID_ONS-HTTP-PROXY',
      'CID_ONSAPI_OWNER',
      'CID_ONSAPI_PERMISSION',
      'CID_ONSAPI_PULL',
      'CID_RMQ_SYS_TRANS',
      'FILTERSRV_CONSUMER',
      'SELF_TEST_C_GROUP',
      'TOOLS_CONSUMER',
    ])
    expect(groups.dataVersion.counter).toBe(1)
    const file = readJsonFile(path.join(dir, 'subscriptionGroup.json')) as Record<string, unknown>
    expect(Object.keys(file)).toEqual(['dataVersion', 'forbiddenTable', 'subscriptionGroupTable'])
    expect(file.forbiddenTable).toEqual({})
    const table = file.subscriptionGroupTable as Record<string, unknown>
    expect(JSON.stringify(table.TOOLS_CONSUMER)).toBe(
      '{"attributes":{},"brokerId":0,"consumeBroadcastEnable":true,"consumeEnable":true,"consumeFromMinEnable":true,' +
        '"consumeMessageOrderly":false,"consumeTimeoutMinute":15,"groupName":"TOOLS_CONSUMER",' +
        '"groupRetryPolicy":{"type":"CUSTOMIZED"},"groupSysFlag":0,"notifyConsumerIdsChangedEnable":true,' +
        '"retryMaxTimes":16,"retryQueueNums":1,"whichBrokerWhenConsumeSlowly":1}',
    )
  })

  it('refuses use before load', () => {
    const m = new SubscriptionGroupManager({
      configDir: tempConfigDir(),
      brokerConfig: testBrokerConfig(),
      clock: new ManualClock(),
    })
    expect(() => m.findOrCreate('G')).toThrow(/before load/)
  })
})

describe('findOrCreate (heartbeat, pull, send-back)', () => {
  it('auto-creates with the defaults when autoCreateSubscriptionGroup is on, once', () => {
    const dir = tempConfigDir()
    const groups = openGroups(dir)
    const created = groups.findOrCreate('GID_orders')
    expect(created).toEqual({ groupName: 'GID_orders', ...DEFAULT_GROUP })
    const version = groups.dataVersion
    expect(groups.findOrCreate('GID_orders')).toBe(created)
    expect(groups.dataVersion).toBe(version)
    expect(openGroups(dir).get('GID_orders')).toEqual(created)
  })

  it('creates only system groups when auto-creation is off', () => {
    const groups = openGroups(tempConfigDir(), { autoCreateSubscriptionGroup: false })
    expect(groups.findOrCreate('GID_orders')).toBeUndefined()
    expect(groups.get('GID_orders')).toBeUndefined()
    expect(groups.findOrCreate('CID_RMQ_SYS_ORDERS')?.groupName).toBe('CID_RMQ_SYS_ORDERS')
    expect(groups.findOrCreate('TOOLS_CONSUMER')?.groupName).toBe('TOOLS_CONSUMER')
    groups.upsert({ groupName: 'GID_manual' })
    expect(groups.findOrCreate('GID_manual')?.groupName).toBe('GID_manual')
  })

  it('refuses an invalid group name', () => {
    const groups = openGroups(tempConfigDir())
    expectArgumentError(() => groups.findOrCreate('bad group'), 'group', /illegal characters/)
    expectArgumentError(() => groups.findOrCreate('g'.repeat(121)), 'group', /limit of 120/)
  })
})

describe('upsert and delete', () => {
  it('merges over the current config or the defaults, bumps the version, and is idempotent', () => {
    const dir = tempConfigDir()
    const groups = openGroups(dir)
    const v0 = groups.dataVersion.counter
    const created = groups.upsert({ groupName: 'GID_A', retryMaxTimes: 3, consumeBroadcastEnable: false })
    expect(created).toEqual({
      groupName: 'GID_A',
      ...DEFAULT_GROUP,
      retryMaxTimes: 3,
      consumeBroadcastEnable: false,
    })
    const updated = groups.upsert({ groupName: 'GID_A', consumeMessageOrderly: true, retryQueueNums: 0 })
    expect(updated).toMatchObject({ retryMaxTimes: 3, consumeMessageOrderly: true, retryQueueNums: 0 })
    expect(groups.dataVersion.counter).toBe(v0 + 2)
    expect(groups.upsert({ groupName: 'GID_A', retryMaxTimes: 3 })).toBe(updated)
    expect(groups.dataVersion.counter).toBe(v0 + 2)
    expect(openGroups(dir).get('GID_A')).toEqual(updated)
  })

  const bad: [string, SubscriptionGroupInput, string][] = [
    ['a bad name', { groupName: 'a/b' }, 'groupName'],
    ['consumeEnable as text', { groupName: 'G', consumeEnable: 'yes' as never }, 'consumeEnable'],
    ['negative retry queues', { groupName: 'G', retryQueueNums: -1 }, 'retryQueueNums'],
    ['too many retry queues', { groupName: 'G', retryQueueNums: 1025 }, 'retryQueueNums'],
    ['fractional retryMaxTimes', { groupName: 'G', retryMaxTimes: 2.5 }, 'retryMaxTimes'],
    ['retryMaxTimes over 1000', { groupName: 'G', retryMaxTimes: 1001 }, 'retryMaxTimes'],
    ['a negative brokerId', { groupName: 'G', brokerId: -1 }, 'brokerId'],
    ['consumeTimeoutMinute 0', { groupName: 'G', consumeTimeoutMinute: 0 }, 'consumeTimeoutMinute'],
    ['attributes as an array', { groupName: 'G', attributes: [] as never }, 'attributes'],
    ['an unknown field', { groupName: 'G', maxReconsumeTimes: 3 } as never, 'maxReconsumeTimes'],
  ]
  for (const [what, input, field] of bad) {
    it(`refuses ${what} and changes nothing`, () => {
      const groups = openGroups(tempConfigDir())
      const version = groups.dataVersion
      expectArgumentError(() => groups.upsert(input), field)
      expect(groups.get(input.groupName)).toBeUndefined()
      expect(groups.dataVersion).toBe(version)
    })
  }

  it('deletes; false when absent; system groups need { system: true }', () => {
    const dir = tempConfigDir()
    const groups = openGroups(dir)
    groups.upsert({ groupName: 'GID_gone' })
    expect(groups.delete('GID_gone')).toBe(true)
    expect(groups.delete('GID_gone')).toBe(false)
    expect(openGroups(dir).get('GID_gone')).toBeUndefined()
    expectArgumentError(() => groups.delete('CID_RMQ_SYS_TRANS'), 'group', /system group/)
    expectArgumentError(() => groups.delete('bad group'), 'group')
    expect(groups.delete('TOOLS_CONSUMER', { system: true })).toBe(true)
  })

  it('a failed write leaves the table and version as they were', () => {
    const io = new FaultyIo()
    const groups = openGroups(tempConfigDir(), {}, { io })
    const version = groups.dataVersion
    io.fail({ kind: 'write', code: 'EIO', pathIncludes: 'subscriptionGroup.json.tmp' })
    expect(() => groups.findOrCreate('GID_lost')).toThrow(/EIO/)
    expect(groups.get('GID_lost')).toBeUndefined()
    expect(groups.dataVersion).toBe(version)
  })
})

describe('persistence and crash safety', () => {
  it('a torn file falls back to .bak; with both gone only the predefined groups remain', () => {
    const dir = tempConfigDir()
    const groups = openGroups(dir)
    groups.upsert({ groupName: 'GID_kept' })
    groups.upsert({ groupName: 'GID_last' })
    const file = path.join(dir, 'subscriptionGroup.json')
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, 100))
    const { log, lines } = collectingLog()
    const reloaded = openGroups(dir, {}, { log })
    expect(reloaded.get('GID_kept')).toBeDefined()
    expect(reloaded.get('GID_last')).toBeUndefined()
    expect(lines.join('\n')).toMatch(/loaded the previous copy/)
    fs.rmSync(file, { force: true })
    fs.rmSync(file + '.bak', { force: true })
    fs.rmSync(file + '.corrupt', { force: true })
    expect(openGroups(dir).list()).toHaveLength(8)
  })

  it('loads a group in the shape a 4.9.4 mqadmin sends (fields missing take defaults) and keeps forbiddenTable', () => {
    const dir = tempConfigDir()
    const captured = JSON.parse(
      readFrame('154-mqadmin-updateSubGroup-UPDATE_AND_CREATE_SUBSCRIPTIONGROUP.req.bin').body,
    ) as Record<string, unknown>
    const forbiddenTable = { FixtureGroup: { TopicTest: 1 } }
    fs.writeFileSync(
      path.join(dir, 'subscriptionGroup.json'),
      JSON.stringify({
        dataVersion: { counter: 4, timestamp: 1795830586054 },
        forbiddenTable,
        subscriptionGroupTable: { FixtureGroup: { ...captured, groupRetryPolicy: { type: 'EXPONENTIAL' } } },
      }),
    )
    const groups = openGroups(dir)
    expect(groups.get('FixtureGroup')).toEqual({
      groupName: 'FixtureGroup',
      ...DEFAULT_GROUP,
      consumeBroadcastEnable: false,
      consumeFromMinEnable: false,
    })
    expect(groups.dataVersion.counter).toBe(5)
    expect(groups.serializeWrapper().forbiddenTable).toEqual(forbiddenTable)
    expect(
      (readJsonFile(path.join(dir, 'subscriptionGroup.json')) as Record<string, unknown>).forbiddenTable,
    ).toEqual(forbiddenTable)
  })

  it('skips invalid entries and says which', () => {
    const dir = tempConfigDir()
    fs.writeFileSync(
      path.join(dir, 'subscriptionGroup.json'),
      JSON.stringify({
        subscriptionGroupTable: {
          GID_ok: { groupName: 'GID_ok', retryMaxTimes: 2 },
          GID_bad: { groupName: 'GID_bad', retryQueueNums: 'one' },
          GID_other: { groupName: 'GID_else' },
        },
      }),
    )
    const { log, lines } = collectingLog()
    const groups = openGroups(dir, {}, { log })
    expect(groups.get('GID_ok')?.retryMaxTimes).toBe(2)
    expect(groups.get('GID_bad')).toBeUndefined()
    expect(groups.get('GID_other')).toBeUndefined()
    const text = lines.join('\n')
    expect(text).toMatch(/dataVersion missing/)
    expect(text).toMatch(/skipped group "GID_bad": retryQueueNums must be/)
    expect(text).toMatch(/skipped group "GID_other": its groupName "GID_else" differs/)
  })
})

describe('upsertMany (UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST)', () => {
  const batch = (n: number, from = 0): SubscriptionGroupInput[] =>
    Array.from({ length: n }, (_, i) => ({ groupName: `GID_batch${from + i}`, retryMaxTimes: 3 }))

  it('creates every group with one version bump and one write of subscriptionGroup.json', () => {
    const dir = tempConfigDir()
    const io = new FaultyIo()
    const groups = openGroups(dir, {}, { io })
    const version = groups.dataVersion.counter
    const syncs = io.counts.fdatasync
    const result = groups.upsertMany(batch(300))
    expect(io.counts.fdatasync - syncs).toBe(2)
    expect(groups.dataVersion.counter).toBe(version + 1)
    expect(result.changed).toHaveLength(300)
    expect(groups.get('GID_batch299')).toEqual({
      ...DEFAULT_GROUP,
      groupName: 'GID_batch299',
      retryMaxTimes: 3,
    })
    const file = readJsonFile(path.join(dir, 'subscriptionGroup.json')) as {
      dataVersion: { counter: number }
      subscriptionGroupTable: Record<string, unknown>
    }
    expect(file.dataVersion.counter).toBe(version + 1)
    expect(Object.keys(file.subscriptionGroupTable)).toHaveLength(308)
    expect(openGroups(dir).get('GID_batch0')).toEqual(groups.get('GID_batch0'))
  })

  it('leaves unchanged entries alone and writes only when something differs', () => {
    const io = new FaultyIo()
    const groups = openGroups(tempConfigDir(), {}, { io })
    groups.upsertMany(batch(3))
    const version = groups.dataVersion
    const syncs = io.counts.fdatasync
    expect(groups.upsertMany(batch(3)).changed).toEqual([])
    expect(groups.dataVersion).toBe(version)
    expect(io.counts.fdatasync).toBe(syncs)
    const mixed = groups.upsertMany([...batch(2), { groupName: 'GID_batch2', consumeMessageOrderly: true }])
    expect(mixed.changed.map((g) => g.groupName)).toEqual(['GID_batch2'])
    expect(groups.dataVersion.counter).toBe(version.counter + 1)
  })

  it('one bad entry refuses the batch, naming its index and group', () => {
    const io = new FaultyIo()
    const groups = openGroups(tempConfigDir(), {}, { io })
    const version = groups.dataVersion
    const syncs = io.counts.fdatasync
    const cases: [SubscriptionGroupInput, string, RegExp][] = [
      [{ groupName: 'GID_bad', retryMaxTimes: -1 }, 'retryMaxTimes', /retryMaxTimes/],
      [{ groupName: 'bad group' }, 'groupName', /illegal|characters/],
      [{ groupName: 'GID_bad', nope: 1 } as never, 'nope', /unknown/],
      [{ groupName: 'GID_batch1' }, 'groupName', /same group as entry 1/],
    ]
    for (const [bad, field, message] of cases) {
      try {
        groups.upsertMany([...batch(2), bad, ...batch(2, 2)])
        throw new Error(`expected a refusal of ${JSON.stringify(bad)}`)
      } catch (err) {
        expect(err).toBeInstanceOf(EngineError)
        expect(err).toMatchObject({ code: 'ARGUMENT_INVALID', details: { field, index: 2 } })
        expect((err as Error).message).toMatch(/^group entry 2 \(".*"\): /)
        expect((err as Error).message).toMatch(message)
      }
      expect(groups.get('GID_batch0')).toBeUndefined()
    }
    expect(groups.dataVersion).toBe(version)
    expect(io.counts.fdatasync).toBe(syncs)
  })

  it('a failed write undoes every change and keeps the version', () => {
    const io = new FaultyIo()
    const groups = openGroups(tempConfigDir(), {}, { io })
    const tools = groups.get('TOOLS_CONSUMER')
    const version = groups.dataVersion
    io.fail({ kind: 'write', code: 'EIO', pathIncludes: 'subscriptionGroup.json.tmp' })
    expect(() => groups.upsertMany([...batch(5), { groupName: 'TOOLS_CONSUMER', retryMaxTimes: 1 }])).toThrow(
      /EIO/,
    )
    expect(groups.get('GID_batch0')).toBeUndefined()
    expect(groups.get('TOOLS_CONSUMER')).toBe(tools)
    expect(groups.dataVersion).toBe(version)
  })
})
