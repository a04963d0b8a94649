import { describe, expect, it } from 'vitest'
import { isArray, isWellFormedText } from '../../../../broker-engine/client/rebalance/input-checks'

describe('isWellFormedText', () => {
  it('accepts surrogate pairs and rejects lone surrogates', () => {
    expect(isWellFormedText('plain')).toBe(true)
    expect(isWellFormedText('')).toBe(true)
    expect(isWellFormedText('😀')).toBe(true)
    expect(isWellFormedText('\uD83D')).toBe(false)
    expect(isWellFormedText('x\uDE00y')).toBe(false)
    expect(isWellFormedText('\uDE00\uD83D')).toBe(false) // a pair in the wrong order is two lone halves
  })
})

describe('isArray', () => {
  it('is true for arrays, frozen ones included, and false for array-likes', () => {
    expect(isArray([])).toBe(true)
    expect(isArray(Object.freeze([1]))).toBe(true)
    expect(isArray('abc')).toBe(false)
    expect(isArray({ length: 0 })).toBe(false)
    expect(isArray(undefined)).toBe(false)
  })
})
