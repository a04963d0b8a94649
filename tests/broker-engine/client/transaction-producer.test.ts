import { afterEach, describe, expect, it } from 'vitest'
import { EmbeddedCluster } from '../../../broker-engine/cluster/embedded-cluster'
import {
  TransactionProducer,
  type LocalTransactionState,
} from '../../../broker-engine/client/transaction-producer'
import { decodeRecord } from '../../../broker-engine/store/message-codec'
import { findProperty } from '../../../broker-engine/store/message-properties'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'
import { SMALL_STORE, tempStoreDir } from '../store/store-test-kit'

const clusters: EmbeddedCluster[] = []
afterEach(async () => {
  for (const c of clusters.splice(0)) await c.shutdown()
})

async function settle(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r))
}

async function start(dir = tempStoreDir(), clock = new ManualClock(1_800_000_000_000)) {
  const c = await EmbeddedCluster.start({
    clock,
    log: () => undefined,
    brokers: [
      {
        ...SMALL_STORE,
        storePathRootDir: dir,
        brokerName: 'broker-a',
        transactionTimeOut: 6000,
        transactionCheckInterval: 30_000,
        transactionCheckMax: 15,
      },
    ],
  })
  clusters.push(c)
  const broker = c.brokers[0]!
  broker.upsertTopic({ topicName: 'Payments', readQueueNums: 1, writeQueueNums: 1 })
  return { c, broker, clock, dir }
}

function visible(broker: EmbeddedCluster['brokers'][number]): string[] {
  const got = broker.store.getMessage({ topic: 'Payments', queueId: 0, queueOffset: 0, maxMsgNums: 100 })
  const out: string[] = []
  for (let pos = 0; pos < got.records.length; pos += got.records.readInt32BE(pos))
    out.push(decodeRecord(got.records, pos).body.toString())
  return out
}

function producer(c: EmbeddedCluster, check: () => LocalTransactionState, clientId = 'tp-1') {
  const p = new TransactionProducer(c, { group: 'tx-group', clientId, checkLocalTransaction: check })
  p.start()
  return p
}

