// The flaky consumer (group ledger-sync): copies committed payments to an accounting ledger and fails for about
// one payment in five, the same payments every time (chosen by the payment id's hash), so those are retried
// retryMaxTimes times and then land in %DLQ%ledger-sync for the console's DLQ pages.
import 'server-only'
import {
  javaStringHashCode,
  type ConsumedMessage,
  type ConsumeConcurrentlyStatus,
  type PushConsumer,
} from '@/broker-engine/index'
import { startDemoConsumer, type DemoContext } from './demo-context'
import { LEDGER_SYNC_GROUP, PAYMENTS_TOPIC } from './topology'

/** One payment in this many is rejected by the (simulated) ledger. */
const FAIL_ONE_IN = 5

/** Whether the ledger rejects this payment id: fixed per id, so retries of it fail too. */
export function ledgerRejects(paymentId: string): boolean {
  return Math.abs(javaStringHashCode(paymentId) % FAIL_ONE_IN) === 0
}

export interface LedgerSyncStats {
  readonly consumed: number
  readonly synced: number
  /** Deliveries answered RECONSUME_LATER (first tries and retries). */
  readonly failedDeliveries: number
}

export class LedgerSync {
  private consumer: PushConsumer | undefined
  private consumed = 0
  private synced = 0
  private failedDeliveries = 0

  constructor(private readonly ctx: DemoContext) {}

  async start(): Promise<void> {
    this.consumer = await startDemoConsumer(this.ctx, LEDGER_SYNC_GROUP, PAYMENTS_TOPIC, '*', {
      orderly: false,
      onMessage: (msg) => this.onMessage(msg),
    })
  }

  stop(): Promise<void> {
    return this.consumer?.shutdown() ?? Promise.resolve()
  }

  get stats(): LedgerSyncStats {
    return { consumed: this.consumed, synced: this.synced, failedDeliveries: this.failedDeliveries }
  }

  private onMessage(msg: ConsumedMessage): ConsumeConcurrentlyStatus {
    this.consumed++
    // Keys are "<payment id> <order id>"; anything else is synced as it is.
    const paymentId = msg.keys?.split(' ')[0] ?? msg.msgId
    if (ledgerRejects(paymentId)) {
      this.failedDeliveries++
      return 'RECONSUME_LATER'
    }
    this.synced++
    return 'CONSUME_SUCCESS'
  }
}
