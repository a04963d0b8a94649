// The fastjson dialect: parity with JSON.parse on standard JSON, fastjson's non-string map keys, strict
// rejection of everything else (truncations, seeded mutations, nesting bombs), and every JSON body in the
// captured RocketMQ frames.

import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  FASTJSON_DEPTH_MAX,
  FastjsonSyntaxError,
  isFastjsonObject,
  parseFastjson,
  parseMessageQueueKey,
  type FastjsonObject,
  type FastjsonValue,
} from '../../../broker-engine/remoting/fastjson'
import { messageQueueJsonKey, toFastjson } from '../../../broker-engine/remoting/fastjson-writer'
import { seededRandom } from '../../helpers/seeded-random'

const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/rocketmq-remoting/', import.meta.url))

const MQ_KEY = '{"brokerName":"broker-a","queueId":0,"topic":"T"}'

/** A body with every fastjson oddity: bare, quoted and inline-object keys, bare numbers under object keys. */
const FASTJSON_SAMPLE = [
  '{"brokerAddrs":{0:"127.0.0.1:10911",1:"127.0.0.2:10911"},"consumeTps":0.06666666666666667,"idle":0.0,',
  '"offsetTable":{{"brokerName":"broker-a","queueId":0,"topic":"T"}:{"brokerOffset":12,"consumerOffset":10},',
  '{"brokerName":"broker-a","queueId":1,"topic":"T"}:249},',
  '"quoted":{"0":"a","{\\"queueId\\":2}":[true,false,null]},',
  '"text":"tab\\t quote\\" \\u00e9 \\ud83d\\ude00","list":[-1.5e-3,[],{}]}',
].join('')

const STANDARD_DOCS = [
  '{}',
  '[]',
  '0',
  '-0',
  '42',
  'true',
  'false',
  'null',
  '""',
  '"plain"',
  ' \t\r\n {"a" : [ 1 , 2 ] , "b" : { } } \n',
  '{"s":"q\\" bs\\\\ sl\\/ \\b\\f\\n\\r\\t end"}',
  '"\\u0041\\u00e9\\u4e2d\\u0000\\u001f\\uFFFF"',
  '"\\ud83d\\ude00 pair, \\uD83D lone high, \\uDE00 lone low"',
  '"raw 😀 é 中 \u2028"',
  '[0,-0,1,-1,1.5,-1.5,0.0,1e3,1E3,1e+3,1e-3,-1.25E-7,0.06666666666666667,33.333333333333336]',
  '[1e308,1e309,-1e400,5e-324,1e-400,9007199254740991,9007199254740993,123456789012345678901234567890]',
  '[999999999999999,1000000000000000,-999999999999999,12345678901234567890]',
  '[[[[]]],[{}],[1,[2,[3,[4]]]],[[],[[]]]]',
  '{"a":1,"a":2}',
  '{"b":1,"10":2,"9":3,"a":4}',
  '{"__proto__":{"polluted":true},"x":1}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"brokerAddrs":{"0":"127.0.0.1:10911"},"brokerName":"broker-a","cluster":"DefaultCluster"}',
]

const MALFORMED = [
  '',
  ' ',
  '{',
  '}',
  '[',
  ']',
  '{"a"}',
  '{"a":}',
  '{"a" 1}',
  '{"a"::1}',
  '{"a":1,}',
  '{"a":1 "b":2}',
  '{"a":1,"b"}',
  '{,}',
  '{:1}',
  '{a:1}',
  "{'a':1}",
  '{-:1}',
  '{1}',
  '{1:}',
  '{{"a":1}}',
  '{{"a":1}:}',
  '{[1]}',
  '{"a":1}}',
  '{"a":1}x',
  '[1,]',
  '[,1]',
  '[1,,2]',
  '[1 2]',
  '[1]]',
  '[-]',
  '[--1]',
  '1 2',
  'tru',
  'nul',
  'fals',
  'True',
  'NULL',
  'undefined',
  'NaN',
  'Infinity',
  '-Infinity',
  '01',
  '-01',
  '00',
  '-',
  '1.',
  '.5',
  '1.e3',
  '1e',
  '1e+',
  '1e-',
  '+1',
  '0x10',
  '1_000',
  '[1e5.5]',
  '"abc',
  '"abc\\"',
  '"\\x"',
  '"\\U0041"',
  '"\\u12"',
  '"\\u12G4"',
  '"\\u"',
  '"\\',
  '"a\nb"',
  '"a\tb"',
  '"\u0000"',
  "'single'",
  '\uFEFF{}',
  '\u00a0{}',
  '/*c*/{}',
  '{"a":1}//',
  '{"a":1};',
]

