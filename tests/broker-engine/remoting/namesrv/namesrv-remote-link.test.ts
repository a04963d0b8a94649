// The broker's remoting link to NameServers: a real BrokerController registering through it with the real
// NameServer processors, the request it sends next to what a 4.9.4 broker sent, the compressed layout, merging of
// registrations behind a slow NameServer, and failures that are logged and never thrown.

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { BrokerController } from '../../../../broker-engine/broker/broker-controller'
import { RouteRegistry } from '../../../../broker-engine/namesrv/route-registry'
import { parseFastjson } from '../../../../broker-engine/remoting/fastjson'
import { decodeFrame } from '../../../../broker-engine/remoting/frame-codec'
import { registerNameServerProcessors } from '../../../../broker-engine/remoting/namesrv/namesrv-processor'
import {
  NameServerRemoteLink,
  type NameServerCallOutcome,
} from '../../../../broker-engine/remoting/namesrv/namesrv-remote-link'
import type { BrokerRegistration } from '../../../../broker-engine/remoting/namesrv/register-broker-body'
import { RemotingClient } from '../../../../broker-engine/remoting/remoting-client'
import {
  createRequest,
  createResponse,
  type RemotingCommand,
} from '../../../../broker-engine/remoting/remoting-command'
import { REQUEST_CODE, RESPONSE_CODE } from '../../../../broker-engine/remoting/remoting-codes'
import { RemotingServer } from '../../../../broker-engine/remoting/remoting-server'
import { crc32 } from '../../../../broker-engine/store/crc32'
import { ManualClock } from '../../../../broker-engine/testing/manual-clock'
import { fixtureFrame } from '../remoting-fixtures'

const TIMEOUT_MS = 5_000
const cleanups: (() => Promise<void> | void)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

interface NameServer {
  readonly addr: string
  readonly registry: RouteRegistry
  route(topic: string): Promise<RemotingCommand>
}

async function startNameServer(): Promise<NameServer> {
  const registry = new RouteRegistry({}, { clock: new ManualClock(), log: () => undefined })
  const server = new RemotingServer({ port: 0 })
  registerNameServerProcessors(server, registry, { log: () => undefined })
  const port = await server.listen()
  cleanups.push(() => server.close())
  const client = new RemotingClient()
  cleanups.push(() => client.close())
  const addr = `127.0.0.1:${port}`
  return {
    addr,
    registry,
    route: (topic) =>
      client.invoke(
        addr,
        createRequest(REQUEST_CODE.GET_ROUTEINFO_BY_TOPIC, { extFields: { topic } }),
        TIMEOUT_MS,
      ),
  }
}

/** A server that records every REGISTER_BROKER / UNREGISTER_BROKER and answers when the test says so. */
async function startRecordingServer(): Promise<{
  addr: string
  requests: RemotingCommand[]
  /** Answers the oldest unanswered request. */
  answerNext(code?: number, remark?: string): void
  /** Resolves once `count` requests have arrived. */
  received(count: number): Promise<void>
}> {
  const server = new RemotingServer({ port: 0 })
  const requests: RemotingCommand[] = []
  const answers: ((response: RemotingCommand) => void)[] = []
  const waiters: { count: number; resolve: () => void }[] = []
  const handler = (request: RemotingCommand): Promise<RemotingCommand> => {
    requests.push(request)
    for (const w of waiters.filter((w) => requests.length >= w.count)) w.resolve()
    return new Promise((resolve) =>
      answers.push((response) => resolve({ ...response, opaque: request.opaque })),
    )
  }
  server.register(REQUEST_CODE.REGISTER_BROKER, handler)
  server.register(REQUEST_CODE.UNREGISTER_BROKER, handler)
  const port = await server.listen()
  cleanups.push(() => server.close())
  return {
    addr: `127.0.0.1:${port}`,
    requests,
    answerNext(code = RESPONSE_CODE.SUCCESS, remark) {
      const answer = answers.shift()
      if (!answer) throw new Error('no request waiting')
      answer(createResponse(requests[0]!, code, remark === undefined ? {} : { remark }))
    },
    received: (count) =>
      requests.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count, resolve })),
  }
}

function link(
  addrs: string[],
  options: ConstructorParameters<typeof NameServerRemoteLink>[1] = {},
): NameServerRemoteLink {
  const created = new NameServerRemoteLink(addrs, { log: () => undefined, ...options })
  cleanups.push(() => created.close())
  return created
}

