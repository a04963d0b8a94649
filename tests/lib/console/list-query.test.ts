// lib/console/list-query.ts: URL params parsed with defaults and bounds; filter, stable sort and paging.
import { describe, expect, it } from 'vitest'
import { firstParams, pageOf, parseListParams } from '@/lib/console/list-query'

const rows = [
  { name: 'Orders', lag: 5 },
  { name: 'payments', lag: 50 },
  { name: 'Points', lag: 5 },
  { name: 'inventory', lag: 0 },
]
const sorters = {
  name: (r: (typeof rows)[number]) => r.name.toLowerCase(),
  lag: (r: (typeof rows)[number]) => r.lag,
}

describe('list params and pages', () => {
  it('flattens both search-param forms to first values, %-names intact', () => {
    const fromUrl = firstParams(new URLSearchParams('topic=%25DLQ%25g&topic=other&q='))
    const fromNext = firstParams({ topic: ['%DLQ%g', 'other'], q: '', gone: undefined })
    expect(fromUrl).toEqual({ topic: '%DLQ%g', q: '' })
    expect(fromNext).toEqual(fromUrl)
  })

  it('parses URL params with defaults, first values and bounds', () => {
    expect(parseListParams(new URLSearchParams('q= ord &page=2&page=9&sort=lag&dir=desc'))).toEqual({
      q: 'ord',
      page: 2,
      pageSize: 50,
      sort: 'lag',
      dir: 'desc',
    })
    expect(parseListParams({ pageSize: ['20', '30'] }).pageSize).toBe(20)
    expect(() => parseListParams({ pageSize: '501' })).toThrow()
    expect(() => parseListParams({ page: '0' })).toThrow()
    expect(() => parseListParams({ dir: 'up' })).toThrow()
  })

  it('filters case-insensitively, sorts stably both ways and pages', () => {
    const byLag = pageOf(rows, parseListParams({ sort: 'lag', dir: 'desc' }), (r) => r.name, sorters)
    expect(byLag.rows.map((r) => r.name)).toEqual(['payments', 'Orders', 'Points', 'inventory'])
    const filtered = pageOf(rows, parseListParams({ q: 'P', sort: 'name' }), (r) => r.name, sorters)
    expect(filtered.rows.map((r) => r.name)).toEqual(['payments', 'Points'])
    expect(filtered.total).toBe(2)
    const paged = pageOf(rows, parseListParams({ pageSize: '3', page: '2' }), (r) => r.name, sorters)
    expect(paged).toMatchObject({ total: 4, page: 2, pageCount: 2, sort: undefined })
    expect(paged.rows.map((r) => r.name)).toEqual(['inventory'])
    // Past the end: the last page; an unknown sort keeps the given order.
    const past = pageOf(
      rows,
      parseListParams({ pageSize: '3', page: '7', sort: 'nope' }),
      (r) => r.name,
      sorters,
    )
    expect(past.page).toBe(2)
    expect(past.sort).toBeUndefined()
  })
})