interface FixtureEntry {
  readonly file: string
  readonly codeName: string
  readonly bodyKind: { readonly req: string | null; readonly res: string | null }
  readonly bodyLength: { readonly req: number | null; readonly res: number | null }
  readonly notes: string
}

interface JsonBody {
  readonly name: string
  readonly entry: FixtureEntry
  readonly direction: 'req' | 'res'
  readonly text: string
}

const FIXTURES = JSON.parse(fs.readFileSync(FIXTURE_DIR + 'index.json', 'utf8')) as FixtureEntry[]

/** The body of a captured frame: int32 length, int32 serializeType<<24 | headerLength, header, body. */
function frameBody(fileName: string, bodyLength: number | null): Buffer {
  const frame = fs.readFileSync(FIXTURE_DIR + fileName)
  if (frame.readInt32BE(0) + 4 !== frame.length) throw new Error(`${fileName}: length prefix != file size`)
  const body = frame.subarray(8 + (frame.readUInt32BE(4) & 0xffffff))
  if (body.length !== bodyLength)
    throw new Error(`${fileName}: body is ${body.length} bytes, index says ${bodyLength}`)
  return body
}

const JSON_BODIES: JsonBody[] = FIXTURES.flatMap((entry) =>
  (['req', 'res'] as const)
    .filter((direction) => entry.bodyKind[direction] === 'json')
    .map((direction) => {
      const name = `${entry.file}.${direction}.bin`
      const text = frameBody(name, entry.bodyLength[direction]).toString('utf8')
      return { name, entry, direction, text }
    }),
)

function bodyOf(file: string, direction: 'req' | 'res' = 'res'): FastjsonObject {
  const body = JSON_BODIES.find((b) => b.entry.file === file && b.direction === direction)
  if (!body) throw new Error(`no JSON body in fixture ${file}.${direction}.bin`)
  return objectAt(parseFastjson(body.text))
}

function objectAt(value: FastjsonValue | undefined): FastjsonObject {
  if (!isFastjsonObject(value)) throw new Error(`expected an object, got ${JSON.stringify(value)}`)
  return value
}

function arrayAt(value: FastjsonValue | undefined): FastjsonValue[] {
  if (!Array.isArray(value)) throw new Error(`expected an array, got ${JSON.stringify(value)}`)
  return value
}

function syntaxErrorOf(text: string): FastjsonSyntaxError {
  try {
    parseFastjson(text)
  } catch (err) {
    if (err instanceof FastjsonSyntaxError) return err
    throw err
  }
  throw new Error(`parsed without error: ${JSON.stringify(text)}`)
}

/** The value after a JSON.stringify round trip, which toFastjson mirrors: -0 becomes 0, ±Infinity null. */
function asWritten(value: FastjsonValue): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown
}

function jsonParseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

