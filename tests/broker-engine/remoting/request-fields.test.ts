// The header readers every processor shares: Java's number and boolean rules, the two remark families, and the
// difference between a missing field and an empty one.

import { describe, expect, it } from 'vitest'
import { createRequest } from '../../../broker-engine/remoting/remoting-command'
import { RESPONSE_CODE } from '../../../broker-engine/remoting/remoting-codes'
import {
  clientFields,
  customFields,
  parseDecimal,
  RequestError,
} from '../../../broker-engine/remoting/request-fields'

const request = (extFields: Record<string, string>) => createRequest(0, { extFields })

/** What a reader throws, as a RequestError (the test fails if it returned). */
function refusal(read: () => unknown): RequestError {
  try {
    read()
  } catch (err) {
    expect(err).toBeInstanceOf(RequestError)
    return err as RequestError
  }
  throw new Error('expected the reader to throw')
}

describe('request fields', () => {
  it('parses plain decimals only', () => {
    expect(parseDecimal('0')).toBe(0)
    expect(parseDecimal('1795830633940')).toBe(1795830633940)
    expect(parseDecimal('-16')).toBe(-16)
    for (const bad of ['', '-', ' 1', '1 ', '1e3', '0x10', '+1', '1.5', 'one', '123456789012345678901'])
      expect(parseDecimal(bad)).toBeNaN()
  })

  it('checks ranges and clamps Long.MAX_VALUE where asked', () => {
    const r = request({ big: '9223372036854775807', q: '2147483648', t: 'TRUE', f: 'yes', p: ' true' })
    expect(clientFields.optionalLong(r, 'big', undefined, true)).toBe(Number.MAX_SAFE_INTEGER)
    expect(() => clientFields.optionalLong(r, 'big')).toThrow(/64-bit/)
    expect(() => clientFields.requiredInt32(r, 'q')).toThrow(/32-bit/)
    expect(clientFields.optionalInt32(r, 'absent')).toBeUndefined()
    expect(clientFields.optionalBoolean(r, 't')).toBe(true)
    expect(clientFields.optionalBoolean(r, 'f')).toBe(false)
    // Boolean.parseBoolean does not trim.
    expect(customFields.optionalBoolean(r, 'p')).toBe(false)
    expect(clientFields.optionalBoolean(r, 'missing')).toBeUndefined()
  })

  it('words a field it cannot use the client processors’ way or RocketMQ’s way, with the same code', () => {
    const r = request({ e: 'one', big: '1e99', blank: '' })
    const cases: [() => unknown, string][] = [
      [
        () => clientFields.requiredInt32(r, 'missing', 'queueId'),
        'the header field missing (queueId) is missing',
      ],
      [
        () => clientFields.requiredInt32(r, 'e', 'queueId'),
        'the header field e (queueId) is not a 32-bit integer: one',
      ],
      [
        () => clientFields.requiredLong(r, 'big'),
        'the header field big is not a 64-bit integer this broker can hold: 1e99',
      ],
      [() => customFields.requiredString(r, 'topic'), 'the custom field <topic> is null'],
      [() => customFields.requiredInt32(r, 'e'), 'the custom field <e> must be a 32-bit integer; got "one"'],
      [
        () => customFields.requiredLong(r, 'big'),
        'the custom field <big> must be an integer of at most 2^53; got "1e99"',
      ],
    ]
    for (const [read, remark] of cases) {
      const err = refusal(read)
      expect([err.code, err.message]).toEqual([RESPONSE_CODE.SYSTEM_ERROR, remark])
    }
    expect(refusal(() => customFields.requiredInt32(request({ n: 'x'.repeat(100) }), 'n')).message).toBe(
      `the custom field <n> must be a 32-bit integer; got "${'x'.repeat(40)}…"`,
    )
  })

  it('tells an empty field from a missing one where the processors differ', () => {
    const r = request({ empty: '', blank: '  ', value: 'v' })
    expect(customFields.requiredString(r, 'empty')).toBe('')
    expect(refusal(() => clientFields.requiredNonEmpty(r, 'empty')).message).toBe(
      'the header field empty is missing',
    )
    expect(clientFields.optionalString(r, 'empty')).toBeUndefined()
    expect(clientFields.optionalString(r, 'blank')).toBe('  ')
    expect(customFields.optionalNonBlank(r, 'blank')).toBeUndefined()
    expect(customFields.optionalNonBlank(r, 'value')).toBe('v')
  })

  it('reads topic and group names as INVALID_PARAMETER when they break RocketMQ’s rules', () => {
    const r = request({ topic: 'bad topic', group: 'g-1', other: 'T' })
    const bad = refusal(() => customFields.topicField(r))
    expect([bad.code, bad.message]).toEqual([
      RESPONSE_CODE.INVALID_PARAMETER,
      expect.stringMatching(/illegal/),
    ])
    expect(customFields.topicField(r, 'other')).toBe('T')
    expect(customFields.groupField(r, 'group')).toBe('g-1')
    expect(refusal(() => customFields.groupField(r, 'none')).message).toBe('the custom field <none> is null')
  })
})
