// Every admin request mqadmin and ali-ons sent the real 4.9.4 broker in the capture run, replayed in capture order
// against our broker set up like the capture's (same topics, groups, clients). Each answer must carry the captured
// response code, remark and header fields, and a body of the captured shape (PROTOCOL.md 2.10); the one code we
// answer differently on purpose (a 5.x server-side reset for an offline group) is checked for what we send.

import { beforeEach, describe, expect, it } from 'vitest'
import { createResponse, type RemotingCommand } from '../../../../../broker-engine/remoting/remoting-command'
import type { RemotingConnection } from '../../../../../broker-engine/remoting/remoting-connection'
import { parseJavaProperties } from '../../../../../broker-engine/broker/broker-config'
import {
  bodyJson,
  bodyText,
  expectSameShape,
  fixtureCommand,
  fixtureIndex,
  obj,
  startAdmin,
  type AdminHarness,
  type FixtureExchange,
  type ShapeOptions,
} from './admin-test-kit'

const GROUP = 'please_rename_unique_group_name_4'
const CLIENT_ID = '192.0.2.2@14876#3681210654761'

/** How our body is compared with the captured one, per request code. */
const SHAPES: Readonly<Record<number, ShapeOptions>> = {
  28: { maps: ['table'] },
  202: { maps: ['offsetTable'] },
  // subVersion is the client's own timestamp; the engine's client registry does not keep it (see admin-json.ts).
  203: { maps: ['subscriptionTable'], optional: ['subVersion'] },
  208: { maps: ['offsetTable'] },
  307: { maps: ['mqTable', 'properties', 'statusTable'] },
  // avgpt is messages per request; the sampler counts messages only (see stats-admin.ts).
  315: { optional: ['avgpt'] },
  317: { maps: ['offsetTable', 'consumeStatsList[]'] },
}

/** Bodies a real broker writes with MessageQueue objects as keys: ours must use the same inline form. */
const INLINE_MQ_KEY_CODES = new Set([202, 208, 222, 307, 317])

/**
 * The offline resetOffsetByTime: a 4.9.4 broker answers CONSUMER_NOT_ONLINE and mqadmin falls back to per-queue
 * commits; we reset on the server the 5.x way, so the reset works with nobody online.
 */
const SERVER_SIDE_RESET =
  '135-mqadmin-resetOffsetByTime-offline-INVOKE_BROKER_TO_RESET_OFFSET-CONSUMER_NOT_ONLINE'

let h: AdminHarness
let consumerConnection: RemotingConnection | undefined

beforeEach(async () => {
  consumerConnection = undefined
  h = await startAdmin({
    clientChannels: {
      connectionOf: (group, clientId) =>
        group === GROUP && clientId === CLIENT_ID ? consumerConnection : undefined,
    },
  })
})

/** The capture's broker state, as far as the replayed requests look at it. */
async function setUpCaptureState(): Promise<void> {
  const { broker, clock } = h
  for (const topicName of ['FixtureTopic', 'TopicTest', 'FixtureRetryTopic', 'FixtureTopicToDelete'])
    broker.upsertTopic({ topicName, readQueueNums: 4, writeQueueNums: 4 })
  for (let i = 0; i < 40; i++) {
    clock.advance(100)
    await broker.sendMessage({ topic: 'TopicTest', queueId: i % 4, body: Buffer.from(`t${i}`) })
    await broker.sendMessage({ topic: 'FixtureTopic', queueId: i % 4, body: Buffer.from(`f${i}`) })
  }
  await broker.sendMessage({ topic: 'FixtureRetryTopic', queueId: 3, body: Buffer.from('r') })
  broker.consumerHeartbeat({
    clientId: CLIENT_ID,
    group: GROUP,
    language: 'JAVA',
    version: 401,
    clientAddr: '127.0.0.1:45990',
    messageModel: 'CLUSTERING',
    consumeType: 'CONSUME_PASSIVELY',
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    subscriptions: [
      { topic: 'TopicTest', subString: '*' },
      { topic: `%RETRY%${GROUP}`, subString: '*' },
    ],
  })
  broker.clients.registerProducer({
    clientId: '192.0.2.2@14969#3691241410074',
    group: 'capture_idle_pg',
    language: 'JAVA',
    version: 401,
    clientAddr: '127.0.0.1:60684',
  })
  for (let q = 0; q < 4; q++) {
    const pulled = await broker.pullMessage({
      consumerGroup: GROUP,
      topic: 'TopicTest',
      queueId: q,
      queueOffset: 0,
      maxMsgNums: 32,
      suspendTimeoutMs: 0,
    })
    broker.commitOffset(GROUP, 'TopicTest', q, pulled.status === 'FOUND' ? pulled.nextBeginOffset : 0)
  }
  broker.commitOffset(GROUP, `%RETRY%${GROUP}`, 0, 0)
  broker.commitOffset('capture_retry_cg', 'FixtureRetryTopic', 3, 1)
  // Two samples apart, so the sampled TPS figures exist.
  clock.advance(10_000)
  // The consumer answers the relayed GET_CONSUMER_RUNNING_INFO with what the real client answered (capture 105).
  const clientAnswer = fixtureCommand('105-java-quickstart-consumer-GET_CONSUMER_RUNNING_INFO-b2c', 'res')
  const consumer = h.client((request) =>
    createResponse(request, clientAnswer.code, { remark: clientAnswer.remark, body: clientAnswer.body }),
  )
  consumerConnection = await h.serverConnectionOf(consumer)
}