describe('parseFastjson on standard JSON', () => {
  it.each(STANDARD_DOCS)('matches JSON.parse: %s', (doc) => {
    const expected = JSON.parse(doc) as unknown
    const actual = parseFastjson(doc)
    // toEqual, not toStrictEqual: that one compares `.constructor`, an own property in one of the documents.
    expect(actual).toEqual(expected)
    if (isFastjsonObject(actual)) expect(Object.keys(actual)).toEqual(Object.keys(expected as object))
  })

  it('matches JSON.parse on a large generated document', () => {
    const random = seededRandom(7)
    const doc = JSON.stringify({
      topicList: Array.from({ length: 1000 }, (_, i) => `Topic-${i}-${'é😀"\\\n'.repeat(i % 3)}`),
      numbers: Array.from({ length: 1000 }, () => (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20)),
      longs: Array.from({ length: 100 }, () => Math.floor(random() * Number.MAX_SAFE_INTEGER)),
    })
    expect(parseFastjson(doc)).toStrictEqual(JSON.parse(doc))
  })

  it('keeps __proto__ as an own property and never touches a prototype', () => {
    for (const doc of ['{"__proto__":{"polluted":true}}', '{{"__proto__":1}:{"__proto__":[]}}']) {
      const value = objectAt(parseFastjson(doc))
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
      expect(Object.keys(value)).toHaveLength(1)
    }
    const value = objectAt(parseFastjson('{"__proto__":{"polluted":true}}'))
    expect(Object.hasOwn(value, '__proto__')).toBe(true)
    expect(objectAt(value['__proto__'])).toEqual({ polluted: true })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.keys(objectAt(parseFastjson('{{"__proto__":1}:2}')))).toEqual(['{"__proto__":1}'])
  })

  it('returns large integers as rounded numbers without throwing', () => {
    expect(parseFastjson('12345678901234567890')).toBe(12345678901234567890)
    expect(parseFastjson('-9007199254740993')).toBe(-9007199254740992)
    expect(parseFastjson('1' + '0'.repeat(400))).toBe(Infinity)
    expect(Object.is(parseFastjson('-0'), -0)).toBe(true)
  })
})

describe('parseFastjson on fastjson map keys', () => {
  it('turns bare number keys into their literal text', () => {
    expect(parseFastjson('{0:"a",1:"b"}')).toStrictEqual({ 0: 'a', 1: 'b' })
    expect(parseFastjson('{ -1 : "x" , 2.50 : "y" , 1e3 : "z" }')).toStrictEqual({
      '-1': 'x',
      '2.50': 'y',
      '1e3': 'z',
    })
    // A long key above 2^53 keeps every digit, unlike a long value.
    expect(Object.keys(objectAt(parseFastjson('{12345678901234567890:1}')))).toEqual(['12345678901234567890'])
    expect(parseFastjson('{0:"bare"}')).toStrictEqual(parseFastjson('{"0":"bare"}'))
  })

  it('turns inline object and array keys into their JSON text, in the key order written', () => {
    expect(parseFastjson(`{${MQ_KEY}:5}`)).toStrictEqual({ [MQ_KEY]: 5 })
    const spaced = '{ { "brokerName" : "broker-a" ,\n"queueId" : 0 , "topic" : "T" } : 5 }'
    expect(parseFastjson(spaced)).toStrictEqual({ [MQ_KEY]: 5 })
    const reordered = objectAt(parseFastjson('{{"topic":"T","queueId":0,"brokerName":"broker-a"}:{"x":1}}'))
    expect(Object.keys(reordered)).toEqual(['{"topic":"T","queueId":0,"brokerName":"broker-a"}'])
    expect(parseFastjson('{[1,"a",[]]:"x",[]:"y",{}:"z"}')).toStrictEqual({
      '[1,"a",[]]': 'x',
      '[]': 'y',
      '{}': 'z',
    })
    expect(parseFastjson('{{0:"nested bare"}:1}')).toStrictEqual({ '{"0":"nested bare"}': 1 })
    expect(parseFastjson('{{{"a":1}:2}:3}')).toStrictEqual({ '{"{\\"a\\":1}":2}': 3 })
  })

  it('reads the JSON-in-a-string key as the same property as the inline key', () => {
    const quoted = parseFastjson(
      '{"{\\"brokerName\\":\\"broker-a\\",\\"queueId\\":0,\\"topic\\":\\"T\\"}":5}',
    )
    expect(quoted).toStrictEqual(parseFastjson(`{${MQ_KEY}:5}`))
  })

  it('accepts bare true, false and null keys as their word', () => {
    expect(parseFastjson('{true:1,false:2,null:3}')).toStrictEqual({ true: 1, false: 2, null: 3 })
  })

  it('reads bare numbers under object keys (ResetOffsetBody)', () => {
    const value = objectAt(parseFastjson(`{"offsetTable":{${MQ_KEY}:249,${MQ_KEY.replace('0', '1')}:250}}`))
    expect(Object.values(objectAt(value.offsetTable))).toEqual([249, 250])
  })

  it('parses the sample with every oddity', () => {
    const value = objectAt(parseFastjson(FASTJSON_SAMPLE))
    expect(objectAt(value.brokerAddrs)['0']).toBe('127.0.0.1:10911')
    expect(value.consumeTps).toBe(0.06666666666666667)
    expect(value.idle).toBe(0)
    expect(objectAt(objectAt(value.offsetTable)[MQ_KEY])).toEqual({ brokerOffset: 12, consumerOffset: 10 })
    expect(objectAt(value.quoted)['{"queueId":2}']).toEqual([true, false, null])
    expect(value.text).toBe('tab\t quote" é 😀')
  })
})

