// An in-memory RocketMQ cluster for the remote gateway's behaviour tests: a NameServer and brokers that keep
// queues of real CommitLog records (PROTOCOL.md 3.1 layout, written here independently of the engine) and answer
// the request codes the gateway sends with RocketMQ 4.x semantics (closest-offset time search, write-only DLQ
// topics refusing pulls, CONSUMER_NOT_ONLINE resets). Not a broker: just enough to pin the gateway's logic.
import { REQUEST_CODE, RESPONSE_CODE, type RemotingCommand } from '@/broker-engine/index'
import { FakeNode, jsonBody, textBody, type Answer } from './fake-node'

const MAGIC_V1 = 0xdaa320a7 | 0

export interface StoredMessage {
  readonly topic: string
  readonly queueId: number
  readonly queueOffset: number
  readonly commitLogOffset: number
  readonly storeTimestampMs: number
  readonly body: Buffer
  readonly properties: Map<string, string>
  readonly sysFlag: number
  readonly flag: number
  readonly record: Buffer
}

function propertiesText(properties: Map<string, string>): string {
  return [...properties].map(([k, v]) => `${k}\u0001${v}`).join('\u0002')
}

function parsePropertiesText(text: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const pair of text.split('\u0002')) {
    const at = pair.indexOf('\u0001')
    if (at > 0) out.set(pair.slice(0, at), pair.slice(at + 1))
  }
  return out
}

/** One V1 record with IPv4 hosts. */
export function encodeRecord(
  m: Omit<StoredMessage, 'record'>,
  storePort: number,
  reconsumeTimes = 0,
): Buffer {
  const topic = Buffer.from(m.topic, 'utf8')
  const props = Buffer.from(propertiesText(m.properties), 'utf8')
  const size = 91 + m.body.length + topic.length + props.length
  const b = Buffer.alloc(size)
  let p = 0
  b.writeInt32BE(size, p)
  b.writeInt32BE(MAGIC_V1, (p += 4))
  b.writeInt32BE(0, (p += 4)) // body CRC: not checked by readers
  b.writeInt32BE(m.queueId, (p += 4))
  b.writeInt32BE(m.flag, (p += 4))
  b.writeBigInt64BE(BigInt(m.queueOffset), (p += 4))
  b.writeBigInt64BE(BigInt(m.commitLogOffset), (p += 8))
  b.writeInt32BE(m.sysFlag, (p += 8))
  b.writeBigInt64BE(BigInt(m.storeTimestampMs - 1), (p += 4))
  Buffer.from([10, 0, 0, 9]).copy(b, (p += 8))
  b.writeInt32BE(40000, (p += 4))
  b.writeBigInt64BE(BigInt(m.storeTimestampMs), (p += 4))
  Buffer.from([127, 0, 0, 1]).copy(b, (p += 8))
  b.writeInt32BE(storePort, (p += 4))
  b.writeInt32BE(reconsumeTimes, (p += 4))
  b.writeBigInt64BE(0n, (p += 4))
  b.writeInt32BE(m.body.length, (p += 8))
  m.body.copy(b, (p += 4))
  b.writeUInt8(topic.length, (p += m.body.length))
  topic.copy(b, (p += 1))
  b.writeInt16BE(props.length, (p += topic.length))
  props.copy(b, (p += 2))
  return b
}

interface TopicState {
  perm: number
  order: boolean
  queueNums: number
  queues: StoredMessage[][]
}

const ext = (cmd: RemotingCommand, name: string): string => cmd.extFields?.[name] ?? ''
const num = (cmd: RemotingCommand, name: string): number => Number(ext(cmd, name))

function mqKey(topic: string, brokerName: string, queueId: number): string {
  return `{"brokerName":${JSON.stringify(brokerName)},"queueId":${queueId},"topic":${JSON.stringify(topic)}}`
}

export class MiniBroker {
  readonly topics = new Map<string, TopicState>()
  readonly byCommitLogOffset = new Map<number, StoredMessage>()
  /** `${group}@${topic}@${queueId}` → committed offset. */
  readonly offsets = new Map<string, number>()
  readonly onlineGroups = new Set<string>()
  /** Subscription group configs (UPDATE_AND_CREATE_SUBSCRIPTIONGROUP bodies, as sent). */
  readonly groups = new Map<string, Record<string, unknown>>()
  private commitLogOffset = 0
  /** Store time of messages put without one (sends included). */
  clock: () => number = Date.now

