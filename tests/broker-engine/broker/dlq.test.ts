import { afterEach, describe, expect, it } from 'vitest'
import { EmbeddedCluster } from '../../../broker-engine/cluster/embedded-cluster'
import { Producer } from '../../../broker-engine/client/producer'
import { findProperty } from '../../../broker-engine/store/message-properties'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'
import { SMALL_STORE, tempStoreDir } from '../store/store-test-kit'

const clusters: EmbeddedCluster[] = []
afterEach(async () => {
  for (const c of clusters.splice(0)) await c.shutdown()
})

describe('DLQ browse and resend', () => {
  it('lists dead messages with their origin and resends one to its topic as a new, traceable message', async () => {
    const c = await EmbeddedCluster.start({
      clock: new ManualClock(),
      log: () => undefined,
      brokers: [{ ...SMALL_STORE, storePathRootDir: tempStoreDir(), brokerName: 'broker-a' }],
    })
    clusters.push(c)
    const broker = c.brokers[0]!
    broker.upsertTopic({ topicName: 'Orders', readQueueNums: 2, writeQueueNums: 2 })
    const producer = new Producer(c, { group: 'pg' })
    const sent = await producer.send({
      topic: 'Orders',
      body: 'poison',
      keys: 'o-13',
      tags: 'bad',
      properties: { tenant: 'acme' },
    })
    const dead = await broker.consumerSendMsgBack({
      group: 'cg',
      commitLogOffset: sent.commitLogOffset,
      delayLevel: -1,
    })
    expect(dead.status).toBe('DLQ')

    const [listed, ...rest] = broker.listDlq('cg')
    expect(rest).toEqual([])
    expect(listed).toMatchObject({ originTopic: 'Orders', queueOffset: 0 })
    expect(listed!.message.body.toString()).toBe('poison')
    expect(() => broker.listDlq('cg', 0, 0)).toThrow(/limit/)

    const resent = await broker.resendDlqMessage(listed!.message.commitLogOffset)
    if (resent.status !== 'RESENT' || resent.put.status !== 'PUT_OK')
      throw new Error(`resend: ${resent.status}`)
    expect(resent.topic).toBe('Orders')
    const copy = broker.store.lookMessageByOffset(resent.put.commitLogOffset)!
    expect(copy.topic).toBe('Orders')
    expect(copy.reconsumeTimes).toBe(0)
    const p = copy.propertiesString
    expect([findProperty(p, 'KEYS'), findProperty(p, 'TAGS'), findProperty(p, 'tenant')]).toEqual([
      'o-13',
      'bad',
      'acme',
    ])
    expect(findProperty(p, 'RESENT_FROM_DLQ_MSG_ID')).toBe(listed!.offsetMsgId)
    expect(findProperty(p, 'RETRY_TOPIC')).toBeUndefined()
    expect(findProperty(p, 'UNIQ_KEY')).not.toBe(sent.msgId)
    expect(broker.listDlq('cg')).toHaveLength(1) // the DLQ copy stays

    expect((await broker.resendDlqMessage(sent.commitLogOffset)).status).toBe('NOT_A_DLQ_MESSAGE')
    expect((await broker.resendDlqMessage(sent.commitLogOffset + 1)).status).toBe('NOT_FOUND')
  })
})