describe('parseFastjson on malformed input', () => {
  it.each(MALFORMED)('throws FastjsonSyntaxError: %j', (text) => {
    const err = syntaxErrorOf(text)
    expect(err).toBeInstanceOf(SyntaxError)
    expect(err.position).toBeGreaterThanOrEqual(0)
    expect(err.position).toBeLessThanOrEqual(text.length)
    expect(err.message).toContain(`at position ${err.position}`)
  })

  it('reports where parsing stopped', () => {
    expect(syntaxErrorOf('{"a":1,}').position).toBe(7)
    expect(syntaxErrorOf('[1,]').position).toBe(3)
    expect(syntaxErrorOf('{"a":1}x').position).toBe(7)
    expect(syntaxErrorOf('"ab').position).toBe(3)
    expect(syntaxErrorOf('"a\\u12x4"').position).toBe(6)
    expect(syntaxErrorOf('{0 "a"}').position).toBe(3)
  })

  it('rejects every truncation of documents whose last byte closes them', () => {
    // The sample and each distinct captured body with fastjson's key forms; standard ones would only add time.
    const nonStandard = JSON_BODIES.filter((b) => b.entry.notes.includes('non-standard fastjson JSON'))
    const docs = new Set([FASTJSON_SAMPLE, ...nonStandard.map((b) => b.text)])
    const accepted: string[] = []
    for (const doc of docs) {
      for (let end = 0; end < doc.length; end++) {
        try {
          parseFastjson(doc.slice(0, end))
          accepted.push(doc.slice(0, end))
        } catch (err) {
          if (!(err instanceof FastjsonSyntaxError)) throw err
        }
      }
    }
    expect(accepted).toEqual([])
  })

  it('bounds nesting: arrays, objects and object keys', () => {
    const ok = '['.repeat(FASTJSON_DEPTH_MAX) + ']'.repeat(FASTJSON_DEPTH_MAX)
    expect(() => parseFastjson(ok)).not.toThrow()
    const tooDeep = '['.repeat(FASTJSON_DEPTH_MAX + 1) + ']'.repeat(FASTJSON_DEPTH_MAX + 1)
    expect(syntaxErrorOf(tooDeep).position).toBe(FASTJSON_DEPTH_MAX)
    const objects = '{"a":'.repeat(FASTJSON_DEPTH_MAX + 1) + '1' + '}'.repeat(FASTJSON_DEPTH_MAX + 1)
    expect(syntaxErrorOf(objects).message).toContain('nesting')
    for (const bomb of [
      '['.repeat(100_000),
      '{'.repeat(100_000),
      '{{'.repeat(50_000),
      '[{"a":'.repeat(30_000),
    ])
      expect(syntaxErrorOf(bomb).message).toContain('nesting')
  })

  it('either rejects a seeded random mutation or agrees with JSON.parse on it', () => {
    const seed = Number(process.env.FASTJSON_SEED ?? Math.floor(Math.random() * 2 ** 31))
    const random = seededRandom(seed)
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
    const alphabet = [
      '{',
      '}',
      '[',
      ']',
      '"',
      ':',
      ',',
      '\\',
      'u',
      '0',
      '1',
      '9',
      '-',
      '.',
      'e',
      '+',
      ' ',
      't',
      'n',
    ]
    const bases = [FASTJSON_SAMPLE, ...STANDARD_DOCS.filter((d) => d.length > 10)]
    for (let round = 0; round < 4000; round++) {
      let text = pick(bases)
      for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
        const at = Math.floor(random() * (text.length + 1))
        const cut = random() < 0.5 ? 1 : 0
        text = text.slice(0, at) + (random() < 0.7 ? pick(alphabet) : '') + text.slice(at + cut)
      }
      const context = `seed=${seed} (replay with FASTJSON_SEED) round=${round} text=${JSON.stringify(text)}`
      let actual: FastjsonValue | undefined
      try {
        actual = parseFastjson(text)
      } catch (err) {
        expect(err, context).toBeInstanceOf(FastjsonSyntaxError)
      }
      const expected = jsonParseOrUndefined(text)
      if (expected !== undefined) expect(actual, context).toEqual(expected)
      if (actual !== undefined) expect(parseFastjson(toFastjson(actual)), context).toEqual(asWritten(actual))
    }
  })
})

