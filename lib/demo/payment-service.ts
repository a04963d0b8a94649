// The payment service: captures each order's payment with a transactional message on Payments (producer group
// payment-service). The local transaction commits, rolls back (card declined) or answers UNKNOW (the bank did
// not confirm in time). A check-back answers from the service's local transaction table (the "database" a real
// payment service would ask); a payment it does not know as decided (still pending, or from before a restart) is
// unknown at its first check and decided at the second by its id alone.
import 'server-only'
import { javaStringHashCode, TransactionProducer, type LocalTransactionState } from '@/broker-engine/index'
import { BoundedMap } from './bounded-map'
import { clientIdOf, type DemoContext } from './demo-context'
import { paymentIdOf } from './order-events'
import { PAYMENT_PRODUCER_GROUP, PAYMENTS_TOPIC } from './topology'

/** Shares of the local transaction's answers; the rest is UNKNOW. */
const COMMIT_SHARE = 0.8
const ROLLBACK_SHARE = 0.08
/** The check-back with this number decides (the earlier ones answer UNKNOW, so the half message stays a while). */
const DECIDING_CHECK = 2
/** Of the payments decided by check-back, one in this many is declined. */
const CHECK_DECLINE_ONE_IN = 4
/** Local transaction outcomes remembered (well past transactionCheckMax checks at the demo's rate). */
const LOCAL_TRANSACTIONS_MAX = 20_000

type LocalOutcome = 'COMMIT_MESSAGE' | 'ROLLBACK_MESSAGE' | 'PENDING'

export interface PaymentBody {
  readonly paymentId: string
  readonly orderId: string
  readonly amountCents: number
  readonly currency: 'EUR'
  readonly method: 'card'
  readonly status: 'captured'
  readonly at: string
}

export interface PaymentStats {
  readonly committed: number
  readonly rolledBack: number
  readonly unknown: number
  readonly checkBacks: number
  readonly committedByCheck: number
  readonly rolledBackByCheck: number
}

export interface PaymentServiceOptions {
  /** A payment left UNKNOW was decided by a check-back. */
  readonly onSettled: (orderId: string, committed: boolean) => void
}

/** What the check-back answers for a payment at its `checkTimes`-th check. */
export function checkBackAnswer(paymentId: string, checkTimes: number): LocalTransactionState {
  if (checkTimes < DECIDING_CHECK) return 'UNKNOW'
  return Math.abs(javaStringHashCode(paymentId) % CHECK_DECLINE_ONE_IN) === 0
    ? 'ROLLBACK_MESSAGE'
    : 'COMMIT_MESSAGE'
}

export class PaymentService {
  private readonly producer: TransactionProducer
  /** paymentId → the local transaction's outcome, as the payments table would hold it. */
  private readonly local = new BoundedMap<string, LocalOutcome>(LOCAL_TRANSACTIONS_MAX)
  private committed = 0
  private rolledBack = 0
  private unknown = 0
  private checkBacks = 0
  private committedByCheck = 0
  private rolledBackByCheck = 0

  constructor(
    private readonly ctx: DemoContext,
    private readonly options: PaymentServiceOptions,
  ) {
    this.producer = new TransactionProducer(ctx.cluster, {
      group: PAYMENT_PRODUCER_GROUP,
      clientId: clientIdOf(PAYMENT_PRODUCER_GROUP),
      clock: ctx.clock,
      checkLocalTransaction: (msg) => this.check(msg.body, msg.checkTimes),
    })
  }

  start(): void {
    this.producer.start()
  }

  /** Stops answering check-backs; half messages left UNKNOW are checked again by the next start. */
  stop(): void {
    this.producer.shutdown()
  }

  get stats(): PaymentStats {
    return {
      committed: this.committed,
      rolledBack: this.rolledBack,
      unknown: this.unknown,
      checkBacks: this.checkBacks,
      committedByCheck: this.committedByCheck,
      rolledBackByCheck: this.rolledBackByCheck,
    }
  }

  /** Captures an order's payment; resolves with the local transaction's answer. */
  async capture(orderId: string, amountCents: number): Promise<LocalTransactionState> {
    const body: PaymentBody = {
      paymentId: paymentIdOf(orderId),
      orderId,
      amountCents,
      currency: 'EUR',
      method: 'card',
      status: 'captured',
      at: new Date(this.ctx.clock.nowMs()).toISOString(),
    }
    const r = this.ctx.random()
    const answer: LocalTransactionState =
      r < COMMIT_SHARE ? 'COMMIT_MESSAGE' : r < COMMIT_SHARE + ROLLBACK_SHARE ? 'ROLLBACK_MESSAGE' : 'UNKNOW'
    const { localState } = await this.producer.sendMessageInTransaction(
      {
        topic: PAYMENTS_TOPIC,
        tags: 'captured',
        keys: [body.paymentId, orderId],
        body: JSON.stringify(body),
      },
      () => {
        // Recorded before the second phase is sent, as the payments table's commit would be.
        this.local.set(body.paymentId, answer === 'UNKNOW' ? 'PENDING' : answer)
        return answer
      },
    )
    if (localState === 'COMMIT_MESSAGE') this.committed++
    else if (localState === 'ROLLBACK_MESSAGE') this.rolledBack++
    else this.unknown++
    return localState
  }

  private check(rawBody: Buffer, checkTimes: number): LocalTransactionState {
    this.checkBacks++
    let payment: Partial<PaymentBody> | undefined
    try {
      payment = JSON.parse(rawBody.toString('utf8')) as Partial<PaymentBody>
    } catch {
      payment = undefined
    }
    // Not a payment this service wrote: nothing to commit.
    if (typeof payment?.paymentId !== 'string' || typeof payment.orderId !== 'string')
      return 'ROLLBACK_MESSAGE'
    const known = this.local.get(payment.paymentId)
    if (known === 'COMMIT_MESSAGE' || known === 'ROLLBACK_MESSAGE') return known
    const answer = checkBackAnswer(payment.paymentId, checkTimes)
    if (answer === 'UNKNOW') return answer
    this.local.set(payment.paymentId, answer)
    if (answer === 'COMMIT_MESSAGE') this.committedByCheck++
    else this.rolledBackByCheck++
    this.options.onSettled(payment.orderId, answer === 'COMMIT_MESSAGE')
    return answer
  }
}
