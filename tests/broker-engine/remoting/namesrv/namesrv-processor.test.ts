// The NameServer processors over a real socket: captured RocketMQ 4.9.4 requests in, answers compared with what the
// real 4.9.4 NameServer sent back for the same registrations; the compressed layout, CRC and header validation,
// KV config, NameServer config, data-version queries, and brokers dropped when their connection closes.

import zlib from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { RouteRegistry } from '../../../../broker-engine/namesrv/route-registry'
import { parseFastjson } from '../../../../broker-engine/remoting/fastjson'
import { decodeFrame, encodeCommand } from '../../../../broker-engine/remoting/frame-codec'
import {
  KvConfigTable,
  NAMESPACE_ORDER_TOPIC_CONFIG,
} from '../../../../broker-engine/remoting/namesrv/kv-config-table'
import type { NamesrvConfig } from '../../../../broker-engine/remoting/namesrv/namesrv-config'
import {
  registerNameServerProcessors,
  type NameServerProcessors,
} from '../../../../broker-engine/remoting/namesrv/namesrv-processor'
import { REGISTER_BODY_INFLATED_BYTES_MAX } from '../../../../broker-engine/remoting/namesrv/register-broker-body'
import { RemotingClient } from '../../../../broker-engine/remoting/remoting-client'
import {
  createRequest,
  type ExtFields,
  type RemotingCommand,
  type SerializeType,
} from '../../../../broker-engine/remoting/remoting-command'
import {
  ENGINE_REMOTING_VERSION,
  REQUEST_CODE,
  RESPONSE_CODE,
} from '../../../../broker-engine/remoting/remoting-codes'
import type { RemotingConnection } from '../../../../broker-engine/remoting/remoting-connection'
import { RemotingServer } from '../../../../broker-engine/remoting/remoting-server'
import { crc32 } from '../../../../broker-engine/store/crc32'
import { ManualClock } from '../../../../broker-engine/testing/manual-clock'
import { fixtureFrame } from '../remoting-fixtures'

const TIMEOUT_MS = 5_000
const BROKER_ADDR = '127.0.0.1:10911'

interface Harness {
  readonly server: RemotingServer
  readonly registry: RouteRegistry
  readonly clock: ManualClock
  readonly processors: NameServerProcessors
  readonly addr: string
  readonly logs: string[]
  /** A fresh client; closed with the harness. */
  client(): RemotingClient
  send(cmd: RemotingCommand, client?: RemotingClient): Promise<RemotingCommand>
}

const cleanups: (() => Promise<void> | void)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function start(
  options: { namesrvConfig?: Partial<NamesrvConfig>; kvConfig?: KvConfigTable } = {},
): Promise<Harness> {
  const clock = new ManualClock()
  const logs: string[] = []
  const log = (m: string): void => void logs.push(m)
  const registry = new RouteRegistry({}, { clock, log })
  const server = new RemotingServer({ port: 0, log })
  const processors = registerNameServerProcessors(server, registry, { log, ...options })
  const port = await server.listen()
  cleanups.push(() => server.close())
  const addr = `127.0.0.1:${port}`
  const clients: RemotingClient[] = []
  cleanups.push(() => clients.forEach((c) => c.close()))
  const client = (): RemotingClient => {
    const c = new RemotingClient()
    clients.push(c)
    return c
  }
  const shared = client()
  return {
    server,
    registry,
    clock,
    processors,
    addr,
    logs,
    client,
    send: (cmd, via = shared) => via.invoke(addr, cmd, TIMEOUT_MS),
  }
}

/** A captured frame decoded into the command a real client or broker sent (or the answer a real server sent). */
function captured(file: string, kind: 'req' | 'res' = 'req'): RemotingCommand {
  const frame = fixtureFrame(file, kind)
  return decodeFrame(frame, 4, frame.length)
}

function request(
  code: number,
  extFields?: ExtFields,
  body?: Buffer,
  serializeType?: SerializeType,
): RemotingCommand {
  return createRequest(code, { extFields, body, serializeType })
}

function withExt(cmd: RemotingCommand, changes: Record<string, string | undefined>): RemotingCommand {
  const extFields: Record<string, string> = { ...cmd.extFields }
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete extFields[k]
    else extFields[k] = v
  }
  return { ...cmd, extFields }
}

function json(cmd: RemotingCommand): unknown {
  expect(cmd.body).toBeDefined()
  return parseFastjson(cmd.body!.toString('utf8'))
}

/** The value with every `enableActingMaster` key removed: 5.x BrokerData has it, the 4.9.4 captures do not. */
function without49Extras(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(without49Extras)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== 'enableActingMaster')
      .map(([k, v]) => [k, without49Extras(v)]),
  )
}

