import { describe, expect, it } from 'vitest'
import {
  appendProperty,
  findProperty,
  formatProperties,
  isPropertyTextValid,
  parseProperties,
} from '../../../broker-engine/store/message-properties'

describe('properties string', () => {
  const java = 'KEYS\u0001k1 k2\u0002UNIQ_KEY\u0001ABC\u0002WAIT\u0001true\u0002TAGS\u0001TagA'
  const aliOns = 'TAGS\u0001TagA\u0002KEYS\u0001k1\u0002'

  it('finds whole names only, in Java (no trailing separator) and ali-ons (trailing) forms', () => {
    expect(findProperty(java, 'TAGS')).toBe('TagA')
    expect(findProperty(java, 'KEYS')).toBe('k1 k2')
    expect(findProperty(aliOns, 'KEYS')).toBe('k1')
    expect(findProperty('XTAGS\u0001no\u0002TAGS\u0001yes', 'TAGS')).toBe('yes')
    expect(findProperty('TAGSX\u0001no', 'TAGS')).toBeUndefined()
    expect(findProperty('', 'TAGS')).toBeUndefined()
  })

  it('parses to a map, skipping malformed segments', () => {
    const map = parseProperties('a\u00011\u0002junk\u0002\u0002x\u0001\u0002TAGS\u0001T')
    expect([...map]).toEqual([
      ['a', '1'],
      ['TAGS', 'T'],
    ])
  })

  it('formats without a trailing separator and round-trips', () => {
    const text = formatProperties([
      ['A', '1'],
      ['B', undefined],
      ['C', 'x y'],
    ])
    expect(text).toBe('A\u00011\u0002C\u0001x y')
    expect([...parseProperties(text)]).toEqual([
      ['A', '1'],
      ['C', 'x y'],
    ])
  })

  it('appends with exactly one separator whichever form came in', () => {
    expect(appendProperty('', 'U', '1')).toBe('U\u00011')
    expect(appendProperty('A\u00011', 'U', '2')).toBe('A\u00011\u0002U\u00012')
    expect(appendProperty('A\u00011\u0002', 'U', '2')).toBe('A\u00011\u0002U\u00012')
  })

  it('rejects text that would break the format', () => {
    expect(isPropertyTextValid('ok value')).toBe(true)
    expect(isPropertyTextValid('a\u0001b')).toBe(false)
    expect(isPropertyTextValid('a\u0002b')).toBe(false)
    expect(isPropertyTextValid('a\0b')).toBe(false)
  })
})