function topicConfig(topicName: string, overrides: Partial<BrokerRegistration['topicConfigs'][number]> = {}) {
  return {
    topicName,
    readQueueNums: 4,
    writeQueueNums: 4,
    perm: 6,
    topicFilterType: 'SINGLE_TAG' as const,
    topicSysFlag: 0,
    order: false,
    attributes: {},
    ...overrides,
  }
}

function registration(topics: string[], overrides: Partial<BrokerRegistration> = {}): BrokerRegistration {
  return {
    clusterName: 'DefaultCluster',
    brokerAddr: '127.0.0.1:10911',
    brokerName: 'broker-a',
    brokerId: 0,
    topicConfigs: topics.map((t) => topicConfig(t)),
    dataVersion: { timestamp: 1_700_000_000_000, counter: 1, stateVersion: 0 },
    incremental: false,
    ...overrides,
  }
}

function keysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(keysDeep)
  if (typeof value !== 'object' || value === null) return typeof value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, keysDeep(v)]))
}

describe('NameServerRemoteLink with the real NameServer processors', () => {
  it('registers a real BrokerController, announces topic changes and unregisters on shutdown', async () => {
    const namesrv = await startNameServer()
    const nsLink = link([namesrv.addr])
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mqdeck-ns-link-'))
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }))
    const broker = await BrokerController.start({
      config: {
        storePathRootDir: dir,
        brokerName: 'broker-a',
        listenPort: 10911,
        // A small store: this test is about registration, not storage.
        mappedFileSizeCommitLog: 1024 * 1024,
        maxMessageSize: 64 * 1024,
        mappedFileSizeConsumeQueue: 1000 * 20,
        maxHashSlotNum: 1000,
        maxIndexNum: 4000,
        warmMappedFileEnable: false,
      },
      clock: new ManualClock(),
      log: () => undefined,
      nameServers: [nsLink],
    })
    let stopped = false
    cleanups.push(() => (stopped ? undefined : broker.shutdown()))

    await nsLink.flush()
    const tbw = await namesrv.route('TBW102')
    expect(tbw.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(parseFastjson(tbw.body!.toString())).toMatchObject({
      brokerDatas: [{ brokerAddrs: { '0': broker.addr }, brokerName: 'broker-a', cluster: 'DefaultCluster' }],
    })

    broker.upsertTopic({ topicName: 'LinkTopic', readQueueNums: 3, writeQueueNums: 2, perm: 6 })
    await nsLink.flush()
    const route = await namesrv.route('LinkTopic')
    expect(route.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(parseFastjson(route.body!.toString())).toMatchObject({
      queueDatas: [{ brokerName: 'broker-a', perm: 6, readQueueNums: 3, writeQueueNums: 2, topicSysFlag: 0 }],
    })
    // The topic-change registration carried one topic; the others stay routed.
    expect((await namesrv.route('TBW102')).code).toBe(RESPONSE_CODE.SUCCESS)
    expect(namesrv.registry.getBrokerLiveInfo()[0]).toMatchObject({
      brokerAddr: broker.addr,
      haServerAddr: '127.0.0.1:10912',
      dataVersion: { counter: broker.topics.dataVersion.counter },
    })

    await broker.shutdown()
    stopped = true
    await nsLink.flush()
    expect((await namesrv.route('LinkTopic')).code).toBe(RESPONSE_CODE.TOPIC_NOT_EXIST)
    expect(namesrv.registry.getBrokerLiveInfo()).toEqual([])
  })

  it('registers with every NameServer and reports each outcome', async () => {
    const [a, b] = [await startNameServer(), await startNameServer()]
    const outcomes = await link([a.addr, ` ${b.addr}`]).registerBroker(registration(['T1']))
    expect(outcomes).toEqual([
      { namesrvAddr: a.addr, status: 'OK' },
      { namesrvAddr: b.addr, status: 'OK' },
    ])
    for (const ns of [a, b]) expect((await ns.route('T1')).code).toBe(RESPONSE_CODE.SUCCESS)
  })

  it('registers with the compressed layout when compressedRegister is on', async () => {
    const namesrv = await startNameServer()
    const reg = registration(['Plain'], {
      topicConfigs: [
        topicConfig('Plain'),
        topicConfig('Fifo', { readQueueNums: 2, perm: 4, attributes: { 'message.type': 'FIFO' } }),
      ],
    })
    const outcomes = await link([namesrv.addr], { compressedRegister: true }).registerBroker(reg)
    expect(outcomes[0]).toMatchObject({ status: 'OK' })
    expect(parseFastjson((await namesrv.route('Fifo')).body!.toString())).toMatchObject({
      queueDatas: [{ perm: 4, readQueueNums: 2, writeQueueNums: 4 }],
    })
    expect(namesrv.registry.getAllTopicList().topicList).toEqual(['Fifo', 'Plain'])
  })

  it('returns the master address to a slave', async () => {
    const namesrv = await startNameServer()
    const nsLink = link([namesrv.addr])
    await nsLink.registerBroker(registration(['T1']))
    const outcomes = await nsLink.registerBroker(
      registration(['T1'], { brokerId: 1, brokerAddr: '127.0.0.2:10911' }),
    )
    expect(outcomes).toEqual([
      {
        namesrvAddr: namesrv.addr,
        status: 'OK',
        masterAddr: '127.0.0.1:10911',
        haServerAddr: '127.0.0.1:10912',
      },
    ])
  })
})

