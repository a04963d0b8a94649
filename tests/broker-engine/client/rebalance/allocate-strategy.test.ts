// One case suite run against every allocation strategy: the shared argument checks (checkAllocateArgs), the
// "not in cidAll" rule, and, over seeded random groups, that the members' shares partition the queues.

import { describe, expect, it } from 'vitest'
import { EngineError } from '../../../../broker-engine/common/engine-error'
import { allocateAveragely } from '../../../../broker-engine/client/rebalance/allocate-averagely'
import { allocateAveragelyByCircle } from '../../../../broker-engine/client/rebalance/allocate-averagely-by-circle'
import { allocateByConfig } from '../../../../broker-engine/client/rebalance/allocate-by-config'
import {
  allocateByMachineRoom,
  machineRoomOf,
} from '../../../../broker-engine/client/rebalance/allocate-by-machine-room'
import { allocateConsistentHash } from '../../../../broker-engine/client/rebalance/allocate-consistent-hash'
import type { AllocateStrategy } from '../../../../broker-engine/client/rebalance/allocate-strategy'
import { CLIENT_IDS_MAX, sortClientIds } from '../../../../broker-engine/client/rebalance/client-id'
import {
  MESSAGE_QUEUES_MAX,
  messageQueueKey,
  sortMessageQueues,
  type MessageQueue,
} from '../../../../broker-engine/client/rebalance/message-queue'
import {
  allocateAll,
  clientIds,
  ownerByQueue,
  queues,
  randomInt,
  seededRandom,
  testSeed,
} from './rebalance-test-kit'

interface StrategyCase {
  readonly strategy: AllocateStrategy
  readonly name: string
  /** The queues the group as a whole consumes, or undefined when members do not split anything (CONFIG). */
  readonly shared: ((mqAll: readonly MessageQueue[]) => MessageQueue[]) | undefined
  /** Shares differ in size by at most one. */
  readonly even: boolean
}

const CONFIGURED = [{ topic: 'TopicTest', brokerName: 'hz@broker-a', queueId: 1 }]

const CASES: readonly StrategyCase[] = [
  { strategy: allocateAveragely, name: 'AVG', shared: (mqAll) => [...mqAll], even: true },
  { strategy: allocateAveragelyByCircle, name: 'AVG_BY_CIRCLE', shared: (mqAll) => [...mqAll], even: true },
  { strategy: allocateConsistentHash(), name: 'CONSISTENT_HASH', shared: (mqAll) => [...mqAll], even: false },
  {
    strategy: allocateConsistentHash(1),
    name: 'CONSISTENT_HASH',
    shared: (mqAll) => [...mqAll],
    even: false,
  },
  {
    strategy: allocateByMachineRoom(['hz']),
    name: 'MACHINE_ROOM',
    shared: (mqAll) => mqAll.filter((mq) => machineRoomOf(mq.brokerName) === 'hz'),
    even: true,
  },
  { strategy: allocateByConfig(CONFIGURED), name: 'CONFIG', shared: undefined, even: false },
]

const MQ_ALL = queues('TopicTest', ['hz@broker-a', 'sh@broker-b'], 4)
const CID_ALL = clientIds(3)
const CURRENT = CID_ALL[1]!

