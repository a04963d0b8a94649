// Input checks for the route registry. Registrations may arrive from the wire as untyped JSON, so every field
// is checked at runtime and copied: the registry never keeps a reference the caller could still mutate.

import { EngineError } from '../common/engine-error'
import { QUEUE_ID_MAX, TOPIC_LENGTH_MAX, TOPIC_PATTERN } from '../store/message-constants'
import { parseIpv4OrIpv6 } from '../store/store-config'
import { PERM_MASK } from './perm-name'
import type { DataVersion, RegisterBrokerRequest, TopicConfig, TopicFilterType } from './route-types'

/** Cluster and broker names. RocketMQ defaults brokerName to the host name, so dots are allowed. */
export const NAME_PATTERN = /^[A-Za-z0-9_.-]+$/
export const NAME_LENGTH_MAX = 127
/** host:port, the longest DNS name plus a port. */
export const BROKER_ADDR_LENGTH_MAX = 260
/** A queue id is at most QUEUE_ID_MAX, so a topic has at most QUEUE_ID_MAX + 1 queues per broker. */
export const QUEUE_NUMS_MAX = QUEUE_ID_MAX + 1
export const TOPIC_SYS_FLAG_MAX = 0x7fff_ffff
export const TOPIC_ATTRIBUTES_MAX = 64
export const TOPIC_ATTRIBUTE_LENGTH_MAX = 255

/** A registration after validation: defaults filled, every value copied. */
export interface ValidRegisterBrokerRequest {
  clusterName: string
  brokerAddr: string
  brokerName: string
  brokerId: number
  haServerAddr: string | undefined
  topicConfigs: TopicConfig[]
  dataVersion: DataVersion
  incremental: boolean
}

function invalid(field: string, expected: string, value: unknown): EngineError {
  return new EngineError('ARGUMENT_INVALID', `${field} must be ${expected}; got ${preview(value)}`, { field })
}

/** A short, always-printable rendering of a bad value for an error message. */
function preview(value: unknown): string {
  if (value === undefined) return 'undefined'
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value === 'function' || typeof value === 'symbol') return typeof value
  let text: string
  try {
    text = JSON.stringify(value) ?? typeof value
  } catch {
    text = Object.prototype.toString.call(value)
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function validateName(value: unknown, field: string): string {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > NAME_LENGTH_MAX ||
    !NAME_PATTERN.test(value)
  ) {
    throw invalid(field, `1 to ${NAME_LENGTH_MAX} characters of A-Z a-z 0-9 _ . -`, value)
  }
  return value
}

export function validateTopic(value: unknown, field: string): string {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > TOPIC_LENGTH_MAX ||
    !TOPIC_PATTERN.test(value)
  ) {
    throw invalid(field, `a topic name of 1 to ${TOPIC_LENGTH_MAX} characters of A-Z a-z 0-9 % | _ -`, value)
  }
  return value
}

export function validateBrokerId(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalid(field, 'an integer >= 0 (0 is the master)', value)
  }
  return value
}

const HOST_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?'
const HOST_NAME = new RegExp(`^${HOST_LABEL}(?:\\.${HOST_LABEL})*$`)

/**
 * host:port with a port from 1 to 65535. The host is an IPv4 address, an IPv6 address (bare, as RocketMQ
 * prints it from InetSocketAddress, or in brackets) or a DNS name; all-digit dotted hosts must be valid IPv4.
 */
export function validateHostPort(value: unknown, field: string): string {
  const expected = 'host:port with a port from 1 to 65535'
  if (typeof value !== 'string' || value.length > BROKER_ADDR_LENGTH_MAX)
    throw invalid(field, expected, value)
  const colon = value.lastIndexOf(':')
  if (colon <= 0) throw invalid(field, expected, value)
  const host = value.slice(0, colon)
  const portText = value.slice(colon + 1)
  const port = Number(portText)
  if (!/^\d{1,5}$/.test(portText) || port < 1 || port > 65_535) throw invalid(field, expected, value)
  const bracketed = host.startsWith('[') && host.endsWith(']')
  const bare = bracketed ? host.slice(1, -1) : host
  const hostOk = bracketed
    ? bare.includes(':') && parseIpv4OrIpv6(bare) !== undefined
    : parseIpv4OrIpv6(bare) !== undefined ||
      (!/^[\d.]+$/.test(bare) && bare.length <= 253 && HOST_NAME.test(bare))
  if (!hostOk) throw invalid(field, expected, value)
  return value
}

function validateCount(value: unknown, field: string, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max) {
    throw invalid(field, `an integer from 0 to ${max}`, value)
  }
  return value
}

export function validateDataVersion(value: unknown, field: string): DataVersion {
  if (!isPlainObject(value)) throw invalid(field, 'an object { timestamp, counter }', value)
  const version: DataVersion = {
    timestamp: validateCount(value.timestamp, `${field}.timestamp`, Number.MAX_SAFE_INTEGER),
    counter: validateCount(value.counter, `${field}.counter`, Number.MAX_SAFE_INTEGER),
  }
  if (value.stateVersion !== undefined) {
    version.stateVersion = validateCount(value.stateVersion, `${field}.stateVersion`, Number.MAX_SAFE_INTEGER)
  }
  return version
}

