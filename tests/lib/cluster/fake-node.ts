// A fake RocketMQ node (NameServer or broker) on 127.0.0.1 and a free port, built on the engine's RemotingServer:
// each request code is answered by a handler, by a captured 4.9.4 response (tests/fixtures/rocketmq-remoting), or
// never (to test deadlines). Every request it receives is kept for assertions.
import fs from 'node:fs'
import path from 'node:path'
import {
  createResponse,
  decodeFrame,
  RemotingServer,
  RESPONSE_CODE,
  type CommandParts,
  type RemotingCommand,
} from '@/broker-engine/index'
import { toFastjson } from '@/broker-engine/index'

export const FIXTURE_DIR = path.resolve('tests/fixtures/rocketmq-remoting')

/** A captured frame (`<prefix>.req.bin` / `.res.bin`) decoded. */
export function fixtureCommand(prefix: string, kind: 'req' | 'res' = 'res'): RemotingCommand {
  const frame = fs.readFileSync(path.join(FIXTURE_DIR, `${prefix}.${kind}.bin`))
  return decodeFrame(frame, 4, frame.length)
}

export type Answer = CommandParts & { readonly code?: number }
export type Handler = (request: RemotingCommand) => Answer | Promise<Answer> | 'SILENT'

/** Standard JSON with sorted keys, as a body. */
export function jsonBody(value: unknown): Buffer {
  return Buffer.from(toFastjson(value), 'utf8')
}

/** Raw text as a body (for hand-written non-standard fastjson such as `{0:"..."}`). */
export function textBody(text: string): Buffer {
  return Buffer.from(text, 'utf8')
}

export class FakeNode {
  readonly requests: RemotingCommand[] = []
  private readonly handlers = new Map<number, Handler>()

  private constructor(
    private readonly server: RemotingServer,
    readonly port: number,
  ) {}

  static async start(): Promise<FakeNode> {
    const server = new RemotingServer({ port: 0 })
    const port = await server.listen()
    const node = new FakeNode(server, port)
    return node
  }

  get addr(): string {
    return `127.0.0.1:${this.port}`
  }

  /** Answers `code` with `handler` (or a fixture's response, given its file prefix). */
  on(code: number, handler: Handler | string): this {
    const h: Handler =
      typeof handler === 'string'
        ? () => {
            const fx = fixtureCommand(handler)
            return { code: fx.code, remark: fx.remark, extFields: fx.extFields, body: fx.body }
          }
        : handler
    this.handlers.set(code, h)
    this.server.register(code, (request) => {
      this.requests.push(request)
      const answer = h(request)
      if (answer === 'SILENT') return new Promise<undefined>(() => undefined)
      return Promise.resolve(answer).then((a) =>
        createResponse(request, a.code ?? RESPONSE_CODE.SUCCESS, {
          remark: a.remark,
          extFields: a.extFields,
          body: a.body,
        }),
      )
    })
    return this
  }

  /** Never answers `code` (the caller's deadline must fire). */
  silence(code: number): this {
    return this.on(code, () => 'SILENT')
  }

  received(code: number): RemotingCommand[] {
    return this.requests.filter((r) => r.code === code)
  }

  close(): Promise<void> {
    return this.server.close()
  }
}
