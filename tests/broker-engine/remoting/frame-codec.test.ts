import { describe, expect, it } from 'vitest'
import { FrameDecoder, decodeFrame, encodeCommand } from '../../../broker-engine/remoting/frame-codec'
import {
  createRequest,
  createResponse,
  type RemotingCommand,
} from '../../../broker-engine/remoting/remoting-command'
import { DEFAULT_REMOTING_LIMITS, RemotingFrameError } from '../../../broker-engine/remoting/remoting-limits'
import { fixtureFrame, fixtureIndex, hasFixtureFrame, type FixtureHeader } from './remoting-fixtures'

function decodeAll(bytes: Buffer, chunkBytes = bytes.length): RemotingCommand[] {
  const decoder = new FrameDecoder()
  const out: RemotingCommand[] = []
  for (let p = 0; p < bytes.length; p += chunkBytes)
    decoder.push(bytes.subarray(p, Math.min(bytes.length, p + chunkBytes)), (c) => out.push(c))
  expect(decoder.bufferedBytes).toBe(0)
  return out
}

/** The header fields index.json records, with ext values as the strings a Java server sees. */
function expectHeader(cmd: RemotingCommand, header: FixtureHeader): void {
  expect(cmd.code).toBe(header.code)
  expect(cmd.opaque).toBe(header.opaque)
  expect(cmd.flag).toBe(header.flag)
  expect(cmd.language).toBe(header.language ?? 'JAVA')
  expect(cmd.version).toBe(header.version ?? 0)
  expect(cmd.remark).toBe(header.remark)
  if (header.extFields === undefined) expect(cmd.extFields).toBeUndefined()
  else
    expect({ ...cmd.extFields }).toEqual(
      Object.fromEntries(Object.entries(header.extFields).map(([k, v]) => [k, String(v)])),
    )
}

describe('remoting frames: every captured RocketMQ 4.9.4 frame', () => {
  const index = fixtureIndex()

  it('decodes every request and response, whole and split byte by byte, as index.json describes', () => {
    let frames = 0
    for (const e of index) {
      for (const kind of ['req', 'res'] as const) {
        if (!hasFixtureFrame(e.file, kind)) continue
        const header = kind === 'req' ? e.requestHeaderJson : e.responseHeaderJson
        const bytes = fixtureFrame(e.file, kind)
        const [whole] = decodeAll(bytes)
        const split = decodeAll(bytes, 1)
        expect(split).toHaveLength(1)
        for (const cmd of [whole!, split[0]!]) {
          expectHeader(cmd, header!)
          expect(cmd.serializeType).toBe(kind === 'req' ? e.serializeType : e.responseSerializeType)
          expect(cmd.body?.length ?? 0).toBe(kind === 'req' ? e.bodyLength.req : e.bodyLength.res)
        }
        frames++
      }
    }
    expect(frames).toBeGreaterThan(470)
  })

  it('decodes all captured frames back to back in one stream, in any chunking', () => {
    const files = index.flatMap((e) =>
      (['req', 'res'] as const).filter((k) => hasFixtureFrame(e.file, k)).map((k) => fixtureFrame(e.file, k)),
    )
    const stream = Buffer.concat(files)
    for (const chunk of [stream.length, 65536, 4093, 7, 3]) {
      const cmds = decodeAll(stream, chunk)
      expect(cmds).toHaveLength(files.length)
      expect(cmds.map((c) => c.body?.length ?? 0)).toEqual(
        files.map((f) => decodeFrame(f, 4, f.length).body?.length ?? 0),
      )
    }
  })

  it('re-encodes each decoded frame into one that decodes to the same command (JSON and binary headers)', () => {
    for (const e of index) {
      for (const kind of ['req', 'res'] as const) {
        if (!hasFixtureFrame(e.file, kind)) continue
        const [cmd] = decodeAll(fixtureFrame(e.file, kind))
        const again = decodeAll(encodeCommand(cmd!))
        expect(again[0]).toEqual(cmd)
      }
    }
  })

  it('writes a binary header byte for byte like RocketMQ (PROTOCOL.md 1.3 example)', () => {
    const cmd: RemotingCommand = {
      ...createRequest(105, { extFields: { topic: 'TopicTest' }, serializeType: 1 }),
      version: 479,
      opaque: 1,
    }
    const expected =
      '0000002d01000029006900' +
      '01df' +
      '00000001' +
      '00000000' +
      '00000000' +
      '00000014' +
      '0005' +
      Buffer.from('topic').toString('hex') +
      '00000009' +
      Buffer.from('TopicTest').toString('hex')
    expect(encodeCommand(cmd).toString('hex')).toBe(expected)
  })

  it('writes JSON headers in fastjson field order, leaving out null fields', () => {
    const request = decodeAll(fixtureFrame('007-mqadmin-clusterList-GET_BROKER_CLUSTER_INFO', 'req'))[0]!
    const response = createResponse(request, 0, { extFields: { a: '1' } })
    const frame = encodeCommand(response)
    const headerLength = frame.readInt32BE(4)
    expect(frame.toString('utf8', 8, 8 + headerLength)).toBe(
      '{"code":0,"extFields":{"a":"1"},"flag":1,"language":"JAVA","opaque":0,' +
        '"serializeTypeCurrentRPC":"JSON","version":401}',
    )
    expect(frame.readInt32BE(0)).toBe(frame.length - 4)
  })

  it('coerces ali-ons number and boolean ext values to strings', () => {
    const header = JSON.stringify({
      code: 310,
      language: 'JAVA',
      opaque: 3,
      flag: 0,
      version: 121,
      extFields: { a: 'PID', e: 0, k: false, g: 1795830812651 },
    })
    const frame = Buffer.alloc(8 + header.length)
    frame.writeInt32BE(4 + header.length, 0)
    frame.writeInt32BE(header.length, 4)
    frame.write(header, 8)
    const [cmd] = decodeAll(frame)
    expect({ ...cmd!.extFields }).toEqual({ a: 'PID', e: '0', k: 'false', g: '1795830812651' })
    expect(cmd!.body).toBeUndefined()
  })
})