describe('parseMessageQueueKey', () => {
  const mq = { topic: 'T', brokerName: 'broker-a', queueId: 0 }

  it('reads the canonical key, any JSON form of it, and the JSON-string-encoded form', () => {
    expect(parseMessageQueueKey(MQ_KEY)).toEqual(mq)
    expect(
      parseMessageQueueKey(' { "topic":"T", "queueId":0, "brokerName":"broker-a", "extra":[1] } '),
    ).toEqual(mq)
    expect(parseMessageQueueKey(JSON.stringify(MQ_KEY))).toEqual(mq)
  })

  it('is the inverse of messageQueueJsonKey', () => {
    const odd = { topic: '%RETRY%G"1', brokerName: 'idc@broker-b', queueId: 1023 }
    expect(messageQueueJsonKey(mq)).toBe(MQ_KEY)
    expect(parseMessageQueueKey(messageQueueJsonKey(odd))).toEqual(odd)
  })

  it.each([
    'TopicTest',
    '',
    '0',
    '{',
    'null',
    '[]',
    '"TopicTest"',
    JSON.stringify(JSON.stringify(MQ_KEY)),
    '{"topic":"T","brokerName":"b"}',
    '{"topic":"T","brokerName":"b","queueId":1.5}',
    '{"topic":"T","brokerName":"b","queueId":"0"}',
    '{"topic":"T","brokerName":"b","queueId":2147483648}',
    '{"topic":1,"brokerName":"b","queueId":0}',
    '{"topic":"T","brokerName":null,"queueId":0}',
  ])('returns undefined for %j', (key) => {
    expect(parseMessageQueueKey(key)).toBeUndefined()
  })
})

