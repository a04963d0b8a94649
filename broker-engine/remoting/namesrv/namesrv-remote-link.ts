// A broker's link to remote NameServers over remoting (RocketMQ's BrokerOuterAPI): REGISTER_BROKER with a
// RegisterBrokerBody and its bodyCrc32, UNREGISTER_BROKER on shutdown. Calls never block the broker: each returns
// a promise of per-NameServer outcomes that never rejects, and failures are logged.

import type { NameServerLink } from '../../broker/broker-controller'
import { validateHostPort } from '../../namesrv/route-validation'
import { crc32 } from '../../store/crc32'
import { createRequest, extField, type RemotingCommand } from '../remoting-command'
import { REQUEST_CODE, RESPONSE_CODE } from '../remoting-codes'
import { RemotingClient } from '../remoting-client'
import {
  encodeCompressedRegisterBody,
  encodeRegisterBrokerBody,
  type BrokerRegistration,
} from './register-broker-body'

export interface NameServerRemoteLinkOptions {
  /** A shared client; by default the link opens its own and closes it in close(). */
  readonly client?: RemotingClient
  /** Deadline of each request, connecting included (RocketMQ 4.9.4's registerBrokerTimeoutMills: 6 s). */
  readonly requestTimeoutMs?: number
  /**
   * The HA address sent as haServerAddr (a Java NameServer requires the field). Defaults to the broker's host
   * and listenPort + 1, RocketMQ's default haListenPort.
   */
  readonly haServerAddr?: string
  /** Send the zlib layout with compressed=true (RocketMQ's compressedRegister) instead of JSON. */
  readonly compressedRegister?: boolean
  readonly log?: (message: string) => void
}

/** What one NameServer made of one call. */
export type NameServerCallOutcome =
  | {
      readonly namesrvAddr: string
      readonly status: 'OK'
      /** For a slave: the master's address and HA address, once the master has registered. */
      readonly masterAddr?: string
      readonly haServerAddr?: string
    }
  | { readonly namesrvAddr: string; readonly status: 'FAILED'; readonly reason: string }
  /** A queued registration dropped because UNREGISTER_BROKER came first, or the link closed. */
  | { readonly namesrvAddr: string; readonly status: 'CANCELLED' }

export const DEFAULT_REGISTER_TIMEOUT_MS = 6_000

interface RegistrationJob {
  registration: BrokerRegistration
  readonly waiters: ((outcome: NameServerCallOutcome) => void)[]
}

/** Per NameServer: at most one registration on the wire and one queued behind it. */
interface NameServerQueue {
  inFlight: boolean
  queued: RegistrationJob | undefined
}

/**
 * Registers one broker with every NameServer in `nameServerAddrs`. A NameServer that is slow or down never
 * builds a backlog: registrations that arrive while one is on the wire merge into a single queued one (a full
 * registration replaces what is queued; a topic-change registration adds its topics to it).
 */
export class NameServerRemoteLink implements NameServerLink {
  readonly nameServerAddrs: readonly string[]
  private readonly client: RemotingClient
  private readonly ownsClient: boolean
  private readonly timeoutMs: number
  private readonly log: (message: string) => void
  private readonly queues = new Map<string, NameServerQueue>()
  private readonly pending = new Set<Promise<unknown>>()
  private closed = false

  constructor(
    nameServerAddrs: readonly string[],
    private readonly options: NameServerRemoteLinkOptions = {},
  ) {
    this.nameServerAddrs = nameServerAddrs.map((addr, i) =>
      validateHostPort(addr.trim(), `nameServerAddrs[${i}]`),
    )
    this.client = options.client ?? new RemotingClient({ log: options.log })
    this.ownsClient = options.client === undefined
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REGISTER_TIMEOUT_MS
    this.log = options.log ?? ((m) => console.warn(`[mqdeck broker] ${m}`))
    for (const addr of this.nameServerAddrs) this.queues.set(addr, { inFlight: false, queued: undefined })
  }

  /** REGISTER_BROKER to every NameServer; returns at once, the promise settles when each has answered. */
  registerBroker(registration: BrokerRegistration): Promise<NameServerCallOutcome[]> {
    // The broker may change its topic list after this call returns; send what it was at call time.
    const snapshot: BrokerRegistration = { ...registration, topicConfigs: [...registration.topicConfigs] }
    return this.track(Promise.all(this.nameServerAddrs.map((addr) => this.enqueue(addr, snapshot))))
  }

  /** UNREGISTER_BROKER to every NameServer, dropping registrations still queued. */
  unregisterBroker(
    clusterName: string,
    brokerAddr: string,
    brokerName: string,
    brokerId: number,
  ): Promise<NameServerCallOutcome[]> {
    const request = createRequest(REQUEST_CODE.UNREGISTER_BROKER, {
      extFields: { brokerAddr, brokerId: String(brokerId), brokerName, clusterName },
    })
    return this.track(
      Promise.all(
        this.nameServerAddrs.map((addr) => {
          this.cancelQueued(addr)
          return this.call(addr, request, 'unregistering from')
        }),
      ),
    )
  }