  private constructor(
    readonly node: FakeNode,
    readonly brokerName: string,
    readonly clusterName: string,
  ) {}

  static async start(brokerName: string, clusterName = 'DefaultCluster'): Promise<MiniBroker> {
    const broker = new MiniBroker(await FakeNode.start(), brokerName, clusterName)
    broker.register()
    return broker
  }

  get addr(): string {
    return this.node.addr
  }

  createTopic(topic: string, queueNums: number, perm = 6, order = false): void {
    const existing = this.topics.get(topic)
    const queues = existing?.queues ?? []
    while (queues.length < queueNums) queues.push([])
    this.topics.set(topic, { perm, order, queueNums, queues })
  }

  put(
    topic: string,
    queueId: number,
    body: string | Buffer,
    properties: Record<string, string> = {},
    storeTimestampMs = this.clock(),
    sysFlag = 0,
    flag = 0,
    reconsumeTimes = 0,
  ): StoredMessage {
    const state = this.topics.get(topic)
    if (!state) throw new Error(`no topic ${topic}`)
    const queue = state.queues[queueId]!
    const base = {
      topic,
      queueId,
      queueOffset: queue.length,
      commitLogOffset: this.commitLogOffset,
      storeTimestampMs,
      body: typeof body === 'string' ? Buffer.from(body) : body,
      properties: new Map(Object.entries(properties)),
      sysFlag,
      flag,
    }
    const record = encodeRecord(base, this.node.port, reconsumeTimes)
    const stored = { ...base, record }
    queue.push(stored)
    this.byCommitLogOffset.set(stored.commitLogOffset, stored)
    this.commitLogOffset += record.length
    return stored
  }

  /** The offset message id of a stored message (store host 127.0.0.1 and this broker's port). */
  msgIdOf(m: StoredMessage): string {
    const b = Buffer.alloc(16)
    Buffer.from([127, 0, 0, 1]).copy(b, 0)
    b.writeInt32BE(this.node.port, 4)
    b.writeBigInt64BE(BigInt(m.commitLogOffset), 8)
    return b.toString('hex').toUpperCase()
  }

  close(): Promise<void> {
    return this.node.close()
  }

  private queueOf(cmd: RemotingCommand): StoredMessage[] | undefined {
    return this.topics.get(ext(cmd, 'topic'))?.queues[num(cmd, 'queueId')]
  }