describe('what goes on the wire', () => {
  it('sends the header fields and body shape of a captured 4.9.4 REGISTER_BROKER, with a correct bodyCrc32', async () => {
    const recorder = await startRecordingServer()
    const pending = link([recorder.addr]).registerBroker(registration(['FixtureTopic']))
    await recorder.received(1)
    recorder.answerNext()
    expect(await pending).toEqual([{ namesrvAddr: recorder.addr, status: 'OK' }])

    const sent = recorder.requests[0]!
    const frame = fixtureFrame('021-mqadmin-updateTopic-REGISTER_BROKER', 'req')
    const theirs = decodeFrame(frame, 4, frame.length)
    expect(sent.code).toBe(theirs.code)
    expect(Object.keys(sent.extFields!).sort()).toEqual(Object.keys(theirs.extFields!).sort())
    expect(sent.extFields).toMatchObject({
      brokerAddr: '127.0.0.1:10911',
      brokerId: '0',
      brokerName: 'broker-a',
      clusterName: 'DefaultCluster',
      compressed: 'false',
      haServerAddr: '127.0.0.1:10912',
      bodyCrc32: String(crc32(sent.body!) & 0x7fffffff),
    })
    // Same structure as the 4.9.4 broker's body, plus 5.x's attributes and stateVersion.
    const ours = parseFastjson(sent.body!.toString()) as Record<string, unknown>
    const expected = keysDeep(parseFastjson(theirs.body!.toString())) as {
      topicConfigSerializeWrapper: { dataVersion: object; topicConfigTable: { FixtureTopic: object } }
    }
    expected.topicConfigSerializeWrapper.dataVersion = {
      ...expected.topicConfigSerializeWrapper.dataVersion,
      stateVersion: 'number',
    }
    expected.topicConfigSerializeWrapper.topicConfigTable.FixtureTopic = {
      ...expected.topicConfigSerializeWrapper.topicConfigTable.FixtureTopic,
      attributes: {},
    }
    expect(keysDeep(ours)).toEqual(expected)
  })

  it('sends UNREGISTER_BROKER with the captured header fields', async () => {
    const recorder = await startRecordingServer()
    const pending = link([recorder.addr]).unregisterBroker('DefaultCluster', '127.0.0.1:10911', 'broker-a', 0)
    await recorder.received(1)
    recorder.answerNext()
    expect(await pending).toEqual([{ namesrvAddr: recorder.addr, status: 'OK' }])
    const frame = fixtureFrame('247-broker-shutdown-UNREGISTER_BROKER', 'req')
    expect(recorder.requests[0]!.extFields).toEqual(decodeFrame(frame, 4, frame.length).extFields)
  })

  it('keeps one registration on the wire and merges the rest into one queued behind it', async () => {
    const recorder = await startRecordingServer()
    const nsLink = link([recorder.addr])
    const first = nsLink.registerBroker(registration(['A', 'B']))
    await recorder.received(1)
    const second = nsLink.registerBroker(
      registration(['C'], { incremental: true, dataVersion: { timestamp: 1, counter: 2, stateVersion: 0 } }),
    )
    const third = nsLink.registerBroker(
      registration(['D'], { incremental: true, dataVersion: { timestamp: 1, counter: 3, stateVersion: 0 } }),
    )
    recorder.answerNext()
    expect(await first).toEqual([{ namesrvAddr: recorder.addr, status: 'OK' }])
    await recorder.received(2)
    recorder.answerNext(RESPONSE_CODE.SYSTEM_ERROR, 'busy')
    const failed = { namesrvAddr: recorder.addr, status: 'FAILED', reason: 'code 1: busy' }
    expect(await second).toEqual([failed])
    expect(await third).toEqual([failed])
    expect(recorder.requests).toHaveLength(2)
    const merged = parseFastjson(recorder.requests[1]!.body!.toString()) as {
      topicConfigSerializeWrapper: { dataVersion: { counter: number }; topicConfigTable: object }
    }
    expect(Object.keys(merged.topicConfigSerializeWrapper.topicConfigTable)).toEqual(['C', 'D'])
    expect(merged.topicConfigSerializeWrapper.dataVersion.counter).toBe(3)

    // A full registration replaces whatever is queued.
    const onWire = nsLink.registerBroker(registration(['A']))
    await recorder.received(3)
    const queued = nsLink.registerBroker(registration(['X'], { incremental: true }))
    const full = nsLink.registerBroker(registration(['A', 'B', 'X']))
    recorder.answerNext()
    await onWire
    await recorder.received(4)
    recorder.answerNext()
    await Promise.all([queued, full])
    const last = parseFastjson(recorder.requests[3]!.body!.toString()) as {
      topicConfigSerializeWrapper: { topicConfigTable: object }
    }
    expect(Object.keys(last.topicConfigSerializeWrapper.topicConfigTable)).toEqual(['A', 'B', 'X'])
  })

  it('drops a queued registration when UNREGISTER_BROKER comes first', async () => {
    const recorder = await startRecordingServer()
    const nsLink = link([recorder.addr])
    const onWire = nsLink.registerBroker(registration(['A']))
    await recorder.received(1)
    const queued = nsLink.registerBroker(registration(['A', 'B']))
    const unregistered = nsLink.unregisterBroker('DefaultCluster', '127.0.0.1:10911', 'broker-a', 0)
    expect(await queued).toEqual([{ namesrvAddr: recorder.addr, status: 'CANCELLED' }])
    await recorder.received(2)
    recorder.answerNext()
    recorder.answerNext()
    await Promise.all([onWire, unregistered])
    expect(recorder.requests.map((r) => r.code)).toEqual([
      REQUEST_CODE.REGISTER_BROKER,
      REQUEST_CODE.UNREGISTER_BROKER,
    ])
  })
})

