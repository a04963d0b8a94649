// /c/<cluster>/messages: find messages by id, by key or by topic + time range. Every query state is in the URL;
// the first paint runs the same search the JSON route runs, and the client view takes it from there.
import { decodeSegment } from '@/app/_lib/route-params'
import { getGateway } from '@/lib/cluster/registry'
import { runMessageSearch, type MessageSearchResponse } from '@/lib/console/messages'
import { toAppError } from '@/lib/errors'
import { MessagesView } from './messages-view'

export const dynamic = 'force-dynamic'

type SearchParams = Record<string, string | string[] | undefined>

function searchStringOf(searchParams: SearchParams): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(searchParams))
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) params.append(key, v)
  const text = params.toString()
  return text === '' ? '' : `?${text}`
}

export default async function MessagesPage({
  params,
  searchParams,
}: {
  params: Promise<{ cluster: string }>
  searchParams: Promise<SearchParams>
}) {
  const cluster = decodeSegment((await params).cluster)
  const query = await searchParams
  let data: MessageSearchResponse | undefined
  let error: string | undefined
  try {
    data = await runMessageSearch(query, () => getGateway(cluster))
  } catch (err) {
    const appError = toAppError(err)
    if (appError.code === 'INTERNAL') console.error('[mqdeck] messages page failed', appError.cause ?? err)
    error = appError.message
  }
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