  /** Resolves once every call made so far has settled (each is bounded by the request deadline). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending])
  }

  /** Drops queued registrations, waits for those on the wire, then closes the link's own client. */
  async close(): Promise<void> {
    this.closed = true
    for (const addr of this.nameServerAddrs) this.cancelQueued(addr)
    await this.flush()
    if (this.ownsClient) this.client.close()
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise)
    void promise.finally(() => this.pending.delete(promise))
    return promise
  }

  private enqueue(addr: string, registration: BrokerRegistration): Promise<NameServerCallOutcome> {
    if (this.closed) return Promise.resolve({ namesrvAddr: addr, status: 'CANCELLED' })
    const queue = this.queues.get(addr)!
    return new Promise((resolve) => {
      if (queue.queued) {
        queue.queued.registration = merge(queue.queued.registration, registration)
        queue.queued.waiters.push(resolve)
      } else {
        queue.queued = { registration, waiters: [resolve] }
      }
      this.drain(addr, queue)
    })
  }

  private drain(addr: string, queue: NameServerQueue): void {
    const job = queue.queued
    if (queue.inFlight || !job) return
    queue.queued = undefined
    queue.inFlight = true
    let request: RemotingCommand
    try {
      request = this.registerRequest(job.registration)
    } catch (err) {
      queue.inFlight = false
      const outcome = this.failed(addr, 'registering with', err)
      for (const waiter of job.waiters) waiter(outcome)
      this.drain(addr, queue)
      return
    }
    void this.call(addr, request, 'registering with').then((outcome) => {
      queue.inFlight = false
      for (const waiter of job.waiters) waiter(outcome)
      this.drain(addr, queue)
    })
  }

  private cancelQueued(addr: string): void {
    const queue = this.queues.get(addr)!
    const job = queue.queued
    queue.queued = undefined
    for (const waiter of job?.waiters ?? []) waiter({ namesrvAddr: addr, status: 'CANCELLED' })
  }

  /** Sends one request; never rejects. */
  private async call(addr: string, request: RemotingCommand, doing: string): Promise<NameServerCallOutcome> {
    const startMs = Date.now()
    try {
      const connection = await this.client.connection(addr, this.timeoutMs)
      // An idle link must not keep the process alive; a request's own deadline timer does while it waits.
      if (this.ownsClient) connection.socket.unref()
      // One deadline for connecting and answering together.
      const leftMs = Math.max(1, this.timeoutMs - (Date.now() - startMs))
      const response = await connection.invoke(request, leftMs)
      if (response.code !== RESPONSE_CODE.SUCCESS) {
        return this.failed(
          addr,
          doing,
          `code ${response.code}${response.remark ? `: ${response.remark}` : ''}`,
        )
      }
      const masterAddr = extField(response, 'masterAddr')
      const haServerAddr = extField(response, 'haServerAddr')
      return {
        namesrvAddr: addr,
        status: 'OK',
        ...(masterAddr ? { masterAddr } : {}),
        ...(haServerAddr ? { haServerAddr } : {}),
      }
    } catch (err) {
      return this.failed(addr, doing, err)
    }
  }

  private failed(addr: string, doing: string, err: unknown): NameServerCallOutcome {
    const reason = err instanceof Error ? err.message : String(err)
    this.log(`${doing} NameServer ${addr} failed: ${reason}`)
    return { namesrvAddr: addr, status: 'FAILED', reason }
  }

  private registerRequest(registration: BrokerRegistration): RemotingCommand {
    const compressed = this.options.compressedRegister === true
    const body = compressed
      ? encodeCompressedRegisterBody(registration)
      : encodeRegisterBrokerBody(registration)
    return createRequest(REQUEST_CODE.REGISTER_BROKER, {
      extFields: {
        bodyCrc32: String(crc32(body) & 0x7fff_ffff),
        brokerAddr: registration.brokerAddr,
        brokerId: String(registration.brokerId),
        brokerName: registration.brokerName,
        clusterName: registration.clusterName,
        compressed: String(compressed),
        haServerAddr: this.options.haServerAddr ?? defaultHaServerAddr(registration.brokerAddr),
      },
      body,
    })
  }
}

/** `queued` then `next`: a full registration replaces; a topic-change one overlays its topics and version. */
function merge(queued: BrokerRegistration, next: BrokerRegistration): BrokerRegistration {
  if (!next.incremental) return next
  const topics = new Map(queued.topicConfigs.map((c) => [c.topicName, c]))
  for (const config of next.topicConfigs) topics.set(config.topicName, config)
  return { ...next, topicConfigs: [...topics.values()], incremental: queued.incremental === true }
}

function defaultHaServerAddr(brokerAddr: string): string {
  const colon = brokerAddr.lastIndexOf(':')
  return `${brokerAddr.slice(0, colon)}:${Number(brokerAddr.slice(colon + 1)) + 1}`
}