describe('failures', () => {
  it('logs and reports a NameServer that is down, a refusal and a deadline, and never throws', async () => {
    const logs: string[] = []
    const down = new RemotingServer({ port: 0 })
    const downAddr = `127.0.0.1:${await down.listen()}`
    await down.close()
    const namesrv = await startNameServer()
    const silent = await startRecordingServer()
    const nsLink = link([downAddr, namesrv.addr, silent.addr], {
      log: (m) => logs.push(m),
      requestTimeoutMs: 300,
    })

    const outcomes: NameServerCallOutcome[] = await nsLink.registerBroker(registration(['bad topic name']))
    const expected: [string, RegExp][] = [
      [downAddr, /connect/],
      [namesrv.addr, /^code 29: .*topicName/],
      [silent.addr, /within \d+ ms/],
    ]
    expect(outcomes.map((o) => [o.namesrvAddr, o.status])).toEqual(expected.map(([addr]) => [addr, 'FAILED']))
    expected.forEach(([, reason], i) => {
      const outcome = outcomes[i]!
      expect(outcome.status === 'FAILED' ? outcome.reason : '').toMatch(reason)
    })
    for (const addr of [downAddr, namesrv.addr, silent.addr]) {
      expect(logs.some((m) => m.startsWith(`registering with NameServer ${addr} failed`))).toBe(true)
    }
  })

  it('refuses a bad NameServer address at construction and cancels calls after close', async () => {
    expect(() => new NameServerRemoteLink(['localhost'])).toThrow(/nameServerAddrs\[0\]/)
    const namesrv = await startNameServer()
    const nsLink = link([namesrv.addr])
    await nsLink.close()
    expect(await nsLink.registerBroker(registration(['T']))).toEqual([
      { namesrvAddr: namesrv.addr, status: 'CANCELLED' },
    ])
    expect(namesrv.registry.getBrokerLiveInfo()).toEqual([])
  })
})
