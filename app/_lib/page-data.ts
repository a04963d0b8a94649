// First paint of the live console pages: the cluster (and topic or group) from the path, the same lib read the
// JSON route runs, and the route's URL the client view's live query will be keyed by. A failed read becomes its
// user-facing message for the view to show; INTERNAL ones are logged here, and no stack reaches the page.
import 'server-only'
import { pageActor } from './auth-guard'
import { consoleContext, type ConsoleContext } from '@/lib/console/console-context'
import { decodePathSegment } from '@/lib/console/path-segment'
import { toAppError } from '@/lib/errors'
import { searchStringOf, type SearchParamsRecord } from './search-string'
import type { DetailViewSeed, ListViewSeed } from './use-live-view'

/** What a page read for its first paint, or the message saying why it could not. */
export interface PageData<T> {
  readonly data: T | undefined
  readonly error: string | undefined
}

/**
 * Checks the session, then runs `load`; an error becomes its AppError message (`what` names the page in the
 * server log). The session is checked here and not only in the layouts: a layout does not run again when the
 * user moves between pages under it, so an expired session would otherwise still get the next page's data.
 */
export async function loadPageData<T>(what: string, load: () => Promise<T>): Promise<PageData<T>> {
  await pageActor() // redirects to /login without a session (outside the try: the redirect is a throw)
  try {
    return { data: await load(), error: undefined }
  } catch (err) {
    const appError = toAppError(err)
    if (appError.code === 'INTERNAL') console.error(`[mqdeck] ${what} failed`, appError.cause ?? err)
    return { data: undefined, error: appError.message }
  }
}

export interface ListPageProps {
  readonly params: Promise<{ cluster: string }>
  readonly searchParams: Promise<SearchParamsRecord>
}

/** `/c/<cluster>/<section>?…`: reads the list page the URL asks for, as `/api/c/<cluster>/<section>?…` will. */
export async function loadListPage<T>(
  props: ListPageProps,
  section: 'topics' | 'groups',
  load: (ctx: ConsoleContext, query: SearchParamsRecord) => Promise<T>,
): Promise<ListViewSeed<T>> {
  const cluster = decodePathSegment((await props.params).cluster)
  const query = await props.searchParams
  const { data, error } = await loadPageData(`${section} page`, async () =>
    load(await consoleContext(cluster), query),
  )
  return {
    cluster,
    initial: { url: `/api/c/${encodeURIComponent(cluster)}/${section}${searchStringOf(query)}`, data },
    initialError: error,
  }
}

/** `/c/<cluster>/<section>/<name>`: reads one topic or group, as `/api/c/<cluster>/<section>/<name>` will. */
export async function loadDetailPage<K extends string, T>(
  params: Promise<{ readonly cluster: string } & { readonly [P in K]: string }>,
  segment: K,
  section: 'topics' | 'groups',
  load: (ctx: ConsoleContext, name: string) => Promise<T>,
): Promise<DetailViewSeed<T>> {
  const segments = await params
  const cluster = decodePathSegment(segments.cluster)
  const name = decodePathSegment(segments[segment])
  const { data, error } = await loadPageData(`${segment} page`, async () =>
    load(await consoleContext(cluster), name),
  )
  return {
    cluster,
    name,
    apiUrl: `/api/c/${encodeURIComponent(cluster)}/${section}/${encodeURIComponent(name)}`,
    initial: data,
    initialError: error,
  }
}
