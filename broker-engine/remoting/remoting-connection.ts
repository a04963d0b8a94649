// One TCP connection speaking remoting, used the same way by servers and clients: requests this side sends are
// matched to their responses by opaque (with a deadline each); requests the peer sends go to a handler whose
// answer is written back. Responses written in one turn of the event loop leave in one write (cork/uncork).
// A malformed frame closes this connection only.

import type { Socket } from 'node:net'
import { FrameDecoder, encodeCommand } from './frame-codec'
import { FLAG_ONEWAY, createResponse, isOneway, isResponse, type RemotingCommand } from './remoting-command'
import { RESPONSE_CODE } from './remoting-codes'
import { DEFAULT_REMOTING_LIMITS, type RemotingLimits } from './remoting-limits'

/** Answers a request; undefined means no answer (the request was oneway, or the answer goes out later). */
export type RequestHandler = (
  request: RemotingCommand,
  connection: RemotingConnection,
) => RemotingCommand | undefined | Promise<RemotingCommand | undefined>

export interface ConnectionOptions {
  readonly limits?: RemotingLimits
  readonly onRequest?: RequestHandler
  readonly log?: (message: string) => void
  /** Bytes queued for writing after which the peer is considered stuck and the connection closed. */
  readonly writeBacklogBytesMax?: number
}

export class RemotingTimeoutError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RemotingTimeoutError'
  }
}

export class RemotingConnectionClosedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RemotingConnectionClosedError'
  }
}

interface Pending {
  readonly resolve: (cmd: RemotingCommand) => void
  readonly reject: (err: Error) => void
  readonly deadlineMs: number
  readonly timeoutMs: number
  readonly code: number
}

/**
 * Deadlines are checked by one sweep per connection while requests wait, not a timer per request: a timer per
 * request costs more than the rest of a send's client side. A deadline fires up to this late.
 */
const DEADLINE_SWEEP_MS = 20

let opaqueCounter = 0

export class RemotingConnection {
  /** "ip:port" of the peer, as RocketMQ names channels. */
  readonly remoteAddress: string
  private readonly decoder: FrameDecoder
  private readonly pending = new Map<number, Pending>()
  private readonly closeListeners: ((conn: RemotingConnection) => void)[] = []
  private readonly log: (message: string) => void
  private readonly writeBacklogBytesMax: number
  private corked = false
  private closed = false
  private sweepTimer: NodeJS.Timeout | undefined

