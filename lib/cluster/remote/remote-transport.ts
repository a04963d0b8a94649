// How every request reaches a remote cluster: through the cluster's concurrency limiter, signed when ACL
// credentials are set, with a hard deadline per call, to a broker address (rewritten through the address map) or
// to the NameServers in order with fail-over. Transport failures become RemoteClusterErrors.
import 'server-only'
import {
  createRequest,
  RemotingClient,
  RemotingConnectError,
  RemotingConnectionClosedError,
  RemotingTimeoutError,
  requestCodeName,
  type ExtFields,
  type RemotingCommand,
} from '@/broker-engine/index'
import { signRequest, type AclCredentials } from './acl-signer'
import { ConcurrencyLimiter } from './concurrency-limiter'
import { RemoteClusterError } from './remote-error'

export const CALL_TIMEOUT_MS_DEFAULT = 3_000
/** Whole-table calls (every topic config, every group's stats) take longer on big brokers. */
export const HEAVY_CALL_TIMEOUT_MS_DEFAULT = 10_000
export const CONCURRENCY_DEFAULT = 8

export interface RemoteTransportOptions {
  /** NameServer addresses ("host:port"), tried in this order. */
  readonly namesrvAddrs: readonly string[]
  readonly credentials?: AclCredentials
  /** Deadline of one request once it is sent (default 3 s). */
  readonly callTimeoutMs?: number
  /** Deadline of the whole-table calls (default 10 s, never below callTimeoutMs). */
  readonly heavyCallTimeoutMs?: number
  /** Requests in flight at once to this cluster (default 8). */
  readonly concurrency?: number
  /** Longest a request waits for a free slot before it fails with TIMEOUT (default 4 × callTimeoutMs). */
  readonly queueWaitMs?: number
  /** Rewrites of the broker addresses the NameServer advertises (private address → reachable address). */
  readonly addressMap?: Readonly<Record<string, string>>
  /** Injected for tests; by default the transport owns a client and closes it. */
  readonly client?: RemotingClient
}

export interface CallOptions {
  /** A whole-table call: it gets the heavy deadline instead of the per-call one. */
  readonly heavy?: boolean
}

export interface RequestParts {
  readonly extFields?: ExtFields
  readonly body?: Buffer
}

export class RemoteTransport {
  readonly namesrvAddrs: readonly string[]
  readonly limiter: ConcurrencyLimiter
  readonly callTimeoutMs: number
  readonly heavyCallTimeoutMs: number
  private readonly queueWaitMs: number
  private readonly client: RemotingClient
  private readonly ownsClient: boolean
  /** Index of the NameServer that answered last; the next call starts there. */
  private namesrvIndex = 0

  constructor(private readonly options: RemoteTransportOptions) {
    if (options.namesrvAddrs.length === 0) throw new RangeError('at least one NameServer address is needed')
    this.namesrvAddrs = options.namesrvAddrs
    this.callTimeoutMs = options.callTimeoutMs ?? CALL_TIMEOUT_MS_DEFAULT
    this.heavyCallTimeoutMs = Math.max(
      this.callTimeoutMs,
      options.heavyCallTimeoutMs ?? HEAVY_CALL_TIMEOUT_MS_DEFAULT,
    )
    this.queueWaitMs = options.queueWaitMs ?? this.callTimeoutMs * 4
    this.limiter = new ConcurrencyLimiter(options.concurrency ?? CONCURRENCY_DEFAULT)
    this.ownsClient = options.client === undefined
    this.client = options.client ?? new RemotingClient({ connectTimeoutMs: this.callTimeoutMs })
  }

  /** The address to dial for an address a NameServer or a message id gave. */
  reachable(addr: string): string {
    return this.options.addressMap?.[addr] ?? addr
  }

  /** Sends `code` to a broker (or one NameServer) and returns its response, whatever its code. */
  invoke(
    addr: string,
    code: number,
    parts: RequestParts = {},
    options: CallOptions = {},
  ): Promise<RemotingCommand> {
    const target = this.reachable(addr)
    const timeoutMs = options.heavy ? this.heavyCallTimeoutMs : this.callTimeoutMs
    return this.limiter.run(() => this.send(target, code, parts, timeoutMs), this.queueWaitMs)
  }

  /**
   * Sends `code` to the NameServers in order, starting with the one that answered last, and moves on while a
   * NameServer is unreachable or silent; a NameServer's error response is final (the next would say the same).
   */
  async invokeNameServer(
    code: number,
    parts: RequestParts = {},
    options: CallOptions = {},
  ): Promise<{ addr: string; response: RemotingCommand }> {
    const count = this.namesrvAddrs.length
    const reasons: string[] = []
    for (let attempt = 0; attempt < count; attempt++) {
      const index = (this.namesrvIndex + attempt) % count
      const addr = this.namesrvAddrs[index]!
      try {
        const response = await this.invoke(addr, code, parts, options)
        this.namesrvIndex = index
        return { addr, response }
      } catch (err) {
        if (err instanceof RemoteClusterError && (err.kind === 'UNREACHABLE' || err.kind === 'TIMEOUT')) {
          reasons.push(err.message)
          continue
        }
        throw err
      }
    }
    throw new RemoteClusterError(
      'UNREACHABLE',
      `no NameServer answered ${requestCodeName(code)}: ${reasons.join('; ')}`,
      { requestCode: code },
    )
  }

  close(): void {
    if (this.ownsClient) this.client.close()
  }

  private async send(
    addr: string,
    code: number,
    parts: RequestParts,
    timeoutMs: number,
  ): Promise<RemotingCommand> {
    let request = createRequest(code, { extFields: parts.extFields ?? {}, body: parts.body })
    if (this.options.credentials) request = signRequest(request, this.options.credentials)
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new RemoteClusterError(
              'TIMEOUT',
              `${addr} did not answer ${requestCodeName(code)} within ${timeoutMs} ms`,
              { addr, requestCode: code },
            ),
          ),
        timeoutMs,
      )
    })
    const call = this.client.invoke(addr, request, timeoutMs)
    // The deadline may win the race; the call's own later rejection must not surface as unhandled.
    call.catch(() => undefined)
    try {
      return await Promise.race([call, deadline])
    } catch (err) {
      throw transportError(err, addr, code, timeoutMs)
    } finally {
      clearTimeout(timer)
    }
  }
}

function transportError(err: unknown, addr: string, code: number, timeoutMs: number): unknown {
  if (err instanceof RemoteClusterError) return err
  const context = { addr, requestCode: code }
  if (err instanceof RemotingTimeoutError)
    return new RemoteClusterError(
      'TIMEOUT',
      `${addr} did not answer ${requestCodeName(code)} within ${timeoutMs} ms`,
      context,
      err,
    )
  if (err instanceof RemotingConnectError || err instanceof RemotingConnectionClosedError)
    return new RemoteClusterError('UNREACHABLE', `${addr} is unreachable: ${err.message}`, context, err)
  return err
}
