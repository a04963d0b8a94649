import { describe, expect, it } from 'vitest'
import { ClientRegistry } from '../../../broker-engine/broker/client-registry'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'

const consumer = (clientId: string, group = 'cg') => ({
  clientId,
  group,
  language: 'JAVA',
  version: 401,
  clientAddr: '127.0.0.1:5000',
  messageModel: 'CLUSTERING' as const,
  consumeType: 'CONSUME_PASSIVELY' as const,
  consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
  subscriptions: [{ topic: 'T', subString: '*' }],
})

describe('client registry', () => {
  it('reports membership changes when consumers join and leave, with sorted ids', () => {
    const changes: string[][] = []
    const reg = new ClientRegistry(new ManualClock(), 120_000, {
      onConsumerIdsChanged: (_, ids) => changes.push([...ids]),
    })
    reg.registerConsumer(consumer('c2'))
    reg.registerConsumer(consumer('c1'))
    reg.registerConsumer(consumer('c1')) // a heartbeat, not a change
    reg.unregisterConsumer('cg', 'c2')
    expect(changes).toEqual([['c2'], ['c1', 'c2'], ['c1']])
    expect(reg.consumerIds('cg')).toEqual(['c1'])
  })

  it('expires clients silent for 120 s, scanning every 10 s, and keeps those that heartbeat', () => {
    const clock = new ManualClock()
    const gone: string[] = []
    const reg = new ClientRegistry(clock, 120_000, {
      onConsumerIdsChanged: (_, ids) => gone.push(ids.join(',')),
    })
    reg.start()
    reg.registerConsumer(consumer('quiet'))
    reg.registerConsumer(consumer('alive'))
    reg.registerProducer({ clientId: 'p1', group: 'pg', language: 'JAVA', version: 401, clientAddr: 'x' })
    for (let t = 0; t < 12; t++) {
      clock.advance(10_000)
      reg.registerConsumer(consumer('alive'))
    }
    clock.advance(10_000)
    expect(reg.consumerIds('cg')).toEqual(['alive'])
    expect(reg.producerConnections('pg')).toEqual([])
    reg.stop()
  })

  it('rejects empty or oversized ids', () => {
    const reg = new ClientRegistry(new ManualClock(), 120_000)
    expect(() => reg.registerConsumer(consumer(''))).toThrow(/clientId/)
    expect(() => reg.registerConsumer(consumer('x'.repeat(300)))).toThrow(/clientId/)
    expect(() => reg.registerConsumer(consumer('c', ''))).toThrow(/group/)
  })
})
