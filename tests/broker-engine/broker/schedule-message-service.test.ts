import { describe, expect, it } from 'vitest'
import { parkDelayedMessage } from '../../../broker-engine/broker/message-rewrite'
import {
  ScheduleMessageService,
  type DelayOffsetTable,
} from '../../../broker-engine/broker/schedule-message-service'
import { SCHEDULE_TOPIC } from '../../../broker-engine/store/message-constants'
import type { MessageStore } from '../../../broker-engine/store/message-store'
import { parseDelayLevels } from '../../../broker-engine/store/store-config'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'
import { closeStore, expectOk, message, openStore, tempStoreDir } from '../store/store-test-kit'

const LEVELS = parseDelayLevels('1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h')!

/** Lets pending puts commit (they resolve at the end of an event-loop turn). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r))
}

class MemoryOffsets implements DelayOffsetTable {
  saved = new Map<number, number>()
  load() {
    return this.saved
  }
  save(offsets: ReadonlyMap<number, number>) {
    this.saved = new Map(offsets)
  }
}

function wire(store: MessageStore, clock: ManualClock, table: DelayOffsetTable) {
  const service = new ScheduleMessageService(
    store,
    clock,
    LEVELS,
    table,
    (m) => store.putMessage(m),
    () => undefined,
  )
  store.setDispatchListener((topic, queueId) => {
    if (topic === SCHEDULE_TOPIC) service.notifyArrived(queueId)
  })
  service.start()
  return service
}

function bodies(store: MessageStore, topic: string): string[] {
  const got = store.getMessage({ topic, queueId: 0, queueOffset: 0, maxMsgNums: 100 })
  const out: string[] = []
  for (let pos = 0; pos < got.records.length; pos += got.records.readInt32BE(pos)) {
    const len = got.records.readInt32BE(pos + 84)
    out.push(got.records.toString('utf8', pos + 88, pos + 88 + len))
  }
  return out
}

describe('delay levels', () => {
  it('delivers each message no earlier than its level says, in order per level', async () => {
    const clock = new ManualClock(1_800_000_000_000)
    const store = await openStore(tempStoreDir(), {}, { clock })
    wire(store, clock, new MemoryOffsets())
    const put = async (body: string, level: number) =>
      expectOk(
        await store.putMessage(
          parkDelayedMessage(message('Later', 0, body, { extra: { DELAY: String(level) } }), 18),
        ),
      )
    await put('a-5s', 2)
    await put('b-1s', 1)
    await put('c-5s', 2)
    await put('d-10s', 3)
    clock.advance(999)
    await settle()
    expect(bodies(store, 'Later')).toEqual([])
    clock.advance(1)
    await settle()
    expect(bodies(store, 'Later')).toEqual(['b-1s'])
    clock.advance(3999)
    await settle()
    expect(bodies(store, 'Later')).toEqual(['b-1s'])
    clock.advance(1)
    await settle()
    expect(bodies(store, 'Later')).toEqual(['b-1s', 'a-5s', 'c-5s'])
    clock.advance(5000)
    await settle()
    expect(bodies(store, 'Later')).toEqual(['b-1s', 'a-5s', 'c-5s', 'd-10s'])
  })

  it('resumes after a restart from the persisted progress, without delivering twice', async () => {
    const dir = tempStoreDir()
    const clock = new ManualClock(1_800_000_000_000)
    const table = new MemoryOffsets()
    let store = await openStore(dir, {}, { clock })
    let service = wire(store, clock, table)
    for (let i = 0; i < 3; i++)
      expectOk(
        await store.putMessage(
          parkDelayedMessage(message('Resume', 0, `m${i}`, { extra: { DELAY: '1' } }), 18),
        ),
      )
    clock.advance(1000)
    await settle()
    expect(bodies(store, 'Resume')).toEqual(['m0', 'm1', 'm2'])
    for (let i = 3; i < 5; i++)
      expectOk(
        await store.putMessage(
          parkDelayedMessage(message('Resume', 0, `m${i}`, { extra: { DELAY: '4' } }), 18),
        ),
      )
    service.stop()
    expect(table.saved.get(1)).toBe(3)
    await closeStore(store)

    store = await openStore(dir, {}, { clock })
    service = wire(store, clock, table)
    clock.advance(1000) // first pass after start: level 1 has nothing new
    await settle()
    expect(bodies(store, 'Resume')).toEqual(['m0', 'm1', 'm2'])
    clock.advance(30_000)
    await settle()
    expect(bodies(store, 'Resume')).toEqual(['m0', 'm1', 'm2', 'm3', 'm4'])
    expect(service.stats()[3]).toMatchObject({ level: 4, delayMs: 30_000, pending: 0 })
  })

  it('keeps the message when its redelivery fails and retries it', async () => {
    const clock = new ManualClock(1_800_000_000_000)
    const store = await openStore(tempStoreDir(), {}, { clock })
    let failures = 1
    const service = new ScheduleMessageService(
      store,
      clock,
      LEVELS,
      new MemoryOffsets(),
      (m) =>
        failures-- > 0
          ? Promise.resolve({ status: 'SERVICE_NOT_AVAILABLE', reason: 'test' })
          : store.putMessage(m),
      () => undefined,
    )
    store.setDispatchListener((topic, queueId) => topic === SCHEDULE_TOPIC && service.notifyArrived(queueId))
    service.start()
    expectOk(
      await store.putMessage(parkDelayedMessage(message('Retry', 0, 'once', { extra: { DELAY: '1' } }), 18)),
    )
    clock.advance(1000)
    await settle()
    expect(bodies(store, 'Retry')).toEqual([])
    clock.advance(1000)
    await settle()
    expect(bodies(store, 'Retry')).toEqual(['once'])
    expect(service.deliveredCount).toBe(1)
  })
})