describe('remoting frames: large and split frames', () => {
  it('assembles a 3 MiB frame sent in 4 KiB reads, reserving memory as bytes arrive', () => {
    const body = Buffer.alloc(3 * 1024 * 1024)
    for (let i = 0; i < body.length; i++) body[i] = i % 251
    const frame = encodeCommand({ ...createRequest(310, { extFields: { b: 'T' }, body }), opaque: 7 })
    const decoder = new FrameDecoder()
    const got: RemotingCommand[] = []
    let reservedMax = 0
    for (let p = 0; p < frame.length; p += 4096) {
      decoder.push(frame.subarray(p, p + 4096), (c) => got.push(c))
      reservedMax = Math.max(reservedMax, decoder.reservedBytes)
      if (p === 64 * 4096) expect(decoder.reservedBytes).toBeLessThanOrEqual(512 * 1024)
    }
    expect(got).toHaveLength(1)
    expect(got[0]!.body!.equals(body)).toBe(true)
    expect(reservedMax).toBeLessThanOrEqual(frame.length)
    expect(decoder.reservedBytes).toBe(0)
  })

  it('reserves only what arrived for a frame that declares 16 MiB and never comes', () => {
    const decoder = new FrameDecoder()
    const head = Buffer.alloc(8 + 1000)
    head.writeInt32BE(16 * 1024 * 1024, 0)
    head.writeInt32BE(20, 4)
    decoder.push(head, () => undefined)
    expect(decoder.reservedBytes).toBeLessThanOrEqual(64 * 1024)
    expect(decoder.bufferedBytes).toBe(1004)
  })
})

