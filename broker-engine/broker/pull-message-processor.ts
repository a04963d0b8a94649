// Serving a pull (RocketMQ's PullMessageProcessor, engine side): read a queue from an offset with the broker-side
// tag filter (hash in the ConsumeQueue, then the tag string on the record), map the store's answer to the
// client's pull status, and hold the pull (long polling) when there is nothing new yet.

import type { Clock } from '../common/clock'
import type { MessageStore } from '../store/message-store'
import { decodeRecord } from '../store/message-codec'
import { findProperty } from '../store/message-properties'
import { PROPERTY_TAGS } from '../store/message-constants'
import type { GetMessageResult } from '../store/store-types'
import type { PullHoldService } from './pull-hold-service'
import { matchesTag, type TagSubscription } from './subscription-filter'

/** The client's PullStatus. */
export type PullStatus = 'FOUND' | 'NO_NEW_MSG' | 'NO_MATCHED_MSG' | 'OFFSET_ILLEGAL'

export interface PullMessageRequest {
  readonly topic: string
  readonly queueId: number
  readonly queueOffset: number
  readonly maxMsgNums: number
  readonly subscription: TagSubscription
  /** How long to hold the pull when nothing is there yet; 0 answers at once (short polling). */
  readonly suspendTimeoutMs: number
  readonly maxTotalBytes?: number
}

export interface PullMessageResult {
  readonly status: PullStatus
  readonly nextBeginOffset: number
  readonly minOffset: number
  readonly maxOffset: number
  readonly messageCount: number
  /** Matching records back to back (a PULL_MESSAGE response body). */
  readonly records: Buffer
}

export const PULL_MSG_NUMS_MAX = 1024

export class PullMessageProcessor {
  constructor(
    private readonly store: MessageStore,
    private readonly hold: PullHoldService,
    private readonly clock: Clock,
  ) {}

  /** Answers now if there is something to say, else holds the pull until a message arrives or time runs out. */
  pull(req: PullMessageRequest): Promise<PullMessageResult> {
    const first = this.pullNow(req)
    if (first.status !== 'NO_NEW_MSG' || req.suspendTimeoutMs <= 0) return Promise.resolve(first)
    const deadlineMs = this.clock.nowMs() + req.suspendTimeoutMs
    return new Promise((resolve) => this.waitAndRetry(req, deadlineMs, first, resolve))
  }

  /** One read, no holding. */
  pullNow(req: PullMessageRequest): PullMessageResult {
    const codes = req.subscription.tagsCodes
    const got = this.store.getMessage({
      topic: req.topic,
      queueId: req.queueId,
      queueOffset: req.queueOffset,
      maxMsgNums: Math.max(1, Math.min(req.maxMsgNums, PULL_MSG_NUMS_MAX)),
      maxTotalBytes: req.maxTotalBytes,
      tagsCodeFilter: codes ? (code) => codes.has(code) : undefined,
    })
    const base = { nextBeginOffset: got.nextBeginOffset, minOffset: got.minOffset, maxOffset: got.maxOffset }
    switch (got.status) {
      case 'FOUND': {
        const records = req.subscription.tags ? keepMatchingTags(got, req.subscription) : got.records
        const messageCount = records === got.records ? got.messageCount : countRecords(records)
        if (messageCount === 0) return { status: 'NO_MATCHED_MSG', ...base, messageCount: 0, records: EMPTY }
        return { status: 'FOUND', ...base, messageCount, records }
      }
      case 'NO_MATCHED_MESSAGE':
      case 'MESSAGE_WAS_REMOVING':
        return { status: 'NO_MATCHED_MSG', ...base, messageCount: 0, records: EMPTY }
      case 'OFFSET_OVERFLOW_ONE':
        return { status: 'NO_NEW_MSG', ...base, messageCount: 0, records: EMPTY }
      case 'NO_MESSAGE_IN_QUEUE':
      case 'NO_MATCHED_LOGIC_QUEUE':
        // An empty queue is "nothing new" at offset 0; any other offset has to be corrected by the client.
        return req.queueOffset === 0
          ? { status: 'NO_NEW_MSG', ...base, nextBeginOffset: 0, messageCount: 0, records: EMPTY }
          : { status: 'OFFSET_ILLEGAL', ...base, nextBeginOffset: 0, messageCount: 0, records: EMPTY }
      case 'OFFSET_TOO_SMALL':
      case 'OFFSET_OVERFLOW_BADLY':
        return { status: 'OFFSET_ILLEGAL', ...base, messageCount: 0, records: EMPTY }
    }
  }

  private waitAndRetry(
    req: PullMessageRequest,
    deadlineMs: number,
    last: PullMessageResult,
    resolve: (r: PullMessageResult) => void,
  ): void {
    const remainingMs = deadlineMs - this.clock.nowMs()
    if (remainingMs <= 0) return resolve(last)
    const held = this.hold.hold(req.topic, req.queueId, req.queueOffset, remainingMs, (reason) => {
      if (reason !== 'NEW_MESSAGE') return resolve(last)
      const again = this.pullNow(req)
      // New messages that the filter rejects: keep waiting from the offset past them.
      if (again.status === 'NO_MATCHED_MSG' && again.nextBeginOffset > req.queueOffset) {
        const next = { ...req, queueOffset: again.nextBeginOffset }
        return this.waitAndRetry(next, deadlineMs, { ...again, status: 'NO_NEW_MSG' }, resolve)
      }
      resolve(again)
    })
    if (!held) resolve(last)
  }
}

const EMPTY = Buffer.alloc(0)

function countRecords(records: Buffer): number {
  let n = 0
  for (let pos = 0; pos < records.length; pos += records.readInt32BE(pos)) n++
  return n
}

/** Drops records whose TAGS string is not subscribed (tag hash collisions); copies only when something goes. */
function keepMatchingTags(got: GetMessageResult, subscription: TagSubscription): Buffer {
  const keep: [number, number][] = []
  let dropped = false
  for (let pos = 0; pos < got.records.length;) {
    const size = got.records.readInt32BE(pos)
    const tag = findProperty(decodeRecord(got.records, pos).propertiesString, PROPERTY_TAGS)
    if (matchesTag(subscription, tag)) keep.push([pos, size])
    else dropped = true
    pos += size
  }
  if (!dropped) return got.records
  return Buffer.concat(keep.map(([pos, size]) => got.records.subarray(pos, pos + size)))
}
