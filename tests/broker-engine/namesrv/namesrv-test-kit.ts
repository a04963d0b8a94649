// Shared helpers for route registry tests: a registry on a ManualClock, registration builders, a snapshot of
// everything the registry exposes, and a reader for the captured RocketMQ 4.9.4 remoting frames in fixtures/.

import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { RouteRegistry } from '../../../broker-engine/namesrv/route-registry'
import type { RouteRegistryConfig } from '../../../broker-engine/namesrv/route-registry-config'
import type { RegisterBrokerRequest, TopicConfig } from '../../../broker-engine/namesrv/route-types'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'

export const CLUSTER = 'DefaultCluster'
export const BROKER_A_MASTER = '10.0.0.1:10911'
export const BROKER_A_SLAVE = '10.0.0.2:10911'
export const BROKER_B_MASTER = '10.0.0.3:10911'

export function newRegistry(config: Partial<RouteRegistryConfig> = {}): {
  registry: RouteRegistry
  clock: ManualClock
  logs: string[]
} {
  const clock = new ManualClock()
  const logs: string[] = []
  const registry = new RouteRegistry(config, { clock, log: (m) => logs.push(m) })
  return { registry, clock, logs }
}

export function topic(topicName: string, overrides: Partial<TopicConfig> = {}): TopicConfig {
  return {
    topicName,
    readQueueNums: 4,
    writeQueueNums: 4,
    perm: 6,
    topicSysFlag: 0,
    topicFilterType: 'SINGLE_TAG',
    order: false,
    attributes: {},
    ...overrides,
  }
}

export function registration(overrides: Partial<RegisterBrokerRequest> = {}): RegisterBrokerRequest {
  return {
    clusterName: CLUSTER,
    brokerAddr: BROKER_A_MASTER,
    brokerName: 'broker-a',
    brokerId: 0,
    haServerAddr: '10.0.0.1:10912',
    topicConfigs: [topic('TopicTest')],
    dataVersion: { timestamp: 1_700_000_000_000, counter: 1 },
    ...overrides,
  }
}

/** broker-a master + slave and broker-b master in one cluster; both masters carry TopicTest. */
export function registerDemoCluster(registry: RouteRegistry): void {
  registry.registerBroker(registration({ topicConfigs: [topic('TopicTest'), topic('OnlyOnA')] }))
  registry.registerBroker(
    registration({
      brokerAddr: BROKER_A_SLAVE,
      brokerId: 1,
      haServerAddr: '10.0.0.2:10912',
      topicConfigs: [topic('TopicTest', { readQueueNums: 99 })],
    }),
  )
  registry.registerBroker(
    registration({
      brokerAddr: BROKER_B_MASTER,
      brokerName: 'broker-b',
      haServerAddr: '10.0.0.3:10912',
      topicConfigs: [topic('TopicTest', { readQueueNums: 8, writeQueueNums: 8 }), topic('OnlyOnB')],
    }),
  )
}

/** Everything a caller can observe, as plain JSON, so "state unchanged" is one deep equality. */
export function snapshot(registry: RouteRegistry): unknown {
  const topics = registry.getAllTopicList().topicList
  return JSON.parse(
    JSON.stringify({
      clusterInfo: registry.getClusterInfo(),
      topics,
      routes: topics.map((t) => registry.getRouteInfoByTopic(t)),
      systemTopics: registry.getSystemTopicList(),
      live: registry.getBrokerLiveInfo(),
    }),
  ) as unknown
}

const FIXTURES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures')

export interface CapturedFrame {
  /** The JSON header (serialize type 0); extFields holds the request header fields as strings. */
  header: { code: number; extFields?: Record<string, string> }
  body: string
}

/** Reads one frame: int32 length, int32 serializeType<<24 | headerLength, header JSON, body. */
export function readFrame(file: string): CapturedFrame {
  const bytes = fs.readFileSync(path.join(FIXTURES_DIR, file))
  const length = bytes.readInt32BE(0)
  const headerLength = bytes.readInt32BE(4) & 0xffffff
  if (bytes.readUInt8(4) !== 0) throw new Error(`${file}: not a JSON-header frame`)
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as CapturedFrame['header']
  return { header, body: bytes.subarray(8 + headerLength, 4 + length).toString('utf8') }
}

/** fastjson writes Long map keys bare ({0:"..."}); quote them so JSON.parse accepts the body. */
export function quoteBareNumericKeys(fastjson: string): string {
  return fastjson.replace(/([{,])(\d+):/g, '$1"$2":')
}

interface RegisterBrokerBody {
  topicConfigSerializeWrapper: {
    dataVersion: { counter: number; timestamp: number }
    topicConfigTable: Record<string, TopicConfig>
  }
}

/** A captured REGISTER_BROKER request as the remoting layer will hand it to the registry. */
export function registrationFromFrame(file: string, incremental = false): RegisterBrokerRequest {
  const { header, body } = readFrame(file)
  const ext = header.extFields ?? {}
  const wrapper = (JSON.parse(body) as RegisterBrokerBody).topicConfigSerializeWrapper
  return {
    clusterName: ext.clusterName ?? '',
    brokerAddr: ext.brokerAddr ?? '',
    brokerName: ext.brokerName ?? '',
    brokerId: Number(ext.brokerId),
    haServerAddr: ext.haServerAddr,
    topicConfigs: Object.values(wrapper.topicConfigTable),
    dataVersion: wrapper.dataVersion,
    incremental,
  }
}
