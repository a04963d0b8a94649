import { describe, expect, it } from 'vitest'
import { allocateAveragelyByCircle } from '../../../../broker-engine/client/rebalance/allocate-averagely-by-circle'
import { allocateAll, clientIds, names, queues } from './rebalance-test-kit'

// Expectations worked by hand from AllocateMessageQueueAveragelyByCircle: consumer i of n takes the queues
// whose index in the sorted list is congruent to i modulo n.
describe('AVG_BY_CIRCLE (AllocateMessageQueueAveragelyByCircle)', () => {
  it.each([
    {
      queueCount: 8,
      clientCount: 3,
      shares: [
        ['b/0', 'b/3', 'b/6'],
        ['b/1', 'b/4', 'b/7'],
        ['b/2', 'b/5'],
      ],
    },
    {
      queueCount: 10,
      clientCount: 4,
      shares: [
        ['b/0', 'b/4', 'b/8'],
        ['b/1', 'b/5', 'b/9'],
        ['b/2', 'b/6'],
        ['b/3', 'b/7'],
      ],
    },
    { queueCount: 4, clientCount: 4, shares: [['b/0'], ['b/1'], ['b/2'], ['b/3']] },
    { queueCount: 3, clientCount: 5, shares: [['b/0'], ['b/1'], ['b/2'], [], []] },
    { queueCount: 5, clientCount: 1, shares: [['b/0', 'b/1', 'b/2', 'b/3', 'b/4']] },
    { queueCount: 1, clientCount: 2, shares: [['b/0'], []] },
  ])('$queueCount queues, $clientCount consumers', ({ queueCount, clientCount, shares }) => {
    const allocation = allocateAll(
      allocateAveragelyByCircle,
      queues('T', ['b'], queueCount),
      clientIds(clientCount),
    )
    expect([...allocation.values()].map(names)).toEqual(shares)
  })

  it('interleaves across brokers, so each consumer reads from both', () => {
    const mqAll = queues('TopicTest', ['broker-a', 'broker-b'], 4)
    const allocation = allocateAll(allocateAveragelyByCircle, mqAll, clientIds(3))
    expect([...allocation.values()].map(names)).toEqual([
      ['broker-a/0', 'broker-a/3', 'broker-b/2'],
      ['broker-a/1', 'broker-b/0', 'broker-b/3'],
      ['broker-a/2', 'broker-b/1'],
    ])
  })

  it('returns nothing for a consumer that is not in the list', () => {
    expect(
      allocateAveragelyByCircle.allocate('G', '10.0.0.9@x', queues('T', ['b'], 8), clientIds(3)),
    ).toEqual([])
  })
})
