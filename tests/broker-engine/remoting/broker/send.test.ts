import zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { REQUEST_CODE, RESPONSE_CODE } from '../../../../broker-engine/remoting/remoting-codes'
import { registerBrokerProcessors } from '../../../../broker-engine/remoting/broker/broker-processors'
import { ipAddressBytes } from '../../../../broker-engine/remoting/broker/peer-host'
import { decodeBatchBody } from '../../../../broker-engine/remoting/broker/send-batch'
import { RemotingClient } from '../../../../broker-engine/remoting/remoting-client'
import { RemotingServer } from '../../../../broker-engine/remoting/remoting-server'
import { findProperty, parseProperties } from '../../../../broker-engine/store/message-properties'
import { MESSAGE_MAGIC_CODE_V1, SCHEDULE_TOPIC } from '../../../../broker-engine/store/message-constants'
import {
  decodeRecords,
  ext,
  fixtureRequest,
  pullRequest,
  rawExchange,
  request,
  startHarness,
  storedRecords,
} from './broker-test-kit'

describe('SEND_MESSAGE_V2 / SEND_MESSAGE: the answer and the stored record', () => {
  it('stores a captured Java V2 send with the peer as born host and answers like the 4.9.4 broker', async () => {
    const h = await startHarness()
    const req = fixtureRequest('036-java-keyed-producer-SEND_MESSAGE_V2')
    const res = await h.invoke(req)
    expect(res.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(res.flag).toBe(1)
    expect(res.language).toBe('JAVA')
    expect(res.version).toBe(401)
    expect(res.serializeType).toBe(0)
    expect(ext(res)).toEqual({
      msgId: expect.stringMatching(/^[0-9A-F]{32}$/) as string,
      queueId: '1',
      queueOffset: '0',
      MSG_REGION: 'DefaultRegion',
      TRACE_ON: 'true',
    })
    const [m] = storedRecords(h, 'FixtureTopic', 1)
    expect(m).toBeDefined()
    expect(h.broker.store.offsetMsgIdOf(m!.commitLogOffset)).toBe(ext(res).msgId)
    expect(m!.magicCode).toBe(MESSAGE_MAGIC_CODE_V1)
    expect(m!.body.equals(req.body!)).toBe(true)
    expect(m!.bornTimestampMs).toBe(1795830633940)
    const local = (await h.connection()).socket
    expect([...m!.bornHost.address]).toEqual([127, 0, 0, 1])
    expect(m!.bornHost.port).toBe(local.localPort)
    const props = parseProperties(m!.propertiesString)
    expect(props.get('UNIQ_KEY')).toBe('C0000202385C5FFD2B278B70EDD30000')
    expect(props.get('KEYS')).toBe('fixture-key-0')
    expect(props.get('TAGS')).toBe('TagA')
    expect(props.get('CLUSTER')).toBe('DefaultCluster')
    // The topic was created from TBW102 with the client's 4 queues.
    expect(h.broker.topics.get('FixtureTopic')?.writeQueueNums).toBe(4)
  })

  it('reads the long V1 names of SEND_MESSAGE (10)', async () => {
    const h = await startHarness()
    const res = await h.invoke(
      request(
        REQUEST_CODE.SEND_MESSAGE,
        {
          producerGroup: 'pg',
          topic: 'V1Topic',
          defaultTopic: 'TBW102',
          defaultTopicQueueNums: '4',
          queueId: '2',
          sysFlag: '0',
          bornTimestamp: '1795830633940',
          flag: '7',
          properties: 'TAGS\u0001T1\u0002KEYS\u0001k1',
          reconsumeTimes: '0',
          unitMode: 'false',
          batch: 'false',
        },
        Buffer.from('v1 body'),
      ),
    )
    expect(res.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(ext(res).queueId).toBe('2')
    const [m] = storedRecords(h, 'V1Topic', 2)
    expect(m!.flag).toBe(7)
    expect(m!.body.toString()).toBe('v1 body')
    expect(findProperty(m!.propertiesString, 'UNIQ_KEY')).toMatch(/^[0-9A-F]{32}$/)
  })

  it('answers a binary (ROCKETMQ) header request with a binary header', async () => {
    const h = await startHarness()
    const req = fixtureRequest('040-java-keyed-producer-rocketmq-serialize-SEND_MESSAGE_V2')
    expect(req.serializeType).toBe(1)
    const res = await h.invoke(req)
    expect(res.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(res.serializeType).toBe(1)
    expect(ext(res).msgId).toMatch(/^[0-9A-F]{32}$/)
    expect(storedRecords(h, 'FixtureTopic', 1)).toHaveLength(1)
  })

  it('takes ali-ons frames as they were on the wire: JSON numbers, a trailing \\u0002, no UNIQ_KEY', async () => {
    const h = await startHarness()
    const res = await rawExchange(h.addr, '228-ali-ons-smoke-SEND_MESSAGE_V2')
    expect(res.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(res.opaque).toBe(6)
    expect(ext(res).queueId).toBe('0')
    const [m] = storedRecords(h, 'AliOnsSmoke_mwzrarbd17898', 0)
    expect(m!.bornTimestampMs).toBe(1795830812651)
    const props = parseProperties(m!.propertiesString)
    expect(props.get('TAGS')).toBe('TagA')
    expect(props.get('KEYS')).toBe('smoke-mwzrarbd17898-0')
    // ali-ons never sets UNIQ_KEY: the broker generates one.
    expect(props.get('UNIQ_KEY')).toMatch(/^[0-9A-F]{32}$/)
    expect(props.get('CLUSTER')).toBe('DefaultCluster')
    expect(m!.propertiesString).not.toContain('\u0002\u0002')
  })

  it('stores a compressed body as sent, sysFlag included', async () => {
    const h = await startHarness()
    const req = fixtureRequest('053-java-send-variety-SEND_MESSAGE_V2-compressed')
    const res = await h.invoke(req)
    expect(res.code).toBe(RESPONSE_CODE.SUCCESS)
    const [m] = storedRecords(h, 'FixtureTopic', 0)
    expect(m!.sysFlag & 0x301).toBe(0x301)
    expect(m!.body.equals(req.body!)).toBe(true)
    expect(zlib.inflateSync(m!.body).length).toBeGreaterThan(4096)
  })

  it('parks a delayed send in SCHEDULE_TOPIC_XXXX queue level-1, answers the addressed queue, delivers it later', async () => {
    const h = await startHarness()
    const res = await h.invoke(fixtureRequest('054-java-send-variety-SEND_MESSAGE_V2-delay'))
    expect(res.code).toBe(RESPONSE_CODE.SUCCESS)
    // The capture: DELAY=2 sent to queue 1 is answered queueId 1, queueOffset 0 (the SCHEDULE queue's offset).
    expect(ext(res)).toMatchObject({ queueId: '1', queueOffset: '0' })
    // Addressed to queue 3, still parked in SCHEDULE queue 1; RocketMQ answers the addressed queue (queueIdInt).
    const again = await h.invoke(
      fixtureRequest('054-java-send-variety-SEND_MESSAGE_V2-delay', { ext: { e: '3' } }),
    )
    expect(ext(again)).toMatchObject({ queueId: '3', queueOffset: '1' })
    const parked = storedRecords(h, SCHEDULE_TOPIC, 1)
    expect(parked).toHaveLength(2)
    expect(findProperty(parked[1]!.propertiesString, 'REAL_TOPIC')).toBe('FixtureTopic')
    expect(findProperty(parked[1]!.propertiesString, 'REAL_QID')).toBe('3')
    expect(storedRecords(h, 'FixtureTopic', 3)).toHaveLength(0)
    // A held pull on the real queue answers when the scheduler delivers the message (level 2 = 5 s).
    const pulled = h.invoke(pullRequest('delay_cg', 'FixtureTopic', 3, 0))
    await h.invoke(request(REQUEST_CODE.GET_MAX_OFFSET, { topic: 'FixtureTopic', queueId: '3' }))
    h.clock.advance(6000)
    const res2 = await pulled
    expect(res2.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(decodeRecords(res2.body).map((m) => findProperty(m.propertiesString, 'KEYS'))).toEqual([
      'variety-delay',
    ])
  })

  it('a client resending to %RETRY%group past maxReconsumeTimes lands in %DLQ%group', async () => {
    const h = await startHarness()
    const retry = (j: string, extra: Record<string, string> = {}) =>
      fixtureRequest('036-java-keyed-producer-SEND_MESSAGE_V2', {
        ext: { b: '%RETRY%cg', e: '0', j, i: 'RETRY_TOPIC\u0001FixtureTopic\u0002TAGS\u0001TagA', ...extra },
      })
    expect((await h.invoke(retry('3'))).code).toBe(RESPONSE_CODE.SUCCESS)
    expect(storedRecords(h, '%RETRY%cg', 0)).toHaveLength(1)
    // The group's retryMaxTimes is 16: 17 is past it.
    const dead = await h.invoke(retry('17'))
    expect(dead.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(ext(dead).queueId).toBe('0')
    // A V3_4_9+ client may lower the limit with l (maxReconsumeTimes).
    expect((await h.invoke(retry('3', { l: '2' }))).code).toBe(RESPONSE_CODE.SUCCESS)
    const dlq = storedRecords(h, '%DLQ%cg', 0)
    expect(dlq).toHaveLength(2)
    expect(dlq.map((m) => m.reconsumeTimes)).toEqual([17, 3])
    expect(findProperty(dlq[0]!.propertiesString, 'DELAY')).toBe('-1')
    expect(storedRecords(h, '%RETRY%cg', 0)).toHaveLength(1)
    expect(h.broker.topics.get('%DLQ%cg')?.writeQueueNums).toBe(1)
  })
})

describe('born host', () => {
  it('reads IPv4, IPv4-mapped and IPv6 peer addresses', () => {
    expect([...ipAddressBytes('10.1.2.3')!]).toEqual([10, 1, 2, 3])
    expect([...ipAddressBytes('::ffff:192.168.0.9')!]).toEqual([192, 168, 0, 9])
    expect([...ipAddressBytes('::1')!]).toEqual([...new Array<number>(15).fill(0), 1])
    expect([...ipAddressBytes('fe80::1:2%eth0')!]).toEqual([
      0xfe,
      0x80,
      ...new Array<number>(10).fill(0),
      0,
      1,
      0,
      2,
    ])
    expect([...ipAddressBytes('64:ff9b::10.0.0.1')!].slice(12)).toEqual([10, 0, 0, 1])
    expect(ipAddressBytes('not an address')).toBeUndefined()
  })

  it('stores an IPv6 peer as a 16-byte born host with the BORNHOST_V6 flag', async () => {
    const h = await startHarness()
    const server = new RemotingServer({ host: '::1', port: 0 })
    const processors = registerBrokerProcessors(server, h.broker)
    const client = new RemotingClient()
    try {
      const port = await server.listen()
      const res = await client.invoke(
        `[::1]:${port}`,
        fixtureRequest('036-java-keyed-producer-SEND_MESSAGE_V2'),
        5000,
      )
      expect(res.code).toBe(RESPONSE_CODE.SUCCESS)
      const [m] = storedRecords(h, 'FixtureTopic', 1)
      expect(m!.sysFlag & 0x10).toBe(0x10)
      expect([...m!.bornHost.address]).toEqual([...new Array<number>(15).fill(0), 1])
      expect(m!.bornHost.port).toBe((await client.connection(`[::1]:${port}`)).socket.localPort)
    } finally {
      client.close()
      processors.close()
      await server.close()
    }
  })
})

describe('SEND_BATCH_MESSAGE', () => {
  it('stores each message of the captured batch with consecutive offsets and answers comma-joined ids', async () => {
    const h = await startHarness()
    const req = fixtureRequest('059-java-batch-producer-SEND_BATCH_MESSAGE')
    const res = await h.invoke(req)
    expect(res.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(ext(res).queueId).toBe('3')
    expect(ext(res).queueOffset).toBe('0')
    const records = storedRecords(h, 'BatchTest', 3)
    expect(records.map((m) => m.queueOffset)).toEqual([0, 1, 2])
    expect(records.map((m) => m.body.toString())).toEqual(['Hello world 0', 'Hello world 1', 'Hello world 2'])
    expect(ext(res).msgId).toBe(records.map((m) => h.broker.store.offsetMsgIdOf(m.commitLogOffset)).join(','))
    expect(records.map((m) => findProperty(m.propertiesString, 'KEYS'))).toEqual([
      'OrderID001',
      'OrderID002',
      'OrderID003',
    ])
    expect(findProperty(records[0]!.propertiesString, 'UNIQ_KEY')).toBe('C0000202391F5FFD2B278B710E6D0000')
  })

  it('decodes the batch layout and refuses truncated ones', () => {
    const body = fixtureRequest('059-java-batch-producer-SEND_BATCH_MESSAGE').body!
    const messages = decodeBatchBody(body)
    expect(Array.isArray(messages) && messages.length).toBe(3)
    expect(decodeBatchBody(body.subarray(0, body.length - 5))).toMatch(
      /past its end|does not end|truncated|size/,
    )
    expect(decodeBatchBody(Buffer.alloc(0))).toBe('the batch holds no messages')
  })

  it('refuses a malformed batch, a delayed message in a batch and a batch to a %RETRY% topic', async () => {
    const h = await startHarness()
    const bad = await h.invoke(
      fixtureRequest('059-java-batch-producer-SEND_BATCH_MESSAGE', {
        body: Buffer.from([0, 0, 0, 99, 1, 2]),
      }),
    )
    expect(bad.code).toBe(RESPONSE_CODE.MESSAGE_ILLEGAL)
    expect(bad.remark).toMatch(/batch/)
    const retry = await h.invoke(
      fixtureRequest('059-java-batch-producer-SEND_BATCH_MESSAGE', { ext: { b: '%RETRY%g' } }),
    )
    expect(retry.code).toBe(RESPONSE_CODE.MESSAGE_ILLEGAL)
    expect(h.broker.store.getMaxOffsetInQueue('BatchTest', 3)).toBe(0)
  })
})

describe('malformed sends get error answers and the server keeps serving', () => {
  it('names the field that is missing or wrong', async () => {
    const h = await startHarness()
    const base = '036-java-keyed-producer-SEND_MESSAGE_V2'
    const noTopic = await h.invoke(fixtureRequest(base, { ext: { b: undefined } }))
    expect(noTopic.code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
    expect(noTopic.remark).toContain('b (topic) is missing')

    const badQueue = await h.invoke(fixtureRequest(base, { ext: { e: 'one' } }))
    expect(badQueue.code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
    expect(badQueue.remark).toContain('e (queueId) is not a 32-bit integer')

    const noBody = await h.invoke(fixtureRequest(base, { body: null }))
    expect(noBody.code).toBe(RESPONSE_CODE.MESSAGE_ILLEGAL)
    expect(noBody.remark).toContain('body is missing')

    const badName = await h.invoke(fixtureRequest(base, { ext: { b: 'no spaces allowed' } }))
    expect(badName.code).toBe(RESPONSE_CODE.INVALID_PARAMETER)

    const forbidden = await h.invoke(fixtureRequest(base, { ext: { b: SCHEDULE_TOPIC } }))
    expect(forbidden.code).toBe(RESPONSE_CODE.NO_PERMISSION)

    expect((await h.invoke(fixtureRequest(base))).code).toBe(RESPONSE_CODE.SUCCESS)
    const outOfRange = await h.invoke(fixtureRequest(base, { ext: { e: '99' } }))
    expect(outOfRange.code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
    expect(outOfRange.remark).toContain('queueId 99')
    expect(outOfRange.extFields).toMatchObject({ MSG_REGION: 'DefaultRegion', TRACE_ON: 'true' })

    const ok = await h.invoke(fixtureRequest(base, { ext: { e: '2' } }))
    expect(ok.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(ext(ok).queueOffset).toBe('0')
  })

  it('stores a oneway send without answering it', async () => {
    const h = await startHarness()
    const req = fixtureRequest('052-java-send-variety-SEND_MESSAGE_V2-oneway')
    expect(req.flag & 2).toBe(2)
    const conn = await h.connection()
    conn.invokeOneway(req)
    // Requests on one connection are handled in order; the next answer means the oneway one was taken.
    const after = await h.invoke(
      fixtureRequest('036-java-keyed-producer-SEND_MESSAGE_V2', { ext: { e: '3' } }),
    )
    expect(ext(after).queueOffset).toBe('1')
    expect(storedRecords(h, 'FixtureTopic', 3).map((m) => findProperty(m.propertiesString, 'KEYS'))).toEqual([
      'variety-oneway',
      'fixture-key-0',
    ])
  })
})