/** Our response re-encoded under the captured opaque must be the captured frame, byte for byte. */
function expectSameFrame(response: RemotingCommand, file: string): void {
  const theirs = fixtureFrame(file, 'res')
  const capturedOpaque = captured(file, 'res').opaque
  expect(encodeCommand({ ...response, opaque: capturedOpaque }).toString('latin1')).toBe(
    theirs.toString('latin1'),
  )
}

async function registerFixtures(h: Harness, ...files: string[]): Promise<void> {
  for (const file of files) {
    const response = await h.send(captured(file))
    expect(response.code, response.remark).toBe(RESPONSE_CODE.SUCCESS)
  }
}

const TOPIC_LINE = (name: string, r: number, w: number, perm: number, attributes?: string): string =>
  `${name} ${r} ${w} ${perm} SINGLE_TAG ${attributes ?? ''}`

/** RegisterBrokerBody.encode(true), written independently of the engine's encoder. */
function compressedBody(
  dataVersion: object,
  topicLines: string[],
  opts: { mappings?: string[]; truncateBytes?: number } = {},
): Buffer {
  const parts: Buffer[] = []
  const int = (n: number): void => {
    const b = Buffer.alloc(4)
    b.writeInt32BE(n)
    parts.push(b)
  }
  const chunk = (text: string): void => {
    const b = Buffer.from(text, 'utf8')
    int(b.length)
    parts.push(b)
  }
  chunk(JSON.stringify(dataVersion))
  int(topicLines.length)
  topicLines.forEach(chunk)
  chunk('[]')
  if (opts.mappings) {
    int(opts.mappings.length)
    opts.mappings.forEach(chunk)
  }
  let raw = Buffer.concat(parts)
  if (opts.truncateBytes) raw = raw.subarray(0, raw.length - opts.truncateBytes)
  return zlib.deflateSync(raw, { level: 9 })
}

function registerHeader(body: Buffer | undefined, extra: Record<string, string> = {}): ExtFields {
  return {
    brokerAddr: BROKER_ADDR,
    brokerId: '0',
    brokerName: 'broker-a',
    clusterName: 'DefaultCluster',
    haServerAddr: '127.0.0.1:10912',
    compressed: 'false',
    bodyCrc32: body ? String(crc32(body) & 0x7fffffff) : '0',
    ...extra,
  }
}