describe('toFastjson', () => {
  it('sorts properties by name at every level, in UTF-16 order rather than integer keys first', () => {
    const value = { b: 1, 10: 2, 9: 3, a: { z: [{ y: 1, x: 2 }], y: 2 }, B: 0, é: 1 }
    expect(toFastjson(value)).toBe('{"10":2,"9":3,"B":0,"a":{"y":2,"z":[{"x":2,"y":1}]},"b":1,"é":1}')
  })

  it('writes what JSON.stringify writes for everything but key order', () => {
    const value = {
      s: 'q" \\ \n \u0001 😀 \ud800',
      n: [0, -0, 1.5, 1e21, 0.06666666666666667, NaN, Infinity],
      u: undefined,
      f: () => 1,
      arr: [undefined, () => 1, null, true, false],
      date: new Date(0),
    }
    expect(JSON.parse(toFastjson(value))).toStrictEqual(JSON.parse(JSON.stringify(value)))
    expect(toFastjson([1, undefined])).toBe('[1,null]')
    expect(toFastjson(1.0)).toBe('1')
    expect(toFastjson(null)).toBe('null')
  })

  it('writes a bigint as its digits, so a long above 2^53 survives', () => {
    expect(toFastjson({ offset: 12345678901234567890n })).toBe('{"offset":12345678901234567890}')
  })

  it('writes MessageQueue keys as JSON-in-a-string, which fastjson 1.x reads back as the queue', () => {
    const body = { offsetTable: { [MQ_KEY]: 42 } }
    expect(toFastjson(body)).toBe(
      '{"offsetTable":{"{\\"brokerName\\":\\"broker-a\\",\\"queueId\\":0,\\"topic\\":\\"T\\"}":42}}',
    )
  })

  it('writes a __proto__ own property as a key', () => {
    expect(toFastjson(parseFastjson('{"__proto__":{"a":1}}'))).toBe('{"__proto__":{"a":1}}')
  })

  it('refuses what it cannot write faithfully', () => {
    expect(() => toFastjson(undefined)).toThrow(TypeError)
    expect(() => toFastjson(() => 1)).toThrow(TypeError)
    expect(() => toFastjson({ m: new Map([[0, 'a']]) })).toThrow(TypeError)
    expect(() => toFastjson([new Set([1])])).toThrow(TypeError)
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    expect(() => toFastjson(cycle)).toThrow(RangeError)
  })

  it('writes exactly the nesting parseFastjson reads', () => {
    const nest = (levels: number): unknown => (levels === 0 ? 1 : [nest(levels - 1)])
    expect(parseFastjson(toFastjson(nest(FASTJSON_DEPTH_MAX)))).toStrictEqual(nest(FASTJSON_DEPTH_MAX))
    expect(() => toFastjson(nest(FASTJSON_DEPTH_MAX + 1))).toThrow(RangeError)
  })

  it('round-trips the sample: toFastjson(parseFastjson(x)) parses back to the same value', () => {
    const value = parseFastjson(FASTJSON_SAMPLE)
    const text = toFastjson(value)
    expect(JSON.parse(text)).toStrictEqual(value)
    expect(parseFastjson(text)).toStrictEqual(value)
  })
})

