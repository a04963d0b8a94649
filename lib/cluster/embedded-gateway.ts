// EmbeddedGateway: the console's ClusterGateway for the engine running inside this process. Every operation goes
// through the engine's own RocketMQ remoting endpoints (its NameServer and broker on 127.0.0.1) with the same
// code as RemoteGateway, so whatever the console does on the embedded cluster is by construction doable on a
// real one and one conformance suite covers both (docs/decisions/0005-embedded-gateway-over-loopback.md). The
// engine is asked directly only for what RocketMQ's protocol does not carry: heartbeat ages from the NameServer
// registry and the list of pending half messages.
import 'server-only'
import {
  createOffsetMsgId,
  findProperty,
  offsetMsgIdPrefix,
  PROPERTY_KEYS,
  PROPERTY_UNIQ_KEY,
  type BrokerController,
  type PendingHalfMessage,
  type StandaloneBroker,
} from '@/broker-engine/index'
import { toAppError } from '@/lib/errors'
import type {
  BrokerFailure,
  Capability,
  ClusterGateway,
  ClusterInfo,
  PartialResult,
  PendingTransaction,
} from './gateway'
import { RemoteGateway, type RemoteGatewayOptions } from './remote-gateway'

/** RocketMQ separates several KEYS with a space (MessageConst.KEY_SEPARATOR). */
const KEY_SEPARATOR = ' '

/** The remote gateway's options minus what the engine decides (where it is, credentials, address rewrites). */
export type EmbeddedGatewayOptions = Omit<RemoteGatewayOptions, 'namesrvAddrs' | 'credentials' | 'addressMap'>

/**
 * Delegates every ClusterGateway method to a RemoteGateway on the engine's NameServer, overriding the two reads
 * the engine can answer better in-process. Build it with `createEmbeddedGateway(engine)`.
 */
export class EmbeddedGateway extends RemoteGateway implements ClusterGateway {
  constructor(
    private readonly engine: StandaloneBroker,
    options: EmbeddedGatewayOptions = {},
  ) {
    if (!engine.namesrvAddr) throw new Error('the embedded engine hosts no NameServer')
    super({ ...options, namesrvAddrs: engine.namesrvAddr })
  }

  /** Cluster info over remoting, with each broker's heartbeat age read from the in-process NameServer. */
  override async getClusterInfo(): Promise<PartialResult<ClusterInfo>> {
    const info = await super.getClusterInfo()
    try {
      const live = this.engine.cluster.namesrv.getBrokerLiveInfo()
      const ageOf = new Map(live.map((row) => [row.brokerAddr, row.heartbeatAgeMs]))
      const brokers = info.data.brokers.map((broker) => ({
        ...broker,
        heartbeatAgeMs: ageOf.get(broker.addr),
      }))
      return { ...info, data: { ...info.data, brokers } }
    } catch (err) {
      throw toAppError(err)
    }
  }

  /** The engine's pending half messages (RocketMQ's protocol has no request for them, hence in-process). */
  override listPendingTransactions(): Promise<Capability<PartialResult<readonly PendingTransaction[]>>> {
    try {
      const rows: PendingTransaction[] = []
      const failures: BrokerFailure[] = []
      for (const broker of this.engine.cluster.brokers) {
        for (const half of broker.listPendingTransactions()) {
          const row = pendingTransactionOf(broker, half)
          if (row) rows.push(row)
          else
            failures.push({
              broker: broker.config.brokerName,
              reason: `half message at CommitLog offset ${half.commitLogOffset} is no longer readable`,
            })
        }
      }
      rows.sort((a, b) => a.bornTimestampMs - b.bornTimestampMs || a.msgId.localeCompare(b.msgId))
      return Promise.resolve({
        supported: true,
        value: { data: rows, partial: failures.length > 0, failures },
      })
    } catch (err) {
      return Promise.reject(toAppError(err))
    }
  }
}

/** undefined when the half message's record has expired from the CommitLog. */
function pendingTransactionOf(
  broker: BrokerController,
  half: PendingHalfMessage,
): PendingTransaction | undefined {
  const record = broker.store.lookMessageByOffset(half.commitLogOffset)
  if (!record) return undefined
  const properties = record.propertiesString
  const keys = findProperty(properties, PROPERTY_KEYS)
  return {
    topic: half.topic,
    producerGroup: half.producerGroup,
    msgId: createOffsetMsgId(offsetMsgIdPrefix(record.storeHost), half.commitLogOffset),
    uniqKey: findProperty(properties, PROPERTY_UNIQ_KEY),
    keys: keys ? keys.split(KEY_SEPARATOR).filter((k) => k !== '') : [],
    bornTimestampMs: half.bornTimestampMs,
    checkTimes: half.checkTimes,
    nextCheckMs: half.nextCheckAtMs,
  }
}