describe('REGISTER_BROKER and the queries a real 4.9.4 NameServer answered', () => {
  it('answers a captured registration with the captured response frame', async () => {
    const h = await start()
    const response = await h.send(captured('001-broker-startup-REGISTER_BROKER'))
    expect(response.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(response.extFields).toEqual({})
    expect(response.body).toBeUndefined()
    expect(response.version).toBe(ENGINE_REMOTING_VERSION)
    expectSameFrame(response, '001-broker-startup-REGISTER_BROKER')
    expect(h.processors.trackedBrokerCount).toBe(1)
  })

  it('routes TBW102 as the real NameServer did after the same registration', async () => {
    const h = await start()
    await registerFixtures(h, '001-broker-startup-REGISTER_BROKER')
    const response = await h.send(captured('003-broker-startup-GET_ROUTEINFO_BY_TOPIC-TBW102'))
    expect(response.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(response.extFields).toBeUndefined()
    const ours = json(response)
    const theirs = json(captured('003-broker-startup-GET_ROUTEINFO_BY_TOPIC-TBW102', 'res'))
    expect(without49Extras(ours)).toEqual(theirs)
    // 5.x's BrokerData field, absent from 4.9.4, is the only addition; the body is standard JSON with "0" keys.
    expect(ours).toMatchObject({ brokerDatas: [{ enableActingMaster: false }] })
    expect(response.body!.toString()).toContain('"brokerAddrs":{"0":"127.0.0.1:10911"}')
    expect((): unknown => JSON.parse(response.body!.toString())).not.toThrow()
  })

  it('answers GET_BROKER_CLUSTER_INFO as the real NameServer did (its bare {0:…} keys read as "0")', async () => {
    const h = await start()
    await registerFixtures(h, '001-broker-startup-REGISTER_BROKER')
    for (const file of [
      '002-broker-startup-GET_BROKER_CLUSTER_INFO',
      '007-mqadmin-clusterList-GET_BROKER_CLUSTER_INFO',
    ]) {
      const response = await h.send(captured(file))
      expect(response.code).toBe(RESPONSE_CODE.SUCCESS)
      expect(without49Extras(json(response))).toEqual(json(captured(file, 'res')))
      expect((): unknown => JSON.parse(response.body!.toString())).not.toThrow()
    }
  })

  it('adds a topic-change registration (one topic) without dropping the others, as 4.9.4 does', async () => {
    const h = await start()
    await registerFixtures(
      h,
      '001-broker-startup-REGISTER_BROKER',
      '011-broker-periodic-REGISTER_BROKER',
      '021-mqadmin-updateTopic-REGISTER_BROKER',
    )
    const route = await h.send(captured('031-mqadmin-topicRoute-GET_ROUTEINFO_BY_TOPIC'))
    expect(route.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(without49Extras(json(route))).toEqual(
      json(captured('031-mqadmin-topicRoute-GET_ROUTEINFO_BY_TOPIC', 'res')),
    )

    const list = await h.send(captured('024-mqadmin-topicList-GET_ALL_TOPIC_LIST_FROM_NAMESERVER'))
    expect(list.code).toBe(RESPONSE_CODE.SUCCESS)
    const ours = json(list) as { topicList: string[] }
    const theirs = json(captured('024-mqadmin-topicList-GET_ALL_TOPIC_LIST_FROM_NAMESERVER', 'res')) as {
      topicList: string[]
    }
    expect(Object.keys(ours)).toEqual(Object.keys(theirs))
    // The real run also held FixtureTopicToDelete, from a registration the fixture selection did not keep.
    expect(new Set(theirs.topicList)).toEqual(new Set([...ours.topicList, 'FixtureTopicToDelete']))
    expect(ours.topicList).toEqual([...ours.topicList].sort())
  })

  it('answers an unknown topic with the captured TOPIC_NOT_EXIST frame', async () => {
    const h = await start()
    await registerFixtures(h, '001-broker-startup-REGISTER_BROKER')
    const file = '042-java-quickstart-producer-GET_ROUTEINFO_BY_TOPIC-TOPIC_NOT_EXIST'
    const response = await h.send(captured(file))
    expect(response.code).toBe(RESPONSE_CODE.TOPIC_NOT_EXIST)
    expect(response.body).toBeUndefined()
    expectSameFrame(response, file)
    // A name no topic can have is just as unknown.
    const odd = await h.send(request(REQUEST_CODE.GET_ROUTEINFO_BY_TOPIC, { topic: 'no such/topic' }))
    expect(odd.code).toBe(RESPONSE_CODE.TOPIC_NOT_EXIST)
  })

  it('answers a binary-header (ROCKETMQ) request with a binary header and the same body', async () => {
    const h = await start()
    await registerFixtures(h, '001-broker-startup-REGISTER_BROKER')
    const file = '013-mqadmin-clusterList-rocketmq-serialize-GET_BROKER_CLUSTER_INFO'
    const cmd = captured(file)
    expect(cmd.serializeType).toBe(1)
    const response = await h.send(cmd)
    expect(response.serializeType).toBe(1)
    expect(response.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(without49Extras(json(response))).toEqual(json(captured(file, 'res')))

    const route = await h.send(
      captured('012-mqadmin-clusterList-rocketmq-serialize-GET_ROUTEINFO_BY_TOPIC-TBW102'),
    )
    expect(route.serializeType).toBe(1)
    expect(without49Extras(json(route))).toEqual(
      json(captured('012-mqadmin-clusterList-rocketmq-serialize-GET_ROUTEINFO_BY_TOPIC-TBW102', 'res')),
    )
    const jsonRoute = await h.send(captured('003-broker-startup-GET_ROUTEINFO_BY_TOPIC-TBW102'))
    expect(jsonRoute.serializeType).toBe(0)
    expect(jsonRoute.body).toEqual(route.body)
  })

  it('unregisters with the captured UNREGISTER_BROKER and answers with the captured frame', async () => {
    const h = await start()
    await registerFixtures(h, '001-broker-startup-REGISTER_BROKER')
    const response = await h.send(captured('247-broker-shutdown-UNREGISTER_BROKER'))
    expect(response.code).toBe(RESPONSE_CODE.SUCCESS)
    expectSameFrame(response, '247-broker-shutdown-UNREGISTER_BROKER')
    expect(h.registry.getClusterInfo()).toEqual({ brokerAddrTable: {}, clusterAddrTable: {} })
    expect(h.processors.trackedBrokerCount).toBe(0)
    const route = await h.send(captured('003-broker-startup-GET_ROUTEINFO_BY_TOPIC-TBW102'))
    expect(route.code).toBe(RESPONSE_CODE.TOPIC_NOT_EXIST)
  })

  it('returns the master address and HA address to a slave', async () => {
    const h = await start()
    await registerFixtures(h, '001-broker-startup-REGISTER_BROKER')
    const slave = withExt(captured('001-broker-startup-REGISTER_BROKER'), {
      brokerId: '1',
      brokerAddr: '127.0.0.2:10911',
      haServerAddr: '127.0.0.2:10912',
    })
    const response = await h.send(slave)
    expect(response.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(response.extFields).toEqual({ haServerAddr: '127.0.0.1:10912', masterAddr: BROKER_ADDR })
    const cluster = json(await h.send(request(REQUEST_CODE.GET_BROKER_CLUSTER_INFO))) as {
      brokerAddrTable: Record<string, { brokerAddrs: Record<string, string> }>
    }
    expect(cluster.brokerAddrTable['broker-a']!.brokerAddrs).toEqual({
      '0': BROKER_ADDR,
      '1': '127.0.0.2:10911',
    })
  })

  it('registers a broker with no body as RocketMQ does: no topics, version 0/0', async () => {
    const h = await start()
    const response = await h.send(request(REQUEST_CODE.REGISTER_BROKER, registerHeader(undefined)))
    expect(response.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(h.registry.getBrokerLiveInfo()[0]).toMatchObject({
      brokerAddr: BROKER_ADDR,
      dataVersion: { timestamp: 0, counter: 0 },
    })
    expect(h.registry.getAllTopicList().topicList).toEqual([])
  })

  it('replaces the topic list on registration when deleteTopicWithBrokerRegistration is on', async () => {
    const h = await start({ namesrvConfig: { deleteTopicWithBrokerRegistration: true } })
    await registerFixtures(
      h,
      '011-broker-periodic-REGISTER_BROKER',
      '021-mqadmin-updateTopic-REGISTER_BROKER',
    )
    expect(h.registry.getAllTopicList().topicList).toEqual(['FixtureTopic'])
  })
})

describe('compressed REGISTER_BROKER', () => {
  it('decodes the zlib layout, with attributes and defaults for what it does not carry', async () => {
    const h = await start()
    const body = compressedBody({ counter: 3, timestamp: 1700000000000 }, [
      TOPIC_LINE('TopicA', 4, 4, 6),
      TOPIC_LINE('TopicB', 2, 3, 4, '{"message.type":"FIFO"}'),
      `TopicC 1 1 6 MULTI_TAG`, // 4.9.4 wrote no trailing separator
    ])
    const response = await h.send(
      request(REQUEST_CODE.REGISTER_BROKER, registerHeader(body, { compressed: 'true' }), body),
    )
    expect(response.code, response.remark).toBe(RESPONSE_CODE.SUCCESS)
    const route = json(await h.send(request(REQUEST_CODE.GET_ROUTEINFO_BY_TOPIC, { topic: 'TopicB' })))
    expect(route).toEqual({
      brokerDatas: [
        {
          brokerAddrs: { '0': BROKER_ADDR },
          brokerName: 'broker-a',
          cluster: 'DefaultCluster',
          enableActingMaster: false,
        },
      ],
      filterServerTable: {},
      queueDatas: [{ brokerName: 'broker-a', perm: 4, readQueueNums: 2, topicSysFlag: 0, writeQueueNums: 3 }],
    })
    expect(h.registry.getAllTopicList().topicList).toEqual(['TopicA', 'TopicB', 'TopicC'])
    expect(h.registry.getBrokerLiveInfo()[0]!.dataVersion).toEqual({ counter: 3, timestamp: 1700000000000 })
  })

  it('reads the static-topic section a V5_0_0+ broker appends', async () => {
    const h = await start()
    const body = compressedBody(
      { counter: 1, stateVersion: 0, timestamp: 1 },
      [TOPIC_LINE('TopicA', 4, 4, 6, '{}')],
      {
        mappings: ['{"topic":"TopicA"}'],
      },
    )
    const cmd = {
      ...request(REQUEST_CODE.REGISTER_BROKER, registerHeader(body, { compressed: 'true' }), body),
      version: 479,
    }
    const response = await h.send(cmd)
    expect(response.code, response.remark).toBe(RESPONSE_CODE.SUCCESS)
    expect(h.registry.getAllTopicList().topicList).toEqual(['TopicA'])
  })

  it('refuses a truncated stream, a non-zlib body and a zlib bomb with SYSTEM_ERROR', async () => {
    const h = await start()
    const truncated = compressedBody({ counter: 1, timestamp: 1 }, [TOPIC_LINE('TopicA', 4, 4, 6)], {
      truncateBytes: 1,
    })
    const notZlib = Buffer.from('{"filterServerList":[]}')
    const bomb = zlib.deflateSync(Buffer.alloc(REGISTER_BODY_INFLATED_BYTES_MAX + 1024))
    const remarks: string[] = []
    for (const body of [truncated, notZlib, bomb]) {
      const response = await h.send(
        request(REQUEST_CODE.REGISTER_BROKER, registerHeader(body, { compressed: 'true' }), body),
      )
      expect(response.code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
      remarks.push(response.remark ?? '')
    }
    expect(remarks[0]).toMatch(/^Failed to decode RegisterBrokerBody: .*needs \d+ bytes/)
    expect(remarks[1]).toMatch(/not a zlib stream/)
    expect(remarks[2]).toMatch(/exceeds \d+ bytes/)
    expect(h.registry.getBrokerLiveInfo()).toEqual([])
  })
})

describe('refusals', () => {
  it('refuses a body whose CRC does not match, and skips the check when bodyCrc32 is 0', async () => {
    const h = await start()
    const good = captured('001-broker-startup-REGISTER_BROKER')
    const bad = withExt(good, { bodyCrc32: String((Number(good.extFields!.bodyCrc32) + 1) & 0x7fffffff) })
    const response = await h.send(bad)
    expect(response.code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
    expect(response.remark).toBe('crc32 not match')
    expect(h.registry.getBrokerLiveInfo()).toEqual([])
    // A corrupted body under the right header CRC is caught the same way.
    const corrupted = { ...good, body: Buffer.from(good.body!.toString().replaceAll('TBW102', 'TBW103')) }
    expect((await h.send(corrupted)).remark).toBe('crc32 not match')
    const unchecked = await h.send(withExt(corrupted, { bodyCrc32: '0' }))
    expect(unchecked.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(h.registry.getAllTopicList().topicList).toContain('TBW103')
  })

  it('answers missing and malformed header fields with an error naming the field, and keeps serving', async () => {
    const h = await start()
    const base = captured('001-broker-startup-REGISTER_BROKER')
    const cases: [RemotingCommand, number, RegExp][] = [
      [withExt(base, { brokerName: undefined }), RESPONSE_CODE.SYSTEM_ERROR, /<brokerName> is null/],
      [
        withExt(base, { brokerId: 'zero' }),
        RESPONSE_CODE.SYSTEM_ERROR,
        /^the custom field <brokerId> must be an integer of at most 2\^53; got "zero"$/,
      ],
      [
        withExt(base, { bodyCrc32: '12x' }),
        RESPONSE_CODE.SYSTEM_ERROR,
        /^the custom field <bodyCrc32> must be a 32-bit integer; got "12x"$/,
      ],
      [
        withExt(base, { bodyCrc32: '0', brokerAddr: 'not-an-address' }),
        RESPONSE_CODE.INVALID_PARAMETER,
        /brokerAddr/,
      ],
      [withExt(base, { bodyCrc32: '0', brokerId: '-1' }), RESPONSE_CODE.INVALID_PARAMETER, /brokerId/],
      [
        { ...withExt(base, { bodyCrc32: '0' }), body: Buffer.from('{"topicConfigSerializeWrapper":') },
        RESPONSE_CODE.SYSTEM_ERROR,
        /^Failed to decode RegisterBrokerBody/,
      ],
      [
        {
          ...withExt(base, { bodyCrc32: '0' }),
          body: Buffer.from(
            '{"topicConfigSerializeWrapper":{"dataVersion":{"counter":1,"timestamp":1},' +
              '"topicConfigTable":{"T":{"perm":"rw"}}}}',
          ),
        },
        RESPONSE_CODE.INVALID_PARAMETER,
        /topicConfigs\[0\]\.perm/,
      ],
      [request(REQUEST_CODE.GET_ROUTEINFO_BY_TOPIC), RESPONSE_CODE.SYSTEM_ERROR, /<topic> is null/],
      [
        request(REQUEST_CODE.UNREGISTER_BROKER, { brokerName: 'b' }),
        RESPONSE_CODE.SYSTEM_ERROR,
        /<brokerAddr> is null/,
      ],
      [request(REQUEST_CODE.DELETE_TOPIC_IN_NAMESRV), RESPONSE_CODE.SYSTEM_ERROR, /<topic> is null/],
      [
        request(REQUEST_CODE.DELETE_TOPIC_IN_NAMESRV, { topic: 'bad topic' }),
        RESPONSE_CODE.INVALID_PARAMETER,
        /topic/,
      ],
      [request(REQUEST_CODE.GET_TOPICS_BY_CLUSTER), RESPONSE_CODE.SYSTEM_ERROR, /<cluster> is null/],
      [
        request(REQUEST_CODE.PUT_KV_CONFIG, { namespace: 'ns', key: 'k' }),
        RESPONSE_CODE.SYSTEM_ERROR,
        /<value> is null/,
      ],
      [request(REQUEST_CODE.GET_KVLIST_BY_NAMESPACE), RESPONSE_CODE.SYSTEM_ERROR, /<namespace> is null/],
      [request(REQUEST_CODE.QUERY_DATA_VERSION), RESPONSE_CODE.SYSTEM_ERROR, /<brokerName> is null/],
    ]
    for (const [cmd, code, remark] of cases) {
      const response = await h.send(cmd)
      expect(response.code, `${cmd.code}: ${response.remark}`).toBe(code)
      expect(response.remark).toMatch(remark)
    }
    expect(h.registry.getBrokerLiveInfo()).toEqual([])
    expect((await h.send(base)).code).toBe(RESPONSE_CODE.SUCCESS)
  })

  it('answers codes it does not serve with REQUEST_CODE_NOT_SUPPORTED (3), including the write-perm calls', async () => {
    const h = await start()
    for (const code of [
      9999,
      REQUEST_CODE.WIPE_WRITE_PERM_OF_BROKER,
      REQUEST_CODE.ADD_WRITE_PERM_OF_BROKER,
    ]) {
      const response = await h.send(request(code, { brokerName: 'broker-a' }))
      expect(response.code).toBe(RESPONSE_CODE.REQUEST_CODE_NOT_SUPPORTED)
      expect(response.remark).toContain(String(code))
    }
  })
})

describe('brokers and their connections (BrokerHousekeepingService)', () => {
  /** The server side of the next connection, and a promise settled once it has closed and its listeners ran. */
  function nextServerConnection(server: RemotingServer): Promise<{ closed: Promise<void> }> {
    return new Promise((resolve) => {
      let seen = false
      server.onConnection((conn: RemotingConnection) => {
        if (seen) return
        seen = true
        resolve({ closed: new Promise((done) => conn.onClose(() => done())) })
      })
    })
  }

  it('drops a broker the moment the connection it registered through closes', async () => {
    const h = await start()
    const brokerClient = h.client()
    const accepted = nextServerConnection(h.server)
    await registerFixturesVia(h, brokerClient, '001-broker-startup-REGISTER_BROKER')
    const { closed } = await accepted
    expect((await h.send(captured('003-broker-startup-GET_ROUTEINFO_BY_TOPIC-TBW102'))).code).toBe(
      RESPONSE_CODE.SUCCESS,
    )

    brokerClient.close()
    await closed
    const route = await h.send(captured('003-broker-startup-GET_ROUTEINFO_BY_TOPIC-TBW102'))
    expect(route.code).toBe(RESPONSE_CODE.TOPIC_NOT_EXIST)
    expect(h.registry.getBrokerLiveInfo()).toEqual([])
    expect(h.processors.trackedBrokerCount).toBe(0)
    expect(h.logs.some((m) => m.includes('closed') && m.includes(BROKER_ADDR))).toBe(true)
  })

  it('keeps a broker that re-registered over a newer connection when the old one closes', async () => {
    const h = await start()
    const first = h.client()
    const firstAccepted = nextServerConnection(h.server)
    await registerFixturesVia(h, first, '001-broker-startup-REGISTER_BROKER')
    const { closed } = await firstAccepted
    const second = h.client()
    await registerFixturesVia(h, second, '011-broker-periodic-REGISTER_BROKER')

    first.close()
    await closed
    expect(h.registry.getBrokerLiveInfo().map((r) => r.brokerAddr)).toEqual([BROKER_ADDR])
    expect(h.processors.trackedBrokerCount).toBe(1)
  })

  async function registerFixturesVia(h: Harness, client: RemotingClient, file: string): Promise<void> {
    const response = await h.send(captured(file), client)
    expect(response.code).toBe(RESPONSE_CODE.SUCCESS)
  }
})

describe('topic administration', () => {
  it('deletes a topic with the captured DELETE_TOPIC_IN_NAMESRV (cluster-scoped) and without a cluster', async () => {
    const h = await start()
    await registerFixtures(h, '045-broker-periodic-REGISTER_BROKER')
    const file = '163-mqadmin-deleteTopic-DELETE_TOPIC_IN_NAMESRV'
    expect(captured(file).extFields).toEqual({ clusterName: 'DefaultCluster', topic: 'FixtureTopicToDelete' })
    const response = await h.send(captured(file))
    expect(response.code).toBe(RESPONSE_CODE.SUCCESS)
    expectSameFrame(response, file)
    expect(h.registry.getAllTopicList().topicList).not.toContain('FixtureTopicToDelete')

    expect((await h.send(request(REQUEST_CODE.DELETE_TOPIC_IN_NAMESRV, { topic: 'TopicTest' }))).code).toBe(0)
    expect(h.registry.getAllTopicList().topicList).not.toContain('TopicTest')
    // Deleting what is not there succeeds too, as in RocketMQ.
    expect((await h.send(request(REQUEST_CODE.DELETE_TOPIC_IN_NAMESRV, { topic: 'TopicTest' }))).code).toBe(0)
  })

  it('lists topics by cluster and the system topic list', async () => {
    const h = await start()
    await registerFixtures(h, '001-broker-startup-REGISTER_BROKER')
    const byCluster = await h.send(request(REQUEST_CODE.GET_TOPICS_BY_CLUSTER, { cluster: 'DefaultCluster' }))
    expect(byCluster.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(json(byCluster)).toEqual(h.registry.getAllTopicList())
    const none = await h.send(request(REQUEST_CODE.GET_TOPICS_BY_CLUSTER, { cluster: 'OtherCluster' }))
    expect(json(none)).toEqual({ topicList: [] })

    const system = await h.send(request(REQUEST_CODE.GET_SYSTEM_TOPIC_LIST_FROM_NS))
    expect(system.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(json(system)).toEqual({ brokerAddr: BROKER_ADDR, topicList: ['DefaultCluster', 'broker-a'] })
    expect(system.body!.toString()).toBe(
      '{"brokerAddr":"127.0.0.1:10911","topicList":["DefaultCluster","broker-a"]}',
    )
  })
})

describe('KV config', () => {
  it('puts, gets, lists and deletes, with QUERY_NOT_FOUND and RocketMQ remarks for what is missing', async () => {
    const h = await start()
    const put = (key: string, value: string) =>
      h.send(request(REQUEST_CODE.PUT_KV_CONFIG, { namespace: 'ns1', key, value }))
    expect((await put('a', '1')).code).toBe(RESPONSE_CODE.SUCCESS)
    expect((await put('b', '2')).code).toBe(RESPONSE_CODE.SUCCESS)

    const got = await h.send(request(REQUEST_CODE.GET_KV_CONFIG, { namespace: 'ns1', key: 'a' }))
    expect({ code: got.code, extFields: got.extFields }).toEqual({ code: 0, extFields: { value: '1' } })
    const missing = await h.send(request(REQUEST_CODE.GET_KV_CONFIG, { namespace: 'ns1', key: 'zz' }))
    expect({ code: missing.code, remark: missing.remark }).toEqual({
      code: RESPONSE_CODE.QUERY_NOT_FOUND,
      remark: 'No config item, Namespace: ns1 Key: zz',
    })

    const list = await h.send(request(REQUEST_CODE.GET_KVLIST_BY_NAMESPACE, { namespace: 'ns1' }))
    expect(list.body!.toString()).toBe('{"table":{"a":"1","b":"2"}}')

    for (const key of ['a', 'b', 'never-there']) {
      expect((await h.send(request(REQUEST_CODE.DELETE_KV_CONFIG, { namespace: 'ns1', key }))).code).toBe(0)
    }
    const gone = await h.send(request(REQUEST_CODE.GET_KVLIST_BY_NAMESPACE, { namespace: 'ns1' }))
    expect({ code: gone.code, remark: gone.remark }).toEqual({
      code: RESPONSE_CODE.QUERY_NOT_FOUND,
      remark: 'No config item, Namespace: ns1',
    })
  })

  it('refuses a put beyond the table limits', async () => {
    const h = await start({ kvConfig: new KvConfigTable({ keysPerNamespaceMax: 1 }) })
    expect(
      (await h.send(request(REQUEST_CODE.PUT_KV_CONFIG, { namespace: 'n', key: 'a', value: '' }))).code,
    ).toBe(0)
    const full = await h.send(request(REQUEST_CODE.PUT_KV_CONFIG, { namespace: 'n', key: 'b', value: '' }))
    expect(full.code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
    expect(full.remark).toContain('already holds 1 keys')
    expect(h.processors.kvConfig.getKVConfig('n', 'b')).toBeUndefined()
  })

  it('hands ORDER_TOPIC_CONFIG to registering brokers and to routes when orderMessageEnable is on', async () => {
    const h = await start({ namesrvConfig: { orderMessageEnable: true } })
    await h.send(
      request(REQUEST_CODE.PUT_KV_CONFIG, {
        namespace: NAMESPACE_ORDER_TOPIC_CONFIG,
        key: 'TBW102',
        value: 'broker-a:8',
      }),
    )
    const registered = await h.send(captured('001-broker-startup-REGISTER_BROKER'))
    expect(registered.body!.toString()).toBe('{"table":{"TBW102":"broker-a:8"}}')
    const route = json(await h.send(captured('003-broker-startup-GET_ROUTEINFO_BY_TOPIC-TBW102')))
    expect(route).toMatchObject({ orderTopicConf: 'broker-a:8' })
  })
})

describe('NameServer config', () => {
  it('lists its settings as java.util.Properties text, the shape of the captured GET_NAMESRV_CONFIG', async () => {
    const h = await start()
    const response = await h.send(captured('017-mqadmin-getNamesrvConfig-GET_NAMESRV_CONFIG'))
    expect(response.code).toBe(RESPONSE_CODE.SUCCESS)
    const text = response.body!.toString('utf8')
    const theirs = captured('017-mqadmin-getNamesrvConfig-GET_NAMESRV_CONFIG', 'res').body!.toString('utf8')
    const linePattern = /^[A-Za-z][A-Za-z0-9]*=[^\n]*$/
    for (const body of [text, theirs]) {
      expect(body.endsWith('\n')).toBe(true)
      for (const line of body.slice(0, -1).split('\n')) expect(line).toMatch(linePattern)
    }
    const properties = Object.fromEntries(
      text
        .trim()
        .split('\n')
        .map((l) => l.split('=') as [string, string]),
    )
    expect(properties).toMatchObject({
      listenPort: String(h.server.port),
      orderMessageEnable: 'false',
      enableAllTopicList: 'true',
      scanNotActiveBrokerInterval: '5000',
    })
  })

  it('accepts the runtime switches, refuses everything else with NO_PERMISSION, and checks values', async () => {
    const h = await start()
    const update = (text: string) =>
      h.send(request(REQUEST_CODE.UPDATE_NAMESRV_CONFIG, undefined, Buffer.from(text)))

    const refused = await update('listenPort=1\nenableAllTopicList=false\n')
    expect(refused.code).toBe(RESPONSE_CODE.NO_PERMISSION)
    expect(refused.remark).toContain('listenPort')
    expect(h.processors.config().enableAllTopicList).toBe(true)

    const badValue = await update('enableAllTopicList=maybe')
    expect(badValue.code).toBe(RESPONSE_CODE.INVALID_PARAMETER)
    expect(badValue.remark).toContain('enableAllTopicList')

    const ok = await update('# from mqadmin\nenableAllTopicList = false\r\nenableTopicList:FALSE\n')
    expect(ok.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(h.processors.config()).toMatchObject({ enableAllTopicList: false, enableTopicList: false })
    for (const cmd of [
      request(REQUEST_CODE.GET_ALL_TOPIC_LIST_FROM_NAMESERVER),
      request(REQUEST_CODE.GET_TOPICS_BY_CLUSTER, { cluster: 'DefaultCluster' }),
    ]) {
      const response = await h.send(cmd)
      expect({ code: response.code, remark: response.remark }).toEqual({
        code: RESPONSE_CODE.SYSTEM_ERROR,
        remark: 'disable',
      })
    }
    const config = (await h.send(request(REQUEST_CODE.GET_NAMESRV_CONFIG))).body!.toString()
    expect(config).toContain('enableAllTopicList=false\n')
  })
})

describe('QUERY_DATA_VERSION', () => {
  const query = (dataVersion: object, brokerAddr = BROKER_ADDR): RemotingCommand =>
    request(
      REQUEST_CODE.QUERY_DATA_VERSION,
      { brokerAddr, brokerId: '0', brokerName: 'broker-a', clusterName: 'DefaultCluster' },
      Buffer.from(JSON.stringify(dataVersion)),
    )

  it('says whether the broker’s topic config changed and returns the version the NameServer holds', async () => {
    const h = await start()
    await registerFixtures(h, '011-broker-periodic-REGISTER_BROKER')
    const same = await h.send(query({ counter: 1, timestamp: 1795830594245 }))
    expect(same.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(same.extFields).toEqual({ changed: 'false' })
    expect(json(same)).toEqual({ counter: 1, stateVersion: 0, timestamp: 1795830594245 })

    const newer = await h.send(query({ counter: 2, timestamp: 1795830594245 }))
    expect(newer.extFields).toEqual({ changed: 'true' })
    const unknown = await h.send(query({ counter: 1, timestamp: 1 }, '127.0.0.9:10911'))
    expect(unknown.extFields).toEqual({ changed: 'true' })
    expect(unknown.body).toBeUndefined()
    expect((await h.send({ ...query({}), body: undefined })).code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
    expect((await h.send(query({ counter: 'x', timestamp: 1 }))).code).toBe(RESPONSE_CODE.INVALID_PARAMETER)
  })

  it('counts an unchanged query as a heartbeat, as RocketMQ does', async () => {
    const h = await start()
    await registerFixtures(h, '011-broker-periodic-REGISTER_BROKER')
    h.clock.advance(100_000)
    expect((await h.send(query({ counter: 1, timestamp: 1795830594245 }))).extFields).toEqual({
      changed: 'false',
    })
    h.clock.advance(30_000) // 130 s after the registration, 30 s after the query
    expect(h.registry.scanNotActiveBrokers()).toEqual([])
    expect(h.registry.getBrokerLiveInfo()[0]).toMatchObject({
      haServerAddr: '127.0.0.1:10912',
      heartbeatAgeMs: 30_000,
    })
    expect(h.registry.getAllTopicList().topicList).toHaveLength(9)
  })
})
