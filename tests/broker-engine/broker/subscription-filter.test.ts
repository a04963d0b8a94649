import { describe, expect, it } from 'vitest'
import { javaStringHashCode } from '../../../broker-engine/common/java-hash'
import { matchesTag, parseSubscription } from '../../../broker-engine/broker/subscription-filter'

describe('subscription expressions', () => {
  it('"*" and empty match everything', () => {
    for (const text of ['*', '', undefined, '  *  ']) {
      const sub = parseSubscription(text)
      expect(sub.tags).toBeUndefined()
      expect(matchesTag(sub, undefined)).toBe(true)
      expect(matchesTag(sub, 'Any')).toBe(true)
    }
  })

  it('"TagA || TagB" matches those tags only, with their Java hash codes', () => {
    const sub = parseSubscription('TagA || TagB')
    expect([...sub.tags!]).toEqual(['TagA', 'TagB'])
    expect([...sub.tagsCodes!]).toEqual([javaStringHashCode('TagA'), javaStringHashCode('TagB')])
    expect(matchesTag(sub, 'TagA')).toBe(true)
    expect(matchesTag(sub, 'TagC')).toBe(false)
    expect(matchesTag(sub, undefined)).toBe(false)
  })

  it('rejects an absurdly long expression', () => {
    expect(() => parseSubscription('T||'.repeat(2000))).toThrow(/longer than/)
  })
})
