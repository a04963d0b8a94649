// /c/<cluster>/messages: find messages by id, by key or by topic + time range. Every query state is in the URL;
// the first paint runs the same search the JSON route runs, and the client view takes it from there.
import { loadPageData } from '@/app/_lib/page-data'
import { searchStringOf, type SearchParamsRecord } from '@/app/_lib/search-string'
import { consoleContext } from '@/lib/console/console-context'
import { runMessageSearch } from '@/lib/console/messages'
import { decodePathSegment } from '@/lib/console/path-segment'
import { MessagesView } from './messages-view'

export const dynamic = 'force-dynamic'

export default async function MessagesPage({
  params,
  searchParams,
}: {
  params: Promise<{ cluster: string }>
  searchParams: Promise<SearchParamsRecord>
}) {
  const cluster = decodePathSegment((await params).cluster)
  const query = await searchParams
  const { data, error } = await loadPageData('messages page', () =>
    runMessageSearch(query, async () => (await consoleContext(cluster)).gateway),
  )
  return (
    <div className="space-y-4" data-testid="messages">
      <h1 className="text-xl font-semibold tracking-tight">Messages</h1>
      <MessagesView
        cluster={cluster}
        initial={{
          url: `/api/c/${encodeURIComponent(cluster)}/messages${searchStringOf(query)}`,
          data,
          atMs: data?.status === 'ok' ? data.result.fetchedAtMs : 0,
        }}
        initialError={error}
      />
    </div>
  )
}
