import { describe, expect, it } from 'vitest'
import { EngineError } from '../../../../broker-engine/common/engine-error'
import { allocateByConfig } from '../../../../broker-engine/client/rebalance/allocate-by-config'
import type { MessageQueue } from '../../../../broker-engine/client/rebalance/message-queue'
import { clientIds, queues } from './rebalance-test-kit'

describe('CONFIG (AllocateMessageQueueByConfig)', () => {
  const mqAll = queues('TopicTest', ['broker-a'], 4)
  const cidAll = clientIds(2)

  it('returns the configured queues in their configured order, for any member', () => {
    const configured = [mqAll[3]!, mqAll[0]!]
    const strategy = allocateByConfig(configured)
    expect(strategy.allocate('G', cidAll[0]!, mqAll, cidAll)).toEqual(configured)
    expect(strategy.allocate('G', cidAll[1]!, mqAll, cidAll)).toEqual(configured)
  })

  it('returns queues outside mqAll as configured, as RocketMQ does', () => {
    const elsewhere = { topic: 'OtherTopic', brokerName: 'broker-z', queueId: 7 }
    expect(allocateByConfig([elsewhere]).allocate('G', cidAll[0]!, mqAll, cidAll)).toEqual([elsewhere])
  })

  it('copies the list, so neither the caller nor a result can change the configuration', () => {
    const configured: MessageQueue[] = [{ topic: 'TopicTest', brokerName: 'broker-a', queueId: 1 }]
    const strategy = allocateByConfig(configured)
    configured.push({ topic: 'TopicTest', brokerName: 'broker-a', queueId: 2 })
    const first = strategy.allocate('G', cidAll[0]!, mqAll, cidAll)
    first.pop()
    expect(strategy.allocate('G', cidAll[0]!, mqAll, cidAll)).toEqual([
      { topic: 'TopicTest', brokerName: 'broker-a', queueId: 1 },
    ])
  })

  it('may be configured with no queues', () => {
    expect(allocateByConfig([]).allocate('G', cidAll[0]!, mqAll, cidAll)).toEqual([])
  })

  it('rejects malformed and duplicate configured queues', () => {
    expect(() => allocateByConfig([{ topic: 'T', brokerName: '', queueId: 0 }])).toThrow(
      'CONFIG: messageQueueList[0].brokerName',
    )
    expect(() => allocateByConfig([mqAll[1]!, { ...mqAll[1]! }])).toThrow(
      'CONFIG: duplicate queue TopicTest@broker-a@1',
    )
    expect(() => allocateByConfig(null as unknown as MessageQueue[])).toThrow(EngineError)
    expect(() => allocateByConfig(queues('T', ['a', 'b'], 32_769))).toThrow('at most 65536 queues')
  })
})