  private register(): void {
    const n = this.node
    n.on(REQUEST_CODE.GET_ALL_TOPIC_CONFIG, () => ({
      body: jsonBody({
        topicConfigTable: Object.fromEntries(
          [...this.topics].map(([topicName, t]) => [
            topicName,
            {
              topicName,
              readQueueNums: t.queueNums,
              writeQueueNums: t.queueNums,
              perm: t.perm,
              order: t.order,
              topicFilterType: 'SINGLE_TAG',
              topicSysFlag: 0,
            },
          ]),
        ),
      }),
    }))
    n.on(REQUEST_CODE.GET_TOPIC_STATS_INFO, (cmd) => {
      const t = this.topics.get(ext(cmd, 'topic'))
      if (!t) return { code: RESPONSE_CODE.TOPIC_NOT_EXIST, remark: 'topic not exist' }
      const entries = t.queues.map(
        (q, queueId) =>
          `${mqKey(ext(cmd, 'topic'), this.brokerName, queueId)}:${JSON.stringify({
            lastUpdateTimestamp: q.at(-1)?.storeTimestampMs ?? 0,
            maxOffset: q.length,
            minOffset: 0,
          })}`,
      )
      return { body: textBody(`{"offsetTable":{${entries.join(',')}}}`) }
    })
    n.on(REQUEST_CODE.SEARCH_OFFSET_BY_TIMESTAMP, (cmd) => {
      const q = this.queueOf(cmd) ?? []
      const ts = num(cmd, 'timestamp')
      return { extFields: { offset: String(closestOffset(q, ts)) } }
    })
    n.on(REQUEST_CODE.GET_MAX_OFFSET, (cmd) => ({
      extFields: { offset: String(this.queueOf(cmd)?.length ?? 0) },
    }))
    n.on(REQUEST_CODE.GET_MIN_OFFSET, () => ({ extFields: { offset: '0' } }))
    n.on(REQUEST_CODE.PULL_MESSAGE, (cmd) => this.pull(cmd))
    n.on(REQUEST_CODE.QUERY_CONSUME_QUEUE, (cmd) => {
      const q = this.queueOf(cmd) ?? []
      const from = num(cmd, 'index')
      const units = q.slice(from, from + num(cmd, 'count'))
      return {
        body: jsonBody({
          maxQueueIndex: q.length,
          minQueueIndex: 0,
          queueData: units.map((m) => ({
            bitMap: '',
            physicOffset: m.commitLogOffset,
            physicSize: m.record.length,
            tagsCode: 0,
          })),
        }),
      }
    })
    n.on(REQUEST_CODE.VIEW_MESSAGE_BY_ID, (cmd) => {
      const m = this.byCommitLogOffset.get(num(cmd, 'offset'))
      return m
        ? { body: m.record }
        : { code: RESPONSE_CODE.SYSTEM_ERROR, remark: 'can not find message by the offset' }
    })
    n.on(REQUEST_CODE.QUERY_MESSAGE, (cmd) => {
      const t = this.topics.get(ext(cmd, 'topic'))
      const key = ext(cmd, 'key')
      const unique = ext(cmd, '_UNIQUE_KEY_QUERY') === 'true'
      const found = (t?.queues.flat() ?? []).filter((m) =>
        unique
          ? m.properties.get('UNIQ_KEY') === key
          : (m.properties.get('KEYS') ?? '').split(' ').includes(key),
      )
      if (found.length === 0) return { code: RESPONSE_CODE.QUERY_NOT_FOUND, remark: 'no message' }
      return {
        body: Buffer.concat(found.map((m) => m.record)),
        extFields: { indexLastUpdatePhyoffset: '0', indexLastUpdateTimestamp: '0' },
      }
    })
    n.on(REQUEST_CODE.SEND_MESSAGE_V2, (cmd) => this.send(cmd))
    n.on(REQUEST_CODE.GET_CONSUME_STATS, (cmd) => {
      const group = ext(cmd, 'consumerGroup')
      const topics = cmd.extFields?.topic ? [ext(cmd, 'topic')] : [...this.topics.keys()]
      const entries: string[] = []
      for (const topic of topics) {
        const t = this.topics.get(topic)
        t?.queues.forEach((q, queueId) => {
          const consumerOffset = this.offsets.get(`${group}@${topic}@${queueId}`)
          if (consumerOffset === undefined && !cmd.extFields?.topic) return
          const off = consumerOffset ?? 0
          entries.push(
            `${mqKey(topic, this.brokerName, queueId)}:${JSON.stringify({
              brokerOffset: q.length,
              consumerOffset: off,
              lastTimestamp: off > 0 ? q[off - 1]!.storeTimestampMs : 0,
            })}`,
          )
        })
      }
      return { body: textBody(`{"consumeTps":0.0,"offsetTable":{${entries.join(',')}}}`) }
    })
    n.on(REQUEST_CODE.GET_CONSUMER_CONNECTION_LIST, (cmd) => {
      const group = ext(cmd, 'consumerGroup')
      if (!this.onlineGroups.has(group))
        return { code: RESPONSE_CODE.CONSUMER_NOT_ONLINE, remark: 'not online' }
      return {
        body: jsonBody({
          connectionSet: [
            { clientAddr: '10.0.0.9:40000', clientId: `10.0.0.9@${group}`, language: 'JAVA', version: 401 },
          ],
          consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
          consumeType: 'CONSUME_PASSIVELY',
          messageModel: 'CLUSTERING',
          subscriptionTable: {},
        }),
      }
    })
    n.on(REQUEST_CODE.UPDATE_CONSUMER_OFFSET, (cmd) => {
      this.offsets.set(
        `${ext(cmd, 'consumerGroup')}@${ext(cmd, 'topic')}@${ext(cmd, 'queueId')}`,
        num(cmd, 'commitOffset'),
      )
      return { extFields: {} }
    })
    n.on(REQUEST_CODE.INVOKE_BROKER_TO_RESET_OFFSET, (cmd) => {
      const group = ext(cmd, 'group')
      const topic = ext(cmd, 'topic')
      if (!this.onlineGroups.has(group))
        return { code: RESPONSE_CODE.CONSUMER_NOT_ONLINE, remark: 'Consumer not online' }
      const ts = num(cmd, 'timestamp')
      const entries = (this.topics.get(topic)?.queues ?? []).map((q, queueId) => {
        const offset = ts === -1 ? q.length : closestOffset(q, ts)
        this.offsets.set(`${group}@${topic}@${queueId}`, offset)
        return `${mqKey(topic, this.brokerName, queueId)}:${offset}`
      })
      return { remark: 'not set any response code', body: textBody(`{"offsetTable":{${entries.join(',')}}}`) }
    })
    n.on(REQUEST_CODE.UPDATE_AND_CREATE_TOPIC, (cmd) => {
      this.createTopic(
        ext(cmd, 'topic'),
        num(cmd, 'writeQueueNums'),
        num(cmd, 'perm'),
        ext(cmd, 'order') === 'true',
      )
      return { remark: 'not set any response code' }
    })
    n.on(REQUEST_CODE.DELETE_TOPIC_IN_BROKER, (cmd) => {
      this.topics.delete(ext(cmd, 'topic'))
      return {}
    })
    n.on(REQUEST_CODE.GET_BROKER_RUNTIME_INFO, () => ({
      body: jsonBody({
        table: {
          brokerVersionDesc: 'V4_9_4',
          putTps: '0.0 0.0 0.0',
          getTransferedTps: '0.0 0.0 0.0',
          bootTimestamp: '1',
        },
      }),
    }))
    n.on(REQUEST_CODE.GET_BROKER_CONFIG, () => ({
      body: textBody(
        `brokerName=${this.brokerName}\nbrokerClusterName=${this.clusterName}\nflushDiskType=ASYNC_FLUSH\nbrokerRole=ASYNC_MASTER\n`,
      ),
    }))
    n.on(REQUEST_CODE.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, (cmd) => {
      const config = JSON.parse(cmd.body?.toString('utf8') ?? '{}') as Record<string, unknown>
      this.groups.set(String(config.groupName), config)
      return {}
    })
    n.on(REQUEST_CODE.GET_ALL_SUBSCRIPTIONGROUP_CONFIG, () => ({
      body: jsonBody({ subscriptionGroupTable: Object.fromEntries(this.groups) }),
    }))
    n.on(REQUEST_CODE.DELETE_SUBSCRIPTIONGROUP, (cmd) => {
      this.groups.delete(ext(cmd, 'groupName'))
      return {}
    })
    n.on(REQUEST_CODE.GET_BROKER_CONSUME_STATS, () => {
      const groups = new Set([
        ...this.groups.keys(),
        ...[...this.offsets.keys()].map((k) => k.split('@')[0]!),
      ])
      const list = [...groups].map((group) => {
        const topics = new Set(
          [...this.offsets.keys()].filter((k) => k.startsWith(`${group}@`)).map((k) => k.split('@')[1]!),
        )
        const stats = [...topics].map((topic) => {
          const entries = (this.topics.get(topic)?.queues ?? []).map(
            (q, queueId) =>
              `${mqKey(topic, this.brokerName, queueId)}:${JSON.stringify({
                brokerOffset: q.length,
                consumerOffset: this.offsets.get(`${group}@${topic}@${queueId}`) ?? 0,
                // As RocketMQ's fetchAllConsumeStatsInBroker: the store time of message consumerOffset − 1.
                lastTimestamp:
                  q[(this.offsets.get(`${group}@${topic}@${queueId}`) ?? 0) - 1]?.storeTimestampMs ?? 0,
              })}`,
          )
          return `{"consumeTps":0.0,"offsetTable":{${entries.join(',')}}}`
        })
        return `{${JSON.stringify(group)}:[${stats.join(',')}]}`
      })
      return {
        body: textBody(
          `{"brokerAddr":${JSON.stringify(this.addr)},"consumeStatsList":[${list.join(',')}],"totalDiff":0}`,
        ),
      }
    })
    n.on(REQUEST_CODE.QUERY_CONSUMER_OFFSET, (cmd) => {
      const offset = this.offsets.get(
        `${ext(cmd, 'consumerGroup')}@${ext(cmd, 'topic')}@${ext(cmd, 'queueId')}`,
      )
      return offset === undefined
        ? { code: RESPONSE_CODE.QUERY_NOT_FOUND, remark: 'Not found' }
        : { extFields: { offset: String(offset) } }
    })
    // CONSUMER_SEND_MSG_BACK with delayLevel −1: straight to the group's DLQ (write-only, as 4.x creates it).
    n.on(REQUEST_CODE.CONSUMER_SEND_MSG_BACK, (cmd) => {
      const original = this.byCommitLogOffset.get(num(cmd, 'offset'))
      if (!original) return { code: RESPONSE_CODE.SYSTEM_ERROR, remark: 'look message by offset failed' }
      if (num(cmd, 'delayLevel') >= 0)
        return { code: RESPONSE_CODE.SYSTEM_ERROR, remark: 'only delayLevel -1 is modelled here' }
      const dlq = `%DLQ%${ext(cmd, 'group')}`
      if (!this.topics.has(dlq)) this.createTopic(dlq, 1, 2)
      // RocketMQ stores the copy with reconsumeTimes + 1 (the record's reconsumeTimes field is at byte 72).
      this.put(
        dlq,
        0,
        original.body,
        {
          ...Object.fromEntries(original.properties),
          RETRY_TOPIC: original.topic,
          ORIGIN_MESSAGE_ID: ext(cmd, 'originMsgId'),
        },
        this.clock(),
        original.sysFlag,
        original.flag,
        original.record.readInt32BE(72) + 1,
      )
      return {}
    })
    // No producer ever heartbeats here; RocketMQ answers an unknown producer group this way.
    n.on(REQUEST_CODE.GET_PRODUCER_CONNECTION_LIST, (cmd) => ({
      code: RESPONSE_CODE.SYSTEM_ERROR,
      remark: `the producer group[${ext(cmd, 'producerGroup')}] not exist`,
    }))
    n.on(REQUEST_CODE.QUERY_TOPIC_CONSUME_BY_WHO, (cmd) => {
      const topic = ext(cmd, 'topic')
      const groups = new Set(
        [...this.offsets.keys()].filter((k) => k.split('@')[1] === topic).map((k) => k.split('@')[0]!),
      )
      return { body: jsonBody({ groupList: [...groups].sort() }) }
    })
  }

