'use client'
// Live data for a page: the server component's first-paint data seeds a TanStack query on a JSON route, which
// then refetches every few seconds. The URL is the key, so a list whose search params change (filter, sort,
// page) fetches the new page and keeps showing the previous rows until it arrives.
import { keepPreviousData, useQuery, type UseQueryResult } from '@tanstack/react-query'
import { usePathname, useSearchParams } from 'next/navigation'
import { useState } from 'react'
import { fetchJson } from './fetch-json'

export const LIVE_REFRESH_MS = 5_000

export interface LiveQueryOptions<T> {
  /** The JSON route, search params included. */
  readonly url: string
  /** What the server component rendered, and for which URL: used only while the key still is that URL. */
  readonly initial?: { readonly url: string; readonly data: T }
  readonly refetchIntervalMs?: number
  readonly enabled?: boolean
}

export function useLiveQuery<T>(options: LiveQueryOptions<T>): UseQueryResult<T> {
  const { url, initial } = options
  const seeded = initial !== undefined && initial.url === url
  const [mountedAtMs] = useState(() => Date.now())
  return useQuery<T>({
    queryKey: ['live', url],
    queryFn: ({ signal }) => fetchJson<T>(url, { signal }),
    initialData: seeded ? initial.data : undefined,
    // The seed is as fresh as the server render; don't refetch it at once on hydration.
    initialDataUpdatedAt: seeded ? mountedAtMs : undefined,
    staleTime: 2_000,
    placeholderData: keepPreviousData,
    refetchInterval: options.refetchIntervalMs ?? LIVE_REFRESH_MS,
    enabled: options.enabled ?? true,
  })
}

/**
 * The current page's search string ("?q=orders&page=2", or "" when none). DataTable updates the URL with
 * history.replaceState, which Next keeps in sync with useSearchParams, so this changes without a server
 * round trip.
 */
export function useSearchString(): string {
  const searchParams = useSearchParams()
  const text = searchParams.toString()
  return text === '' ? '' : `?${text}`
}

/** The API URL mirroring the current page: `/c/x/topics?q=a` → `/api/c/x/topics?q=a`. */
export function useMirroredApiUrl(): string {
  const pathname = usePathname()
  return `/api${pathname}${useSearchString()}`
}
