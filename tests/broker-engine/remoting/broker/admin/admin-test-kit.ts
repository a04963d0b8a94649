// Shared helpers for the admin processor tests: a one-broker EmbeddedCluster on a ManualClock behind a
// RemotingServer (127.0.0.1, port 0) with the admin processors, clients to drive it, the captured RocketMQ 4.9.4
// frames, and a shape check that compares our bodies with the captured ones.

import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, expect } from 'vitest'
import type { BrokerConfig } from '../../../../../broker-engine/broker/broker-config'
import type { BrokerController } from '../../../../../broker-engine/broker/broker-controller'
import { EmbeddedCluster } from '../../../../../broker-engine/cluster/embedded-cluster'
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
import { decodeFrame } from '../../../../../broker-engine/remoting/frame-codec'
import { RemotingClient } from '../../../../../broker-engine/remoting/remoting-client'
import {
  createRequest,
  type ExtFields,
  type RemotingCommand,
} from '../../../../../broker-engine/remoting/remoting-command'
import type {
  RemotingConnection,
  RequestHandler,
} from '../../../../../broker-engine/remoting/remoting-connection'
import { RemotingServer } from '../../../../../broker-engine/remoting/remoting-server'
import { ManualClock } from '../../../../../broker-engine/testing/manual-clock'
import { SMALL_STORE, tempStoreDir } from '../../../store/store-test-kit'

const FIXTURES = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../fixtures/rocketmq-remoting',
)

/** Near the capture run (2026-11-28), so captured timestamps fall inside the test's store history. */
export const START_MS = Date.UTC(2026, 10, 28, 10, 0, 0)
export const TIMEOUT_MS = 5000

export interface AdminHarness {
  readonly broker: BrokerController
  readonly cluster: EmbeddedCluster
  readonly server: RemotingServer
  readonly admin: BrokerAdminProcessors
  readonly clock: ManualClock
  readonly addr: string
  readonly logs: string[]
  /** A new client with its own connection; requests the broker relays to it go to `onRequest`. */
  client(onRequest?: RequestHandler): RemotingClient
  /** The server side of a client's connection (what a ClientChannelLookup hands out). */
  serverConnectionOf(client: RemotingClient): Promise<RemotingConnection>
  invoke(request: RemotingCommand, client?: RemotingClient): Promise<RemotingCommand>
  /** Sends a request with this code and extFields (and body). */
  call(code: number, extFields?: ExtFields, body?: Buffer): Promise<RemotingCommand>
}

const open: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close()
})

export async function startAdmin(
  options: Omit<BrokerAdminOptions, 'clock' | 'log'> & { config?: Partial<BrokerConfig> } = {},
): Promise<AdminHarness> {
  const clock = new ManualClock(START_MS)
  const logs: string[] = []
  const log = (m: string): void => void logs.push(m)
  const cluster = await EmbeddedCluster.start({
    clock,
    log,
    random: () => 0,
    brokers: [
      { ...SMALL_STORE, storePathRootDir: tempStoreDir(), brokerName: 'broker-a', ...options.config },
    ],
  })
  const broker = cluster.brokers[0]!
  const server = new RemotingServer({ port: 0, log })
  const serverConnections: RemotingConnection[] = []
  server.onConnection((c) => serverConnections.push(c))
  const admin = registerBrokerAdminProcessors(server, broker, { ...options, clock, log })
  const port = await server.listen()
  const addr = `127.0.0.1:${port}`
  const clients: RemotingClient[] = []
  const client = (onRequest?: RequestHandler): RemotingClient => {
    const c = new RemotingClient({ onRequest })
    clients.push(c)
    return c
  }
  const main = client()
  open.push(async () => {
    admin.stop()
    for (const c of clients) c.close()
    await server.close()
    await cluster.shutdown()
  })
  const invoke = (request: RemotingCommand, c: RemotingClient = main) => c.invoke(addr, request, TIMEOUT_MS)
  return {
    broker,
    cluster,
    server,
    admin,
    clock,
    addr,
    logs,
    client,
    async serverConnectionOf(c) {
      const local = (await c.connection(addr)).socket.localPort
      for (let i = 0; i < 100; i++) {
        const found = serverConnections.find((s) => s.socket.remotePort === local)
        if (found) return found
        await new Promise((resolve) => setImmediate(resolve))
      }
      throw new Error(`no server connection for local port ${local}`)
    },
    invoke,
    call: (code, extFields, body) => invoke(createRequest(code, { extFields, body })),
  }
}

export interface FixtureExchange {
  readonly file: string
  readonly scenario: string
  readonly code: number
  readonly codeName: string
  readonly direction: string
  readonly responseCode: number | null
  readonly responseHeaderJson: {
    readonly remark?: string
    readonly extFields?: Record<string, string>
  } | null
}

export function fixtureIndex(): FixtureExchange[] {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, 'index.json'), 'utf8')) as FixtureExchange[]
}

/** The captured frame decoded (its 4-byte length prefix skipped). */
export function fixtureCommand(file: string, kind: 'req' | 'res'): RemotingCommand {
  const frame = fs.readFileSync(path.join(FIXTURES, `${file}.${kind}.bin`))
  return decodeFrame(frame, 4, frame.length)
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
