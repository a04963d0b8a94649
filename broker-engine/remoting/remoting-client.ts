// The client side: one connection per "host:port", opened on first use (concurrent callers share the attempt)
// and dropped when it closes, so the next call reconnects. Requests the server sends to us (a broker's
// CHECK_TRANSACTION_STATE, NOTIFY_CONSUMER_IDS_CHANGED) go to `onRequest`.

import net from 'node:net'
import type { RemotingCommand } from './remoting-command'
import { RemotingConnection, type RequestHandler } from './remoting-connection'
import type { RemotingLimits } from './remoting-limits'

export interface RemotingClientOptions {
  readonly connectTimeoutMs?: number
  readonly limits?: RemotingLimits
  readonly onRequest?: RequestHandler
  readonly log?: (message: string) => void
}

export class RemotingConnectError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RemotingConnectError'
  }
}

export class RemotingClient {
  private readonly connections = new Map<string, Promise<RemotingConnection>>()
  /** Connections already open, for the common case of a request on one (no await, no extra promise). */
  private readonly open = new Map<string, RemotingConnection>()
  private closed = false

  constructor(private readonly options: RemotingClientOptions = {}) {}

  /** Sends `request` to `address` ("host:port") and resolves with the response. */
  invoke(address: string, request: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    const ready = this.open.get(address)
    if (ready && !ready.isClosed) return ready.invoke(request, timeoutMs)
    return this.connection(address, timeoutMs).then((conn) => conn.invoke(request, timeoutMs))
  }

  async invokeOneway(address: string, request: RemotingCommand, timeoutMs = 3000): Promise<void> {
    const conn = await this.connection(address, timeoutMs)
    conn.invokeOneway(request)
  }

  /** The open connection to `address`, connecting if needed. */
  connection(address: string, timeoutMs?: number): Promise<RemotingConnection> {
    if (this.closed) return Promise.reject(new RemotingConnectError('the remoting client is closed'))
    let conn = this.connections.get(address)
    if (!conn) {
      conn = this.connect(address, Math.min(timeoutMs ?? Infinity, this.options.connectTimeoutMs ?? 3000))
      this.connections.set(address, conn)
      conn.then(
        (c) => {
          this.open.set(address, c)
          c.onClose(() => this.forget(address, conn!))
        },
        () => this.forget(address, conn!),
      )
    }
    return conn
  }

  close(): void {
    this.closed = true
    for (const conn of this.connections.values())
      conn.then(
        (c) => c.close(),
        () => undefined,
      )
    this.connections.clear()
    this.open.clear()
  }

  private forget(address: string, conn: Promise<RemotingConnection>): void {
    if (this.connections.get(address) !== conn) return
    this.connections.delete(address)
    this.open.delete(address)
  }

  private connect(address: string, timeoutMs: number): Promise<RemotingConnection> {
    const at = address.lastIndexOf(':')
    const host = address.slice(0, at).replace(/^\[|\]$/g, '')
    const port = Number(address.slice(at + 1))
    if (at <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535)
      return Promise.reject(new RemotingConnectError(`bad address ${address}: expected host:port`))
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port })
      const timer = setTimeout(() => {
        socket.destroy()
        reject(new RemotingConnectError(`connect to ${address} timed out after ${timeoutMs} ms`))
      }, timeoutMs)
      socket.once('error', (err) => {
        clearTimeout(timer)
        reject(new RemotingConnectError(`connect to ${address} failed: ${err.message}`))
      })
      socket.once('connect', () => {
        clearTimeout(timer)
        resolve(
          new RemotingConnection(socket, {
            limits: this.options.limits,
            onRequest: this.options.onRequest,
            log: this.options.log,
          }),
        )
      })
    })
  }
}
