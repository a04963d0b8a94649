import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  brokerAddr,
  configDirOf,
  DEFAULT_BROKER_CONFIG,
  formatBrokerConf,
  parseBrokerConf,
  parseJavaProperties,
  resolveBrokerConfig,
  storeConfigOf,
  type BrokerConfig,
} from '../../../broker-engine/broker/broker-config'
import { EngineError } from '../../../broker-engine/common/engine-error'
import { DEFAULT_STORE_CONFIG, resolveStoreConfig } from '../../../broker-engine/store/store-config'
import { readFrame } from './config-test-kit'

const CAPTURED_CONF = readFrame('116-mqadmin-getBrokerConfig-GET_BROKER_CONFIG.res.bin').body

function expectConfigError(fn: () => unknown, key: string, message?: RegExp): void {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(EngineError)
    expect(err).toMatchObject({ code: 'CONFIG_INVALID', details: { key } })
    if (message) expect((err as Error).message).toMatch(message)
    return
  }
  throw new Error(`expected CONFIG_INVALID for ${key}`)
}

describe('defaults', () => {
  it("are RocketMQ's where they apply", () => {
    const c = resolveBrokerConfig()
    expect(c).toMatchObject({
      brokerClusterName: 'DefaultCluster',
      brokerName: 'broker-a',
      brokerId: 0,
      brokerRole: 'ASYNC_MASTER',
      listenPort: 10911,
      autoCreateTopicEnable: true,
      autoCreateSubscriptionGroup: true,
      defaultTopicQueueNums: 8,
      clusterTopicEnable: true,
      brokerTopicEnable: true,
      traceTopicEnable: false,
      transactionTimeOut: 6000,
      transactionCheckMax: 15,
      transactionCheckInterval: 30_000,
      longPollingEnable: true,
      shortPollingTimeMills: 1000,
      notifyConsumerIdsChangedEnable: true,
      channelExpiredTimeout: 120_000,
      registerNameServerPeriod: 30_000,
      flushConsumerOffsetInterval: 5000,
      flushDiskType: 'ASYNC_FLUSH',
      fileReservedTime: 72,
      deleteWhen: '04',
      storePathRootDir: path.join(os.homedir(), 'store'),
    })
    expect(Object.isFrozen(c)).toBe(true)
    expect(Object.isFrozen(DEFAULT_BROKER_CONFIG)).toBe(true)
  })

  it('keys given as undefined take their default', () => {
    expect(resolveBrokerConfig({ brokerName: undefined }).brokerName).toBe('broker-a')
  })
})

describe('the store part and the address', () => {
  it('storeConfigOf passes exactly the store keys, which the store accepts', () => {
    const c = resolveBrokerConfig({
      storePathRootDir: '/data/store',
      flushDiskType: 'SYNC_FLUSH',
      listenPort: 10921,
    })
    const store = storeConfigOf(c)
    expect(Object.keys(store).sort()).toEqual(
      [...Object.keys(DEFAULT_STORE_CONFIG), 'storePathRootDir'].sort(),
    )
    expect(store).toMatchObject({
      storePathRootDir: '/data/store',
      flushDiskType: 'SYNC_FLUSH',
      listenPort: 10921,
    })
    expect(resolveStoreConfig(store)).toEqual(store)
    expect('brokerName' in store).toBe(false)
  })

  it('brokerAddr is brokerIP1:listenPort and the config files live under <root>/config', () => {
    const c = resolveBrokerConfig({ brokerIP1: '10.0.0.7', listenPort: 10921, storePathRootDir: '/data/s' })
    expect(brokerAddr(c)).toBe('10.0.0.7:10921')
    expect(configDirOf(c)).toBe('/data/s/config')
  })
})

