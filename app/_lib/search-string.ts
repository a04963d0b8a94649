// The "?a=1&b=2" of a page's searchParams, as the browser's useSearchParams().toString() spells it: the server
// render keys its first-paint data by the same JSON route URL the client's live query will use.

export type SearchParamsRecord = Record<string, string | string[] | undefined>

export function searchStringOf(searchParams: SearchParamsRecord): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(searchParams))
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) params.append(key, v)
  const text = params.toString()
  return text === '' ? '' : `?${text}`
}