  constructor(
    readonly socket: Socket,
    private readonly options: ConnectionOptions = {},
  ) {
    this.remoteAddress = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`
    this.decoder = new FrameDecoder(options.limits ?? DEFAULT_REMOTING_LIMITS)
    this.log = options.log ?? (() => undefined)
    this.writeBacklogBytesMax = options.writeBacklogBytesMax ?? 64 * 1024 * 1024
    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    socket.on('error', (err) => this.log(`connection ${this.remoteAddress}: ${err.message}`))
    socket.on('close', () => this.onClosed())
  }

  get isClosed(): boolean {
    return this.closed
  }

  onClose(listener: (conn: RemotingConnection) => void): void {
    if (this.closed) listener(this)
    else this.closeListeners.push(listener)
  }

  /** Sends a request and resolves with the peer's response, or rejects at the deadline or on close. */
  invoke(request: RemotingCommand, timeoutMs: number): Promise<RemotingCommand> {
    if (this.closed)
      return Promise.reject(
        new RemotingConnectionClosedError(`connection to ${this.remoteAddress} is closed`),
      )
    const opaque = (opaqueCounter = (opaqueCounter + 1) | 0)
    return new Promise((resolve, reject) => {
      this.pending.set(opaque, {
        resolve,
        reject,
        deadlineMs: Date.now() + timeoutMs,
        timeoutMs,
        code: request.code,
      })
      this.sweepTimer ??= setInterval(this.sweepDeadlines, DEADLINE_SWEEP_MS).unref()
      this.write(encodeCommand(request, opaque, request.flag & ~FLAG_ONEWAY))
    })
  }

  private readonly sweepDeadlines = (): void => {
    const now = Date.now()
    for (const [opaque, waiting] of this.pending) {
      if (waiting.deadlineMs > now) continue
      this.pending.delete(opaque)
      waiting.reject(
        new RemotingTimeoutError(
          `no response from ${this.remoteAddress} within ${waiting.timeoutMs} ms (code ${waiting.code})`,
        ),
      )
    }
    this.stopSweepWhenIdle()
  }

  private stopSweepWhenIdle(): void {
    if (this.pending.size === 0 && this.sweepTimer) {
      clearInterval(this.sweepTimer)
      this.sweepTimer = undefined
    }
  }

  /** Sends a request that gets no response. */
  invokeOneway(request: RemotingCommand): void {
    if (this.closed) return
    const opaque = (opaqueCounter = (opaqueCounter + 1) | 0)
    this.write(encodeCommand(request, opaque, request.flag | FLAG_ONEWAY))
  }

  /** Writes a command (a response) as is. */
  send(cmd: RemotingCommand): void {
    if (!this.closed) this.write(encodeCommand(cmd))
  }

  close(reason?: string): void {
    if (this.closed) return
    if (reason) this.log(`closing connection ${this.remoteAddress}: ${reason}`)
    this.socket.destroy()
    this.onClosed()
  }

  private write(frame: Buffer): void {
    if (this.socket.writableLength > this.writeBacklogBytesMax) {
      this.close('the peer does not read its responses')
      return
    }
    if (!this.corked) {
      this.corked = true
      this.socket.cork()
      process.nextTick(this.uncork)
    }
    this.socket.write(frame)
  }

  private readonly uncork = (): void => {
    this.corked = false
    if (!this.closed) this.socket.uncork()
  }

  private onData(chunk: Buffer): void {
    try {
      this.decoder.push(chunk, this.onCommand)
    } catch (err) {
      this.close(`malformed frame: ${err instanceof Error ? err.message : String(err)}`)
    }
  }

  private readonly onCommand = (cmd: RemotingCommand): void => {
    if (this.closed) return
    if (isResponse(cmd)) {
      const waiting = this.pending.get(cmd.opaque)
      if (!waiting) return // answered after its deadline
      this.pending.delete(cmd.opaque)
      waiting.resolve(cmd)
      return
    }
    const handler = this.options.onRequest
    if (!handler) {
      if (!isOneway(cmd))
        this.send(
          createResponse(cmd, RESPONSE_CODE.REQUEST_CODE_NOT_SUPPORTED, { remark: 'no handler here' }),
        )
      return
    }
    let answer: ReturnType<RequestHandler>
    try {
      answer = handler(cmd, this)
    } catch (err) {
      answer = this.failure(cmd, err)
    }
    if (answer instanceof Promise) {
      answer.then(
        (response) => this.reply(cmd, response),
        (err: unknown) => this.reply(cmd, this.failure(cmd, err)),
      )
    } else {
      this.reply(cmd, answer)
    }
  }

  private reply(request: RemotingCommand, response: RemotingCommand | undefined): void {
    if (response && !isOneway(request)) this.send(response)
  }

  private failure(request: RemotingCommand, err: unknown): RemotingCommand {
    const message = err instanceof Error ? err.message : String(err)
    this.log(`request code ${request.code} from ${this.remoteAddress} failed: ${message}`)
    return createResponse(request, RESPONSE_CODE.SYSTEM_ERROR, { remark: message })
  }

  private onClosed(): void {
    if (this.closed) return
    this.closed = true
    for (const [, waiting] of this.pending)
      waiting.reject(new RemotingConnectionClosedError(`connection to ${this.remoteAddress} closed`))
    this.pending.clear()
    this.stopSweepWhenIdle()
    for (const listener of this.closeListeners.splice(0)) listener(this)
  }
}