  private pull(cmd: RemotingCommand): Answer {
    const t = this.topics.get(ext(cmd, 'topic'))
    if (!t) return { code: RESPONSE_CODE.TOPIC_NOT_EXIST, remark: 'topic not exist' }
    if ((t.perm & 4) === 0)
      return { code: RESPONSE_CODE.NO_PERMISSION, remark: 'the topic pulling message is forbidden' }
    const q = t.queues[num(cmd, 'queueId')] ?? []
    const from = num(cmd, 'queueOffset')
    const offsets = (next: number) => ({
      suggestWhichBrokerId: '0',
      nextBeginOffset: String(next),
      minOffset: '0',
      maxOffset: String(q.length),
    })
    if (from >= q.length)
      return { code: RESPONSE_CODE.PULL_NOT_FOUND, remark: 'OFFSET_OVERFLOW_ONE', extFields: offsets(from) }
    const batch = q.slice(from, from + num(cmd, 'maxMsgNums'))
    return {
      remark: 'FOUND',
      extFields: offsets(from + batch.length),
      body: Buffer.concat(batch.map((m) => m.record)),
    }
  }

  private send(cmd: RemotingCommand): Answer {
    const topic = ext(cmd, 'b')
    if (!this.topics.has(topic)) {
      if (!topic.startsWith('%RETRY%'))
        return { code: RESPONSE_CODE.TOPIC_NOT_EXIST, remark: `topic[${topic}] not exist` }
      this.createTopic(topic, 1)
    }
    const stored = this.put(
      topic,
      Math.max(0, num(cmd, 'e')),
      cmd.body ?? Buffer.alloc(0),
      Object.fromEntries(parsePropertiesText(ext(cmd, 'i'))),
      this.clock(),
      num(cmd, 'f'),
      num(cmd, 'h'),
    )
    return {
      extFields: {
        msgId: this.msgIdOf(stored),
        queueId: String(stored.queueId),
        queueOffset: String(stored.queueOffset),
        MSG_REGION: 'DefaultRegion',
        TRACE_ON: 'true',
      },
    }
  }
}