describe('parseBrokerConf with the real broker config captured from RocketMQ 4.9.4', () => {
  const capturedPairs = parseJavaProperties(CAPTURED_CONF)

  it('reads every line; keys this engine does not use are reported, not fatal', () => {
    const { config, unknownKeys } = parseBrokerConf(CAPTURED_CONF)
    expect(capturedPairs.length).toBeGreaterThan(150)
    expect(Object.keys(config).length + unknownKeys.length).toBe(capturedPairs.length)
    expect(unknownKeys).toContain('serverSocketBacklog')
    expect(unknownKeys).toContain('rocketmqHome')
    expect(unknownKeys).toContain('messageStorePlugIn')
    expect(unknownKeys).not.toContain('brokerName')
  })

  it('known keys take the captured values, typed (RocketMQ spellings mapped)', () => {
    const { config } = parseBrokerConf(CAPTURED_CONF)
    expect(config).toMatchObject({
      brokerClusterName: 'DefaultCluster',
      brokerName: 'broker-a',
      brokerId: 0,
      brokerRole: 'ASYNC_MASTER',
      brokerIP1: '127.0.0.1',
      listenPort: 10911,
      namesrvAddr: '127.0.0.1:9876',
      autoCreateTopicEnable: true,
      defaultTopicQueueNums: 8,
      transactionCheckInterval: 5000,
      fileReservedTime: 48,
      deleteWhen: '04',
      flushDiskType: 'ASYNC_FLUSH',
      mappedFileSizeCommitLog: 134_217_728,
      mappedFileSizeConsumeQueue: 1_200_000,
      maxHashSlotNum: 100_000,
      maxIndexNum: 400_000,
      diskMaxUsedSpaceRatio: 90,
      warmMappedFileEnable: false,
      flushConsumeQueueInterval: 1000,
      storePathRootDir: '/tmp/mqdeck-peers/capture-run/store',
      storePathCommitLog: '/tmp/mqdeck-peers/capture-run/store/commitlog',
      messageDelayLevel: '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h',
    })
  })

  it('resolves, and every captured line for a known key reads back as the captured text', () => {
    const resolved = resolveBrokerConfig(parseBrokerConf(CAPTURED_CONF).config)
    const aliases: Record<string, keyof BrokerConfig> = {
      warmMapedFileEnable: 'warmMappedFileEnable',
      flushIntervalConsumeQueue: 'flushConsumeQueueInterval',
    }
    let checked = 0
    for (const [key, value] of capturedPairs) {
      const ours = (aliases[key] ?? key) as keyof BrokerConfig
      if (!(ours in resolved)) continue
      expect(String(resolved[ours]), key).toBe(value.trim())
      checked++
    }
    expect(checked).toBeGreaterThanOrEqual(40)
  })
})

describe('parseBrokerConf reads java.util.Properties syntax', () => {
  it('comments, separators, continuations, escapes, trimming and CRLF', () => {
    const text = [
      '# a comment',
      '  ! another comment',
      '',
      'brokerName = broker-b   ',
      'brokerClusterName:ClusterX',
      'namesrvAddr 10.0.0.1:9876;\\',
      '    10.0.0.2:9876',
      'storePathRootDir=/data/\\u0073tore',
      'autoCreateTopicEnable=FALSE',
      'defaultTopicQueueNums=+4',
      'fileReservedTime=0.5',
      'brokerName=broker-c',
    ].join('\r\n')
    expect(parseBrokerConf(text)).toEqual({
      config: {
        brokerName: 'broker-c',
        brokerClusterName: 'ClusterX',
        namesrvAddr: '10.0.0.1:9876;10.0.0.2:9876',
        storePathRootDir: '/data/store',
        autoCreateTopicEnable: false,
        defaultTopicQueueNums: 4,
        fileReservedTime: 0.5,
      },
      unknownKeys: [],
    })
  })

  it('keeps an escaped separator in a key and a lone key with an empty value', () => {
    expect(parseJavaProperties('a\\=b=c\nlonely\n')).toEqual([
      ['a=b', 'c'],
      ['lonely', ''],
    ])
  })

  it('refuses a value of the wrong form, naming the key and the expected form', () => {
    expectConfigError(
      () => parseBrokerConf('brokerId=abc'),
      'brokerId',
      /brokerId must be an integer; got "abc"/,
    )
    expectConfigError(() => parseBrokerConf('listenPort=10911.5'), 'listenPort', /an integer/)
    expectConfigError(() => parseBrokerConf('listenPort='), 'listenPort', /an integer/)
    expectConfigError(
      () => parseBrokerConf('autoCreateTopicEnable=yes'),
      'autoCreateTopicEnable',
      /true or false/,
    )
    expectConfigError(
      () => parseBrokerConf('brokerRole=MASTER'),
      'brokerRole',
      /ASYNC_MASTER, SYNC_MASTER, SLAVE/,
    )
    expectConfigError(
      () => parseBrokerConf('flushDiskType=SOMETIMES'),
      'flushDiskType',
      /ASYNC_FLUSH, SYNC_FLUSH/,
    )
    expectConfigError(() => parseBrokerConf('fileReservedTime=two'), 'fileReservedTime', /a number/)
    expectConfigError(
      () => parseBrokerConf('mappedFileSizeCommitLog=99999999999999999999'),
      'mappedFileSizeCommitLog',
    )
    expectConfigError(() => parseBrokerConf('warmMapedFileEnable=1'), 'warmMapedFileEnable', /true or false/)
  })

  it('formatBrokerConf writes text that parses back to the same config', () => {
    const c = resolveBrokerConfig({
      storePathRootDir: '/data/my store\\x',
      brokerName: 'broker-z',
      namesrvAddr: 'ns1:9876;ns2:9876',
      storePathCommitLog: '/data/my store\\x/commitlog',
    })
    const reparsed = resolveBrokerConfig(parseBrokerConf(formatBrokerConf(c)).config)
    expect(reparsed).toEqual(c)
  })
})

