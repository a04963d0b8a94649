// app/_components/console-path.ts: what the nav and the cluster switcher take as the current section.
import { describe, expect, it } from 'vitest'
import { parseConsolePath, sectionPath, SECTIONS } from '@/app/_components/console-path'
import { formatAgo } from '@/app/_components/updated-ago'
import { niceCeiling } from '@/app/_components/line-chart'

describe('console-path', () => {
  it('reads the cluster and section', () => {
    expect(parseConsolePath('/c/embedded')).toEqual({ cluster: 'embedded', section: '' })
    expect(parseConsolePath('/c/prod-1/topics')).toEqual({ cluster: 'prod-1', section: 'topics' })
    expect(parseConsolePath('/c/prod-1/topics/%25DLQ%25orders')).toEqual({
      cluster: 'prod-1',
      section: 'topics',
    })
    expect(parseConsolePath('/c/prod-1/unknown-page')).toEqual({ cluster: 'prod-1', section: '' })
    expect(parseConsolePath('/c/prod-1/dlq')).toEqual({ cluster: 'prod-1', section: 'dlq' })
    expect(parseConsolePath('/c/prod-1/dlq/orders%25x')).toEqual({ cluster: 'prod-1', section: 'dlq' })
    expect(parseConsolePath('/clusters')).toBeUndefined()
  })

  it('builds the same section on another cluster', () => {
    expect(sectionPath('b', 'topics')).toBe('/c/b/topics')
    expect(sectionPath('b', '')).toBe('/c/b')
    expect(sectionPath('b', 'dlq')).toBe('/c/b/dlq')
  })

  it('offers every section once, the DLQ after Messages', () => {
    const sections = SECTIONS.map((s) => s.section)
    expect(new Set(sections).size).toBe(sections.length)
    expect(sections.indexOf('dlq')).toBe(sections.indexOf('messages') + 1)
  })
})

describe('small display helpers', () => {
  it('says how long ago', () => {
    expect(formatAgo(3_400)).toBe('3 s ago')
    expect(formatAgo(-50)).toBe('0 s ago')
    expect(formatAgo(5 * 60_000)).toBe('5 min ago')
    expect(formatAgo(3 * 3_600_000)).toBe('3 h ago')
  })

  it('rounds chart maxima up to 1/2/5 steps', () => {
    expect(niceCeiling(0)).toBe(1)
    expect(niceCeiling(7)).toBe(10)
    expect(niceCeiling(130)).toBe(200)
    expect(niceCeiling(0.3)).toBe(0.5)
    expect(niceCeiling(5000)).toBe(5000)
  })
})
