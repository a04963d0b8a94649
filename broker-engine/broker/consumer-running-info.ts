// What an in-process consumer reports about itself when an admin asks (GET_CONSUMER_RUNNING_INFO): remoting
// clients answer over their own connection, which in-process consumers do not have, so they register a provider
// with each broker they consume from and the broker answers for them in the same shape.
import type { MessageQueue } from '../client/rebalance/message-queue'

/** One queue a consumer holds: RocketMQ's ProcessQueueInfo fields the console shows. */
export interface ProcessQueueReport {
  readonly mq: MessageQueue
  /** The offset the consumer will commit next. */
  readonly commitOffset: number
  /** Pulled, not yet consumed. */
  readonly cachedMsgCount: number
  readonly locked: boolean
  readonly dropped: boolean
  readonly lastPullTimestampMs: number
  readonly lastConsumeTimestampMs: number
}

export interface ConsumerRunningInfoReport {
  /** RocketMQ's ConsumerRunningInfo properties (PROP_CONSUME_TYPE, PROP_CONSUMEORDERLY, ...), as text. */
  readonly properties: Readonly<Record<string, string>>
  readonly subscriptions: readonly { readonly topic: string; readonly subString: string }[]
  readonly queues: readonly ProcessQueueReport[]
}

export type ConsumerRunningInfoProvider = () => ConsumerRunningInfoReport

/** group → clientId → provider, for the consumers living in this process. */
export class ConsumerRunningInfoTable {
  private readonly providers = new Map<string, Map<string, ConsumerRunningInfoProvider>>()

  register(group: string, clientId: string, provider: ConsumerRunningInfoProvider): void {
    let byClient = this.providers.get(group)
    if (!byClient) {
      byClient = new Map()
      this.providers.set(group, byClient)
    }
    byClient.set(clientId, provider)
  }

  unregister(group: string, clientId: string): void {
    const byClient = this.providers.get(group)
    byClient?.delete(clientId)
    if (byClient?.size === 0) this.providers.delete(group)
  }

  /** The consumer's report now, or undefined when no in-process consumer has that id in the group. */
  report(group: string, clientId: string): ConsumerRunningInfoReport | undefined {
    return this.providers.get(group)?.get(clientId)?.()
  }
}