describe('resolveBrokerConfig validation names the key', () => {
  const cases: [Partial<BrokerConfig>, string, RegExp?][] = [
    [{ brokerName: 'broker.a' }, 'brokerName', /no system topic/],
    [{ brokerName: '' }, 'brokerName'],
    [{ brokerName: 'TBW102' }, 'brokerName'],
    [{ brokerClusterName: '%RETRY%x' }, 'brokerClusterName'],
    [{ brokerId: -1 }, 'brokerId'],
    [{ brokerId: 1.5 }, 'brokerId'],
    [{ brokerId: 1 }, 'brokerId', /a master has brokerId 0/],
    [{ brokerRole: 'SLAVE' }, 'brokerId', /a slave needs brokerId above 0/],
    [{ brokerRole: 'MASTER' as never }, 'brokerRole'],
    [{ namesrvAddr: 'localhost' }, 'namesrvAddr', /host:port/],
    [{ namesrvAddr: 'a:9876;b:99999' }, 'namesrvAddr'],
    [{ brokerPermission: 8 }, 'brokerPermission'],
    [{ defaultTopicQueueNums: 0 }, 'defaultTopicQueueNums'],
    [{ defaultTopicQueueNums: 1025 }, 'defaultTopicQueueNums'],
    [{ autoCreateTopicEnable: 'true' as never }, 'autoCreateTopicEnable', /true or false/],
    [{ transactionCheckMax: 0 }, 'transactionCheckMax'],
    [{ transactionTimeOut: 0 }, 'transactionTimeOut'],
    [{ registerNameServerPeriod: 5000 }, 'registerNameServerPeriod', /10000 to 60000/],
    [{ channelExpiredTimeout: 10 }, 'channelExpiredTimeout'],
    [{ msgTraceTopicName: 'bad topic' }, 'msgTraceTopicName'],
    [{ deleteWhen: '25' }, 'deleteWhen'],
    [{ flushDiskType: 'SOMETIMES' as never }, 'flushDiskType'],
    [{ storePathRootDir: '' }, 'storePathRootDir'],
    [{ brokerIP1: '300.1.1.1' }, 'brokerIP1'],
    [
      { storePathCommitLog: '/elsewhere/commitlog' },
      'storePathCommitLog',
      /must be .*commitlog .*or be left out/,
    ],
    [{ abortFile: '/tmp/abort' }, 'abortFile'],
    [
      { messageDelayLevel: Array.from({ length: 1025 }, () => '1s').join(' ') },
      'messageDelayLevel',
      /at most 1024/,
    ],
    [{ brokerNmae: 'x' } as never, 'brokerNmae', /unknown broker config key/],
  ]
  for (const [partial, key, message] of cases) {
    it(`${JSON.stringify(partial).slice(0, 60)} → ${key}`, () => {
      expectConfigError(
        () => resolveBrokerConfig({ storePathRootDir: '/data/store', ...partial }),
        key,
        message,
      )
    })
  }

  it('accepts a slave with brokerId above 0 and path keys that match the layout', () => {
    const c = resolveBrokerConfig({
      storePathRootDir: '/data/store',
      brokerRole: 'SLAVE',
      brokerId: 1,
      storePathCommitLog: '/data/store/commitlog',
      storePathConsumeQueue: '/data/store/consumequeue/',
      storePathIndex: '/data/store/index',
      storeCheckpoint: '/data/store/checkpoint',
      abortFile: '/data/store/abort',
    })
    expect(c.brokerRole).toBe('SLAVE')
    expect(c.brokerId).toBe(1)
  })
})
