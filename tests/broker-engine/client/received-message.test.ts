import { describe, expect, it } from 'vitest'
import { ReceivedMessage } from '../../../broker-engine/client/received-message'
import { decodeRecord } from '../../../broker-engine/store/message-codec'
import { ManualClock } from '../../../broker-engine/testing/manual-clock'
import { expectOk, message, openStore, tempStoreDir } from '../store/store-test-kit'

const mq = { topic: 'unused', brokerName: 'broker-r', queueId: 0 }

describe('ReceivedMessage reads a pulled record in place', () => {
  const clock = new ManualClock(1_700_000_000_000)

  it('gives the same fields as a full decode for V1 and V2 records, IPv4 and IPv6 born hosts', async () => {
    const store = await openStore(tempStoreDir(), {}, { clock })
    const longTopic = 'T'.repeat(200) // over 127 bytes: a V2 record with a 2-byte topic length
    const cases = [
      { topic: 'ShortTopic', born: { address: Uint8Array.of(10, 1, 2, 3), port: 4321 } },
      { topic: longTopic, born: { address: new Uint8Array(16).fill(0xfe), port: 65000 } },
    ]
    for (const [i, c] of cases.entries()) {
      const m = message(c.topic, 0, Buffer.from(`body-${i}-ü`), {
        tags: 'TagX',
        keys: 'k1 k2',
        extra: { color: 'grün' },
      })
      const put = expectOk(
        await store.putMessage({ ...m, bornHost: c.born, bornTimestampMs: 1234 + i, reconsumeTimes: 3 + i }),
      )
      const record = store.readRecord(put.commitLogOffset)!
      // Embedded at an offset inside a larger buffer, as in a pull body.
      const records = Buffer.concat([Buffer.alloc(13, 7), record])
      const got = new ReceivedMessage(records, 13, { ...mq, topic: c.topic })
      const full = decodeRecord(record, 0)
      expect(got.topic).toBe(c.topic)
      expect(got.brokerName).toBe('broker-r')
      expect(got.queueId).toBe(full.queueId)
      expect(got.queueOffset).toBe(full.queueOffset)
      expect(got.commitLogOffset).toBe(put.commitLogOffset)
      expect(got.body.toString()).toBe(`body-${i}-ü`)
      expect(got.reconsumeTimes).toBe(3 + i)
      expect(got.bornTimestampMs).toBe(1234 + i)
      expect(got.storeTimestampMs).toBe(clock.nowMs())
      expect(got.msgId).toBe(put.uniqKey)
      expect(got.tags).toBe('TagX')
      expect(got.keys).toBe('k1 k2')
      expect(got.properties.get('color')).toBe('grün')
    }
  })

  it('reports the original topic of a retried message', async () => {
    const store = await openStore(tempStoreDir(), {}, { clock })
    const put = expectOk(
      await store.putMessage(message('%RETRY%cg', 0, 'again', { extra: { RETRY_TOPIC: 'Orders' } })),
    )
    const got = new ReceivedMessage(store.readRecord(put.commitLogOffset)!, 0, mq)
    expect(got.topic).toBe('Orders')
    expect(got.properties.get('RETRY_TOPIC')).toBe('Orders')
  })
})
