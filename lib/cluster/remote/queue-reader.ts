// Reads a run of messages from one queue of a remote broker: PULL_MESSAGE as mqadmin's tools consumer does, or,
// where the topic is not readable (a 4.x %DLQ% topic is created write-only), the ConsumeQueue units
// (QUERY_CONSUME_QUEUE) and then each record by its CommitLog offset (VIEW_MESSAGE_BY_ID), which need no read
// permission. The reader remembers which way works for its queue.
import 'server-only'
import type { DecodedMessage } from '@/broker-engine/index'
import { PULL_BATCH_MAX, pullMessage, queryConsumeQueue, viewMessageById } from './admin-client'
import type { BrokerTarget } from './fan-out'
import type { RemoteContext } from './remote-context'
import { isRemoteClusterError } from './remote-error'

export interface QueueRead {
  /** Records with queue offsets in [from, end), in queue order. */
  readonly records: readonly DecodedMessage[]
  /** Where the next read continues. */
  readonly next: number
  /** Nothing more to read before `end`. */
  readonly exhausted: boolean
}

export class QueueReader {
  private mode: 'PULL' | 'VIEW' = 'PULL'

  constructor(
    private readonly ctx: RemoteContext,
    readonly target: BrokerTarget,
    readonly topic: string,
    readonly queueId: number,
  ) {}

  /** Up to 32 messages from queue offset `from`, none at or beyond `end`. */
  async read(from: number, end: number): Promise<QueueRead> {
    const count = Math.min(PULL_BATCH_MAX, end - from)
    if (count <= 0) return { records: [], next: from, exhausted: true }
    if (this.mode === 'PULL') {
      try {
        return await this.pull(from, end, count)
      } catch (err) {
        if (!isRemoteClusterError(err) || err.kind !== 'NO_PERMISSION') throw err
        this.mode = 'VIEW'
      }
    }
    return this.view(from, end, count)
  }

  private async pull(from: number, end: number, count: number): Promise<QueueRead> {
    const result = await pullMessage(
      this.ctx.transport,
      this.target.addr,
      this.topic,
      this.queueId,
      from,
      count,
    )
    if (result.status === 'FOUND') {
      const records = result.records.filter((r) => r.queueOffset >= from && r.queueOffset < end)
      const last = result.records.at(-1)
      const next = Math.max(result.nextBeginOffset, last ? last.queueOffset + 1 : from)
      return { records, next, exhausted: next >= end || next <= from }
    }
    if (result.status === 'NO_NEW_MSG') return { records: [], next: from, exhausted: true }
    // OFFSET_MOVED (messages expired) or RETRY (nothing matched): continue where the broker says, if forward.
    const next = result.nextBeginOffset
    return { records: [], next: Math.max(next, from), exhausted: next <= from || next >= end }
  }

  private async view(from: number, end: number, count: number): Promise<QueueRead> {
    const units = await queryConsumeQueue(
      this.ctx.transport,
      this.target.addr,
      this.topic,
      this.queueId,
      from,
      count,
    )
    if (units.length === 0) return { records: [], next: from, exhausted: true }
    const records = await Promise.all(
      units.map((unit) => viewMessageById(this.ctx.transport, this.target.addr, unit.commitLogOffset)),
    )
    const next = from + units.length
    return {
      records: records.filter((r): r is DecodedMessage => r !== undefined && r.queueOffset < end),
      next,
      exhausted: next >= end,
    }
  }
}
