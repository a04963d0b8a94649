import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { encodeCommand, FrameDecoder } from '../../../broker-engine/remoting/frame-codec'
import {
  createRequest,
  createResponse,
  type RemotingCommand,
} from '../../../broker-engine/remoting/remoting-command'
import { RESPONSE_CODE } from '../../../broker-engine/remoting/remoting-codes'
import { RemotingClient, type RemotingClientOptions } from '../../../broker-engine/remoting/remoting-client'
import {
  RemotingConnectionClosedError,
  RemotingTimeoutError,
  type RemotingConnection,
} from '../../../broker-engine/remoting/remoting-connection'
import { RemotingServer } from '../../../broker-engine/remoting/remoting-server'

const ECHO = 9001
const THROWS = 9002
const NEVER = 9003
const ASK_BACK = 9004

const opened: { close(): unknown }[] = []
afterEach(async () => {
  for (const o of opened.splice(0).reverse()) await o.close()
})

async function startServer(): Promise<{ server: RemotingServer; address: string; seen: RemotingCommand[] }> {
  const server = new RemotingServer({ port: 0 })
  const seen: RemotingCommand[] = []
  server.register(ECHO, (req) => {
    seen.push(req)
    return createResponse(req, RESPONSE_CODE.SUCCESS, {
      extFields: { echo: req.extFields?.v ?? '' },
      body: req.body,
    })
  })
  server.register(THROWS, () => {
    throw new Error('processor blew up')
  })
  server.register(NEVER, () => new Promise<undefined>(() => undefined))
  server.register(ASK_BACK, async (req, conn: RemotingConnection) => {
    const answer = await conn.invoke(createRequest(40, { extFields: { q: 'from-server' } }), 2000)
    return createResponse(req, RESPONSE_CODE.SUCCESS, { remark: answer.remark })
  })
  const port = await server.listen()
  opened.push(server)
  return { server, address: `127.0.0.1:${port}`, seen }
}

function client(options?: RemotingClientOptions) {
  const c = new RemotingClient(options)
  opened.push(c)
  return c
}

describe('RemotingConnection, RemotingServer and RemotingClient', () => {
  it('matches many concurrent responses to their requests by opaque', async () => {
    const { address } = await startServer()
    const c = client()
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        c.invoke(
          address,
          createRequest(ECHO, { extFields: { v: `n${i}` }, body: Buffer.from(`b${i}`) }),
          3000,
        ),
      ),
    )
    answers.forEach((a, i) => {
      expect(a.code).toBe(0)
      expect(a.extFields?.echo).toBe(`n${i}`)
      expect(a.body?.toString()).toBe(`b${i}`)
    })
  })

  it('answers an unknown code with REQUEST_CODE_NOT_SUPPORTED and a failing processor with SYSTEM_ERROR', async () => {
    const { address } = await startServer()
    const c = client()
    const unknown = await c.invoke(address, createRequest(4242), 3000)
    expect(unknown.code).toBe(RESPONSE_CODE.REQUEST_CODE_NOT_SUPPORTED)
    expect(unknown.remark).toContain('4242')
    const failed = await c.invoke(address, createRequest(THROWS), 3000)
    expect(failed.code).toBe(RESPONSE_CODE.SYSTEM_ERROR)
    expect(failed.remark).toBe('processor blew up')
    expect(
      (await c.invoke(address, createRequest(ECHO, { extFields: { v: 'still' } }), 3000)).extFields?.echo,
    ).toBe('still')
  })

  it('does not answer a oneway request', async () => {
    const { address, seen } = await startServer()
    const socket = net.connect(Number(address.split(':')[1]), '127.0.0.1')
    opened.push({ close: () => socket.destroy() })
    const responses: RemotingCommand[] = []
    const decoder = new FrameDecoder()
    const firstResponse = new Promise<void>((resolve) =>
      socket.on('data', (chunk: Buffer) =>
        decoder.push(chunk, (cmd) => {
          responses.push(cmd)
          resolve()
        }),
      ),
    )
    await new Promise((r) => socket.once('connect', r))
    socket.write(
      encodeCommand({ ...createRequest(ECHO, { oneway: true, extFields: { v: 'one' } }), opaque: 1 }),
    )
    socket.write(encodeCommand({ ...createRequest(ECHO, { extFields: { v: 'two' } }), opaque: 2 }))
    await firstResponse
    expect(seen.map((r) => r.extFields?.v)).toEqual(['one', 'two'])
    expect(responses.map((r) => r.opaque)).toEqual([2])
  })

  it('rejects at the deadline when no response comes, and on close for requests still waiting', async () => {
    const { address } = await startServer()
    const c = client()
    await expect(c.invoke(address, createRequest(NEVER), 50)).rejects.toBeInstanceOf(RemotingTimeoutError)
    const conn = await c.connection(address)
    const waiting = conn.invoke(createRequest(NEVER), 10_000)
    conn.close()
    await expect(waiting).rejects.toBeInstanceOf(RemotingConnectionClosedError)
    // The next call opens a new connection.
    expect((await c.invoke(address, createRequest(ECHO), 3000)).code).toBe(0)
  })

  it('closes only the connection that sent a malformed frame', async () => {
    const { server, address } = await startServer()
    const good = client()
    expect((await good.invoke(address, createRequest(ECHO), 3000)).code).toBe(0)
    const bad = net.connect(Number(address.split(':')[1]), '127.0.0.1')
    await new Promise((r) => bad.once('connect', r))
    const closed = new Promise((r) => bad.once('close', r))
    bad.write(Buffer.from('0000000c01ffffff00000000000000000000', 'hex'))
    await closed
    expect(server.connectionCount).toBe(1)
    expect(
      (await good.invoke(address, createRequest(ECHO, { extFields: { v: 'ok' } }), 3000)).extFields?.echo,
    ).toBe('ok')
  })

  it('lets the server send requests to the client over the same connection', async () => {
    const { address } = await startServer()
    const c = client({
      onRequest: (req) =>
        createResponse(req, RESPONSE_CODE.SUCCESS, { remark: `client saw ${req.extFields?.q}` }),
    })
    const answer = await c.invoke(address, createRequest(ASK_BACK), 3000)
    expect(answer.remark).toBe('client saw from-server')
  })

  it('answers a binary-header request with a binary header', async () => {
    const { address } = await startServer()
    const answer = await client().invoke(
      address,
      createRequest(ECHO, { serializeType: 1, extFields: { v: 'bin' } }),
      3000,
    )
    expect(answer.serializeType).toBe(1)
    expect(answer.extFields?.echo).toBe('bin')
  })
})
