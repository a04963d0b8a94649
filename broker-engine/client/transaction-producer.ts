// The in-process transactional producer (TransactionMQProducer): sends a half message, runs the local
// transaction, and ends it with commit, rollback or unknown; it also answers the brokers' check-backs for its
// group with the application's check listener.

import { EngineError } from '../common/engine-error'
import type { TransactionCheck } from '../broker/transaction-service'
import type { BrokerController } from '../broker/broker-controller'
import type { EmbeddedCluster } from '../cluster/embedded-cluster'
import { appendProperty, findProperty } from '../store/message-properties'
import {
  buildProperties,
  Producer,
  type OutgoingMessage,
  type ProducerOptions,
  type SendResult,
} from './producer'

export type LocalTransactionState = 'COMMIT_MESSAGE' | 'ROLLBACK_MESSAGE' | 'UNKNOW'

export interface CheckedMessage {
  readonly topic: string
  readonly transactionId: string
  readonly body: Buffer
  readonly keys: string | undefined
  readonly checkTimes: number
}

export interface TransactionProducerOptions extends ProducerOptions {
  readonly clientId: string
  /** Asked by the broker when a transaction's outcome is unknown. */
  readonly checkLocalTransaction: (
    msg: CheckedMessage,
  ) => LocalTransactionState | Promise<LocalTransactionState>
  /** First check-back no earlier than this many seconds after the send (CHECK_IMMUNITY_TIME_IN_SECONDS). */
  readonly checkImmunityTimeSeconds?: number
}

const TO_BROKER_STATE = { COMMIT_MESSAGE: 'COMMIT', ROLLBACK_MESSAGE: 'ROLLBACK', UNKNOW: 'UNKNOWN' } as const

export class TransactionProducer extends Producer {
  private started = false

  constructor(
    private readonly cluster: EmbeddedCluster,
    private readonly txOptions: TransactionProducerOptions,
  ) {
    super(cluster, txOptions)
  }

  /** Registers the check listener with every broker. */
  start(): void {
    if (this.started) return
    this.started = true
    for (const broker of this.cluster.brokers) {
      broker.registerTransactionChecker(
        this.txOptions.group,
        this.txOptions.clientId,
        (check) => void this.answerCheck(broker, check),
      )
    }
  }

  shutdown(): void {
    for (const broker of this.cluster.brokers)
      broker.unregisterTransactionChecker(this.txOptions.group, this.txOptions.clientId)
    this.started = false
  }

  /**
   * Sends `msg` as a half message, runs `executeLocal`, and ends the transaction with its answer. A throw in
   * `executeLocal` counts as UNKNOW: the broker will check back.
   */
  async sendMessageInTransaction(
    msg: OutgoingMessage,
    executeLocal: (sent: SendResult) => LocalTransactionState | Promise<LocalTransactionState>,
  ): Promise<{ readonly sendResult: SendResult; readonly localState: LocalTransactionState }> {
    if (!this.started) throw new EngineError('ARGUMENT_INVALID', 'start() the transaction producer first')
    if (msg.delayLevel !== undefined)
      throw new EngineError('ARGUMENT_INVALID', 'transactional messages cannot be delayed')
    let properties = appendProperty(buildProperties(msg), 'TRAN_MSG', 'true')
    properties = appendProperty(properties, 'PGROUP', this.txOptions.group)
    if (this.txOptions.checkImmunityTimeSeconds !== undefined) {
      properties = appendProperty(
        properties,
        'CHECK_IMMUNITY_TIME_IN_SECONDS',
        String(this.txOptions.checkImmunityTimeSeconds),
      )
    }
    const sendResult = await this.sendWith(msg, properties)
    let localState: LocalTransactionState
    try {
      localState = await executeLocal(sendResult)
    } catch {
      localState = 'UNKNOW'
    }
    const broker = this.cluster.masterOf(sendResult.brokerName)
    await broker?.endTransaction({
      producerGroup: this.txOptions.group,
      commitLogOffset: sendResult.commitLogOffset,
      tranStateTableOffset: sendResult.queueOffset,
      state: TO_BROKER_STATE[localState],
      fromTransactionCheck: false,
    })
    return { sendResult, localState }
  }

  private async answerCheck(broker: BrokerController, check: TransactionCheck): Promise<void> {
    let state: LocalTransactionState
    try {
      state = await this.txOptions.checkLocalTransaction({
        topic: check.message.topic,
        transactionId: check.transactionId,
        body: Buffer.from(check.message.body),
        keys: findProperty(check.message.propertiesString, 'KEYS'),
        checkTimes: check.checkTimes,
      })
    } catch {
      state = 'UNKNOW'
    }
    await broker.endTransaction({
      producerGroup: check.producerGroup,
      commitLogOffset: check.commitLogOffset,
      tranStateTableOffset: check.tranStateTableOffset,
      state: TO_BROKER_STATE[state],
      fromTransactionCheck: true,
    })
  }
}
