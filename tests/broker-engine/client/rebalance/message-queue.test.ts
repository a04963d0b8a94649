import { describe, expect, it } from 'vitest'
import { EngineError } from '../../../../broker-engine/common/engine-error'
import {
  compareMessageQueues,
  MESSAGE_QUEUES_MAX,
  messageQueueJavaString,
  messageQueueKey,
  sortMessageQueues,
  validateMessageQueue,
  type MessageQueue,
} from '../../../../broker-engine/client/rebalance/message-queue'

const mq = (topic: string, brokerName: string, queueId: number): MessageQueue => ({
  topic,
  brokerName,
  queueId,
})

function expectArgumentInvalid(run: () => unknown, messagePart: string): void {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError)
    expect((error as EngineError).code).toBe('ARGUMENT_INVALID')
    expect((error as EngineError).message).toContain(messagePart)
    return
  }
  expect.fail(`expected ARGUMENT_INVALID containing "${messagePart}"`)
}

describe('message queue order (MessageQueue.compareTo)', () => {
  it('orders by topic, then broker name, then queue id as a number', () => {
    const sorted = sortMessageQueues([
      mq('TopicB', 'broker-a', 0),
      mq('TopicA', 'broker-b', 0),
      mq('TopicA', 'broker-a', 10),
      mq('TopicA', 'broker-a', 9),
      mq('TopicA', 'broker-a', 0),
    ])
    expect(sorted).toEqual([
      mq('TopicA', 'broker-a', 0),
      mq('TopicA', 'broker-a', 9),
      mq('TopicA', 'broker-a', 10),
      mq('TopicA', 'broker-b', 0),
      mq('TopicB', 'broker-a', 0),
    ])
  })

  it('compares names by UTF-16 code unit as Java does, not by locale', () => {
    // Java: "B" < "a" (0x42 < 0x61) and "broker-10" < "broker-9" ('1' < '9'); localeCompare says otherwise.
    const sorted = sortMessageQueues([
      mq('T', 'a', 0),
      mq('T', 'broker-9', 0),
      mq('T', 'broker-10', 0),
      mq('T', 'B', 0),
    ])
    expect(sorted.map((q) => q.brokerName)).toEqual(['B', 'a', 'broker-10', 'broker-9'])
    expect(compareMessageQueues(mq('T', 'B', 0), mq('T', 'a', 0))).toBeLessThan(0)
    expect(compareMessageQueues(mq('T', 'b', 3), mq('T', 'b', 3))).toBe(0)
    expect(compareMessageQueues(mq('U', 'a', 0), mq('T', 'b', 9))).toBeGreaterThan(0)
  })

  it('returns a new array and leaves the input as it was', () => {
    const input = Object.freeze([mq('T', 'b', 1), mq('T', 'b', 0)])
    const sorted = sortMessageQueues(input)
    expect(sorted).not.toBe(input)
    expect(input.map((q) => q.queueId)).toEqual([1, 0])
    expect(sorted[0]).toBe(input[1]) // the caller's queue objects, not copies
  })

  it('rejects duplicates, malformed queues and too many queues', () => {
    expectArgumentInvalid(
      () => sortMessageQueues([mq('T', 'b', 1), mq('T', 'b', 0), mq('T', 'b', 1)]),
      'duplicate queue T@b@1',
    )
    expectArgumentInvalid(
      () => sortMessageQueues([mq('T', 'b', 0), mq('bad topic', 'b', 0)]),
      'queues[1].topic',
    )
    expectArgumentInvalid(() => sortMessageQueues('T@b@0' as unknown as MessageQueue[]), 'must be an array')
    const tooMany = Array.from({ length: MESSAGE_QUEUES_MAX + 1 }, (_, i) => mq('T', `b${i >> 12}`, i & 4095))
    expectArgumentInvalid(() => sortMessageQueues(tooMany), `at most ${MESSAGE_QUEUES_MAX} queues`)
    expect(sortMessageQueues(tooMany.slice(0, MESSAGE_QUEUES_MAX))).toHaveLength(MESSAGE_QUEUES_MAX)
  })
})

describe('validateMessageQueue', () => {
  it.each([
    ['not an object', null, 'must be a { topic, brokerName, queueId } object'],
    ['a topic with a space', mq('Topic A', 'b', 0), 'x.topic must match'],
    ['an empty topic', mq('', 'b', 0), 'x.topic must match'],
    ['a topic of 256 chars', mq('T'.repeat(256), 'b', 0), 'x.topic must match'],
    ['an empty broker name', mq('T', '', 0), 'x.brokerName must be'],
    ['a broker name of 256 chars', mq('T', 'b'.repeat(256), 0), 'x.brokerName must be'],
    ['a broker name with a lone surrogate', mq('T', 'b\uD800', 0), 'x.brokerName must be'],
    ['a negative queue id', mq('T', 'b', -1), 'x.queueId must be an integer from 0 to 65535'],
    ['a fractional queue id', mq('T', 'b', 1.5), 'x.queueId'],
    ['a queue id past 65535', mq('T', 'b', 65_536), 'x.queueId'],
    ['a queue id as text', { topic: 'T', brokerName: 'b', queueId: '1' }, 'x.queueId'],
  ])('rejects %s', (_name, value, messagePart) => {
    expectArgumentInvalid(() => validateMessageQueue(value, 'x'), messagePart)
  })

  it('accepts retry topics, machine-room broker names and the largest queue id', () => {
    expect(() => validateMessageQueue(mq('%RETRY%GID_orders', 'hz@broker-a', 65_535), 'x')).not.toThrow()
    expect(() => validateMessageQueue(mq('T', 'brøker-😀', 0), 'x')).not.toThrow()
  })
})

describe('messageQueueKey', () => {
  it('is topic@brokerName@queueId', () => {
    expect(messageQueueKey(mq('TopicTest', 'broker-a', 3))).toBe('TopicTest@broker-a@3')
  })

  it('tells apart queues whose broker names contain @ or digits', () => {
    const tricky = [
      mq('T', 'a@1', 2),
      mq('T', 'a', 12),
      mq('T', 'a@12', 0),
      mq('T', 'a@1@2', 0),
      mq('T', '1', 2),
      mq('T_a', '1', 2),
    ]
    expect(new Set(tricky.map(messageQueueKey)).size).toBe(tricky.length)
  })

  it('validates its argument', () => {
    expectArgumentInvalid(() => messageQueueKey(mq('T', 'b', -1)), 'mq.queueId')
  })
})

describe('messageQueueJavaString', () => {
  it("is Java's MessageQueue.toString()", () => {
    expect(messageQueueJavaString(mq('TopicTest', 'broker-a', 0))).toBe(
      'MessageQueue [topic=TopicTest, brokerName=broker-a, queueId=0]',
    )
  })
})
