'use client'
// The live query wiring of the list and detail views: the server's first paint seeds a query on the JSON route,
// which then refreshes; the view shows the query's data, or the seed until the first fetch answers.
import type { UseQueryResult } from '@tanstack/react-query'
import { useSearchParams } from 'next/navigation'
import { useHydrated } from './use-hydrated'
import { useLiveQuery, useMirroredApiUrl } from './use-live-query'

/** A list view's props: the server's first paint, keyed by the JSON route URL it was read for (app/_lib/page-data.ts). */
export interface ListViewSeed<T> {
  readonly cluster: string
  readonly initial: { readonly url: string; readonly data: T | undefined }
  readonly initialError: string | undefined
}

/** A detail view's props but for the name, which each view calls its own (topic, group). */
export interface DetailViewSeed<T> {
  readonly cluster: string
  readonly name: string
  readonly apiUrl: string
  readonly initial: T | undefined
  readonly initialError: string | undefined
}

export interface LiveList<T> {
  readonly query: UseQueryResult<T>
  /** The page to show: the query's, or the server's until the first client fetch answers. */
  readonly page: T | undefined
  /** Why there is nothing to show (undefined while loading, or once there is a page). */
  readonly error: string | undefined
  /** React owns the page (the views expose it as data-hydrated for the browser tests). */
  readonly hydrated: boolean
  /** The URL has search params (a filter, sort or page), so "no rows" means "no match". */
  readonly filtered: boolean
}

/** A list page mirrored by its JSON route: `/c/x/topics?q=a` polls `/api/c/x/topics?q=a`. */
export function useLiveList<T>(
  initial: { readonly url: string; readonly data: T | undefined },
  initialError: string | undefined,
): LiveList<T> {
  const query = useLiveQuery<T>({
    url: useMirroredApiUrl(),
    initial: initial.data ? { url: initial.url, data: initial.data } : undefined,
  })
  const searchParams = useSearchParams()
  const hydrated = useHydrated()
  // Before the first client fetch answers (or if the URL forms differ), the server's render stands in.
  const page = query.data ?? initial.data
  const error = query.error?.message ?? (page ? undefined : initialError)
  return { query, page, error, hydrated, filtered: searchParams.toString() !== '' }
}

/** One topic or group from its JSON route, seeded with the server's read. */
export function useLiveDetail<T>(
  apiUrl: string,
  initial: T | undefined,
): { readonly query: UseQueryResult<T>; readonly detail: T | undefined } {
  const query = useLiveQuery<T>({
    url: apiUrl,
    initial: initial ? { url: apiUrl, data: initial } : undefined,
  })
  return { query, detail: query.data ?? initial }
}
