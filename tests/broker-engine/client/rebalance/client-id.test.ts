import { describe, expect, it } from 'vitest'
import { EngineError } from '../../../../broker-engine/common/engine-error'
import {
  CLIENT_ID_LENGTH_MAX,
  CLIENT_IDS_MAX,
  sortClientIds,
  validateClientId,
} from '../../../../broker-engine/client/rebalance/client-id'

function expectArgumentInvalid(run: () => unknown, messagePart: string): void {
  expect(run).toThrow(EngineError)
  expect(run).toThrow(messagePart)
  try {
    run()
  } catch (error) {
    expect((error as EngineError).code).toBe('ARGUMENT_INVALID')
  }
}

describe('sortClientIds (Collections.sort of Java strings)', () => {
  it('sorts by UTF-16 code unit, as Java String.compareTo does', () => {
    // Code units: '1' 0x31 < '9' 0x39 < 'B' 0x42 < 'a' 0x61 < 'b' 0x62 < '😀' 0xD83D... < '\uFFFF'.
    expect(sortClientIds(['b', '\uFFFF', 'B', '😀', 'a', '9', '10'])).toEqual([
      '10',
      '9',
      'B',
      'a',
      'b',
      '😀',
      '\uFFFF',
    ])
  })

  it('sorts real client ids by address then instance', () => {
    expect(sortClientIds(['192.168.0.2@4512', '192.168.0.10@77', '192.168.0.2@4511'])).toEqual([
      '192.168.0.10@77',
      '192.168.0.2@4511',
      '192.168.0.2@4512',
    ])
  })

  it('returns a new array and leaves the input as it was', () => {
    const input = Object.freeze(['b', 'a'])
    expect(sortClientIds(input)).toEqual(['a', 'b'])
    expect(input).toEqual(['b', 'a'])
  })

  it('rejects duplicates, malformed ids and too many ids', () => {
    expectArgumentInvalid(() => sortClientIds(['a', 'b', 'a']), 'duplicate client id a')
    expectArgumentInvalid(() => sortClientIds(['a', '']), 'clientIds[1] must be a client id')
    expectArgumentInvalid(() => sortClientIds('a' as unknown as string[]), 'must be an array')
    const tooMany = Array.from({ length: CLIENT_IDS_MAX + 1 }, (_, i) => `cid-${i}`)
    expectArgumentInvalid(() => sortClientIds(tooMany), `at most ${CLIENT_IDS_MAX} client ids`)
    expect(sortClientIds(tooMany.slice(1))).toHaveLength(CLIENT_IDS_MAX)
  })
})

describe('validateClientId', () => {
  it.each([
    ['empty', ''],
    ['too long', 'c'.repeat(CLIENT_ID_LENGTH_MAX + 1)],
    ['a lone surrogate', 'cid-\uDC00'],
    ['not a string', 42],
    ['undefined', undefined],
  ])('rejects %s', (_name, value) => {
    expectArgumentInvalid(() => validateClientId(value, 'cid'), 'cid must be a client id')
  })

  it('accepts ids up to the limit', () => {
    expect(() => validateClientId('c'.repeat(CLIENT_ID_LENGTH_MAX), 'cid')).not.toThrow()
    expect(() => validateClientId('10.0.0.1@12345#801982736512@unit', 'cid')).not.toThrow()
  })
})
