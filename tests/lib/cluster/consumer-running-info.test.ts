// getConsumerRunningInfo over remoting: the broker relays GET_CONSUMER_RUNNING_INFO to the member's own
// connection and the gateway reads the client's answer — here a client that answers with the body a real
// RocketMQ 4.9.4 Java consumer sent (capture 104: fastjson with MessageQueue objects as map keys). A member
// that cannot answer is reported as unsupported with the broker's reason, not as an error.
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  createRequest,
  createResponse,
  decodeFrame,
  PushConsumer,
  RemotingClient,
  REQUEST_CODE,
  RESPONSE_CODE,
  startStandaloneBroker,
  type StandaloneBroker,
} from '@/broker-engine/index'
import { RemoteGateway } from '@/lib/cluster/remote-gateway'

const FIXTURE = path.join(
  import.meta.dirname,
  '..',
  '..',
  'fixtures',
  'rocketmq-remoting',
  '104-mqadmin-consumerStatus-GET_CONSUMER_RUNNING_INFO.res.bin',
)
const GROUP = 'running_info_group'
const TIMEOUT_MS = 5_000

/** The captured Java client's ConsumerRunningInfo body. */
function capturedBody(): Buffer {
  const bytes = readFileSync(FIXTURE)
  // After the 4-byte length prefix.
  const frame = decodeFrame(bytes, 4, bytes.length)
  if (!frame.body) throw new Error('the capture has no body')
  return frame.body
}

function heartbeat(clientId: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      clientID: clientId,
      consumerDataSet: [
        {
          groupName: GROUP,
          consumeType: 'CONSUME_PASSIVELY',
          messageModel: 'CLUSTERING',
          consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
          subscriptionDataSet: [
            {
              classFilterMode: false,
              codeSet: [],
              expressionType: 'TAG',
              subString: '*',
              subVersion: 1,
              tagsSet: [],
              topic: 'TopicTest',
            },
          ],
          unitMode: false,
        },
      ],
      producerDataSet: [],
    }),
  )
}

describe('getConsumerRunningInfo', () => {
  let dir: string
  let engine: StandaloneBroker
  let gateway: RemoteGateway
  const clients: RemotingClient[] = []

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mqdeck-running-info-'))
    engine = await startStandaloneBroker({
      config: { storePathRootDir: dir, listenPort: 0 },
      namesrvPort: 0,
      log: () => undefined,
    })
    gateway = new RemoteGateway({
      namesrvAddrs: engine.namesrvAddr!,
      callTimeoutMs: TIMEOUT_MS,
      routeTtlMs: 0,
    })
  })

  afterAll(async () => {
    for (const c of clients) c.close()
    await gateway?.close()
    await engine?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  async function member(clientId: string, answer?: Buffer): Promise<void> {
    const client = new RemotingClient({
      onRequest: (request) =>
        request.code === REQUEST_CODE.GET_CONSUMER_RUNNING_INFO && answer
          ? createResponse(request, RESPONSE_CODE.SUCCESS, { body: answer })
          : createResponse(request, RESPONSE_CODE.REQUEST_CODE_NOT_SUPPORTED, {
              remark: 'this client does not answer GET_CONSUMER_RUNNING_INFO',
            }),
    })
    clients.push(client)
    const response = await client.invoke(
      engine.brokerAddr,
      createRequest(REQUEST_CODE.HEART_BEAT, { body: heartbeat(clientId) }),
      TIMEOUT_MS,
    )
    expect(response.code).toBe(RESPONSE_CODE.SUCCESS)
  }

  it('returns the queues a member holds, read from a real Java client’s answer', async () => {
    await member('192.0.2.2@java', capturedBody())
    const got = await gateway.getConsumerRunningInfo(GROUP, '192.0.2.2@java')
    expect(got.supported).toBe(true)
    if (!got.supported) return
    expect(got.value).toMatchObject({ group: GROUP, clientId: '192.0.2.2@java', brokerName: 'broker-a' })
    const topicTest = got.value.queues
      .filter((q) => q.topic === 'TopicTest')
      .sort((a, b) => a.queueId - b.queueId)
    expect(topicTest.map((q) => q.queueId)).toEqual([0, 1, 2, 3])
    expect(topicTest[0]).toMatchObject({
      brokerName: 'broker-a',
      commitOffset: 250,
      locked: false,
      dropped: false,
    })
    expect(topicTest[0]!.lastConsumeTimestampMs).toBe(1795830661967)
    expect(got.value.queues.some((q) => q.topic === '%RETRY%please_rename_unique_group_name_4')).toBe(true)
    expect(Object.keys(got.value.properties).length).toBeGreaterThan(0)
  })

  it('reports a member that cannot answer, or an unknown one, as unsupported with the reason', async () => {
    await member('192.0.2.3@mute')
    const mute = await gateway.getConsumerRunningInfo(GROUP, '192.0.2.3@mute')
    expect(mute.supported).toBe(false)
    if (!mute.supported) expect(mute.reason).toContain('broker-a')
    const unknown = await gateway.getConsumerRunningInfo(GROUP, '192.0.2.9@gone')
    expect(unknown.supported).toBe(false)
    if (!unknown.supported) expect(unknown.reason).toMatch(/not online/)
  })

  it('answers for a consumer living in the engine’s process, with the queues it holds and its progress', async () => {
    const topic = 'running_info_inproc'
    await gateway.createOrUpdateTopic({ topic, readQueueNums: 4, writeQueueNums: 4, perm: 6 })
    for (let i = 0; i < 8; i++) await gateway.sendMessage({ topic, body: `m${i}` })
    let consumed = 0
    const consumer = new PushConsumer(engine.cluster, {
      group: 'inproc_group',
      clientId: 'inproc@1',
      consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
    }).subscribe(topic, '*')
    await consumer.start(() => {
      consumed++
      return 'CONSUME_SUCCESS'
    })
    try {
      await vi.waitFor(() => expect(consumed).toBe(8), { timeout: 10_000 })
      const got = await gateway.getConsumerRunningInfo('inproc_group', 'inproc@1')
      expect(got.supported).toBe(true)
      if (!got.supported) return
      const held = got.value.queues.filter((q) => q.topic === topic).sort((a, b) => a.queueId - b.queueId)
      expect(held.map((q) => q.queueId)).toEqual([0, 1, 2, 3])
      expect(held.every((q) => q.brokerName === 'broker-a' && !q.locked && !q.dropped)).toBe(true)
      expect(held.reduce((sum, q) => sum + q.cachedMsgCount, 0)).toBe(0)
      expect(held.every((q) => q.lastPullTimestampMs > 0)).toBe(true)
      // Clustering consumers also hold their group's retry queue.
      expect(got.value.queues.some((q) => q.topic === '%RETRY%inproc_group')).toBe(true)
      expect(got.value.properties).toMatchObject({
        PROP_CONSUMEORDERLY: 'false',
        PROP_MESSAGE_MODEL: 'CLUSTERING',
      })
    } finally {
      await consumer.shutdown()
    }
    // Once it left, nobody answers for it.
    expect((await gateway.getConsumerRunningInfo('inproc_group', 'inproc@1')).supported).toBe(false)
  })

  it('refuses a malformed client id', async () => {
    await expect(gateway.getConsumerRunningInfo(GROUP, 'has space')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
  })
})
