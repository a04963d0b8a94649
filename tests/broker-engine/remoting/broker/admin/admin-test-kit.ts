// Shared helpers for the admin processor tests: the broker kit's server with the admin processors registered,
// the captured RocketMQ 4.9.4 frames, and a shape check that compares our bodies with the captured ones.

import { expect } from 'vitest'
import type { BrokerConfig } from '../../../../../broker-engine/broker/broker-config'
import {
  registerBrokerAdminProcessors,
  type BrokerAdminOptions,
  type BrokerAdminProcessors,
} from '../../../../../broker-engine/remoting/broker/admin/admin-processors'
import {
  isFastjsonObject,
  parseFastjson,
  parseMessageQueueKey,
  type FastjsonValue,
} from '../../../../../broker-engine/remoting/fastjson'
import type { RemotingCommand } from '../../../../../broker-engine/remoting/remoting-command'
import { startBrokerServer, type BrokerServer } from '../broker-test-kit'

export { START_MS, TIMEOUT_MS } from '../broker-test-kit'
export { fixtureCommand, fixtureIndex, type FixtureExchange } from '../../remoting-fixtures'

export type AdminHarness = BrokerServer & { readonly admin: BrokerAdminProcessors }

/** The admin processors on a fresh broker (clock and log are the harness's). */
export async function startAdmin(
  options: Omit<BrokerAdminOptions, 'clock' | 'log'> & { config?: Partial<BrokerConfig> } = {},
): Promise<AdminHarness> {
  const { config, ...adminOptions } = options
  const h = await startBrokerServer(config ?? {}, (server, broker, { clock, log }) =>
    registerBrokerAdminProcessors(server, broker, { ...adminOptions, clock, log }),
  )
  return Object.assign(h, { admin: h.processors })
}

export function bodyText(cmd: RemotingCommand): string {
  return cmd.body?.toString('utf8') ?? ''
}

export function bodyJson(cmd: RemotingCommand): FastjsonValue {
  return parseFastjson(bodyText(cmd))
}

/** A body object's property, asserted to be an object (tests read nested bodies with it). */
export function obj(value: FastjsonValue | undefined): Record<string, FastjsonValue> {
  if (!isFastjsonObject(value)) throw new Error(`expected an object, got ${JSON.stringify(value)}`)
  return value
}

/** Entries of a MessageQueue-keyed map as [topic, queueId, value], sorted. */
export function mqEntries(map: FastjsonValue | undefined): [string, number, FastjsonValue][] {
  return Object.entries(obj(map))
    .map(([key, value]): [string, number, FastjsonValue] => {
      const mq = parseMessageQueueKey(key)
      if (!mq) throw new Error(`not a MessageQueue key: ${key}`)
      return [mq.topic, mq.queueId, value]
    })
    .sort((a, b) => (a[0] === b[0] ? a[1] - b[1] : a[0] < b[0] ? -1 : 1))
}

export interface ShapeOptions {
  /** Property names whose value is a map (data keys): its values are compared, not its keys. */
  readonly maps?: readonly string[]
  /** Bean properties the real broker writes that we may leave out (each with its reason in the test). */
  readonly optional?: readonly string[]
}

function kindOf(v: FastjsonValue): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  return typeof v
}

/**
 * Asserts our body has the captured body's shape: the same JSON kinds everywhere, every bean property the real
 * broker wrote (unless optional), and MessageQueue map keys where it used them. Values are not compared.
 */
export function expectSameShape(
  ours: FastjsonValue,
  theirs: FastjsonValue,
  options: ShapeOptions = {},
  at = '$',
): void {
  if (theirs === null) return
  expect(kindOf(ours), `kind at ${at}`).toBe(kindOf(theirs))
  if (Array.isArray(theirs) && Array.isArray(ours)) {
    const model = richest(theirs)
    if (model === undefined) return
    const name = at.slice(at.lastIndexOf('.') + 1) + '[]'
    for (const [i, v] of ours.entries()) {
      if (options.maps?.includes(name)) expectMapShape(v, model, options, `${at}[${i}]`)
      else expectSameShape(v, model, options, `${at}[${i}]`)
    }
    return
  }
  if (!isFastjsonObject(theirs) || !isFastjsonObject(ours)) return
  const name = at.slice(at.lastIndexOf('.') + 1)
  if (options.maps?.includes(name)) {
    expectMapShape(ours, theirs, options, at)
    return
  }
  for (const [key, value] of Object.entries(theirs)) {
    if (!(key in ours)) {
      expect(options.optional ?? [], `property ${at}.${key} missing`).toContain(key)
      continue
    }
    expectSameShape(ours[key]!, value, options, `${at}.${key}`)
  }
}

function expectMapShape(ours: FastjsonValue, theirs: FastjsonValue, options: ShapeOptions, at: string): void {
  expect(kindOf(ours), `kind at ${at}`).toBe(kindOf(theirs))
  if (!isFastjsonObject(ours) || !isFastjsonObject(theirs)) return
  const theirKeys = Object.keys(theirs)
  if (theirKeys.length > 0 && theirKeys.every((k) => parseMessageQueueKey(k) !== undefined)) {
    for (const key of Object.keys(ours))
      expect(parseMessageQueueKey(key), `MessageQueue key at ${at}: ${key}`).toBeDefined()
  }
  const model = richest(Object.values(theirs))
  if (model === undefined) return
  for (const [key, value] of Object.entries(ours)) expectSameShape(value, model, options, `${at}[${key}]`)
}

/** The captured element with the most content: the best model for what every element looks like. */
function richest(values: readonly FastjsonValue[]): FastjsonValue | undefined {
  let best: FastjsonValue | undefined
  let bestLength = -1
  for (const v of values) {
    const length = JSON.stringify(v).length
    if (length > bestLength) [best, bestLength] = [v, length]
  }
  return best
}