function adminExchanges(): FixtureExchange[] {
  const codes = new Set(h.admin.codes)
  return fixtureIndex().filter((e) => e.direction === 'client->broker' && codes.has(e.code))
}

describe('captured mqadmin / ali-ons admin requests replayed', () => {
  it('covers the admin codes the capture has', () => {
    const codes = new Set(adminExchanges().map((e) => e.code))
    expect([...codes].sort((a, b) => a - b)).toEqual([
      17, 26, 28, 200, 202, 203, 204, 207, 208, 215, 222, 300, 307, 315, 317,
    ])
  })

  it('answers each with the captured code, remark, header fields and body shape', async () => {
    await setUpCaptureState()
    for (const exchange of adminExchanges()) {
      const request = fixtureCommand(exchange.file, 'req')
      const captured = fixtureCommand(exchange.file, 'res')
      const ours = await h.invoke(request)
      const label = exchange.file
      expect(ours.serializeType, label).toBe(captured.serializeType)
      if (exchange.file === SERVER_SIDE_RESET) {
        expect(ours.code, label).toBe(0)
        expectSameShape(bodyJson(ours), bodyJson(fixtureCommand(exchangeFile(109), 'res')), {}, label)
        continue
      }
      expect([ours.code, ours.remark], label).toEqual([captured.code, captured.remark])
      expect(Object.keys(ours.extFields ?? {}).sort(), label).toEqual(
        expect.arrayContaining(Object.keys(captured.extFields ?? {})),
      )
      compareBodies(exchange, ours, captured)
    }
  })
})

function exchangeFile(prefix: number): string {
  const found = fixtureIndex().find((e) => e.file.startsWith(String(prefix).padStart(3, '0')))
  if (!found) throw new Error(`no capture ${prefix}`)
  return found.file
}

function compareBodies(exchange: FixtureExchange, ours: RemotingCommand, captured: RemotingCommand): void {
  const label = exchange.file
  if (captured.body === undefined) {
    expect(ours.body, label).toBeUndefined()
    return
  }
  expect(ours.body, label).toBeDefined()
  if (exchange.code === 26) {
    // java.util.Properties text: every line key=value, with the keys both brokers share.
    const keys = new Set(parseJavaProperties(bodyText(ours)).map(([k]) => k))
    const theirs = parseJavaProperties(bodyText(captured)).map(([k]) => k)
    const shared = theirs.filter((k) => keys.has(k))
    expect(shared, label).toEqual(
      expect.arrayContaining([
        'brokerName',
        'brokerClusterName',
        'brokerId',
        'listenPort',
        'storePathRootDir',
      ]),
    )
    const version = JSON.parse(ours.extFields!.version!) as Record<string, unknown>
    expect(Object.keys(version).sort(), label).toEqual(['counter', 'timestamp'])
    return
  }
  if (INLINE_MQ_KEY_CODES.has(exchange.code) && bodyText(captured).includes('{{"brokerName"'))
    expect(bodyText(ours), label).toContain('{{"brokerName"')
  expectSameShape(bodyJson(ours), bodyJson(captured), SHAPES[exchange.code] ?? {}, label)
  if (exchange.code === 28) {
    const table = obj(obj(bodyJson(ours)).table)
    for (const value of Object.values(table)) expect(typeof value, label).toBe('string')
  }
}
