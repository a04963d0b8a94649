// Shared helpers for the broker processor tests (client-facing here, admin/ builds on it): a one-broker
// EmbeddedCluster on a ManualClock behind a RemotingServer (127.0.0.1, port 0) with a processor set registered,
// RemotingClients to drive it, and the captured RocketMQ 4.9.4 / ali-ons request frames replayed with per-test
// names.

import net from 'node:net'
import { afterEach, expect } from 'vitest'
import type { BrokerConfig } from '../../../../broker-engine/broker/broker-config'
import type { BrokerController } from '../../../../broker-engine/broker/broker-controller'
import type { Clock } from '../../../../broker-engine/common/clock'
import { EmbeddedCluster } from '../../../../broker-engine/cluster/embedded-cluster'
import { FrameDecoder } from '../../../../broker-engine/remoting/frame-codec'
import {
  registerBrokerProcessors,
  type BrokerProcessors,
} from '../../../../broker-engine/remoting/broker/broker-processors'
import { RemotingClient } from '../../../../broker-engine/remoting/remoting-client'
import {
  createRequest,
  type ExtFields,
  type RemotingCommand,
} from '../../../../broker-engine/remoting/remoting-command'
import { RESPONSE_CODE } from '../../../../broker-engine/remoting/remoting-codes'
import type {
  RemotingConnection,
  RequestHandler,
} from '../../../../broker-engine/remoting/remoting-connection'
import { RemotingServer } from '../../../../broker-engine/remoting/remoting-server'
import { decodeRecord, type DecodedMessage } from '../../../../broker-engine/store/message-codec'
import { ManualClock } from '../../../../broker-engine/testing/manual-clock'
import { SMALL_STORE, tempStoreDir } from '../../store/store-test-kit'
import { fixtureCommand, fixtureFrame } from '../remoting-fixtures'

/** Near the capture run (2026-11-28), so captured timestamps fall inside the test's store history. */
export const START_MS = Date.UTC(2026, 10, 28, 10, 0, 0)
export const TIMEOUT_MS = 5000

/** A broker behind a RemotingServer, with clients to talk to it. */
export interface BrokerServer {
  readonly broker: BrokerController
  readonly cluster: EmbeddedCluster
  readonly server: RemotingServer
  readonly clock: ManualClock
  readonly addr: string
  readonly logs: string[]
  /** A new client (its own TCP connection); requests the broker sends it go to `onRequest`. */
  client(onRequest?: RequestHandler): RemotingClient
  /** Sends with the default client (or `client`) and waits for the answer. */
  invoke(request: RemotingCommand, client?: RemotingClient): Promise<RemotingCommand>
  /** Sends a request with this code and extFields (and body) with the default client. */
  call(code: number, extFields?: ExtFields, body?: Buffer): Promise<RemotingCommand>
  /** The default client's (or `client`'s) connection. */
  connection(client?: RemotingClient): Promise<RemotingConnection>
  /** The server side of a client's connection (what a ClientChannelLookup hands out). */
  serverConnectionOf(client: RemotingClient): Promise<RemotingConnection>
  close(): Promise<void>
}

/** Registers a processor set for the test; `stop` runs before the server closes. */
export type RegisterProcessors<T> = (
  server: RemotingServer,
  broker: BrokerController,
  env: { readonly clock: Clock; readonly log: (message: string) => void },
) => T & { stop(): void }

const open: BrokerServer[] = []

afterEach(async () => {
  for (const h of open.splice(0).reverse()) await h.close()
})

