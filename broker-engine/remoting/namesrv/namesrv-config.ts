// The NameServer settings this NameServer honours (RocketMQ's NamesrvConfig subset): their defaults, the
// GET_NAMESRV_CONFIG body that lists them, and the UPDATE_NAMESRV_CONFIG body that may change the switches.

import { parseJavaProperties } from '../../broker/broker-config'

/** The NamesrvConfig keys this NameServer honours (GET_NAMESRV_CONFIG lists them; see UPDATABLE_CONFIG_KEYS). */
export interface NamesrvConfig {
  /** Reported only; undefined reports the port the server listens on. */
  listenPort: number | undefined
  /** Routes carry orderTopicConf from the ORDER_TOPIC_CONFIG namespace. */
  orderMessageEnable: boolean
  /** REGISTER_BROKER responses carry the ORDER_TOPIC_CONFIG namespace as a KVTable. */
  returnOrderTopicConfigToBroker: boolean
  /** GET_ALL_TOPIC_LIST_FROM_NAMESERVER answers; false refuses it with "disable". */
  enableAllTopicList: boolean
  /** GET_TOPICS_BY_CLUSTER answers; false refuses it with "disable". */
  enableTopicList: boolean
  /**
   * A registration replaces the broker name's topic list (topics it no longer lists lose its queues). false, the
   * RocketMQ default, only adds and updates: a broker's topic-change registration carries just that topic, and
   * the wire does not say which kind a registration is. Deleted topics leave through DELETE_TOPIC_IN_NAMESRV.
   */
  deleteTopicWithBrokerRegistration: boolean
}

export const DEFAULT_NAMESRV_CONFIG: NamesrvConfig = {
  listenPort: undefined,
  orderMessageEnable: false,
  returnOrderTopicConfigToBroker: true,
  enableAllTopicList: true,
  enableTopicList: true,
  deleteTopicWithBrokerRegistration: false,
}

/**
 * UPDATE_NAMESRV_CONFIG accepts these switches and nothing else: each only changes how the processors answer.
 * Every other key (ports, scan intervals, RocketMQ's thread and path settings) is refused with NO_PERMISSION.
 */
export const UPDATABLE_CONFIG_KEYS = [
  'deleteTopicWithBrokerRegistration',
  'enableAllTopicList',
  'enableTopicList',
  'orderMessageEnable',
  'returnOrderTopicConfigToBroker',
] as const satisfies readonly (keyof NamesrvConfig)[]

export type UpdatableConfigKey = (typeof UPDATABLE_CONFIG_KEYS)[number]

/** UPDATE_NAMESRV_CONFIG bodies are a few `key=value` lines. */
export const CONFIG_BODY_BYTES_MAX = 64 * 1024

/** GET_NAMESRV_CONFIG's body: the settings as java.util.Properties lines, keys sorted. */
export function formatNamesrvConfig(
  config: Readonly<NamesrvConfig>,
  listenPort: number,
  scanNotActiveBrokerIntervalMs: number,
): string {
  const properties: Record<string, string> = {
    deleteTopicWithBrokerRegistration: String(config.deleteTopicWithBrokerRegistration),
    enableAllTopicList: String(config.enableAllTopicList),
    enableTopicList: String(config.enableTopicList),
    listenPort: String(config.listenPort ?? listenPort),
    orderMessageEnable: String(config.orderMessageEnable),
    returnOrderTopicConfigToBroker: String(config.returnOrderTopicConfigToBroker),
    scanNotActiveBrokerInterval: String(scanNotActiveBrokerIntervalMs),
  }
  return Object.entries(properties)
    .map(([key, value]) => `${key}=${value}\n`)
    .join('')
}

export type NamesrvConfigUpdate =
  | { readonly status: 'UPDATE'; readonly updates: readonly (readonly [UpdatableConfigKey, boolean])[] }
  /** Keys outside UPDATABLE_CONFIG_KEYS: the whole update is refused. */
  | { readonly status: 'REFUSED'; readonly keys: readonly string[] }
  /** A switch whose value is not true or false. */
  | { readonly status: 'INVALID'; readonly key: string; readonly value: string }

/** Reads an UPDATE_NAMESRV_CONFIG body (java.util.Properties text): all of it applies, or none. */
export function parseNamesrvConfigUpdate(text: string): NamesrvConfigUpdate {
  // A key written twice takes its last value, as Properties.load does.
  const properties = new Map(parseJavaProperties(text))
  const refused = [...properties.keys()].filter(
    (key) => !(UPDATABLE_CONFIG_KEYS as readonly string[]).includes(key),
  )
  if (refused.length > 0) return { status: 'REFUSED', keys: refused }
  const updates: [UpdatableConfigKey, boolean][] = []
  for (const [key, raw] of properties) {
    const value = raw.trim().toLowerCase()
    if (value !== 'true' && value !== 'false') return { status: 'INVALID', key, value: raw }
    updates.push([key as UpdatableConfigKey, value === 'true'])
  }
  return { status: 'UPDATE', updates }
}
