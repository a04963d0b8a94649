import { describe, expect, it } from 'vitest'
import { decodeOffsetMsgId } from '../../../../broker-engine/store/message-id'
import { findProperty } from '../../../../broker-engine/store/message-properties'
import { REQUEST_CODE, RESPONSE_CODE } from '../../../../broker-engine/remoting/remoting-codes'
import {
  brokerRequests,
  decodeRecords,
  disconnectProducer,
  ext,
  fixtureRequest,
  pullRequest,
  request,
  startHarness,
  within,
} from './broker-test-kit'

describe('transactions over remoting', () => {
  it('a half message is invisible until END_TRANSACTION commits it; rollback drops another', async () => {
    const h = await startHarness()
    const half = await h.invoke(fixtureRequest('196-java-tx-driver-SEND_MESSAGE_V2-half'))
    expect(half.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(ext(half)).toMatchObject({
      queueId: '2',
      queueOffset: '0',
      transactionId: 'C000020244965FFD2B278B73601B0000',
      MSG_REGION: 'DefaultRegion',
    })
    expect(h.broker.store.getMaxOffsetInQueue('FixtureTxTopic', 2)).toBe(0)
    const halfOffset = decodeOffsetMsgId(ext(half).msgId!)!.commitLogOffset

    // Java sends END_TRANSACTION oneway; a held pull on the real queue sees the commit land.
    const pulled = h.invoke(pullRequest('tx_cg', 'FixtureTxTopic', 2, 0))
    await h.invoke(request(REQUEST_CODE.GET_MAX_OFFSET, { topic: 'FixtureTxTopic', queueId: '2' }))
    ;(await h.connection()).invokeOneway(
      fixtureRequest('197-java-tx-driver-END_TRANSACTION-commit', {
        ext: { commitLogOffset: String(halfOffset), tranStateTableOffset: ext(half).queueOffset },
      }),
    )
    const res = await pulled
    expect(res.code).toBe(RESPONSE_CODE.SUCCESS)
    const [committed] = decodeRecords(res.body)
    expect(findProperty(committed!.propertiesString, 'KEYS')).toBe('tx-commit')
    expect(committed!.sysFlag & 0xc).toBe(0x8)
    expect(committed!.preparedTransactionOffset).toBe(halfOffset)
    expect(findProperty(committed!.propertiesString, 'TRAN_MSG')).toBeUndefined()

    // A second half, rolled back two-way: answered SUCCESS and never delivered.
    const second = await h.invoke(
      fixtureRequest('196-java-tx-driver-SEND_MESSAGE_V2-half', {
        ext: {
          i: 'KEYS\u0001tx-rollback\u0002TRAN_MSG\u0001true\u0002PGROUP\u0001capture_tx_pg\u0002TAGS\u0001TagA',
        },
      }),
    )
    const rollback = await h.invoke(
      fixtureRequest('198-java-tx-driver-END_TRANSACTION-rollback', {
        ext: {
          commitLogOffset: String(decodeOffsetMsgId(ext(second).msgId!)!.commitLogOffset),
          tranStateTableOffset: ext(second).queueOffset,
        },
      }),
    )
    expect(rollback.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(h.broker.listPendingTransactions()).toEqual([])
    expect(h.broker.store.getMaxOffsetInQueue('FixtureTxTopic', 2)).toBe(1)

    // Ending it again, or pointing at no half message, is refused with a remark.
    const twice = await h.invoke(
      fixtureRequest('198-java-tx-driver-END_TRANSACTION-rollback', {
        ext: {
          commitLogOffset: String(decodeOffsetMsgId(ext(second).msgId!)!.commitLogOffset),
          tranStateTableOffset: ext(second).queueOffset,
        },
      }),
    )
    expect(twice.code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
    expect(twice.remark).toContain('already')
    const badState = await h.invoke(
      fixtureRequest('198-java-tx-driver-END_TRANSACTION-rollback', { ext: { commitOrRollback: '5' } }),
    )
    expect(badState.code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
    expect(badState.remark).toContain('commitOrRollback')
  })

  it('checks an unresolved half message with its producer, which commits it with fromTransactionCheck', async () => {
    const h = await startHarness()
    const inbox = brokerRequests()
    const producer = h.client(inbox.handler)
    expect((await h.invoke(fixtureRequest('173-java-transaction-example-HEART_BEAT'), producer)).code).toBe(
      RESPONSE_CODE.SUCCESS,
    )
    const half = await h.invoke(
      fixtureRequest('171-java-transaction-example-SEND_MESSAGE_V2-half', {
        ext: { g: String(h.clock.nowMs()) },
      }),
      producer,
    )
    expect(half.code).toBe(RESPONSE_CODE.SUCCESS)
    const halfOffset = decodeOffsetMsgId(ext(half).msgId!)!.commitLogOffset
    // The local transaction's state is unknown (capture 172): nothing happens yet.
    const unknown = await h.invoke(
      fixtureRequest('172-java-transaction-example-END_TRANSACTION-unknown', {
        ext: { commitLogOffset: String(halfOffset), tranStateTableOffset: ext(half).queueOffset },
      }),
      producer,
    )
    expect(unknown.code).toBe(RESPONSE_CODE.SUCCESS)
    expect(h.broker.listPendingTransactions()).toHaveLength(1)

    h.clock.advance(7000)
    await h.broker.checkTransactionsNow()
    const check = await within(inbox.next(REQUEST_CODE.CHECK_TRANSACTION_STATE), 'CHECK_TRANSACTION_STATE')
    expect(check.flag & 2).toBe(2)
    const uniqKey = 'C000020241D05FFD2B278B72E8090000'
    expect(check.extFields).toMatchObject({
      topic: 'TopicTest1234',
      msgId: uniqKey,
      transactionId: uniqKey,
      bname: 'broker-a',
    })
    const checkOffset = Number(check.extFields!.commitLogOffset)
    expect(checkOffset).toBeGreaterThan(halfOffset)
    expect(check.extFields!.offsetMsgId).toBe(h.broker.store.offsetMsgIdOf(checkOffset))
    const [message] = decodeRecords(check.body)
    expect(message!.topic).toBe('TopicTest1234')
    expect(message!.queueId).toBe(2)
    expect(message!.commitLogOffset).toBe(checkOffset)
    expect(findProperty(message!.propertiesString, 'PGROUP')).toBe('please_rename_unique_group_name')
    expect(findProperty(message!.propertiesString, 'TRANSACTION_CHECK_TIMES')).toBe('1')

    const pulled = h.invoke(pullRequest('tx_cg', 'TopicTest1234', 2, 0))
    await h.invoke(request(REQUEST_CODE.GET_MAX_OFFSET, { topic: 'TopicTest1234', queueId: '2' }))
    ;(await h.connection(producer)).invokeOneway(
      fixtureRequest('187-java-transaction-example-END_TRANSACTION-commit-fromCheck', {
        ext: {
          commitLogOffset: check.extFields!.commitLogOffset,
          tranStateTableOffset: check.extFields!.tranStateTableOffset,
          msgId: uniqKey,
          transactionId: uniqKey,
        },
      }),
    )
    const res = await pulled
    expect(res.code).toBe(RESPONSE_CODE.SUCCESS)
    const [committed] = decodeRecords(res.body)
    expect(findProperty(committed!.propertiesString, 'KEYS')).toBe('KEY0')
    expect(h.broker.listPendingTransactions()).toEqual([])
  })

  it('stops asking a producer whose connection closed', async () => {
    const h = await startHarness()
    const inbox = brokerRequests()
    const producer = h.client(inbox.handler)
    await h.invoke(fixtureRequest('173-java-transaction-example-HEART_BEAT'), producer)
    await h.invoke(
      fixtureRequest('171-java-transaction-example-SEND_MESSAGE_V2-half', {
        ext: { g: String(h.clock.nowMs()) },
      }),
      producer,
    )
    await disconnectProducer(h, producer, 'please_rename_unique_group_name')
    h.clock.advance(7000)
    await h.broker.checkTransactionsNow()
    expect(inbox.received).toEqual([])
    // Its checker was unregistered with the connection: nothing even tried the closed connection.
    expect(h.logs.filter((l) => l.includes("the producer's connection is closed"))).toEqual([])
    expect(h.broker.listPendingTransactions()).toHaveLength(1)
  })
})