/** Starts the broker and server with `register`'s processors; the test's afterEach closes everything. */
export async function startBrokerServer<T>(
  config: Partial<BrokerConfig>,
  register: RegisterProcessors<T>,
): Promise<BrokerServer & { readonly processors: T }> {
  const clock = new ManualClock(START_MS)
  const logs: string[] = []
  const log = (m: string): void => void logs.push(m)
  const cluster = await EmbeddedCluster.start({
    clock,
    log,
    random: () => 0,
    brokers: [{ ...SMALL_STORE, storePathRootDir: tempStoreDir(), brokerName: 'broker-a', ...config }],
  })
  const broker = cluster.brokers[0]!
  const server = new RemotingServer({ port: 0, log })
  const serverConnections: RemotingConnection[] = []
  server.onConnection((c) => serverConnections.push(c))
  const processors = register(server, broker, { clock, log })
  const port = await server.listen()
  const addr = `127.0.0.1:${port}`
  const clients: RemotingClient[] = []
  const client = (onRequest?: RequestHandler): RemotingClient => {
    const c = new RemotingClient({ onRequest })
    clients.push(c)
    return c
  }
  const main = client()
  const invoke = (request: RemotingCommand, c = main) => c.invoke(addr, request, TIMEOUT_MS)
  let closed = false
  const harness = {
    broker,
    cluster,
    server,
    processors,
    clock,
    addr,
    logs,
    client,
    invoke,
    call: (code: number, extFields?: ExtFields, body?: Buffer) =>
      invoke(createRequest(code, { extFields, body })),
    connection: (c = main) => c.connection(addr, TIMEOUT_MS),
    async serverConnectionOf(c: RemotingClient) {
      const local = (await c.connection(addr, TIMEOUT_MS)).socket.localPort
      for (let i = 0; i < 100; i++) {
        const found = serverConnections.find((s) => s.socket.remotePort === local)
        if (found) return found
        await new Promise((resolve) => setImmediate(resolve))
      }
      throw new Error(`no server connection for local port ${local}`)
    },
    async close() {
      if (closed) return
      closed = true
      processors.stop()
      for (const c of clients) c.close()
      await server.close()
      await cluster.shutdown()
    },
  }
  open.push(harness)
  return harness
}

export type Harness = BrokerServer & { readonly processors: BrokerProcessors }

/** The client-facing processors (send, pull, offsets, heartbeats, transactions) on a fresh broker. */
export function startHarness(config: Partial<BrokerConfig> = {}): Promise<Harness> {
  return startBrokerServer(config, (server, broker, { clock, log }) => {
    const processors = registerBrokerProcessors(server, broker, { log, clock })
    return { ...processors, stop: () => processors.close() }
  })
}

/**
 * A captured request frame (file prefix as in index.json) decoded, with ext fields replaced or removed
 * (undefined) and optionally a new body; the opaque is assigned again when it is sent.
 */
export function fixtureRequest(
  file: string,
  changes: { ext?: Record<string, string | undefined>; body?: Buffer | null } = {},
): RemotingCommand {
  const request = fixtureCommand(file, 'req')
  const extFields: Record<string, string> = { ...request.extFields }
  for (const [name, value] of Object.entries(changes.ext ?? {})) {
    if (value === undefined) delete extFields[name]
    else extFields[name] = value
  }
  const body = changes.body === null ? undefined : (changes.body ?? request.body)
  return { ...request, extFields, body: body && Buffer.from(body) }
}

/** The JSON body of a captured request frame. */
export function fixtureJsonBody(file: string): Record<string, unknown> {
  const body = fixtureRequest(file).body
  return JSON.parse(body!.toString('utf8')) as Record<string, unknown>
}

export function request(
  code: number,
  extFields: Record<string, string> = {},
  body?: Buffer,
): RemotingCommand {
  return createRequest(code, { extFields, body })
}

export function ext(response: RemotingCommand): Readonly<Record<string, string>> {
  return response.extFields ?? {}
}

export function decodeRecords(body: Buffer | undefined): DecodedMessage[] {
  const out: DecodedMessage[] = []
  if (!body) return out
  for (let pos = 0; pos < body.length; pos += body.readInt32BE(pos)) out.push(decodeRecord(body, pos))
  return out
}

/** Sends `body` to the queue as the Java producer does and asserts SUCCESS; returns the stored message. */
export async function sendOk(
  h: BrokerServer,
  topic: string,
  queueId: number,
  body: string,
  properties?: string,
): Promise<{ offsetMsgId: string; message: DecodedMessage }> {
  const res = await h.invoke(sendRequest(topic, queueId, body, properties))
  expect(res.code).toBe(RESPONSE_CODE.SUCCESS)
  const offsetMsgId = ext(res).msgId!
  return { offsetMsgId, message: h.broker.store.lookMessageByOffsetMsgId(offsetMsgId)! }
}

/** The records stored in a queue from `offset` on. */
export function storedRecords(h: BrokerServer, topic: string, queueId: number, offset = 0): DecodedMessage[] {
  const got = h.broker.store.getMessage({ topic, queueId, queueOffset: offset, maxMsgNums: 64 })
  return decodeRecords(got.records)
}

/** Closes a client's connection and waits until the broker has dropped its producers of `producerGroup`. */
export async function disconnectProducer(
  h: BrokerServer,
  client: RemotingClient,
  producerGroup: string,
): Promise<void> {
  ;(await h.connection(client)).close()
  await within(
    (async () => {
      while (h.broker.clients.producerConnections(producerGroup).length > 0)
        await new Promise((resolve) => setImmediate(resolve))
    })(),
    'the producer to leave',
  )
}