function validateAttributes(value: unknown, field: string): Record<string, string> {
  if (!isPlainObject(value)) throw invalid(field, 'an object of string values', value)
  const entries = Object.entries(value)
  if (entries.length > TOPIC_ATTRIBUTES_MAX) {
    throw invalid(field, `at most ${TOPIC_ATTRIBUTES_MAX} attributes`, `${entries.length} attributes`)
  }
  // Object.fromEntries defines own properties, so a "__proto__" key from JSON stays a plain key.
  const copy: [string, string][] = []
  for (const [key, attribute] of entries) {
    if (key.length === 0 || key.length > TOPIC_ATTRIBUTE_LENGTH_MAX) {
      throw invalid(`${field} key`, `1 to ${TOPIC_ATTRIBUTE_LENGTH_MAX} characters`, key)
    }
    if (typeof attribute !== 'string' || attribute.length > TOPIC_ATTRIBUTE_LENGTH_MAX) {
      throw invalid(
        `${field}.${key}`,
        `a string of at most ${TOPIC_ATTRIBUTE_LENGTH_MAX} characters`,
        attribute,
      )
    }
    copy.push([key, attribute])
  }
  return Object.fromEntries(copy)
}

export function validateTopicConfig(value: unknown, field: string): TopicConfig {
  if (!isPlainObject(value)) throw invalid(field, 'a TopicConfig object', value)
  const filterType = value.topicFilterType
  if (filterType !== 'SINGLE_TAG' && filterType !== 'MULTI_TAG') {
    throw invalid(`${field}.topicFilterType`, 'SINGLE_TAG or MULTI_TAG', filterType)
  }
  if (typeof value.order !== 'boolean') throw invalid(`${field}.order`, 'true or false', value.order)
  const perm = validateCount(value.perm, `${field}.perm`, PERM_MASK)
  const config: TopicConfig = {
    topicName: validateTopic(value.topicName, `${field}.topicName`),
    readQueueNums: validateCount(value.readQueueNums, `${field}.readQueueNums`, QUEUE_NUMS_MAX),
    writeQueueNums: validateCount(value.writeQueueNums, `${field}.writeQueueNums`, QUEUE_NUMS_MAX),
    perm,
    topicSysFlag: validateCount(value.topicSysFlag, `${field}.topicSysFlag`, TOPIC_SYS_FLAG_MAX),
    topicFilterType: filterType satisfies TopicFilterType,
    order: value.order,
  }
  if (value.attributes !== undefined) {
    config.attributes = validateAttributes(value.attributes, `${field}.attributes`)
  }
  return config
}

/** Checks a whole registration before the registry changes anything; throws ARGUMENT_INVALID naming the field. */
export function validateRegisterBrokerRequest(
  value: unknown,
  registrationTopicsMax: number,
): ValidRegisterBrokerRequest {
  if (!isPlainObject(value)) throw invalid('request', 'a RegisterBrokerRequest object', value)
  const request = value as Partial<Record<keyof RegisterBrokerRequest, unknown>>
  const clusterName = validateName(request.clusterName, 'clusterName')
  const brokerAddr = validateHostPort(request.brokerAddr, 'brokerAddr')
  const brokerName = validateName(request.brokerName, 'brokerName')
  const brokerId = validateBrokerId(request.brokerId, 'brokerId')
  const haServerAddr =
    request.haServerAddr === undefined ? undefined : validateHostPort(request.haServerAddr, 'haServerAddr')
  const dataVersion = validateDataVersion(request.dataVersion, 'dataVersion')
  if (request.incremental !== undefined && typeof request.incremental !== 'boolean') {
    throw invalid('incremental', 'true or false', request.incremental)
  }
  const topicConfigs = request.topicConfigs
  if (!Array.isArray(topicConfigs)) throw invalid('topicConfigs', 'an array of TopicConfig', topicConfigs)
  if (topicConfigs.length > registrationTopicsMax) {
    throw invalid(
      'topicConfigs',
      `at most ${registrationTopicsMax} topics per registration`,
      `${topicConfigs.length} topics`,
    )
  }
  const seen = new Set<string>()
  const copies: TopicConfig[] = []
  // An index loop, not map(): map() skips the holes of a sparse array instead of rejecting them.
  for (let i = 0; i < topicConfigs.length; i++) {
    const copy = validateTopicConfig(topicConfigs[i] as unknown, `topicConfigs[${i}]`)
    if (seen.has(copy.topicName)) throw invalid(`topicConfigs[${i}].topicName`, 'unique', copy.topicName)
    seen.add(copy.topicName)
    copies.push(copy)
  }
  return {
    clusterName,
    brokerAddr,
    brokerName,
    brokerId,
    haServerAddr,
    topicConfigs: copies,
    dataVersion,
    incremental: request.incremental ?? false,
  }
}
