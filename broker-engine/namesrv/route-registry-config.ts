// The route registry's configuration, after RocketMQ's NamesrvConfig and RouteInfoManager constants, and the
// bounds on what it holds. Validated once at construction with errors that name the key.

import { EngineError } from '../common/engine-error'

export interface RouteRegistryConfig {
  /** A broker not heard from for longer than this is dropped (DEFAULT_BROKER_CHANNEL_EXPIRED_TIME, 120 s). */
  brokerChannelExpiredTimeoutMs: number
  /** How often the expiry scan runs once started (scanNotActiveBrokerInterval: 5 s in 5.x, 10 s in 4.x). */
  scanNotActiveBrokerIntervalMs: number
  /** Registered broker addresses (masters and slaves) held at most. */
  brokersMax: number
  /** Distinct topics in the route table at most. */
  topicsMax: number
  /** Topic configs one registration may carry at most. */
  registrationTopicsMax: number
}

export const DEFAULT_ROUTE_REGISTRY_CONFIG: RouteRegistryConfig = {
  brokerChannelExpiredTimeoutMs: 120_000,
  scanNotActiveBrokerIntervalMs: 5_000,
  brokersMax: 1_024,
  topicsMax: 262_144,
  registrationTopicsMax: 65_536,
}

const isInt = (min: number, max: number) => (v: unknown) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max

type Rule = readonly [key: keyof RouteRegistryConfig, ok: (v: unknown) => boolean, expected: string]

const RULES: readonly Rule[] = [
  ['brokerChannelExpiredTimeoutMs', isInt(1, 86_400_000), 'milliseconds from 1 to 86400000'],
  ['scanNotActiveBrokerIntervalMs', isInt(1, 3_600_000), 'milliseconds from 1 to 3600000'],
  ['brokersMax', isInt(1, 65_536), 'an integer from 1 to 65536'],
  ['topicsMax', isInt(1, 4_194_304), 'an integer from 1 to 4194304'],
  ['registrationTopicsMax', isInt(1, 4_194_304), 'an integer from 1 to 4194304'],
]

/** Fills defaults and validates; throws EngineError('CONFIG_INVALID') naming the first bad key. */
export function resolveRouteRegistryConfig(input: Partial<RouteRegistryConfig> = {}): RouteRegistryConfig {
  const config: RouteRegistryConfig = { ...DEFAULT_ROUTE_REGISTRY_CONFIG, ...input }
  for (const [key, ok, expected] of RULES) {
    if (!ok(config[key])) {
      throw new EngineError(
        'CONFIG_INVALID',
        `${key} must be ${expected}; got ${JSON.stringify(config[key])}`,
        { key },
      )
    }
  }
  return config
}
