// A pulled message as consumers see it. It is a view over the pull's records buffer: the fixed-position fields
// are read when asked for and the strings (topic, properties) are decoded only on first use, because a consumer
// that keeps up handles tens of thousands of these a second and most listeners read the body and little else.

import { PROPERTY_RETRY_TOPIC } from '../broker/consumer-send-back'
import { readInt64BE } from '../store/message-codec'
import { MESSAGE_MAGIC_CODE_V2, SYSFLAG_BORNHOST_V6, SYSFLAG_STOREHOST_V6 } from '../store/message-constants'
import { findProperty, parseProperties } from '../store/message-properties'
import type { MessageQueue } from './rebalance/message-queue'

export interface ConsumedMessage {
  /** The topic the producer sent to (restored from RETRY_TOPIC for retried messages). */
  readonly topic: string
  readonly brokerName: string
  readonly queueId: number
  readonly queueOffset: number
  readonly commitLogOffset: number
  /** The producer's id (UNIQ_KEY). */
  readonly msgId: string
  readonly body: Buffer
  readonly tags: string | undefined
  readonly keys: string | undefined
  readonly properties: ReadonlyMap<string, string>
  readonly reconsumeTimes: number
  readonly bornTimestampMs: number
  readonly storeTimestampMs: number
}

/** One record of a pull's body (a well-formed record: the broker read it from its own CommitLog). */
export class ReceivedMessage implements ConsumedMessage {
  readonly queueOffset: number
  readonly body: Buffer
  /** Position of the store timestamp, which follows the born host (4 or 16 address bytes + port). */
  private readonly storeTsAt: number
  /** Position just after the body: topic length, topic, properties length, properties. */
  private readonly afterBody: number
  private propertiesText: string | undefined
  private parsed: ReadonlyMap<string, string> | undefined

  constructor(
    private readonly records: Buffer,
    private readonly pos: number,
    private readonly mq: MessageQueue,
  ) {
    const sysFlag = records.readInt32BE(pos + 36)
    this.storeTsAt = pos + 48 + (sysFlag & SYSFLAG_BORNHOST_V6 ? 20 : 8)
    const reconsumeAt = this.storeTsAt + 8 + (sysFlag & SYSFLAG_STOREHOST_V6 ? 20 : 8)
    const bodyLength = records.readInt32BE(reconsumeAt + 12)
    const bodyAt = reconsumeAt + 16
    this.body = records.subarray(bodyAt, bodyAt + bodyLength)
    this.afterBody = bodyAt + bodyLength
    this.queueOffset = readInt64BE(records, pos + 20)
  }

  get brokerName(): string {
    return this.mq.brokerName
  }
  get queueId(): number {
    return this.records.readInt32BE(this.pos + 12)
  }
  get commitLogOffset(): number {
    return readInt64BE(this.records, this.pos + 28)
  }
  get bornTimestampMs(): number {
    return readInt64BE(this.records, this.pos + 40)
  }
  get storeTimestampMs(): number {
    return readInt64BE(this.records, this.storeTsAt)
  }
  get reconsumeTimes(): number {
    return this.records.readInt32BE(this.body.byteOffset - this.records.byteOffset - 16)
  }
  get topic(): string {
    return findProperty(this.propertiesString, PROPERTY_RETRY_TOPIC) ?? this.storedTopic
  }
  get msgId(): string {
    return findProperty(this.propertiesString, 'UNIQ_KEY') ?? ''
  }
  get tags(): string | undefined {
    return findProperty(this.propertiesString, 'TAGS')
  }
  get keys(): string | undefined {
    return findProperty(this.propertiesString, 'KEYS')
  }
  get properties(): ReadonlyMap<string, string> {
    this.parsed ??= parseProperties(this.propertiesString)
    return this.parsed
  }

  /** The topic the record is stored under (a retry topic for a retried message). */
  private get storedTopic(): string {
    const { at, length } = this.topicSpan()
    return this.records.toString('utf8', at, at + length)
  }

  private get propertiesString(): string {
    if (this.propertiesText === undefined) {
      const { at, length } = this.topicSpan()
      const propsLength = this.records.readInt16BE(at + length)
      this.propertiesText =
        propsLength > 0 ? this.records.toString('utf8', at + length + 2, at + length + 2 + propsLength) : ''
    }
    return this.propertiesText
  }

  private topicSpan(): { at: number; length: number } {
    const v2 = this.records.readInt32BE(this.pos + 4) === MESSAGE_MAGIC_CODE_V2
    return v2
      ? { at: this.afterBody + 2, length: this.records.readInt16BE(this.afterBody) }
      : { at: this.afterBody + 1, length: this.records[this.afterBody] ?? 0 }
  }
}

/** The same message as a plain object with another reconsume count (orderly consumers retry in place). */
export function withReconsumeTimes(m: ConsumedMessage, reconsumeTimes: number): ConsumedMessage {
  return {
    topic: m.topic,
    brokerName: m.brokerName,
    queueId: m.queueId,
    queueOffset: m.queueOffset,
    commitLogOffset: m.commitLogOffset,
    msgId: m.msgId,
    body: m.body,
    tags: m.tags,
    keys: m.keys,
    properties: m.properties,
    reconsumeTimes,
    bornTimestampMs: m.bornTimestampMs,
    storeTimestampMs: m.storeTimestampMs,
  }
}
