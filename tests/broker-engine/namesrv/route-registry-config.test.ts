import { describe, expect, it } from 'vitest'
import { RouteRegistry } from '../../../broker-engine/namesrv/route-registry'
import {
  DEFAULT_ROUTE_REGISTRY_CONFIG,
  resolveRouteRegistryConfig,
} from '../../../broker-engine/namesrv/route-registry-config'

describe('route registry configuration', () => {
  it("defaults to RocketMQ's 120 s broker expiry scanned every 5 s", () => {
    expect(resolveRouteRegistryConfig()).toStrictEqual(DEFAULT_ROUTE_REGISTRY_CONFIG)
    expect(DEFAULT_ROUTE_REGISTRY_CONFIG.brokerChannelExpiredTimeoutMs).toBe(120_000)
    expect(DEFAULT_ROUTE_REGISTRY_CONFIG.scanNotActiveBrokerIntervalMs).toBe(5_000)
    expect(new RouteRegistry({ brokersMax: 8 }).config.brokersMax).toBe(8)
  })

  const bad: [string, Record<string, unknown>][] = [
    ['brokerChannelExpiredTimeoutMs', { brokerChannelExpiredTimeoutMs: 0 }],
    ['scanNotActiveBrokerIntervalMs', { scanNotActiveBrokerIntervalMs: 1.5 }],
    ['brokersMax', { brokersMax: undefined }],
    ['topicsMax', { topicsMax: -1 }],
    ['registrationTopicsMax', { registrationTopicsMax: '10' }],
  ]
  for (const [key, config] of bad) {
    it(`rejects a bad ${key} naming the key`, () => {
      expect(() => new RouteRegistry(config)).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID', details: { key } }),
      )
      expect(() => resolveRouteRegistryConfig(config)).toThrow(new RegExp(`^${key} must be`))
    })
  }
})