/** RocketMQ 4.x getOffsetInQueueByTime: the offset whose store time is closest to `ts` (binary search). */
export function closestOffset(q: readonly StoredMessage[], ts: number): number {
  if (q.length === 0) return 0
  let lo = 0
  let hi = q.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const t = q[mid]!.storeTimestampMs
    if (t === ts) return mid
    if (t < ts) lo = mid + 1
    else hi = mid - 1
  }
  // lo is the first with time > ts, hi the last with time < ts.
  if (hi < 0) return lo
  if (lo >= q.length) return hi
  return Math.abs(ts - q[hi]!.storeTimestampMs) > Math.abs(q[lo]!.storeTimestampMs - ts) ? lo : hi
}

/** A NameServer in front of mini brokers: cluster info (non-standard fastjson, as 4.9.4 sends it) and routes. */
export class MiniNameServer {
  private constructor(
    readonly node: FakeNode,
    readonly brokers: MiniBroker[],
  ) {}

  static async start(brokers: MiniBroker[]): Promise<MiniNameServer> {
    const ns = new MiniNameServer(await FakeNode.start(), brokers)
    ns.register()
    return ns
  }

  get addr(): string {
    return this.node.addr
  }

  private register(): void {
    this.node.on(REQUEST_CODE.GET_BROKER_CLUSTER_INFO, () => {
      const brokers = this.brokers.map(
        (b) =>
          `${JSON.stringify(b.brokerName)}:{"brokerAddrs":{0:${JSON.stringify(b.addr)}},"brokerName":${JSON.stringify(b.brokerName)},"cluster":${JSON.stringify(b.clusterName)}}`,
      )
      const clusters = new Map<string, string[]>()
      for (const b of this.brokers)
        clusters.set(b.clusterName, [...(clusters.get(b.clusterName) ?? []), b.brokerName])
      const clusterText = [...clusters].map(([c, names]) => `${JSON.stringify(c)}:${JSON.stringify(names)}`)
      return {
        body: textBody(
          `{"brokerAddrTable":{${brokers.join(',')}},"clusterAddrTable":{${clusterText.join(',')}}}`,
        ),
      }
    })
    this.node.on(REQUEST_CODE.GET_ROUTEINFO_BY_TOPIC, (cmd) => {
      const topic = ext(cmd, 'topic')
      const holders = this.brokers.filter((b) => b.topics.has(topic))
      if (holders.length === 0)
        return {
          code: RESPONSE_CODE.TOPIC_NOT_EXIST,
          remark: `No topic route info in name server for the topic: ${topic}`,
        }
      return {
        body: jsonBody({
          brokerDatas: holders.map((b) => ({
            brokerAddrs: { '0': b.addr },
            brokerName: b.brokerName,
            cluster: b.clusterName,
          })),
          filterServerTable: {},
          queueDatas: holders.map((b) => {
            const t = b.topics.get(topic)!
            return {
              brokerName: b.brokerName,
              perm: t.perm,
              readQueueNums: t.queueNums,
              topicSysFlag: 0,
              writeQueueNums: t.queueNums,
            }
          }),
        }),
      }
    })
    this.node.on(REQUEST_CODE.GET_ALL_TOPIC_LIST_FROM_NAMESERVER, () => ({
      body: jsonBody({ topicList: [...new Set(this.brokers.flatMap((b) => [...b.topics.keys()]))] }),
    }))
    this.node.on(REQUEST_CODE.DELETE_TOPIC_IN_NAMESRV, () => ({}))
  }

  close(): Promise<void> {
    return this.node.close()
  }
}
