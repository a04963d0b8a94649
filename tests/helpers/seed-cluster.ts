// Seeds a broker with many topics and consumer groups through the batch admin codes UPDATE_AND_CREATE_TOPIC_LIST (18)
// and UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST (225), for tests and benches that need thousands of them quickly.
// Talks remoting with the engine's RemotingClient only, so it works against any broker serving those codes.

import {
  CONFIG_BATCH_COUNT_MAX,
  createRequest,
  REQUEST_CODE,
  RESPONSE_CODE,
  RemotingClient,
} from '../../broker-engine/index'

export interface SeedTopic {
  topicName: string
  readQueueNums: number
  writeQueueNums: number
  /** Defaults to 6 (read and write). */
  perm?: number
  /** Set on the topic, e.g. { 'message.type': 'FIFO' }. */
  attributes?: Record<string, string>
}

export interface SeedGroup {
  groupName: string
  retryMaxTimes?: number
  consumeBroadcastEnable?: boolean
  consumeMessageOrderly?: boolean
}

export interface SeedInput {
  topics: SeedTopic[]
  groups: SeedGroup[]
  /** Entries per request; defaults to 1,000 (the broker takes at most CONFIG_BATCH_COUNT_MAX). */
  batchSize?: number
}

export const SEED_BATCH_SIZE_DEFAULT = 1000
/** One batch of 1,000 is one JSON parse and one fsync'd write on the broker; this leaves room for slow disks. */
const BATCH_TIMEOUT_MS = 30_000

/** Creates (or updates) the topics, then the groups, in batches; throws on the first non-SUCCESS answer. */
export async function seedTopicsAndGroups(brokerAddr: string, input: SeedInput): Promise<void> {
  const batchSize = input.batchSize ?? SEED_BATCH_SIZE_DEFAULT
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > CONFIG_BATCH_COUNT_MAX)
    throw new RangeError(`batchSize must be an integer from 1 to ${CONFIG_BATCH_COUNT_MAX}; got ${batchSize}`)
  const client = new RemotingClient()
  try {
    const send = async (code: number, listKey: string, entries: unknown[]): Promise<void> => {
      for (let from = 0; from < entries.length; from += batchSize) {
        const body = Buffer.from(JSON.stringify({ [listKey]: entries.slice(from, from + batchSize) }))
        const response = await client.invoke(brokerAddr, createRequest(code, { body }), BATCH_TIMEOUT_MS)
        if (response.code !== RESPONSE_CODE.SUCCESS)
          throw new Error(
            `seeding ${listKey} entries ${from}..${Math.min(from + batchSize, entries.length) - 1} on ${brokerAddr} ` +
              `failed: code ${response.code}, ${response.remark ?? 'no remark'}`,
          )
      }
    }
    await send(REQUEST_CODE.UPDATE_AND_CREATE_TOPIC_LIST, 'topicConfigList', input.topics.map(topicConfigOf))
    await send(REQUEST_CODE.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST, 'groupConfigList', input.groups)
  } finally {
    client.close()
  }
}

/** A TopicConfig as RocketMQ 5 reads it: attributes as `+key` additions (AttributeUtil). */
function topicConfigOf(t: SeedTopic): Record<string, unknown> {
  return {
    topicName: t.topicName,
    readQueueNums: t.readQueueNums,
    writeQueueNums: t.writeQueueNums,
    perm: t.perm ?? 6,
    topicFilterType: 'SINGLE_TAG',
    topicSysFlag: 0,
    order: false,
    attributes: Object.fromEntries(Object.entries(t.attributes ?? {}).map(([k, v]) => [`+${k}`, v])),
  }
}