function expectArgumentInvalid(run: () => unknown, messagePart: string): void {
  let thrown: unknown
  try {
    run()
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(EngineError)
  expect((thrown as EngineError).code).toBe('ARGUMENT_INVALID')
  expect((thrown as EngineError).message).toContain(messagePart)
}

describe.each(CASES)('$strategy.name strategy: shared rules', ({ strategy, name, shared, even }) => {
  const allocate = (
    mqAll: readonly MessageQueue[],
    cidAll: readonly string[],
    current: string = CURRENT,
    group = 'GID_TEST',
  ) => strategy.allocate(group, current, mqAll, cidAll)

  it("carries RocketMQ's name and cannot be changed", () => {
    expect(strategy.name).toBe(name)
    expect(Object.isFrozen(strategy)).toBe(true)
  })

  it('rejects mqAll that is unsorted or has duplicates, naming the helper to use', () => {
    const swapped = [MQ_ALL[1]!, MQ_ALL[0]!, ...MQ_ALL.slice(2)]
    expectArgumentInvalid(
      () => allocate(swapped, CID_ALL),
      `${name}: mqAll must be sorted without duplicates`,
    )
    expectArgumentInvalid(() => allocate(swapped, CID_ALL), 'sortMessageQueues')
    const duplicated = [MQ_ALL[0]!, { ...MQ_ALL[0]! }, ...MQ_ALL.slice(1)]
    expectArgumentInvalid(
      () => allocate(duplicated, CID_ALL),
      'mqAll[1] TopicTest@hz@broker-a@0 does not follow',
    )
  })

  it('rejects cidAll that is unsorted or has duplicates, naming the helper to use', () => {
    expectArgumentInvalid(() => allocate(MQ_ALL, [...CID_ALL].reverse()), 'sortClientIds')
    expectArgumentInvalid(() => allocate(MQ_ALL, [CID_ALL[0]!, CID_ALL[1]!, CID_ALL[1]!]), 'cidAll[2]')
  })

  it('rejects empty, oversized and malformed arguments', () => {
    expectArgumentInvalid(
      () => allocate([], CID_ALL),
      `${name}: mqAll must be an array of 1-${MESSAGE_QUEUES_MAX}`,
    )
    expectArgumentInvalid(
      () => allocate(MQ_ALL, []),
      `${name}: cidAll must be an array of 1-${CLIENT_IDS_MAX}`,
    )
    expectArgumentInvalid(() => allocate(MQ_ALL, CID_ALL, ''), `${name}: currentClientId must be a client id`)
    expectArgumentInvalid(
      () => allocate(MQ_ALL, CID_ALL, CURRENT, ''),
      `${name}: consumerGroup must be 1-255`,
    )
    expectArgumentInvalid(() => allocate(MQ_ALL, CID_ALL, CURRENT, 'G'.repeat(256)), 'consumerGroup')
    expectArgumentInvalid(
      () => allocate([{ ...MQ_ALL[0]!, queueId: -1 }], CID_ALL),
      `${name}: mqAll[0].queueId`,
    )
    expectArgumentInvalid(() => allocate(MQ_ALL, [CID_ALL[0]!, '']), `${name}: cidAll[1] must be a client id`)
    expectArgumentInvalid(
      () => allocate(undefined as unknown as MessageQueue[], CID_ALL),
      'mqAll must be an array',
    )
    const tooManyQueues = queues('T', ['b0', 'b1'], MESSAGE_QUEUES_MAX / 2 + 1)
    expectArgumentInvalid(() => allocate(tooManyQueues, CID_ALL), 'mqAll must be an array of 1-65536 queues')
    const tooManyClients = sortClientIds(clientIds(CLIENT_IDS_MAX)).concat('zz-one-too-many')
    expectArgumentInvalid(() => allocate(MQ_ALL, tooManyClients), 'cidAll must be an array of 1-10000')
  })

  it('accepts the largest sizes', () => {
    const mqAll = queues('T', ['b0', 'b1'], MESSAGE_QUEUES_MAX / 2)
    const cidAll = sortClientIds(clientIds(CLIENT_IDS_MAX))
    expect(() => strategy.allocate('GID_TEST', cidAll[0]!, mqAll, cidAll)).not.toThrow()
  })

  if (shared) {
    it('gives nothing to a client missing from cidAll (its heartbeat has not reached the broker yet)', () => {
      expect(allocate(MQ_ALL, CID_ALL, '10.0.0.9@late-joiner')).toEqual([])
    })
  }

  it('returns a new array of queues and never changes its arguments', () => {
    const mqAll = Object.freeze(MQ_ALL.map((mq) => Object.freeze({ ...mq })))
    const cidAll = Object.freeze([...CID_ALL])
    const first = allocate(mqAll, cidAll)
    const again = allocate(mqAll, cidAll)
    expect(again).toEqual(first)
    expect(again).not.toBe(first)
    if (shared) for (const mq of first) expect(mqAll).toContain(mq) // mqAll's own objects
  })

  if (shared) {
    it('splits the queues of random groups so that each goes to exactly one member', () => {
      const seed = testSeed()
      const random = seededRandom(seed)
      const brokerPool = ['broker-c', 'hz@broker-a', 'hz@broker-b', 'sh@broker-d']
      for (let round = 0; round < 200; round++) {
        const context = `seed=${seed} (replay with REBALANCE_SEED) round=${round}`
        const brokers = brokerPool.filter(() => random() < 0.7)
        if (brokers.length === 0) brokers.push('hz@broker-a')
        const mqAll = sortMessageQueues(
          brokers.flatMap((brokerName) =>
            queues(random() < 0.5 ? 'TopicA' : 'TopicB', [brokerName], randomInt(random, 1, 16)),
          ),
        )
        const cidAll = sortClientIds(
          Array.from(
            new Set(
              Array.from({ length: randomInt(random, 1, 20) }, () => `10.0.0.${randomInt(random, 1, 99)}@c`),
            ),
          ),
        )
        const allocation = allocateAll(strategy, mqAll, cidAll)
        const owners = ownerByQueue(allocation) // throws when a queue has two owners
        expect([...owners.keys()].sort(), context).toEqual(shared(mqAll).map(messageQueueKey).sort())
        const sizes = [...allocation.values()].map((share) => share.length)
        if (even) {
          expect(Math.max(...sizes) - Math.min(...sizes), context).toBeLessThanOrEqual(1)
        }
      }
    })
  }
})

describe('CONFIG strategy', () => {
  it('returns its configured queues whoever asks, even a client missing from cidAll', () => {
    const strategy = allocateByConfig(CONFIGURED)
    expect(strategy.allocate('GID_TEST', '10.0.0.9@late-joiner', MQ_ALL, CID_ALL)).toEqual(CONFIGURED)
  })
})