describe('remoting frames: malformed input', () => {
  const frameOf = (typeAndHeaderLength: number, header: Buffer, body = Buffer.alloc(0)) => {
    const out = Buffer.alloc(8 + header.length + body.length)
    out.writeInt32BE(4 + header.length + body.length, 0)
    out.writeUInt32BE(typeAndHeaderLength >>> 0, 4)
    header.copy(out, 8)
    body.copy(out, 8 + header.length)
    return out
  }
  const json = (s: string) => Buffer.from(s)
  const cases: [string, Buffer][] = [
    ['length below 4', Buffer.from('0000000300000000', 'hex')],
    ['length above the frame limit', Buffer.from('7fffffff00000000', 'hex')],
    ['negative length', Buffer.from('ffffffff00000000', 'hex')],
    ['header longer than the frame', frameOf(100, json('{"code":1}'))],
    ['unknown serialize type', frameOf((2 << 24) | 10, json('{"code":1}'))],
    ['header not JSON', frameOf(5, json('{"cod'))],
    ['header a JSON array', frameOf(7, json('[1,2,3]'))],
    ['header without code', frameOf(12, json('{"opaque":1}'))],
    ['code not an integer', frameOf(14, json('{"code":"x1"}'))],
    ['extFields not an object', frameOf(26, json('{"code":1,"extFields":[1]}'))],
    ['remark not a string', frameOf(22, json('{"code":1,"remark":5}'))],
    ['binary header too short', frameOf((1 << 24) | 4, Buffer.alloc(4))],
  ]
  for (const [name, bytes] of cases) {
    it(`refuses ${name} with a RemotingFrameError`, () => {
      expect(() => decodeAll(bytes)).toThrow(RemotingFrameError)
    })
  }

  it('refuses a binary header cut at every position, and one with lengths pointing outside it', () => {
    const good = encodeCommand({
      ...createRequest(310, { extFields: { a: 'group', b: 'Topic' }, remark: 'r', serializeType: 1 }),
      opaque: 9,
    })
    const headerLength = good.readUInt32BE(4) & 0xffffff
    for (let cut = 0; cut < headerLength; cut++) {
      const header = good.subarray(8, 8 + cut)
      expect(() => decodeAll(frameOf((1 << 24) | cut, header)), `cut at ${cut}`).toThrow(RemotingFrameError)
    }
    const lying = Buffer.from(good)
    lying.writeInt32BE(1_000_000, 8 + 13) // remark length
    expect(() => decodeAll(lying)).toThrow(RemotingFrameError)
  })

  it('refuses headers and ext tables over the limits', () => {
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, 'v']))
    const bigHeader = JSON.stringify({ code: 1, extFields: many })
    expect(() => decodeAll(frameOf(bigHeader.length, json(bigHeader)))).toThrow(/too many extFields/)
    const longValue = JSON.stringify({ code: 1, extFields: { i: 'x'.repeat(70_000) } })
    expect(() => decodeAll(frameOf(longValue.length, json(longValue)))).toThrow(RemotingFrameError)
    expect(DEFAULT_REMOTING_LIMITS.frameBytesMax).toBe(16 * 1024 * 1024)
  })

  it('survives 100,000 random and mutated frames: each is a command or a RemotingFrameError', () => {
    let seed = 0x5eed
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed / 0x80000000
    }
    const samples = fixtureIndex()
      .slice(0, 60)
      .map((e) => fixtureFrame(e.file, 'req'))
    let decoded = 0
    let refused = 0
    let incomplete = 0
    for (let i = 0; i < 100_000; i++) {
      let bytes: Buffer
      if (i % 4 === 0) {
        bytes = Buffer.alloc(Math.floor(rand() * 64))
        for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(rand() * 256)
      } else {
        bytes = Buffer.from(samples[i % samples.length]!)
        const flips = 1 + Math.floor(rand() * 4)
        for (let f = 0; f < flips; f++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256)
      }
      const decoder = new FrameDecoder()
      try {
        let commands = 0
        decoder.push(bytes, () => commands++)
        if (commands > 0) decoded++
        else incomplete++ // a frame whose length runs past the bytes given: waits for more
      } catch (err) {
        if (!(err instanceof RemotingFrameError)) throw err
        refused++
      }
    }
    expect(decoded + refused + incomplete).toBe(100_000)
    expect(decoded).toBeGreaterThan(10_000)
    expect(refused).toBeGreaterThan(10_000)
  })
})
