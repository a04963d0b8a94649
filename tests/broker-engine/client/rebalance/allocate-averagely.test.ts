import { describe, expect, it } from 'vitest'
import { allocateAveragely } from '../../../../broker-engine/client/rebalance/allocate-averagely'
import { allocateAll, clientIds, names, queues } from './rebalance-test-kit'

// Expectations worked by hand from AllocateMessageQueueAveragely: with q queues and n consumers, mod = q % n;
// consumer i < mod takes floor(q/n) + 1 queues from i * (floor(q/n) + 1), the others floor(q/n) from
// i * floor(q/n) + mod; with q <= n, consumer i < q takes queue i alone.
describe('AVG (AllocateMessageQueueAveragely)', () => {
  it.each([
    {
      queueCount: 8,
      clientCount: 3,
      shares: [
        ['b/0', 'b/1', 'b/2'],
        ['b/3', 'b/4', 'b/5'],
        ['b/6', 'b/7'],
      ],
    },
    {
      queueCount: 10,
      clientCount: 4, // RocketMQ's own test: sizes 3, 3, 2, 2
      shares: [
        ['b/0', 'b/1', 'b/2'],
        ['b/3', 'b/4', 'b/5'],
        ['b/6', 'b/7'],
        ['b/8', 'b/9'],
      ],
    },
    {
      queueCount: 9,
      clientCount: 3,
      shares: [
        ['b/0', 'b/1', 'b/2'],
        ['b/3', 'b/4', 'b/5'],
        ['b/6', 'b/7', 'b/8'],
      ],
    },
    { queueCount: 4, clientCount: 4, shares: [['b/0'], ['b/1'], ['b/2'], ['b/3']] },
    { queueCount: 3, clientCount: 5, shares: [['b/0'], ['b/1'], ['b/2'], [], []] },
    { queueCount: 1, clientCount: 3, shares: [['b/0'], [], []] },
    { queueCount: 5, clientCount: 1, shares: [['b/0', 'b/1', 'b/2', 'b/3', 'b/4']] },
    { queueCount: 1, clientCount: 1, shares: [['b/0']] },
    {
      queueCount: 7,
      clientCount: 2,
      shares: [
        ['b/0', 'b/1', 'b/2', 'b/3'],
        ['b/4', 'b/5', 'b/6'],
      ],
    },
  ])('$queueCount queues, $clientCount consumers', ({ queueCount, clientCount, shares }) => {
    const allocation = allocateAll(allocateAveragely, queues('T', ['b'], queueCount), clientIds(clientCount))
    expect([...allocation.values()].map(names)).toEqual(shares)
  })

  it('takes blocks across brokers in sorted queue order', () => {
    const mqAll = queues('TopicTest', ['broker-a', 'broker-b'], 4)
    const allocation = allocateAll(allocateAveragely, mqAll, clientIds(3))
    expect([...allocation.values()].map(names)).toEqual([
      ['broker-a/0', 'broker-a/1', 'broker-a/2'],
      ['broker-a/3', 'broker-b/0', 'broker-b/1'],
      ['broker-b/2', 'broker-b/3'],
    ])
  })

  it('gives each member its block by its place in cidAll, not by its id', () => {
    const mqAll = queues('T', ['b'], 6)
    const cidAll = ['10.0.0.1@a', '10.0.0.2@a']
    expect(names(allocateAveragely.allocate('G', '10.0.0.2@a', mqAll, cidAll))).toEqual(['b/3', 'b/4', 'b/5'])
    // When 10.0.0.1 leaves, 10.0.0.2 is first and takes everything: AVG reshuffles on every change.
    expect(names(allocateAveragely.allocate('G', '10.0.0.2@a', mqAll, ['10.0.0.2@a']))).toHaveLength(6)
  })

  it('returns nothing for a consumer that is not in the list', () => {
    expect(allocateAveragely.allocate('G', '10.0.0.9@x', queues('T', ['b'], 8), clientIds(3))).toEqual([])
  })
})