describe('transactions', () => {
  it('a half message is invisible; commit makes it deliverable once; a second commit is refused', async () => {
    const { c, broker } = await start()
    const p = producer(c, () => 'UNKNOW')
    let seenDuringLocal: string[] = []
    const { sendResult, localState } = await p.sendMessageInTransaction(
      { topic: 'Payments', body: 'pay-1', keys: 'order-1' },
      () => {
        seenDuringLocal = visible(broker)
        return 'COMMIT_MESSAGE'
      },
    )
    expect(localState).toBe('COMMIT_MESSAGE')
    expect(seenDuringLocal).toEqual([])
    expect(visible(broker)).toEqual(['pay-1'])
    const committed = broker.store.queryMessage('Payments', 'order-1', 4, 0, Number.MAX_SAFE_INTEGER)
    expect(committed).toHaveLength(1)
    expect(committed[0]!.preparedTransactionOffset).toBe(sendResult.commitLogOffset)
    expect(committed[0]!.sysFlag & 0xc).toBe(0x8)
    expect(findProperty(committed[0]!.propertiesString, 'TRAN_MSG')).toBeUndefined()
    const again = await broker.endTransaction({
      producerGroup: 'tx-group',
      commitLogOffset: sendResult.commitLogOffset,
      tranStateTableOffset: sendResult.queueOffset,
      state: 'COMMIT',
      fromTransactionCheck: false,
    })
    expect(again.status).toBe('ILLEGAL')
    expect(visible(broker)).toEqual(['pay-1'])
    expect(broker.listPendingTransactions()).toEqual([])
  })

  it('rollback discards the message; a foreign producer group cannot end the transaction', async () => {
    const { c, broker } = await start()
    const p = producer(c, () => 'UNKNOW')
    const { sendResult } = await p.sendMessageInTransaction(
      { topic: 'Payments', body: 'pay-2' },
      () => 'UNKNOW',
    )
    expect(
      await broker.endTransaction({
        producerGroup: 'other',
        commitLogOffset: sendResult.commitLogOffset,
        tranStateTableOffset: sendResult.queueOffset,
        state: 'COMMIT',
        fromTransactionCheck: false,
      }),
    ).toMatchObject({ status: 'ILLEGAL' })
    expect(
      await broker.endTransaction({
        producerGroup: 'tx-group',
        commitLogOffset: sendResult.commitLogOffset,
        tranStateTableOffset: sendResult.queueOffset,
        state: 'ROLLBACK',
        fromTransactionCheck: false,
      }),
    ).toMatchObject({ status: 'ROLLED_BACK' })
    expect(visible(broker)).toEqual([])
    expect(broker.listPendingTransactions()).toEqual([])
  })

  it('unknown → the broker checks back after the timeout → the producer commits', async () => {
    const { c, broker, clock } = await start()
    let checks = 0
    const p = producer(c, () => {
      checks++
      return 'COMMIT_MESSAGE'
    })
    await p.sendMessageInTransaction({ topic: 'Payments', body: 'pay-3' }, () => 'UNKNOW')
    const [pending] = broker.listPendingTransactions()
    expect(pending).toMatchObject({ topic: 'Payments', producerGroup: 'tx-group', checkTimes: 0 })
    // Due after transactionTimeOut (6 s), asked at the first check round after that (every 30 s).
    expect(pending!.nextCheckAtMs - pending!.bornTimestampMs).toBe(30_000)
    clock.advance(30_000) // the first check round
    await settle(20)
    expect(checks).toBe(1)
    expect(visible(broker)).toEqual(['pay-3'])
    expect(broker.listPendingTransactions()).toEqual([])
  })

  it('a check round asks only about unresolved half messages: the committed ones after an unknown are not re-checked', async () => {
    const { c, broker, clock } = await start()
    const checked: string[] = []
    const p = new TransactionProducer(c, {
      group: 'tx-group',
      clientId: 'tp-1',
      checkLocalTransaction: (msg) => {
        checked.push(msg.body.toString())
        return 'COMMIT_MESSAGE'
      },
    })
    p.start()
    for (let i = 0; i < 40; i++) {
      await p.sendMessageInTransaction({ topic: 'Payments', body: `pay-${i}` }, () =>
        i % 10 === 0 ? 'UNKNOW' : 'COMMIT_MESSAGE',
      )
    }
    clock.advance(30_000)
    await settle(40)
    expect(checked.sort()).toEqual(['pay-0', 'pay-10', 'pay-20', 'pay-30'])
    // Every payment is visible exactly once.
    expect(visible(broker).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `pay-${i}`).sort())
    expect(broker.listPendingTransactions()).toEqual([])
    clock.advance(30_000)
    await settle(40)
    expect(visible(broker)).toHaveLength(40)
  })

  it('a producer that ends the transaction while the check round writes its copy is not asked, and nothing is committed twice', async () => {
    const { c, broker, clock } = await start()
    let checks = 0
    const p = producer(c, () => {
      checks++
      return 'COMMIT_MESSAGE'
    })
    const { sendResult } = await p.sendMessageInTransaction(
      { topic: 'Payments', body: 'pay-late' },
      () => 'UNKNOW',
    )
    // The producer's late COMMIT arrives while the check round is writing the half message's copy.
    const patched = broker as unknown as { putMessage(m: { topic: string }): Promise<unknown> }
    const original = patched.putMessage.bind(broker)
    let raced = false
    patched.putMessage = async (m) => {
      if (m.topic === 'RMQ_SYS_TRANS_HALF_TOPIC' && !raced) {
        raced = true
        const ended = await broker.endTransaction({
          producerGroup: 'tx-group',
          commitLogOffset: sendResult.commitLogOffset,
          tranStateTableOffset: sendResult.queueOffset,
          state: 'COMMIT',
          fromTransactionCheck: false,
        })
        expect(ended.status).toBe('COMMITTED')
      }
      return original(m)
    }
    clock.advance(30_000)
    await settle(40)
    expect(raced).toBe(true)
    expect(checks).toBe(0)
    expect(visible(broker)).toEqual(['pay-late'])
    expect(broker.listPendingTransactions()).toEqual([])
    clock.advance(30_000)
    await settle(40)
    expect(checks).toBe(0)
    expect(visible(broker)).toEqual(['pay-late'])
  })

  it('after an unanswered check the next check is the following round, never a time already past', async () => {
    const { c, broker, clock } = await start()
    const p = producer(c, () => 'UNKNOW')
    await p.sendMessageInTransaction({ topic: 'Payments', body: 'pay-wait' }, () => 'UNKNOW')
    const roundMs = 30_000
    const [before] = broker.listPendingTransactions()
    const firstRound = before!.nextCheckAtMs
    clock.advance(roundMs)
    await settle(20)
    const [after] = broker.listPendingTransactions()
    expect(after!.checkTimes).toBe(1)
    expect(after!.nextCheckAtMs).toBe(firstRound + roundMs)
    expect(after!.nextCheckAtMs).toBeGreaterThan(clock.nowMs())
  })

  it('after transactionCheckMax unanswered checks the half message is rolled back to TRANS_CHECK_MAX_TIME_TOPIC', async () => {
    const { c, broker, clock } = await start()
    let checks = 0
    const p = producer(c, () => {
      checks++
      return 'UNKNOW'
    })
    await p.sendMessageInTransaction({ topic: 'Payments', body: 'pay-4' }, () => 'UNKNOW')
    for (let round = 0; round < 17; round++) {
      clock.advance(30_000)
      await settle(20)
    }
    expect(checks).toBe(15)
    expect(broker.listPendingTransactions()).toEqual([])
    expect(visible(broker)).toEqual([])
    expect(broker.store.getMaxOffsetInQueue('TRANS_CHECK_MAX_TIME_TOPIC', 0)).toBe(1)
  })

  it('pending half messages and their check counts survive a restart, and can be committed after it', async () => {
    const dir = tempStoreDir()
    const clock = new ManualClock(1_800_000_000_000)
    const first = await start(dir, clock)
    const p = producer(first.c, () => 'UNKNOW')
    const { sendResult } = await p.sendMessageInTransaction(
      { topic: 'Payments', body: 'pay-5' },
      () => 'UNKNOW',
    )
    clock.advance(30_000)
    await settle(20)
    clock.advance(30_000)
    await settle(20)
    expect(first.broker.listPendingTransactions()[0]?.checkTimes).toBe(2)
    await first.c.shutdown()
    clusters.splice(clusters.indexOf(first.c), 1)

    const second = await start(dir, clock)
    const pending = second.broker.listPendingTransactions()
    expect(pending).toHaveLength(1)
    expect(pending[0]).toMatchObject({ topic: 'Payments', checkTimes: 2, producerGroup: 'tx-group' })
    expect(pending[0]!.commitLogOffset).not.toBe(sendResult.commitLogOffset) // a re-appended copy
    const byHand = await second.broker.endTransaction({
      producerGroup: 'tx-group',
      commitLogOffset: pending[0]!.commitLogOffset,
      tranStateTableOffset: pending[0]!.tranStateTableOffset,
      state: 'COMMIT',
      fromTransactionCheck: false,
    })
    expect(byHand.status).toBe('COMMITTED')
    expect(visible(second.broker)).toEqual(['pay-5'])
    expect(second.broker.listPendingTransactions()).toEqual([])
  })
})
