import { describe, expect, it } from 'vitest'
import {
  guarded,
  optionalBoolean,
  optionalLong,
  parseDecimal,
  requiredInt32,
} from '../../../../broker-engine/remoting/broker/request-fields'
import { EngineError } from '../../../../broker-engine/common/engine-error'
import { RESPONSE_CODE } from '../../../../broker-engine/remoting/remoting-codes'
import { request } from './broker-test-kit'

describe('request fields', () => {
  it('parses plain decimals only, as Long.parseLong does', () => {
    expect(parseDecimal('0')).toBe(0)
    expect(parseDecimal('1795830633940')).toBe(1795830633940)
    expect(parseDecimal('-16')).toBe(-16)
    for (const bad of ['', '-', ' 1', '1 ', '1e3', '0x10', '+1', '1.5', 'one', '123456789012345678901'])
      expect(parseDecimal(bad)).toBeNaN()
  })

  it('checks ranges and clamps Long.MAX_VALUE where asked', () => {
    const r = request(0, { big: '9223372036854775807', q: '2147483648', t: 'TRUE', f: 'yes' })
    expect(optionalLong(r, 'big', undefined, true)).toBe(Number.MAX_SAFE_INTEGER)
    expect(() => optionalLong(r, 'big')).toThrow(/64-bit/)
    expect(() => requiredInt32(r, 'q')).toThrow(/32-bit/)
    expect(() => requiredInt32(r, 'missing', 'queueId')).toThrow('missing (queueId) is missing')
    expect(optionalBoolean(r, 't')).toBe(true)
    expect(optionalBoolean(r, 'f')).toBe(false)
    expect(optionalBoolean(r, 'missing')).toBeUndefined()
  })

  it('turns field and engine refusals into error answers, and lets other failures through', () => {
    const r = request(11, {})
    const fieldError = guarded((req) => {
      requiredInt32(req, 'queueId')
      return undefined
    })(r, undefined as never)
    expect(fieldError).toMatchObject({
      code: RESPONSE_CODE.SYSTEM_ERROR,
      remark: 'the header field queueId is missing',
    })
    const engineError = guarded(() => {
      throw new EngineError('ARGUMENT_INVALID', 'group must be 1-255 characters')
    })(r, undefined as never)
    expect(engineError).toMatchObject({
      code: RESPONSE_CODE.SYSTEM_ERROR,
      remark: 'group must be 1-255 characters',
    })
    expect(() =>
      guarded(() => {
        throw new TypeError('bug')
      })(r, undefined as never),
    ).toThrow('bug')
  })
})