describe('captured RocketMQ 4.9.4 bodies', () => {
  it('has the JSON bodies the index lists', () => {
    expect(JSON_BODIES.length).toBeGreaterThanOrEqual(130)
    expect(JSON_BODIES.filter((b) => b.entry.notes.includes('non-standard fastjson JSON')).length).toBe(22)
  })

  it.each(JSON_BODIES.map((b) => [b.name, b] as const))('parses %s', (_name, body) => {
    const value = parseFastjson(body.text)
    const standard = jsonParseOrUndefined(body.text)
    // JSON.parse fails exactly on the bodies the capture notes as non-standard, and agrees on all others.
    const label = `${body.direction === 'req' ? 'request' : 'response'} body: non-standard fastjson JSON`
    expect(standard === undefined).toBe(body.entry.notes.includes(label))
    if (standard !== undefined) expect(value).toStrictEqual(standard)
    // What the broker writes back is standard JSON that re-parses to the same value.
    const written = toFastjson(value)
    expect(JSON.parse(written)).toStrictEqual(value)
    expect(parseFastjson(written)).toStrictEqual(value)
  })

  it('GET_BROKER_CLUSTER_INFO: bare integer brokerAddrs keys', () => {
    const text = JSON_BODIES.find(
      (b) => b.entry.file === '007-mqadmin-clusterList-GET_BROKER_CLUSTER_INFO',
    )!.text
    const info = objectAt(parseFastjson(text))
    const brokerA = objectAt(objectAt(info.brokerAddrTable)['broker-a'])
    expect(objectAt(brokerA.brokerAddrs)['0']).toBe('127.0.0.1:10911')
    expect(objectAt(info.clusterAddrTable).DefaultCluster).toEqual(['broker-a'])
    // Re-written, only the key gains its quotes: the rest already is fastjson's sorted bean output.
    expect(toFastjson(info)).toBe(text.replace('{0:', '{"0":'))
  })

  it('GET_ROUTEINFO_BY_TOPIC: quoted "0" for a Java 4.9.4 client, bare 0 for ali-ons (version 121)', () => {
    const java = bodyOf('213-java-consume-all-GET_ROUTEINFO_BY_TOPIC')
    const aliOns = bodyOf('227-ali-ons-smoke-GET_ROUTEINFO_BY_TOPIC')
    for (const route of [java, aliOns]) {
      expect(objectAt(objectAt(arrayAt(route.brokerDatas)[0]).brokerAddrs)).toEqual({ 0: '127.0.0.1:10911' })
    }
  })

  it('GET_CONSUME_STATS: offsetTable keys are MessageQueues', () => {
    const stats = bodyOf('093-mqadmin-consumerProgress-GET_CONSUME_STATS')
    expect(stats.consumeTps).toBe(49.99250112483128)
    const offsetTable = objectAt(stats.offsetTable)
    const queues = Object.keys(offsetTable).map(parseMessageQueueKey)
    expect(queues).toHaveLength(5)
    expect(queues).toContainEqual({ topic: 'TopicTest', brokerName: 'broker-a', queueId: 3 })
    expect(queues).toContainEqual({
      topic: '%RETRY%please_rename_unique_group_name_4',
      brokerName: 'broker-a',
      queueId: 0,
    })
    for (const [key, entry] of Object.entries(offsetTable)) {
      expect(messageQueueJsonKey(parseMessageQueueKey(key)!)).toBe(key)
      expect(objectAt(entry).brokerOffset).toBeTypeOf('number')
    }
  })

  it('GET_TOPIC_STATS_INFO: one MessageQueue key per queue', () => {
    const offsetTable = objectAt(bodyOf('063-mqadmin-topicStatus-GET_TOPIC_STATS_INFO').offsetTable)
    const queueIds = Object.keys(offsetTable).map((key) => {
      const mq = parseMessageQueueKey(key)
      expect(mq?.topic).toBe('FixtureTopic')
      return mq?.queueId
    })
    expect(queueIds).toEqual([0, 1, 2, 3])
    expect(objectAt(offsetTable[Object.keys(offsetTable)[1]!]).lastUpdateTimestamp).toBe(1795830646340)
  })

  it('INVOKE_BROKER_TO_RESET_OFFSET and RESET_CONSUMER_CLIENT_OFFSET: bare numbers under object keys', () => {
    const response = bodyOf('109-mqadmin-resetOffsetByTime-online-INVOKE_BROKER_TO_RESET_OFFSET')
    const pushed = bodyOf('110-java-quickstart-consumer-RESET_CONSUMER_CLIENT_OFFSET-b2c', 'req')
    expect(pushed).toStrictEqual(response)
    const entries = Object.entries(objectAt(response.offsetTable))
    expect(entries.map(([key, offset]) => [parseMessageQueueKey(key)?.queueId, offset])).toEqual([
      [3, 249],
      [2, 249],
      [1, 249],
      [0, 249],
    ])
  })

  it('GET_BROKER_CONSUME_STATS: totalDiff is the lag summed over the nested offsetTables', () => {
    const body = bodyOf('144-mqadmin-brokerConsumeStats-GET_BROKER_CONSUME_STATS')
    // consumeStatsList is a list of one-entry maps, group name → list of ConsumeStats.
    let lag = 0
    for (const groupEntry of arrayAt(body.consumeStatsList)) {
      for (const stats of Object.values(objectAt(groupEntry)).flatMap(arrayAt)) {
        for (const [key, offsets] of Object.entries(objectAt(objectAt(stats).offsetTable))) {
          expect(parseMessageQueueKey(key)).toBeDefined()
          const { brokerOffset, consumerOffset } = objectAt(offsets)
          lag += (brokerOffset as number) - (consumerOffset as number)
        }
      }
    }
    expect(lag).toBe(body.totalDiff)
    expect(lag).toBe(1000)
  })
})