/** A HeartbeatData body shaped like the Java push consumer's (capture 068). */
export function consumerHeartbeat(
  clientId: string,
  group: string,
  subscriptions: Record<string, string>,
  producerGroups: string[] = ['CLIENT_INNER_PRODUCER'],
): Buffer {
  const subscriptionDataSet = Object.entries(subscriptions).map(([topic, subString]) => ({
    classFilterMode: false,
    codeSet: [],
    expressionType: 'TAG',
    subString,
    subVersion: START_MS,
    tagsSet: subString === '*' ? [] : subString.split('||').map((t) => t.trim()),
    topic,
  }))
  return Buffer.from(
    JSON.stringify({
      clientID: clientId,
      consumerDataSet: [
        {
          consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
          consumeType: 'CONSUME_PASSIVELY',
          groupName: group,
          messageModel: 'CLUSTERING',
          subscriptionDataSet,
          unitMode: false,
        },
      ],
      producerDataSet: producerGroups.map((groupName) => ({ groupName })),
    }),
  )
}

export function producerHeartbeat(clientId: string, groups: string[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      clientID: clientId,
      consumerDataSet: [],
      producerDataSet: groups.map((groupName) => ({ groupName })),
    }),
  )
}

/** A promise for the next request of `code` a client receives from the broker, plus the handler to install. */
export function brokerRequests(): {
  handler: RequestHandler
  next(code: number): Promise<RemotingCommand>
  received: RemotingCommand[]
} {
  const received: RemotingCommand[] = []
  const waiters: { code: number; resolve: (r: RemotingCommand) => void }[] = []
  return {
    received,
    handler: (req) => {
      const i = waiters.findIndex((w) => w.code === req.code)
      if (i >= 0) waiters.splice(i, 1)[0]!.resolve(req)
      else received.push(req)
      return undefined
    },
    next(code) {
      const i = received.findIndex((r) => r.code === code)
      if (i >= 0) return Promise.resolve(received.splice(i, 1)[0]!)
      return new Promise((resolve) => waiters.push({ code, resolve }))
    },
  }
}

/** Fails instead of hanging when something the test waits for never happens. */
export function within<T>(promise: Promise<T>, what: string, ms = TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)
  })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}

/**
 * Sends a captured frame byte for byte on a fresh TCP connection (as ali-ons wrote it, JSON numbers and all) and
 * resolves with the first command the broker sends back.
 */
export function rawExchange(addr: string, file: string): Promise<RemotingCommand> {
  const frame = fixtureFrame(file, 'req')
  const at = addr.lastIndexOf(':')
  return within(
    new Promise<RemotingCommand>((resolve, reject) => {
      const socket = net.connect({ host: addr.slice(0, at), port: Number(addr.slice(at + 1)) })
      const decoder = new FrameDecoder()
      socket.on('error', reject)
      socket.on('data', (chunk: Buffer) =>
        decoder.push(chunk, (cmd) => {
          socket.destroy()
          resolve(cmd)
        }),
      )
      socket.on('connect', () => socket.write(frame))
    }),
    `the answer to ${file}`,
  )
}

/** A PULL_MESSAGE shaped like ali-ons' (capture 233): suspend + subscription in the request. */
export function pullRequest(
  group: string,
  topic: string,
  queueId: number,
  queueOffset: number,
  options: {
    sysFlag?: number
    subscription?: string
    suspendTimeoutMillis?: number
    commitOffset?: number
  } = {},
): RemotingCommand {
  return fixtureRequest('233-ali-ons-smoke-PULL_MESSAGE-suspend_subscription', {
    ext: {
      consumerGroup: group,
      topic,
      queueId: String(queueId),
      queueOffset: String(queueOffset),
      sysFlag: String(options.sysFlag ?? 6),
      subscription: options.subscription ?? '*',
      suspendTimeoutMillis: String(options.suspendTimeoutMillis ?? 15000),
      commitOffset: String(options.commitOffset ?? 0),
    },
  })
}

/** A SEND_MESSAGE_V2 shaped like the Java producer's (capture 036) to `topic` queue `queueId`. */
export function sendRequest(
  topic: string,
  queueId: number,
  body: string,
  properties = 'TAGS\u0001TagA',
): RemotingCommand {
  return fixtureRequest('036-java-keyed-producer-SEND_MESSAGE_V2', {
    ext: { b: topic, e: String(queueId), i: properties },
    body: Buffer.from(body),
  })
}
