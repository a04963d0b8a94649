import { describe, expect, it } from 'vitest'
import { EngineError } from '../../../../broker-engine/common/engine-error'
import {
  allocateByMachineRoom,
  CONSUME_IDCS_MAX,
  machineRoomOf,
} from '../../../../broker-engine/client/rebalance/allocate-by-machine-room'
import { sortMessageQueues } from '../../../../broker-engine/client/rebalance/message-queue'
import { allocateAll, clientIds, names, queues } from './rebalance-test-kit'

describe('machineRoomOf (Java brokerName.split("@"), exactly two parts)', () => {
  it.each([
    ['hz@broker-a', 'hz'],
    ['@broker-a', ''],
    ['hz@broker-a@', 'hz'], // Java drops trailing empty parts
    ['broker-a', undefined],
    ['hz@', undefined],
    ['hz@@', undefined],
    ['@', undefined],
    ['hz@broker@a', undefined],
  ])('%j -> %j', (brokerName, expected) => {
    expect(machineRoomOf(brokerName)).toBe(expected)
  })
})

describe('MACHINE_ROOM (AllocateMessageQueueByMachineRoom)', () => {
  // Sorted: broker-c/0..1, hz@broker-a/0..3, sh@broker-b/0..3.
  const mqAll = sortMessageQueues([
    ...queues('TopicTest', ['hz@broker-a', 'sh@broker-b'], 4),
    ...queues('TopicTest', ['broker-c'], 2),
  ])

  it('shares only the queues of its rooms: blocks of floor(q/n), then the remainder one each', () => {
    // 4 hz queues, 3 consumers: blocks of 1 (hz 0, 1, 2), remainder 1 -> consumer 0 also takes hz 3.
    const allocation = allocateAll(allocateByMachineRoom(['hz']), mqAll, clientIds(3))
    expect([...allocation.values()].map(names)).toEqual([
      ['hz@broker-a/0', 'hz@broker-a/3'],
      ['hz@broker-a/1'],
      ['hz@broker-a/2'],
    ])
  })

  it('spans several rooms in sorted queue order', () => {
    // 8 queues, 3 consumers: blocks of 2, remainder 2 (sh 2 and sh 3) to consumers 0 and 1.
    const allocation = allocateAll(allocateByMachineRoom(new Set(['hz', 'sh'])), mqAll, clientIds(3))
    expect([...allocation.values()].map(names)).toEqual([
      ['hz@broker-a/0', 'hz@broker-a/1', 'sh@broker-b/2'],
      ['hz@broker-a/2', 'hz@broker-a/3', 'sh@broker-b/3'],
      ['sh@broker-b/0', 'sh@broker-b/1'],
    ])
  })

  it('leaves consumers beyond the room’s queues empty, and takes nothing from other rooms', () => {
    const twoQueues = queues('TopicTest', ['hz@broker-a'], 2)
    expect(
      [...allocateAll(allocateByMachineRoom(['hz']), twoQueues, clientIds(3)).values()].map(names),
    ).toEqual([['hz@broker-a/0'], ['hz@broker-a/1'], []])
    expect(allocateByMachineRoom(['bj']).allocate('G', clientIds(1)[0]!, mqAll, clientIds(1))).toEqual([])
  })

  it('rejects an empty, malformed or oversized IDC set', () => {
    expect(() => allocateByMachineRoom([])).toThrow('consumeIdcs must name at least one IDC')
    expect(() => allocateByMachineRoom([42 as unknown as string])).toThrow(EngineError)
    expect(() => allocateByMachineRoom(['x'.repeat(256)])).toThrow('each IDC must be at most 255 chars')
    const many = Array.from({ length: CONSUME_IDCS_MAX + 1 }, (_, i) => `idc${i}`)
    expect(() => allocateByMachineRoom(many)).toThrow(`at most ${CONSUME_IDCS_MAX} IDCs`)
    expect(allocateByMachineRoom(many.slice(1)).name).toBe('MACHINE_ROOM')
  })
})
