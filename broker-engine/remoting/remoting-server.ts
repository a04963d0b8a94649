// A remoting server: accepts connections on 127.0.0.1 (or a given host), hands each request to the processor
// registered for its code, and answers unknown codes with REQUEST_CODE_NOT_SUPPORTED as RocketMQ does.
// Connections are tracked so processors can learn when a peer goes away (a broker's channel, a client's).

import net from 'node:net'
import { createResponse, type RemotingCommand } from './remoting-command'
import { RESPONSE_CODE, requestCodeName } from './remoting-codes'
import { RemotingConnection, type RequestHandler } from './remoting-connection'
import type { RemotingLimits } from './remoting-limits'

export interface RemotingServerOptions {
  readonly host?: string
  readonly port: number
  readonly limits?: RemotingLimits
  readonly log?: (message: string) => void
  /** Connections beyond this are refused at once (bounded memory per server). */
  readonly connectionsMax?: number
}

export class RemotingServer {
  private readonly server: net.Server
  private readonly processors = new Map<number, RequestHandler>()
  private readonly connections = new Set<RemotingConnection>()
  private readonly connectionListeners: ((conn: RemotingConnection) => void)[] = []
  private readonly log: (message: string) => void

  constructor(private readonly options: RemotingServerOptions) {
    this.log = options.log ?? (() => undefined)
    this.server = net.createServer((socket) => this.accept(socket))
  }

  /** Routes requests with `code` to `handler`. */
  register(code: number, handler: RequestHandler): void {
    this.processors.set(code, handler)
  }

  /** Called with every new connection (to watch for its close). */
  onConnection(listener: (conn: RemotingConnection) => void): void {
    this.connectionListeners.push(listener)
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(this.options.port, this.options.host ?? '127.0.0.1', () => {
        this.server.off('error', reject)
        resolve(this.port)
      })
    })
  }

  get port(): number {
    const address = this.server.address()
    return typeof address === 'object' && address ? address.port : this.options.port
  }

  get connectionCount(): number {
    return this.connections.size
  }

  /** Stops accepting and closes every connection. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    for (const conn of [...this.connections]) conn.close()
    await closed
  }

  private accept(socket: net.Socket): void {
    if (this.connections.size >= (this.options.connectionsMax ?? 10_000)) {
      socket.destroy()
      return
    }
    const conn = new RemotingConnection(socket, {
      limits: this.options.limits,
      log: this.log,
      onRequest: this.dispatch,
    })
    this.connections.add(conn)
    conn.onClose(() => this.connections.delete(conn))
    for (const listener of this.connectionListeners) listener(conn)
  }

  private readonly dispatch: RequestHandler = (request, conn) => {
    const processor = this.processors.get(request.code)
    if (processor) return processor(request, conn)
    return unsupported(request)
  }
}

function unsupported(request: RemotingCommand): RemotingCommand {
  return createResponse(request, RESPONSE_CODE.REQUEST_CODE_NOT_SUPPORTED, {
    remark: ` request type ${request.code} (${requestCodeName(request.code)}) not supported`,
  })
}
