// The broker's fastjson writer (writeFastjson): sorted bean properties, doubles with a decimal point, nulls left
// out, and map keys written raw (bare numbers, inline MessageQueue objects) exactly as the captured 4.9.4 bodies
// have them. toFastjson's standard-JSON mode is tested with the parser in fastjson.test.ts.

import { describe, expect, it } from 'vitest'
import {
  FASTJSON_DEPTH_MAX,
  parseFastjson,
  parseMessageQueueKey,
} from '../../../broker-engine/remoting/fastjson'
import {
  fastjsonMap,
  javaDouble,
  javaDoubleText,
  toFastjson,
  writeFastjson,
} from '../../../broker-engine/remoting/fastjson-writer'
import { bodyText, fixtureCommand } from './broker/admin/admin-test-kit'

const mq = (topic: string, queueId: number) => ({ topic, queueId, brokerName: 'broker-a' })

describe('writeFastjson', () => {
  it('sorts bean properties by name and leaves out null and undefined ones', () => {
    expect(writeFastjson({ b: 1, a: 'x', c: null, d: undefined, A: true })).toBe('{"A":true,"a":"x","b":1}')
    expect(writeFastjson([1, null, 'x'])).toBe('[1,null,"x"]')
  })

  it('writes Java doubles with a decimal point and longs as plain numbers', () => {
    expect(writeFastjson({ consumeTps: javaDouble(0), sum: 12, tps: javaDouble(0.24) })).toBe(
      '{"consumeTps":0.0,"sum":12,"tps":0.24}',
    )
    expect(javaDoubleText(49.99250112483128)).toBe('49.99250112483128')
    expect(javaDoubleText(3)).toBe('3.0')
    expect(writeFastjson(javaDouble(Number.NaN))).toBe('null')
  })

  it('writes MessageQueue keys as inline objects, byte for byte like the captured ResetOffsetBody', () => {
    const captured = bodyText(
      fixtureCommand('109-mqadmin-resetOffsetByTime-online-INVOKE_BROKER_TO_RESET_OFFSET', 'res'),
    )
    const ours = writeFastjson({
      offsetTable: fastjsonMap([3, 2, 1, 0].map((q) => [mq('TopicTest', q), 249])),
    })
    expect(ours).toBe(captured)
  })

  it('writes the captured GET_TOPIC_STATS_INFO body byte for byte from the same values', () => {
    const captured = bodyText(fixtureCommand('063-mqadmin-topicStatus-GET_TOPIC_STATS_INFO', 'res'))
    const table = parseFastjson(captured) as { offsetTable: Record<string, Record<string, number>> }
    const entries = Object.entries(table.offsetTable).map(
      ([key, value]) => [parseMessageQueueKey(key)!, { ...value }] as const,
    )
    expect(writeFastjson({ offsetTable: fastjsonMap(entries) })).toBe(captured)
  })

  it('writes number keys bare, and parseFastjson reads every form back', () => {
    const text = writeFastjson({
      offsetTable: {
        'T@g': fastjsonMap([
          [0, 5],
          [1, 7],
        ]),
      },
    })
    expect(text).toBe('{"offsetTable":{"T@g":{0:5,1:7}}}')
    expect(parseFastjson(text)).toEqual({ offsetTable: { 'T@g': { '0': 5, '1': 7 } } })
    const nested = writeFastjson({ m: fastjsonMap([[mq('T', 0), { x: 1 }]]) })
    expect(nested).toBe('{"m":{{"brokerName":"broker-a","queueId":0,"topic":"T"}:{"x":1}}}')
    const key = Object.keys((parseFastjson(nested) as { m: object }).m)[0]!
    expect(parseMessageQueueKey(key)).toEqual(mq('T', 0))
  })

  it('leaves null map values out and escapes strings as JSON does', () => {
    expect(
      writeFastjson(
        fastjsonMap([
          [1, null],
          [2, 'a"b\n'],
        ]),
      ),
    ).toBe('{2:"a\\"b\\n"}')
  })

  it('refuses Maps, Sets, values with no JSON form and cycles', () => {
    expect(() => writeFastjson(new Map())).toThrow(TypeError)
    expect(() => writeFastjson(new Set())).toThrow(TypeError)
    expect(() => writeFastjson(undefined)).toThrow(TypeError)
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    expect(() => writeFastjson(cycle)).toThrow(RangeError)
    let deep: unknown = 1
    for (let i = 0; i < FASTJSON_DEPTH_MAX; i++) deep = [deep]
    expect(() => writeFastjson(deep)).not.toThrow()
    expect(() => writeFastjson([deep])).toThrow(RangeError)
  })
})

describe('toFastjson and writeFastjson', () => {
  it('differ only in null properties and map values: JSON.stringify writes them, fastjson leaves them out', () => {
    const value = { a: null, b: [null, 1], c: fastjsonMap([[0, null]]), d: javaDouble(2) }
    expect(toFastjson(value)).toBe('{"a":null,"b":[null,1],"c":{0:null},"d":2.0}')
    expect(writeFastjson(value)).toBe('{"b":[null,1],"c":{},"d":2.0}')
  })
})
